import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/load';
import { autoscalerMinor } from '../../config/sections/cluster';
import { scratchSettings } from '../helpers';

const scratch = scratchSettings();
beforeEach(() => scratch.setup());
afterEach(() => scratch.cleanup());
const errorOf = (env: string) => scratch.errorOf(env);
const edit = (env: string, section: string, from: string | RegExp, to: string) => scratch.edit(env, section, from, to);

describe('cluster.yaml', () => {
  it('loads the design document values for production', () => {
    const c = loadSettings('production', scratch.dir).cluster;
    expect(c.nodeGroups).toEqual({ minSize: 3, maxSize: 20 });
    expect(c.kubernetesVersion).toBe('1.33');
    expect(c.autoscaler.imageTag).toBe('v1.33.0');
    expect(c.autoscaler.scaleDownDelayAfterAdd).toBe('10m');
    expect(c.autoscaler.scaleDownUnneededTime).toBe('10m');
    expect(c.storageClass).toEqual({ name: 'fast-ssd', type: 'gp3', iops: 3000, throughput: 125, reclaimPolicy: 'Retain', fsType: 'ext4' });
  });

  it('rejects minSize above maxSize, naming the field', () => {
    edit('production', 'cluster', 'minSize: 3, maxSize: 20', 'minSize: 21, maxSize: 20');
    const e = errorOf('production');
    expect(e.file).toMatch(/production[/\\]cluster\.yaml$/);
    expect(e.field).toBe('nodeGroups.minSize');
    expect(e.message).toContain('minSize 21 is above maxSize 20');
  });

  it('rejects an autoscaler whose minor does not match the cluster', () => {
    edit('staging', 'cluster', 'imageTag: v1.33.0', 'imageTag: v1.32.1');
    const e = errorOf('staging');
    expect(e.field).toBe('autoscaler.imageTag');
    expect(e.message).toContain('cluster-autoscaler v1.32.1 does not match kubernetesVersion 1.33: use a v1.33.x release');
  });

  it('rejects an autoscaler tag that is not a release tag', () => {
    edit('production', 'cluster', 'imageTag: v1.33.0', 'imageTag: latest-1.33');
    const e = errorOf('production');
    expect(e.field).toBe('autoscaler.imageTag');
    expect(e.message).toContain('"latest-1.33" is not a cluster-autoscaler release tag such as v1.33.0');
  });

  it('rejects an unquoted (numeric) or malformed Kubernetes version', () => {
    edit('production', 'cluster', 'kubernetesVersion: "1.33"', 'kubernetesVersion: v1.33');
    const e = errorOf('production');
    expect(e.field).toBe('kubernetesVersion');
    expect(e.message).toContain('must be a Kubernetes minor version such as "1.33"');
  });

  it('rejects a Pod Identity role given as an ARN (no account id may reach the settings or dist/)', () => {
    edit('production', 'cluster', /podIdentityRole: .*/, 'podIdentityRole: arn:aws:iam::111122223333:role/finbot-autoscaler');
    const e = errorOf('production');
    expect(e.field).toBe('autoscaler.podIdentityRole');
    expect(e.message).toContain('must be an IAM role name');
  });

  it('rejects a flag duration without a unit', () => {
    edit('production', 'cluster', 'scaleDownUnneededTime: 10m', 'scaleDownUnneededTime: 10');
    expect(errorOf('production').field).toBe('autoscaler.scaleDownUnneededTime');
  });

  it('rejects gp3 iops out of range and throughput on io2', () => {
    edit('production', 'cluster', 'iops: 3000', 'iops: 2000');
    expect(errorOf('production').message).toContain('gp3 iops must be between 3000 and 16000 (got 2000)');
    edit('production', 'cluster', 'iops: 2000', 'iops: 3000');
    edit('production', 'cluster', 'type: gp3', 'type: io2');
    const e = errorOf('production');
    expect(e.field).toBe('storageClass.throughput');
    expect(e.message).toContain('throughput applies to gp3 volumes only');
  });

  it('autoscalerMinor reads the minor of a release tag only', () => {
    expect(autoscalerMinor('v1.33.0')).toBe('1.33');
    expect(autoscalerMinor('v1.33')).toBeUndefined();
    expect(autoscalerMinor('1.33.0')).toBeUndefined();
  });
});

describe('gitops.yaml', () => {
  it('production syncs manually, staging automatically', () => {
    expect(loadSettings('production', scratch.dir).gitops.autoSync).toBe(false);
    expect(loadSettings('staging', scratch.dir).gitops.autoSync).toBe(true);
  });

  it('rejects a repository URL that is neither https nor ssh', () => {
    edit('staging', 'gitops', /repoURL: .*/, 'repoURL: http://example.com/finbot.git');
    const e = errorOf('staging');
    expect(e.file).toMatch(/staging[/\\]gitops\.yaml$/);
    expect(e.field).toBe('repoURL');
    expect(e.message).toContain('must be an https:// or git@ repository URL');
  });

  it('rejects HEAD as target revision', () => {
    edit('staging', 'gitops', 'targetRevision: main', 'targetRevision: HEAD');
    expect(errorOf('staging').field).toBe('targetRevision');
  });

  it('refuses main for a manually synced environment with sync windows (it follows a reviewed branch)', () => {
    edit('production', 'gitops', /^targetRevision: .*$/m, 'targetRevision: main');
    const e = errorOf('production');
    expect(e.field).toBe('targetRevision');
    expect(e.message).toContain('reviewed release branch');
  });

  it('rejects a sync window without a five-field cron schedule', () => {
    edit('production', 'gitops', /schedule: "[^"]*"/, 'schedule: "daily"');
    expect(errorOf('production').field).toBe('syncWindows[0].schedule');
  });

  it('rejects duplicate probe names and bad hosts', () => {
    edit('production', 'gitops', '{ name: web,', '{ name: api,');
    const e = errorOf('production');
    expect(e.field).toBe('probes.targets[1].name');
    expect(e.message).toContain('duplicate probe name "api"');
  });

  it('rejects a probe of a host the edge settings do not have', () => {
    edit('production', 'gitops', '{ name: api,', '{ name: admin,');
    const e = errorOf('production');
    expect(e.field).toBe('probes.targets[0].name');
    expect(e.message).toContain('must be a host of edge.yaml: api or web');
  });

  it('rejects an empty probe list', () => {
    edit('staging', 'gitops', /  targets:\n(    - .*\n)+/, '  targets: []\n');
    expect(errorOf('staging').message).toContain('give at least one public endpoint to probe');
  });
});
