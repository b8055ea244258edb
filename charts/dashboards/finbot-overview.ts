/**
 * The design document's "FinBot v4 Production Overview" dashboard as a typed Grafana model: API p95
 * response time and error rate (the document's queries, aggregated so they return one series per job),
 * plus request rate, saturation against limits, Postgres and Redis. Panel types are those current Grafana
 * renders (`timeseries`, `stat`); the document's `graph`/`singlestat` were removed in Grafana 11/8.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */

import { BLACKBOX_METRICS, ISTIO_METRICS } from '../../model/operators/exporter-metrics';

/** The template input the GrafanaDashboard maps to the Prometheus data source. */
export const PROMETHEUS_INPUT = 'DS_PROMETHEUS';

/** A PromQL query of a panel. */
export interface PanelTarget {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
}

/** The subset of Grafana's panel model used here. */
export interface Panel {
  readonly id: number;
  readonly title: string;
  readonly type: 'timeseries' | 'stat';
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource: { readonly type: 'prometheus'; readonly uid: string };
  readonly targets: readonly PanelTarget[];
  readonly fieldConfig: { readonly defaults: { readonly unit: string; readonly thresholds?: unknown }; readonly overrides: readonly unknown[] };
  readonly options?: Record<string, unknown>;
}

/** A Grafana dashboard model. */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly timezone: string;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly panels: readonly Panel[];
}

/** Where the queried workloads run. */
export interface DashboardScope {
  readonly environment: string;
  readonly appNamespace: string;
  readonly databaseNamespace: string;
  readonly cacheNamespace: string;
  /** Job (Service) name of the API, e.g. finbot-api. */
  readonly apiJob: string;
  /** `job` of the synthetic probes (the Probes' jobName). */
  readonly probeJob: string;
}

const datasource = { type: 'prometheus', uid: `\${${PROMETHEUS_INPUT}}` } as const;

/** Every PromQL query of a dashboard (for the promtool parse test and the docs). */
export function dashboardQueries(d: Dashboard): Array<{ panel: string; refId: string; expr: string }> {
  return d.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr })));
}

/** The overview dashboard of one environment. */
export function finbotOverviewDashboard(s: DashboardScope): Dashboard {
  const app = `namespace="${s.appNamespace}"`;
  const mesh = `reporter="destination",destination_service_namespace="${s.appNamespace}"`;
  let id = 0;
  const panel = (title: string, type: Panel['type'], unit: string, gridPos: Panel['gridPos'], exprs: Array<[string, string]>, extra: Partial<Panel> = {}): Panel => ({
    id: ++id,
    title,
    type,
    gridPos,
    datasource,
    targets: exprs.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat })),
    fieldConfig: { defaults: { unit }, overrides: [] },
    ...extra,
  });
  const title = s.environment === 'production' ? 'FinBot v4 Production Overview' : `FinBot v4 Overview (${s.environment})`;
  return {
    uid: 'finbot-overview',
    title,
    tags: ['finbot', s.environment],
    schemaVersion: 39,
    timezone: 'utc',
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    panels: [
      panel('API Response Time', 'timeseries', 's', { x: 0, y: 0, w: 12, h: 8 }, [
        [`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${app},job="${s.apiJob}"}[5m])))`, '95th percentile'],
      ]),
      panel('Error Rate', 'stat', 'percentunit', { x: 12, y: 0, w: 6, h: 8 }, [
        [`sum(rate(http_requests_total{${app},status=~"5.."}[5m])) / sum(rate(http_requests_total{${app}}[5m]))`, 'Error Rate'],
      ], {
        fieldConfig: {
          defaults: { unit: 'percentunit', thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.01 }, { color: 'red', value: 0.05 }] } },
          overrides: [],
        },
        options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'area' },
      }),
      panel('Request Rate', 'timeseries', 'reqps', { x: 18, y: 0, w: 6, h: 8 }, [
        [`sum by (job) (rate(http_requests_total{${app}}[5m]))`, '{{job}}'],
      ]),
      panel('CPU vs Limit', 'timeseries', 'percentunit', { x: 0, y: 8, w: 12, h: 8 }, [
        [`sum by (pod) (rate(container_cpu_usage_seconds_total{${app},container!=""}[5m])) / sum by (pod) (kube_pod_container_resource_limits{${app},resource="cpu"})`, '{{pod}}'],
      ]),
      panel('Memory vs Limit', 'timeseries', 'percentunit', { x: 12, y: 8, w: 12, h: 8 }, [
        [`sum by (pod) (container_memory_working_set_bytes{${app},container!=""}) / sum by (pod) (kube_pod_container_resource_limits{${app},resource="memory"})`, '{{pod}}'],
      ]),
      panel('Postgres Connections', 'timeseries', 'short', { x: 0, y: 16, w: 8, h: 8 }, [
        [`sum by (pod) (cnpg_backends_total{namespace="${s.databaseNamespace}"})`, '{{pod}}'],
      ]),
      panel('Postgres Replication Lag', 'timeseries', 's', { x: 8, y: 16, w: 8, h: 8 }, [
        [`max by (pod) (cnpg_pg_replication_lag{namespace="${s.databaseNamespace}"})`, '{{pod}}'],
      ]),
      panel('Redis Up', 'stat', 'short', { x: 16, y: 16, w: 8, h: 4 }, [
        [`sum(redis_up{namespace="${s.cacheNamespace}"})`, 'nodes up'],
      ]),
      panel('Redis Hit Ratio', 'timeseries', 'percentunit', { x: 16, y: 20, w: 8, h: 4 }, [
        [`sum(rate(redis_keyspace_hits_total{namespace="${s.cacheNamespace}"}[5m])) / (sum(rate(redis_keyspace_hits_total{namespace="${s.cacheNamespace}"}[5m])) + sum(rate(redis_keyspace_misses_total{namespace="${s.cacheNamespace}"}[5m])))`, 'hit ratio'],
      ]),
      // From the Envoy sidecars (PodMonitor istio-sidecars): what the mesh sees per route, i.e. per destination
      // Service of the VirtualServices, as reported by the receiving sidecar.
      panel('Mesh Request Rate by Route', 'timeseries', 'reqps', { x: 0, y: 24, w: 12, h: 8 }, [
        [`sum by (destination_service_name) (rate(${ISTIO_METRICS.requests}{${mesh}}[5m]))`, '{{destination_service_name}}'],
      ]),
      panel('Mesh Error Rate by Route', 'timeseries', 'percentunit', { x: 12, y: 24, w: 12, h: 8 }, [
        [`sum by (destination_service_name) (rate(${ISTIO_METRICS.requests}{${mesh},response_code=~"5.."}[5m])) / sum by (destination_service_name) (rate(${ISTIO_METRICS.requests}{${mesh}}[5m]))`, '{{destination_service_name}}'],
      ]),
      panel('Synthetic Checks', 'stat', 'short', { x: 0, y: 32, w: 12, h: 4 }, [
        [`min by (endpoint) (${BLACKBOX_METRICS.success}{job="${s.probeJob}"})`, '{{endpoint}}'],
      ]),
    ],
  };
}
