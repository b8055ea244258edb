/**
 * The Istio service mesh of the app namespace (design document: "Istio Service Mesh": mutual TLS,
 * authorization, circuit breaking, retries, tracing and access logs). Output: dist/<env>/mesh.yaml.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import type { Edge } from '../constructs/edge';
import { APP_LABEL, APP_LABEL_VALUE, labels } from '../constructs/labels';
import {
  AllowNothingPolicy, AllowPortsPolicy, istioPrincipal, MeshTelemetry, MeshTraffic, StrictMtls, type MeshIdentity,
} from '../constructs/mesh';
import { AllowPolicy } from '../constructs/network-policy';
import { PROMETHEUS_POD_LABELS, type AppsChart } from './apps-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** istiod: the namespace (installed outside this project, selected by its automatic name label) and pods. */
export const ISTIOD_PEER = {
  namespaceLabels: { 'kubernetes.io/metadata.name': 'istio-system' },
  podLabels: { app: 'istiod' },
} as const;
/** istiod's port for xDS configuration and certificate signing (what every sidecar dials). */
export const ISTIOD_XDS_PORT = 15012;
/** The sidecar's Prometheus port (`/stats/prometheus`): Envoy's own metrics. */
export const ENVOY_STATS_PORT = 15090;

/** Props of {@link MeshChart}. */
export interface MeshChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
  readonly apps: AppsChart;
  /** The edges whose proxy identities may reach web and api (two while migrating). */
  readonly edges: readonly Edge[];
  /**
   * Further ServiceAccounts allowed to call the api (e.g. a post-sync smoke-test Job calling
   * finbot-api-preview and finbot-api); their pods also need a NetworkPolicy path to port 3001.
   * @default none
   */
  readonly apiClients?: readonly MeshIdentity[];
}

/** mTLS, authorization, routing, telemetry, and the NetworkPolicies sidecars need. */
export class MeshChart extends Chart {
  readonly api: MeshTraffic;
  readonly web: MeshTraffic;

  constructor(scope: Construct, id: string, props: MeshChartProps) {
    super(scope, id);
    const { settings, namespaces, apps, edges } = props;
    // platform.istioInjection is true: the settings model refuses false (STRICT mTLS without sidecars).
    const mesh = settings.mesh;
    const namespace = namespaces.app.name;
    const finbotPods = { [APP_LABEL]: APP_LABEL_VALUE };
    const metricsPorts = [...new Set(apps.components.map((c) => c.metricsPort))].sort((a, b) => a - b);
    const principal = (id: { namespace: string; name: string }) => istioPrincipal(mesh.trustDomain, id);
    const sa = (c: { namespace: string; serviceAccount: { name: string } }) => principal({ namespace: c.namespace, name: c.serviceAccount.name });

    // Prometheus is outside the mesh and scrapes plain HTTP: the metrics port alone stays PERMISSIVE.
    new StrictMtls(this, 'Mtls', { namespace, permissivePorts: metricsPorts, permissivePodLabels: finbotPods });

    new AllowNothingPolicy(this, 'AllowNothing', { namespace });
    const ingress = edges.map((e) => principal(e.controllerServiceAccount));
    new AllowPortsPolicy(this, 'WebFromIngress', {
      name: 'finbot-web-from-ingress',
      namespace,
      podLabels: apps.web.selector,
      ports: [apps.web.port!],
      principals: ingress,
    });
    new AllowPortsPolicy(this, 'ApiFromClients', {
      name: 'finbot-api-from-ingress-web-and-workers',
      namespace,
      podLabels: apps.api.selector,
      ports: [apps.api.port!],
      principals: [...ingress, ...apps.components.filter((c) => c !== apps.api).map(sa), ...(props.apiClients ?? []).map(principal)],
    });
    new AllowPortsPolicy(this, 'MetricsScrape', {
      name: 'finbot-metrics-scrape',
      namespace,
      podLabels: finbotPods,
      ports: metricsPorts,
      // Plain text from Prometheus carries no identity; allow-prometheus-scrape (NetworkPolicy) limits the source.
      principals: undefined,
    });

    const routing = {
      policy: mesh,
      timeoutSeconds: mesh.requestTimeoutSeconds,
      retries: mesh.retries,
    };
    // The edge keeps the public Host header: the VirtualServices route it (Envoy picks routes by Host).
    const publicHosts = (app: { name: string }) => [...new Set(edges.flatMap((e) => e.routes).filter((r) => r.app.name === app.name).map((r) => r.host))];
    this.api = new MeshTraffic(this, 'Api', {
      ...routing,
      app: apps.api,
      publicHosts: publicHosts(apps.api),
      canaryPercent: settings.release.api.canaryPercent,
      labels: labels({ name: apps.api.name, component: 'api', environment: settings.name }),
    });
    this.web = new MeshTraffic(this, 'Web', { ...routing, app: apps.web, publicHosts: publicHosts(apps.web), labels: labels({ name: apps.web.name, component: 'web', environment: settings.name }) });

    new MeshTelemetry(this, 'Telemetry', {
      namespace,
      accessLogProvider: mesh.telemetry.accessLogProvider,
      tracingProvider: mesh.telemetry.tracingProvider,
      samplingPercent: mesh.telemetry.tracingSamplingPercent,
    });

    // The app namespace denies all traffic by default (apps chart); sidecars need these paths.
    new AllowPolicy(this, 'IstiodEgress', {
      name: 'allow-istiod-egress',
      namespace,
      podLabels: finbotPods,
      egress: [{ peers: [ISTIOD_PEER], ports: [{ port: ISTIOD_XDS_PORT }] }],
    });
    new AllowPolicy(this, 'EnvoyStatsScrape', {
      name: 'allow-envoy-stats-scrape',
      namespace,
      podLabels: finbotPods,
      ingress: [{
        peers: [{ namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: { ...PROMETHEUS_POD_LABELS } }],
        ports: [{ port: ENVOY_STATS_PORT }],
      }],
    });
  }
}
