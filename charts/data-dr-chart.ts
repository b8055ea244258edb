/**
 * The disaster-recovery replica of the Postgres cluster, for the cluster in the second region (design
 * document "Disaster Recovery": cross-region database replication, RTO 4 h, RPO 1 h). It replays the
 * primary's WAL from the primary's object store (replica mode) and, once promoted, archives to its own.
 *
 * Written to dist/<env>/data-dr.yaml only when `data.postgres.disasterRecovery.enabled`; that file is
 * applied to the DR region's Kubernetes cluster, never to the primary's. See docs/data.md.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { BarmanObjectStore } from '../constructs/barman-object-store';
import { PostgresNetworkPolicies } from '../constructs/data-network-policies';
import { PostgresCluster } from '../constructs/postgres-cluster';
import { dataPolicyPeers, imageRef, type DataChart } from './data-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** Props of {@link DataDrChart}. */
export interface DataDrChartProps {
  readonly settings: Settings;
  /** The primary side: the replica follows its cluster and reads its object store's path. */
  readonly primary: DataChart;
  /** The environment's namespaces (the DR region's cluster is bootstrapped with the same platform chart). */
  readonly namespaces: EnvironmentNamespaces;
}

/** The replica cluster and its two object stores (origin, read; own, written after promotion). */
export class DataDrChart extends Chart {
  readonly originStore: BarmanObjectStore;
  readonly backupStore: BarmanObjectStore;
  readonly replica: PostgresCluster;
  readonly policies: PostgresNetworkPolicies;

  constructor(scope: Construct, id: string, props: DataDrChartProps) {
    super(scope, id);
    const { settings, primary } = props;
    const pg = settings.data.postgres;
    const dr = pg.disasterRecovery;
    const environment = settings.name;
    // Same namespace name as the primary's; the DR cluster is bootstrapped with the same platform chart.
    const namespace = primary.postgres.namespace;

    this.originStore = new BarmanObjectStore(this, 'OriginStore', {
      name: `${primary.postgres.name}-origin`,
      namespace,
      environment,
      destinationPath: primary.backupStore.destinationPath,
      // No retention: this side only reads the primary's archive; the primary prunes it.
      region: settings.platform.region,
    });
    this.backupStore = new BarmanObjectStore(this, 'BackupStore', {
      name: `${dr.name}-backup`,
      namespace,
      environment,
      destinationPath: dr.destinationPath,
      retentionPolicy: pg.backup.retentionPolicy,
      walCompression: pg.backup.walCompression,
      dataCompression: pg.backup.dataCompression,
      region: dr.region,
    });
    this.replica = new PostgresCluster(this, 'Replica', {
      name: dr.name,
      namespace,
      environment,
      imageName: imageRef(pg.image),
      instances: dr.instances,
      primaryUpdateStrategy: pg.primaryUpdateStrategy,
      storageSize: pg.storageSize,
      storageClass: settings.data.storageClass,
      resources: pg.resources,
      parameters: pg.parameters,
      archiveTimeoutMinutes: pg.backup.archiveTimeoutMinutes,
      antiAffinity: pg.antiAffinity,
      backupStore: this.backupStore,
      replicaOf: { clusterName: primary.postgres.name, originStore: this.originStore, promoted: dr.promote },
    });
    // The database namespace of the DR cluster gets the same policies; prefixed, as names must be unique
    // across this environment's output.
    this.policies = new PostgresNetworkPolicies(this, 'Policies', {
      ...dataPolicyPeers(props.namespaces),
      cluster: this.replica,
      operatorNamespace: settings.data.operatorNamespaces.cnpg,
      namePrefix: `${dr.name}-`,
    });
  }
}
