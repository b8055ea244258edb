/**
 * The data tier (design document "Database Architecture"): the CloudNativePG cluster with its Barman Cloud
 * object store and daily base backup in the database namespace, the Redis cluster with its snapshot backup
 * CronJob in the cache namespace, and the NetworkPolicies of both namespaces.
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
import { BACKUP_CREDS_KEYS } from '../constructs/secret-names';
import { SnapshotBackup } from '../constructs/snapshot-backup';
import { REDIS_PORTS, redisRoleName } from '../model/operators/redis-operator';
import { PROMETHEUS_POD_LABELS } from './apps-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** A pinned image reference from its settings. */
export function imageRef(i: ImageSettings): string {
  return `${i.registry}/${i.repository}:${i.tag}`;
}

/**
 * The app components that connect to Postgres and Redis (the apps chart gives them DATABASE_URL and
 * REDIS_PASSWORD); finbot-web does not, so it is not admitted. test/charts/data-chart.test.ts checks this list
 * against the rendered apps.
 */
export const DATA_CLIENT_APPS = ['finbot-api', 'finbot-worker'] as const;

/** The data clients (by pod name label, in the app namespace) and Prometheus, as the data namespaces' policies see them. */
export function dataPolicyPeers(namespaces: EnvironmentNamespaces): { clients: PolicyPeer[]; prometheus: PolicyPeer } {
  return {
    clients: DATA_CLIENT_APPS.map((name) => ({ namespaceLabels: namespaces.app.selectorLabels, podLabels: { 'app.kubernetes.io/name': name } })),
    prometheus: { namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: { ...PROMETHEUS_POD_LABELS } },
  };
}

/** Name of the Redis snapshot CronJob (the staleness alert and its S3 credentials use it). */
export function redisBackupName(settings: Settings): string {
  return `${settings.data.redis.name}-backup`;
}

/** The Secret with the S3 keys of the Redis snapshot job (secrets chart fills it from Vault). */
export const REDIS_BACKUP_CREDS_SECRET = 'redis-backup-creds';

/** Props of {@link DataChart}. */
export interface DataChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
}

/** Postgres, its backups, Redis, and the data namespaces' NetworkPolicies. */
export class DataChart extends Chart {
  readonly backupStore: BarmanObjectStore;
  /** The DR peer's archive (read only), when the environment is half of a disaster-recovery pair. */
  readonly peerStore?: BarmanObjectStore;
  readonly postgres: PostgresCluster;
  readonly scheduledBackup: PostgresScheduledBackup;
  readonly redis: RedisCluster;
  /** Daily RDB snapshots of every Redis leader to the environment's bucket. */
  readonly redisBackup: SnapshotBackup;
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
    const rep = pg.replication;
    if (rep) {
      this.peerStore = new BarmanObjectStore(this, 'PeerStore', {
        name: `${rep.peer.name}-peer`,
        namespace: namespaces.database.name,
        environment,
        destinationPath: rep.peer.destinationPath,
        // No retention: this side only reads the peer's archive; the peer prunes it.
        walCompression: pg.backup.walCompression,
        dataCompression: pg.backup.dataCompression,
        region: rep.peer.region,
      });
    }
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
      ...(rep && this.peerStore ? {
        topology: {
          peerName: rep.peer.name,
          peerStore: this.peerStore,
          primary: rep.primary,
          bootstrapFromPeer: rep.bootstrap === 'peer',
          fenced: rep.fenced,
          ...(rep.promotionToken ? { promotionToken: rep.promotionToken } : {}),
        },
      } : {}),
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
      configInInitContainer: r.configInInitContainer,
      operatorImage: imageRef(r.operatorImage),
    });
    this.redisBackup = this.addRedisBackup(settings, namespaces);

    this.endpoints = { postgres: this.postgres.readWrite, redis: this.redis.endpoint };

    const peers = dataPolicyPeers(namespaces);
    this.databasePolicies = new PostgresNetworkPolicies(this, 'DatabasePolicies', { ...peers, cluster: this.postgres, operatorNamespace: data.operatorNamespaces.cnpg });
    this.cachePolicies = new RedisNetworkPolicies(this, 'CachePolicies', {
      ...peers, cluster: this.redis, operatorNamespace: data.operatorNamespaces.redis, backupPods: this.redisBackup.podLabels,
    });
  }

  /**
   * RDB snapshot of every master: `redis-cli --rdb` against each node `CLUSTER NODES` lists as master, plus
   * the CLUSTER NODES output (which node holds which slots) for the restore (docs/data.md).
   */
  private addRedisBackup(settings: Settings, namespaces: EnvironmentNamespaces): SnapshotBackup {
    const b = settings.data.backups;
    const seed = `${redisRoleName(this.redis.name, 'leader')}.${namespaces.cache.name}.svc.cluster.local`;
    const script = [
      `redis-cli -h "$SEED" -p ${REDIS_PORTS.redis} --no-auth-warning cluster nodes > /backup/cluster-nodes.txt`,
      'masters="$(awk \'$3 ~ /master/ && $3 !~ /fail/ { split($2, a, ":"); print $1 "=" a[1] }\' /backup/cluster-nodes.txt)"',
      '[ -n "$masters" ] || { echo "no master found in CLUSTER NODES" >&2; exit 1; }',
      'for m in $masters; do',
      `  redis-cli -h "\${m#*=}" -p ${REDIS_PORTS.redis} --no-auth-warning --rdb "/backup/\${m%%=*}.rdb"`,
      'done',
      'ls -l /backup',
    ].join('\n');
    return new SnapshotBackup(this, 'RedisBackup', {
      name: redisBackupName(settings),
      namespace: namespaces.cache.name,
      environment: settings.name,
      component: 'cache-backup',
      schedule: b.redis.schedule,
      snapshot: {
        image: imageRef(settings.data.redis.image),
        script,
        env: { SEED: seed },
        // redis-cli reads the password from REDISCLI_AUTH (never on the command line).
        secretEnv: [{ name: 'REDISCLI_AUTH', secretName: this.redis.passwordSecret.name, key: this.redis.passwordSecret.key }],
      },
      uploaderImage: imageRef(b.uploaderImage),
      bucket: b.bucket,
      prefix: 'redis',
      kmsKeyId: b.kmsKeyId,
      region: settings.platform.region,
      credentials: { secretName: REDIS_BACKUP_CREDS_SECRET, accessKeyIdKey: BACKUP_CREDS_KEYS.accessKeyId, secretAccessKeyKey: BACKUP_CREDS_KEYS.secretAccessKey },
    });
  }
}
