import { describe, expect, it } from 'vitest';
import { RedisCluster } from '../../constructs/redis-cluster';
import { chart, objectOf, redisProps } from './data-fixtures';

const restricted = (readOnlyRootFilesystem: boolean) => ({
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

describe('RedisCluster', () => {
  it('renders v1beta2 with leaders, persistence, exporter and the password Secret', () => {
    const c = chart();
    const r = new RedisCluster(c, 'r', redisProps);
    const o = objectOf(c, 'RedisCluster');
    expect(o.apiVersion).toBe('redis.redis.opstreelabs.in/v1beta2');
    expect(o.spec.clusterSize).toBe(3);
    expect(o.spec.clusterVersion).toBe('v7');
    expect(o.spec.persistenceEnabled).toBe(true);
    expect(o.spec.kubernetesConfig.image).toBe('quay.io/opstree/redis:v7.0.15');
    expect(o.spec.kubernetesConfig.redisSecret).toEqual({ name: 'finbot-redis-password', key: 'password' });
    expect(o.spec.redisExporter).toMatchObject({ enabled: true, image: 'quay.io/opstree/redis-exporter:v1.44.0', port: 9121 });
    expect(o.spec.storage.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '1Gi' } } });
    expect(o.spec.storage.nodeConfVolume).toBe(true);
    expect(r.endpoint).toEqual({ host: 'rc-leader.cache.svc.cluster.local', port: 6379 });
    expect(r.podSelector).toEqual({ redis_setup_type: 'cluster' });
  });

  it('runs restricted: pod and every container', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    const spec = objectOf(c, 'RedisCluster').spec;
    expect(spec.podSecurityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.redisLeader.securityContext).toEqual(restricted(true));
    expect(spec.redisFollower.securityContext).toEqual(restricted(true));
    expect(spec.redisExporter.securityContext).toEqual(restricted(true));
  });

  it('readOnlyRootFilesystem: false affects only the Redis containers, not the exporter', () => {
    const c = chart();
    new RedisCluster(c, 'r', { ...redisProps, readOnlyRootFilesystem: false });
    const spec = objectOf(c, 'RedisCluster').spec;
    expect(spec.redisLeader.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(spec.redisExporter.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('no app: finbot on the CR (the operator copies CR labels over its own `app` pod label)', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    expect(objectOf(c, 'RedisCluster').metadata.labels.app).toBeUndefined();
  });

  it('spreads each role over zones, all pods over nodes; PDBs on', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    const leader = objectOf(c, 'RedisCluster').spec.redisLeader;
    expect(leader.pdb).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(leader.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable, t.labelSelector.matchLabels])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule', { app: 'rc-leader' }],
      ['kubernetes.io/hostname', 'ScheduleAnyway', { redis_setup_type: 'cluster' }],
    ]);
  });

  it('PodMonitor scrapes the exporter port of leaders and followers', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    const pm = objectOf(c, 'PodMonitor');
    expect(pm.metadata.labels.app).toBe('finbot');
    expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'redis-exporter' }]);
    expect(pm.spec.selector.matchExpressions).toEqual([{ key: 'app', operator: 'In', values: ['rc-leader', 'rc-follower'] }]);
  });

  it('rejects fewer than 3 leaders', () => {
    expect(() => new RedisCluster(chart(), 'r', { ...redisProps, clusterSize: 6 })).not.toThrow();
    expect(() => new RedisCluster(chart(), 'r', { ...redisProps, clusterSize: 2 })).toThrow('RedisCluster rc: clusterSize is 2; a Redis cluster needs at least 3 leaders');
  });

  it('rejects an unpinned image', () => {
    expect(() => new RedisCluster(chart(), 'r', { ...redisProps, exporterImage: 'quay.io/opstree/redis-exporter:latest' })).toThrow('exporterImage "quay.io/opstree/redis-exporter:latest" has no pinned tag');
  });

  it('rejects a clusterVersion that does not match the image', () => {
    expect(() => new RedisCluster(chart(), 'r', { ...redisProps, clusterVersion: 'v6' })).toThrow('clusterVersion "v6" does not match the image quay.io/opstree/redis:v7.0.15; allowed is the image\'s major version as v<N> (here v7)');
  });
});
