/**
 * Assembles every chart of one environment, in dependency order. The only place that knows the list of
 * charts; each chart becomes one file dist/<env>/<chart>.yaml.
 */
import { App, type Chart } from 'cdk8s';
import type { Settings } from '../config/schema';
import { AppsChart } from './apps-chart';
import { DataChart } from './data-chart';
import { DataDrChart } from './data-dr-chart';
import { PlatformChart } from './platform-chart';

/** The charts of one environment, keyed by their output file name (without `.yaml`). */
export interface EnvironmentCharts {
  readonly platform: PlatformChart;
  readonly apps: AppsChart;
  readonly data: DataChart;
  /** Only with data.postgres.disasterRecovery.enabled; applied to the DR region's cluster (docs/data.md). */
  readonly 'data-dr'?: DataDrChart;
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
  const data = new DataChart(app, 'data', { settings, namespaces: platform.namespaces });
  data.addDependency(platform);
  const apps = new AppsChart(app, 'apps', { settings, namespaces: platform.namespaces, data: data.endpoints });
  apps.addDependency(platform, data);
  const dr = settings.data.postgres.disasterRecovery.enabled ? new DataDrChart(app, 'data-dr', { settings, primary: data, namespaces: platform.namespaces }) : undefined;
  return { settings, app, charts: { platform, apps, data, ...(dr ? { 'data-dr': dr } : {}) } };
}

/** The charts in output order. */
export function chartList(env: Environment): Array<[string, Chart]> {
  return Object.entries(env.charts) as Array<[string, Chart]>;
}
