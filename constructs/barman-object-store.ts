/**
 * A Barman Cloud plugin ObjectStore (barmancloud.cnpg.io/v1): where a CloudNativePG cluster archives WAL
 * and base backups, replacing the Cluster's deprecated in-tree `.spec.backup.barmanObjectStore`.
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/migration/
 */
import { Construct } from 'constructs';
import {
  ObjectStoreSpecConfigurationDataCompression,
  ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits as SidecarLimits,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests as SidecarRequests,
} from '../imports/barmancloud.cnpg.io';
import { ObjectStore } from './kube-objects';
import { labels } from './labels';
import { BACKUP_CREDS_KEYS, BACKUP_CREDS_SECRET } from './secret-names';

export { BARMAN_CLOUD_PLUGIN } from '../model/operators/barman-cloud';

/** S3 credentials as references to a Secret's keys. */
export interface S3CredentialsRef {
  readonly secretName: string;
  readonly accessKeyIdKey: string;
  readonly secretAccessKeyKey: string;
}

/** Props of {@link BarmanObjectStore}. */
export interface BarmanObjectStoreProps {
  /** Object name, referenced by the Cluster's plugin parameter `barmanObjectName`. */
  readonly name: string;
  readonly namespace: string;
  /** Environment (label `app.kubernetes.io/instance`). */
  readonly environment: string;
  /** `s3://bucket/path` of WAL and base backups. */
  readonly destinationPath: string;
  /**
   * How long backups and WAL are kept (`<n>d|w|m`). Leave unset on a store that is only read (the origin
   * of a replica cluster): retention is applied by the cluster that writes.
   * @default - no retention policy (keep everything)
   */
  readonly retentionPolicy?: string;
  /**
   * The Secret holding S3 keys (External Secrets fills it from Vault).
   * @default backup-creds with ACCESS_KEY_ID / SECRET_ACCESS_KEY (constructs/secret-names.ts)
   */
  readonly credentials?: S3CredentialsRef;
  /** @default 'gzip' */
  readonly walCompression?: `${ObjectStoreSpecConfigurationWalCompression}`;
  /** @default 'gzip' */
  readonly dataCompression?: `${ObjectStoreSpecConfigurationDataCompression}`;
  /**
   * Region of the bucket, given to the sidecar as AWS_DEFAULT_REGION.
   * @default - none (the bucket's region is discovered)
   */
  readonly region?: string;
}

/** An S3 object store for the Barman Cloud plugin. */
export class BarmanObjectStore extends Construct {
  /** Object name (the `barmanObjectName` plugin parameter). */
  readonly name: string;
  readonly namespace: string;
  readonly destinationPath: string;
  readonly resource: ObjectStore;

  constructor(scope: Construct, id: string, props: BarmanObjectStoreProps) {
    super(scope, id);
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9](\/.*)?$/.test(props.destinationPath)) {
      throw new Error(`BarmanObjectStore ${props.name}: destinationPath "${props.destinationPath}" is not an S3 URL; use s3://<bucket>/<path>, e.g. s3://finbot-backups/postgres`);
    }
    if (props.retentionPolicy !== undefined && !/^[1-9][0-9]*[dwm]$/.test(props.retentionPolicy)) {
      throw new Error(`BarmanObjectStore ${props.name}: retentionPolicy "${props.retentionPolicy}" is not <n>d, <n>w or <n>m (e.g. 30d); fix the value or leave it unset to keep everything`);
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.destinationPath = props.destinationPath;
    const creds = props.credentials ?? {
      secretName: BACKUP_CREDS_SECRET,
      accessKeyIdKey: BACKUP_CREDS_KEYS.accessKeyId,
      secretAccessKeyKey: BACKUP_CREDS_KEYS.secretAccessKey,
    };
    this.resource = new ObjectStore(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: labels({ name: props.name, component: 'database-backup', environment: props.environment, finbotApp: false }),
      },
      spec: {
        ...(props.retentionPolicy !== undefined ? { retentionPolicy: props.retentionPolicy } : {}),
        configuration: {
          destinationPath: props.destinationPath,
          s3Credentials: {
            accessKeyId: { name: creds.secretName, key: creds.accessKeyIdKey },
            secretAccessKey: { name: creds.secretName, key: creds.secretAccessKeyKey },
          },
          wal: { compression: (props.walCompression ?? 'gzip') as ObjectStoreSpecConfigurationWalCompression, maxParallel: 2 },
          data: { compression: (props.dataCompression ?? 'gzip') as ObjectStoreSpecConfigurationDataCompression, jobs: 2 },
        },
        // The plugin injects a sidecar into every instance pod: give it bounded resources.
        instanceSidecarConfiguration: {
          ...(props.region !== undefined ? { env: [{ name: 'AWS_DEFAULT_REGION', value: props.region }] } : {}),
          resources: {
            requests: { cpu: SidecarRequests.fromString('50m'), memory: SidecarRequests.fromString('128Mi') },
            limits: { cpu: SidecarLimits.fromString('500m'), memory: SidecarLimits.fromString('512Mi') },
          },
        },
      },
    });
  }
}
