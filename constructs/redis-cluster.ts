/**
 * An OpsTree Redis cluster (redis.redis.opstreelabs.in/v1beta2 RedisCluster): `clusterSize` leaders, each
 * with one follower, persistent /data, the redis_exporter sidecar, a password from a Secret, and pods that
 * run restricted. Adds a PodMonitor for the exporter.
 * @see https://redis-operator.opstree.dev/docs/getting-started/cluster/
 * @see https://github.com/OT-CONTAINER-KIT/redis-operator/blob/main/config/crd/bases/redis.redis.opstreelabs.in_redisclusters.yaml
 */
import { Construct } from 'constructs';
import {
  RedisClusterSpecKubernetesConfigResourcesLimits as RedisLimits,
  RedisClusterSpecKubernetesConfigResourcesRequests as RedisRequests,
  RedisClusterSpecRedisExporterResourcesLimits as ExporterLimits,
  RedisClusterSpecRedisExporterResourcesRequests as ExporterRequests,
  RedisClusterSpecStorageNodeConfVolumeClaimTemplateSpecResourcesRequests as NodeConfRequests,
  RedisClusterSpecStorageVolumeClaimTemplateSpecResourcesRequests as DataRequests,
} from '../imports/redis.redis.opstreelabs.in';
import type { ServiceEndpoint } from './data-endpoints';
import { RedisCluster as RedisClusterResource } from './kube-objects';
import { labels } from './labels';
import { PodMonitorObject } from './pod-monitor';
import { REDIS_PASSWORD_KEY, REDIS_PASSWORD_SECRET } from './secret-names';
import { restrictedPodSecurityContext } from './security-context';

/** Ports of a Redis cluster pod. */
export const REDIS_PORTS = {
  /** Clients, the operator's redis-cli, and replication. */
  redis: 6379,
  /** Cluster bus (gossip, failover): always the client port + 10000. */
  bus: 16379,
  /** redis_exporter (container port `redis-exporter`). */
  exporter: 9121,
} as const;

/** Label the operator puts on every pod of a cluster-mode setup. */
export const REDIS_SETUP_LABEL = 'redis_setup_type';

const ZONE_KEY = 'topology.kubernetes.io/zone';
const HOST_KEY = 'kubernetes.io/hostname';
const RUN_AS_ID = 1000;

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
  /** Resources of each Redis container. */
  readonly resources: RedisResources;
  /** Resources of each exporter sidecar. */
  readonly exporterResources: RedisResources;
  /**
   * The Secret (filled by External Secrets) holding the password.
   * @default finbot-redis-password / password (constructs/secret-names.ts)
   */
  readonly passwordSecret?: { readonly name: string; readonly key: string };
  /**
   * Read-only root filesystem for the Redis containers. Needs the operator to generate redis.conf into an
   * emptyDir (feature gate GenerateConfigInInitContainer); without it Redis cannot write its config.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
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
  readonly resource: RedisClusterResource;
  readonly podMonitor?: PodMonitorObject;

  constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id);
    const where = `RedisCluster ${props.name}`;
    if (!Number.isInteger(props.clusterSize) || props.clusterSize < 3) {
      throw new Error(`${where}: clusterSize is ${props.clusterSize}; a Redis cluster needs at least 3 leaders (v1beta2 counts leaders, each gets a follower: 3 means 6 pods)`);
    }
    for (const [prop, image] of [['image', props.image], ['exporterImage', props.exporterImage]] as const) {
      if (!/:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(image) || /:latest$/.test(image)) {
        throw new Error(`${where}: ${prop} "${image}" has no pinned tag; use e.g. quay.io/opstree/redis:v7.0.15`);
      }
    }
    const clusterVersion = props.clusterVersion ?? 'v7';
    const tagMajor = /:v?([0-9]+)\.[^:]*$/.exec(props.image)?.[1];
    if (!/^v[0-9]+$/.test(clusterVersion) || (tagMajor !== undefined && `v${tagMajor}` !== clusterVersion)) {
      throw new Error(`${where}: clusterVersion "${clusterVersion}" does not match the image ${props.image}; allowed is the image's major version as v<N> (here v${tagMajor ?? '?'})`);
    }

    this.name = props.name;
    this.namespace = props.namespace;
    this.clusterSize = props.clusterSize;
    this.endpoint = { host: `${props.name}-leader.${props.namespace}.svc.cluster.local`, port: REDIS_PORTS.redis };
    this.podSelector = { [REDIS_SETUP_LABEL]: 'cluster' };

    // The operator copies the CR's labels onto the pods, overriding its own `app: <name>-leader|follower`
    // selector label: an `app: finbot` here would make leader and follower StatefulSets select each other's
    // pods. So no `app: finbot` on the RedisCluster.
    const objectLabels = labels({ name: props.name, component: 'cache', environment: props.environment, finbotApp: false });
    const password = props.passwordSecret ?? { name: REDIS_PASSWORD_SECRET, key: REDIS_PASSWORD_KEY };
    const containerSecurity = (readOnlyRootFilesystem: boolean) => ({
      runAsNonRoot: true,
      runAsUser: RUN_AS_ID,
      runAsGroup: RUN_AS_ID,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const spread = (topologyKey: string, whenUnsatisfiable: string, matchLabels: Record<string, string>) =>
      ({ maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels } });
    const roleSpec = (role: 'leader' | 'follower') => ({
      securityContext: containerSecurity(props.readOnlyRootFilesystem ?? true),
      // One pod of a role may be down at a time (drains, upgrades); the other role keeps the slots served.
      pdb: { enabled: true, maxUnavailable: 1 },
      topologySpreadConstraints: [
        // Each role over the zones (an outage of one zone must not take a leader and its follower)...
        spread(ZONE_KEY, 'DoNotSchedule', { app: `${props.name}-${role}` }),
        // ...and all pods over the nodes.
        spread(HOST_KEY, 'ScheduleAnyway', { [REDIS_SETUP_LABEL]: 'cluster' }),
      ],
    });

    this.resource = new RedisClusterResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        clusterSize: props.clusterSize,
        clusterVersion,
        persistenceEnabled: true,
        port: REDIS_PORTS.redis,
        kubernetesConfig: {
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          resources: {
            requests: { cpu: RedisRequests.fromString(props.resources.requests.cpu), memory: RedisRequests.fromString(props.resources.requests.memory) },
            limits: { cpu: RedisLimits.fromString(props.resources.limits.cpu), memory: RedisLimits.fromString(props.resources.limits.memory) },
          },
          redisSecret: { name: password.name, key: password.key },
        },
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
          securityContext: containerSecurity(true),
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

    if (props.podMonitor ?? true) {
      this.podMonitor = new PodMonitorObject(this, 'PodMonitor', {
        metadata: {
          name: props.name,
          namespace: props.namespace,
          // `app: finbot`: the design document's Prometheus selects monitors by it (the monitor, not the pods).
          labels: labels({ name: props.name, component: 'cache', environment: props.environment }),
        },
        spec: {
          selector: {
            matchLabels: { [REDIS_SETUP_LABEL]: 'cluster' },
            matchExpressions: [{ key: 'app', operator: 'In', values: [`${props.name}-leader`, `${props.name}-follower`] }],
          },
          podMetricsEndpoints: [{ port: 'redis-exporter' }],
        },
      });
    }
  }
}
