/**
 * The edge of the cluster on Gateway API, implemented by NGINX Gateway Fabric (NGF) and cert-manager:
 *  - a Gateway with one HTTPS listener per host (TLS 1.3 only, through the listener's `tls.options`) and one
 *    HTTP listener that only redirects to HTTPS and serves cert-manager's HTTP-01 challenge routes,
 *  - one HTTPRoute per host to the app's Service (the api's live colour, with the release's canary share to
 *    the preview colour), adding the security headers with the standard ResponseHeaderModifier filter,
 *  - NGF's policies: RateLimitPolicy (NGINX limit_req), ProxySettingsPolicy (proxy timeouts),
 *    ClientSettingsPolicy (client body and keep-alive), and the NginxProxy that shapes the data plane: client
 *    address from the CDN only, `externalTrafficPolicy: Local`, autoscaling, metrics,
 *  - NetworkPolicies for the data-plane pods NGF provisions, the control plane and the ACME solver pods, a PDB
 *    and PodMonitors for NGF's metrics.
 * What NGF does with these objects (pod labels, ports, names) is read from model/operators/nginx-gateway-fabric.ts.
 * @see https://docs.nginx.com/nginx-gateway-fabric/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/
 */
import { Construct } from 'constructs';
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { labels as finbotLabels, APP_LABEL, APP_LABEL_VALUE } from '../labels';
import { ModelObject } from '../model-object';
import type { FinbotNamespace } from '../namespace';
import { AllowPolicy, CLUSTER_DNS_PEER, DNS_PORTS, type PolicyPeer } from '../network-policy';
import { KubePodDisruptionBudget, PlainApiObject } from '../kube-objects';
import { PodMonitorObject } from '../pod-monitor';
import {
  NGF_AGENT_GRPC_PORT, NGF_CONTROL_PLANE_METRICS_PORT, NGF_METRICS_PORT, NGF_METRICS_PORT_NAME, NGF_RATE_LIMIT_CLIENT_KEY,
  NGF_RELEASE_LABEL, NGF_TLS_OPTION_PROTOCOLS, ngfControlPlaneSelector, ngfDataPlaneSelector, ngfResourceName,
} from '../../model/operators/nginx-gateway-fabric';
import { ACME_SOLVER_LABELS, ACME_SOLVER_PORT } from '../../model/operators/cert-manager';
import { checkRoutes, DEFAULT_SECURITY_HEADERS, hstsValue, type Edge, type EdgeCommonProps, type EdgeRouteObjects } from './edge';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const NGF_GROUP = 'gateway.nginx.org';
/** Listener ports of the Gateway (NGINX listens on them directly; the NGF pod allows unprivileged low ports). */
export const GATEWAY_HTTP_PORT = 80;
export const GATEWAY_HTTPS_PORT = 443;
/** Name of the HTTP listener (redirect + ACME HTTP-01). */
export const HTTP_LISTENER = 'http';

/** Data-plane pods of the Gateway (NginxProxy kubernetes.deployment). */
export interface GatewayDataPlane {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** HPA target CPU utilisation, percent. */
  readonly cpuUtilization: number;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
}

/** A set of pods outside this construct, by namespace and pod labels. */
export interface PodPeer {
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** Props of {@link NginxGatewayFabricEdge}. */
export interface NginxGatewayFabricEdgeProps extends EdgeCommonProps {
  /** Namespace of the NGF control plane (Helm release), created by the caller. */
  readonly controlPlaneNamespace: FinbotNamespace;
  /** Helm release name of the control plane. @default 'ngf' */
  readonly release?: string;
  /** GatewayClass installed by the NGF chart. @default 'nginx' */
  readonly gatewayClassName?: string;
  /** Gateway name. @default 'finbot' */
  readonly gatewayName?: string;
  readonly dataPlane: GatewayDataPlane;
  /** Client limits (ClientSettingsPolicy). */
  readonly client: { readonly maxBodySize: string; readonly bodyTimeoutSeconds: number; readonly keepAliveTimeoutSeconds: number };
  /** Shared memory of the rate-limit zone. @default '10m' */
  readonly rateLimitZoneSize?: string;
  /**
   * Further pods of the edge namespace that may reach the ACME HTTP-01 solver pods (e.g. the ingress-nginx
   * controller serving the challenges while a migration runs). @default only the Gateway's data plane
   */
  readonly acmeSolverClients?: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Prometheus: scrapes the data plane and the control plane; its PodMonitors go to `monitoringNamespace`. */
  readonly prometheus: { readonly namespace: string; readonly namespaceLabels: Readonly<Record<string, string>>; readonly podLabels: Readonly<Record<string, string>> };
  /**
   * Istio's control plane: the data-plane pods get an outbound-only sidecar, which fetches its configuration
   * here. @default no sidecar (the mesh's STRICT mTLS would then refuse the gateway's requests)
   */
  readonly meshControlPlane?: PodPeer;
}

/** NGINX Gateway Fabric edge; replaceable as a whole by {@link Edge}'s other implementation. */
export class NginxGatewayFabricEdge extends Construct implements Edge {
  readonly implementation = 'nginx-gateway-fabric' as const;
  readonly controllerServiceAccount: { readonly namespace: string; readonly name: string };
  readonly proxyPods: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly routes: readonly EdgeRouteObjects[];
  readonly inClusterService: { readonly name: string; readonly namespace: string; readonly port: number; readonly targetPort: number };
  readonly gateway: PlainApiObject;
  readonly nginxProxy: PlainApiObject;
  readonly rateLimitPolicy?: PlainApiObject;
  readonly proxySettingsPolicy: PlainApiObject;
  readonly clientSettingsPolicy: PlainApiObject;
  readonly redirect: PlainApiObject;
  /** The Gateway listener that serves HTTP-01 challenges (for the ClusterIssuer). */
  readonly acmeListener: { readonly name: string; readonly namespace: string; readonly sectionName: string };

  constructor(scope: Construct, id: string, props: NginxGatewayFabricEdgeProps) {
    super(scope, id);
    checkRoutes('NginxGatewayFabricEdge', props.routes, props.cdn);
    const dp = props.dataPlane;
    if (dp.minReplicas > dp.maxReplicas) throw new Error(`NginxGatewayFabricEdge: dataPlane.minReplicas ${dp.minReplicas} is above maxReplicas ${dp.maxReplicas}`);
    const ctx = edgeContext(props);
    const { ns, gatewayName, resourceName } = ctx;
    this.controllerServiceAccount = { namespace: ns, name: resourceName };
    this.proxyPods = { namespace: ns, labels: ctx.dataPlaneLabels };
    // NGF's Service for the Gateway: `<gateway>-<class>`, one port per listener (model/operators/nginx-gateway-fabric.ts).
    this.inClusterService = { name: resourceName, namespace: ns, port: GATEWAY_HTTPS_PORT, targetPort: GATEWAY_HTTPS_PORT };
    this.acmeListener = { name: gatewayName, namespace: ns, sectionName: HTTP_LISTENER };

    // Objects are created in this order (the output's order).
    const certificates = this.certificates(props, ctx);
    this.gateway = this.gatewayObject(props, ctx, certificates);
    this.routes = this.httpRoutes(props, ctx, certificates);
    this.redirect = this.httpsRedirect(props, ctx);
    this.rateLimitPolicy = this.rateLimitPolicies(props, ctx);
    const settings = this.gatewaySettings(props, ctx);
    this.proxySettingsPolicy = settings.proxy;
    this.clientSettingsPolicy = settings.client;
    this.nginxProxy = this.nginxProxyObject(props, ctx);
    new KubePodDisruptionBudget(this, 'DataPlanePdb', {
      metadata: ctx.meta(`${resourceName}-pdb`, ns),
      spec: { maxUnavailable: { value: 1 } as never, selector: { matchLabels: { ...ctx.dataPlaneLabels } } },
    });
    this.networkPolicies(props, ctx);
    this.podMonitors(props, ctx);
  }

  /**
   * Step: one Certificate per host. Certificates live next to the Gateway: no ReferenceGrant, and the HTTP-01
   * solver runs in the edge namespace (cert-manager runs it in the Certificate's namespace), outside the app
   * namespace's mesh.
   */
  private certificates(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext): Map<string, HostCertificate> {
    return new Map(props.routes.map((r) => {
      const tlsSecretName = `${r.app.name}-tls`;
      return [r.host, {
        tlsSecretName,
        certificate: new ModelObject<ICertificate>(this, `Certificate-${r.app.name}`, {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: ctx.meta(tlsSecretName, ctx.ns),
          spec: {
            secretName: tlsSecretName,
            dnsNames: [r.host],
            issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.issuer.name },
            privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
          },
        }),
      }];
    }));
  }

  /** Step: the Gateway, an HTTP listener (redirect + ACME) and one HTTPS listener per host. */
  private gatewayObject(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext, certificates: Map<string, HostCertificate>): PlainApiObject {
    const gatewayMeta = ctx.meta(ctx.gatewayName, ctx.ns);
    return new PlainApiObject(this, 'Gateway', {
      apiVersion: `${GATEWAY_GROUP}/v1`,
      kind: 'Gateway',
      // The release serving the class is installed outside the output: the label tells the model its pods' labels.
      metadata: { ...gatewayMeta, labels: { ...gatewayMeta.labels, [NGF_RELEASE_LABEL]: ctx.install.release } },
      spec: {
        gatewayClassName: ctx.install.gatewayClassName,
        infrastructure: {
          // NGF copies these onto the data-plane pods (model/operators/nginx-gateway-fabric.ts). The sidecar is
          // outbound only: 80/443 reach NGINX untouched (TLS and the client address stay NGINX's), requests to
          // the apps leave with the gateway's mesh identity and mTLS.
          ...(props.meshControlPlane ? {
            labels: { 'sidecar.istio.io/inject': 'true' },
            annotations: { 'traffic.sidecar.istio.io/includeInboundPorts': '' },
          } : {}),
          parametersRef: { group: NGF_GROUP, kind: 'NginxProxy', name: ctx.nginxProxyName },
        },
        listeners: [
          {
            name: HTTP_LISTENER,
            port: GATEWAY_HTTP_PORT,
            protocol: 'HTTP',
            // Only routes of the edge namespace: the redirect below and cert-manager's challenge routes.
            allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }] },
          },
          ...props.routes.map((r) => ({
            name: listenerOf(r.app.name),
            hostname: r.host,
            port: GATEWAY_HTTPS_PORT,
            protocol: 'HTTPS',
            tls: {
              mode: 'Terminate',
              certificateRefs: [{ group: '', kind: 'Secret', name: certificates.get(r.host)!.tlsSecretName }],
              options: { [NGF_TLS_OPTION_PROTOCOLS]: 'TLSv1.3' },
            },
            allowedRoutes: {
              namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': r.app.namespace } } },
              kinds: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }],
            },
          })),
        ],
      },
    });
  }

  /** Step: one HTTPRoute per host to the app's Service (and the canary share to its preview Service). */
  private httpRoutes(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext, certificates: Map<string, HostCertificate>): EdgeRouteObjects[] {
    const headers: Record<string, string> = { ...(props.securityHeaders ?? DEFAULT_SECURITY_HEADERS), 'Strict-Transport-Security': hstsValue(props.hsts) };
    const headerFilter = {
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: { set: Object.keys(headers).sort().map((name) => ({ name, value: headers[name] })) },
    };
    return props.routes.map((r) => {
      const app = r.app;
      const canary = r.canaryPercent ?? 0;
      const backend = (name: string, weight: number) => ({ group: '', kind: 'Service', name, port: app.port!, weight });
      // Weights mirror the mesh's VirtualService: the same split with or without the gateway's sidecar.
      const backendRefs = [
        backend(app.service.metadata.name!, 100 - canary),
        ...(canary > 0 ? [backend(app.previewService!.metadata.name!, canary)] : []),
      ];
      const route = new PlainApiObject(this, `HTTPRoute-${app.name}`, {
        apiVersion: `${GATEWAY_GROUP}/v1`,
        kind: 'HTTPRoute',
        metadata: ctx.meta(app.name, app.namespace),
        spec: {
          parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name: ctx.gatewayName, namespace: ctx.ns, sectionName: listenerOf(app.name) }],
          hostnames: [r.host],
          // NGF refuses rule timeouts/retries (model/operators/nginx-gateway-fabric.ts): ProxySettingsPolicy
          // sets the timeouts, the mesh retries.
          rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [headerFilter], backendRefs }],
        },
      });
      const cert = certificates.get(r.host)!;
      return { host: r.host, app, route, certificate: cert.certificate, tlsSecretName: cert.tlsSecretName };
    });
  }

  /** Step: the HTTP listener's route that redirects every host to HTTPS. */
  private httpsRedirect(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext): PlainApiObject {
    return new PlainApiObject(this, 'HttpsRedirect', {
      apiVersion: `${GATEWAY_GROUP}/v1`,
      kind: 'HTTPRoute',
      metadata: ctx.meta(`${ctx.gatewayName}-https-redirect`, ctx.ns),
      spec: {
        parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name: ctx.gatewayName, sectionName: HTTP_LISTENER }],
        hostnames: props.routes.map((r) => r.host),
        // cert-manager's challenge routes match /.well-known/acme-challenge/<token> exactly, which wins over this prefix.
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });
  }

  /** Step: a RateLimitPolicy per namespace of rate-limited routes; returns the last one (there is one today). */
  private rateLimitPolicies(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext): PlainApiObject | undefined {
    const limited = this.routes.filter((r) => props.routes.find((x) => x.host === r.host)!.rateLimited);
    let policy: PlainApiObject | undefined;
    for (const namespace of [...new Set(limited.map((r) => r.app.namespace))]) {
      const targets = limited.filter((r) => r.app.namespace === namespace);
      policy = new PlainApiObject(this, `RateLimit-${namespace}`, {
        apiVersion: `${NGF_GROUP}/v1alpha1`,
        kind: 'RateLimitPolicy',
        metadata: ctx.meta('finbot-rate-limit', namespace),
        spec: {
          targetRefs: targets.map((r) => ({ group: GATEWAY_GROUP, kind: 'HTTPRoute', name: r.route.metadata.name! })),
          rateLimit: {
            local: {
              rules: [{
                // The client address after rewriteClientIP (NginxProxy below): the visitor, not the CDN node.
                key: NGF_RATE_LIMIT_CLIENT_KEY,
                rate: `${props.rateLimit.requestsPerMinute}r/m`,
                burst: props.rateLimit.burst,
                noDelay: true,
                zoneSize: props.rateLimitZoneSize ?? '10m',
              }],
            },
            rejectCode: 429,
          },
        },
      });
    }
    return policy;
  }

  /** Step: NGINX's proxy timeouts (ProxySettingsPolicy) and client limits (ClientSettingsPolicy) on the Gateway. */
  private gatewaySettings(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext): { proxy: PlainApiObject; client: PlainApiObject } {
    const gatewayRef = { group: GATEWAY_GROUP, kind: 'Gateway', name: ctx.gatewayName };
    const t = props.timeouts;
    const proxy = new PlainApiObject(this, 'ProxySettings', {
      apiVersion: `${NGF_GROUP}/v1alpha1`,
      kind: 'ProxySettingsPolicy',
      metadata: ctx.meta(`${ctx.gatewayName}-proxy-settings`, ctx.ns),
      spec: { targetRefs: [gatewayRef], timeout: { connect: `${t.connectSeconds}s`, send: `${t.sendSeconds}s`, read: `${t.readSeconds}s` } },
    });
    const client = new PlainApiObject(this, 'ClientSettings', {
      apiVersion: `${NGF_GROUP}/v1alpha1`,
      kind: 'ClientSettingsPolicy',
      metadata: ctx.meta(`${ctx.gatewayName}-client-settings`, ctx.ns),
      spec: {
        targetRef: gatewayRef,
        body: { maxSize: props.client.maxBodySize, timeout: `${props.client.bodyTimeoutSeconds}s` },
        keepAlive: { timeout: { server: `${props.client.keepAliveTimeoutSeconds}s` } },
      },
    });
    return { proxy, client };
  }

  /** Step: the NginxProxy that shapes the data plane: client address, metrics, autoscaling, load balancer. */
  private nginxProxyObject(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext): PlainApiObject {
    const dp = props.dataPlane;
    return new PlainApiObject(this, 'NginxProxy', {
      apiVersion: `${NGF_GROUP}/v1alpha2`,
      kind: 'NginxProxy',
      metadata: ctx.meta(ctx.nginxProxyName, ctx.ns),
      spec: {
        // Behind the CDN the TCP peer is a CDN node: take the client from X-Forwarded-For (the CDN appends the
        // visitor), but only when the peer is one of the CDN's ranges; recursive = the last untrusted address.
        rewriteClientIP: {
          mode: 'XForwardedFor',
          setIPRecursively: true,
          trustedAddresses: props.cdn.cidrs.map((value) => ({ type: 'CIDR', value })),
        },
        serverTokens: 'off',
        metrics: { port: NGF_METRICS_PORT },
        kubernetes: {
          deployment: {
            autoscaling: { enable: true, minReplicas: dp.minReplicas, maxReplicas: dp.maxReplicas, targetCPUUtilizationPercentage: dp.cpuUtilization },
            container: { resources: { requests: { ...dp.resources.requests }, limits: { ...dp.resources.limits } } },
            pod: {
              topologySpreadConstraints: [{
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { ...ctx.dataPlaneLabels } },
              }],
            },
          },
          service: {
            type: 'LoadBalancer',
            // Keeps the client (CDN node) address through the cloud load balancer: without it kube-proxy
            // SNATs and every request seems to come from a node, so no CDN range would ever be trusted.
            externalTrafficPolicy: 'Local',
            // Only the CDN may reach the load balancer.
            loadBalancerSourceRanges: [...props.cdn.cidrs],
          },
        },
      },
    });
  }

  /** Step: NetworkPolicies of the data plane, the control plane, the HTTP-01 solver pods and Prometheus' egress. */
  private networkPolicies(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext): void {
    const { ns, resourceName, dataPlaneLabels, controlPlaneLabels } = ctx;
    const prometheusPeer: PolicyPeer = { namespaceLabels: { ...props.prometheus.namespaceLabels }, podLabels: { ...props.prometheus.podLabels } };
    const dataPlanePeer: PolicyPeer = { namespaceLabels: { ...props.ingressNamespace.selectorLabels }, podLabels: { ...dataPlaneLabels } };
    const appNamespaces = [...new Set(props.routes.map((r) => r.app.namespace))].sort();
    const appPorts = [...new Set(props.routes.map((r) => r.app.port!))].sort((a, b) => a - b);
    new AllowPolicy(this, 'DataPlanePolicy', {
      name: `${resourceName}-data-plane`,
      namespace: ns,
      podLabels: { ...dataPlaneLabels },
      ingress: [
        // From the internet through the load balancer (its source ranges admit only the CDN).
        { peers: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: GATEWAY_HTTP_PORT }, { port: GATEWAY_HTTPS_PORT }] },
        { peers: [prometheusPeer], ports: [{ port: NGF_METRICS_PORT }] },
      ],
      egress: [
        ...appNamespaces.map((n) => ({
          peers: [{ namespaceLabels: { 'kubernetes.io/metadata.name': n }, podLabels: { [APP_LABEL]: APP_LABEL_VALUE } }],
          ports: appPorts.map((port) => ({ port })),
        })),
        { peers: [{ namespaceLabels: { ...props.controlPlaneNamespace.selectorLabels }, podLabels: controlPlaneLabels }], ports: [{ port: NGF_AGENT_GRPC_PORT }] },
        { peers: [{ podLabels: { ...ACME_SOLVER_LABELS } }], ports: [{ port: ACME_SOLVER_PORT }] },
        { peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS },
        ...(props.meshControlPlane ? [{
          peers: [{ namespaceLabels: { ...props.meshControlPlane.namespaceLabels }, podLabels: { ...props.meshControlPlane.podLabels } }],
          ports: [{ port: props.meshControlPlane.port }],
        }] : []),
      ],
    });
    new AllowPolicy(this, 'ControlPlanePolicy', {
      name: `${ctx.install.release}-control-plane`,
      namespace: props.controlPlaneNamespace.name,
      podLabels: controlPlaneLabels,
      // Egress stays open: the control plane talks to the Kubernetes API server, whose address no selector names.
      ingress: [
        { peers: [dataPlanePeer], ports: [{ port: NGF_AGENT_GRPC_PORT }] },
        { peers: [prometheusPeer], ports: [{ port: NGF_CONTROL_PLANE_METRICS_PORT }] },
      ],
    });
    new AllowPolicy(this, 'AcmeSolver', {
      name: 'allow-acme-http01-solver-from-gateway',
      namespace: ns,
      podLabels: { ...ACME_SOLVER_LABELS },
      // cert-manager runs them only while a challenge is open; the cluster model has them (model/operators/cert-manager.ts).
      ingress: [{ peers: [{ podLabels: { ...dataPlaneLabels } }, ...(props.acmeSolverClients ?? []).map((l) => ({ podLabels: { ...l } }))], ports: [{ port: ACME_SOLVER_PORT }] }],
    });

    // Prometheus' namespace denies egress by default: let it scrape both.
    new AllowPolicy(this, 'PrometheusEgress', {
      name: 'allow-egress-to-nginx-gateway-fabric',
      namespace: props.prometheus.namespace,
      podLabels: { ...props.prometheus.podLabels },
      egress: [
        { peers: [dataPlanePeer], ports: [{ port: NGF_METRICS_PORT }] },
        { peers: [{ namespaceLabels: { ...props.controlPlaneNamespace.selectorLabels }, podLabels: controlPlaneLabels }], ports: [{ port: NGF_CONTROL_PLANE_METRICS_PORT }] },
      ],
    });
  }

  /** Step: NGF's metrics: NGINX (data plane, port `metrics`, no Service port) and the controller (control plane). */
  private podMonitors(props: NginxGatewayFabricEdgeProps, ctx: EdgeContext): void {
    const monitorLabels = (name: string) => ({ ...ctx.meta(name, props.prometheus.namespace).labels, [APP_LABEL]: APP_LABEL_VALUE });
    new PodMonitorObject(this, 'DataPlaneMonitor', {
      metadata: { name: `${ctx.resourceName}-data-plane`, namespace: props.prometheus.namespace, labels: monitorLabels(`${ctx.resourceName}-data-plane`) },
      spec: {
        namespaceSelector: { matchNames: [ctx.ns] },
        selector: { matchLabels: { ...ctx.dataPlaneLabels } },
        podMetricsEndpoints: [{ port: NGF_METRICS_PORT_NAME, path: '/metrics', interval: '30s' }],
      },
    });
    new PodMonitorObject(this, 'ControlPlaneMonitor', {
      metadata: { name: `${ctx.install.release}-control-plane`, namespace: props.prometheus.namespace, labels: monitorLabels(`${ctx.install.release}-control-plane`) },
      spec: {
        namespaceSelector: { matchNames: [props.controlPlaneNamespace.name] },
        selector: { matchLabels: { ...ctx.controlPlaneLabels } },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
      },
    });
  }
}

/** A host's Certificate and the Secret it writes. */
interface HostCertificate {
  readonly tlsSecretName: string;
  readonly certificate: ModelObject;
}

/** The names and labels every step of the edge uses, derived once from the props. */
interface EdgeContext {
  /** The edge namespace (Gateway, data plane, certificates). */
  readonly ns: string;
  readonly gatewayName: string;
  readonly install: { readonly release: string; readonly gatewayClassName: string };
  /** NGF's name for the Gateway's Deployment, Service and ServiceAccount. */
  readonly resourceName: string;
  readonly nginxProxyName: string;
  readonly dataPlaneLabels: Record<string, string>;
  readonly controlPlaneLabels: Record<string, string>;
  /** Metadata with the edge's labels. */
  readonly meta: (name: string, namespace?: string) => { name: string; namespace?: string; labels: Record<string, string> };
}

function edgeContext(props: NginxGatewayFabricEdgeProps): EdgeContext {
  const gatewayName = props.gatewayName ?? 'finbot';
  const install = { release: props.release ?? 'ngf', gatewayClassName: props.gatewayClassName ?? 'nginx' };
  return {
    ns: props.ingressNamespace.name,
    gatewayName,
    install,
    resourceName: ngfResourceName(gatewayName, install.gatewayClassName),
    nginxProxyName: `${gatewayName}-proxy`,
    dataPlaneLabels: ngfDataPlaneSelector(install, gatewayName),
    controlPlaneLabels: ngfControlPlaneSelector(install.release),
    meta: (name, namespace) => ({
      name,
      ...(namespace ? { namespace } : {}),
      labels: finbotLabels({ name, component: 'edge', environment: props.environment, finbotApp: false }),
    }),
  };
}

/** The HTTPS listener of an app's host. */
function listenerOf(appName: string): string {
  return `https-${appName}`;
}
