/**
 * Production validation (design document: "Testing Strategy / Production Validation"): the smoke test
 * that runs after every Argo CD sync, and synthetic monitoring of the public endpoints.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { BlackboxExporter, HttpsProbe } from '../constructs/blackbox-exporter';
import { SmokeTestJob, type EdgeCheck, type SmokeTarget } from '../constructs/smoke-test-job';
import { hstsValue, type Edge } from '../constructs/edge';
import { HTTP_PORT_NAME } from '../constructs/finbot-app';
import { PROMETHEUS_POD_LABELS, type AppsChart } from './apps-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/**
 * Services the smoke test checks, in this order, when they exist: the idle (preview) colour first — a
 * broken release must fail before it takes traffic —, then the live Service.
 */
export const SMOKE_TEST_SERVICES = ['finbot-api-preview', 'finbot-api'] as const;

/** Props of {@link ChecksChart}. */
export interface ChecksChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
  /** The application tier: the smoke test checks the Services it finds there. */
  readonly apps: AppsChart;
  /** The edge: the smoke test also calls the public hosts through it, when its in-cluster Service is known. @default none */
  readonly edge?: Edge;
}

interface ServiceJson {
  metadata: { name: string };
  spec: { selector?: Record<string, string>; ports?: Array<{ name?: string; port: number }> };
}

/**
 * The smoke-test targets: each of {@link SMOKE_TEST_SERVICES} that the given chart contains, with its HTTP
 * port and pod selector read from the Service itself, so the list follows the apps chart (blue/green adds
 * `finbot-api-preview`) without a change here.
 */
export function smokeTargets(apps: Construct, path: string): SmokeTarget[] {
  const services = new Map<string, ServiceJson>();
  for (const c of apps.node.findAll()) {
    if (c instanceof ApiObject && c.kind === 'Service') {
      const json = c.toJson() as ServiceJson;
      services.set(json.metadata.name, json);
    }
  }
  return SMOKE_TEST_SERVICES.filter((name) => services.has(name)).map((name) => {
    const svc = services.get(name)!;
    const port = svc.spec.ports?.find((p) => p.name === HTTP_PORT_NAME) ?? svc.spec.ports?.[0];
    if (!port || !svc.spec.selector) throw new Error(`smoke test: Service ${name} has no ${port ? 'selector' : 'port'}`);
    return { service: name, port: port.port, path, podLabels: svc.spec.selector };
  });
}

/** The public hosts, through the edge's in-cluster Service (empty when the output does not know that Service). */
function edgeChecks(edge: Edge | undefined, namespaces: EnvironmentNamespaces, apiPath: string): EdgeCheck[] {
  const svc = edge?.inClusterService;
  if (!edge || !svc) return [];
  return edge.routes.map((r) => ({
    host: r.host,
    // The api's health path; the web app answers / (its health endpoint is not public).
    path: r.app.name === 'finbot-api' ? apiPath : '/',
    service: `${svc.name}.${svc.namespace}.svc.cluster.local`,
    port: svc.port,
    peer: { namespace: svc.namespace, namespaceLabels: namespaces.ingress.selectorLabels, podLabels: edge.proxyPods.labels, targetPort: svc.targetPort },
  }));
}

/** Smoke-test PostSync hook (app namespace) and blackbox prober with Probes (monitoring namespace). */
export class ChecksChart extends Chart {
  readonly smokeTest: SmokeTestJob;
  readonly prober: BlackboxExporter;
  readonly probes: readonly HttpsProbe[];

  constructor(scope: Construct, id: string, props: ChecksChartProps) {
    super(scope, id);
    const { settings, namespaces } = props;
    const environment = settings.name;
    this.smokeTest = new SmokeTestJob(this, 'SmokeTest', {
      namespace: namespaces.app.name,
      environment,
      targets: smokeTargets(props.apps, settings.apps.api.livenessProbe.path),
      istioSidecar: settings.platform.istioInjection,
      edgeChecks: edgeChecks(props.edge, namespaces, settings.apps.api.livenessProbe.path),
    });
    this.prober = new BlackboxExporter(this, 'BlackboxExporter', {
      namespace: namespaces.monitoring.name,
      environment,
      scrapers: [{ podLabels: { ...PROMETHEUS_POD_LABELS } }],
      // What the edge promises every client (edge.yaml): TLS 1.3 only, HSTS, X-Frame-Options.
      minTlsVersion: 'TLS13',
      requiredHeaders: {
        'Strict-Transport-Security': hstsValue(settings.edge.hsts),
        'X-Frame-Options': 'DENY',
      },
    });
    const probes = settings.gitops.probes;
    this.probes = probes.targets.map((target) =>
      new HttpsProbe(this, `Probe-${target.name}`, {
        prober: this.prober,
        target: { ...target, host: settings.edge.hosts[target.name] },
        environment,
        interval: probes.interval,
      }));
  }
}
