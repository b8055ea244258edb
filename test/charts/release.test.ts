import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { tagOf } from '../../config/fields';
import type { Settings } from '../../config/schema';
import { find, objectsOf, ofKind, settingsOf, synthObjects, ENVIRONMENTS, type KubeObject } from '../helpers';

const COLOUR = 'finbot.io/colour';

function build(env: string, change: (s: Settings) => void = () => {}): KubeObject[] {
  const s = settingsOf(env);
  change(s);
  return objectsOf(buildEnvironment(s));
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(ENVIRONMENTS)('%s: blue-green release of finbot-api', (env) => {
  const objs = synthObjects(env);
  const release = settingsOf(env).release.api;
  const idle = release.active === 'blue' ? 'green' : 'blue';
  // The app namespace (not the environment's name: production-dr runs in `production` too).
  const ns = settingsOf(env).platform.namespaces.app;
  const deployments = ofKind(objs, 'Deployment').filter((d) => d.metadata.name.startsWith('finbot-api'));

  it('renders both colours, each with its own tag', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['finbot-api-blue', 'finbot-api-green']);
    for (const c of ['blue', 'green'] as const) {
      const d = find(objs, 'Deployment', `finbot-api-${c}`);
      const img = settingsOf(env).apps.api.image;
      expect(d.spec.template.spec.containers[0].image).toBe(`${img.registry}/${img.repository}:${release.colours[c].tag}`);
      expect(d.spec.template.metadata.labels[COLOUR]).toBe(c);
      expect(d.spec.selector.matchLabels[COLOUR]).toBe(c);
      // the tag part only: a digest-pinned tag (tag@sha256:...) is not a label value
      expect(d.spec.template.metadata.labels['app.kubernetes.io/version']).toBe(tagOf(release.colours[c].tag));
      expect(Object.keys(d.spec.selector.matchLabels)).not.toContain('app.kubernetes.io/version');
    }
  });

  it('exactly one colour is live: finbot-api selects the active one, finbot-api-preview the other', () => {
    const live = find(objs, 'Service', 'finbot-api').spec.selector;
    const preview = find(objs, 'Service', 'finbot-api-preview').spec.selector;
    expect(live[COLOUR]).toBe(release.active);
    expect(preview[COLOUR]).toBe(idle);
    const selectedByLive = deployments.filter((d) => matches(live, d.spec.template.metadata.labels));
    const selectedByPreview = deployments.filter((d) => matches(preview, d.spec.template.metadata.labels));
    expect(selectedByLive.map((d) => d.metadata.name)).toEqual([`finbot-api-${release.active}`]);
    expect(selectedByPreview.map((d) => d.metadata.name)).toEqual([`finbot-api-${idle}`]);
  });

  it('both Services keep the http and http-metrics ports (ServiceMonitors, smoke tests)', () => {
    for (const name of ['finbot-api', 'finbot-api-preview']) {
      expect(find(objs, 'Service', name).spec.ports.map((p: any) => [p.name, p.port])).toEqual([['http', 3001], ['http-metrics', 9090]]);
    }
  });

  it('one HPA and one PDB per colour, each targeting and selecting its own Deployment', () => {
    const apps = settingsOf(env).apps.api;
    for (const c of ['blue', 'green'] as const) {
      const d = find(objs, 'Deployment', `finbot-api-${c}`);
      const hpa = find(objs, 'HorizontalPodAutoscaler', `finbot-api-${c}-hpa`);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `finbot-api-${c}` });
      expect(hpa.spec.maxReplicas).toBe(apps.autoscaling!.maxReplicas);
      expect(hpa.spec.minReplicas).toBe(c === release.active ? apps.autoscaling!.minReplicas : Math.max(release.idleReplicas, release.handoverReplicas));
      const pdb = find(objs, 'PodDisruptionBudget', `finbot-api-${c}`);
      expect(pdb.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
      expect(d.spec.replicas).toBeUndefined();
    }
  });

  it('mesh subsets select exactly their colour; the live route goes to the active subset, the idle one gets only the canary share', () => {
    const dr = find(objs, 'DestinationRule', 'finbot-api-colours');
    const colours = find(objs, 'Service', 'finbot-api-colours');
    expect(colours.spec.selector).toEqual({ 'app.kubernetes.io/instance': env, 'app.kubernetes.io/name': 'finbot-api' });
    expect(colours.spec.ports.map((p: any) => p.name)).toEqual(['http']);
    for (const subset of dr.spec.subsets) {
      const selected = deployments.filter((d) => matches(subset.labels, d.spec.template.metadata.labels));
      expect(selected.map((d) => d.metadata.name)).toEqual([`finbot-api-${subset.name}`]);
      expect(matches(colours.spec.selector, selected[0].spec.template.metadata.labels)).toBe(true);
    }
    const vs = find(objs, 'VirtualService', 'finbot-api');
    // The Service host, and the public host the edge forwards with its own Host header.
    expect(vs.spec.hosts).toEqual([`finbot-api.${ns}.svc.cluster.local`, settingsOf(env).edge.hosts.api]);
    const to = (subset: string, weight: number) => ({ destination: { host: `finbot-api-colours.${ns}.svc.cluster.local`, subset, port: { number: 3001 } }, weight });
    const canary = release.canaryPercent;
    for (const route of vs.spec.http) expect(route.route).toEqual(canary === 0 ? [to(release.active, 100)] : [to(release.active, 100 - canary), to(idle, canary)]);
    const preview = find(objs, 'VirtualService', 'finbot-api-preview');
    expect(preview.spec.http[0].route).toEqual([
      { destination: { host: `finbot-api-colours.${ns}.svc.cluster.local`, subset: idle, port: { number: 3001 } }, weight: 100 },
    ]);
  });
});

describe('canary and promotion through settings', () => {
  const release = () => settingsOf('production').release.api;
  const live = () => release().active;
  const idle = (): 'blue' | 'green' => (live() === 'blue' ? 'green' : 'blue');

  it('a canary sends N% to the idle colour; weights sum to 100; both routes (idempotent and the rest) agree', () => {
    const objs = build('production', (s) => { s.release.api.canaryPercent = 10; });
    const [safe, rest] = find(objs, 'VirtualService', 'finbot-api').spec.http;
    expect(safe.route.map((r: any) => [r.destination.subset, r.weight])).toEqual([[live(), 90], [idle(), 10]]);
    expect(safe.route.reduce((sum: number, r: any) => sum + r.weight, 0)).toBe(100);
    expect(rest.route).toEqual(safe.route);
    expect([safe.name, rest.name]).toEqual(['canary-idempotent', 'canary']);
  });

  it('flipping the active colour flips Services, HPA minimums and routes together', () => {
    const [from, to] = [live(), idle()];
    const apps = settingsOf('production').apps.api;
    const objs = build('production', (s) => { s.release.api.active = to; });
    expect(find(objs, 'Service', 'finbot-api').spec.selector[COLOUR]).toBe(to);
    expect(find(objs, 'Service', 'finbot-api-preview').spec.selector[COLOUR]).toBe(from);
    expect(find(objs, 'HorizontalPodAutoscaler', `finbot-api-${to}-hpa`).spec.minReplicas).toBe(apps.autoscaling!.minReplicas);
    expect(find(objs, 'HorizontalPodAutoscaler', `finbot-api-${from}-hpa`).spec.minReplicas).toBe(Math.max(release().idleReplicas, release().handoverReplicas));
    for (const route of find(objs, 'VirtualService', 'finbot-api').spec.http) expect(route.route[0].destination.subset).toBe(to);
  });

  it('idleReplicas 0 scales the idle colour to zero without an HPA (an HPA cannot target 0)', () => {
    const objs = build('production', (s) => { s.release.api.idleReplicas = 0; s.release.api.handoverReplicas = 0; s.release.api.canaryPercent = 0; });
    expect(find(objs, 'Deployment', `finbot-api-${idle()}`).spec.replicas).toBe(0);
    expect(ofKind(objs, 'HorizontalPodAutoscaler').map((h) => h.metadata.name)).not.toContain(`finbot-api-${idle()}-hpa`);
    expect(find(objs, 'PodDisruptionBudget', `finbot-api-${idle()}`).spec.maxUnavailable).toBe(1);
  });

  it('NetworkPolicies and AuthorizationPolicies cover both colours (stable selector without colour)', () => {
    const objs = synthObjects('production');
    const green = find(objs, 'Deployment', 'finbot-api-green').spec.template.metadata.labels;
    const blue = find(objs, 'Deployment', 'finbot-api-blue').spec.template.metadata.labels;
    for (const labels of [green, blue]) {
      expect(matches(find(objs, 'NetworkPolicy', 'allow-api-from-web-and-workers').spec.podSelector.matchLabels, labels)).toBe(true);
      expect(matches(find(objs, 'AuthorizationPolicy', 'finbot-api-from-ingress-web-and-workers').spec.selector.matchLabels, labels)).toBe(true);
    }
  });
});
