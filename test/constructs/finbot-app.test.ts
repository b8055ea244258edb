import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { AppSettings } from '../../config/schema';
import { FinbotApp } from '../../constructs/finbot-app';
import { find } from '../helpers';

const base: AppSettings = {
  image: { registry: 'docker.io', repository: 'finbot/api', tag: 'v1.2.3' },
  replicas: 2,
  port: 3001,
  metricsPort: 9090,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  livenessProbe: { path: '/health', initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3 },
  readinessProbe: { path: '/ready', initialDelaySeconds: 3, periodSeconds: 4, timeoutSeconds: 1, failureThreshold: 3 },
  env: {},
  maxUnavailable: 1,
};

function synth(settings: Partial<AppSettings> = {}, extra: Record<string, unknown> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  new FinbotApp(chart, 'App', { name: 'finbot-x', component: 'api', environment: 'test', namespace: 'ns', settings: { ...base, ...settings }, ...extra });
  return Testing.synth(chart) as any[];
}

describe('FinbotApp', () => {
  it('defaults: SA without token, Deployment, Service, PDB (2 replicas), no HPA', () => {
    const objs = synth();
    expect(objs.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget']);
    expect(find(objs, 'ServiceAccount', 'finbot-x').automountServiceAccountToken).toBe(false);
    const d = find(objs, 'Deployment', 'finbot-x');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(d.spec.template.spec.serviceAccountName).toBe('finbot-x');
    expect(find(objs, 'PodDisruptionBudget', 'finbot-x').spec.maxUnavailable).toBe(1);
  });

  it('pins the image from registry/repository/tag', () => {
    const c = find(synth(), 'Deployment', 'finbot-x').spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/finbot/api:v1.2.3');
  });

  it('applies the design document security context to pod and container', () => {
    const spec = find(synth(), 'Deployment', 'finbot-x').spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const c = spec.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'cache', mountPath: '/app/cache' }]);
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'cache', emptyDir: {} }]);
  });

  it('selects on stable labels only and labels pods with the version', () => {
    const d = find(synth(), 'Deployment', 'finbot-x');
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'finbot-x', 'app.kubernetes.io/instance': 'test' });
    expect(d.spec.template.metadata.labels).toMatchObject({ app: 'finbot', 'app.kubernetes.io/version': 'v1.2.3' });
    const svc = find(synth(), 'Service', 'finbot-x');
    expect(svc.spec.selector).toEqual(d.spec.selector.matchLabels);
  });

  it('spreads over zones (hard) and nodes (soft)', () => {
    const tsc = find(synth(), 'Deployment', 'finbot-x').spec.template.spec.topologySpreadConstraints;
    expect(tsc.map((t: any) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
  });

  it('probes and ports', () => {
    const c = find(synth(), 'Deployment', 'finbot-x').spec.template.spec.containers[0];
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 3001 }, initialDelaySeconds: 1, periodSeconds: 2 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 3001 }, initialDelaySeconds: 3, periodSeconds: 4 });
    expect(c.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['http', 3001], ['http-metrics', 9090]]);
  });

  it('an HPA owns the replica count', () => {
    const objs = synth({ autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 60, scaleDown: { stabilizationWindowSeconds: 1, percentPerMinute: 2 }, scaleUp: { stabilizationWindowSeconds: 3, percentPerMinute: 4 } } });
    expect(find(objs, 'Deployment', 'finbot-x').spec.replicas).toBeUndefined();
    const hpa = find(objs, 'HorizontalPodAutoscaler', 'finbot-x-hpa');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'finbot-x' } });
    expect(hpa.spec.metrics).toHaveLength(1);
  });

  it('a worker (no port) gets a headless metrics Service and probes on the metrics port', () => {
    const objs = synth({ port: undefined, replicas: 1 });
    const svc = find(objs, 'Service', 'finbot-x-metrics');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([expect.objectContaining({ name: 'http-metrics', port: 9090 })]);
    expect(find(objs, 'Deployment', 'finbot-x').spec.template.spec.containers[0].livenessProbe.httpGet.port).toBe(9090);
    expect(objs.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('env from secrets never carries values', () => {
    const c = find(synth({}, { secretEnv: [{ name: 'DATABASE_URL', secretName: 's', key: 'k' }] }), 'Deployment', 'finbot-x').spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } });
  });

  it('rejects minReplicas above maxReplicas', () => {
    expect(() => synth({ autoscaling: { minReplicas: 6, maxReplicas: 5, cpuUtilization: 60, scaleDown: { stabilizationWindowSeconds: 1, percentPerMinute: 2 }, scaleUp: { stabilizationWindowSeconds: 3, percentPerMinute: 4 } } }))
      .toThrow('finbot-x: autoscaling.minReplicas (6) is above maxReplicas (5)');
  });

  it('rejects a metrics port equal to the HTTP port', () => {
    expect(() => synth({ metricsPort: 3001 })).toThrow('port and metricsPort are both 3001');
  });
});
