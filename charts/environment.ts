/**
 * Assembles every chart of one environment, in dependency order. The only place that knows the list of
 * charts; each chart becomes one file dist/<env>/<chart>.yaml.
 */
import { App, Chart } from 'cdk8s';
import type { Settings } from '../config/schema';
import { AppsChart } from './apps-chart';
import { DataChart } from './data-chart';
import { ClusterChart } from './cluster-chart';
import { GitopsChart } from './gitops-chart';
import { ArgoAdminChart } from './argocd-admin-chart';
import { otlpHttpEndpoint } from '../constructs/jaeger-v2';
import { ObservabilityChart, TRACE_COLLECTOR_NAME } from './observability-chart';
import { EdgeChart } from './edge-chart';
import { MeshChart } from './mesh-chart';
import { PlatformChart } from './platform-chart';
import { SecretsChart } from './secrets-chart';
import { ChecksChart } from './checks-chart';

/** The charts of one environment, keyed by their output file name (without `.yaml`). */
export type EnvironmentCharts = {
  readonly platform: PlatformChart;
  readonly apps: AppsChart;
  readonly data: DataChart;
  readonly secrets: SecretsChart;
  readonly observability: ObservabilityChart;
  readonly cluster: ClusterChart;
  /** Post-sync smoke test and synthetic monitoring (dist/<env>/checks.yaml). */
  readonly checks: ChecksChart;
  /** The workloads Application (applied by the root Application). */
  readonly gitops: GitopsChart;
  /** Admin-owned Argo CD objects (projects, root Application, argocd-cm keys); derived from every other chart, so it stays last. */
  readonly 'argocd-admin': ArgoAdminChart;
  readonly edge: EdgeChart;
  readonly mesh: MeshChart;
};

/** An environment's cdk8s App and its charts. */
export interface Environment {
  readonly settings: Settings;
  readonly app: App;
  readonly charts: EnvironmentCharts;
}

/** Builds the charts of an environment from its validated settings (pure: no I/O). */
export function buildEnvironment(settings: Settings): Environment {
  const app = new App({ outdir: `dist/${settings.name}` });
  const platform = new PlatformChart(app, 'platform', { settings });
  const data = new DataChart(app, 'data', { settings, namespaces: platform.namespaces });
  data.addDependency(platform);
  const otlpEndpoint = otlpHttpEndpoint(TRACE_COLLECTOR_NAME, platform.namespaces.monitoring.name);
  const apps = new AppsChart(app, 'apps', { settings, namespaces: platform.namespaces, data: data.endpoints, otlpEndpoint });
  apps.addDependency(platform, data);
  const edge = new EdgeChart(app, 'edge', { settings, namespaces: platform.namespaces, apps });
  edge.addDependency(apps);
  const checks = new ChecksChart(app, 'checks', { settings, namespaces: platform.namespaces, apps, edge: edge.edge });
  checks.addDependency(apps, edge);
  const smoke = checks.smokeTest.serviceAccount.metadata;
  const mesh = new MeshChart(app, 'mesh', {
    settings,
    namespaces: platform.namespaces,
    apps,
    edges: edge.edges,
    // The PostSync smoke test calls the api's preview and live Services.
    apiClients: [{ namespace: smoke.namespace!, name: smoke.name! }],
  });
  mesh.addDependency(apps);
  const secrets = new SecretsChart(app, 'secrets', { settings, namespaces: platform.namespaces, data });
  secrets.addDependency(platform);
  const observability = new ObservabilityChart(app, 'observability', { settings, namespaces: platform.namespaces, apps, monitoringStore: secrets.stores.monitoring });
  observability.addDependency(platform);
  const cluster = new ClusterChart(app, 'cluster', { settings, namespaces: platform.namespaces });
  cluster.addDependency(platform);
  // The DR region is an environment of its own (config/environments/<peer>): nothing here is applied elsewhere.
  const gitops = new GitopsChart(app, 'gitops', { settings });
  // Last: the workloads project allows exactly what every chart above contains.
  const admin = new ArgoAdminChart(app, 'argocd-admin', { settings, gitops, sources: app.node.children.filter((c): c is Chart => c instanceof Chart) });
  return {
    settings,
    app,
    charts: { platform, apps, edge, mesh, data, secrets, observability, cluster, checks, gitops, 'argocd-admin': admin },
  };
}

