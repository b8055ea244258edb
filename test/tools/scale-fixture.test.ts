/** The generated scale settings (200 extra workers per environment) load and synthesize completely. */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { listEnvironments, loadSettings } from '../../config/load';
import { renderObjects } from '../../synth/render';
import { scaleWorkerName, writeScaleFixture } from '../../bench/scale-fixture';
import { synthObjects } from '../helpers';

const dir = writeScaleFixture(200);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scale fixture', () => {
  it('names workers so they sort in creation order', () => {
    expect([scaleWorkerName(0), scaleWorkerName(199)]).toEqual(['scale-001', 'scale-200']);
  });

  it.each(listEnvironments())('%s: 200 extra workers, each with its Deployment, Service and HPA', (env) => {
    const settings = loadSettings(env, dir);
    expect(Object.keys(settings.apps.extraWorkers)).toHaveLength(200);
    const objects = renderObjects(buildEnvironment(settings)).flatMap(([, o]) => o);
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    // exactly 200 more Deployments, Services and HPAs than the real environment (all its charts)
    const base = (kind: string) => synthObjects(env).filter((o) => o.kind === kind).length;
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler']) expect(names(kind)).toHaveLength(base(kind) + 200);
    expect(names('Deployment')).toContain('finbot-scale-200');
    expect(names('Service')).toContain('finbot-scale-200-metrics');
    expect(names('HorizontalPodAutoscaler')).toContain('finbot-scale-200-hpa');
    // every extra worker may call the api: one peer each in the api's ingress policy
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-api-from-web-and-workers') as any;
    expect(policy.spec.ingress[0].from).toHaveLength(202);
  });
});
