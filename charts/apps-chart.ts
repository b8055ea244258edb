/**
 * The application tier: finbot-api (blue-green), finbot-web, finbot-worker (and extra workers) with their
 * NetworkPolicies in the app namespace.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ApiAppSettings, AppSettings, Settings } from '../config/schema';
import { dataPlainEnv, dataSecretEnv, type DataEndpoints } from '../constructs/data-endpoints';
import { FinbotApp } from '../constructs/finbot-app';
import { APP_LABEL, APP_LABEL_VALUE } from '../constructs/labels';
import { AllowPolicy, CLUSTER_DNS_PEER, DefaultDenyPolicy, DNS_PORTS } from '../constructs/network-policy';
import type { EnvironmentNamespaces } from './platform-chart';

/** Pod labels of the Prometheus server pods the prometheus-operator runs. */
export const PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' } as const;
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
    const apps = props.otlpEndpoint === undefined ? settings.apps : withEnv(settings.apps, { OTEL_EXPORTER_OTLP_ENDPOINT: props.otlpEndpoint });
    const common = { environment, namespace };

    const dataEnv = props.data ? { secretEnv: dataSecretEnv(), extraEnv: dataPlainEnv(props.data) } : { extraEnv: {} };
    // The api is released blue-green (release.yaml): both colours render, finbot-api selects the active one.
    const release = settings.release.api;
    this.api = new FinbotApp(this, 'Api', {
      ...common,
      ...dataEnv,
      name: 'finbot-api',
      component: 'api',
      settings: apps.api,
      blueGreen: { active: release.active, tags: { blue: release.colours.blue.tag, green: release.colours.green.tag }, idleReplicas: release.idleReplicas, handoverReplicas: release.handoverReplicas },
    });
    const apiUrl = `http://finbot-api.${namespace}.svc.cluster.local:${apps.api.port ?? 0}`;
    this.web = new FinbotApp(this, 'Web', { ...common, name: 'finbot-web', component: 'web', settings: apps.web, extraEnv: { API_URL: apiUrl } });
    this.worker = new FinbotApp(this, 'Worker', { ...common, ...dataEnv, name: 'finbot-worker', component: 'worker', settings: apps.worker, extraEnv: { ...dataEnv.extraEnv, API_URL: apiUrl } });
    const extra = Object.keys(apps.extraWorkers).sort().map((key) =>
      new FinbotApp(this, `Worker-${key}`, { ...common, name: `finbot-${key}`, component: 'worker', settings: apps.extraWorkers[key], extraEnv: { API_URL: apiUrl } }));
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

/** The apps settings with extra plain env on every component (settings stay untouched). */
function withEnv(apps: Settings['apps'], env: Record<string, string>): Settings['apps'] {
  const add = <T extends AppSettings | ApiAppSettings>(a: T): T => ({ ...a, env: { ...a.env, ...env } });
  return {
    ...apps,
    api: add(apps.api),
    web: add(apps.web),
    worker: add(apps.worker),
    extraWorkers: Object.fromEntries(Object.entries(apps.extraWorkers).map(([k, v]) => [k, add(v)])),
  };
}
