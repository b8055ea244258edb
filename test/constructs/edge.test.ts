import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AcmeClusterIssuer, NginxGatewayFabricEdge, NginxIngressEdge, nginxRateLimit, type NginxGatewayFabricEdgeProps, type NginxIngressEdgeProps } from '../../constructs/edge';
import { ngfDataPlaneSelector } from '../../model/operators/nginx-gateway-fabric';
import { schemaProblems } from '../../validation/schema';
import { FinbotApp, type FinbotAppProps } from '../../constructs/finbot-app';
import { FinbotNamespace } from '../../constructs/namespace';
import { find } from '../helpers';

const A = 'nginx.ingress.kubernetes.io';

describe('nginxRateLimit: a rate and burst as ingress-nginx annotations', () => {
  it('the design (1000/min, burst 50) becomes 17 r/s with multiplier 3: 1020/min, burst 51', () => {
    expect(nginxRateLimit({ requestsPerMinute: 1000, burst: 50 })).toEqual({
      annotations: { [`${A}/limit-rps`]: '17', [`${A}/limit-burst-multiplier`]: '3' },
      effectivePerMinute: 1020,
      effectiveBurst: 51,
    });
  });

  it('a burst that is a whole multiple of the per-minute rate stays per minute', () => {
    expect(nginxRateLimit({ requestsPerMinute: 1000, burst: 2000 }).annotations).toEqual({ [`${A}/limit-rpm`]: '1000', [`${A}/limit-burst-multiplier`]: '2' });
  });

  it('an exact per-second rate is kept exact', () => {
    expect(nginxRateLimit({ requestsPerMinute: 600, burst: 30 })).toMatchObject({ effectivePerMinute: 600, effectiveBurst: 30 });
  });

  it('a burst below the per-second rate becomes one second of rate (multiplier is at least 1)', () => {
    expect(nginxRateLimit({ requestsPerMinute: 6000, burst: 10 })).toMatchObject({ effectiveBurst: 100 });
  });

  it('below 60/min the rate stays per minute', () => {
    expect(nginxRateLimit({ requestsPerMinute: 30, burst: 5 }).annotations).toEqual({ [`${A}/limit-rpm`]: '30', [`${A}/limit-burst-multiplier`]: '1' });
  });

  it('refuses nonsense', () => {
    expect(() => nginxRateLimit({ requestsPerMinute: 0, burst: 5 })).toThrow('rate limit: requestsPerMinute must be a whole number >= 1, got 0');
    expect(() => nginxRateLimit({ requestsPerMinute: 100, burst: -1 })).toThrow('rate limit: burst must be a whole number >= 0, got -1');
  });
});

describe('AcmeClusterIssuer', () => {
  it('defaults: name letsencrypt-<server>, class nginx', () => {
    const chart = new Chart(Testing.app(), 't');
    const issuer = new AcmeClusterIssuer(chart, 'i', { environment: 'e', server: 'staging', email: 'a@b.io' });
    const o = Testing.synth(chart)[0];
    expect(issuer.name).toBe('letsencrypt-staging');
    expect(o.spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(o.spec.acme.solvers[0].http01.ingress.ingressClassName).toBe('nginx');
  });

  it('refuses an unknown server and a bad e-mail', () => {
    const chart = new Chart(Testing.app(), 't');
    expect(() => new AcmeClusterIssuer(chart, 'a', { environment: 'e', server: 'prod' as 'production', email: 'a@b.io' }))
      .toThrow('AcmeClusterIssuer: server "prod" is unknown; use one of production, staging');
    expect(() => new AcmeClusterIssuer(chart, 'b', { environment: 'e', server: 'production', email: 'ops' }))
      .toThrow('AcmeClusterIssuer: email "ops" is not an e-mail address');
  });
});

const appSettings = (port?: number): Omit<FinbotAppProps, 'name' | 'component' | 'environment' | 'namespace'> => ({
  image: 'r.io/x/y',
  tag: 'v1',
  replicas: 1,
  ...(port ? { port } : {}),
  metricsPort: 9090,
  resources: { requests: { cpu: '1', memory: '1Mi' }, limits: { cpu: '1', memory: '1Mi' } },
  livenessProbe: { path: '/', initialDelaySeconds: 1, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 },
  readinessProbe: { path: '/', initialDelaySeconds: 1, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 },
  maxUnavailable: 1,
});

function edge(change: (p: NginxIngressEdgeProps, apps: { web: FinbotApp; worker: FinbotApp }) => NginxIngressEdgeProps = (p) => p) {
  const chart = new Chart(Testing.app(), 't');
  const common = { environment: 'e', namespace: 'app', component: 'x' };
  const web = new FinbotApp(chart, 'web', { ...common, name: 'web', ...appSettings(8080) });
  const worker = new FinbotApp(chart, 'worker', { ...common, name: 'worker', ...appSettings() });
  const props: NginxIngressEdgeProps = {
    environment: 'e',
    ingressNamespace: new FinbotNamespace(chart, 'ns', { name: 'ing', role: 'ingress-nginx', environment: 'e' }),
    issuer: new AcmeClusterIssuer(chart, 'issuer', { environment: 'e', server: 'production', email: 'a@b.io' }),
    routes: [{ host: 'web.example.com', app: web }],
    rateLimit: { requestsPerMinute: 600, burst: 10 },
    timeouts: { connectSeconds: 1, sendSeconds: 2, readSeconds: 3 },
    nextUpstream: { on: ['error'], tries: 1 },
    hsts: { maxAgeSeconds: 60, includeSubDomains: false, preload: false },
    cdn: { clientIpHeader: 'X-Client', cidrs: ['10.0.0.0/8'] },
  };
  const e = new NginxIngressEdge(chart, 'edge', change(props, { web, worker }));
  return { e, objs: Testing.synth(chart) as any[] };
}

describe('NginxIngressEdge', () => {
  it('defaults: class nginx, controller SA ingress-nginx, the design\'s two security headers', () => {
    const { e, objs } = edge();
    expect(e.controllerServiceAccount).toEqual({ namespace: 'ing', name: 'ingress-nginx' });
    expect(find(objs, 'Ingress', 'web').spec.ingressClassName).toBe('nginx');
    expect(find(objs, 'ConfigMap', 'finbot-security-headers').data).toEqual({ 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
    expect(find(objs, 'ConfigMap', 'ingress-nginx-controller').data['proxy-real-ip-cidr']).toBe('10.0.0.0/8');
    expect(find(objs, 'ConfigMap', 'ingress-nginx-controller').data['hsts-include-subdomains']).toBe('false');
  });

  it('rate limits only routes that ask for it', () => {
    const { objs } = edge((p) => ({ ...p, routes: [{ ...p.routes[0], rateLimited: true }] }));
    expect(find(objs, 'Ingress', 'web').metadata.annotations[`${A}/limit-rps`]).toBe('10');
  });

  it('refuses no routes, duplicate hosts, apps without a port, no CDN ranges', () => {
    expect(() => edge((p) => ({ ...p, routes: [] }))).toThrow('NginxIngressEdge: routes is empty; give at least one host and app');
    expect(() => edge((p) => ({ ...p, routes: [p.routes[0], p.routes[0]] }))).toThrow('NginxIngressEdge: host web.example.com is routed twice; each host goes to one app');
    expect(() => edge((p, a) => ({ ...p, routes: [{ host: 'w.example.com', app: a.worker }] })))
      .toThrow('NginxIngressEdge: worker serves no HTTP port, so host w.example.com cannot route to it; route to an app with a port');
    expect(() => edge((p) => ({ ...p, cdn: { ...p.cdn, cidrs: [] } })))
      .toThrow('NginxIngressEdge: cdn.cidrs is empty; without the CDN ranges the client address (and per-client rate limiting) cannot be trusted');
  });
});

describe('AcmeClusterIssuer: solver pods out of the mesh', () => {
  it('the ingress solver and the Gateway solver both label their pods sidecar.istio.io/inject=false', () => {
    const chart = new Chart(Testing.app(), 't');
    new AcmeClusterIssuer(chart, 'a', { environment: 'e', server: 'staging', email: 'a@b.io', name: 'a' });
    new AcmeClusterIssuer(chart, 'b', { environment: 'e', server: 'staging', email: 'a@b.io', name: 'b', gateway: { name: 'gw', namespace: 'edge', sectionName: 'http' } });
    const [a, b] = Testing.synth(chart) as any[];
    expect(a.spec.acme.solvers[0].http01.ingress.podTemplate.metadata.labels).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(b.spec.acme.solvers[0].http01.gatewayHTTPRoute).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'edge', sectionName: 'http' }],
      podTemplate: { metadata: { labels: { 'sidecar.istio.io/inject': 'false' } } },
    });
  });
});

describe('NginxIngressEdge keeps the public Host header', () => {
  it('no upstream-vhost (the mesh routes the public host); Service upstream stays', () => {
    const { objs } = edge();
    const a = find(objs, 'Ingress', 'web').metadata.annotations;
    expect(a[`${A}/upstream-vhost`]).toBeUndefined();
    expect(a[`${A}/service-upstream`]).toBe('true');
  });
});

function gatewayEdge(change: (p: NginxGatewayFabricEdgeProps, apps: { web: FinbotApp; worker: FinbotApp }) => NginxGatewayFabricEdgeProps = (p) => p) {
  const chart = new Chart(Testing.app(), 't');
  const common = { environment: 'e', namespace: 'app', component: 'x' };
  const web = new FinbotApp(chart, 'web', { ...common, name: 'web', ...appSettings(8080) });
  const worker = new FinbotApp(chart, 'worker', { ...common, name: 'worker', ...appSettings() });
  const props: NginxGatewayFabricEdgeProps = {
    environment: 'e',
    ingressNamespace: new FinbotNamespace(chart, 'ns', { name: 'edge', environment: 'e' }),
    controlPlaneNamespace: new FinbotNamespace(chart, 'cp', { name: 'ngf-system', environment: 'e' }),
    issuer: new AcmeClusterIssuer(chart, 'issuer', { environment: 'e', server: 'production', email: 'a@b.io' }),
    routes: [{ host: 'web.example.com', app: web, rateLimited: true }],
    rateLimit: { requestsPerMinute: 600, burst: 10 },
    timeouts: { connectSeconds: 1, sendSeconds: 2, readSeconds: 3 },
    hsts: { maxAgeSeconds: 60, includeSubDomains: false, preload: true },
    cdn: { clientIpHeader: 'X-Client', cidrs: ['10.0.0.0/8'] },
    dataPlane: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 50, resources: { requests: { cpu: '1', memory: '1Mi' }, limits: { cpu: '1', memory: '1Mi' } } },
    client: { maxBodySize: '1m', bodyTimeoutSeconds: 5, keepAliveTimeoutSeconds: 30 },
    prometheus: { namespace: 'mon', namespaceLabels: { name: 'mon' }, podLabels: { app: 'prom' } },
  };
  const e = new NginxGatewayFabricEdge(chart, 'edge', change(props, { web, worker }));
  return { e, objs: Testing.synth(chart) as any[] };
}

describe('NginxGatewayFabricEdge', () => {
  it('defaults: release ngf, class nginx, Gateway finbot; identity and pods from the NGF model', () => {
    const { e, objs } = gatewayEdge();
    expect(e.implementation).toBe('nginx-gateway-fabric');
    expect(e.controllerServiceAccount).toEqual({ namespace: 'edge', name: 'finbot-nginx' });
    expect(e.proxyPods.labels).toEqual(ngfDataPlaneSelector({ release: 'ngf', gatewayClassName: 'nginx' }, 'finbot'));
    expect(find(objs, 'Gateway', 'finbot').spec.gatewayClassName).toBe('nginx');
    // Without a mesh control plane: no sidecar labels on the data plane.
    expect(find(objs, 'Gateway', 'finbot').spec.infrastructure.labels).toBeUndefined();
  });

  it('the HSTS header follows the props; the rate limit uses the per-minute rate as given (no rounding, unlike ingress-nginx)', () => {
    const { objs } = gatewayEdge();
    const set = find(objs, 'HTTPRoute', 'web').spec.rules[0].filters[0].responseHeaderModifier.set;
    expect(set).toContainEqual({ name: 'Strict-Transport-Security', value: 'max-age=60; preload' });
    expect(find(objs, 'RateLimitPolicy', 'finbot-rate-limit').spec.rateLimit.local.rules[0]).toMatchObject({ rate: '600r/m', burst: 10, noDelay: true });
  });

  it('every object it renders is valid against the pinned upstream schemas (Gateway API v1.6.1, NGF v2.6.7)', async () => {
    const { objs } = gatewayEdge();
    for (const o of objs) expect(await schemaProblems(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
  });

  it('refuses a canary without a preview Service, a floor above the ceiling, a name NGF would truncate', () => {
    expect(() => gatewayEdge((p) => ({ ...p, routes: [{ ...p.routes[0], canaryPercent: 10 }] })))
      .toThrow('NginxGatewayFabricEdge: web.example.com: canaryPercent 10 needs a blue-green app with a preview Service');
    expect(() => gatewayEdge((p) => ({ ...p, dataPlane: { ...p.dataPlane, minReplicas: 5 } })))
      .toThrow('NginxGatewayFabricEdge: dataPlane.minReplicas 5 is above maxReplicas 4');
    expect(() => gatewayEdge((p) => ({ ...p, gatewayName: 'g'.repeat(60) }))).toThrow(/longer than 63 characters/);
    expect(() => gatewayEdge((p) => ({ ...p, routes: [] }))).toThrow('NginxGatewayFabricEdge: routes is empty; give at least one host and app');
  });
});
