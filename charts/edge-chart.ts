/**
 * The edge: how the internet reaches web and api (design document: "Load Balancer (NGINX)" and
 * "Ingress Controller: NGINX Ingress with cert-manager for SSL"). Output: dist/<env>/edge.yaml.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { AcmeClusterIssuer, NginxIngressEdge } from '../constructs/edge';
import type { AppsChart } from './apps-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** Props of {@link EdgeChart}. */
export interface EdgeChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
  /** The apps the public hosts route to. */
  readonly apps: AppsChart;
}

/** ClusterIssuer, Certificates, Ingresses and the NGINX controller's ConfigMaps. */
export class EdgeChart extends Chart {
  readonly issuer: AcmeClusterIssuer;
  /** The one edge construct (replaceable by a Gateway API implementation). */
  readonly edge: NginxIngressEdge;

  constructor(scope: Construct, id: string, props: EdgeChartProps) {
    super(scope, id);
    const { settings, namespaces, apps } = props;
    const edge = settings.edge;
    const environment = settings.name;
    this.issuer = new AcmeClusterIssuer(this, 'Issuer', {
      environment,
      server: edge.acme.server,
      email: edge.acme.email,
      ingressClassName: edge.ingressClassName,
    });
    this.edge = new NginxIngressEdge(this, 'Edge', {
      environment,
      ingressNamespace: namespaces.ingress,
      issuer: this.issuer,
      ingressClassName: edge.ingressClassName,
      controllerServiceAccount: edge.controllerServiceAccount,
      routes: [
        // The design document rate-limits the API server; the web frontend serves mostly cached assets.
        { host: edge.hosts.api, app: apps.api, rateLimited: true },
        { host: edge.hosts.web, app: apps.web },
      ],
      rateLimit: edge.rateLimit,
      timeouts: edge.timeouts,
      nextUpstream: edge.nextUpstream,
      hsts: edge.hsts,
      cdn: edge.cdn,
    });
  }
}
