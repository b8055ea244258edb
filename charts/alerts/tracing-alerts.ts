/**
 * Alerting rules of trace storage: Elasticsearch's data volumes filling up before Elasticsearch blocks
 * writes, and the retention job failing. Metric names: the kubelet's volume statistics (`/metrics`), scraped by the tracing part of the
 * observability chart, and kube-state-metrics' Job state.
 * @see https://kubernetes.io/docs/reference/instrumentation/metrics/
 */
import type { AlertRule } from '../../constructs/prometheus-rule';
import { ES_DISK_WATERMARKS } from '../../model/operators/eck';

/** Every metric name the rules use, with the exporter that provides it. */
export const TRACING_ALERT_METRICS = {
  kubelet_volume_stats_used_bytes: 'kubelet',
  kubelet_volume_stats_capacity_bytes: 'kubelet',
  kube_job_failed: 'kube-state-metrics',
} as const;

/** Where trace storage runs. */
export interface TraceStorageScope {
  /** Namespace of the Elasticsearch cluster. */
  readonly namespace: string;
  /** Regular expression of its data PVC names (model/operators/eck.ts esDataClaimPattern). */
  readonly claimPattern: string;
  /** Days of traces kept (shown in the description). */
  readonly retentionDays: number;
  /** Name of the index-cleaner CronJob (its Jobs are `<name>-<scheduled minute>`). */
  readonly cleanerCronJob: string;
}

/** Share of a volume used above which the warning fires: 5 points below Elasticsearch's low watermark. */
export const TRACE_STORAGE_WARNING_RATIO = Math.round((ES_DISK_WATERMARKS.low - 0.05) * 100) / 100;

/** Rule group of trace storage. */
export function tracingAlertGroups(s: TraceStorageScope): Array<{ name: string; rules: AlertRule[] }> {
  const sel = `namespace="${s.namespace}",persistentvolumeclaim=~"${s.claimPattern}"`;
  const used = `kubelet_volume_stats_used_bytes{${sel}} / kubelet_volume_stats_capacity_bytes{${sel}}`;
  return [{
    name: 'finbot.tracing',
    rules: [
      {
        alert: 'TraceStorageFillingUp',
        expr: `${used} > ${TRACE_STORAGE_WARNING_RATIO}`,
        for: '15m',
        severity: 'warning',
        absentGuard: [`kubelet_volume_stats_used_bytes{${sel}}`, `kubelet_volume_stats_capacity_bytes{${sel}}`],
        summary: 'Trace storage volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full',
        description: `Elasticsearch stops allocating shards at ${ES_DISK_WATERMARKS.low * 100} % and makes its indices read-only at ${ES_DISK_WATERMARKS.floodStage * 100} % (Jaeger then drops spans). Traces are kept ${s.retentionDays} days: check the index-cleaner CronJob ran, or lower tracing.retentionDays / grow the volumes.`,
      },
      {
        alert: 'TraceStorageAlmostReadOnly',
        expr: `${used} > ${ES_DISK_WATERMARKS.high}`,
        for: '5m',
        severity: 'critical',
        absentGuard: [`kubelet_volume_stats_used_bytes{${sel}}`, `kubelet_volume_stats_capacity_bytes{${sel}}`],
        summary: 'Trace storage volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full',
        description: `Above ${ES_DISK_WATERMARKS.high * 100} % Elasticsearch moves shards away; at ${ES_DISK_WATERMARKS.floodStage * 100} % its indices become read-only and traces are lost.`,
      },
      {
        alert: 'TraceRetentionJobFailed',
        expr: `max by (namespace, job_name) (kube_job_failed{namespace="${s.namespace}",job_name=~"${s.cleanerCronJob}-[0-9]+",condition="true"}) > 0`,
        for: '5m',
        severity: 'warning',
        // kube-state-metrics reports every Job with condition true/false: no series at all means the cleaner never ran.
        absentGuard: [`kube_job_failed{namespace="${s.namespace}",job_name=~"${s.cleanerCronJob}-[0-9]+"}`],
        summary: 'Trace retention job {{ $labels.job_name }} failed',
        description: `The index cleaner did not delete the trace indices older than ${s.retentionDays} days; trace storage keeps growing until the disk alerts fire.`,
      },
      {
        // The rules above never fire when the volume statistics vanish (scrape broken, claim renamed).
        alert: 'TraceStorageMetricsAbsent',
        expr: `absent(kubelet_volume_stats_capacity_bytes{${sel}})`,
        for: '30m',
        severity: 'warning',
        neverAbsent: 'the expression is the absence check itself',
        summary: 'No volume statistics for the trace storage volumes',
        description: `kubelet_volume_stats_capacity_bytes has no series for ${s.namespace}/${s.claimPattern}: the disk-usage alerts of trace storage cannot fire.`,
      },
    ],
  }];
}
