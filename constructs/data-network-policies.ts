/**
 * The NetworkPolicies of a data namespace: default deny, DNS, and exactly the connections a CloudNativePG
 * cluster or an OpsTree Redis cluster needs (the client pods that use it — never a whole namespace —, its
 * operator, its own members, Prometheus, for Postgres the Kubernetes API and S3, for Redis its snapshot job).
 * @see https://cloudnative-pg.io/documentation/current/networking/
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { Construct } from 'constructs';
import { AllowPolicy, CLUSTER_DNS_PEER, DefaultDenyPolicy, DNS_PORTS, type PolicyPeer, type PolicyPort } from './network-policy';
import { POSTGRES_PORTS } from '../model/operators/cloudnative-pg';
import { REDIS_PORTS } from '../model/operators/redis-operator';
import type { PostgresCluster } from './postgres-cluster';
import type { RedisCluster } from './redis-cluster';

/** Ports of the Kubernetes API: 443 (Service / managed endpoints) and 6443 (apiserver on the nodes). */
export const KUBE_API_PORTS: readonly PolicyPort[] = [{ port: 443 }, { port: 6443 }];
/** S3 (HTTPS). */
export const S3_PORTS: readonly PolicyPort[] = [{ port: 443 }];
/**
 * Any destination. The API server and S3 have no pod or namespace labels; NetworkPolicy can only name them
 * by IP block, which is cluster-specific, so these rules are limited by port instead.
 */
export const ANYWHERE: readonly PolicyPeer[] = [];

/** Pods of a namespace given by its name (operators' namespaces are not ours to label). */
export function namespaceByName(name: string): PolicyPeer {
  return { namespaceLabels: { 'kubernetes.io/metadata.name': name } };
}

/** The client peers, each naming pods (a peer without pod labels would admit a whole namespace). */
function clientPeers(props: DataNetworkPoliciesProps): PolicyPeer[] {
  if (props.clients.length === 0) throw new Error('data NetworkPolicies: clients is empty; name the pods that use the data store');
  const wide = props.clients.find((c) => !c.ipBlock && (!c.podLabels || Object.keys(c.podLabels).length === 0));
  if (wide) throw new Error(`data NetworkPolicies: client peer ${JSON.stringify(wide)} selects every pod of a namespace; give podLabels of the pods that use the data store`);
  return [...props.clients];
}

/** Ports without repeats (S3 and the API share 443). */
function uniquePorts(ports: readonly PolicyPort[]): PolicyPort[] {
  return ports.filter((p, i) => ports.findIndex((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP')) === i);
}

/** What every data namespace's policies have in common. */
export interface DataNetworkPoliciesProps {
  /**
   * The pods that use the data store (each peer names pods, e.g. finbot-api and finbot-worker in the app
   * namespace); pods that do not use it (finbot-web) are not admitted.
   */
  readonly clients: readonly PolicyPeer[];
  /** The Prometheus pods that scrape metrics. */
  readonly prometheus: PolicyPeer;
  /** Namespace of the operator that manages the cluster. */
  readonly operatorNamespace: string;
  /**
   * Prefix of every policy name, for a second set in the same namespace (e.g. the DR replica's).
   * @default '' (default-deny-all, allow-dns-egress, allow-...)
   */
  readonly namePrefix?: string;
}

/** Props of {@link PostgresNetworkPolicies}. */
export interface PostgresNetworkPoliciesProps extends DataNetworkPoliciesProps {
  readonly cluster: PostgresCluster;
}

/** Default deny plus exactly what a CloudNativePG cluster needs, in the cluster's namespace. */
export class PostgresNetworkPolicies extends Construct {
  readonly policies: readonly (AllowPolicy | DefaultDenyPolicy)[];

  constructor(scope: Construct, id: string, props: PostgresNetworkPoliciesProps) {
    super(scope, id);
    const namespace = props.cluster.namespace;
    const pods = props.cluster.podSelector;
    const n = (name: string) => `${props.namePrefix ?? ''}${name}`;
    const pgAndStatus = [{ port: POSTGRES_PORTS.postgres }, { port: POSTGRES_PORTS.status }];
    this.policies = [
      new DefaultDenyPolicy(this, 'DefaultDeny', { namespace, name: n('default-deny-all') }),
      new AllowPolicy(this, 'Dns', { name: n('allow-dns-egress'), namespace, podLabels: {}, egress: [{ peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS }] }),
      new AllowPolicy(this, 'FromApp', {
        name: n('allow-postgres-from-app'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: clientPeers(props), ports: [{ port: POSTGRES_PORTS.postgres }] }],
      }),
      new AllowPolicy(this, 'FromOperator', {
        name: n('allow-postgres-from-cnpg-operator'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: [namespaceByName(props.operatorNamespace)], ports: [{ port: POSTGRES_PORTS.status }, { port: POSTGRES_PORTS.postgres }] }],
      }),
      // Streaming replication and pg_basebackup of joining instances; status port between instance managers.
      new AllowPolicy(this, 'Replication', {
        name: n('allow-postgres-replication'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: [{ podLabels: pods }], ports: pgAndStatus }],
        egress: [{ peers: [{ podLabels: pods }], ports: pgAndStatus }],
      }),
      new AllowPolicy(this, 'Scrape', {
        name: n('allow-prometheus-scrape-postgres'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: [props.prometheus], ports: [{ port: POSTGRES_PORTS.metrics }] }],
      }),
      // Instance managers watch their Cluster through the API; the Barman sidecar ships WAL/backups to S3.
      new AllowPolicy(this, 'ToApiAndS3', {
        name: n('allow-postgres-to-kube-api-and-s3'),
        namespace,
        podLabels: pods,
        egress: [{ peers: ANYWHERE, ports: uniquePorts([...KUBE_API_PORTS, ...S3_PORTS]) }],
      }),
    ];
  }
}

/** Props of {@link RedisNetworkPolicies}. */
export interface RedisNetworkPoliciesProps extends DataNetworkPoliciesProps {
  readonly cluster: RedisCluster;
  /**
   * Labels of the snapshot backup pods (same namespace): they read every leader on 6379 and upload to S3.
   * @default - no backup job
   */
  readonly backupPods?: Record<string, string>;
}

/** Default deny plus exactly what an OpsTree Redis cluster needs, in the cluster's namespace. */
export class RedisNetworkPolicies extends Construct {
  readonly policies: readonly (AllowPolicy | DefaultDenyPolicy)[];

  constructor(scope: Construct, id: string, props: RedisNetworkPoliciesProps) {
    super(scope, id);
    const namespace = props.cluster.namespace;
    const pods = props.cluster.podSelector;
    const n = (name: string) => `${props.namePrefix ?? ''}${name}`;
    const redisAndBus = [{ port: REDIS_PORTS.redis }, { port: REDIS_PORTS.bus }];
    this.policies = [
      new DefaultDenyPolicy(this, 'DefaultDeny', { namespace, name: n('default-deny-all') }),
      new AllowPolicy(this, 'Dns', { name: n('allow-dns-egress'), namespace, podLabels: {}, egress: [{ peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS }] }),
      new AllowPolicy(this, 'FromApp', {
        name: n('allow-redis-from-app'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: clientPeers(props), ports: [{ port: REDIS_PORTS.redis }] }],
      }),
      new AllowPolicy(this, 'FromOperator', {
        name: n('allow-redis-from-operator'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: [namespaceByName(props.operatorNamespace)], ports: [{ port: REDIS_PORTS.redis }] }],
      }),
      // Replication and the cluster bus (gossip, failover votes) between all leaders and followers.
      new AllowPolicy(this, 'ClusterBus', {
        name: n('allow-redis-cluster-bus'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: [{ podLabels: pods }], ports: redisAndBus }],
        egress: [{ peers: [{ podLabels: pods }], ports: redisAndBus }],
      }),
      new AllowPolicy(this, 'Scrape', {
        name: n('allow-prometheus-scrape-redis'),
        namespace,
        podLabels: pods,
        ingress: [{ peers: [props.prometheus], ports: [{ port: REDIS_PORTS.exporter }] }],
      }),
      ...(props.backupPods ? [
        new AllowPolicy(this, 'FromBackup', {
          name: n('allow-redis-from-backup'),
          namespace,
          podLabels: pods,
          ingress: [{ peers: [{ podLabels: props.backupPods }], ports: [{ port: REDIS_PORTS.redis }] }],
        }),
        new AllowPolicy(this, 'Backup', {
          name: n('allow-redis-backup-egress'),
          namespace,
          podLabels: props.backupPods,
          egress: [{ peers: [{ podLabels: pods }], ports: [{ port: REDIS_PORTS.redis }] }, { peers: ANYWHERE, ports: S3_PORTS }],
        }),
      ] : []),
    ];
  }
}
