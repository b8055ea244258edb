/**
 * What Istio (1.30) does with what the output renders: when it injects the Envoy sidecar, what that sidecar
 * requests, and how a VirtualService's retries become Envoy's. Read in istio/istio at tag 1.30.3 unless said.
 * Constructs, validation and the tools read these facts here; none keeps its own copy.
 */

/** Labels and annotations a pod or namespace carries. */
type Strings = Readonly<Record<string, string>> | undefined;

/**
 * Whether Istio injects its sidecar into a pod.
 *
 * The `istio-sidecar-injector` MutatingWebhookConfiguration calls istiod for a pod in a namespace labelled
 * `istio-injection=enabled` (or `istio.io/rev=<rev>`) unless the pod is labelled `sidecar.istio.io/inject=false`,
 * and for a pod labelled `sidecar.istio.io/inject=true` in a namespace without an `istio-injection` label
 * (manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml). istiod then injects unless
 * the pod opts out; the label wins over the deprecated annotation of the same name (pkg/kube/inject/webhook.go,
 * `injectRequired`).
 */
export function sidecarInjected(namespaceLabels: Strings, podLabels: Strings, podAnnotations: Strings): boolean {
  const nsLabel = namespaceLabels?.['istio-injection'];
  const podLabel = podLabels?.['sidecar.istio.io/inject'];
  const namespaceOn = nsLabel === 'enabled' || (nsLabel === undefined && namespaceLabels?.['istio.io/rev'] !== undefined);
  const webhookCalled = namespaceOn ? podLabel !== 'false' : nsLabel === undefined && podLabel === 'true';
  if (!webhookCalled) return false;
  const choice = (podLabel ?? podAnnotations?.['sidecar.istio.io/inject'] ?? '').toLowerCase();
  return !['false', 'n', 'no', 'off'].includes(choice);
}

/** Name of the injected sidecar container. */
export const SIDECAR_CONTAINER = 'istio-proxy';

/**
 * Resources of the injected sidecar unless the pod's `sidecar.istio.io/proxyCPU|proxyMemory|proxyCPULimit|
 * proxyMemoryLimit` annotations say otherwise: the istio-discovery chart's `global.proxy.resources`
 * (manifests/charts/istio-control/istio-discovery/values.yaml).
 */
export const SIDECAR_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } } as const;

/**
 * Envoy retry conditions under which the request provably never reached the app: the connection failed, or
 * the upstream refused the HTTP/2 stream (REFUSED_STREAM: no processing happened). Only these may retry a
 * request whose method is not idempotent. Envoy's `reset-before-request` would belong here too, but Istio's
 * VirtualService validation does not accept it (pkg/config/validation/validation.go, `supportedRetryOnPolicies`).
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
export const NEVER_REACHED_APP_RETRY_ON: readonly string[] = ['connect-failure', 'refused-stream'];

/** Methods RFC 9110 §9.2.2 defines as idempotent: the only ones a retry on a response or a reset may repeat. */
export const IDEMPOTENT_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'];

/** Every HTTP method a route may see (Istio's `supportedMethods`, Go's net/http method list). */
export const HTTP_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'];

/**
 * Envoy retry policy of a VirtualService HTTP route (pilot/pkg/networking/core/route/retry/retry.go,
 * `ConvertPolicy`): no `retries` → Istio's default, 2 retries on
 * `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes` with 503 retriable (a 503 can
 * come after the app acted); `attempts: 0` → no retries; otherwise `attempts` retries on `retryOn` (when
 * `retryOn` is empty, on the default conditions). Returns the conditions, or [] for none.
 */
export function effectiveRetryOn(retries: { attempts?: number; retryOn?: string } | undefined): string[] {
  const defaults = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes', '503'];
  if (retries === undefined || retries === null) return defaults;
  if ((retries.attempts ?? 0) <= 0) return [];
  const on = (retries.retryOn ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return on.length > 0 ? on : defaults;
}
