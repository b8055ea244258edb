/**
 * The alerting rules of FinBot: application (error rate, latency, restarts, HPA at max), synthetic probes of
 * the public hosts, Postgres (replication lag, WAL archiving against the RPO, base backups through the Barman
 * Cloud plugin), Redis, certificates, scrape targets, and the always-firing Watchdog that proves the
 * pipeline Prometheus → Alertmanager → heartbeat receiver works.
 *
 * Every rule whose series could silently vanish (exporter down, port renamed, monitor not selected) carries an
 * absence guard, so a missing signal fires instead of reading as "healthy". Metric names and their odd values
 * come from model/operators/exporter-metrics.ts.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
import type { ObservabilitySettings } from '../../config/sections/observability';
import type { AlertRule } from '../../constructs/prometheus-rule';
import { backupAlertRules, type BackupJobAlert } from './backup-alerts';
import {
  BARMAN_METRICS, BLACKBOX_METRICS, CERT_EXPIRY_METRIC, CNPG_METRICS, REDIS_METRICS,
} from '../../model/operators/exporter-metrics';

/** Where the alerted workloads run, and what the rules need to know about them. */
export interface AlertScope {
  readonly appNamespace: string;
  readonly databaseNamespace: string;
  readonly cacheNamespace: string;
  /** Snapshot backup CronJobs to alert on when their last success is too old (backup-alerts.ts). @default none */
  readonly backups?: readonly BackupJobAlert[];
  readonly monitoringNamespace: string;
  /** Job (Service) names of the app components with HTTP metrics, e.g. finbot-api. */
  readonly httpJobs: readonly string[];
  /** Recovery point objective in minutes (data.yaml postgres.backup.rpoMinutes). */
  readonly rpoMinutes: number;
  /** PostgreSQL archive_timeout in minutes (data.yaml postgres.backup.archiveTimeoutMinutes). */
  readonly archiveTimeoutMinutes: number;
  /** The Probe `jobName` of the synthetic checks and the endpoint names probed (gitops.yaml probes.targets). */
  readonly probeJob: string;
  readonly probeEndpoints: readonly string[];
}

/** Name of the always-firing alert routed to the heartbeat receiver. */
export const WATCHDOG_ALERT = 'Watchdog';
/** Minutes the WAL-archive alert must hold before it fires. */
export const WAL_ARCHIVE_FOR_MINUTES = 5;
/** Daily base backups (design document: Disaster Recovery) plus 2 h of slack. */
export const BASE_BACKUP_MAX_AGE_SECONDS = 26 * 3600;

/**
 * Seconds without an archived WAL segment after which PostgresWalArchiveBehindRpo fires: half the RPO, so that
 * with its `for` the alert arrives while more than a third of the RPO is left to act. It must stay well above
 * archive_timeout (a quiet database archives once per archive_timeout) or it would fire on every quiet spell.
 */
export function walArchiveAlertSeconds(s: Pick<AlertScope, 'rpoMinutes' | 'archiveTimeoutMinutes'>): number {
  const seconds = Math.round((s.rpoMinutes * 60) / 2);
  if (seconds < 2 * s.archiveTimeoutMinutes * 60 || seconds + WAL_ARCHIVE_FOR_MINUTES * 60 >= s.rpoMinutes * 60) {
    throw new Error(`WAL-archive alert: half the RPO (${seconds / 60} min, data.yaml postgres.backup.rpoMinutes ${s.rpoMinutes}) must be at least twice archive_timeout (postgres.backup.archiveTimeoutMinutes ${s.archiveTimeoutMinutes}) and leave ${WAL_ARCHIVE_FOR_MINUTES} min before the RPO; raise rpoMinutes or lower archiveTimeoutMinutes`);
  }
  return seconds;
}

/** Every metric name the rules use, with the exporter that provides it (checked by a test). */
export const ALERT_METRICS = {
  up: 'Prometheus (every scrape target)',
  http_requests_total: 'FinBot api/web (design document)',
  http_request_duration_seconds_bucket: 'FinBot api/web (design document)',
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
  kube_horizontalpodautoscaler_status_current_replicas: 'kube-state-metrics',
  kube_horizontalpodautoscaler_spec_max_replicas: 'kube-state-metrics',
  [BLACKBOX_METRICS.success]: 'blackbox_exporter through the Probes',
  [CNPG_METRICS.replicationLag]: 'CloudNativePG',
  [CNPG_METRICS.secondsSinceLastArchival]: 'CloudNativePG',
  [CNPG_METRICS.lastArchivedTime]: 'CloudNativePG',
  [CNPG_METRICS.lastFailedTime]: 'CloudNativePG',
  [BARMAN_METRICS.lastAvailableBackup]: 'Barman Cloud plugin (through the CNPG exporter)',
  [BARMAN_METRICS.lastFailedBackup]: 'Barman Cloud plugin (through the CNPG exporter)',
  [REDIS_METRICS.up]: 'redis_exporter',
  [CERT_EXPIRY_METRIC]: 'cert-manager',
  kube_job_status_completion_time: 'kube-state-metrics',
} as const;

/**
 * The groups whose alerts are expected while a disaster-recovery region is standby: its apps serve no public
 * traffic and cannot log in to the replica database until it is promoted (docs/disaster-recovery.md), so their
 * error, latency, restart and probe alerts say nothing new. The data tier's alerts (replication, WAL archive,
 * backups, Redis), the pipeline's and the certificates' keep their severity routes: they are what the standby is for.
 */
export const STANDBY_EXPECTED_GROUPS: readonly string[] = ['finbot.application', 'finbot.synthetic'];

/** The alert names of the groups named `names`. */
export function alertNamesIn(groups: ReadonlyArray<{ name: string; rules: readonly AlertRule[] }>, names: readonly string[]): string[] {
  return groups.filter((g) => names.includes(g.name)).flatMap((g) => g.rules.map((r) => r.alert));
}

/** Rule groups for one environment. */
export function finbotAlertGroups(a: ObservabilitySettings['alerts'], s: AlertScope): Array<{ name: string; rules: AlertRule[] }> {
  const q = alertSelectors(s);
  return [
    pipelineGroup(a, s, q),
    applicationGroup(a, s, q),
    syntheticGroup(a, s, q),
    postgresGroup(a, s, q),
    redisGroup(a, s, q),
    ...(s.backups?.length ? [{ name: 'finbot.backups', rules: backupAlertRules(s.backups) }] : []),
    certificatesGroup(a, s, q),
  ];
}

/** One environment's alert rule group. */
type AlertGroup = { name: string; rules: AlertRule[] };
/** The alert settings. */
type Alerts = ObservabilitySettings['alerts'];

/** The label matchers and thresholds the groups share, from the scope. */
interface AlertSelectors {
  readonly app: string;
  readonly db: string;
  readonly cache: string;
  readonly jobs: string;
  readonly walSeconds: number;
  readonly probe: string;
  readonly ownNamespaces: string;
}

/** The matchers of the scope's namespaces and jobs, and the WAL-archive threshold. */
function alertSelectors(s: AlertScope): AlertSelectors {
  return {
    app: `namespace="${s.appNamespace}"`,
    db: `namespace="${s.databaseNamespace}"`,
    cache: `namespace="${s.cacheNamespace}"`,
    jobs: `job=~"${s.httpJobs.join('|')}"`,
    walSeconds: walArchiveAlertSeconds(s),
    probe: `job="${s.probeJob}"`,
    ownNamespaces: `namespace=~"${[s.appNamespace, s.databaseNamespace, s.cacheNamespace, s.monitoringNamespace].join('|')}"`,
  };
}

/** Group finbot.pipeline: the Watchdog that proves Prometheus → Alertmanager → heartbeat receiver works, and scrape targets down. */
function pipelineGroup(_a: Alerts, s: AlertScope, q: AlertSelectors): AlertGroup {
  return {
    name: 'finbot.pipeline',
    rules: [
      {
        alert: WATCHDOG_ALERT,
        expr: 'vector(1)',
        for: '0m',
        severity: 'none',
        summary: 'The alerting pipeline works (always firing)',
        description: 'Always firing and routed only to the heartbeat receiver: when its notifications stop, Prometheus, its rules or Alertmanager are down.',
        neverAbsent: 'vector(1) always returns one series',
      },
      {
        alert: 'ScrapeTargetDown',
        expr: `up{${q.ownNamespaces}} == 0`,
        for: '10m',
        severity: 'warning',
        summary: 'Prometheus cannot scrape {{ $labels.job }} ({{ $labels.instance }})',
        description: 'A scrape target has been down for 10 minutes: the alerts over its metrics see nothing from it.',
        absentGuard: [`up{namespace="${s.appNamespace}"}`, `up{${q.db}}`, `up{${q.cache}}`],
      },
    ],
  };
}

/** Group finbot.application: error rate, latency, restarts and HPAs at their maximum of the FinBot components. */
function applicationGroup(a: Alerts, s: AlertScope, q: AlertSelectors): AlertGroup {
  return {
    name: 'finbot.application',
    rules: [
      {
        alert: 'FinbotHighErrorRate',
        expr: `sum by (job) (rate(http_requests_total{${q.app},status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{${q.app}}[5m])) > ${a.errorRateRatio}`,
        for: '5m',
        severity: 'critical',
        summary: 'More than {{ $value | humanizePercentage }} of {{ $labels.job }} requests fail with 5xx (or FinBot is not scraped)',
        description: `The share of 5xx responses of {{ $labels.job }} has been above ${a.errorRateRatio * 100} % for 5 minutes, or no FinBot HTTP target is scraped at all.`,
        absentGuard: s.httpJobs.map((j) => `up{${q.app},job="${j}"}`),
      },
      {
        alert: 'FinbotHighLatencyP95',
        expr: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{${q.app},${q.jobs}}[5m]))) > ${a.latencyP95Seconds}`,
        for: '10m',
        severity: 'warning',
        summary: '{{ $labels.job }} p95 latency is {{ $value | humanizeDuration }} (or its histogram is missing)',
        description: `95th percentile response time of {{ $labels.job }} has been above ${a.latencyP95Seconds}s for 10 minutes, or no request-duration histogram is scraped.`,
        absentGuard: [`http_request_duration_seconds_bucket{${q.app}}`],
      },
      {
        alert: 'FinbotPodRestarting',
        expr: `increase(kube_pod_container_status_restarts_total{${q.app}}[15m]) > ${a.podRestarts15m}`,
        for: '0m',
        severity: 'warning',
        summary: '{{ $labels.pod }} restarted {{ $value | humanize }} times in 15 minutes (or kube-state-metrics is not scraped)',
        description: `Container {{ $labels.container }} of {{ $labels.pod }} restarted more than ${a.podRestarts15m} times in 15 minutes (crash loop or OOM), or kube-state-metrics reports no pod of the namespace.`,
        absentGuard: [`kube_pod_container_status_restarts_total{${q.app}}`],
      },
      {
        alert: 'FinbotHpaAtMaxReplicas',
        expr: `kube_horizontalpodautoscaler_status_current_replicas{${q.app}} >= kube_horizontalpodautoscaler_spec_max_replicas{${q.app}}`,
        for: '15m',
        severity: 'warning',
        summary: '{{ $labels.horizontalpodautoscaler }} has been at its maximum for 15 minutes (or HPA metrics are missing)',
        description: 'The autoscaler cannot add pods: load is above what maxReplicas can serve. Also fires when kube-state-metrics exports no HPA of the namespace.',
        absentGuard: [`kube_horizontalpodautoscaler_spec_max_replicas{${q.app}}`],
      },
    ],
  };
}

/** Group finbot.synthetic: the blackbox probes of the public hosts. */
function syntheticGroup(_a: Alerts, s: AlertScope, q: AlertSelectors): AlertGroup {
  return {
    name: 'finbot.synthetic',
    rules: [
      {
        alert: 'FinbotEndpointDown',
        // With the edge down the app gets no requests and the error-rate alert evaluates 0/0: only the
        // outside view notices. Two failed probes in a row (interval 60s) before paging.
        expr: `max by (endpoint, instance) (${BLACKBOX_METRICS.success}{${q.probe}}) == 0`,
        for: '2m',
        severity: 'critical',
        summary: 'The public endpoint {{ $labels.instance }} fails its synthetic check (or is not probed)',
        description: 'The blackbox exporter cannot get a 2xx over verified HTTPS from the public host: users cannot reach FinBot. Also fires when an endpoint has no probe result at all (prober down, Probe not loaded).',
        absentGuard: s.probeEndpoints.map((e) => `${BLACKBOX_METRICS.success}{${q.probe},endpoint="${e}"}`),
      },
    ],
  };
}

/** Group finbot.postgres: replication lag, WAL archiving against the RPO, base backups through the Barman Cloud plugin. */
function postgresGroup(a: Alerts, s: AlertScope, q: AlertSelectors): AlertGroup {
  return {
    name: 'finbot.postgres',
    rules: [
      {
        alert: 'PostgresReplicationLagHigh',
        expr: `max by (namespace, pod) (${CNPG_METRICS.replicationLag}{${q.db}}) > ${a.replicationLagSeconds}`,
        for: '5m',
        severity: 'critical',
        summary: 'Replica {{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary (or Postgres is not scraped)',
        description: `Replication lag above ${a.replicationLagSeconds}s: a failover now would lose data.`,
        absentGuard: [`${CNPG_METRICS.replicationLag}{${q.db}}`],
      },
      {
        alert: 'PostgresWalArchiveBehindRpo',
        // Only the primary exports pg_stat_archiver; -1 (never archived) is PostgresWalArchivingFailing's case.
        expr: `max by (namespace, pod) (${CNPG_METRICS.secondsSinceLastArchival}{${q.db}}) > ${q.walSeconds}`,
        for: `${WAL_ARCHIVE_FOR_MINUTES}m`,
        severity: 'critical',
        summary: 'No WAL archived for {{ $value | humanizeDuration }}: the RPO is at risk (or archiving is not scraped)',
        description: `No WAL segment reached object storage for more than ${q.walSeconds / 60} minutes (half the ${s.rpoMinutes}-minute RPO; archive_timeout is ${s.archiveTimeoutMinutes} min). Act before ${s.rpoMinutes} minutes pass: after that a restore loses more than the RPO.`,
        absentGuard: [`${CNPG_METRICS.secondsSinceLastArchival}{${q.db}}`],
      },
      {
        alert: 'PostgresWalArchivingFailing',
        // Failing now (the last failure is newer than the last success, CloudNativePG's own sample rule), or
        // never succeeded (-1: e.g. wrong object-store credentials from day one).
        expr: `max by (namespace, pod) (${CNPG_METRICS.lastFailedTime}{${q.db}}) > max by (namespace, pod) (${CNPG_METRICS.lastArchivedTime}{${q.db}}) or max by (namespace, pod) (${CNPG_METRICS.secondsSinceLastArchival}{${q.db}}) == -1`,
        for: '10m',
        severity: 'critical',
        summary: 'WAL archiving of {{ $labels.pod }} fails or never succeeded',
        description: `archive_command keeps failing, or no WAL was ever archived: point-in-time recovery is impossible and the RPO (${s.rpoMinutes} min) cannot hold. Check the object-store credentials and the Barman Cloud sidecar log.`,
        absentGuard: [`${CNPG_METRICS.lastArchivedTime}{${q.db}}`],
      },
      {
        alert: 'PostgresBaseBackupTooOld',
        // 0 means the plugin knows no successful backup of this server (none yet, or its status was lost).
        expr: `time() - max by (namespace) (${BARMAN_METRICS.lastAvailableBackup}{${q.db}}) > ${BASE_BACKUP_MAX_AGE_SECONDS}`,
        for: '15m',
        severity: 'warning',
        summary: 'The newest base backup is {{ $value | humanizeDuration }} old (or there is none)',
        description: 'The daily base backup has not completed (the Barman Cloud plugin reports its last successful backup; 0 = none at all): restores need ever more WAL replay, and a retention run may leave no base backup.',
        absentGuard: [`${BARMAN_METRICS.lastAvailableBackup}{${q.db}}`],
      },
      {
        alert: 'PostgresBaseBackupFailed',
        expr: `max by (namespace) (${BARMAN_METRICS.lastFailedBackup}{${q.db}}) > max by (namespace) (${BARMAN_METRICS.lastAvailableBackup}{${q.db}})`,
        for: '5m',
        severity: 'warning',
        summary: 'The last base backup of {{ $labels.namespace }} failed',
        description: 'The Barman Cloud plugin reports a failed backup newer than the last successful one.',
        absentGuard: [`${BARMAN_METRICS.lastFailedBackup}{${q.db}}`],
      },
    ],
  };
}

/** Group finbot.redis: a Redis instance down, or none scraped. */
function redisGroup(_a: Alerts, _s: AlertScope, q: AlertSelectors): AlertGroup {
  return {
    name: 'finbot.redis',
    rules: [
      {
        alert: 'RedisDown',
        expr: `${REDIS_METRICS.up}{${q.cache}} == 0`,
        for: '2m',
        severity: 'critical',
        summary: 'Redis {{ $labels.pod }} is down (or not scraped)',
        description: 'The Redis exporter reports redis_up == 0, or no Redis is scraped at all.',
        absentGuard: [`${REDIS_METRICS.up}{${q.cache}}`],
      },
    ],
  };
}

/** Group finbot.certificates: a certificate cert-manager has not renewed before `certificateExpiryDays`. */
function certificatesGroup(a: Alerts, _s: AlertScope, _q: AlertSelectors): AlertGroup {
  return {
    name: 'finbot.certificates',
    rules: [
      {
        alert: 'CertificateExpiringSoon',
        // 0 (no certificate issued yet) counts as expired.
        expr: `${CERT_EXPIRY_METRIC} - time() < ${a.certificateExpiryDays * 86400}`,
        for: '1h',
        severity: 'warning',
        summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} (or cert-manager is not scraped)',
        description: `cert-manager has not renewed the certificate and it expires within ${a.certificateExpiryDays} days, or cert-manager's metrics are missing (wrong metrics port name, controller down).`,
        absentGuard: [CERT_EXPIRY_METRIC],
      },
    ],
  };
}
