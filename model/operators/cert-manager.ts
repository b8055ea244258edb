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
