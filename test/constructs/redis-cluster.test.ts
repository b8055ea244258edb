import { describe, expect, it } from 'vitest';
import { Testing } from 'cdk8s';
import { RedisCluster } from '../../constructs/redis-cluster';
import { REDIS_CONFIG_GENERATION, redisShardPods } from '../../model/operators/redis-operator';
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

  it('runs restricted: pod, every container and the operator\'s init-config container', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    const spec = objectOf(c, 'RedisCluster').spec;
    expect(spec.podSecurityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.redisLeader.securityContext).toEqual(restricted(true));
    expect(spec.redisFollower.securityContext).toEqual(restricted(true));
    expect(spec.redisExporter.securityContext).toEqual(restricted(true));
    // redis-operator v0.26.0 internal/k8sutils/statefulset_test.go: the init-config container gets
    // spec.initContainer.securityContext ("init-config container should have SecurityContext").
    expect(spec.initContainer.securityContext).toEqual(restricted(true));
  });

  it('a read-only root only with the config generated in the init container (GenerateConfigInInitContainer)', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    const spec = objectOf(c, 'RedisCluster').spec;
    // enabled: false — the operator then adds only init-config (image: its INIT_CONTAINER_IMAGE), not a
    // second `init<sts>` container running spec.initContainer.image (statefulset_test.go: 1 vs 2 containers).
    expect(spec.initContainer).toMatchObject({ enabled: false, image: 'quay.io/opstree/redis-operator:v0.26.0' });
    expect(REDIS_CONFIG_GENERATION.configMountPath).toBe('/etc/redis');
  });

  it('configInInitContainer: false keeps the Redis root writable (the image writes redis.conf) and renders no initContainer', () => {
    const c = chart();
    new RedisCluster(c, 'r', { ...redisProps, configInInitContainer: false });
    const spec = objectOf(c, 'RedisCluster').spec;
    expect(spec.redisLeader.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(spec.redisFollower.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(spec.redisExporter.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(spec.initContainer).toBeUndefined();
  });

  it('no app: finbot on the CR (the operator copies CR labels over its own `app` pod label)', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    expect(objectOf(c, 'RedisCluster').metadata.labels.app).toBeUndefined();
  });

  it('its pods get no Kubernetes API token: own ServiceAccount with automount off', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    const sa = objectOf(c, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(objectOf(c, 'RedisCluster').spec.serviceAccountName).toBe(sa.metadata.name);
  });

  it('spreads each role over zones, all pods over nodes; no operator PDBs', () => {
    const c = chart();
    new RedisCluster(c, 'r', redisProps);
    const { redisLeader: leader, redisFollower: follower } = objectOf(c, 'RedisCluster').spec;
    expect(leader.pdb).toEqual({ enabled: false });
    expect(follower.pdb).toEqual({ enabled: false });
    expect(leader.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable, t.labelSelector.matchLabels])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule', { app: 'rc-leader' }],
      ['kubernetes.io/hostname', 'ScheduleAnyway', { redis_setup_type: 'cluster' }],
    ]);
  });

  it('one PodDisruptionBudget per slot range (leader i + follower i), no pod under two budgets', () => {
    for (const clusterSize of [3, 5]) {
      const c = chart();
      new RedisCluster(c, 'r', { ...redisProps, clusterSize });
      const pdbs = Testing.synth(c).filter((o: any) => o.kind === 'PodDisruptionBudget');
      expect(pdbs).toHaveLength(clusterSize);
      const covered = pdbs.flatMap((p: any) => {
        expect(p.spec.maxUnavailable).toBe(1);
        const [expr] = p.spec.selector.matchExpressions;
        expect(expr).toMatchObject({ key: 'statefulset.kubernetes.io/pod-name', operator: 'In' });
        return expr.values as string[];
      });
      expect(new Set(covered).size).toBe(covered.length);
      expect(covered.sort()).toEqual(Array.from({ length: clusterSize }, (_, i) => [`rc-follower-${i}`, `rc-leader-${i}`]).flat().sort());
      expect(pdbs[1].spec.selector.matchExpressions[0].values).toEqual(['rc-leader-1', 'rc-follower-1']);
    }
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

  it('rejects an unpinned image, operator image included', () => {
    expect(() => new RedisCluster(chart(), 'r', { ...redisProps, exporterImage: 'quay.io/opstree/redis-exporter:latest' })).toThrow('exporterImage "quay.io/opstree/redis-exporter:latest" has no pinned tag');
    expect(() => new RedisCluster(chart(), 'r', { ...redisProps, operatorImage: 'quay.io/opstree/redis-operator:latest' })).toThrow('operatorImage "quay.io/opstree/redis-operator:latest" has no pinned tag');
  });

  it('rejects a clusterVersion that does not match the image', () => {
    expect(() => new RedisCluster(chart(), 'r', { ...redisProps, clusterVersion: 'v6' })).toThrow('clusterVersion "v6" does not match the image quay.io/opstree/redis:v7.0.15; allowed is the image\'s major version as v<N> (here v7)');
  });
});

describe('redis-operator model: which pods hold one slot range', () => {
  // redis-operator v0.26.0 internal/k8sutils/redis.go ExecuteRedisReplicationCommand: follower i replicates
  // leader (i mod leaders).
  it('follower i with leader i; with two followers per leader, followers i and i+n', () => {
    expect(redisShardPods('rc', 3)).toEqual([['rc-leader-0', 'rc-follower-0'], ['rc-leader-1', 'rc-follower-1'], ['rc-leader-2', 'rc-follower-2']]);
    expect(redisShardPods('rc', 3, 2)[0]).toEqual(['rc-leader-0', 'rc-follower-0', 'rc-follower-3']);
  });
});
