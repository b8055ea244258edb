import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/load';
import { ENVIRONMENTS, scratchSettings } from '../helpers';

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
    expect(prod.postgres.replication?.peer.environment).toBe(loadSettings('production', scratch.dir).platform.dr?.peer);
    expect(prod.redis.clusterSize).toBe(3);
    const staging = loadSettings('staging', scratch.dir).data;
    expect(staging.postgres.instances).toBeLessThan(prod.postgres.instances);
    expect(staging.postgres.replication).toBeUndefined();
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

  it('rejects a peer archive path equal to this cluster\'s', () => {
    edit('production', 'destinationPath: s3://finbot-backups-dr/postgres', 'destinationPath: s3://finbot-backups/postgres/');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.replication.peer.destinationPath');
    expect(e.problem).toContain('the peer must archive to its own path, not to this cluster\'s s3://finbot-backups/postgres');
  });

  it('rejects a peer cluster named like this one', () => {
    edit('production', 'name: finbot-postgres-dr', 'name: finbot-postgres-primary');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.replication.peer.name');
    expect(e.problem).toContain('the peer cluster needs a name of its own');
  });

  it('rejects a primary outside the pair', () => {
    edit('production', /primary: finbot-postgres-primary\n/, 'primary: finbot-postgres-other\n');
    const e = errorOf('production');
    expect(e.field).toBe('postgres.replication.primary');
    expect(e.problem).toContain('is neither this cluster (finbot-postgres-primary) nor the peer (finbot-postgres-dr)');
  });

  it('rejects fencing the primary and a promotion token on a replica', () => {
    edit('production', 'fenced: false', 'fenced: true');
    expect(errorOf('production').field).toBe('postgres.replication.fenced');
    scratch.cleanup();
    scratch.setup();
    edit('production-dr', 'fenced: false', 'fenced: false\n    promotionToken: abc=');
    expect(errorOf('production-dr').field).toBe('postgres.replication.promotionToken');
  });

  it('rejects a role that disagrees with the primary (the failover commands change both)', () => {
    scratch.edit('production', 'platform', 'role: active', 'role: standby');
    const e = errorOf('production');
    expect(e.field).toBe('dr.role');
    expect(e.problem).toContain('run npm run failover / failback');
  });

  it('rejects a Postgres archive outside the environment\'s own backup bucket (staging once wrote into production\'s)', () => {
    edit('staging', 'destinationPath: s3://finbot-staging-backups/postgres', 'destinationPath: s3://finbot-backups/staging/postgres');
    const e = errorOf('staging');
    expect(e.field).toBe('postgres.backup.destinationPath');
    expect(e.problem).toContain("is not in this environment's backup bucket finbot-staging-backups");
  });

  it('rejects a peer archive in this environment\'s bucket', () => {
    edit('production', 'destinationPath: s3://finbot-backups-dr/postgres', 'destinationPath: s3://finbot-backups/dr');
    expect(errorOf('production').problem).toContain('must be in the peer region\'s bucket');
  });

  it('no two environments share a backup bucket', () => {
    const buckets = ENVIRONMENTS.map((env) => loadSettings(env).data.backups.bucket);
    expect(new Set(buckets).size).toBe(buckets.length);
  });

  it('each peer archive is the peer environment\'s own archive (the declared replication source)', () => {
    for (const env of ENVIRONMENTS) {
      const rep = loadSettings(env).data.postgres.replication;
      if (!rep) continue;
      const peer = loadSettings(rep.peer.environment).data;
      expect(rep.peer.destinationPath).toBe(peer.postgres.backup.destinationPath);
      expect(rep.peer.name).toBe(peer.postgres.name);
    }
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
