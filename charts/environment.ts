/**
 * Assembles every chart of one environment, in dependency order. The only place that knows the list of
 * charts; each chart becomes one file dist/<env>/<chart>.yaml.
 */
import { App, Chart } from 'cdk8s';
import type { Settings } from '../config/schema';
import { AppsChart } from './apps-chart';
import { ClusterChart } from './cluster-chart';
import { GitopsChart } from './gitops-chart';
import { PlatformChart } from './platform-chart';
import { ValidationChart } from './validation-chart';

/** The charts of one environment, keyed by their output file name (without `.yaml`). */
export interface EnvironmentCharts {
  readonly platform: PlatformChart;
  readonly apps: AppsChart;
  readonly cluster: ClusterChart;
  readonly validation: ValidationChart;
  /** Argo CD objects; derived from every other chart, so it must stay last. */
  readonly gitops: GitopsChart;
}

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
  const apps = new AppsChart(app, 'apps', { settings, namespaces: platform.namespaces });
  apps.addDependency(platform);
  const cluster = new ClusterChart(app, 'cluster', { settings, namespaces: platform.namespaces });
  cluster.addDependency(platform);
  const validation = new ValidationChart(app, 'validation', { settings, namespaces: platform.namespaces, apps });
  validation.addDependency(apps);
  // Last: the workloads project allows exactly what every chart above contains.
  const gitops = new GitopsChart(app, 'gitops', { settings, sources: app.node.children.filter((c): c is Chart => c instanceof Chart) });
  return { settings, app, charts: { platform, apps, cluster, validation, gitops } };
}

/** The charts in output order. */
export function chartList(env: Environment): Array<[string, Chart]> {
  return Object.entries(env.charts) as Array<[string, Chart]>;
}
