/**
 * The namespaces of an environment. Every other chart receives them from here, so a namespace that
 * something refers to is a namespace this chart creates.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { FinbotNamespace } from '../constructs/namespace';

/** The namespaces every other chart places objects in. */
export interface EnvironmentNamespaces {
  readonly app: FinbotNamespace;
  readonly monitoring: FinbotNamespace;
  readonly ingress: FinbotNamespace;
  readonly database: FinbotNamespace;
  readonly cache: FinbotNamespace;
  readonly vault: FinbotNamespace;
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
      // The controller binds 80/443 with NET_BIND_SERVICE, which only `baseline` allows; audit/warn stay restricted.
      ingress: new FinbotNamespace(this, 'Ingress', { name: ns.ingress, role: 'ingress-nginx', environment, enforce: 'baseline' }),
      database: new FinbotNamespace(this, 'Database', { name: ns.database, role: 'database', environment }),
      cache: new FinbotNamespace(this, 'Cache', { name: ns.cache, role: 'cache', environment }),
      vault: new FinbotNamespace(this, 'Vault', { name: ns.vault, role: 'vault', environment }),
    };
  }
}
