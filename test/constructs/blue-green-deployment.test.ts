/**
 * BlueGreenDeployment by its props: which colour the Services select, what each colour runs and how many pods
 * the idle one keeps, the labels, the object order a promotion keeps, and every refusal.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { BlueGreenDeployment, COLOURS, otherColour, type BlueGreenDeploymentProps, type Colour } from '../../constructs/blue-green-deployment';
import { COLOUR_LABEL } from '../../constructs/labels';
import { find } from '../helpers';

const autoscaling = {
  minReplicas: 3, maxReplicas: 10, cpuUtilization: 70,
  scaleDown: { stabilizationWindowSeconds: 300, percentPerMinute: 10 }, scaleUp: { stabilizationWindowSeconds: 60, percentPerMinute: 50 },
};
const base: BlueGreenDeploymentProps = {
  name: 'svc', component: 'api', environment: 'env', namespace: 'ns',
  activeColour: 'blue',
  tags: { blue: 'v1.0.0', green: 'v1.1.0@sha256:0123' },
  idleReplicas: 1,
  image: 'registry.test/team/svc',
  port: 3001,
  metricsPort: 9090,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  autoscaling,
  livenessProbe: { path: '/health', initialDelaySeconds: 1, periodSeconds: 2 },
  readinessProbe: { path: '/ready', initialDelaySeconds: 3, periodSeconds: 4 },
  maxUnavailable: 1,
};

function make(change: Partial<BlueGreenDeploymentProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const bg = new BlueGreenDeployment(chart, 'BlueGreen', { ...base, ...change });
  return { bg, objs: Testing.synth(chart) as any[] };
}
const names = (objs: any[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);
const hpaOf = (objs: any[], c: Colour) => objs.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === `svc-${c}-hpa`);

describe('BlueGreenDeployment', () => {
  it('a Deployment, HPA and PDB per colour; the live and the preview Service; in that order', () => {
    expect(names(make().objs)).toEqual([
      'Deployment/svc-blue', 'Deployment/svc-green',
      'Service/svc', 'Service/svc-preview',
      'HorizontalPodAutoscaler/svc-blue-hpa', 'PodDisruptionBudget/svc-blue',
      'HorizontalPodAutoscaler/svc-green-hpa', 'PodDisruptionBudget/svc-green',
    ]);
  });

  it.each(COLOURS)('activeColour %s: the Service selects exactly that colour\'s pods, the preview the other\'s', (live) => {
    const { bg, objs } = make({ activeColour: live });
    const idle = otherColour(live);
    const podsOf = (c: Colour) => find(objs, 'Deployment', `svc-${c}`).spec.template.metadata.labels;
    const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    const service = find(objs, 'Service', 'svc').spec.selector;
    const preview = find(objs, 'Service', 'svc-preview').spec.selector;
    expect(selects(service, podsOf(live))).toBe(true);
    expect(selects(service, podsOf(idle))).toBe(false);
    expect(selects(preview, podsOf(idle))).toBe(true);
    expect(selects(preview, podsOf(live))).toBe(false);
    expect([bg.activeColour, bg.idleColour]).toEqual([live, idle]);
    expect([bg.live.colour, bg.idle.colour]).toEqual([live, idle]);
    expect(bg.live.deployment.name).toBe(`svc-${live}`);
    expect(bg.service.name).toBe('svc');
    expect(bg.previewService.name).toBe('svc-preview');
  });

  it('a promotion changes values, never the order of the objects', () => {
    expect(names(make({ activeColour: 'green' }).objs)).toEqual(names(make({ activeColour: 'blue' }).objs));
    expect(make({ activeColour: 'green' }).bg.workloads.map((w) => [w.colour, w.live])).toEqual([['blue', false], ['green', true]]);
  });

  it('each colour runs its own tag; the container name and ServiceAccount are the component\'s', () => {
    const { objs } = make();
    for (const c of COLOURS) {
      const pod = find(objs, 'Deployment', `svc-${c}`).spec.template;
      expect(pod.spec.containers.map((k: any) => [k.name, k.image])).toEqual([['svc', `registry.test/team/svc:${base.tags[c]}`]]);
      expect(pod.spec.serviceAccountName).toBe('svc');
    }
  });

  it('labels: the colour is part of every selector, the version (without digest) only of the pods', () => {
    const { objs } = make();
    for (const c of COLOURS) {
      const d = find(objs, 'Deployment', `svc-${c}`);
      const selector = { 'app.kubernetes.io/name': 'svc', 'app.kubernetes.io/instance': 'env', [COLOUR_LABEL]: c };
      expect(d.spec.selector.matchLabels).toEqual(selector);
      expect(d.spec.template.spec.topologySpreadConstraints.map((t: any) => t.labelSelector.matchLabels)).toEqual([selector, selector]);
      expect(find(objs, 'PodDisruptionBudget', `svc-${c}`).spec.selector.matchLabels).toEqual(selector);
      expect(d.spec.template.metadata.labels).toMatchObject({ ...selector, 'app.kubernetes.io/component': 'api', 'app.kubernetes.io/version': base.tags[c].split('@')[0] });
      for (const o of [find(objs, 'PodDisruptionBudget', `svc-${c}`), hpaOf(objs, c)]) {
        expect(o.metadata.labels[COLOUR_LABEL]).toBe(c);
        expect(o.metadata.labels['app.kubernetes.io/version']).toBeUndefined();
      }
    }
    // The Services belong to the component, not to a colour; only their selectors name one.
    for (const name of ['svc', 'svc-preview']) expect(find(objs, 'Service', name).metadata.labels[COLOUR_LABEL]).toBeUndefined();
    expect(make().bg.workloads.map((w) => w.selector[COLOUR_LABEL])).toEqual(['blue', 'green']);
  });

  it('both Services expose the HTTP and the metrics port by name', () => {
    const { objs } = make();
    for (const name of ['svc', 'svc-preview']) {
      expect(find(objs, 'Service', name).spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['http', 3001, 'http'], ['http-metrics', 9090, 'http-metrics']]);
    }
  });

  it('the live colour scales as the props say; the idle HPA keeps idleReplicas and may grow to maxReplicas', () => {
    for (const live of COLOURS) {
      const { objs } = make({ activeColour: live, idleReplicas: 2 });
      expect(hpaOf(objs, live).spec).toMatchObject({ minReplicas: autoscaling.minReplicas, maxReplicas: autoscaling.maxReplicas, scaleTargetRef: { kind: 'Deployment', name: `svc-${live}` } });
      expect(hpaOf(objs, otherColour(live)).spec).toMatchObject({ minReplicas: 2, maxReplicas: autoscaling.maxReplicas, scaleTargetRef: { kind: 'Deployment', name: `svc-${otherColour(live)}` } });
      // An HPA owns each count: neither Deployment fixes one.
      for (const c of COLOURS) expect(find(objs, 'Deployment', `svc-${c}`).spec.replicas).toBeUndefined();
    }
  });

  it('a handover raises the idle colour\'s floor above idleReplicas', () => {
    expect(hpaOf(make({ idleReplicas: 2, handoverReplicas: 7 }).objs, 'green').spec.minReplicas).toBe(7);
    expect(hpaOf(make({ idleReplicas: 4, handoverReplicas: 2 }).objs, 'green').spec.minReplicas).toBe(4);
  });

  it('idleReplicas 0 (the default): the idle Deployment runs 0 pods, no HPA, and keeps its PDB', () => {
    for (const change of [{ idleReplicas: 0 }, { idleReplicas: undefined }]) {
      const { bg, objs } = make({ activeColour: 'green', ...change });
      expect(find(objs, 'Deployment', 'svc-blue').spec.replicas).toBe(0);
      expect(objs.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual(['svc-green-hpa']);
      expect(bg.idle.hpa).toBeUndefined();
      expect(bg.idle.pdb.name).toBe('svc-blue');
      // One pod at most: it cannot be spread over zones, so the zone constraint is a preference.
      expect(find(objs, 'Deployment', 'svc-blue').spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
    }
  });

  it('without autoscaling: the live colour runs replicas, the idle one idleReplicas (or the handover floor)', () => {
    const { objs } = make({ autoscaling: undefined, replicas: 3, idleReplicas: 1 });
    expect(find(objs, 'Deployment', 'svc-blue').spec.replicas).toBe(3);
    expect(find(objs, 'Deployment', 'svc-green').spec.replicas).toBe(1);
    expect(objs.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(find(make({ autoscaling: undefined, replicas: 3, idleReplicas: 1, handoverReplicas: 3 }).objs, 'Deployment', 'svc-green').spec.replicas).toBe(3);
  });

  it('every colour has a PDB with maxUnavailable (default 1) that lets unhealthy pods go', () => {
    for (const [change, expected] of [[{ maxUnavailable: 2 }, 2], [{ maxUnavailable: undefined }, 1]] as const) {
      const { objs } = make(change);
      for (const c of COLOURS) expect(find(objs, 'PodDisruptionBudget', `svc-${c}`).spec).toMatchObject({ maxUnavailable: expected, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    }
  });

  it('without a port: a headless metrics Service for scraping and the preview on the metrics port', () => {
    const { objs } = make({ port: undefined });
    expect(find(objs, 'Service', 'svc-metrics').spec).toMatchObject({ clusterIP: 'None' });
    expect(find(objs, 'Service', 'svc-preview').spec.ports.map((p: any) => p.name)).toEqual(['http-metrics']);
  });

  it('refuses what could not run, naming the prop, the value and the fix', () => {
    expect(() => make({ idleReplicas: -1 })).toThrow('BlueGreenDeployment: svc: idleReplicas must be a whole number >= 0, got -1');
    expect(() => make({ idleReplicas: 1.5 })).toThrow('BlueGreenDeployment: svc: idleReplicas must be a whole number >= 0, got 1.5');
    expect(() => make({ handoverReplicas: -2 })).toThrow('BlueGreenDeployment: svc: handoverReplicas must be a whole number >= 0, got -2');
    expect(() => make({ idleReplicas: 11 })).toThrow('BlueGreenDeployment: svc: idleReplicas (11) is above autoscaling.maxReplicas (10); the idle colour could never run that many, lower idleReplicas');
    expect(() => make({ handoverReplicas: 11 })).toThrow('BlueGreenDeployment: svc: handoverReplicas (11) is above autoscaling.maxReplicas (10); the idle colour could never run that many, lower handoverReplicas');
    expect(() => make({ activeColour: 'red' as Colour })).toThrow('BlueGreenDeployment: svc: activeColour "red" is not a colour; use one of blue, green');
    expect(() => make({ tags: { blue: 'v1', green: '' } })).toThrow('BlueGreenDeployment: svc: tags.green is missing; give each colour an image tag');
    expect(() => make({ autoscaling: { ...autoscaling, minReplicas: 11 } })).toThrow('BlueGreenDeployment: svc: autoscaling.minReplicas (11) is above maxReplicas (10)');
    expect(() => make({ metricsPort: 3001 })).toThrow('BlueGreenDeployment: svc: port and metricsPort are both 3001');
  });
});
