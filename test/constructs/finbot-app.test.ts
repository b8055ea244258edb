import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotApp, type FinbotAppProps } from '../../constructs/finbot-app';
import { find } from '../helpers';

type AppProps = Omit<FinbotAppProps, 'name' | 'component' | 'environment' | 'namespace'>;
const base: AppProps = {
  image: 'docker.io/finbot/api',
  tag: 'v1.2.3',
  replicas: 2,
  port: 3001,
  metricsPort: 9090,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  livenessProbe: { path: '/health', initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3 },
  readinessProbe: { path: '/ready', initialDelaySeconds: 3, periodSeconds: 4, timeoutSeconds: 1, failureThreshold: 3 },
  maxUnavailable: 1,
};

function synth(props: Partial<AppProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  new FinbotApp(chart, 'App', { name: 'finbot-x', component: 'api', environment: 'test', namespace: 'ns', ...base, ...props });
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
    const c = find(synth({ secretEnv: [{ name: 'DATABASE_URL', secretName: 's', key: 'k' }] }), 'Deployment', 'finbot-x').spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } });
  });

  it('rejects minReplicas above maxReplicas', () => {
    expect(() => synth({ autoscaling: { minReplicas: 6, maxReplicas: 5, cpuUtilization: 60, scaleDown: { stabilizationWindowSeconds: 1, percentPerMinute: 2 }, scaleUp: { stabilizationWindowSeconds: 3, percentPerMinute: 4 } } }))
      .toThrow('FinbotApp: finbot-x: autoscaling.minReplicas (6) is above maxReplicas (5); lower minReplicas or raise maxReplicas');
  });

  it('rejects a metrics port equal to the HTTP port', () => {
    expect(() => synth({ metricsPort: 3001 })).toThrow('FinbotApp: finbot-x: port and metricsPort are both 3001; give metrics a port of its own');
  });

  it('plain env is sorted by name, secret env follows; defaults: no env', () => {
    const env = (p: Partial<AppProps>) => find(synth(p), 'Deployment', 'finbot-x').spec.template.spec.containers[0].env;
    expect(env({})).toEqual([]);
    expect(env({ env: { ZED: 'z', ALPHA: 'a' }, secretEnv: [{ name: 'DATABASE_URL', secretName: 's', key: 'k' }] }).map((e: any) => e.name)).toEqual(['ALPHA', 'ZED', 'DATABASE_URL']);
  });

  it('probe defaults: timeout 1 s, failure threshold 3', () => {
    const c = find(synth({ livenessProbe: { path: '/h', initialDelaySeconds: 1, periodSeconds: 2 } }), 'Deployment', 'finbot-x').spec.template.spec.containers[0];
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/h', port: 3001 }, initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3 });
  });

  it('without replicas and autoscaling: 1 pod and no PDB; maxUnavailable defaults to 1', () => {
    const { replicas: _r, maxUnavailable: _m, ...noCount } = base;
    const one = synth({ ...noCount, replicas: undefined });
    expect(find(one, 'Deployment', 'finbot-x').spec.replicas).toBe(1);
    expect(one.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    const chart = new Chart(Testing.app(), 'test');
    new FinbotApp(chart, 'App', { name: 'finbot-x', component: 'api', environment: 'test', namespace: 'ns', ...noCount, replicas: 3 });
    expect(find(Testing.synth(chart), 'PodDisruptionBudget', 'finbot-x').spec.maxUnavailable).toBe(1);
  });

  it('refuses no tag without blueGreen', () => {
    expect(() => synth({ tag: undefined })).toThrow('FinbotApp: finbot-x: tag is missing; give a tag, or blueGreen.tags for a blue-green release');
  });
});
