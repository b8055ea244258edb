/**
 * The data tier (design document "Database Architecture"): the CloudNativePG cluster with its Barman Cloud
 * object store and daily base backup in the database namespace, the Redis cluster in the cache namespace,
 * and the NetworkPolicies of both namespaces.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ImageSettings, Settings } from '../config/schema';
import { BarmanObjectStore } from '../constructs/barman-object-store';
import type { DataEndpoints } from '../constructs/data-endpoints';
import { AllowPolicy, CLUSTER_DNS_PEER, DefaultDenyPolicy, DNS_PORTS, type PolicyPeer, type PolicyPort } from '../constructs/network-policy';
import { POSTGRES_PORTS, PostgresCluster } from '../constructs/postgres-cluster';
import { PostgresScheduledBackup } from '../constructs/postgres-scheduled-backup';
import { REDIS_PORTS, RedisCluster } from '../constructs/redis-cluster';
import { PROMETHEUS_POD_LABELS } from './apps-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** Ports of the Kubernetes API: 443 (Service / managed endpoints) and 6443 (apiserver on the nodes). */
export const KUBE_API_PORTS: readonly PolicyPort[] = [{ port: 443 }, { port: 6443 }];
/** S3 (HTTPS). */
export const S3_PORTS: readonly PolicyPort[] = [{ port: 443 }];
/**
 * Any destination. The API server and S3 have no pod or namespace labels; NetworkPolicy can only name them
 * by IP block, which is cluster-specific, so these rules are limited by port instead.
 */
export const ANYWHERE: readonly PolicyPeer[] = [];

/** A pinned image reference from its settings. */
export function imageRef(i: ImageSettings): string {
  return `${i.registry}/${i.repository}:${i.tag}`;
}

/** Ports without repeats (S3 and the API share 443). */
function uniquePorts(ports: readonly PolicyPort[]): PolicyPort[] {
  return ports.filter((p, i) => ports.findIndex((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP')) === i);
}

/** Pods of a namespace given by name (operators' namespaces are not ours to label). */
function namespaceByName(name: string): PolicyPeer {
  return { namespaceLabels: { 'kubernetes.io/metadata.name': name } };
}

/** Props of {@link DataChart}. */
export interface DataChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
}

/** Postgres, its backups, Redis, and the data namespaces' NetworkPolicies. */
export class DataChart extends Chart {
  readonly backupStore: BarmanObjectStore;
  readonly postgres: PostgresCluster;
  readonly scheduledBackup: PostgresScheduledBackup;
  readonly redis: RedisCluster;
  /** What the app tier connects to. */
  readonly endpoints: DataEndpoints;

  constructor(scope: Construct, id: string, props: DataChartProps) {
    super(scope, id);
    const { settings, namespaces } = props;
    const environment = settings.name;
    const data = settings.data;
    const pg = data.postgres;

    this.backupStore = new BarmanObjectStore(this, 'BackupStore', {
      name: `${pg.name}-backup`,
      namespace: namespaces.database.name,
      environment,
      destinationPath: pg.backup.destinationPath,
      retentionPolicy: pg.backup.retentionPolicy,
      walCompression: pg.backup.walCompression,
      dataCompression: pg.backup.dataCompression,
      region: settings.platform.region,
    });
    this.postgres = new PostgresCluster(this, 'Postgres', {
      name: pg.name,
      namespace: namespaces.database.name,
      environment,
      imageName: imageRef(pg.image),
      instances: pg.instances,
      primaryUpdateStrategy: pg.primaryUpdateStrategy,
      storageSize: pg.storageSize,
      storageClass: data.storageClass,
      resources: pg.resources,
      parameters: pg.parameters,
      archiveTimeoutMinutes: pg.backup.archiveTimeoutMinutes,
      antiAffinity: pg.antiAffinity,
      database: pg.database,
      backupStore: this.backupStore,
    });
    this.scheduledBackup = new PostgresScheduledBackup(this, 'DailyBackup', {
      cluster: this.postgres,
      environment,
      schedule: pg.backup.schedule,
    });

    const r = data.redis;
    this.redis = new RedisCluster(this, 'Redis', {
      name: r.name,
      namespace: namespaces.cache.name,
      environment,
      clusterSize: r.clusterSize,
      clusterVersion: r.clusterVersion,
      image: imageRef(r.image),
      exporterImage: imageRef(r.exporterImage),
      storageSize: r.storageSize,
      storageClass: data.storageClass,
      resources: r.resources,
      exporterResources: r.exporterResources,
      readOnlyRootFilesystem: r.readOnlyRootFilesystem,
    });

    this.endpoints = { postgres: this.postgres.readWrite, redis: this.redis.endpoint };

    this.databasePolicies(namespaces, data.operatorNamespaces.cnpg);
    this.cachePolicies(namespaces, data.operatorNamespaces.redis);
  }

  private databasePolicies(namespaces: EnvironmentNamespaces, operatorNamespace: string): void {
    const namespace = namespaces.database.name;
    const pods = this.postgres.podSelector;
    const prometheus: PolicyPeer = { namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: { ...PROMETHEUS_POD_LABELS } };
    new DefaultDenyPolicy(this, 'DatabaseDefaultDeny', { namespace });
    new AllowPolicy(this, 'DatabaseDns', { name: 'allow-dns-egress', namespace, podLabels: {}, egress: [{ peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS }] });
    new AllowPolicy(this, 'PostgresFromApp', {
      name: 'allow-postgres-from-app',
      namespace,
      podLabels: pods,
      ingress: [{ peers: [{ namespaceLabels: namespaces.app.selectorLabels }], ports: [{ port: POSTGRES_PORTS.postgres }] }],
    });
    new AllowPolicy(this, 'PostgresFromOperator', {
      name: 'allow-postgres-from-cnpg-operator',
      namespace,
      podLabels: pods,
      ingress: [{ peers: [namespaceByName(operatorNamespace)], ports: [{ port: POSTGRES_PORTS.status }, { port: POSTGRES_PORTS.postgres }] }],
    });
    new AllowPolicy(this, 'PostgresReplication', {
      name: 'allow-postgres-replication',
      namespace,
      podLabels: pods,
      // Streaming replication and pg_basebackup of joining instances; status port for the instance managers.
      ingress: [{ peers: [{ podLabels: pods }], ports: [{ port: POSTGRES_PORTS.postgres }, { port: POSTGRES_PORTS.status }] }],
      egress: [{ peers: [{ podLabels: pods }], ports: [{ port: POSTGRES_PORTS.postgres }, { port: POSTGRES_PORTS.status }] }],
    });
    new AllowPolicy(this, 'PostgresScrape', {
      name: 'allow-prometheus-scrape-postgres',
      namespace,
      podLabels: pods,
      ingress: [{ peers: [prometheus], ports: [{ port: POSTGRES_PORTS.metrics }] }],
    });
    new AllowPolicy(this, 'PostgresToApiAndS3', {
      name: 'allow-postgres-to-kube-api-and-s3',
      namespace,
      podLabels: pods,
      // Instance managers watch their Cluster through the API; the Barman sidecar uploads WAL/backups to S3.
      egress: [{ peers: ANYWHERE, ports: uniquePorts([...KUBE_API_PORTS, ...S3_PORTS]) }],
    });
  }

  private cachePolicies(namespaces: EnvironmentNamespaces, operatorNamespace: string): void {
    const namespace = namespaces.cache.name;
    const pods = this.redis.podSelector;
    const prometheus: PolicyPeer = { namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: { ...PROMETHEUS_POD_LABELS } };
    new DefaultDenyPolicy(this, 'CacheDefaultDeny', { namespace });
    new AllowPolicy(this, 'CacheDns', { name: 'allow-dns-egress', namespace, podLabels: {}, egress: [{ peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS }] });
    new AllowPolicy(this, 'RedisFromApp', {
      name: 'allow-redis-from-app',
      namespace,
      podLabels: pods,
      ingress: [{ peers: [{ namespaceLabels: namespaces.app.selectorLabels }], ports: [{ port: REDIS_PORTS.redis }] }],
    });
    new AllowPolicy(this, 'RedisFromOperator', {
      name: 'allow-redis-from-operator',
      namespace,
      podLabels: pods,
      ingress: [{ peers: [namespaceByName(operatorNamespace)], ports: [{ port: REDIS_PORTS.redis }] }],
    });
    new AllowPolicy(this, 'RedisReplication', {
      name: 'allow-redis-cluster-bus',
      namespace,
      podLabels: pods,
      ingress: [{ peers: [{ podLabels: pods }], ports: [{ port: REDIS_PORTS.redis }, { port: REDIS_PORTS.bus }] }],
      egress: [{ peers: [{ podLabels: pods }], ports: [{ port: REDIS_PORTS.redis }, { port: REDIS_PORTS.bus }] }],
    });
    new AllowPolicy(this, 'RedisScrape', {
      name: 'allow-prometheus-scrape-redis',
      namespace,
      podLabels: pods,
      ingress: [{ peers: [prometheus], ports: [{ port: REDIS_PORTS.exporter }] }],
    });
  }
}
