/**
 * The ingress-nginx controller as the upstream Helm chart installs it (release `ingress-nginx`; the project
 * was retired upstream in March 2026, the last chart is kubernetes/ingress-nginx helm-chart-4.x): the labels of
 * its controller pods (charts/ingress-nginx/templates/_helpers.tpl `ingress-nginx.selectorLabels` plus
 * `app.kubernetes.io/component: controller` of controller-deployment.yaml) and its ports.
 */
export const INGRESS_NGINX_CONTROLLER_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
};
/** Controller container ports: http 80, https 443, metrics 10254. */
export const INGRESS_NGINX_CONTROLLER_PORTS = [
  { port: 80, protocol: 'TCP', name: 'http' },
  { port: 443, protocol: 'TCP', name: 'https' },
  { port: 10254, protocol: 'TCP', name: 'metrics' },
] as const;
