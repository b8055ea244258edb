/**
 * A CloudNativePG Postgres cluster (postgresql.cnpg.io/v1 Cluster) with WAL archiving through the Barman
 * Cloud plugin, anti-affinity over nodes and zones, and a PodMonitor for its metrics. With `topology` it is
 * half of a CloudNativePG distributed topology with a cluster of another region (disaster recovery).
 * @see https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/#postgresql-cnpg-io-v1-ClusterSpec
 * @see https://cloudnative-pg.io/documentation/current/replica_cluster/
 */
import { Construct } from 'constructs';
import {
  ClusterSpecPrimaryUpdateStrategy,
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
} from '../imports/postgresql.cnpg.io';
import { BARMAN_CLOUD_PLUGIN, BARMAN_REPLICA_SOURCE } from '../model/operators/barman-cloud';
import { CNPG_FENCING, cnpgAppSecretName, cnpgClusterPodSelector, cnpgInstanceLabels, cnpgReadWriteHost, CNPG_LABELS, POSTGRES_PORTS } from '../model/operators/cloudnative-pg';
import type { BarmanObjectStore } from './barman-object-store';
import type { ServiceEndpoint } from './data-endpoints';
import { compareText } from '../model/text-order';
import { Cluster } from './kube-objects';
import { labels } from './labels';
import { FinbotPodMonitor } from './pod-monitor';

export { POSTGRES_PORTS };

/** Label CloudNativePG puts on every pod (instances and jobs) of a cluster. */
export const CNPG_CLUSTER_LABEL = CNPG_LABELS.cluster;

const ZONE_KEY = 'topology.kubernetes.io/zone';
const HOST_KEY = 'kubernetes.io/hostname';

/** CPU and memory of each instance. */
export interface PostgresResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/**
 * Membership of a CloudNativePG distributed topology with one peer cluster in another Kubernetes cluster (disaster
 * recovery): both list themselves and the peer in `externalClusters` and name the same `primary`; the other one
 * replays the primary's WAL from the primary's object store. Semantics: model/operators/cloudnative-pg.ts
 * (`CNPG_DISTRIBUTED_TOPOLOGY`, `cnpgIsReplica`), model/operators/barman-cloud.ts (`BARMAN_REPLICA_SOURCE`).
 */
export interface PostgresTopology {
  /** The peer Cluster's name (its serverName in its archive). */
  readonly peerName: string;
  /** An ObjectStore of this namespace pointing at the peer's archive (read here, never written). */
  readonly peerStore: BarmanObjectStore;
  /** The cluster that accepts writes: this cluster's name or `peerName`. */
  readonly primary: string;
  /** Create the cluster by recovery from the peer's archive instead of initdb. @default false */
  readonly bootstrapFromPeer?: boolean;
  /** The former primary's demotion token, for a switchover without data loss (only on the primary). @default - none */
  readonly promotionToken?: string;
  /** Fence every instance: Postgres is shut down, pods stay. @default false */
  readonly fenced?: boolean;
}

/** Props of {@link PostgresCluster}. */
export interface PostgresClusterProps {
  /** Cluster name; Services are `<name>-rw`, `<name>-ro`, `<name>-r`. */
  readonly name: string;
  readonly namespace: string;
  /** Environment (label `app.kubernetes.io/instance`). */
  readonly environment: string;
  /** Full operand image reference with a pinned tag, e.g. ghcr.io/cloudnative-pg/postgresql:16.6. */
  readonly imageName: string;
  /** Instances: one primary plus standbys. Must be at least 1. */
  readonly instances: number;
  /** PVC size of each instance, e.g. 100Gi. */
  readonly storageSize: string;
  /** StorageClass of the PVCs (made elsewhere, referenced by name). */
  readonly storageClass: string;
  readonly resources: PostgresResources;
  /** postgresql.conf parameters. `archive_timeout` is not allowed here (see archiveTimeoutMinutes). @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * WAL archive timeout in minutes: a segment is switched and archived at least this often, so the data lost
   * with the whole cluster is bounded by it (plus upload time). Keep it below the RPO.
   * @default 5
   */
  readonly archiveTimeoutMinutes?: number;
  /** @default 'unsupervised' */
  readonly primaryUpdateStrategy?: 'unsupervised' | 'supervised';
  /** Whether two instances may share a node. @default 'required' */
  readonly antiAffinity?: 'required' | 'preferred';
  /** Database and owner created by initdb, or whose `-app` Secret a recovery bootstrap makes. @default finbot / finbot */
  readonly database?: { readonly name: string; readonly owner: string };
  /** Object store the cluster archives WAL and base backups to. @default - no archiving (not for production) */
  readonly backupStore?: BarmanObjectStore;
  /** Member of a distributed topology with a peer cluster (needs `backupStore`). @default - a single primary cluster */
  readonly topology?: PostgresTopology;
  /** Create a PodMonitor for the instances' metrics port. @default true */
  readonly podMonitor?: boolean;
}

/** A CloudNativePG cluster. */
export class PostgresCluster extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly instances: number;
  /** The read-write Service: always the current primary. */
  readonly readWrite: ServiceEndpoint;
  /**
   * The Secret the operator creates and keeps for the initdb owner (`<name>-app`; keys in
   * model/operators/cloudnative-pg.ts): consumers read the password from it, nobody copies it.
   */
  readonly appSecretName: string;
  /** Labels of every pod of the cluster (instances and the operator's jobs), for NetworkPolicies. */
  readonly podSelector: Record<string, string>;
  /** The store WAL is archived to, if any. */
  readonly backupStore?: BarmanObjectStore;
  readonly resource: Cluster;
  readonly podMonitor?: FinbotPodMonitor;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    checkProps(props);
    this.name = props.name;
    this.namespace = props.namespace;
    this.instances = props.instances;
    this.backupStore = props.backupStore;
    this.podSelector = cnpgClusterPodSelector(props.name);
    this.readWrite = { host: cnpgReadWriteHost(props.name, props.namespace), port: POSTGRES_PORTS.postgres };
    this.appSecretName = cnpgAppSecretName(props.name);

    // The operator's pods are not FinBot pods: no `app: finbot` (app policies and monitors select on it).
    const objectLabels = labels({ name: props.name, component: 'database', environment: props.environment, finbotApp: false });
    this.resource = new Cluster(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: objectLabels,
        ...(props.topology?.fenced ? { annotations: { [CNPG_FENCING.annotation]: CNPG_FENCING.all } } : {}),
      },
      spec: {
        ...instancesSpec(props, objectLabels),
        ...placementSpec(props),
        enablePdb: true,
        ...archiveAndTopologySpec(props),
      },
    });
    if (props.podMonitor ?? true) this.podMonitor = this.addPodMonitor(props);
  }

  /** The PodMonitor over the instances' `metrics` port. */
  private addPodMonitor(props: PostgresClusterProps): FinbotPodMonitor {
    return new FinbotPodMonitor(this, 'PodMonitor', {
      name: props.name, namespace: props.namespace, component: 'database', environment: props.environment,
      selector: { matchLabels: cnpgInstanceLabels(props.name) },
      podMetricsEndpoints: [{ port: 'metrics' }],
    });
  }

}

/** Refuses props CloudNativePG or the plugin would reject or misread, with the reason. */
function checkProps(props: PostgresClusterProps): void {
  const where = `PostgresCluster ${props.name}`;
  if (!Number.isInteger(props.instances) || props.instances < 1) {
    throw new Error(`${where}: instances is ${props.instances}; give a whole number of at least 1 (3 for a highly available primary)`);
  }
  if (!/:[A-Za-z0-9_][A-Za-z0-9_.-]*(@sha256:[a-f0-9]{64})?$/.test(props.imageName) || /:latest$/.test(props.imageName)) {
    throw new Error(`${where}: imageName "${props.imageName}" has no pinned tag; use e.g. ghcr.io/cloudnative-pg/postgresql:16.6`);
  }
  const parameters = props.parameters ?? {};
  if ('archive_timeout' in parameters) {
    throw new Error(`${where}: parameters.archive_timeout is set to "${parameters.archive_timeout}"; remove it and use the archiveTimeoutMinutes prop, which the RPO is checked against`);
  }
  const archiveTimeout = props.archiveTimeoutMinutes ?? 5;
  if (!Number.isInteger(archiveTimeout) || archiveTimeout < 1 || archiveTimeout > 60) {
    throw new Error(`${where}: archiveTimeoutMinutes is ${archiveTimeout}; allowed are whole minutes 1-60 (an RPO of 1 h needs less than 60)`);
  }
  const topo = props.topology;
  if (topo) {
    if (!props.backupStore) throw new Error(`${where}: topology needs a backupStore (the peer reads this cluster's archive)`);
    if (topo.peerStore.destinationPath === props.backupStore.destinationPath) {
      throw new Error(`${where}: backupStore and topology.peerStore both point at ${props.backupStore.destinationPath}; each cluster archives to a path of its own`);
    }
    if (topo.peerName === props.name) throw new Error(`${where}: topology.peerName is this cluster's name; the peer needs a name of its own`);
    if (![props.name, topo.peerName].includes(topo.primary)) {
      throw new Error(`${where}: topology.primary "${topo.primary}" is neither ${props.name} nor ${topo.peerName}`);
    }
    if (topo.promotionToken && topo.primary !== props.name) throw new Error(`${where}: a promotionToken is only allowed on the primary (CloudNativePG rejects it on a replica)`);
  }
  for (const store of [props.backupStore, topo?.peerStore]) {
    if (store && store.namespace !== props.namespace) {
      throw new Error(`${where}: ObjectStore ${store.name} is in namespace ${store.namespace}, the cluster in ${props.namespace}; the plugin only reads stores of the cluster's own namespace`);
    }
  }
}

/** The instances themselves: count, image, update strategy, labels, parameters, storage, resources. */
function instancesSpec(props: PostgresClusterProps, objectLabels: Record<string, string>) {
  return {
    instances: props.instances,
    imageName: props.imageName,
    primaryUpdateStrategy: (props.primaryUpdateStrategy ?? 'unsupervised') as ClusterSpecPrimaryUpdateStrategy,
    // Labels for the pods, Services and PVCs the operator creates: only keys CloudNativePG does not set
    // itself (it manages app.kubernetes.io/name|instance|component|managed-by on its objects).
    inheritedMetadata: { labels: pick(objectLabels, ['app.kubernetes.io/part-of']) },
    postgresql: {
      parameters: { ...sortedRecord(props.parameters ?? {}), archive_timeout: `${props.archiveTimeoutMinutes ?? 5}min` },
    },
    storage: { size: props.storageSize, storageClass: props.storageClass },
    resources: {
      requests: { cpu: ClusterSpecResourcesRequests.fromString(props.resources.requests.cpu), memory: ClusterSpecResourcesRequests.fromString(props.resources.requests.memory) },
      limits: { cpu: ClusterSpecResourcesLimits.fromString(props.resources.limits.cpu), memory: ClusterSpecResourcesLimits.fromString(props.resources.limits.memory) },
    },
  };
}

/** Where the instances run: restricted seccomp, one per node, spread over zones. */
function placementSpec(props: PostgresClusterProps) {
  return {
    // The operator's default pod/container security context already meets `restricted` (uid 26,
    // read-only root, no escalation, ALL dropped); seccomp is stated explicitly.
    seccompProfile: { type: 'RuntimeDefault' as const },
    affinity: {
      enablePodAntiAffinity: true,
      podAntiAffinityType: props.antiAffinity ?? 'required',
      topologyKey: HOST_KEY,
    },
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: ZONE_KEY,
      whenUnsatisfiable: props.instances > 1 ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: cnpgInstanceLabels(props.name) },
    }],
  };
}

/** WAL archiving through the Barman Cloud plugin, the bootstrap, and the distributed topology with a peer. */
function archiveAndTopologySpec(props: PostgresClusterProps) {
  const database = props.database ?? { name: 'finbot', owner: 'finbot' };
  const topo = props.topology;
  return {
    ...(props.backupStore ? {
      plugins: [{ name: BARMAN_CLOUD_PLUGIN, isWalArchiver: true, parameters: { barmanObjectName: props.backupStore.name } }],
    } : {}),
    ...(topo ? {
      // recovery names the database and owner too: unset, CNPG's `-app` Secret would be for `app`/`app`
      // (model/operators/cloudnative-pg.ts CNPG_RECOVERY_APP_DEFAULT), not the user the apps need.
      bootstrap: topo.bootstrapFromPeer
        ? { recovery: { source: topo.peerName, database: database.name, owner: database.owner } }
        : { initdb: { database: database.name, owner: database.owner } },
      // `enabled` stays unset: with it CNPG ignores `primary` (api/v1/cluster_funcs.go IsReplica).
      replica: { primary: topo.primary, source: topo.peerName, self: props.name, ...(topo.promotionToken ? { promotionToken: topo.promotionToken } : {}) },
      externalClusters: [
        { name: props.name, store: props.backupStore!.name },
        { name: topo.peerName, store: topo.peerStore.name },
      ].sort((a, b) => compareText(a.name, b.name)).map((e) => ({
        name: e.name,
        // serverName explicit: the plugin's default is the local cluster's name (model/operators/barman-cloud.ts).
        plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { [BARMAN_REPLICA_SOURCE.objectNameParameter]: e.store, [BARMAN_REPLICA_SOURCE.serverNameParameter]: e.name } },
      })),
    } : {
      bootstrap: { initdb: { database: database.name, owner: database.owner } },
    }),
  };
}

function pick(r: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(r).filter(([k]) => keys.includes(k)));
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => compareText(a, b)));
}
