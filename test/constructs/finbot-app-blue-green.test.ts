/** FinbotApp with `blueGreen`: a ServiceAccount, then a BlueGreenDeployment, exposed through FinbotApp's API. */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { BlueGreenDeployment, type BlueGreenRelease } from '../../constructs/blue-green-deployment';
import { FinbotApp, type FinbotAppProps } from '../../constructs/finbot-app';
import { find } from '../helpers';

type AppProps = Omit<FinbotAppProps, 'name' | 'component' | 'environment' | 'namespace'>;
const base: AppProps = {
  image: 'docker.io/finbot/api',
  port: 3001,
  metricsPort: 9090,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  autoscaling: {
    minReplicas: 3, maxReplicas: 10, cpuUtilization: 70,
    scaleDown: { stabilizationWindowSeconds: 300, percentPerMinute: 10 }, scaleUp: { stabilizationWindowSeconds: 60, percentPerMinute: 50 },
  },
  livenessProbe: { path: '/health', initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3 },
  readinessProbe: { path: '/ready', initialDelaySeconds: 3, periodSeconds: 4, timeoutSeconds: 1, failureThreshold: 3 },
  maxUnavailable: 1,
};
const release: BlueGreenRelease = { activeColour: 'blue', tags: { blue: 'v1.0.0', green: 'v1.1.0' }, idleReplicas: 1 };

function make(props: Partial<AppProps> = {}, blueGreen: Partial<BlueGreenRelease> | null = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const app = new FinbotApp(chart, 'App', {
    name: 'finbot-x', component: 'api', environment: 'test', namespace: 'ns',
    ...base, ...props,
    ...(blueGreen ? { blueGreen: { ...release, ...blueGreen } } : {}),
  });
  return { app, objs: Testing.synth(chart) as any[] };
}

describe('FinbotApp with blueGreen', () => {
  it('the ServiceAccount first, then the BlueGreenDeployment\'s objects', () => {
    const { app, objs } = make();
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/finbot-x',
      'Deployment/finbot-x-blue', 'Deployment/finbot-x-green',
      'Service/finbot-x', 'Service/finbot-x-preview',
      'HorizontalPodAutoscaler/finbot-x-blue-hpa', 'PodDisruptionBudget/finbot-x-blue',
      'HorizontalPodAutoscaler/finbot-x-green-hpa', 'PodDisruptionBudget/finbot-x-green',
    ]);
    expect(app.blueGreen).toBeInstanceOf(BlueGreenDeployment);
  });

  it('exposes the live colour as its Deployment, HPA, PDB and Service; the stable selector has no colour', () => {
    const { app } = make({}, { activeColour: 'green' });
    const bg = app.blueGreen!;
    expect([app.activeColour, app.idleColour]).toEqual(['green', 'blue']);
    expect(app.deployment).toBe(bg.live.deployment);
    expect(app.hpa).toBe(bg.live.hpa);
    expect(app.pdb).toBe(bg.live.pdb);
    expect(app.podLabels).toBe(bg.live.podLabels);
    expect(app.service).toBe(bg.service);
    expect(app.previewService).toBe(bg.previewService);
    expect(app.workloads).toEqual(bg.workloads);
    expect(app.selector).toEqual({ 'app.kubernetes.io/name': 'finbot-x', 'app.kubernetes.io/instance': 'test' });
  });

  it('passes the component\'s props on: pods run as its ServiceAccount, scaled as the live colour', () => {
    const { objs } = make({ env: { A: '1' } });
    for (const c of ['blue', 'green']) {
      const pod = find(objs, 'Deployment', `finbot-x-${c}`).spec.template.spec;
      expect(pod.serviceAccountName).toBe('finbot-x');
      expect(pod.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    }
    expect(find(objs, 'HorizontalPodAutoscaler', 'finbot-x-blue-hpa').spec.minReplicas).toBe(3);
  });

  it('refuses a tag together with blueGreen', () => {
    expect(() => make({ tag: 'v9' }))
      .toThrow('FinbotApp: finbot-x: tag (v9) and blueGreen.tags are both given; each colour has its own tag, remove tag');
  });

  it('refuses no tag at all without blueGreen', () => {
    expect(() => make({}, null)).toThrow('FinbotApp: finbot-x: tag is missing; give a tag, or blueGreen.tags for a blue-green release');
  });

  it('the BlueGreenDeployment\'s refusals reach the caller', () => {
    expect(() => make({}, { idleReplicas: 11 })).toThrow('BlueGreenDeployment: finbot-x: idleReplicas (11) is above autoscaling.maxReplicas (10)');
  });
});
