import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { AppSettings } from '../../config/schema';
import { FinbotApp, type BlueGreenProps, type FinbotAppSettings } from '../../constructs/finbot-app';
import { find } from '../helpers';

const { tag: _tag, ...image } = { registry: 'docker.io', repository: 'finbot/api', tag: 'unused' };
const base: FinbotAppSettings = {
  image,
  replicas: 3,
  port: 3001,
  metricsPort: 9090,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  autoscaling: {
    minReplicas: 3, maxReplicas: 10, cpuUtilization: 70,
    scaleDown: { stabilizationWindowSeconds: 300, percentPerMinute: 10 }, scaleUp: { stabilizationWindowSeconds: 60, percentPerMinute: 50 },
  },
  livenessProbe: { path: '/health', initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3 },
  readinessProbe: { path: '/ready', initialDelaySeconds: 3, periodSeconds: 4, timeoutSeconds: 1, failureThreshold: 3 },
  env: {},
  maxUnavailable: 1,
};
const bg: BlueGreenProps = { active: 'blue', tags: { blue: 'v1.0.0', green: 'v1.1.0' }, idleReplicas: 1 };

function make(settings: Partial<FinbotAppSettings> = {}, blueGreen: Partial<BlueGreenProps> | null = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const app = new FinbotApp(chart, 'App', {
    name: 'finbot-x', component: 'api', environment: 'test', namespace: 'ns',
    settings: { ...base, ...settings },
    ...(blueGreen ? { blueGreen: { ...bg, ...blueGreen } } : {}),
  });
  return { app, objs: Testing.synth(chart) as any[] };
}

describe('FinbotApp with blueGreen', () => {
  it('one ServiceAccount; a Deployment, HPA and PDB per colour; live and preview Services', () => {
    const { objs } = make();
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/finbot-x',
      'Deployment/finbot-x-blue', 'Deployment/finbot-x-green',
      'Service/finbot-x', 'Service/finbot-x-preview',
      'HorizontalPodAutoscaler/finbot-x-blue-hpa', 'PodDisruptionBudget/finbot-x-blue',
      'HorizontalPodAutoscaler/finbot-x-green-hpa', 'PodDisruptionBudget/finbot-x-green',
    ]);
  });

  it('each colour runs its own tag, keeps the container name and the shared ServiceAccount', () => {
    const { objs } = make();
    for (const [c, tag] of [['blue', 'v1.0.0'], ['green', 'v1.1.0']]) {
      const pod = find(objs, 'Deployment', `finbot-x-${c}`).spec.template;
      expect(pod.spec.containers[0].image).toBe(`docker.io/finbot/api:${tag}`);
      expect(pod.spec.containers[0].name).toBe('finbot-x');
      expect(pod.spec.serviceAccountName).toBe('finbot-x');
      expect(pod.metadata.labels['finbot.io/colour']).toBe(c);
      expect(pod.spec.topologySpreadConstraints[0].labelSelector.matchLabels['finbot.io/colour']).toBe(c);
    }
  });

  it('the live Service selects the active colour, the preview the idle one; exposes both', () => {
    const { app, objs } = make({}, { active: 'green' });
    expect(find(objs, 'Service', 'finbot-x').spec.selector['finbot.io/colour']).toBe('green');
    expect(find(objs, 'Service', 'finbot-x-preview').spec.selector['finbot.io/colour']).toBe('blue');
    expect(app.activeColour).toBe('green');
    expect(app.idleColour).toBe('blue');
    expect(app.deployment.name).toBe('finbot-x-green');
    // Colour order whichever is live: a promotion changes values in the output, not its order.
    expect(app.workloads.map((w) => [w.colour, w.live])).toEqual([['blue', false], ['green', true]]);
    expect(app.selector).toEqual({ 'app.kubernetes.io/name': 'finbot-x', 'app.kubernetes.io/instance': 'test' });
  });

  it('a promotion keeps the order of the objects (only values change)', () => {
    const order = (active: 'blue' | 'green') => make({}, { active }).objs.map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(order('green')).toEqual(order('blue'));
  });

  it('a handover raises the idle colour\'s floor; above maxReplicas it is refused', () => {
    expect(find(make({}, { idleReplicas: 2, handoverReplicas: 7 }).objs, 'HorizontalPodAutoscaler', 'finbot-x-green-hpa').spec.minReplicas).toBe(7);
    expect(() => make({}, { handoverReplicas: 11 })).toThrow('blueGreen.handoverReplicas (11) is above autoscaling.maxReplicas (10)');
  });

  it('the idle HPA keeps idleReplicas and may grow to maxReplicas; the live one keeps the settings', () => {
    const { objs } = make({}, { idleReplicas: 2 });
    expect(find(objs, 'HorizontalPodAutoscaler', 'finbot-x-blue-hpa').spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(find(objs, 'HorizontalPodAutoscaler', 'finbot-x-green-hpa').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  it('idleReplicas 0: the idle Deployment has replicas 0 and no HPA', () => {
    const { objs } = make({}, { idleReplicas: 0 });
    expect(find(objs, 'Deployment', 'finbot-x-green').spec.replicas).toBe(0);
    expect(objs.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual(['finbot-x-blue-hpa']);
  });

  it('without autoscaling both colours get fixed replicas', () => {
    const { objs } = make({ autoscaling: undefined }, { idleReplicas: 1 });
    expect(find(objs, 'Deployment', 'finbot-x-blue').spec.replicas).toBe(3);
    expect(find(objs, 'Deployment', 'finbot-x-green').spec.replicas).toBe(1);
  });

  it('refuses a tag in settings together with blueGreen', () => {
    expect(() => make({ image: { ...image, tag: 'v9' } as AppSettings['image'] }))
      .toThrow('finbot-x: settings.image.tag (v9) and blueGreen.tags are both given; each colour has its own tag, remove settings.image.tag');
  });

  it('refuses no tag at all without blueGreen', () => {
    expect(() => make({}, null)).toThrow('finbot-x: settings.image.tag is missing; give a tag, or blueGreen.tags for a blue-green release');
  });

  it('refuses a negative or fractional idleReplicas', () => {
    expect(() => make({}, { idleReplicas: -1 })).toThrow('finbot-x: blueGreen.idleReplicas must be a whole number >= 0, got -1');
    expect(() => make({}, { idleReplicas: 1.5 })).toThrow('finbot-x: blueGreen.idleReplicas must be a whole number >= 0, got 1.5');
  });

  it('refuses idleReplicas above maxReplicas', () => {
    expect(() => make({}, { idleReplicas: 11 })).toThrow('finbot-x: blueGreen.idleReplicas (11) is above autoscaling.maxReplicas (10); lower idleReplicas');
  });
});
