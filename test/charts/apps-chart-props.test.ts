/**
 * The apps chart maps each component's settings onto FinbotApp's flat props (finbotAppProps), and the
 * release settings onto its blueGreen prop. Values are read from the settings of every environment.
 */
import { describe, expect, it } from 'vitest';
import { finbotAppProps } from '../../charts/apps-chart';
import { ENVIRONMENTS, settingsOf } from '../helpers';
import { buildEnvironment } from '../../charts/environment';

describe.each(ENVIRONMENTS)('%s: settings → FinbotApp props', (env) => {
  const settings = settingsOf(env);
  const components = { api: settings.apps.api, web: settings.apps.web, worker: settings.apps.worker, ...settings.apps.extraWorkers };

  it.each(Object.keys(components))('%s: image, ports, scaling, probes, resources and env come from its settings', (name) => {
    const s = components[name as keyof typeof components];
    const p = finbotAppProps(s, { EXTRA: 'x' });
    expect(p.image).toBe(`${s.image.registry}/${s.image.repository}`);
    expect(p.tag).toBe('tag' in s.image ? s.image.tag : undefined);
    expect([p.port, p.metricsPort, p.replicas, p.autoscaling, p.maxUnavailable]).toEqual([s.port, s.metricsPort, s.replicas, s.autoscaling, s.maxUnavailable]);
    expect([p.resources, p.livenessProbe, p.readinessProbe]).toEqual([s.resources, s.livenessProbe, s.readinessProbe]);
    expect(p.env).toEqual({ ...s.env, EXTRA: 'x' });
  });

  it('extra env wins over the settings\' env of the same name', () => {
    const name = Object.keys(settings.apps.web.env)[0] ?? 'ANY';
    expect(finbotAppProps(settings.apps.web, { [name]: 'override' }).env[name]).toBe('override');
  });

  it('the api is released blue-green as release.yaml says; the other components roll', () => {
    const apps = buildEnvironment(settingsOf(env)).charts.apps;
    const r = settings.release.api;
    expect(apps.api.blueGreen).toBeDefined();
    expect(apps.api.activeColour).toBe(r.active);
    expect(apps.api.workloads.map((w) => [w.colour, w.deployment.name])).toEqual([['blue', 'finbot-api-blue'], ['green', 'finbot-api-green']]);
    expect(apps.components.filter((c) => c !== apps.api).every((c) => c.blueGreen === undefined)).toBe(true);
  });
});
