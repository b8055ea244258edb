/**
 * The alerting rules of FinBot: application (error rate, latency, restarts, HPA at max), Postgres
 * (replication lag, WAL archiving against the RPO, base backups), Redis and certificates.
 * Metric names: FinBot's HTTP metrics (design document), kube-state-metrics, CloudNativePG's exporter,
 * the Redis exporter and cert-manager.
 * @see https://cloudnative-pg.io/documentation/current/monitoring/
 */
import type { ObservabilitySettings } from '../../config/sections/observability';
import type { AlertRule } from '../../constructs/prometheus-rule';
import { backupAlertRules, type BackupJobAlert } from './backup-alerts';

/** Where the alerted workloads run. */
export interface AlertScope {
  readonly appNamespace: string;
  readonly databaseNamespace: string;
  readonly cacheNamespace: string;
  /** Snapshot backup CronJobs to alert on when their last success is too old (backup-alerts.ts). @default none */
  readonly backups?: readonly BackupJobAlert[];
}

/** Every metric name the rules use, with the exporter that provides it (checked by a test). */
export const ALERT_METRICS = {
  http_requests_total: 'FinBot api/web (design document)',
  http_request_duration_seconds_bucket: 'FinBot api/web (design document)',
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
  kube_horizontalpodautoscaler_status_current_replicas: 'kube-state-metrics',
  kube_horizontalpodautoscaler_spec_max_replicas: 'kube-state-metrics',
  cnpg_pg_replication_lag: 'CloudNativePG',
  cnpg_pg_stat_archiver_seconds_since_last_archival: 'CloudNativePG',
  cnpg_collector_last_available_backup_timestamp: 'CloudNativePG',
  redis_up: 'redis_exporter',
  kube_job_status_completion_time: 'kube-state-metrics',
  certmanager_certificate_expiration_timestamp_seconds: 'cert-manager',
} as const;

/** Rule groups for one environment. */
export function finbotAlertGroups(a: ObservabilitySettings['alerts'], s: AlertScope): Array<{ name: string; rules: AlertRule[] }> {
  const app = `namespace="${s.appNamespace}"`;
  const db = `namespace="${s.databaseNamespace}"`;
  const cache = `namespace="${s.cacheNamespace}"`;
  const rpoSeconds = Math.round(a.rpoHours * 3600);
  return [
    {
      name: 'finbot.application',
      rules: [
        {
          alert: 'FinbotHighErrorRate',
          expr: `sum by (job) (rate(http_requests_total{${app},status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{${app}}[5m])) > ${a.errorRateRatio}`,
          for: '5m',
          severity: 'critical',
          summary: 'More than {{ $value | humanizePercentage }} of {{ $labels.job }} requests fail with 5xx',
          description: `The share of 5xx responses of {{ $labels.job }} has been above ${a.errorRateRatio * 100} % for 5 minutes.`,
        },
        {
          alert: 'FinbotHighLatencyP95',
          expr: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{${app}}[5m]))) > ${a.latencyP95Seconds}`,
          for: '10m',
          severity: 'warning',
          summary: '{{ $labels.job }} p95 latency is {{ $value | humanizeDuration }}',
          description: `95th percentile response time of {{ $labels.job }} has been above ${a.latencyP95Seconds}s for 10 minutes.`,
        },
        {
          alert: 'FinbotPodRestarting',
          expr: `increase(kube_pod_container_status_restarts_total{${app}}[15m]) > ${a.podRestarts15m}`,
          for: '0m',
          severity: 'warning',
          summary: '{{ $labels.pod }} restarted {{ $value | humanize }} times in 15 minutes',
          description: `Container {{ $labels.container }} of {{ $labels.pod }} restarted more than ${a.podRestarts15m} times in 15 minutes (crash loop or OOM).`,
        },
        {
          alert: 'FinbotHpaAtMaxReplicas',
          expr: `kube_horizontalpodautoscaler_status_current_replicas{${app}} >= kube_horizontalpodautoscaler_spec_max_replicas{${app}}`,
          for: '15m',
          severity: 'warning',
          summary: '{{ $labels.horizontalpodautoscaler }} has been at its maximum for 15 minutes',
          description: 'The autoscaler cannot add pods: load is above what maxReplicas can serve.',
        },
      ],
    },
    {
      name: 'finbot.postgres',
      rules: [
        {
          alert: 'PostgresReplicationLagHigh',
          expr: `max by (namespace, pod) (cnpg_pg_replication_lag{${db}}) > ${a.replicationLagSeconds}`,
          for: '5m',
          severity: 'critical',
          summary: 'Replica {{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary',
          description: `Replication lag above ${a.replicationLagSeconds}s: a failover now would lose data.`,
        },
        {
          alert: 'PostgresWalArchiveBehindRpo',
          // The primary has the smallest value; replicas do not archive.
          expr: `min by (namespace) (cnpg_pg_stat_archiver_seconds_since_last_archival{${db}}) > ${rpoSeconds}`,
          for: '5m',
          severity: 'critical',
          summary: 'No WAL archived for {{ $value | humanizeDuration }}: the RPO is at risk',
          description: `The last WAL archived to object storage is older than the RPO (${a.rpoHours} h).`,
        },
        {
          alert: 'PostgresBaseBackupTooOld',
          // Daily base backups (design document: Disaster Recovery) plus 2 h of slack.
          expr: `time() - max by (namespace) (cnpg_collector_last_available_backup_timestamp{${db}}) > ${26 * 3600}`,
          for: '15m',
          severity: 'warning',
          summary: 'The newest base backup is {{ $value | humanizeDuration }} old',
          description: 'The daily base backup has not completed; restores need ever more WAL replay.',
        },
      ],
    },
    {
      name: 'finbot.redis',
      rules: [
        {
          alert: 'RedisDown',
          expr: `(redis_up{${cache}} == 0) or absent(redis_up{${cache}})`,
          for: '2m',
          severity: 'critical',
          summary: 'Redis {{ $labels.pod }} is down (or not scraped)',
          description: 'The Redis exporter reports redis_up == 0, or no Redis is scraped at all.',
        },
      ],
    },
    ...(s.backups?.length ? [{ name: 'finbot.backups', rules: backupAlertRules(s.backups) }] : []),
    {
      name: 'finbot.certificates',
      rules: [
        {
          alert: 'CertificateExpiringSoon',
          expr: `certmanager_certificate_expiration_timestamp_seconds - time() < ${a.certificateExpiryDays * 86400}`,
          for: '1h',
          severity: 'warning',
          summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }}',
          description: `cert-manager has not renewed the certificate and it expires within ${a.certificateExpiryDays} days.`,
        },
      ],
    },
  ];
}
