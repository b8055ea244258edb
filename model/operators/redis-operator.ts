/**
 * What the OpsTree redis-operator v0.26.0 does with a RedisCluster (redis.redis.opstreelabs.in/v1beta2).
 * Every fact cites the upstream file at tag v0.26.0 of https://github.com/OT-CONTAINER-KIT/redis-operator.
 * Constructs, the cluster model, capacity and diagram read these facts; none keeps its own copy.
 */

/** The release these facts were read in. */
import type { DerivedObjects } from './derived';

export const REDIS_OPERATOR_RELEASE = 'v0.26.0';

/** The two StatefulSets of a cluster-mode setup. */
export type RedisClusterRole = 'leader' | 'follower';
export const REDIS_CLUSTER_ROLES: readonly RedisClusterRole[] = ['leader', 'follower'];

/** Ports of a Redis pod (api/common/v1beta2/common_types.go defaults; internal/common/constants `RedisExporterPort`). */
export const REDIS_PORTS = {
  /** Clients, the operator's redis client (internal/k8sutils/redis.go `configureRedisClient`), replication. */
  redis: 6379,
  /** Cluster bus: Redis always listens on the client port + 10000. */
  bus: 16379,
  /** redis_exporter sidecar, container port named `redis-exporter` (internal/k8sutils/statefulset.go `enableRedisMonitoring`). */
  exporter: 9121,
} as const;
/** Name of the exporter's container port. */
export const REDIS_EXPORTER_PORT_NAME = 'redis-exporter';

/** Label keys the operator sets on every pod (internal/controller/common/labels.go `getRedisStableLabels`). */
export const REDIS_LABELS = { app: 'app', setupType: 'redis_setup_type', role: 'role' } as const;

/**
 * Labels of the pods of one role. internal/controller/common/labels.go `GetRedisLabels` starts from
 * {app: <name>-<role>, redis_setup_type: cluster, role: <role>} and then copies the CR's own labels over
 * them, so a label `app` on the RedisCluster would replace `app: <name>-<role>` (and make the two
 * StatefulSets select each other's pods): never put `app` on a RedisCluster.
 */
export function redisPodLabels(cluster: string, role: RedisClusterRole): Record<string, string> {
  return { [REDIS_LABELS.app]: `${cluster}-${role}`, [REDIS_LABELS.setupType]: 'cluster', [REDIS_LABELS.role]: role };
}

/** Label selecting every pod of every cluster-mode setup in a namespace. */
export const REDIS_CLUSTER_POD_SELECTOR: Readonly<Record<string, string>> = { [REDIS_LABELS.setupType]: 'cluster' };

/** StatefulSet (and client Service) name of a role: internal/k8sutils/redis-cluster.go `cr.Name + "-" + role`. */
export function redisRoleName(cluster: string, role: RedisClusterRole): string {
  return `${cluster}-${role}`;
}

/**
 * Services per role (internal/k8sutils/services.go): `<name>-<role>` (client port + exporter),
 * `<name>-<role>-headless` (the StatefulSet's serviceName, statefulset.go) and `<name>-<role>-additional`.
 */
export function redisRoleServices(cluster: string, role: RedisClusterRole): string[] {
  const base = redisRoleName(cluster, role);
  return [base, `${base}-headless`, `${base}-additional`];
}

/** Pod name of the i-th pod of a role (StatefulSet ordinal naming). */
export function redisPodName(cluster: string, role: RedisClusterRole, index: number): string {
  return `${redisRoleName(cluster, role)}-${index}`;
}

/**
 * Which leader each follower replicates: internal/k8sutils/redis.go `ExecuteRedisReplicationCommand` makes
 * follower i a replica of leader (i mod leaders). With as many followers as leaders, leader i and follower i
 * hold the same slot range for the life of the cluster (a failover swaps their roles, not the pairing).
 */
export function redisShardPods(cluster: string, leaders: number, followersPerLeader = 1): string[][] {
  const shards: string[][] = Array.from({ length: leaders }, (_, i) => [redisPodName(cluster, 'leader', i)]);
  for (let f = 0; f < leaders * followersPerLeader; f++) shards[f % leaders].push(redisPodName(cluster, 'follower', f));
  return shards;
}

/**
 * PodDisruptionBudgets the operator makes when `redisLeader.pdb.enabled` / `redisFollower.pdb.enabled`
 * (internal/k8sutils/poddisruption.go `ReconcileRedisPodDisruptionBudget`): one per role, named
 * `<name>-<role>`, selecting {app: <name>-<role>, role: <role>}. A role-wide budget cannot keep a leader and
 * its follower from being evicted together, and any extra budget over the same pods makes the eviction API
 * refuse them (a pod may be covered by at most one budget), so the project disables these.
 */
export function operatorPdbSelector(cluster: string, role: RedisClusterRole): Record<string, string> {
  return { [REDIS_LABELS.app]: redisRoleName(cluster, role), [REDIS_LABELS.role]: role };
}

/** StatefulSet pods carry the pod-name label (Kubernetes' StatefulSet controller): a budget per shard uses it. */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

/**
 * How redis.conf gets written.
 * - Without the feature gate, the Redis image's own entrypoint writes the cluster and password settings
 *   into /etc/redis/redis.conf inside the image's root filesystem at start; on a read-only root those writes
 *   fail and Redis starts without cluster mode or password.
 * - With the operator's feature gate `GenerateConfigInInitContainer` (internal/features/features.go, Alpha,
 *   default false; the operator reads FEATURE_GATES, internal/cmd/manager/cmd.go), every pod gets an emptyDir
 *   `config` mounted at /etc/redis (statefulset.go `generateConfigVolume`/`generateConfigVolumeMount`), an init
 *   container `init-config` running `/operator agent bootstrap` that writes /etc/redis/redis.conf
 *   (internal/agent/bootstrap/redis/config.go `GenerateConfig`: requirepass/masterauth from REDIS_PASSWORD,
 *   cluster-enabled, nodes.conf under /node-conf), and the Redis container runs
 *   `redis-server /etc/redis/redis.conf` (statefulset.go `generateContainerDef`). Then a read-only root works.
 * - The init container's image is the operator's env INIT_CONTAINER_IMAGE (internal/envs/envs.go
 *   `GetInitContainerImage`, default quay.io/opstree/redis-operator:latest: pin it), NOT
 *   spec.initContainer.image; its securityContext is spec.initContainer.securityContext
 *   (statefulset.go `generateInitContainerDef`; mirrored from internal/k8sutils/statefulset_test.go
 *   "init-config container should have SecurityContext"). spec.initContainer.enabled: true would add a
 *   second container `init<sts name>` with spec.initContainer.image: keep it false.
 * - The generated redis.conf names `pidfile /var/run/redis.pid` (config.go `defaultRedisConfig`); on a
 *   read-only root redis-server only logs that it cannot write the pid file and carries on.
 */
export const REDIS_CONFIG_GENERATION = {
  featureGate: 'GenerateConfigInInitContainer',
  operatorEnv: { featureGates: 'FEATURE_GATES', initContainerImage: 'INIT_CONTAINER_IMAGE' },
  initContainerName: 'init-config',
  configMountPath: '/etc/redis',
  /** Directories the Redis process writes when the gate is on: all volumes (config emptyDir, /data, /node-conf). */
  writablePaths: ['/etc/redis', '/data', '/node-conf'],
  /** Where the image's entrypoint writes when the gate is off (inside the root filesystem). */
  entrypointWrites: '/etc/redis/redis.conf',
} as const;

/** The operator's own image at the pinned release (for INIT_CONTAINER_IMAGE and spec.initContainer.image). */
export const REDIS_OPERATOR_IMAGE = `quay.io/opstree/redis-operator:${REDIS_OPERATOR_RELEASE}`;

/**
 * The Redis pods never call the Kubernetes API: the bootstrap agent only reads env and files
 * (internal/agent/bootstrap/redis/config.go), redis-server and redis_exporter talk Redis only. The operator
 * reaches into pods with pods/exec from its own ServiceAccount (internal/k8sutils/redis.go `executeCommand`).
 * The StatefulSet's pod template sets no automountServiceAccountToken (statefulset.go
 * `generateStatefulSetsDef`) but uses spec.serviceAccountName: a ServiceAccount with
 * automountServiceAccountToken: false keeps the token out.
 */
export const REDIS_PODS_CALL_KUBE_API = false;

/** Images whose entrypoint writes the Redis config into the root filesystem when the gate is off. */
export const REDIS_IMAGES_WRITING_CONFIG = ['quay.io/opstree/redis'] as const;

/** The fields that decide how many pods each role gets. */
export interface RedisClusterSpecCounts {
  readonly clusterSize?: number;
  readonly redisLeader?: { readonly replicas?: number };
  readonly redisFollower?: { readonly replicas?: number };
}

/**
 * Pods of a role: `redisLeader.replicas` / `redisFollower.replicas`, defaulting to clusterSize
 * (api/rediscluster/v1beta2/rediscluster_types.go `GetReplicaCounts`).
 */
export function redisRoleReplicas(spec: RedisClusterSpecCounts, role: RedisClusterRole): number {
  const r = role === 'leader' ? spec.redisLeader : spec.redisFollower;
  return r?.replicas ?? spec.clusterSize ?? 0;
}

/** The spec key of a role's settings (redisLeader / redisFollower). */
export const REDIS_ROLE_SPEC_KEY: Readonly<Record<RedisClusterRole, 'redisLeader' | 'redisFollower'>> = { leader: 'redisLeader', follower: 'redisFollower' };

/**
 * Pods and Services of a RedisCluster: per role a StatefulSet of `leaders` pods (`redisLeader.replicas` /
 * `redisFollower.replicas` default to clusterSize, api/rediscluster/v1beta2 `GetReplicaCounts`), each pod
 * with the role labels plus its StatefulSet pod-name label; per role the three Services of
 * {@link redisRoleServices} selecting the role's pods.
 */
export function redisClusterDerived(name: string, spec: RedisClusterSpecCounts): DerivedObjects {
  const ports = [{ port: REDIS_PORTS.redis, name: 'redis-client' }, { port: REDIS_PORTS.bus, name: 'redis-bus' }, { port: REDIS_PORTS.exporter, name: REDIS_EXPORTER_PORT_NAME }];
  const counts = { leader: redisRoleReplicas(spec, 'leader'), follower: redisRoleReplicas(spec, 'follower') };
  const pods: Array<DerivedObjects['pods'][number]> = [];
  const services: Array<DerivedObjects['services'][number]> = [];
  for (const role of REDIS_CLUSTER_ROLES) {
    for (let i = 0; i < counts[role]; i++) {
      const podName = redisPodName(name, role, i);
      pods.push({ what: `Redis ${podName}`, labels: { ...redisPodLabels(name, role), [STATEFULSET_POD_NAME_LABEL]: podName }, ports, replicas: 1 });
    }
    const [client, headless, additional] = redisRoleServices(name, role);
    const selector = { [REDIS_LABELS.app]: redisRoleName(name, role), [REDIS_LABELS.setupType]: 'cluster', [REDIS_LABELS.role]: role };
    services.push({ name: client, selector, ports: [{ port: REDIS_PORTS.redis, name: 'redis-client' }, { port: REDIS_PORTS.exporter, name: REDIS_EXPORTER_PORT_NAME }] });
    services.push({ name: headless, selector, ports: [{ port: REDIS_PORTS.redis, name: 'redis-client' }, { port: REDIS_PORTS.bus, name: 'redis-bus' }] });
    services.push({ name: additional, selector, ports: [{ port: REDIS_PORTS.redis, name: 'redis-client' }] });
  }
  return { pods, services, secrets: [] };
}

/** The budgets the operator itself makes for a RedisCluster (`redisLeader.pdb.enabled` / `redisFollower.pdb.enabled`). */
export function redisOperatorPdbs(name: string, spec: { redisLeader?: { pdb?: { enabled?: boolean } }; redisFollower?: { pdb?: { enabled?: boolean } } }): Array<{ name: string; matchLabels: Record<string, string> }> {
  const roleSpec = { leader: spec.redisLeader, follower: spec.redisFollower };
  return REDIS_CLUSTER_ROLES.filter((r) => roleSpec[r]?.pdb?.enabled === true).map((r) => ({ name: redisRoleName(name, r), matchLabels: operatorPdbSelector(name, r) }));
}
