/**
 * promtool unit tests for every FinBot alert, built from an environment's settings: for each alert the series
 * the real exporter produces when the thing fails (including the odd values: 0 from the Barman Cloud plugin
 * without a backup, -1 from pg_stat_archiver without an archived WAL, 0 from cert-manager before issuance),
 * the same series on a healthy system, and — for every absence guard — no series at all.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
import type { Settings } from '../../config/schema';
import { PROBE_JOB_NAME } from '../../constructs/blackbox-exporter';
import { BASE_BACKUP_MAX_AGE_SECONDS, walArchiveAlertSeconds, WAL_ARCHIVE_FOR_MINUTES } from '../../charts/alerts/finbot-alerts';
import { backupJobAlerts } from '../../charts/alerts/backup-alerts';
import { TRACE_STORAGE_WARNING_RATIO } from '../../charts/alerts/tracing-alerts';
import { TRACE_STORAGE_NAME } from '../../charts/observability-chart';
import { ES_DATA_CLAIM, ES_DISK_WATERMARKS } from '../../model/operators/eck';
import { BARMAN_METRICS, BLACKBOX_METRICS, CERT_EXPIRY_METRIC, CNPG_METRICS, REDIS_METRICS } from '../../model/operators/exporter-metrics';

/** One promtool test group. */
export interface PromtoolTest {
  readonly name: string;
  readonly interval: string;
  readonly input_series: Array<{ series: string; values: string }>;
  readonly alert_rule_test: Array<{ eval_time: string; alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string> }> }>;
}

/** What the scenarios need to know about an environment. */
export interface ScenarioScope {
  readonly settings: Settings;
  readonly app: string;
  readonly db: string;
  readonly cache: string;
  readonly httpJobs: readonly string[];
}

const sel = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
const series = (metric: string, labels: Record<string, string>, values: string) => ({ series: `${metric}${sel(labels)}`, values });

/** Labels `absent(<selector>)` returns: its equality matchers. */
export function absentLabels(selector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of selector.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

/** A scenario: failing and healthy series of one alert, when to evaluate, which labels fire. */
interface Scenario {
  readonly alert: string;
  readonly severity: string;
  readonly interval?: string;
  readonly evalMinutes: number;
  readonly failing?: Array<{ name: string; series: PromtoolTest['input_series']; fires: Array<Record<string, string>> }>;
  readonly healthy?: PromtoolTest['input_series'];
}

/** Every alert's scenarios for one environment. */
export function scenarios(s: ScenarioScope): Scenario[] {
  const a = s.settings.observability.alerts;
  const backup = s.settings.data.postgres.backup;
  const { app, db, cache } = s;
  const upAll = (v: string) => [
    ...s.httpJobs.map((job, i) => series('up', { namespace: app, job, instance: `10.0.0.${i + 1}:9090` }, v)),
    series('up', { namespace: db, job: 'database/finbot-postgres-primary', instance: '10.0.1.1:9187' }, v),
    series('up', { namespace: cache, job: 'cache/finbot-redis-cluster', instance: '10.0.2.1:9121' }, v),
  ];
  const api = s.httpJobs[0];
  const r5 = Math.ceil((2 * a.errorRateRatio) / (1 - a.errorRateRatio)) * 100 + 100;
  const walSeconds = walArchiveAlertSeconds({ rpoMinutes: backup.rpoMinutes, archiveTimeoutMinutes: backup.archiveTimeoutMinutes });
  const walFiresAt = Math.ceil(walSeconds / 60) + WAL_ARCHIVE_FOR_MINUTES + 1;
  const primary = { namespace: db, pod: 'finbot-postgres-primary-1' };
  const probeUrl = (e: string) => `https://${s.settings.edge.hosts[e as keyof Settings['edge']['hosts']] ?? e}/`;
  const endpoints = s.settings.gitops.probes.targets.map((t) => t.name);
  const certExpirySeconds = a.certificateExpiryDays * 86400;
  // time() starts at 0 in promtool: evaluate once more than the maximum age (+ for) has passed.
  const backupEval = (Math.ceil(BASE_BACKUP_MAX_AGE_SECONDS / 3600) + 2) * 60;
  const backupSamples = backupEval / 15 + 4;
  return [
    { alert: 'Watchdog', severity: 'none', evalMinutes: 1, failing: [{ name: 'always', series: [], fires: [{}] }] },
    {
      alert: 'ScrapeTargetDown', severity: 'warning', evalMinutes: 15,
      failing: [{ name: 'target down', series: [...upAll('1x20').slice(1), ...upAll('0x20').slice(0, 1)], fires: [{ namespace: app, job: api, instance: '10.0.0.1:9090' }] }],
      healthy: upAll('1x20'),
    },
    {
      alert: 'FinbotHighErrorRate', severity: 'critical', evalMinutes: 12,
      failing: [{
        name: '5xx share above the threshold',
        series: [...upAll('1x20'), series('http_requests_total', { namespace: app, job: api, status: '200' }, '0+100x20'), series('http_requests_total', { namespace: app, job: api, status: '500' }, `0+${r5}x20`)],
        fires: [{ job: api }],
      }],
      healthy: [...upAll('1x20'), series('http_requests_total', { namespace: app, job: api, status: '200' }, '0+100x20'), series('http_requests_total', { namespace: app, job: api, status: '500' }, '0x20')],
    },
    {
      alert: 'FinbotHighLatencyP95', severity: 'warning', evalMinutes: 20,
      failing: [{
        name: 'p95 above the threshold',
        series: [series('http_request_duration_seconds_bucket', { namespace: app, job: api, le: String(a.latencyP95Seconds * 2) }, '0x30'), series('http_request_duration_seconds_bucket', { namespace: app, job: api, le: '+Inf' }, '0+100x30')],
        fires: [{ job: api }],
      }],
      healthy: [series('http_request_duration_seconds_bucket', { namespace: app, job: api, le: String(a.latencyP95Seconds / 2) }, '0+100x30'), series('http_request_duration_seconds_bucket', { namespace: app, job: api, le: '+Inf' }, '0+100x30')],
    },
    {
      alert: 'FinbotPodRestarting', severity: 'warning', evalMinutes: 16,
      failing: [{ name: 'crash loop', series: [series('kube_pod_container_status_restarts_total', { namespace: app, pod: `${api}-1`, container: 'api' }, `0+${a.podRestarts15m}x20`)], fires: [{ namespace: app, pod: `${api}-1`, container: 'api' }] }],
      healthy: [series('kube_pod_container_status_restarts_total', { namespace: app, pod: `${api}-1`, container: 'api' }, '2x20')],
    },
    {
      alert: 'FinbotHpaAtMaxReplicas', severity: 'warning', evalMinutes: 17,
      failing: [{
        name: 'at max',
        series: [series('kube_horizontalpodautoscaler_status_current_replicas', { namespace: app, horizontalpodautoscaler: api }, '10x20'), series('kube_horizontalpodautoscaler_spec_max_replicas', { namespace: app, horizontalpodautoscaler: api }, '10x20')],
        fires: [{ namespace: app, horizontalpodautoscaler: api }],
      }],
      healthy: [series('kube_horizontalpodautoscaler_status_current_replicas', { namespace: app, horizontalpodautoscaler: api }, '3x20'), series('kube_horizontalpodautoscaler_spec_max_replicas', { namespace: app, horizontalpodautoscaler: api }, '10x20')],
    },
    {
      alert: 'FinbotEndpointDown', severity: 'critical', evalMinutes: 5,
      failing: [{
        name: 'first endpoint fails',
        series: endpoints.map((e, i) => series(BLACKBOX_METRICS.success, { job: PROBE_JOB_NAME, endpoint: e, instance: probeUrl(e) }, i === 0 ? '0x10' : '1x10')),
        fires: [{ endpoint: endpoints[0], instance: probeUrl(endpoints[0]) }],
      }],
      healthy: endpoints.map((e) => series(BLACKBOX_METRICS.success, { job: PROBE_JOB_NAME, endpoint: e, instance: probeUrl(e) }, '1x10')),
    },
    {
      alert: 'PostgresReplicationLagHigh', severity: 'critical', evalMinutes: 7,
      failing: [{ name: 'lagging replica', series: [series(CNPG_METRICS.replicationLag, { namespace: db, pod: 'finbot-postgres-primary-2' }, `${a.replicationLagSeconds * 2}x10`)], fires: [{ namespace: db, pod: 'finbot-postgres-primary-2' }] }],
      healthy: [series(CNPG_METRICS.replicationLag, { namespace: db, pod: 'finbot-postgres-primary-2' }, '0x10')],
    },
    {
      // Archiving stops at minute 0: the alert must be firing before the RPO is gone.
      alert: 'PostgresWalArchiveBehindRpo', severity: 'critical', evalMinutes: walFiresAt,
      failing: [{ name: `no WAL archived since minute 0 (fires at ${walFiresAt} min, RPO ${backup.rpoMinutes} min)`, series: [series(CNPG_METRICS.secondsSinceLastArchival, primary, `0+60x${backup.rpoMinutes + 10}`)], fires: [primary] }],
      // A quiet primary switches and archives a segment every archive_timeout; -1 (never archived) is the other alert's case.
      healthy: [series(CNPG_METRICS.secondsSinceLastArchival, primary, `${backup.archiveTimeoutMinutes * 60}x${backup.rpoMinutes + 10}`)],
    },
    {
      alert: 'PostgresWalArchivingFailing', severity: 'critical', evalMinutes: 12,
      failing: [
        {
          name: 'never archived (-1 everywhere)',
          series: [series(CNPG_METRICS.secondsSinceLastArchival, primary, '-1x20'), series(CNPG_METRICS.lastArchivedTime, primary, '-1x20'), series(CNPG_METRICS.lastFailedTime, primary, '-1x20')],
          fires: [primary],
        },
        {
          name: 'keeps failing after a success',
          series: [series(CNPG_METRICS.secondsSinceLastArchival, primary, '0+60x20'), series(CNPG_METRICS.lastArchivedTime, primary, '0x20'), series(CNPG_METRICS.lastFailedTime, primary, '60+60x20')],
          fires: [primary],
        },
      ],
      healthy: [series(CNPG_METRICS.secondsSinceLastArchival, primary, '30x20'), series(CNPG_METRICS.lastArchivedTime, primary, '0+60x20'), series(CNPG_METRICS.lastFailedTime, primary, '-1x20')],
    },
    {
      // Samples and evaluations every 15 minutes over 28 hours.
      alert: 'PostgresBaseBackupTooOld', severity: 'warning', interval: '15m', evalMinutes: backupEval,
      failing: [
        { name: 'plugin reports 0 (no backup at all)', series: [series(BARMAN_METRICS.lastAvailableBackup, primary, `0x${backupSamples}`)], fires: [{ namespace: db }] },
        { name: 'last backup at hour 1', series: [series(BARMAN_METRICS.lastAvailableBackup, primary, `3600x${backupSamples}`)], fires: [{ namespace: db }] },
      ],
      // A fresh backup at every sample: the value follows time().
      healthy: [series(BARMAN_METRICS.lastAvailableBackup, primary, `0+900x${backupSamples}`)],
    },
    {
      alert: 'PostgresBaseBackupFailed', severity: 'warning', evalMinutes: 7,
      failing: [{ name: 'failure newer than success', series: [series(BARMAN_METRICS.lastFailedBackup, primary, '200x10'), series(BARMAN_METRICS.lastAvailableBackup, primary, '100x10')], fires: [{ namespace: db }] }],
      healthy: [series(BARMAN_METRICS.lastFailedBackup, primary, '0x10'), series(BARMAN_METRICS.lastAvailableBackup, primary, '100x10')],
    },
    {
      alert: 'RedisDown', severity: 'critical', evalMinutes: 5,
      failing: [{ name: 'exporter reports down', series: [series(REDIS_METRICS.up, { namespace: cache, pod: 'finbot-redis-cluster-leader-0' }, '0x10')], fires: [{ namespace: cache, pod: 'finbot-redis-cluster-leader-0' }] }],
      healthy: [series(REDIS_METRICS.up, { namespace: cache, pod: 'finbot-redis-cluster-leader-0' }, '1x10')],
    },
    {
      alert: 'CertificateExpiringSoon', severity: 'warning', evalMinutes: 70,
      failing: [
        { name: 'expires within the window', series: [series(CERT_EXPIRY_METRIC, { namespace: app, name: 'api-tls' }, `${Math.round(certExpirySeconds / 2)}x80`)], fires: [{ namespace: app, name: 'api-tls' }] },
        { name: 'not issued yet (0)', series: [series(CERT_EXPIRY_METRIC, { namespace: app, name: 'api-tls' }, '0x80')], fires: [{ namespace: app, name: 'api-tls' }] },
      ],
      healthy: [series(CERT_EXPIRY_METRIC, { namespace: app, name: 'api-tls' }, `${certExpirySeconds * 4}x80`)],
    },
    // Trace storage (finbot-tracing-alerts): the kubelet's volume statistics of the Elasticsearch data PVCs
    // and kube-state-metrics' Job conditions of the index cleaner.
    ...((): Scenario[] => {
      const mon = s.settings.platform.namespaces.monitoring;
      const pvc = { namespace: mon, persistentvolumeclaim: `${ES_DATA_CLAIM}-${TRACE_STORAGE_NAME}-es-default-0` };
      const gib = 1024 ** 3;
      const volume = (ratio: number) => [
        series('kubelet_volume_stats_used_bytes', pvc, `${Math.round(ratio * 20 * gib)}x60`),
        series('kubelet_volume_stats_capacity_bytes', pvc, `${20 * gib}x60`),
      ];
      const cleanerJob = (n: string, failed: string) => [
        series('kube_job_failed', { namespace: mon, job_name: `jaeger-index-cleaner-${n}`, condition: 'true' }, failed),
        series('kube_job_failed', { namespace: mon, job_name: `jaeger-index-cleaner-${n}`, condition: 'false' }, failed === '1x30' ? '0x30' : '1x30'),
      ];
      const between = (TRACE_STORAGE_WARNING_RATIO + ES_DISK_WATERMARKS.high) / 2;
      return [
        { alert: 'TraceStorageFillingUp', severity: 'warning', evalMinutes: 20, failing: [{ name: 'above the warning ratio', series: volume(between), fires: [pvc] }], healthy: volume(0.5) },
        { alert: 'TraceStorageAlmostReadOnly', severity: 'critical', evalMinutes: 20, failing: [{ name: 'above the high watermark', series: volume((ES_DISK_WATERMARKS.high + 1) / 2), fires: [pvc] }], healthy: volume(between) },
        { alert: 'TraceRetentionJobFailed', severity: 'warning', evalMinutes: 10, failing: [{ name: 'a cleaner Job failed', series: [...cleanerJob('29400000', '1x30'), ...cleanerJob('29401440', '0x30')], fires: [{ namespace: mon, job_name: 'jaeger-index-cleaner-29400000' }] }], healthy: cleanerJob('29401440', '0x30') },
        { alert: 'TraceStorageMetricsAbsent', severity: 'warning', evalMinutes: 40, failing: [{ name: 'no volume statistics', series: [series('kubelet_volume_stats_capacity_bytes', { namespace: 'other', persistentvolumeclaim: 'x' }, '1x60')], fires: [{ namespace: mon }] }], healthy: volume(0.5) },
      ];
    })(),
    // Snapshot backup CronJobs (Redis, Vault): kube-state-metrics' completion time of their Jobs.
    ...backupJobAlerts(s.settings).map((j): Scenario => {
      const evalMinutes = (j.maxAgeHours + 2) * 60;
      const samples = evalMinutes / 15 + 4;
      const job = { namespace: j.namespace, job_name: `${j.cronJob}-29000000` };
      return {
        alert: j.alert, severity: 'critical', interval: '15m', evalMinutes,
        failing: [{ name: 'last success at time 0', series: [series('kube_job_status_completion_time', job, `0x${samples}`)], fires: [{}] }],
        // A successful run at every sample: the completion time follows time().
        healthy: [series('kube_job_status_completion_time', job, `0+900x${samples}`)],
      };
    }),
  ];
}

/** Absence cases: no series at all → one alert per distinct guard label set. */
export function absenceTests(rules: ReadonlyArray<{ alert: string; expr: string; for: string; labels: { severity: string } }>, guards: ReadonlyMap<string, readonly string[]>): PromtoolTest[] {
  return rules.filter((r) => (guards.get(r.alert) ?? []).length > 0).map((r) => {
    const sets = new Map<string, Record<string, string>>();
    for (const g of guards.get(r.alert)!) {
      const l = absentLabels(g);
      sets.set(JSON.stringify(Object.entries(l).sort()), l);
    }
    const forMinutes = durationMinutes(r.for);
    return {
      name: `${r.alert}: fires when its series are absent`,
      interval: '1m',
      input_series: [],
      alert_rule_test: [{ eval_time: `${forMinutes + 2}m`, alertname: r.alert, exp_alerts: [...sets.values()].map((l) => ({ exp_labels: { ...l, severity: r.labels.severity } })) }],
    };
  });
}

function durationMinutes(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/([0-9]+)(ms|s|m|h|d)/g)) total += Number(m[1]) * ({ ms: 0, s: 1 / 60, m: 1, h: 60, d: 1440 } as Record<string, number>)[m[2]];
  return Math.ceil(total);
}

/** The failing and healthy promtool tests of every scenario. */
export function scenarioTests(list: readonly Scenario[]): PromtoolTest[] {
  return list.flatMap((sc) => [
    ...(sc.failing ?? []).map((f) => ({
      name: `${sc.alert}: fires (${f.name})`,
      interval: sc.interval ?? '1m',
      input_series: f.series,
      alert_rule_test: [{ eval_time: `${sc.evalMinutes}m`, alertname: sc.alert, exp_alerts: f.fires.map((l) => ({ exp_labels: { ...l, severity: sc.severity } })) }],
    })),
    ...(sc.healthy ? [{
      name: `${sc.alert}: silent when healthy`,
      interval: sc.interval ?? '1m',
      input_series: sc.healthy,
      alert_rule_test: [{ eval_time: `${sc.evalMinutes}m`, alertname: sc.alert, exp_alerts: [] }],
    }] : []),
  ]);
}
