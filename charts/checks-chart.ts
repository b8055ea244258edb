/**
 * Production validation (design document: "Testing Strategy / Production Validation"): the smoke test
 * that runs after every Argo CD sync, and synthetic monitoring of the public endpoints.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { BlackboxExporter, HttpsProbe } from '../constructs/blackbox-exporter';
import { SmokeTestJob, type SmokeTarget } from '../constructs/smoke-test-job';
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
    });
    this.prober = new BlackboxExporter(this, 'BlackboxExporter', {
      namespace: namespaces.monitoring.name,
      environment,
      scrapers: [{ podLabels: { ...PROMETHEUS_POD_LABELS } }],
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
