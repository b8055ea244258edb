/**
 * The namespaces of an environment. Every other chart receives them from here, so a namespace that
 * something refers to is a namespace this chart creates.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { FinbotNamespace } from '../constructs/namespace';
import { NGF_CONTROL_PLANE_NAMESPACE_ROLE } from '../model/operators/nginx-gateway-fabric';

/** The namespaces every other chart places objects in. */
export interface EnvironmentNamespaces {
  readonly app: FinbotNamespace;
  readonly monitoring: FinbotNamespace;
  readonly ingress: FinbotNamespace;
  readonly database: FinbotNamespace;
  readonly cache: FinbotNamespace;
  readonly vault: FinbotNamespace;
  /** The NGINX Gateway Fabric control plane (edge implementation nginx-gateway-fabric only). */
  readonly gatewayControlPlane?: FinbotNamespace;
}

/** Props of {@link PlatformChart}. */
export interface PlatformChartProps {
  readonly settings: Settings;
}

/** Namespaces with Pod Security Standards labels. */
export class PlatformChart extends Chart {
  readonly namespaces: EnvironmentNamespaces;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id);
    const { settings } = props;
    const ns = settings.platform.namespaces;
    const environment = settings.name;
    this.namespaces = {
      app: new FinbotNamespace(this, 'App', { name: ns.app, environment, istioInjection: settings.platform.istioInjection }),
      monitoring: new FinbotNamespace(this, 'Monitoring', { name: ns.monitoring, role: 'monitoring', environment }),
      // The edge's proxy pods (NGF's data plane, or the ingress-nginx controller while migrating). Restricted:
      // NGF's NGINX binds 80/443 through the safe sysctl net.ipv4.ip_unprivileged_port_start, and restricted
      // allows adding NET_BIND_SERVICE, which is all ingress-nginx's controller adds.
      ingress: new FinbotNamespace(this, 'Ingress', { name: ns.ingress, role: 'ingress-nginx', environment }),
      database: new FinbotNamespace(this, 'Database', { name: ns.database, role: 'database', environment }),
      cache: new FinbotNamespace(this, 'Cache', { name: ns.cache, role: 'cache', environment }),
      vault: new FinbotNamespace(this, 'Vault', { name: ns.vault, role: 'vault', environment }),
      ...(settings.edge.implementation === 'nginx-gateway-fabric' ? {
        gatewayControlPlane: new FinbotNamespace(this, 'GatewayControlPlane', {
          name: settings.edge.nginxGatewayFabric.controlPlane.namespace,
          role: NGF_CONTROL_PLANE_NAMESPACE_ROLE,
          environment,
        }),
      } : {}),
    };
  }
}
