/**
 * What NGINX Gateway Fabric (NGF) v2.6.7 does with the objects this project renders, read in its source at
 * that tag (github.com/nginx/nginx-gateway-fabric, tag v2.6.7, commit 5e34a17a8f77). Constructs, the cluster
 * model, validation and the tools read these facts from here; nothing else restates them.
 */

/** The release whose source these facts were read in. */
export const NGF_RELEASE = 'v2.6.7';
/** The Gateway API release whose CRDs the project pins (NGF v2.6.7 is built against v1.5.1; see SOURCES.md). */
export const GATEWAY_API_RELEASE = 'v1.6.1';

/**
 * Name of everything NGF provisions for a Gateway (Deployment, Service, ServiceAccount, ConfigMaps, HPA):
 * `<gateway>-<gatewayClass>`, hash-truncated above 63 characters.
 * Source: internal/controller/provisioner/handler.go (`controller.CreateNginxResourceName(gateway, gcName)`) and
 * internal/framework/controller/resource.go (`truncateAndHashName`, MaxServiceNameLen 63); unit test
 * internal/framework/controller/resource_test.go.
 */
export function ngfResourceName(gatewayName: string, gatewayClassName: string): string {
  const full = `${gatewayName}-${gatewayClassName}`;
  if (full.length > 63) throw new Error(`NGF resource name "${full}" is longer than 63 characters: NGF would hash-truncate it; use a shorter Gateway name`);
  return full;
}

/** The NGF control plane's Helm release: its name and the GatewayClass it serves. */
export interface NgfInstall {
  /** Helm release name (`app.kubernetes.io/instance` of the control plane). */
  readonly release: string;
  /** GatewayClass (chart value nginxGateway.gatewayClassName, default `nginx`). */
  readonly gatewayClassName: string;
}

/**
 * Labels of the data-plane pods NGF provisions for a Gateway, and the selector of its Deployment and Service.
 * Source: internal/controller/provisioner/provisioner.go (baseLabelSelector: `app.kubernetes.io/instance` =
 * the control plane's instance name, `app.kubernetes.io/managed-by` = `<instance>-<gatewayClass>`) and
 * internal/controller/provisioner/objects.go `buildLabelsAndAnnotations` (adds `app.kubernetes.io/name` =
 * resource name and `gateway.networking.k8s.io/gateway-name` = the Gateway; label keys in
 * internal/framework/controller/labels.go). The instance name is the control plane pod's own
 * `app.kubernetes.io/instance` label (charts/nginx-gateway-fabric/templates/deployment.yaml env INSTANCE_NAME),
 * i.e. the Helm release name.
 */
export function ngfDataPlaneSelector(install: NgfInstall, gatewayName: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': install.release,
    'app.kubernetes.io/managed-by': `${install.release}-${install.gatewayClassName}`,
    'app.kubernetes.io/name': ngfResourceName(gatewayName, install.gatewayClassName),
    'gateway.networking.k8s.io/gateway-name': gatewayName,
  };
}

/**
 * The data-plane pods also carry the Gateway's `spec.infrastructure.labels`, and their template the Gateway's
 * `spec.infrastructure.annotations`: objects.go `buildLabelsAndAnnotations` copies them into the object meta
 * that `buildBasePodTemplateSpec` uses for the pod template (labels) and `buildContainerPortsAndAnnotations`
 * (annotations).
 */
export const NGF_INFRASTRUCTURE_METADATA_REACHES_PODS = true;

/**
 * Container ports of the data plane: one per Gateway listener port (named `port-<n>`, NGINX listens on the
 * listener port itself: the pod sets sysctl net.ipv4.ip_unprivileged_port_start=0), plus `metrics` on 9113
 * unless NginxProxy disables metrics. The Service has one port per listener (`port-<n>`, targetPort = n) and
 * no metrics port. Source: objects.go `buildContainerPortsAndAnnotations`, `buildServicePorts`,
 * `buildBasePodTemplateSpec`; internal/controller/config/config.go `DefaultNginxMetricsPort = 9113`.
 */
export const NGF_METRICS_PORT = 9113;
/** Name of the data plane's metrics container port (objects.go `buildContainerPortsAndAnnotations`). */
export const NGF_METRICS_PORT_NAME = 'metrics';
/** Readiness port of the NGINX container (internal/controller/state/dataplane/configuration.go `DefaultNginxReadinessProbePort`). */
export const NGF_READINESS_PORT = 8081;
/** Name of a listener's port on the data-plane pods and Service (objects.go `buildServicePorts`). */
export const ngfListenerPortName = (port: number): string => `port-${port}`;

/**
 * The data plane's NGINX container runs as UID 101 / GID 1001, non-root, without privilege escalation, all
 * capabilities dropped, read-only root filesystem, seccomp RuntimeDefault; the only sysctl is
 * net.ipv4.ip_unprivileged_port_start (a "safe" sysctl): it passes the `restricted` Pod Security Standard.
 * Source: objects.go `buildNginxContainer`, `buildBasePodTemplateSpec`.
 */
export const NGF_DATA_PLANE_RESTRICTED = true;

/**
 * The data plane's NGINX agent connects to the control plane's Service `<fullname>` port 443 (targetPort 8443,
 * `agent-grpc`) with a projected token for audience `<service>.<namespace>.svc`. Source: objects.go
 * `buildBaseVolumes` (token audience); charts/nginx-gateway-fabric/templates/service.yaml and deployment.yaml
 * (containerPort 8443 `agent-grpc`, 9113 `metrics`, 8081 `health`).
 */
export const NGF_AGENT_GRPC_PORT = 8443;
/** Control plane metrics (chart value nginxGateway.metrics.port, default 9113; plain HTTP unless `secure`). */
export const NGF_CONTROL_PLANE_METRICS_PORT = 9113;

/**
 * Labels of the control plane pods: the chart's selector labels `app.kubernetes.io/name` = the chart name
 * (`nginx-gateway-fabric`, unless nameOverride / nginxGateway.name) and `app.kubernetes.io/instance` = the
 * release (charts/nginx-gateway-fabric/templates/_helpers.tpl `nginx-gateway.selectorLabels`, Chart.yaml name).
 * The Service is `<release>-nginx-gateway-fabric` (`nginx-gateway.fullname`) unless the release name
 * contains the chart name.
 */
export function ngfControlPlaneSelector(release: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'nginx-gateway-fabric', 'app.kubernetes.io/instance': release };
}
/** Name of the control plane Service (and Deployment) of a Helm release (`nginx-gateway.fullname`). */
export function ngfControlPlaneService(release: string): string {
  return release.includes('nginx-gateway-fabric') ? release : `${release}-nginx-gateway-fabric`;
}

/**
 * Listener `tls.options` keys NGF reads (internal/controller/state/graph/gateway_listener.go `SSLProtocolsKey`
 * etc.); `nginx.org/ssl-protocols` accepts SSLv2 … TLSv1.3 (`sslProtocolsValues`).
 */
export const NGF_TLS_OPTION_PROTOCOLS = 'nginx.org/ssl-protocols';

/**
 * HTTPRoute rule fields NGF refuses (the rule is then not programmed): `name`, `timeouts`, `retry`, and
 * `sessionPersistence` without NGINX Plus. Request timeouts are therefore set with ProxySettingsPolicy and
 * retries are the mesh's. Source: internal/controller/state/graph/httproute.go `checkForUnsupportedHTTPFields`.
 */
export const NGF_UNSUPPORTED_HTTPROUTE_RULE_FIELDS = ['name', 'timeouts', 'retry', 'sessionPersistence'] as const;

/**
 * RateLimitPolicy renders `limit_req_zone <key> zone=…:<zoneSize> rate=<rate>` and
 * `limit_req zone=… burst=<burst> nodelay`, `limit_req_status <rejectCode>`; the key defaults to
 * `$binary_remote_addr` (the client address after the realip module, i.e. after NginxProxy rewriteClientIP).
 * Source: internal/controller/nginx/config/policies/ratelimit/generator.go (templates, `defaultKey`).
 */
export const NGF_RATE_LIMIT_CLIENT_KEY = '$binary_remote_addr';

/**
 * NGF proxies to the endpoints (pod IPs) of a backend Service, not to its cluster IP
 * (internal/controller/state/resolver: EndpointSlices), and keeps the request's Host header. With an Istio
 * sidecar in the data-plane pods, Envoy's outbound listener for the backend port routes by that Host header:
 * the public host must be a VirtualService host for the mesh to route it.
 */
export const NGF_ROUTES_TO_POD_IPS = true;

/** Label on a Gateway naming the NGF Helm release that serves its class (this project's convention: the
 * GatewayClass is installed with the chart, outside the output, so the model cannot read it there). */
export const NGF_RELEASE_LABEL = 'finbot.io/ngf-release';
/** The chart's default release name in NGF's installation guide (`helm install ngf …`). */
export const NGF_DEFAULT_RELEASE = 'ngf';

/** A Gateway as the model reads it (the fields NGF's provisioner uses). */
export interface GatewayLike {
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: {
    readonly gatewayClassName?: string;
    readonly infrastructure?: { readonly labels?: Record<string, string>; readonly parametersRef?: { readonly group?: string } };
    readonly listeners?: ReadonlyArray<{ readonly port: number; readonly protocol?: string }>;
  };
}

/** What NGF provisions for a Gateway, as the cluster model needs it. */
export interface NgfDataPlane {
  readonly namespace: string;
  readonly resourceName: string;
  readonly release: string;
  /** Pod labels: the selector plus the Gateway's infrastructure labels. */
  readonly podLabels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly podPorts: ReadonlyArray<{ name: string; port: number; protocol: string }>;
  readonly servicePorts: ReadonlyArray<{ name: string; port: number; targetPort: number; protocol: string }>;
}

/**
 * The data plane NGF provisions for a Gateway this project renders for NGF (its `infrastructure.parametersRef`
 * names an NGF NginxProxy, or it carries {@link NGF_RELEASE_LABEL}); undefined for other Gateways.
 */
export function ngfDataPlaneOf(gw: GatewayLike): NgfDataPlane | undefined {
  const spec = gw.spec ?? {};
  const release = gw.metadata.labels?.[NGF_RELEASE_LABEL];
  if (!release && spec.infrastructure?.parametersRef?.group !== 'gateway.nginx.org') return undefined;
  const install = { release: release ?? NGF_DEFAULT_RELEASE, gatewayClassName: spec.gatewayClassName ?? 'nginx' };
  const name = gw.metadata.name ?? '';
  const selector = ngfDataPlaneSelector(install, name);
  const ports = [...new Set((spec.listeners ?? []).map((l) => l.port))].sort((a, b) => a - b);
  return {
    namespace: gw.metadata.namespace ?? 'default',
    resourceName: ngfResourceName(name, install.gatewayClassName),
    release: install.release,
    podLabels: { ...(spec.infrastructure?.labels ?? {}), ...selector },
    selector,
    podPorts: [...ports.map((port) => ({ name: ngfListenerPortName(port), port, protocol: 'TCP' })), { name: NGF_METRICS_PORT_NAME, port: NGF_METRICS_PORT, protocol: 'TCP' }],
    servicePorts: ports.map((port) => ({ name: ngfListenerPortName(port), port, targetPort: port, protocol: 'TCP' })),
  };
}

/** The control plane pods' ports (chart templates/deployment.yaml: agent-grpc 8443, metrics 9113, health 8081). */
export const NGF_CONTROL_PLANE_PORTS = [
  { name: 'agent-grpc', port: NGF_AGENT_GRPC_PORT, protocol: 'TCP' },
  { name: 'metrics', port: NGF_CONTROL_PLANE_METRICS_PORT, protocol: 'TCP' },
  { name: 'health', port: 8081, protocol: 'TCP' },
] as const;
/** The `name` label of the namespace this project creates for the NGF control plane. */
export const NGF_CONTROL_PLANE_NAMESPACE_ROLE = 'nginx-gateway';
