import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { settingsSchema } from '../../config/schema';
import { ngfResourceName } from '../../model/operators/nginx-gateway-fabric';
import { find, ofKind, settingsOf, synthObjects } from '../helpers';

const prod = () => synthObjects('production');
const SA = (ns: string, name: string) => `cluster.local/ns/${ns}/sa/${name}`;
/** The edge proxy's identity (the Gateway data plane's or the ingress-nginx controller's ServiceAccount). */
const EDGE = (() => {
  const e = settingsOf('production').edge;
  const ns = settingsOf('production').platform.namespaces.ingress;
  return e.implementation === 'nginx-gateway-fabric'
    ? SA(ns, ngfResourceName(e.nginxGatewayFabric.gatewayName, e.nginxGatewayFabric.gatewayClassName))
    : SA(ns, e.ingressNginx.controllerServiceAccount);
})();

describe('mesh chart: mTLS and authorization (production)', () => {
  it('STRICT mTLS namespace-wide; only the metrics port is PERMISSIVE (Prometheus is outside the mesh)', () => {
    const pa = find(prod(), 'PeerAuthentication', 'default', 'production');
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    const ports = find(prod(), 'PeerAuthentication', 'permissive-metrics-ports', 'production');
    expect(ports.spec).toEqual({ selector: { matchLabels: { app: 'finbot' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '9090': { mode: 'PERMISSIVE' } } });
  });

  it('deny by default: an allow-nothing policy for the whole namespace', () => {
    const deny = find(prod(), 'AuthorizationPolicy', 'allow-nothing', 'production');
    expect(deny.spec).toEqual({});
  });

  it('only the ingress controller reaches web', () => {
    const p = find(prod(), 'AuthorizationPolicy', 'finbot-web-from-ingress', 'production');
    expect(p.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'production', 'app.kubernetes.io/name': 'finbot-web' });
    expect(p.spec.action).toBe('ALLOW');
    expect(p.spec.rules).toEqual([{ from: [{ source: { principals: [EDGE] } }], to: [{ operation: { ports: ['8080'] } }] }]);
  });

  it('only the ingress controller, web and workers reach api (both colours)', () => {
    const p = find(prod(), 'AuthorizationPolicy', 'finbot-api-from-ingress-web-and-workers', 'production');
    expect(p.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'production', 'app.kubernetes.io/name': 'finbot-api' });
    expect(p.spec.rules).toEqual([{
      // finbot-smoke-test: the PostSync smoke test (checks chart) calls the api's preview and live Services.
      from: [{ source: { principals: [EDGE, SA('production', 'finbot-smoke-test'), SA('production', 'finbot-web'), SA('production', 'finbot-worker')] } }],
      to: [{ operation: { ports: ['3001'] } }],
    }]);
  });

  it('apiClients adds further identities to the api policy (the smoke-test Job in the real output)', () => {
    const env = buildEnvironment(settingsOf('production'));
    const p = (env.charts.mesh.toJson() as any[]).find((o) => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'finbot-api-from-ingress-web-and-workers');
    expect(p.spec.rules[0].from[0].source.principals).toContain(SA('production', env.charts.checks.smokeTest.serviceAccount.name));
  });

  it('every principal names a ServiceAccount the output creates, or the ingress controller', () => {
    const sas = ofKind(prod(), 'ServiceAccount').map((s) => SA(s.metadata.namespace, s.metadata.name));
    const principals = ofKind(prod(), 'AuthorizationPolicy').flatMap((p) => (p.spec.rules ?? []).flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source.principals)));
    expect(principals.length).toBeGreaterThan(0);
    for (const pr of principals) expect([...sas, EDGE], pr).toContain(pr);
  });

  it('the metrics port is open to any source in the mesh policy (plain text has no identity); NetworkPolicy limits it', () => {
    const p = find(prod(), 'AuthorizationPolicy', 'finbot-metrics-scrape', 'production');
    expect(p.spec.rules).toEqual([{ to: [{ operation: { ports: ['9090'] } }] }]);
  });
});

describe('mesh chart: circuit breaking, timeouts, retries (design: Error Handling)', () => {
  for (const name of ['finbot-api-colours', 'finbot-web']) {
    it(`DestinationRule ${name}: least request, connection pool, outlier detection 5 x 5xx / 30 s / 50 %`, () => {
      const dr = find(prod(), 'DestinationRule', name, 'production');
      expect(dr.apiVersion).toBe('networking.istio.io/v1');
      expect(dr.spec.host).toBe(`${name}.production.svc.cluster.local`);
      expect(dr.spec.trafficPolicy.loadBalancer).toEqual({ simple: 'LEAST_REQUEST' });
      expect(dr.spec.trafficPolicy.connectionPool).toEqual({
        tcp: { maxConnections: 1000, connectTimeout: '5s' },
        http: { http1MaxPendingRequests: 100, http2MaxRequests: 1000 },
      });
      expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
    });
  }

  for (const name of ['finbot-api', 'finbot-api-preview', 'finbot-web']) {
    it(`VirtualService ${name}: mesh.yaml's timeout; retries on retryOn only for idempotent methods, POST only where it never reached the app`, () => {
      const mesh = settingsOf('production').mesh;
      const [idempotent, rest] = find(prod(), 'VirtualService', name, 'production').spec.http;
      for (const route of [idempotent, rest]) {
        expect(route.timeout).toBe(`${mesh.requestTimeoutSeconds}s`);
        expect(route.route.reduce((s: number, r: any) => s + r.weight, 0)).toBe(100);
        expect(route.retries.retryOn).not.toMatch(/4xx/);
      }
      expect(idempotent.route).toEqual(rest.route);
      expect(idempotent.match).toEqual([{ method: { regex: `^(${[...mesh.retries.idempotentMethods].sort().join('|')})$` } }]);
      expect(idempotent.retries).toEqual({ attempts: mesh.retries.attempts, perTryTimeout: `${mesh.retries.perTryTimeoutSeconds}s`, retryOn: mesh.retries.retryOn.join(',') });
      expect(rest.match).toBeUndefined();
      expect(rest.retries).toEqual({ attempts: mesh.retries.attempts, perTryTimeout: `${mesh.retries.perTryTimeoutSeconds}s`, retryOn: 'connect-failure,refused-stream' });
    });
  }
});

describe('mesh chart: telemetry', () => {
  it('access logs (envoy) and tracing with the sampling of the environment', () => {
    const t = find(prod(), 'Telemetry', 'mesh-default', 'production');
    expect(t.apiVersion).toBe('telemetry.istio.io/v1');
    const telemetry = settingsOf('production').mesh.telemetry;
    expect(t.spec).toEqual({
      accessLogging: [{ providers: [{ name: telemetry.accessLogProvider }] }],
      tracing: [{ providers: [{ name: telemetry.tracingProvider }], randomSamplingPercentage: telemetry.tracingSamplingPercent }],
    });
    const staging = settingsOf('staging');
    expect(find(synthObjects('staging'), 'Telemetry', 'mesh-default', staging.platform.namespaces.app).spec.tracing[0].randomSamplingPercentage).toBe(staging.mesh.telemetry.tracingSamplingPercent);
  });
});

describe('mesh chart: NetworkPolicies let the mesh work', () => {
  it('app pods may reach istiod on 15012 (xDS and certificates), selected by the automatic namespace label', () => {
    const np = find(prod(), 'NetworkPolicy', 'allow-istiod-egress', 'production');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'finbot' } });
    expect(np.spec.policyTypes).toEqual(['Egress']);
    expect(np.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
      ports: [{ protocol: 'TCP', port: 15012 }],
    }]);
  });

  it('Prometheus may scrape Envoy stats on 15090', () => {
    const np = find(prod(), 'NetworkPolicy', 'allow-envoy-stats-scrape', 'production');
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { name: 'monitoring', 'finbot.io/environment': 'production' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 15090 }],
    }]);
  });

  it('every path the AuthorizationPolicies allow is also open in the NetworkPolicies', () => {
    const objs = prod();
    const netIngress = ofKind(objs, 'NetworkPolicy').flatMap((np) => (np.spec.ingress ?? []).map((r: any) => ({ pods: np.spec.podSelector.matchLabels, ports: r.ports.map((p: any) => String(p.port)) })));
    for (const ap of ofKind(objs, 'AuthorizationPolicy').filter((p) => p.spec.rules)) {
      for (const port of ap.spec.rules.flatMap((r: any) => r.to.flatMap((t: any) => t.operation.ports))) {
        const open = netIngress.some((r) => r.ports.includes(port) && Object.entries(r.pods).every(([k, v]) => ap.spec.selector.matchLabels[k] === v || k === 'app'));
        expect(open, `${ap.metadata.name} port ${port}`).toBe(true);
      }
    }
  });

  it('an environment without sidecar injection is refused by the settings model, naming platform.istioInjection', () => {
    const s = settingsOf('staging');
    s.platform.istioInjection = false;
    const r = settingsSchema.safeParse(s);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('platform.istioInjection');
  });
});
