/**
 * data.yaml: the data tier — the CloudNativePG Postgres cluster (backups through the Barman Cloud plugin,
 * optional replica cluster in a second region) and the OpsTree Redis cluster.
 *
 * The shared field rules come from `../fields` (schema.ts imports this file; no cycle).
 */
import { z } from 'zod';
import { awsRegion, cnpgSchedule, dns1035Label, dnsLabel, dnsSubdomain, imageRepository, imageTag, int32, memoryQuantity, registryHost, resourcesSchema } from '../fields';

const name = dnsLabel();
const quantity = memoryQuantity;
const image = z.strictObject({ registry: registryHost, repository: imageRepository, tag: imageTag });
const resources = resourcesSchema;

/**
 * A CloudNativePG Cluster name: a DNS-1035 label of at most 50 characters (the webhook's validateName, so that
 * the names it derives, `<name>-rw`, `<name>-replication`, `<name>-superuser`, fit).
 * @see cloudnative-pg v1.30.0 internal/webhook/v1/cluster_webhook.go (validateName)
 */
const cnpgClusterName = dns1035Label(50, 'CloudNativePG refuses longer cluster names');

/**
 * A RedisCluster name: the operator names objects `<name>-follower-additional` (Services) and the StatefulSet
 * `<name>-follower`, whose pods carry `controller-revision-hash: <name>-follower-<hash>` (a label value, 63 at
 * most): 20 characters are taken.
 * @see OT-CONTAINER-KIT/redis-operator v0.26.0 internal/k8sutils/redis-cluster.go (serviceName+"-additional", cr.Name+"-"+RedisServiceRole)
 */
const redisClusterName = dnsLabel('-follower-additional'.length, 'a DNS-1123 label (the operator derives <name>-follower-additional)');

const s3Path = z
  .string()
  .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9._-]+)*\/?$/, { message: 'must be an S3 URL such as s3://finbot-backups/postgres' });

/** Backups of the Postgres cluster through the Barman Cloud plugin (barmancloud.cnpg.io ObjectStore). */
export const postgresBackupSchema = z.strictObject({
  destinationPath: s3Path.describe('Object store path of base backups and WAL, e.g. s3://finbot-backups/postgres'),
  retentionPolicy: z
    .string()
    .regex(/^[1-9][0-9]*[dwm]$/, { message: 'must be a Barman retention policy such as 30d, 4w or 3m' })
    .describe('How long base backups and WAL are kept (Barman: <n>d|w|m)'),
  schedule: cnpgSchedule
    .describe('When the full (base) backup runs: six fields, seconds first'),
  rpoMinutes: int32(1).describe('Recovery point objective in minutes (design document: 1 h = 60)'),
  archiveTimeoutMinutes: int32(1, 60)
    .describe('PostgreSQL archive_timeout: the longest a WAL segment may stay open before it is switched and archived'),
  walCompression: z.enum(['gzip', 'bzip2', 'lz4', 'snappy', 'xz', 'zstd']).describe('Compression of archived WAL files'),
  dataCompression: z.enum(['gzip', 'bzip2', 'lz4', 'snappy']).describe('Compression of base backups'),
});

/**
 * The CloudNativePG distributed topology with the other environment of a disaster-recovery pair
 * (docs/disaster-recovery.md): both clusters list themselves and the peer in `externalClusters` (read from the
 * peer's object store, no streaming) and name the same `primary`; the one whose name is `primary` accepts writes,
 * the other replays the primary's WAL. Facts: model/operators/cloudnative-pg.ts (CNPG_DISTRIBUTED_TOPOLOGY).
 */
export const replicationSchema = z.strictObject({
  primary: cnpgClusterName.describe('The cluster of the topology that accepts writes (spec.replica.primary): this cluster\'s name or the peer\'s; changed only by npm run failover / failback'),
  bootstrap: z
    .enum(['initdb', 'peer'])
    .describe('How this cluster is created: initdb (the first primary) or recovery from the peer\'s archive (a replica, or a rebuilt former primary)'),
  fenced: z
    .boolean()
    .default(false)
    .describe('Fence every instance (cnpg.io/fencedInstances ["*"]): Postgres stops; set by failover when this region is unreachable'),
  promotionToken: z
    .string()
    .regex(/^[A-Za-z0-9+/=]+$/, { message: 'must be the base64 .status.demotionToken of the former primary' })
    .optional()
    .describe('Controlled switchover: the former primary\'s .status.demotionToken (spec.replica.promotionToken); only on the primary'),
  peer: z.strictObject({
    environment: name.describe('The other environment of the pair (a folder under config/environments)'),
    name: cnpgClusterName.describe('The peer\'s Cluster name (its serverName in its object store)'),
    destinationPath: s3Path.describe('The peer\'s archive (its backup.destinationPath): read here, never written'),
    region: awsRegion.describe('Region of the peer\'s bucket'),
  }),
});
export type ReplicationSettings = z.infer<typeof replicationSchema>;

/** postgresql.cnpg.io/v1 Cluster settings. */
export const postgresSchema = z.strictObject({
  name: cnpgClusterName.describe('Cluster name; the read-write Service is <name>-rw'),
  image: image.describe('PostgreSQL operand image (ghcr.io/cloudnative-pg/postgresql), pinned'),
  instances: int32(1, 9).describe('PostgreSQL instances: one primary, the rest streaming standbys'),
  primaryUpdateStrategy: z.enum(['unsupervised', 'supervised']),
  storageSize: quantity.describe('PVC size of each instance'),
  resources,
  parameters: z
    .record(z.string().regex(/^[a-z_][a-z0-9_.]*$/, { message: 'must be a postgresql.conf parameter name such as max_connections' }), z.string())
    .describe('postgresql.conf parameters, as strings'),
  antiAffinity: z.enum(['required', 'preferred']).describe('Whether two instances may share a node'),
  database: z.strictObject({ name: name, owner: name }).describe('Database and owner created by initdb'),
  backup: postgresBackupSchema,
  /** Absent: a single-region environment (staging). */
  replication: replicationSchema.optional(),
});

/** redis.redis.opstreelabs.in/v1beta2 RedisCluster settings. */
export const redisSchema = z.strictObject({
  name: redisClusterName.describe('RedisCluster name; the leaders\' Service is <name>-leader'),
  image: image.describe('Redis image (quay.io/opstree/redis), pinned; its major version must match clusterVersion'),
  exporterImage: image.describe('redis_exporter sidecar image, pinned'),
  clusterVersion: z.enum(['v6', 'v7', 'v8']).describe('Major Redis version the operator configures for'),
  clusterSize: int32()
    .min(3, { message: 'a Redis cluster needs at least 3 leaders (clusterSize counts leaders in v1beta2; each gets one follower)' })
    .describe('Number of leaders (v1beta2); the operator adds as many followers, one per leader'),
  storageSize: quantity.describe('PVC size of each Redis pod (/data)'),
  resources,
  exporterResources: resources,
  configInInitContainer: z
    .boolean()
    .describe('redis.conf is generated by the operator\'s init-config container into an emptyDir (operator feature gate GenerateConfigInInitContainer), so Redis runs with a read-only root; false keeps the root writable for the image\'s entrypoint'),
  operatorImage: image.describe('The redis-operator image (quay.io/opstree/redis-operator), pinned; the operator\'s INIT_CONTAINER_IMAGE must be the same'),
});

/** A five-field Kubernetes CronJob schedule. */
const cronSchedule = z
  .string()
  .regex(/^\S+( \S+){4}$/, { message: 'must be a five-field cron expression such as "30 2 * * *" (Kubernetes CronJob, minutes first)' });

/** One snapshot backup CronJob and how old its last success may get before the alert fires. */
const snapshotBackupSchema = z.strictObject({
  schedule: cronSchedule.describe('When the snapshot CronJob runs (UTC, five fields)'),
  maxAgeHours: z.number().int().min(1).max(24 * 14).describe('Alert when the last successful run is older than this'),
});

/** Backups of the environment: one bucket of its own, server-side encrypted with a KMS key. */
export const backupsSchema = z.strictObject({
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name such as finbot-staging-backups' })
    .describe('The environment\'s own backup bucket (never shared with another environment): Postgres, Redis and Vault write below it'),
  kmsKeyId: z
    .string()
    .regex(/^(alias\/[A-Za-z0-9/_-]+|[0-9a-f-]{36}|arn:aws:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)\/.+)$/, { message: 'must be a KMS key alias (alias/finbot-backups), key id or key ARN' })
    .describe('KMS key of the SSE-KMS uploads of the Redis and Vault snapshots'),
  uploaderImage: image.describe('AWS CLI image (amazon/aws-cli), pinned: uploads the snapshots'),
  redis: snapshotBackupSchema.describe('Redis RDB snapshots of every leader to s3://<bucket>/redis/'),
  vault: snapshotBackupSchema.describe('Vault raft snapshots to s3://<bucket>/vault/'),
});

/** data.yaml as a whole. */
export const dataSchema = z
  .strictObject({
    storageClass: dnsSubdomain.describe('StorageClass of every data PVC (made by the cluster chart), e.g. fast-ssd'),
    backups: backupsSchema,
    operatorNamespaces: z.strictObject({
      cnpg: name.describe('Namespace of the CloudNativePG operator and the Barman Cloud plugin'),
      redis: name.describe('Namespace of the OpsTree redis-operator'),
    }),
    postgres: postgresSchema,
    redis: redisSchema,
  })
  .superRefine((data, ctx) => {
    const b = data.postgres.backup;
    if (b.archiveTimeoutMinutes >= b.rpoMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['postgres', 'backup', 'archiveTimeoutMinutes'],
        message: `archive timeout ${b.archiveTimeoutMinutes} min is not below the RPO of ${b.rpoMinutes} min: a quiet database would archive WAL less often than the RPO allows; lower archiveTimeoutMinutes (e.g. 5)`,
      });
    }
    if ('archive_timeout' in data.postgres.parameters) {
      ctx.addIssue({
        code: 'custom',
        path: ['postgres', 'parameters', 'archive_timeout'],
        message: 'archive_timeout is derived from backup.archiveTimeoutMinutes (it must stay below the RPO); remove it from parameters',
      });
    }
    const bucketOf = (path: string) => /^s3:\/\/([^/]+)/.exec(path)?.[1];
    if (bucketOf(b.destinationPath) !== data.backups.bucket) {
      ctx.addIssue({
        code: 'custom',
        path: ['postgres', 'backup', 'destinationPath'],
        message: `${b.destinationPath} is not in this environment's backup bucket ${data.backups.bucket}; use s3://${data.backups.bucket}/postgres (each environment writes only to its own bucket)`,
      });
    }
    const rep = data.postgres.replication;
    if (rep) {
      const at = (...f: string[]) => ['postgres', 'replication', ...f];
      if (rep.peer.name === data.postgres.name) {
        ctx.addIssue({ code: 'custom', path: at('peer', 'name'), message: `the peer cluster needs a name of its own (got "${rep.peer.name}", this cluster's name): CNPG tells the two apart by name` });
      }
      if (![data.postgres.name, rep.peer.name].includes(rep.primary)) {
        ctx.addIssue({ code: 'custom', path: at('primary'), message: `"${rep.primary}" is neither this cluster (${data.postgres.name}) nor the peer (${rep.peer.name}); the primary must be one of the two` });
      }
      if (rep.peer.destinationPath.replace(/\/$/, '') === b.destinationPath.replace(/\/$/, '')) {
        ctx.addIssue({ code: 'custom', path: at('peer', 'destinationPath'), message: `the peer must archive to its own path, not to this cluster's ${b.destinationPath}: two clusters writing one archive corrupt it` });
      } else if (bucketOf(rep.peer.destinationPath) === data.backups.bucket) {
        ctx.addIssue({ code: 'custom', path: at('peer', 'destinationPath'), message: `the peer's archive must be in the peer region's bucket, not in this environment's ${data.backups.bucket}` });
      }
      const isPrimary = rep.primary === data.postgres.name;
      if (rep.promotionToken !== undefined && !isPrimary) {
        ctx.addIssue({ code: 'custom', path: at('promotionToken'), message: 'a promotion token is only allowed on the primary (CNPG rejects it on a replica); remove it or make this cluster the primary' });
      }
      if (rep.fenced && isPrimary) {
        ctx.addIssue({ code: 'custom', path: at('fenced'), message: 'the primary cannot be fenced (it would accept no writes anywhere); fence only a demoted cluster' });
      }
    }
    const redisMajor = /^v?([0-9]+)\./.exec(data.redis.image.tag)?.[1];
    if (redisMajor !== undefined && `v${redisMajor}` !== data.redis.clusterVersion) {
      ctx.addIssue({
        code: 'custom',
        path: ['redis', 'clusterVersion'],
        message: `clusterVersion ${data.redis.clusterVersion} does not match the image tag ${data.redis.image.tag} (major v${redisMajor}); set clusterVersion: v${redisMajor} or change the image`,
      });
    }
  });

/** Validated data.yaml. */
export type DataSettings = z.infer<typeof dataSchema>;
