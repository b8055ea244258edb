/** The fast object order of synth/render.ts is exactly cdk8s' own `chart.toJson()` order. */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { loadSettings } from '../../config/load';
import { chartApiObjects, chartList } from '../../synth/render';
import { ENVIRONMENTS } from '../helpers';

const cm = (scope: Construct, id: string) => new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() } });

/** Two charts with dependencies inside and across them: objects, composite constructs, charts. */
function build(): Chart[] {
  const app = new App();
  const base = new Chart(app, 'base');
  const ns = cm(base, 'Ns');
  const charts = new Chart(app, 'apps');
  const groupA = new Construct(charts, 'A');
  const a1 = cm(groupA, 'A1');
  cm(groupA, 'A2');
  const groupB = new Construct(charts, 'B');
  cm(groupB, 'B1');
  const b2 = cm(groupB, 'B2');
  const c = cm(charts, 'C');
  groupA.node.addDependency(groupB); // composite -> composite: every A object after every B object
  c.node.addDependency(a1); // object -> object
  b2.node.addDependency(ns); // across charts: ignored for the order inside a chart
  charts.addDependency(base);
  return [base, charts];
}

describe('chartApiObjects', () => {
  it.each(ENVIRONMENTS)('%s: same objects in the same order as chart.toJson()', (env) => {
    for (const [, chart] of chartList(buildEnvironment(loadSettings(env)))) {
      expect(chartApiObjects(chart)!.map((o) => o.toJson())).toEqual(chart.toJson());
    }
  });

  it('resolves dependencies inside a chart exactly like cdk8s', () => {
    const names = (objects: readonly { metadata: { name?: string } }[]) => objects.map((o) => o.metadata.name);
    const expected = build().map((chart) => names(chart.toJson()));
    const fast = build().map((chart) => names(chartApiObjects(chart)!.map((o) => o.toJson())));
    expect(fast).toEqual(expected);
    expect(expected[1]).toEqual(['b1', 'b2', 'a2', 'a1', 'c']); // not construct order: the dependencies count
  });

  it('gives up on a chart nested in another (cdk8s links parent and child charts)', () => {
    const outer = new Chart(new App(), 'outer');
    new Chart(outer, 'inner');
    expect(chartApiObjects(outer)).toBeUndefined();
  });
});
