import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotApp, type FinbotAppProps } from '../../constructs/finbot-app';
import {
  AllowNothingPolicy, AllowPortsPolicy, istioPrincipal, MeshTelemetry, MeshTraffic, StrictMtls, type MeshTrafficProps,
} from '../../constructs/mesh';
import { find } from '../helpers';

const settings = (port?: number): Omit<FinbotAppProps, 'name' | 'component' | 'environment' | 'namespace'> => ({
  image: 'r.io/x/y',
  replicas: 2,
  ...(port ? { port } : {}),
  metricsPort: 9090,
  resources: { requests: { cpu: '1', memory: '1Mi' }, limits: { cpu: '1', memory: '1Mi' } },
  livenessProbe: { path: '/', initialDelaySeconds: 1, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 },
  readinessProbe: { path: '/', initialDelaySeconds: 1, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 },
  maxUnavailable: 1,
});

const policy: MeshTrafficProps['policy'] = {
  loadBalancer: 'LEAST_REQUEST',
  connectionPool: { maxConnections: 10, connectTimeoutSeconds: 1, http1MaxPendingRequests: 5, http2MaxRequests: 10 },
  outlierDetection: { consecutive5xxErrors: 2, intervalSeconds: 5, baseEjectionSeconds: 30, maxEjectionPercent: 50 },
};

function traffic(opts: { blueGreen?: boolean; port?: number | null; change?: Partial<MeshTrafficProps> } = {}) {
  const chart = new Chart(Testing.app(), 't');
  const port = opts.port === null ? undefined : (opts.port ?? 3000);
  const app = new FinbotApp(chart, 'app', {
    name: 'svc', component: 'api', environment: 'e', namespace: 'ns',
    ...settings(port),
    ...(opts.blueGreen ? { blueGreen: { activeColour: 'green' as const, tags: { blue: 'v1', green: 'v2' }, idleReplicas: 1 } } : { tag: 'v1' }),
  });
  const t = new MeshTraffic(chart, 'mesh', { app, policy, timeoutSeconds: 10, retries: { attempts: 3, perTryTimeoutSeconds: 3, retryOn: ['5xx', 'reset'] }, ...opts.change });
  return { t, objs: Testing.synth(chart) as any[] };
}

describe('MeshTraffic', () => {
  it('plain app: DestinationRule and VirtualService on the Service host', () => {
    const { t, objs } = traffic();
    expect(t.host).toBe('svc.ns.svc.cluster.local');
    expect(find(objs, 'DestinationRule', 'svc').spec.host).toBe('svc.ns.svc.cluster.local');
    expect(find(objs, 'DestinationRule', 'svc').spec.subsets).toBeUndefined();
    expect(find(objs, 'VirtualService', 'svc').spec.http[0].route).toEqual([{ destination: { host: 'svc.ns.svc.cluster.local', port: { number: 3000 } }, weight: 100 }]);
    expect(t.coloursService).toBeUndefined();
  });

  it('blue-green: colours Service selecting both, one subset per colour, live and preview routes', () => {
    const { t, objs } = traffic({ blueGreen: true, change: { canaryPercent: 25 } });
    const colours = find(objs, 'Service', 'svc-colours');
    expect(colours.spec.selector).toEqual({ 'app.kubernetes.io/name': 'svc', 'app.kubernetes.io/instance': 'e' });
    expect(find(objs, 'DestinationRule', 'svc-colours').spec.subsets.map((s: any) => [s.name, s.labels['finbot.io/colour']])).toEqual([['blue', 'blue'], ['green', 'green']]);
    expect(t.destinations).toEqual([
      { host: 'svc-colours.ns.svc.cluster.local', subset: 'green', weight: 75 },
      { host: 'svc-colours.ns.svc.cluster.local', subset: 'blue', weight: 25 },
    ]);
    expect(find(objs, 'VirtualService', 'svc-preview').spec.http[0].route[0].destination.subset).toBe('blue');
  });

  it('refuses an app without a port, a canary without colours or out of range, useless retries, 4xx retries', () => {
    expect(() => traffic({ port: null })).toThrow('MeshTraffic: svc serves no HTTP port; only apps with a port get routing rules');
    expect(() => traffic({ change: { canaryPercent: 10 } }))
      .toThrow('MeshTraffic: svc: canaryPercent 10 needs a blue-green app (FinbotApp blueGreen); there is no idle colour to send it to');
    expect(() => traffic({ blueGreen: true, change: { canaryPercent: 100 } }))
      .toThrow('MeshTraffic: svc: canaryPercent must be a whole number from 0 to 99, got 100; to move all traffic, promote the idle colour');
    expect(() => traffic({ change: { timeoutSeconds: 3 } }))
      .toThrow('MeshTraffic: svc: perTryTimeoutSeconds (3) must be below timeoutSeconds (3), or no retry can run');
    expect(() => traffic({ change: { retries: { attempts: 1, perTryTimeoutSeconds: 1, retryOn: [] } } }))
      .toThrow('MeshTraffic: svc: retries.retryOn is empty; name the conditions to retry on');
    expect(() => traffic({ change: { retries: { attempts: 1, perTryTimeoutSeconds: 1, retryOn: ['retriable-4xx'] } } }))
      .toThrow('MeshTraffic: svc: retries.retryOn retriable-4xx retries 4xx; client errors are never retried');
    expect(() => traffic({ change: { retries: { attempts: 1, perTryTimeoutSeconds: 1, retryOn: ['5xx'], idempotentMethods: ['GET', 'POST'] } } }))
      .toThrow('MeshTraffic: svc: retries.idempotentMethods POST are not idempotent (RFC 9110)');
  });

  it('every host gets two routes to the same place: idempotent methods retry on retryOn, the rest only where the app was never reached', () => {
    const { objs } = traffic({ blueGreen: true });
    for (const vs of objs.filter((o) => o.kind === 'VirtualService')) {
      const [safe, rest] = vs.spec.http;
      expect(vs.spec.http).toHaveLength(2);
      expect(safe.match).toEqual([{ method: { regex: '^(GET|HEAD|OPTIONS)$' } }]);
      expect(safe.retries.retryOn).toBe('5xx,reset');
      expect(rest.match).toBeUndefined();
      // Explicit, never absent: without a retries block Istio would retry a 503 — a replayed POST.
      expect(rest.retries).toEqual({ attempts: 3, perTryTimeout: '3s', retryOn: 'connect-failure,refused-stream' });
      expect(rest.route).toEqual(safe.route);
    }
  });
});

describe('StrictMtls, authorization, telemetry, identities', () => {
  it('STRICT by default; port exceptions need a selector and real ports', () => {
    const chart = new Chart(Testing.app(), 't');
    new StrictMtls(chart, 'a', { namespace: 'ns' });
    expect(Testing.synth(chart).map((o: any) => o.metadata.name)).toEqual(['default']);
    expect(() => new StrictMtls(chart, 'b', { namespace: 'ns', permissivePorts: [9090] }))
      .toThrow('StrictMtls: permissivePorts need permissivePodLabels (Istio applies port-level mTLS only to selected workloads)');
    expect(() => new StrictMtls(chart, 'c', { namespace: 'ns', permissivePorts: [70000], permissivePodLabels: { a: 'b' } }))
      .toThrow('StrictMtls: permissivePorts: 70000 is not a port (1-65535)');
  });

  it('allow-nothing has an empty spec; AllowPortsPolicy validates its input', () => {
    const chart = new Chart(Testing.app(), 't');
    new AllowNothingPolicy(chart, 'n', { namespace: 'ns' });
    expect(Testing.synth(chart)[0]).toMatchObject({ kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing' }, spec: {} });
    const base = { name: 'p', namespace: 'ns', podLabels: { a: 'b' }, ports: [1], principals: ['td/ns/x/sa/y'] };
    expect(() => new AllowPortsPolicy(chart, 'a', { ...base, ports: [] })).toThrow('AuthorizationPolicy p: ports is empty; name the ports to allow');
    expect(() => new AllowPortsPolicy(chart, 'b', { ...base, principals: [] }))
      .toThrow('AuthorizationPolicy p: principals is empty, which allows nobody; leave it out only for plain-text ports');
    expect(() => new AllowPortsPolicy(chart, 'c', { ...base, podLabels: {} })).toThrow('AuthorizationPolicy p: podLabels is empty; select the pods to protect');
  });

  it('Telemetry refuses a sampling outside 0-100; principals need a valid trust domain', () => {
    const chart = new Chart(Testing.app(), 't');
    expect(() => new MeshTelemetry(chart, 't', { namespace: 'ns', accessLogProvider: 'envoy', tracingProvider: 'otel', samplingPercent: 101 }))
      .toThrow('MeshTelemetry: samplingPercent must be between 0 and 100, got 101');
    expect(istioPrincipal('cluster.local', { namespace: 'a', name: 'b' })).toBe('cluster.local/ns/a/sa/b');
    expect(() => istioPrincipal('Bad Domain', { namespace: 'a', name: 'b' })).toThrow('istioPrincipal: trust domain "Bad Domain" is invalid; use e.g. cluster.local');
  });
});
