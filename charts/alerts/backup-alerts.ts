/**
 * Staleness alerts of the snapshot backup CronJobs (Redis, Vault): the newest successful run is too old, or
 * none is known. kube-state-metrics exports `kube_job_status_completion_time` for the Jobs a CronJob
 * creates; Kubernetes sets a Job's completionTime only when it succeeds, so the newest value per CronJob is
 * the last successful backup.
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md
 */
import type { Settings } from '../../config/schema';
import type { AlertRule } from '../../constructs/prometheus-rule';
import { redisBackupName } from '../data-chart';
import { vaultBackupName } from '../secrets-chart';

/** One backup CronJob to watch. */
export interface BackupJobAlert {
  /** Alert name, e.g. RedisBackupTooOld (also its runbook's file name). */
  readonly alert: string;
  /** What is backed up, for the message. */
  readonly what: string;
  readonly namespace: string;
  /** CronJob name; its Jobs are `<cronJob>-<scheduled time>`. */
  readonly cronJob: string;
  readonly maxAgeHours: number;
}

/** The environment's backup CronJobs (names as the data and secrets charts make them). */
export function backupJobAlerts(settings: Settings): BackupJobAlert[] {
  const b = settings.data.backups;
  const ns = settings.platform.namespaces;
  return [
    { alert: 'RedisBackupTooOld', what: 'Redis snapshot', namespace: ns.cache, cronJob: redisBackupName(settings), maxAgeHours: b.redis.maxAgeHours },
    { alert: 'VaultBackupTooOld', what: 'Vault raft snapshot', namespace: ns.vault, cronJob: vaultBackupName(settings), maxAgeHours: b.vault.maxAgeHours },
  ];
}

/** One rule per backup: fires when the last success is older than allowed, or when none is known (absence guard). */
export function backupAlertRules(jobs: readonly BackupJobAlert[]): AlertRule[] {
  return jobs.map((j) => {
    const series = `kube_job_status_completion_time{namespace="${j.namespace}",job_name=~"${j.cronJob}-[0-9]+"}`;
    return {
      alert: j.alert,
      // The PrometheusRule construct appends `or absent(<series>)` for the absentGuard.
      expr: `time() - max(${series}) > ${j.maxAgeHours * 3600}`,
      absentGuard: [series],
      for: '30m',
      severity: 'critical',
      summary: `No successful ${j.what} backup for more than ${j.maxAgeHours} h`,
      description: `CronJob ${j.namespace}/${j.cronJob} has not completed successfully within ${j.maxAgeHours} hours (or never): the ${j.what} in S3 is stale.`,
    };
  });
}
