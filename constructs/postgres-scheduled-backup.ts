/**
 * A CloudNativePG ScheduledBackup (postgresql.cnpg.io/v1) taking base backups of a cluster through the
 * Barman Cloud plugin on a schedule.
 * @see https://cloudnative-pg.io/documentation/current/backup/#scheduled-backups
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/#performing-a-base-backup
 */
import { Construct } from 'constructs';
import { ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecMethod, ScheduledBackupSpecTarget } from '../imports/postgresql.cnpg.io';
import { BARMAN_CLOUD_PLUGIN } from '../model/operators/barman-cloud';
import { ScheduledBackup } from './kube-objects';
import { labels } from './labels';
import type { PostgresCluster } from './postgres-cluster';

/** Props of {@link PostgresScheduledBackup}. */
export interface PostgresScheduledBackupProps {
  /** The cluster to back up; it must archive to an object store (`backupStore`). */
  readonly cluster: PostgresCluster;
  /** Environment (label `app.kubernetes.io/instance`). */
  readonly environment: string;
  /** Six-field cron expression, seconds first (robfig/cron), e.g. `0 0 2 * * *` for 02:00 daily. */
  readonly schedule: string;
  /** @default `<cluster>-daily` */
  readonly name?: string;
  /** Take the first backup as soon as the object is created. @default true */
  readonly immediate?: boolean;
  /** Which instance takes the backup. @default 'prefer-standby' (keeps the load off the primary) */
  readonly target?: 'primary' | 'prefer-standby';
}

/** A scheduled base backup. */
export class PostgresScheduledBackup extends Construct {
  readonly name: string;
  readonly resource: ScheduledBackup;

  constructor(scope: Construct, id: string, props: PostgresScheduledBackupProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.name = props.name ?? `${cluster.name}-daily`;
    if (!/^\S+( \S+){5}$/.test(props.schedule)) {
      throw new Error(`PostgresScheduledBackup ${this.name}: schedule "${props.schedule}" does not have six fields; CloudNativePG expects seconds first, e.g. "0 0 2 * * *" for 02:00 daily`);
    }
    if (!cluster.backupStore) {
      throw new Error(`PostgresScheduledBackup ${this.name}: cluster ${cluster.name} has no backupStore, so a plugin backup has nowhere to go; give the PostgresCluster a backupStore`);
    }
    this.resource = new ScheduledBackup(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: cluster.namespace,
        labels: labels({ name: cluster.name, component: 'database-backup', environment: props.environment, finbotApp: false }),
      },
      spec: {
        cluster: { name: cluster.name },
        schedule: props.schedule,
        method: ScheduledBackupSpecMethod.PLUGIN,
        pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
        immediate: props.immediate ?? true,
        target: (props.target ?? 'prefer-standby') as ScheduledBackupSpecTarget,
        // Backup objects are owned by the ScheduledBackup, so deleting it cleans them up (not the data).
        backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
      },
    });
  }
}
