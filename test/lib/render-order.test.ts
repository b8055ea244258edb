/** The fast object order of lib/render.ts is exactly cdk8s' own `chart.toJson()` order. */
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildEnvironment, chartList } from '../../charts/environment';
import { loadSettings } from '../../config/load';
import { chartApiObjects } from '../../lib/render';
import { ENVIRONMENTS } from '../helpers';

const cm = (scope: Chart, id: string) => new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() } });

describe('chartApiObjects', () => {
  it.each(ENVIRONMENTS)('%s: same objects in the same order as chart.toJson()', (env) => {
    for (const [, chart] of chartList(buildEnvironment(loadSettings(env)))) {
      const fast = chartApiObjects(chart);
      expect(fast).toBeDefined();
      expect(fast!.map((o) => o.toJson())).toEqual(chart.toJson());
    }
  });

  it('falls back to cdk8s ordering when objects of a chart depend on each other', () => {
    const chart = new Chart(new App(), 'c');
    const a = cm(chart, 'A');
    const b = cm(chart, 'B');
    a.node.addDependency(b);
    expect(chartApiObjects(chart)).toBeUndefined();
    expect(chart.toJson().map((o: any) => o.metadata.name)).toEqual(['b', 'a']);
  });

  it('falls back when a chart is nested in another, and ignores dependencies on other charts', () => {
    const app = new App();
    const outer = new Chart(app, 'outer');
    new Chart(outer, 'inner');
    expect(chartApiObjects(outer)).toBeUndefined();
    const other = new Chart(app, 'other');
    const x = cm(other, 'X');
    const y = cm(other, 'Y');
    other.addDependency(outer);
    y.node.addDependency(cm(outer, 'Z'));
    expect(chartApiObjects(other)).toEqual([x, y]);
  });
});
