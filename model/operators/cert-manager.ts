/**
 * What cert-manager (v1.21, installed outside this repository with its Helm chart) exposes for monitoring:
 * the controller's metrics Service and the certificate-expiry metric. Read in cert-manager/cert-manager at
 * tag v1.21.1.
 */

/** The release every fact below was read in. */
export const CERT_MANAGER_RELEASE = 'v1.21.1';

/**
 * The controller's metrics Service of the Helm chart (deploy/charts/cert-manager/templates/service.yaml, rendered
 * while `prometheus.enabled` and not `prometheus.podmonitor.enabled`): named like the release, labelled
 * `app.kubernetes.io/name: cert-manager`, `app.kubernetes.io/component: controller`, port **`http-metrics`**
 * 9402 (up to v1.20 the port was `tcp-prometheus-servicemonitor`; a ServiceMonitor naming the old port finds
 * no target). The controller container port is `http-metrics` 9402 too (templates/deployment.yaml).
 */
export const CERT_MANAGER_METRICS_SERVICE = {
  labels: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/component': 'controller' },
  port: { name: 'http-metrics', port: 9402 },
  path: '/metrics',
} as const;

/**
 * Gauge of each Certificate's expiry in Unix seconds, labelled `namespace`, `name`, `issuer_name`,
 * `issuer_kind`, `issuer_group` (pkg/metrics/certificates.go). It is 0 for a Certificate without an issued
 * certificate yet (upstream test pkg/metrics/certificates_test.go, case with no NotAfter).
 */
export const CERT_EXPIRY_METRIC = 'certmanager_certificate_expiration_timestamp_seconds';


/**
 * Port the HTTP-01 solver pod listens on (`--listen-port`, containerPort), and the port of its Service, of the
 * Ingress backend and of the HTTPRoute backendRef cert-manager creates for the challenge.
 * Source: pkg/issuer/acme/http/http.go `acmeSolverListenPort = 8089`; pod.go, service.go, ingress.go, httproute.go.
 */
export const ACME_SOLVER_PORT = 8089;

/**
 * The solver pod's identification label (pkg/issuer/acme/http/pod.go `podLabels`:
 * `cmacme.SolverIdentificationLabelKey` = "true", plus per-challenge domain and token hash labels). Extra
 * labels and annotations come from the solver's `podTemplate.metadata` (pod.go `mergePodObjectMetaWithPodTemplate`).
 */
export const ACME_SOLVER_LABELS: Readonly<Record<string, string>> = { 'acme.cert-manager.io/http01-solver': 'true' };

/**
 * The solver pod is annotated `sidecar.istio.io/inject: "false"` by default (pod.go `buildDefaultPod`; mirrored
 * from pod_test.go), and a solver `podTemplate` may override it (pod_test.go sets "true"). Its Service is
 * annotated `auth.istio.io/8089: NONE` (service.go).
 */
export const ACME_SOLVER_DEFAULT_ANNOTATIONS: Readonly<Record<string, string>> = {
  'sidecar.istio.io/inject': 'false',
  'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true',
};

/**
 * Where the solver pod, Service and route run: the namespace of the Challenge, which is the namespace of the
 * Certificate (pod.go / service.go / httproute.go: `Namespace: ch.Namespace`). For a `gatewayHTTPRoute` solver
 * the HTTPRoute's parentRefs are the solver's (httproute.go `generateHTTPRouteSpec`), matching path
 * `/.well-known/acme-challenge/<token>` exactly.
 */
export const ACME_SOLVER_IN_CERTIFICATE_NAMESPACE = true;

/** An HTTP-01 solver pod cert-manager runs for a Certificate, as the cluster model needs it. */
export interface AcmeSolverPod {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Out of the Istio mesh (the default annotation, unless the podTemplate sets inject "true"). */
  readonly outOfMesh: boolean;
  /** The solver's Gateway parentRefs (gatewayHTTPRoute solver), or undefined for the ingress solver. */
  readonly gatewayParents?: ReadonlyArray<{ name: string; namespace?: string; sectionName?: string }>;
  /** The ingress solver's IngressClass. */
  readonly ingressClassName?: string;
}

interface IssuerLike { readonly kind: string; readonly metadata: { readonly name?: string; readonly namespace?: string }; readonly spec?: any }
interface CertificateLike { readonly metadata: { readonly namespace?: string }; readonly spec?: { readonly issuerRef?: { readonly kind?: string; readonly name?: string } } }

/**
 * The HTTP-01 solver pod of a Certificate whose (Cluster)Issuer solves ACME HTTP-01 (its first http01 solver);
 * undefined otherwise. Labels: pod.go `podLabels` (identity label) + the solver's podTemplate labels; mesh:
 * the default annotation `sidecar.istio.io/inject: "false"`, overridden by a podTemplate label or annotation.
 */
export function acmeSolverPodOf(cert: CertificateLike, issuers: readonly IssuerLike[]): AcmeSolverPod | undefined {
  const ref = cert.spec?.issuerRef;
  const namespace = cert.metadata.namespace ?? 'default';
  const issuer = issuers.find((i) => i.metadata.name === ref?.name && (ref?.kind === 'ClusterIssuer' ? i.kind === 'ClusterIssuer' : i.kind === 'Issuer' && i.metadata.namespace === namespace));
  const http01 = (issuer?.spec?.acme?.solvers ?? []).map((s: any) => s.http01).find(Boolean);
  if (!http01) return undefined;
  const solver = http01.gatewayHTTPRoute ?? http01.ingress ?? {};
  const meta = solver.podTemplate?.metadata ?? {};
  const inject = meta.labels?.['sidecar.istio.io/inject'] ?? meta.annotations?.['sidecar.istio.io/inject'] ?? ACME_SOLVER_DEFAULT_ANNOTATIONS['sidecar.istio.io/inject'];
  return {
    namespace,
    labels: { ...(meta.labels ?? {}), ...ACME_SOLVER_LABELS },
    outOfMesh: inject === 'false',
    ...(http01.gatewayHTTPRoute ? { gatewayParents: (http01.gatewayHTTPRoute.parentRefs ?? []) } : { ingressClassName: http01.ingress?.ingressClassName ?? http01.ingress?.class }),
  };
}
