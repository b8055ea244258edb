/**
 * The edge: how the internet reaches web and api (design document: "Load Balancer (NGINX)" and
 * "Ingress Controller: NGINX Ingress with cert-manager for SSL"). Settings pick the implementation
 * (`edge.implementation`): NGINX Gateway Fabric on Gateway API (default) or the retired ingress-nginx. Both
 * render from the same settings behind one interface ({@link Edge}). Output: dist/<env>/edge.yaml.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { AcmeClusterIssuer, NginxGatewayFabricEdge, NginxIngressEdge, type Edge, type EdgeCommonProps } from '../constructs/edge';
import { PROMETHEUS_POD_LABELS, type AppsChart } from './apps-chart';
import { ISTIOD_PEER, ISTIOD_XDS_PORT } from './mesh-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** Props of {@link EdgeChart}. */
export interface EdgeChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
  /** The apps the public hosts route to. */
  readonly apps: AppsChart;
}

/** ClusterIssuer, Certificates and the chosen edge implementation's objects. */
export class EdgeChart extends Chart {
  readonly issuer: AcmeClusterIssuer;
  /** The edge construct of `edge.implementation` (the one DNS points at when not migrating). */
  readonly edge: Edge;
  /** Every edge rendered: the implementation's, and ingress-nginx too while migrating. */
  readonly edges: readonly Edge[];

  constructor(scope: Construct, id: string, props: EdgeChartProps) {
    super(scope, id);
    const { settings, namespaces, apps } = props;
    const edge = settings.edge;
    const environment = settings.name;
    const ngf = edge.nginxGatewayFabric;
    const gatewayNamespace = namespaces.ingress.name;
    const useGateway = edge.implementation === 'nginx-gateway-fabric';
    const renderIngressNginx = !useGateway || edge.migrating;
    this.issuer = new AcmeClusterIssuer(this, 'Issuer', {
      environment,
      server: edge.acme.server,
      email: edge.acme.email,
      // While migrating, DNS still points at ingress-nginx: Let's Encrypt's challenge requests arrive there.
      ...(useGateway && !edge.migrating
        ? { gateway: { name: ngf.gatewayName, namespace: gatewayNamespace, sectionName: 'http' } }
        : { ingressClassName: edge.ingressNginx.ingressClassName }),
    });
    const common: EdgeCommonProps = {
      environment,
      ingressNamespace: namespaces.ingress,
      issuer: this.issuer,
      routes: [
        // The design document rate-limits the API server; the web frontend serves mostly cached assets.
        { host: edge.hosts.api, app: apps.api, rateLimited: true, canaryPercent: settings.release.api.canaryPercent },
        { host: edge.hosts.web, app: apps.web },
      ],
      rateLimit: edge.rateLimit,
      timeouts: edge.timeouts,
      hsts: edge.hsts,
      cdn: edge.cdn,
    };
    const ingressNginx = renderIngressNginx ? new NginxIngressEdge(this, useGateway ? 'LegacyEdge' : 'Edge', {
      ...common,
      ingressClassName: edge.ingressNginx.ingressClassName,
      controllerServiceAccount: edge.ingressNginx.controllerServiceAccount,
      nextUpstream: edge.nextUpstream,
    }) : undefined;
    if (useGateway) {
      const controlPlane = namespaces.gatewayControlPlane;
      if (!controlPlane) throw new Error(`${environment}: edge.implementation nginx-gateway-fabric needs the control plane namespace from the platform chart`);
      this.edge = new NginxGatewayFabricEdge(this, 'Edge', {
        ...common,
        controlPlaneNamespace: controlPlane,
        release: ngf.controlPlane.release,
        gatewayClassName: ngf.gatewayClassName,
        gatewayName: ngf.gatewayName,
        dataPlane: ngf.dataPlane,
        client: ngf.client,
        rateLimitZoneSize: ngf.rateLimitZoneSize,
        prometheus: { namespace: namespaces.monitoring.name, namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: PROMETHEUS_POD_LABELS },
        ...(settings.platform.istioInjection ? { meshControlPlane: { ...ISTIOD_PEER, port: ISTIOD_XDS_PORT } } : {}),
        // While migrating, ingress-nginx serves the challenges of the Gateway's Certificates too.
        ...(ingressNginx ? { acmeSolverClients: [ingressNginx.proxyPods.labels] } : {}),
      });
    } else {
      this.edge = ingressNginx!;
    }
    this.edges = ingressNginx && ingressNginx !== this.edge ? [this.edge, ingressNginx] : [this.edge];
  }
}
