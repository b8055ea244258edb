/**
 * A snapshot backup as a CronJob under the restricted Pod Security Standard: an init container takes the
 * snapshot with the data store's own tool into an emptyDir, then the AWS CLI uploads it to S3 with SSE-KMS.
 * S3 keys come from a Secret (filled by External Secrets); the pods get no Kubernetes API token (an optional
 * projected token with a non-API audience, e.g. for Vault's Kubernetes auth, is the only identity mounted).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 * @see https://docs.aws.amazon.com/cli/latest/reference/s3/cp.html
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { KubeServiceAccount } from './kube-objects';
import { labels, selectorLabels } from './labels';
import { restrictedPodSecurityContext } from './security-context';

/** CPU and memory of one container. */
export interface BackupResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** The container that takes the snapshot. */
export interface SnapshotStep {
  /** Image with the data store's own client (pinned). */
  readonly image: string;
  /** Shell script; writes the snapshot files into /backup. Runs with `sh -ec`. */
  readonly script: string;
  /** Environment: plain values. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment from Secret keys. @default none */
  readonly secretEnv?: ReadonlyArray<{ readonly name: string; readonly secretName: string; readonly key: string }>;
  /** Extra read-only mounts of Secret keys (e.g. a CA certificate). @default none */
  readonly secretFiles?: ReadonlyArray<{ readonly secretName: string; readonly key: string; readonly mountPath: string }>;
  /** uid the image's client runs as. @default 1000 */
  readonly runAsUser?: number;
}

/** Props of {@link SnapshotBackup}. */
export interface SnapshotBackupProps {
  /** CronJob, ServiceAccount and pod name prefix. */
  readonly name: string;
  readonly namespace: string;
  readonly environment: string;
  /** Component label, e.g. `cache-backup`. */
  readonly component: string;
  /** Five-field cron schedule (UTC). */
  readonly schedule: string;
  readonly snapshot: SnapshotStep;
  /** AWS CLI image (pinned). */
  readonly uploaderImage: string;
  /** Bucket and prefix the snapshot is uploaded below: s3://<bucket>/<prefix>/<UTC timestamp>/. */
  readonly bucket: string;
  readonly prefix: string;
  /** KMS key of the server-side encryption. */
  readonly kmsKeyId: string;
  readonly region: string;
  /** Secret with ACCESS_KEY_ID / SECRET_ACCESS_KEY allowed to write the prefix only. */
  readonly credentials: { readonly secretName: string; readonly accessKeyIdKey: string; readonly secretAccessKeyKey: string };
  /**
   * Mount a projected ServiceAccount token with this audience at /var/run/secrets/tokens/token (never the
   * API server's audience: the pod gets no Kubernetes API access).
   * @default - no token at all
   */
  readonly tokenAudience?: string;
  /** @default 100m/128Mi requests, 500m/256Mi limits */
  readonly resources?: BackupResources;
}

const DEFAULT_RESOURCES: BackupResources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
const PINNED = /:[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Where projected tokens are mounted. */
export const BACKUP_TOKEN_PATH = '/var/run/secrets/tokens/token';

/** CronJob + ServiceAccount (no token automount) of one snapshot backup. */
export class SnapshotBackup extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the backup pods, for NetworkPolicies. */
  readonly podLabels: Record<string, string>;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly cronJob: k8s.KubeCronJob;

  constructor(scope: Construct, id: string, props: SnapshotBackupProps) {
    super(scope, id);
    validate(props);
    this.name = props.name;
    this.namespace = props.namespace;
    const labelProps = { name: props.name, component: props.component, environment: props.environment, finbotApp: false };
    this.podLabels = selectorLabels(labelProps);
    const objectLabels = labels(labelProps);
    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, namespace: props.namespace, labels: objectLabels },
      automountServiceAccountToken: false,
    });
    this.cronJob = new k8s.KubeCronJob(this, 'CronJob', {
      metadata: { name: props.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        schedule: props.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: objectLabels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3600,
            ttlSecondsAfterFinished: 7 * 86400,
            template: { metadata: { labels: { ...objectLabels, ...this.podLabels } }, spec: this.podSpec(props) },
          },
        },
      },
    });
  }

  private podSpec(props: SnapshotBackupProps): k8s.PodSpec {
    const res = props.resources ?? DEFAULT_RESOURCES;
    const resources = {
      requests: { cpu: k8s.Quantity.fromString(res.requests.cpu), memory: k8s.Quantity.fromString(res.requests.memory) },
      limits: { cpu: k8s.Quantity.fromString(res.limits.cpu), memory: k8s.Quantity.fromString(res.limits.memory) },
    };
    const security = (uid: number): k8s.SecurityContext => ({
      runAsNonRoot: true,
      runAsUser: uid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const s = props.snapshot;
    const env = (plain: Readonly<Record<string, string>>, fromSecret: SnapshotStep['secretEnv']): k8s.EnvVar[] => [
      ...Object.entries(plain).map(([name, value]) => ({ name, value })),
      ...(fromSecret ?? []).map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } })),
    ];
    const secretVolumes = (s.secretFiles ?? []).map((f, i) => ({ name: `secret-${i}`, secret: { secretName: f.secretName, items: [{ key: f.key, path: f.key }] } }));
    const upload = [
      'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
      'aws s3 cp /backup "s3://${BUCKET}/${PREFIX}/${stamp}/" --recursive --only-show-errors --sse aws:kms --sse-kms-key-id "${KMS_KEY_ID}"',
      'echo "uploaded to s3://${BUCKET}/${PREFIX}/${stamp}/"',
    ].join('\n');
    return {
      serviceAccountName: props.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: restrictedPodSecurityContext(1000),
      initContainers: [{
        name: 'snapshot',
        image: s.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/sh', '-ec', s.script],
        env: env({ HOME: '/tmp', ...(s.env ?? {}) }, s.secretEnv),
        resources,
        securityContext: security(s.runAsUser ?? 1000),
        volumeMounts: [
          { name: 'backup', mountPath: '/backup' },
          { name: 'tmp', mountPath: '/tmp' },
          ...(s.secretFiles ?? []).map((f, i) => ({ name: `secret-${i}`, mountPath: f.mountPath, readOnly: true })),
          ...(props.tokenAudience !== undefined ? [{ name: 'token', mountPath: BACKUP_TOKEN_PATH.replace(/\/token$/, ''), readOnly: true }] : []),
        ],
      }],
      containers: [{
        name: 'upload',
        image: props.uploaderImage,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/sh', '-ec', upload],
        env: env(
          { HOME: '/tmp', BUCKET: props.bucket, PREFIX: props.prefix, KMS_KEY_ID: props.kmsKeyId, AWS_DEFAULT_REGION: props.region },
          [
            { name: 'AWS_ACCESS_KEY_ID', secretName: props.credentials.secretName, key: props.credentials.accessKeyIdKey },
            { name: 'AWS_SECRET_ACCESS_KEY', secretName: props.credentials.secretName, key: props.credentials.secretAccessKeyKey },
          ],
        ),
        resources,
        securityContext: security(1000),
        volumeMounts: [{ name: 'backup', mountPath: '/backup', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [
        { name: 'backup', emptyDir: { sizeLimit: k8s.Quantity.fromString('20Gi') } },
        { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
        ...secretVolumes,
        ...(props.tokenAudience !== undefined
          ? [{ name: 'token', projected: { sources: [{ serviceAccountToken: { audience: props.tokenAudience, expirationSeconds: 600, path: 'token' } }] } }]
          : []),
      ],
    };
  }
}

function validate(props: SnapshotBackupProps): void {
  const where = `SnapshotBackup ${props.name}`;
  if (!/^\S+( \S+){4}$/.test(props.schedule)) throw new Error(`${where}: schedule "${props.schedule}" is not a five-field cron expression such as "30 2 * * *"`);
  for (const [prop, image] of [['snapshot.image', props.snapshot.image], ['uploaderImage', props.uploaderImage]] as const) {
    if (!PINNED.test(image) || /:latest$/.test(image)) throw new Error(`${where}: ${prop} "${image}" has no pinned tag`);
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucket)) throw new Error(`${where}: bucket "${props.bucket}" is not an S3 bucket name`);
  if (props.prefix.startsWith('/') || props.prefix.endsWith('/') || props.prefix === '') throw new Error(`${where}: prefix "${props.prefix}" must be a path without leading or trailing "/", e.g. redis`);
  if (props.tokenAudience !== undefined && /kubernetes\.default|^https:\/\/kubernetes/.test(props.tokenAudience)) {
    throw new Error(`${where}: tokenAudience "${props.tokenAudience}" is the API server's; a backup pod gets no Kubernetes API access`);
  }
}
