/**
 * What the OpenTelemetry operator makes from an `OpenTelemetryCollector` (opentelemetry.io/v1beta1), as read
 * in open-telemetry/opentelemetry-operator at the release the project pins (v0.158.0). The project runs no
 * collector through the operator (Jaeger v2 is a plain Deployment, constructs/jaeger-v2.ts); the cluster
 * model still derives these objects so that a collector CR added to the output is validated as the
 * operator would realise it.
 */
import type { Labels } from '../selectors';
import type { DerivedObjects } from './derived';

/** The release these facts were read at. */
export const OPENTELEMETRY_OPERATOR_RELEASE = 'v0.158.0';

/**
 * `app.kubernetes.io/component` of collector pods and objects.
 * @see open-telemetry/opentelemetry-operator internal/manifests/collector/collector.go (v0.158.0): ComponentOpenTelemetryCollector
 */
export const COLLECTOR_COMPONENT = 'opentelemetry-collector';

/**
 * Deployment, Service, PDB and HPA names: `<cr>-collector` (truncated to 63).
 * @see open-telemetry/opentelemetry-operator internal/naming/main.go (v0.158.0): Collector, Service
 */
export function collectorName(cr: string): string {
  return `${cr}-collector`.slice(0, 63);
}

/**
 * Services the operator creates for a collector: `<cr>-collector` (the receivers' ports),
 * `<cr>-collector-headless` and `<cr>-collector-monitoring` (8888).
 * @see open-telemetry/opentelemetry-operator internal/naming/main.go (v0.158.0): Service, HeadlessService, MonitoringService
 */
export function collectorServiceNames(cr: string): { readonly main: string; readonly headless: string; readonly monitoring: string } {
  const main = collectorName(cr);
  return { main, headless: `${main}-headless`.slice(0, 63), monitoring: `${main}-monitoring`.slice(0, 63) };
}

/** Port of the collector's own telemetry the monitoring Service exposes. */
export const COLLECTOR_MONITORING_PORT = 8888;

/**
 * The labels the operator selects collector pods by (Deployment selector, Service selector, its own
 * NetworkPolicy): immutable, never `app.kubernetes.io/name`.
 * @see open-telemetry/opentelemetry-operator internal/manifests/manifestutils/labels.go (v0.158.0): SelectorLabels
 */
export function collectorSelectorLabels(namespace: string, cr: string): Labels {
  return {
    'app.kubernetes.io/managed-by': 'opentelemetry-operator',
    'app.kubernetes.io/instance': `${namespace}.${cr}`.slice(0, 63),
    'app.kubernetes.io/part-of': 'opentelemetry',
    'app.kubernetes.io/component': COLLECTOR_COMPONENT,
  };
}

/**
 * Every label of a collector pod: the CR's own labels (minus the operator's `--labels-filter`), then the
 * selector labels over them, `app.kubernetes.io/version` from the image tag, and
 * `app.kubernetes.io/name: <cr>-collector` **only when the CR carries no `app.kubernetes.io/name`** (a CR
 * labelled `app.kubernetes.io/name: jaeger` gets pods labelled `jaeger`). Select on
 * {@link collectorSelectorLabels}, never on the name.
 * @see open-telemetry/opentelemetry-operator internal/manifests/manifestutils/labels.go (v0.158.0): Labels
 * @see open-telemetry/opentelemetry-operator internal/manifests/manifestutils/labels_test.go (v0.158.0): TestLabelsPropagateDown, TestLabelsCommonSet, TestLabelsTagUnset
 */
export function collectorPodLabels(namespace: string, cr: string, crLabels: Labels, image: string | undefined): Labels {
  const out: Record<string, string> = { ...crLabels, ...collectorSelectorLabels(namespace, cr) };
  out['app.kubernetes.io/version'] = versionLabel(image ?? '');
  if (out['app.kubernetes.io/name'] === undefined) out['app.kubernetes.io/name'] = collectorName(cr);
  return out;
}

/**
 * `app.kubernetes.io/version` from an image reference: the tag (`repo:tag`), the part before `@sha256` for
 * `repo:tag@sha256:…`, `latest` without a tag.
 * @see open-telemetry/opentelemetry-operator internal/manifests/manifestutils/labels.go (v0.158.0): Labels
 */
export function versionLabel(image: string): string {
  const parts = image.split(':');
  if (parts.length === 3) return parts.map((p) => (p.endsWith('@sha256') ? p.slice(0, -'@sha256'.length) : undefined)).filter((p) => p !== undefined).pop() ?? '';
  if (parts.length === 2) return parts[1].slice(0, 63);
  return 'latest';
}

/**
 * The operator's own NetworkPolicy for a collector (`operand.networkpolicy`): on unless the CR sets
 * `spec.networkPolicy.enabled: false` (the feature gate is beta and enabled by default since v0.158.0; the
 * webhook fills `enabled: true` when unset). It selects the collector pods by {@link collectorSelectorLabels}
 * and has one ingress rule with **no `from`** listing every container port: any pod of any namespace may
 * connect, whatever the project's own policies say.
 * @see open-telemetry/opentelemetry-operator internal/manifests/collector/networkpolicy.go (v0.158.0): NetworkPolicy
 * @see open-telemetry/opentelemetry-operator internal/webhook/collector_webhook.go (v0.158.0): Default
 * @see open-telemetry/opentelemetry-operator CHANGELOG.md (v0.158.0): operand.networkpolicy promoted to beta, enabled by default
 */
export function collectorNetworkPolicyEnabled(spec: { readonly networkPolicy?: { readonly enabled?: boolean } } | undefined): boolean {
  return spec?.networkPolicy?.enabled !== false;
}

/**
 * Name of that NetworkPolicy.
 * @see open-telemetry/opentelemetry-operator internal/naming/main.go (v0.158.0): CollectorNetworkPolicy
 */
export function collectorNetworkPolicyName(cr: string): string {
  return `${cr}-collector-networkpolicy`.slice(0, 63);
}

/**
 * Extensions for which the operator generates liveness/readiness/startup probes: only the v1 `health_check`
 * extension. Jaeger v2 ships `healthcheckv2`, so a Jaeger collector CR gets no probes at all, and the CR's
 * `spec.livenessProbe`/`readinessProbe` only adjust a generated probe.
 * @see open-telemetry/opentelemetry-operator internal/components/extensions/helpers.go (v0.158.0): registry
 * @see open-telemetry/opentelemetry-operator internal/manifests/collector/container.go (v0.158.0): GetLivenessProbe, defaultProbeSettings
 */
export const PROBED_HEALTH_EXTENSIONS: readonly string[] = ['health_check'];

/**
 * Ports the operator derives for an `otlp` receiver (Service and container ports `otlp-grpc`/`otlp-http`).
 * @see open-telemetry/opentelemetry-operator internal/components/receivers/helpers.go (v0.158.0): otlp port mappings
 */
export const OTLP_RECEIVER_PORTS = { grpc: 4317, http: 4318 } as const;

/**
 * Pods and Services of an OpenTelemetryCollector `<cr>` in `namespace`: `spec.replicas` pods (default 1,
 * internal/webhook/collector_webhook.go `Default`) labelled {@link collectorPodLabels}, listening on the otlp receiver
 * ports, `spec.ports` and the monitoring port; the Service `<cr>-collector` (receiver ports) and
 * `<cr>-collector-monitoring` (8888), both selecting {@link collectorSelectorLabels}
 * (internal/manifests/collector/service.go `Service`, `MonitoringService`).
 */
export function collectorDerived(namespace: string, cr: string, crLabels: Labels, spec: { image?: string; replicas?: number; ports?: ReadonlyArray<{ name?: string; port: number }> } = {}): DerivedObjects {
  const selector = collectorSelectorLabels(namespace, cr);
  const ports = [{ port: OTLP_RECEIVER_PORTS.grpc, name: 'otlp-grpc' }, { port: OTLP_RECEIVER_PORTS.http, name: 'otlp-http' }, ...(spec.ports ?? []).map((p) => ({ port: p.port, name: p.name }))];
  const svc = collectorServiceNames(cr);
  return {
    pods: [{ what: 'OpenTelemetry collector', labels: collectorPodLabels(namespace, cr, crLabels, spec.image), ports: [...ports, { port: COLLECTOR_MONITORING_PORT, name: 'metrics' }], replicas: spec.replicas ?? 1 }],
    services: [
      { name: svc.main, selector, ports },
      { name: svc.monitoring, selector, ports: [{ port: COLLECTOR_MONITORING_PORT, name: 'monitoring' }] },
    ],
    secrets: [],
  };
}
