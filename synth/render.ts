/**
 * Renders an environment to YAML text, one document stream per chart. Replaces `App.synth()` so that
 * file names carry no hash, YAML is written the same way every time, and dependencies are not re-resolved
 * per chart (each chart's own objects are already in construct order).
 */
import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import type { KubeObject } from '../model/kube-object';
import { afterWhatTheyNeed, withSyncWaves } from './sync-waves';
import { dumpYaml } from './yaml-emit';

/**
 * What synth renders: the construct tree of one environment and its charts keyed by output file name (without
 * `.yaml`), in output order. main.ts passes the environment charts/ builds; synth knows no chart.
 */
export interface RenderInput {
  readonly app: Construct;
  readonly charts: Readonly<Record<string, Chart | undefined>>;
}

/** The charts of a {@link RenderInput} in output order. */
export function chartList(env: RenderInput): Array<[string, Chart]> {
  return Object.entries(env.charts).filter((e): e is [string, Chart] => e[1] !== undefined);
}

/** Runs every construct's `node.addValidation` checks; throws one error listing all of them. */
export function validateConstructs(root: Construct): void {
  const errors: string[] = [];
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    stack.push(...c.node.children);
  }
  if (errors.length > 0) throw new Error(`validation failed:\n  ${errors.join('\n  ')}`);
}

/**
 * The API objects of a chart in the order `chart.toJson()` gives them, without its cost. `chart.toJson()`
 * re-runs dependency resolution and validation of the whole app for every chart, and turns each chart
 * dependency into an edge between every pair of objects of the two charts (quadratic). Edges to other
 * charts never change the order inside a chart (cdk8s' graph of a chart drops them), so only this
 * chart's own dependencies are resolved — the same way cdk8s does — and without any, the order is plain
 * construct order. A chart with a nested chart returns `undefined` (use `chart.toJson()`).
 */
export function chartApiObjects(chart: Chart): ApiObject[] | undefined {
  const all = chart.node.findAll();
  const inChart = new Set<IConstruct>(all);
  const local: Array<[IConstruct, IConstruct]> = [];
  for (const c of all) {
    if (c !== chart && Chart.isChart(c)) return undefined;
    for (const dep of c.node.dependencies) if (inChart.has(dep)) local.push([c, dep]);
  }
  const isApiObject = (c: IConstruct): c is ApiObject => c instanceof ApiObject;
  if (local.length === 0) return all.filter(isApiObject);
  // As cdk8s' resolveDependencies: a construct depending on another makes each of its API objects depend
  // on each of the other's; then the chart's dependency graph gives the order.
  for (const [source, target] of local) {
    const targets = target.node.findAll().filter(isApiObject);
    const sources = source.node.findAll().filter(isApiObject);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
  return new DependencyGraph(chart.node).topology().filter(isApiObject);
}

/** The objects of each chart of an environment, in output order, each with its Argo CD sync wave (after what it needs). */
export function renderObjects(env: RenderInput): Array<[string, KubeObject[]]> {
  validateConstructs(env.app);
  return afterWhatTheyNeed(chartList(env).map(([file, chart]) => {
    const objects = chartApiObjects(chart);
    return [file, withSyncWaves((objects ? objects.map((o) => o.toJson()) : chart.toJson()) as KubeObject[])] as const;
  }));
}

/**
 * Dumps objects as a YAML document stream (deterministic: same objects, same bytes); each document is what
 * `yaml.dump(o, { noRefs: true, lineWidth: -1 })` writes, only faster (see `yaml-emit.ts`).
 */
export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => dumpYaml(o)).join('---\n');
}

/** File name → YAML text of every chart of an environment. */
export function renderEnvironment(env: RenderInput): Map<string, string> {
  return new Map(renderObjects(env).map(([file, objects]) => [`${file}.yaml`, toYaml(objects)]));
}
