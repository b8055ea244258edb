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
import { PostgresNetworkPolicies, RedisNetworkPolicies } from '../constructs/data-network-policies';
import type { PolicyPeer } from '../constructs/network-policy';
import { PostgresCluster } from '../constructs/postgres-cluster';
import { PostgresScheduledBackup } from '../constructs/postgres-scheduled-backup';
import { RedisCluster } from '../constructs/redis-cluster';
import { PROMETHEUS_POD_LABELS } from './apps-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** A pinned image reference from its settings. */
export function imageRef(i: ImageSettings): string {
  return `${i.registry}/${i.repository}:${i.tag}`;
}

/** The app namespace (clients) and Prometheus (scrapes) as the data namespaces' policies see them. */
export function dataPolicyPeers(namespaces: EnvironmentNamespaces): { appNamespaceLabels: Record<string, string>; prometheus: PolicyPeer } {
  return {
    appNamespaceLabels: namespaces.app.selectorLabels,
    prometheus: { namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: { ...PROMETHEUS_POD_LABELS } },
  };
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
  readonly databasePolicies: PostgresNetworkPolicies;
  readonly cachePolicies: RedisNetworkPolicies;

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

    const peers = dataPolicyPeers(namespaces);
    this.databasePolicies = new PostgresNetworkPolicies(this, 'DatabasePolicies', { ...peers, cluster: this.postgres, operatorNamespace: data.operatorNamespaces.cnpg });
    this.cachePolicies = new RedisNetworkPolicies(this, 'CachePolicies', { ...peers, cluster: this.redis, operatorNamespace: data.operatorNamespaces.redis });
  }
}
