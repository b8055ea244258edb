import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/load';
import { scratchSettings } from '../helpers';

const scratch = scratchSettings();
beforeEach(() => scratch.setup());
afterEach(() => scratch.cleanup());
const errorOf = (env: string) => scratch.errorOf(env);
const edit = (env: string, from: string | RegExp, to: string) => scratch.edit(env, 'data', from, to);

describe('data.yaml settings', () => {
  it('loads both environments with the design values in production', () => {
    const prod = loadSettings('production', scratch.dir).data;
    expect(prod.postgres.instances).toBe(3);
    expect(prod.postgres.backup.rpoMinutes).toBe(60);
    expect(prod.postgres.disasterRecovery.enabled).toBe(true);
    expect(prod.redis.clusterSize).toBe(3);
    const staging = loadSettings('staging', scratch.dir).data;
    expect(staging.postgres.instances).toBeLessThan(prod.postgres.instances);
    expect(staging.postgres.disasterRecovery.enabled).toBe(false);
  });

  it('rejects an archive timeout that is not below the RPO, naming the field', () => {
    edit('production', 'archiveTimeoutMinutes: 5', 'archiveTimeoutMinutes: 60');
    const e = errorOf('production');
    expect(e.file).toMatch(/production[/\\]data\.yaml$/);
    expect(e.field).toBe('postgres.backup.archiveTimeoutMinutes');
    expect(e.problem).toBe('archive timeout 60 min is not below the RPO of 60 min: a quiet database would archive WAL less often than the RPO allows; lower archiveTimeoutMinutes (e.g. 5)');
  });

  it('rejects archive_timeout among the parameters', () => {
    edit('production', 'max_connections: "200"', 'max_connections: "200"\n    archive_timeout: 2h');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.parameters.archive_timeout');
    expect(e.problem).toContain('derived from backup.archiveTimeoutMinutes');
  });

  it('rejects a DR archive path equal to the primary\'s', () => {
    edit('production', 'destinationPath: s3://finbot-backups-dr/postgres', 'destinationPath: s3://finbot-backups/postgres/');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.disasterRecovery.destinationPath');
    expect(e.problem).toContain('the replica must archive to its own path, not to the primary\'s s3://finbot-backups/postgres');
  });

  it('rejects a DR cluster named like the primary', () => {
    edit('production', 'name: finbot-postgres-dr', 'name: finbot-postgres-primary');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.disasterRecovery.name');
    expect(e.problem).toContain('e.g. finbot-postgres-dr');
  });

  it('rejects promote without a replica cluster', () => {
    edit('staging', 'promote: false', 'promote: true');
    const e = errorOf('staging');
    expect(e.field).toBe('postgres.disasterRecovery.promote');
    expect(e.problem).toBe('promote is true but disasterRecovery.enabled is false: there is no replica cluster to promote; set enabled: true or promote: false');
  });

  it('checks DR rules only when DR is enabled', () => {
    edit('staging', 'destinationPath: s3://finbot-staging-backups-dr/postgres', 'destinationPath: s3://finbot-staging-backups/postgres');
    expect(loadSettings('staging', scratch.dir).data.postgres.disasterRecovery.enabled).toBe(false);
  });

  it('rejects a Postgres archive outside the environment\'s own backup bucket (staging once wrote into production\'s)', () => {
    edit('staging', 'destinationPath: s3://finbot-staging-backups/postgres', 'destinationPath: s3://finbot-backups/staging/postgres');
    const e = errorOf('staging');
    expect(e.field).toBe('postgres.backup.destinationPath');
    expect(e.problem).toContain("is not in this environment's backup bucket finbot-staging-backups");
  });

  it('rejects a DR archive in the primary region\'s bucket', () => {
    edit('production', 'destinationPath: s3://finbot-backups-dr/postgres', 'destinationPath: s3://finbot-backups/dr');
    expect(errorOf('production').problem).toContain('must be in a bucket of the DR region');
  });

  it('no two environments share a backup bucket (primary or DR)', () => {
    const buckets = ['production', 'staging'].flatMap((env) => {
      const d = loadSettings(env).data;
      return [d.backups.bucket, /^s3:\/\/([^/]+)/.exec(d.postgres.disasterRecovery.destinationPath)![1]];
    });
    expect(new Set(buckets).size).toBe(buckets.length);
  });

  it('rejects a six-field schedule for the snapshot CronJobs', () => {
    edit('production', /redis: \{ schedule: "[^"]*"/, 'redis: { schedule: "0 30 2 * * *"');
    const e = errorOf('production');
    expect(e.field).toBe('backups.redis.schedule');
  });

  it('rejects a Redis clusterVersion that does not match the image', () => {
    edit('production', 'clusterVersion: v7', 'clusterVersion: v6');
    const e = errorOf('production');
    expect(e.field).toBe('redis.clusterVersion');
    expect(e.problem).toBe('clusterVersion v6 does not match the image tag v7.0.15 (major v7); set clusterVersion: v7 or change the image');
  });

  it('rejects fewer than 3 Redis leaders', () => {
    edit('staging', 'clusterSize: 3', 'clusterSize: 2');
    const e = errorOf('staging');
    expect(e.field).toBe('redis.clusterSize');
    expect(e.problem).toContain('a Redis cluster needs at least 3 leaders');
  });

  it('rejects a limit below its request, with the path', () => {
    edit('production', 'limits: { cpu: "2", memory: 4Gi }', 'limits: { cpu: "2", memory: 1Gi }');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.resources.limits.memory');
    expect(e.problem).toBe('limit 1Gi is below the request 2Gi: raise the limit or lower the request');
  });

  it('rejects a limit below its request in the exporter resources', () => {
    edit('staging', 'limits: { cpu: 100m, memory: 64Mi }', 'limits: { cpu: 10m, memory: 64Mi }');
    expect(errorOf('staging').field).toBe('redis.exporterResources.limits.cpu');
  });

  it('rejects a destination that is not S3', () => {
    edit('production', 'destinationPath: s3://finbot-backups/postgres', 'destinationPath: gs://finbot-backups/postgres');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.backup.destinationPath');
    expect(e.problem).toBe('must be an S3 URL such as s3://finbot-backups/postgres');
  });

  it('rejects a five-field (Kubernetes CronJob) schedule', () => {
    edit('production', 'schedule: "0 0 2 * * *"', 'schedule: "0 2 * * *"');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.backup.schedule');
    expect(e.problem).toContain('CloudNativePG reads seconds first: write six fields');
  });

  it('rejects a retention policy Barman does not understand', () => {
    edit('production', 'retentionPolicy: 30d', 'retentionPolicy: 30 days');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.backup.retentionPolicy');
    expect(e.problem).toBe('must be a Barman retention policy such as 30d, 4w or 3m');
  });

  it('rejects a "latest" Redis image and an MB storage size', () => {
    edit('production', 'tag: v7.0.15', 'tag: latest');
    expect(errorOf('production').field).toBe('redis.image.tag');
    edit('production', 'tag: latest', 'tag: v7.0.15');
    edit('production', 'storageSize: 10Gi', 'storageSize: 10GB');
    expect(errorOf('production').field).toBe('redis.storageSize');
  });

  it('rejects an unknown field in data.yaml', () => {
    edit('production', 'storageClass: fast-ssd', 'storageClass: fast-ssd\nstorageClas: x');
    expect(errorOf('production').problem).toContain('unknown field(s) "storageClas"');
  });
});
