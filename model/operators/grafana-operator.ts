/**
 * What grafana-operator (v5.24) makes from a `Grafana` CR: its Deployment's pod labels and ports, its Service,
 * ServiceAccount and admin Secret, and whether the pod mounts a Kubernetes API token. Read in
 * grafana/grafana-operator at tag v5.24.0.
 */

/** The release every fact below was read in. */
import type { DerivedObjects } from './derived';

export const GRAFANA_OPERATOR_RELEASE = 'v5.24.0';

/**
 * Pod labels: `app: <name>` (controllers/reconcilers/grafana/deployment_reconciler.go `getDeploymentSpec`,
 * `appLabel` in reconcilers_shared.go), merged with the labels of `spec.deployment.spec.template.metadata`
 * (`v1beta1.Merge(deployment, cr.Spec.Deployment)`).
 */
export function grafanaPodLabels(name: string, templateLabels: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...templateLabels, app: name };
}

/**
 * Ports: container `grafana-http` on `server.http_port` (3000 by default) and `grafana-alert` 9094
 * (deployment_reconciler.go; controllers/config/operator_constants.go `GrafanaHTTPPort`, `GrafanaAlertPort`).
 * Service `<name>-service` port `grafana` 3000 → `grafana-http` (service_reconciler.go).
 */
export const GRAFANA_PORTS = { http: 3000, httpName: 'grafana-http', servicePortName: 'grafana', alert: 9094, alertName: 'grafana-alert' } as const;

/** Service `<name>-service` (controllers/resources/resources.go `GetGrafanaService`). */
export const grafanaServiceName = (name: string): string => `${name}-service`;
/** ServiceAccount `<name>-sa` (controllers/resources/resources.go `GetGrafanaServiceAccount`). */
export const grafanaServiceAccountName = (name: string): string => `${name}-sa`;
/** Admin credentials Secret `<name>-admin-credentials` (controllers/resources/resources.go). */
export const grafanaAdminSecretName = (name: string): string => `${name}-admin-credentials`;

/**
 * The operator sets no `automountServiceAccountToken` on the Deployment or the ServiceAccount it makes
 * (deployment_reconciler.go, service_account_reconciler.go), so the Kubernetes default — mount — holds unless
 * the CR's `spec.deployment.spec.template.spec.automountServiceAccountToken` or
 * `spec.serviceAccount.automountServiceAccountToken` (api/v1beta1/typeoverrides.go) says otherwise. Grafana
 * itself never calls the Kubernetes API; the operator talks to Grafana over HTTP.
 */
export function grafanaMountsToken(spec: { deployment?: { spec?: { template?: { spec?: { automountServiceAccountToken?: boolean } } } }; serviceAccount?: { automountServiceAccountToken?: boolean } }): boolean {
  return spec.deployment?.spec?.template?.spec?.automountServiceAccountToken ?? spec.serviceAccount?.automountServiceAccountToken ?? true;
}

/**
 * Pods, Service and Secrets of a `Grafana` `<name>`: the Deployment's pods ({@link grafanaPodLabels}, ports
 * above; the reconciler sets no replica count, so the Deployment default 1 holds unless
 * `spec.deployment.spec.replicas` overrides it: deployment_reconciler.go `getDeploymentSpec`), the Service
 * `<name>-service` selecting `app: <name>`, and the admin credentials Secret.
 */
export function grafanaDerived(name: string, spec: { deployment?: { spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> } } } } } = {}): DerivedObjects {
  const labels = grafanaPodLabels(name, spec.deployment?.spec?.template?.metadata?.labels ?? {});
  return {
    pods: [{ what: 'Grafana', labels, ports: [{ port: GRAFANA_PORTS.http, name: GRAFANA_PORTS.httpName }, { port: GRAFANA_PORTS.alert, name: GRAFANA_PORTS.alertName }], replicas: spec.deployment?.spec?.replicas ?? 1 }],
    services: [{ name: grafanaServiceName(name), selector: { app: name }, ports: [{ port: GRAFANA_PORTS.http, name: GRAFANA_PORTS.servicePortName, targetPort: GRAFANA_PORTS.httpName }] }],
    secrets: [grafanaAdminSecretName(name)],
  };
}
