/**
 * The application tier: finbot-api (blue-green), finbot-web, finbot-worker (and extra workers) with their
 * NetworkPolicies in the app namespace.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ApiAppSettings, AppSettings, Settings } from '../config/schema';
import { dataPlainEnv, dataSecretEnv, type DataEndpoints } from '../constructs/data-endpoints';
import { FinbotApp, type FinbotAppProps } from '../constructs/finbot-app';
import { APP_LABEL, APP_LABEL_VALUE } from '../constructs/labels';
import { AllowPolicy, CLUSTER_DNS_PEER, DefaultDenyPolicy, DNS_PORTS } from '../constructs/network-policy';
import { PROMETHEUS_APP_LABELS } from '../model/operators/prometheus-operator';
import type { EnvironmentNamespaces } from './platform-chart';

/** Labels of every Prometheus pod of the operator (model/operators/prometheus-operator.ts). */
export const PROMETHEUS_POD_LABELS = PROMETHEUS_APP_LABELS;
/** Ports of the data tier, as in the design document's NetworkPolicy. */
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

/** Props of {@link AppsChart}. */
export interface AppsChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
  /** The data tier; api and worker get DATABASE_* / REDIS_* env from it. @default - no data env */
  readonly data?: DataEndpoints;
  /** OTLP/HTTP endpoint of the trace collector, given to every component as OTEL_EXPORTER_OTLP_ENDPOINT. @default none */
  readonly otlpEndpoint?: string;
}

/** api, web and worker with Services, HPAs, PDBs and the app namespace's NetworkPolicies. */
export class AppsChart extends Chart {
  readonly api: FinbotApp;
  readonly web: FinbotApp;
  readonly worker: FinbotApp;
  /** Every component, api/web/worker first, then extra workers by name. */
  readonly components: readonly FinbotApp[];

  constructor(scope: Construct, id: string, props: AppsChartProps) {
    super(scope, id);
    const { settings, namespaces } = props;
    const environment = settings.name;
    const namespace = namespaces.app.name;
    const common = { environment, namespace };
    // Every component sends traces to the collector, when there is one.
    const otel: Record<string, string> = props.otlpEndpoint === undefined ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: props.otlpEndpoint };
    const app = (s: AppSettings | ApiAppSettings, extraEnv: Record<string, string> = {}) => finbotAppProps(s, { ...otel, ...extraEnv });

    const data = props.data ? { secretEnv: dataSecretEnv(), env: dataPlainEnv(props.data) } : { env: {} };
    // The api is released blue-green (release.yaml): both colours render, finbot-api selects the active one.
    const release = settings.release.api;
    this.api = new FinbotApp(this, 'Api', {
      ...common,
      ...app(settings.apps.api, data.env),
      secretEnv: data.secretEnv,
      name: 'finbot-api',
      component: 'api',
      blueGreen: {
        activeColour: release.active,
        tags: { blue: release.colours.blue.tag, green: release.colours.green.tag },
        idleReplicas: release.idleReplicas,
        handoverReplicas: release.handoverReplicas,
      },
    });
    const apiUrl = `http://finbot-api.${namespace}.svc.cluster.local:${settings.apps.api.port ?? 0}`;
    this.web = new FinbotApp(this, 'Web', { ...common, ...app(settings.apps.web, { API_URL: apiUrl }), name: 'finbot-web', component: 'web' });
    this.worker = new FinbotApp(this, 'Worker', {
      ...common, ...app(settings.apps.worker, { ...data.env, API_URL: apiUrl }), secretEnv: data.secretEnv, name: 'finbot-worker', component: 'worker',
    });
    const workers = settings.apps.extraWorkers;
    const extra = Object.keys(workers).sort().map((key) =>
      new FinbotApp(this, `Worker-${key}`, { ...common, ...app(workers[key], { API_URL: apiUrl }), name: `finbot-${key}`, component: 'worker' }));
    this.components = [this.api, this.web, this.worker, ...extra];

    this.networkPolicies(namespaces);
  }

  private networkPolicies(namespaces: EnvironmentNamespaces): void {
    const namespace = namespaces.app.name;
    const finbotPods = { [APP_LABEL]: APP_LABEL_VALUE };
    const apiPort = this.api.port!;
    new DefaultDenyPolicy(this, 'DefaultDeny', { namespace });

    // The design document's policy, as written, but with environment-scoped namespace selectors so that
    // staging pods can never reach production's data even if both share a cluster.
    new AllowPolicy(this, 'DesignPolicy', {
      name: 'finbot-network-policy',
      namespace,
      podLabels: finbotPods,
      ingress: [{ peers: [{ namespaceLabels: namespaces.ingress.selectorLabels }], ports: [{ port: apiPort }] }],
      egress: [
        { peers: [{ namespaceLabels: namespaces.database.selectorLabels }], ports: [{ port: POSTGRES_PORT }] },
        { peers: [{ namespaceLabels: namespaces.cache.selectorLabels }], ports: [{ port: REDIS_PORT }] },
      ],
    });

    // What the design document forgot but a working cluster needs:
    new AllowPolicy(this, 'Dns', {
      name: 'allow-dns-egress',
      namespace,
      podLabels: {},
      egress: [{ peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS }],
    });
    new AllowPolicy(this, 'WebFromIngress', {
      name: 'allow-web-from-ingress',
      namespace,
      podLabels: this.web.selector,
      ingress: [{ peers: [{ namespaceLabels: namespaces.ingress.selectorLabels }], ports: [{ port: this.web.port! }] }],
    });
    const apiClients = this.components.filter((c) => c !== this.api);
    new AllowPolicy(this, 'ApiFromClients', {
      name: 'allow-api-from-web-and-workers',
      namespace,
      podLabels: this.api.selector,
      ingress: [{ peers: apiClients.map((c) => ({ podLabels: c.selector })), ports: [{ port: apiPort }] }],
    });
    new AllowPolicy(this, 'ClientsToApi', {
      name: 'allow-web-and-workers-to-api',
      namespace,
      podLabels: finbotPods,
      egress: [{ peers: [{ podLabels: this.api.selector }], ports: [{ port: apiPort }] }],
    });
    const metricsPorts = [...new Set(this.components.map((c) => c.metricsPort))].sort((a, b) => a - b);
    new AllowPolicy(this, 'PrometheusScrape', {
      name: 'allow-prometheus-scrape',
      namespace,
      podLabels: finbotPods,
      ingress: [{
        peers: [{ namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: { ...PROMETHEUS_POD_LABELS } }],
        ports: metricsPorts.map((port) => ({ port })),
      }],
    });
  }
}

/**
 * The props of a {@link FinbotApp} from a component's settings: the settings' env, then `extraEnv` over it;
 * the tag when the settings give one (the api's colours have theirs in release.yaml).
 */
export function finbotAppProps(s: AppSettings | ApiAppSettings, extraEnv: Readonly<Record<string, string>> = {}) {
  return {
    image: `${s.image.registry}/${s.image.repository}`,
    ...('tag' in s.image ? { tag: s.image.tag } : {}),
    ...(s.port !== undefined ? { port: s.port } : {}),
    metricsPort: s.metricsPort,
    ...(s.replicas !== undefined ? { replicas: s.replicas } : {}),
    ...(s.autoscaling ? { autoscaling: s.autoscaling } : {}),
    maxUnavailable: s.maxUnavailable,
    resources: s.resources,
    livenessProbe: s.livenessProbe,
    readinessProbe: s.readinessProbe,
    env: { ...s.env, ...extraEnv },
  } satisfies Omit<FinbotAppProps, 'name' | 'component' | 'environment' | 'namespace'>;
}
