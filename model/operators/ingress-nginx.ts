/**
 * The ingress-nginx controller as the upstream Helm chart installs it with release name `ingress-nginx`
 * (kubernetes/ingress-nginx, charts/ingress-nginx/templates/_helpers.tpl `ingress-nginx.selectorLabels`:
 * `app.kubernetes.io/name` = the chart name, `app.kubernetes.io/instance` = the release; the controller
 * Deployment adds `app.kubernetes.io/component: controller`). The project was retired upstream in March 2026;
 * no release is pinned in SOURCES.md, and these facts were read in the chart's helpers, not at a tag: they were
 * the project's assumption before the move to NGF and are kept for the opt-in edge only.
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
