/**
 * What kube-state-metrics (v2.17, an image this repository runs itself) listens on and exports. Read in
 * kubernetes/kube-state-metrics at tag v2.17.0.
 */

/** The release every fact below was read in (the settings pin the image tag; the chart checks it is 2.x). */
export const KUBE_STATE_METRICS_RELEASE = 'v2.17.0';

/** Upstream image repository (the project publishes to registry.k8s.io). */
export const KUBE_STATE_METRICS_IMAGE = 'registry.k8s.io/kube-state-metrics/kube-state-metrics';

/**
 * Ports: `--port` 8080 serves the object metrics and `/livez`; `--telemetry-port` 8081 serves its own metrics
 * and `/readyz` (pkg/options/options.go flag defaults; pkg/app/server.go `buildMetricsServer`,
 * `buildTelemetryServer`, `livezPath`, `readyzPath`).
 */
export const KSM_PORTS = { metrics: 8080, telemetry: 8081 } as const;
export const KSM_PROBE_PATHS = { liveness: '/livez', readiness: '/readyz' } as const;

/** The distroless image runs as `nobody` (65534). */
export const KSM_USER = 65534;

/**
 * The metrics the alerts and the dashboard read, each with the `--resources` entry (and API group) that makes
 * kube-state-metrics export it (internal/store/pod.go, internal/store/horizontalpodautoscaler.go).
 */
export const KSM_METRICS = {
  kube_pod_container_status_restarts_total: { resource: 'pods', apiGroup: '' },
  kube_pod_container_resource_limits: { resource: 'pods', apiGroup: '' },
  kube_horizontalpodautoscaler_status_current_replicas: { resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling' },
  kube_horizontalpodautoscaler_spec_max_replicas: { resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling' },
} as const;
