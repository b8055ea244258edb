/**
 * Assembles every chart of one environment, in dependency order. The only place that knows the list of
 * charts; each chart becomes one file dist/<env>/<chart>.yaml.
 */
import { App, type Chart } from 'cdk8s';
import type { Settings } from '../config/schema';
import { AppsChart } from './apps-chart';
import { EdgeChart } from './edge-chart';
import { MeshChart } from './mesh-chart';
import { PlatformChart } from './platform-chart';

/** The charts of one environment, keyed by their output file name (without `.yaml`). */
export interface EnvironmentCharts {
  readonly platform: PlatformChart;
  readonly apps: AppsChart;
  readonly edge: EdgeChart;
  readonly mesh: MeshChart;
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
  const edge = new EdgeChart(app, 'edge', { settings, namespaces: platform.namespaces, apps });
  edge.addDependency(apps);
  const mesh = new MeshChart(app, 'mesh', { settings, namespaces: platform.namespaces, apps, edge: edge.edge });
  mesh.addDependency(apps);
  return { settings, app, charts: { platform, apps, edge, mesh } };
}

/** The charts in output order. */
export function chartList(env: Environment): Array<[string, Chart]> {
  return Object.entries(env.charts) as Array<[string, Chart]>;
}
