/**
 * An OpsTree Redis cluster (redis.redis.opstreelabs.in/v1beta2 RedisCluster): `clusterSize` leaders, each
 * with one follower, persistent /data, the redis_exporter sidecar, a password from a Secret, pods that run
 * restricted with a read-only root (redis.conf generated into an emptyDir by the operator's init container),
 * no Kubernetes API token, one PodDisruptionBudget per slot range, and a PodMonitor for the exporter.
 *
 * What the operator does with this object is in model/operators/redis-operator.ts (cited from v0.26.0).
 * @see https://redis-operator.opstree.dev/docs/getting-started/cluster/
 * @see https://github.com/OT-CONTAINER-KIT/redis-operator/blob/v0.26.0/config/crd/bases/redis.redis.opstreelabs.in_redisclusters.yaml
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import {
  RedisClusterSpecKubernetesConfigResourcesLimits as RedisLimits,
  RedisClusterSpecKubernetesConfigResourcesRequests as RedisRequests,
  RedisClusterSpecRedisExporterResourcesLimits as ExporterLimits,
  RedisClusterSpecRedisExporterResourcesRequests as ExporterRequests,
  RedisClusterSpecStorageNodeConfVolumeClaimTemplateSpecResourcesRequests as NodeConfRequests,
  RedisClusterSpecStorageVolumeClaimTemplateSpecResourcesRequests as DataRequests,
} from '../imports/redis.redis.opstreelabs.in';
import {
  REDIS_CLUSTER_POD_SELECTOR,
  REDIS_CONFIG_GENERATION,
  REDIS_EXPORTER_PORT_NAME,
  REDIS_PORTS,
  redisPodLabels,
  redisRoleName,
  redisShardPods,
  STATEFULSET_POD_NAME_LABEL,
  type RedisClusterRole,
} from '../model/operators/redis-operator';
import type { ServiceEndpoint } from './data-endpoints';
import { KubePodDisruptionBudget, KubeServiceAccount, RedisCluster as RedisClusterResource } from './kube-objects';
import { labels } from './labels';
import { FinbotPodMonitor } from './pod-monitor';
import { REDIS_PASSWORD_KEY, REDIS_PASSWORD_SECRET } from './secret-names';
import { restrictedPodSecurityContext } from './security-context';

export { REDIS_PORTS };

const ZONE_KEY = 'topology.kubernetes.io/zone';
const HOST_KEY = 'kubernetes.io/hostname';
const RUN_AS_ID = 1000;
const PINNED_TAG = /:[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** CPU and memory of one container. */
export interface RedisResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Props of {@link RedisCluster}. */
export interface RedisClusterProps {
  /** Object name; the operator names StatefulSets and Services `<name>-leader` / `<name>-follower`. */
  readonly name: string;
  readonly namespace: string;
  /** Environment (label `app.kubernetes.io/instance`). */
  readonly environment: string;
  /** Number of leaders (v1beta2 semantics); each gets one follower. At least 3. */
  readonly clusterSize: number;
  /** Redis image with a pinned tag, e.g. quay.io/opstree/redis:v7.0.15. */
  readonly image: string;
  /** Major Redis version of the image, e.g. `v7`. @default 'v7' */
  readonly clusterVersion?: string;
  /** redis_exporter image with a pinned tag. */
  readonly exporterImage: string;
  /** PVC size of /data on each pod. */
  readonly storageSize: string;
  /** StorageClass of the PVCs (made elsewhere, referenced by name). */
  readonly storageClass: string;
  /** Resources of each Redis container (also given to the operator's init-config container). */
  readonly resources: RedisResources;
  /** Resources of each exporter sidecar. */
  readonly exporterResources: RedisResources;
  /**
   * The Secret (filled by External Secrets) holding the password.
   * @default finbot-redis-password / password (constructs/secret-names.ts)
   */
  readonly passwordSecret?: { readonly name: string; readonly key: string };
  /**
   * Generate redis.conf in the operator's `init-config` init container (operator feature gate
   * GenerateConfigInInitContainer, INIT_CONTAINER_IMAGE = `operatorImage`) so that Redis runs with a
   * read-only root filesystem. `false`: the image's entrypoint writes redis.conf into its root filesystem,
   * so the root stays writable.
   * @default true
   */
  readonly configInInitContainer?: boolean;
  /**
   * The redis-operator image with a pinned tag (the operator's INIT_CONTAINER_IMAGE must be the same); the
   * CRD requires `spec.initContainer.image`.
   */
  readonly operatorImage: string;
  /** Create a PodMonitor for the exporter. @default true */
  readonly podMonitor?: boolean;
}

/** A Redis cluster managed by the OpsTree redis-operator. */
export class RedisCluster extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Leaders (= followers). */
  readonly clusterSize: number;
  /** The leaders' Service; cluster-aware clients discover every node from it. */
  readonly endpoint: ServiceEndpoint;
  /** Labels of every pod of the cluster (leaders and followers), for NetworkPolicies. */
  readonly podSelector: Record<string, string>;
  /** The password Secret the pods (and backup jobs) read. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
  /** ServiceAccount of the Redis pods (no token mounted). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly resource: RedisClusterResource;
  /** One budget per slot range (leader i + follower i). */
  readonly shardBudgets: readonly k8s.KubePodDisruptionBudget[];
  readonly podMonitor?: FinbotPodMonitor;

  constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id);
    const clusterVersion = validateProps(props);
    this.name = props.name;
    this.namespace = props.namespace;
    this.clusterSize = props.clusterSize;
    this.endpoint = { host: `${redisRoleName(props.name, 'leader')}.${props.namespace}.svc.cluster.local`, port: REDIS_PORTS.redis };
    this.podSelector = { ...REDIS_CLUSTER_POD_SELECTOR };
    this.passwordSecret = props.passwordSecret ?? { name: REDIS_PASSWORD_SECRET, key: REDIS_PASSWORD_KEY };

    // The operator copies the CR's labels onto the pods, overriding its own `app: <name>-leader|follower`
    // (model/operators/redis-operator.ts): no `app: finbot` on the RedisCluster.
    const objectLabels = labels({ name: props.name, component: 'cache', environment: props.environment, finbotApp: false });
    this.serviceAccount = this.addServiceAccount(props, objectLabels);
    this.resource = this.addRedisCluster(props, clusterVersion, objectLabels);
    this.shardBudgets = this.addShardBudgets(props, objectLabels);
    if (props.podMonitor ?? true) this.podMonitor = this.addPodMonitor(props);
  }

  /** Redis, its init container and the exporter never call the Kubernetes API: no token in the pods. */
  private addServiceAccount(props: RedisClusterProps, objectLabels: Record<string, string>): k8s.KubeServiceAccount {
    return new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, namespace: props.namespace, labels: objectLabels },
      automountServiceAccountToken: false,
    });
  }

  private addRedisCluster(props: RedisClusterProps, clusterVersion: string, objectLabels: Record<string, string>): RedisClusterResource {
    const initConfig = props.configInInitContainer ?? true;
    const roleSpec = (role: RedisClusterRole) => ({
      securityContext: redisContainerSecurity(initConfig),
      // The operator's per-role budgets would cover a leader and its follower by two budgets each wanting one
      // pod down; the shard budgets below replace them (two budgets over one pod block eviction).
      pdb: { enabled: false },
      topologySpreadConstraints: [
        // Each role over the zones (an outage of one zone must not take a leader and its follower)...
        spread(ZONE_KEY, 'DoNotSchedule', { app: redisRoleName(props.name, role) }),
        // ...and all pods over the nodes.
        spread(HOST_KEY, 'ScheduleAnyway', { ...REDIS_CLUSTER_POD_SELECTOR }),
      ],
    });
    return new RedisClusterResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        clusterSize: props.clusterSize,
        clusterVersion,
        persistenceEnabled: true,
        port: REDIS_PORTS.redis,
        serviceAccountName: this.serviceAccount.name,
        kubernetesConfig: {
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          resources: {
            requests: { cpu: RedisRequests.fromString(props.resources.requests.cpu), memory: RedisRequests.fromString(props.resources.requests.memory) },
            limits: { cpu: RedisLimits.fromString(props.resources.limits.cpu), memory: RedisLimits.fromString(props.resources.limits.memory) },
          },
          redisSecret: { name: this.passwordSecret.name, key: this.passwordSecret.key },
        },
        // Read by the operator only for the securityContext of its `init-config` container (image from the
        // operator's INIT_CONTAINER_IMAGE); `enabled: false` keeps a second, user init container out.
        ...(initConfig ? { initContainer: { enabled: false, image: props.operatorImage, securityContext: redisContainerSecurity(true) } } : {}),
        redisExporter: {
          enabled: true,
          image: props.exporterImage,
          imagePullPolicy: 'IfNotPresent',
          port: REDIS_PORTS.exporter,
          resources: {
            requests: { cpu: ExporterRequests.fromString(props.exporterResources.requests.cpu), memory: ExporterRequests.fromString(props.exporterResources.requests.memory) },
            limits: { cpu: ExporterLimits.fromString(props.exporterResources.limits.cpu), memory: ExporterLimits.fromString(props.exporterResources.limits.memory) },
          },
          // A static binary: read-only root always works.
          securityContext: redisContainerSecurity(true),
        },
        redisLeader: roleSpec('leader'),
        redisFollower: roleSpec('follower'),
        podSecurityContext: restrictedPodSecurityContext(RUN_AS_ID),
        storage: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: props.storageClass,
              resources: { requests: { storage: DataRequests.fromString(props.storageSize) } },
            },
          },
          // nodes.conf (cluster topology) survives restarts on its own small volume.
          nodeConfVolume: true,
          nodeConfVolumeClaimTemplate: {
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: props.storageClass,
              resources: { requests: { storage: NodeConfRequests.fromString('1Gi') } },
            },
          },
        },
      },
    });
  }

  /**
   * One budget per slot range: follower i replicates leader i (model/operators/redis-operator.ts), so a
   * budget over exactly those two pods lets a drain take one copy of each range but never both.
   */
  private addShardBudgets(props: RedisClusterProps, objectLabels: Record<string, string>): k8s.KubePodDisruptionBudget[] {
    return redisShardPods(props.name, props.clusterSize).map((pods, i) => new KubePodDisruptionBudget(this, `Shard${i}`, {
      metadata: { name: `${props.name}-shard-${i}`, namespace: props.namespace, labels: objectLabels },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchExpressions: [{ key: STATEFULSET_POD_NAME_LABEL, operator: 'In', values: pods }] },
      },
    }));
  }

  private addPodMonitor(props: RedisClusterProps): FinbotPodMonitor {
    return new FinbotPodMonitor(this, 'PodMonitor', {
      name: props.name, namespace: props.namespace, component: 'cache', environment: props.environment,
      selector: {
        matchLabels: { ...REDIS_CLUSTER_POD_SELECTOR },
        matchExpressions: [{ key: 'app', operator: 'In', values: (['leader', 'follower'] as const).map((r) => redisPodLabels(props.name, r).app) }],
      },
      podMetricsEndpoints: [{ port: REDIS_EXPORTER_PORT_NAME }],
    });
  }

}

/** Checks the props; returns the cluster version to render. */
function validateProps(props: RedisClusterProps): string {
  const where = `RedisCluster ${props.name}`;
  if (!Number.isInteger(props.clusterSize) || props.clusterSize < 3) {
    throw new Error(`${where}: clusterSize is ${props.clusterSize}; a Redis cluster needs at least 3 leaders (v1beta2 counts leaders, each gets a follower: 3 means 6 pods)`);
  }
  for (const [prop, image] of [['image', props.image], ['exporterImage', props.exporterImage], ['operatorImage', props.operatorImage]] as const) {
    if (!PINNED_TAG.test(image) || /:latest$/.test(image)) {
      throw new Error(`${where}: ${prop} "${image}" has no pinned tag; use e.g. quay.io/opstree/redis:v7.0.15`);
    }
  }
  const clusterVersion = props.clusterVersion ?? 'v7';
  const tagMajor = /:v?([0-9]+)\.[^:]*$/.exec(props.image)?.[1];
  if (!/^v[0-9]+$/.test(clusterVersion) || (tagMajor !== undefined && `v${tagMajor}` !== clusterVersion)) {
    throw new Error(`${where}: clusterVersion "${clusterVersion}" does not match the image ${props.image}; allowed is the image's major version as v<N> (here v${tagMajor ?? '?'})`);
  }
  return clusterVersion;
}

/**
 * Restricted container security context of the Redis pods. The root filesystem is read-only only when
 * redis.conf is generated into the operator's emptyDir (REDIS_CONFIG_GENERATION in the operator model).
 */
function redisContainerSecurity(readOnlyRootFilesystem: boolean) {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS_ID,
    runAsGroup: RUN_AS_ID,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function spread(topologyKey: string, whenUnsatisfiable: string, matchLabels: Record<string, string>) {
  return { maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels } };
}

/** Where the operator writes the config when it generates it (documentation aid for the chart and docs). */
export const REDIS_CONFIG_DIR = REDIS_CONFIG_GENERATION.configMountPath;
