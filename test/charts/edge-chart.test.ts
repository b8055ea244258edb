/**
 * The edge chart maps edge.yaml to the objects of the chosen implementation: NGINX Gateway Fabric (the
 * default) or ingress-nginx (opt-in). Values are read from the settings; the design document's values are
 * asserted once, against the committed settings (first block).
 */
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { renderObjects } from '../../synth/render';
import type { Settings } from '../../config/schema';
import { hstsValue } from '../../constructs/edge';
import { ngfControlPlaneSelector, ngfDataPlaneSelector, ngfResourceName } from '../../model/operators/nginx-gateway-fabric';
import { validateObjects } from '../../validation/engine';
import { optionsFor } from '../../validation/run';
import { ENVIRONMENTS, find, objectsOf, ofKind, settingsOf, synthObjects, type KubeObject } from '../helpers';

const A = 'nginx.ingress.kubernetes.io';

/** The output of an environment with the ingress-nginx edge instead of the default. */
/** The objects of an environment with the files they are written to (rules such as the Argo CD ones read them). */
function filed(env: string, settings: Settings) {
  return renderObjects(buildEnvironment(settings)).flatMap(([file, objects]) => objects.map((o) => ({ object: structuredClone(o), file: `dist/${env}/${file}.yaml` })));
}

function withIngressNginx(env: string): { settings: Settings; objects: KubeObject[] } {
  const settings = settingsOf(env);
  (settings.edge as { implementation: string }).implementation = 'ingress-nginx';
  return { settings, objects: objectsOf(buildEnvironment(settings)) };
}

// The design document's NGINX values are asserted once, on production, in test/conformance/design-document.test.ts.
describe('edge.yaml: every environment runs production\'s NGINX limits (staging tests what production serves)', () => {
  it.each(ENVIRONMENTS)('%s: rate limit, timeouts, HSTS and rate-limit zone as production\'s', (env) => {
    const [e, p] = [settingsOf(env).edge, settingsOf('production').edge];
    expect(e.rateLimit).toEqual(p.rateLimit);
    expect(e.timeouts).toEqual(p.timeouts);
    expect(hstsValue(e.hsts)).toBe(hstsValue(p.hsts));
    expect(e.nginxGatewayFabric.rateLimitZoneSize).toBe(p.nginxGatewayFabric.rateLimitZoneSize);
  });
});

describe.each(ENVIRONMENTS)('NGINX Gateway Fabric edge (%s, the default)', (env) => {
  const objs = () => synthObjects(env);
  const s = () => settingsOf(env);
  const ns = () => s().platform.namespaces.ingress;
  const ngf = () => s().edge.nginxGatewayFabric;
  const hosts = () => s().edge.hosts;

  it('no Ingress, no ingress-nginx ConfigMap', () => {
    expect(ofKind(objs(), 'Ingress')).toEqual([]);
    expect(objs().filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-controller')).toEqual([]);
  });

  it('Gateway: the NGF class, an HTTP listener for the edge namespace only, one HTTPS listener per host pinning TLS 1.3', () => {
    const gw = find(objs(), 'Gateway', ngf().gatewayName, ns());
    expect(gw.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gw.spec.gatewayClassName).toBe(ngf().gatewayClassName);
    const http = gw.spec.listeners.find((l: any) => l.protocol === 'HTTP');
    expect(http).toMatchObject({ name: 'http', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } });
    const https = gw.spec.listeners.filter((l: any) => l.protocol === 'HTTPS');
    expect(https.map((l: any) => l.hostname).sort()).toEqual([hosts().api, hosts().web].sort());
    for (const l of https) {
      expect(l.port).toBe(443);
      expect(l.tls.mode).toBe('Terminate');
      expect(l.tls.options).toEqual({ 'nginx.org/ssl-protocols': 'TLSv1.3' });
      expect(l.allowedRoutes.namespaces).toEqual({ from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': s().platform.namespaces.app } } });
      // The certificate is cert-manager's, for exactly this host, next to the Gateway.
      const secret = l.tls.certificateRefs[0].name;
      const cert = ofKind(objs(), 'Certificate').find((c) => c.spec.secretName === secret);
      expect(cert.metadata.namespace).toBe(ns());
      expect(cert.spec.dnsNames).toEqual([l.hostname]);
      expect(cert.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: `letsencrypt-${s().edge.acme.server}` });
    }
    // The data plane gets an outbound-only Istio sidecar (inbound 80/443 stay NGINX's).
    expect(gw.spec.infrastructure.labels).toEqual({ 'sidecar.istio.io/inject': 'true' });
    expect(gw.spec.infrastructure.annotations).toEqual({ 'traffic.sidecar.istio.io/includeInboundPorts': '' });
    expect(gw.spec.infrastructure.parametersRef).toEqual({ group: 'gateway.nginx.org', kind: 'NginxProxy', name: `${ngf().gatewayName}-proxy` });
  });

  it('HTTP only redirects to HTTPS (301); ACME HTTP-01 challenge routes attach to the same listener', () => {
    const r = find(objs(), 'HTTPRoute', `${ngf().gatewayName}-https-redirect`, ns());
    expect(r.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: ngf().gatewayName, sectionName: 'http' }]);
    expect(r.spec.hostnames.sort()).toEqual([hosts().api, hosts().web].sort());
    expect(r.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    const issuer = find(objs(), 'ClusterIssuer', `letsencrypt-${s().edge.acme.server}`);
    expect(issuer.spec.acme.solvers).toEqual([{ http01: { gatewayHTTPRoute: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: ngf().gatewayName, namespace: ns(), sectionName: 'http' }],
      podTemplate: { metadata: { labels: { 'sidecar.istio.io/inject': 'false' } } },
    } } }]);
  });

  it('HTTPRoutes: api to the live colour (canary share to the preview colour), web to web; security headers; no rule timeouts/retries (NGF refuses them)', () => {
    const canary = s().release.api.canaryPercent;
    const api = find(objs(), 'HTTPRoute', 'finbot-api', s().platform.namespaces.app);
    expect(api.spec.hostnames).toEqual([hosts().api]);
    expect(api.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: ngf().gatewayName, namespace: ns(), sectionName: 'https-finbot-api' }]);
    const port = s().apps.api.port;
    expect(api.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'finbot-api', port, weight: 100 - canary },
      ...(canary > 0 ? [{ group: '', kind: 'Service', name: 'finbot-api-preview', port, weight: canary }] : []),
    ]);
    const web = find(objs(), 'HTTPRoute', 'finbot-web', s().platform.namespaces.app);
    expect(web.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'finbot-web', port: s().apps.web.port, weight: 100 }]);
    for (const r of [api, web]) {
      expect(r.spec.rules).toHaveLength(1);
      expect(r.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
      expect(r.spec.rules[0].filters).toEqual([{
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: { set: [
          { name: 'Strict-Transport-Security', value: hstsValue(s().edge.hsts) },
          { name: 'X-Content-Type-Options', value: 'nosniff' },
          { name: 'X-Frame-Options', value: 'DENY' },
        ] },
      }]);
      for (const f of ['timeouts', 'retry', 'name']) expect(r.spec.rules[0][f]).toBeUndefined();
    }
  });

  it('RateLimitPolicy: the api route only, per client address, rate/burst from settings, nodelay, 429', () => {
    const rl = ofKind(objs(), 'RateLimitPolicy');
    expect(rl).toHaveLength(1);
    expect(rl[0].metadata.namespace).toBe(s().platform.namespaces.app);
    expect(rl[0].spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'finbot-api' }]);
    expect(rl[0].spec.rateLimit).toEqual({
      local: { rules: [{ key: '$binary_remote_addr', rate: `${s().edge.rateLimit.requestsPerMinute}r/m`, burst: s().edge.rateLimit.burst, noDelay: true, zoneSize: ngf().rateLimitZoneSize }] },
      rejectCode: 429,
    });
  });

  it('ProxySettingsPolicy: connect/send/read timeouts from settings; ClientSettingsPolicy: client limits', () => {
    const t = s().edge.timeouts;
    const gwRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: ngf().gatewayName };
    const psp = find(objs(), 'ProxySettingsPolicy', `${ngf().gatewayName}-proxy-settings`, ns());
    expect(psp.spec).toEqual({ targetRefs: [gwRef], timeout: { connect: `${t.connectSeconds}s`, send: `${t.sendSeconds}s`, read: `${t.readSeconds}s` } });
    const csp = find(objs(), 'ClientSettingsPolicy', `${ngf().gatewayName}-client-settings`, ns());
    expect(csp.spec).toEqual({
      targetRef: gwRef,
      body: { maxSize: ngf().client.maxBodySize, timeout: `${ngf().client.bodyTimeoutSeconds}s` },
      keepAlive: { timeout: { server: `${ngf().client.keepAliveTimeoutSeconds}s` } },
    });
  });

  it('NginxProxy: client address from X-Forwarded-For only from the CDN ranges, kept through the LB (externalTrafficPolicy Local), LB open to the CDN only', () => {
    const np = find(objs(), 'NginxProxy', `${ngf().gatewayName}-proxy`, ns());
    expect(np.apiVersion).toBe('gateway.nginx.org/v1alpha2');
    expect(np.spec.rewriteClientIP).toEqual({ mode: 'XForwardedFor', setIPRecursively: true, trustedAddresses: s().edge.cdn.cidrs.map((value) => ({ type: 'CIDR', value })) });
    expect(np.spec.rewriteClientIP.trustedAddresses.map((a: any) => a.value)).not.toContain('0.0.0.0/0');
    expect(np.spec.kubernetes.service).toEqual({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: s().edge.cdn.cidrs });
    const dp = ngf().dataPlane;
    expect(np.spec.kubernetes.deployment.autoscaling).toEqual({ enable: true, minReplicas: dp.minReplicas, maxReplicas: dp.maxReplicas, targetCPUUtilizationPercentage: dp.cpuUtilization });
    expect(np.spec.kubernetes.deployment.container.resources).toEqual(dp.resources);
    expect(np.spec.metrics).toEqual({ port: 9113 });
    expect(np.spec.serverTokens).toBe('off');
  });

  it('NetworkPolicies select the pods NGF really provisions (labels from the NGF model), and the control plane', () => {
    const install = { release: ngf().controlPlane.release, gatewayClassName: ngf().gatewayClassName };
    const dataPlane = ngfDataPlaneSelector(install, ngf().gatewayName);
    const name = ngfResourceName(ngf().gatewayName, ngf().gatewayClassName);
    const pol = find(objs(), 'NetworkPolicy', `${name}-data-plane`, ns());
    expect(pol.spec.podSelector.matchLabels).toEqual(dataPlane);
    expect(pol.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const cp = find(objs(), 'NetworkPolicy', `${install.release}-control-plane`, ngf().controlPlane.namespace);
    expect(cp.spec.podSelector.matchLabels).toEqual(ngfControlPlaneSelector(install.release));
    expect(cp.spec.ingress[0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx', 'finbot.io/environment': env } }, podSelector: { matchLabels: dataPlane } }],
      ports: [{ protocol: 'TCP', port: 8443 }],
    });
    // Monitors for NGF's metrics (data plane and control plane), a PDB for the data plane.
    expect(find(objs(), 'PodMonitor', `${name}-data-plane`).spec.selector.matchLabels).toEqual(dataPlane);
    expect(find(objs(), 'PodMonitor', `${install.release}-control-plane`).spec.selector.matchLabels).toEqual(ngfControlPlaneSelector(install.release));
    expect(find(objs(), 'PodDisruptionBudget', `${name}-pdb`, ns()).spec.selector.matchLabels).toEqual(dataPlane);
  });

  it('the edge and the NGF control plane namespaces enforce restricted', () => {
    for (const n of [ns(), ngf().controlPlane.namespace]) {
      expect(find(objs(), 'Namespace', n).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  it('the mesh routes the public hosts (the edge keeps the Host header) and lets the gateway identity in', () => {
    const app = s().platform.namespaces.app;
    expect(find(objs(), 'VirtualService', 'finbot-api', app).spec.hosts).toContain(hosts().api);
    expect(find(objs(), 'VirtualService', 'finbot-web', app).spec.hosts).toContain(hosts().web);
    const principal = `${s().mesh.trustDomain}/ns/${ns()}/sa/${ngfResourceName(ngf().gatewayName, ngf().gatewayClassName)}`;
    expect(find(objs(), 'AuthorizationPolicy', 'finbot-web-from-ingress', app).spec.rules[0].from[0].source.principals).toEqual([principal]);
  });
});

describe.each(ENVIRONMENTS)('ingress-nginx edge (%s, opt-in)', (env) => {
  const built = withIngressNginx(env);
  const objs = built.objects;
  const s = built.settings;
  const app = s.platform.namespaces.app;

  it('renders the Ingress edge, no Gateway API objects, and passes every validation rule', async () => {
    expect(ofKind(objs, 'Gateway')).toEqual([]);
    expect(ofKind(objs, 'HTTPRoute')).toEqual([]);
    expect(ofKind(objs, 'Namespace').map((n) => n.metadata.name)).not.toContain(s.edge.nginxGatewayFabric.controlPlane.namespace);
    const sourced = filed(env, s);
    expect(await validateObjects(sourced, optionsFor(env))).toEqual([]);
  });

  it('ClusterIssuer: HTTP-01 through the IngressClass, solver pods out of the mesh', () => {
    const issuer = find(objs, 'ClusterIssuer', `letsencrypt-${s.edge.acme.server}`);
    expect(issuer.spec.acme.solvers).toEqual([{ http01: { ingress: {
      ingressClassName: s.edge.ingressNginx.ingressClassName,
      podTemplate: { metadata: { labels: { 'sidecar.istio.io/inject': 'false' } } },
    } } }]);
  });

  it('Ingresses: hosts, TLS from their Certificates, backends; annotations from settings; the public Host is kept (no upstream-vhost)', () => {
    for (const [key, name] of [['api', 'finbot-api'], ['web', 'finbot-web']] as const) {
      const ing = find(objs, 'Ingress', name, app);
      expect(ing.spec.ingressClassName).toBe(s.edge.ingressNginx.ingressClassName);
      expect(ing.spec.tls).toEqual([{ hosts: [s.edge.hosts[key]], secretName: `${name}-tls` }]);
      expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({ name, port: { name: 'http' } });
      const a = ing.metadata.annotations;
      expect(a[`${A}/upstream-vhost`]).toBeUndefined();
      expect(a[`${A}/service-upstream`]).toBe('true');
      expect(a[`${A}/proxy-connect-timeout`]).toBe(String(s.edge.timeouts.connectSeconds));
      expect(a[`${A}/proxy-read-timeout`]).toBe(String(s.edge.timeouts.readSeconds));
      expect(a[`${A}/proxy-next-upstream`]).toBe(s.edge.nextUpstream.on.join(' '));
      expect(find(objs, 'Certificate', `${name}-tls`, app).spec.dnsNames).toEqual([s.edge.hosts[key]]);
    }
    expect(find(objs, 'Ingress', 'finbot-api', app).metadata.annotations[`${A}/limit-burst-multiplier`]).toBeDefined();
    expect(find(objs, 'Ingress', 'finbot-web', app).metadata.annotations[`${A}/limit-rps`]).toBeUndefined();
  });

  it('controller ConfigMap: TLS 1.3 only, HSTS, CDN real IP from settings, no snippets', () => {
    const cm = find(objs, 'ConfigMap', 'ingress-nginx-controller', s.platform.namespaces.ingress);
    expect(cm.data['ssl-protocols']).toBe('TLSv1.3');
    expect(cm.data['hsts-max-age']).toBe(String(s.edge.hsts.maxAgeSeconds));
    expect(cm.data['forwarded-for-header']).toBe(s.edge.cdn.clientIpHeader);
    expect(cm.data['proxy-real-ip-cidr'].split(',')).toEqual(s.edge.cdn.cidrs);
    expect(cm.data['allow-snippet-annotations']).toBe('false');
    expect(cm.data['limit-req-status-code']).toBe('429');
    for (const o of objs) for (const k of Object.keys(o.metadata.annotations ?? {})) expect(k).not.toMatch(/snippet/);
  });

  it('the ingress namespace enforces restricted; the mesh lets the controller identity in', () => {
    expect(find(objs, 'Namespace', s.platform.namespaces.ingress).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const principal = `${s.mesh.trustDomain}/ns/${s.platform.namespaces.ingress}/sa/${s.edge.ingressNginx.controllerServiceAccount}`;
    expect(find(objs, 'AuthorizationPolicy', 'finbot-web-from-ingress', app).spec.rules[0].from[0].source.principals).toEqual([principal]);
    expect(find(objs, 'VirtualService', 'finbot-api', app).spec.hosts).toContain(s.edge.hosts.api);
  });
});

describe('migrating from ingress-nginx: both edges serve the same hosts (production)', () => {
  const settings = settingsOf('production');
  (settings.edge as { migrating: boolean }).migrating = true;
  const objs = objectsOf(buildEnvironment(settings));
  const app = settings.platform.namespaces.app;

  it('renders the Gateway edge and the Ingress edge; ACME HTTP-01 goes through ingress-nginx, where DNS still points', () => {
    expect(ofKind(objs, 'Gateway')).toHaveLength(1);
    expect(ofKind(objs, 'Ingress').map((i) => i.spec.rules[0].host).sort()).toEqual([settings.edge.hosts.api, settings.edge.hosts.web].sort());
    expect(ofKind(objs, 'HTTPRoute').filter((r) => r.metadata.namespace === app).map((r) => r.spec.hostnames[0]).sort()).toEqual([settings.edge.hosts.api, settings.edge.hosts.web].sort());
    expect(find(objs, 'ClusterIssuer', `letsencrypt-${settings.edge.acme.server}`).spec.acme.solvers[0].http01.ingress.ingressClassName).toBe(settings.edge.ingressNginx.ingressClassName);
  });

  it('the mesh admits both edge identities', () => {
    const principals = find(objs, 'AuthorizationPolicy', 'finbot-web-from-ingress', app).spec.rules[0].from[0].source.principals;
    expect(principals).toHaveLength(2);
    expect(principals).toContain(`${settings.mesh.trustDomain}/ns/${settings.platform.namespaces.ingress}/sa/${settings.edge.ingressNginx.controllerServiceAccount}`);
  });

  it('passes every validation rule (the Gateway\'s challenges are served by the controller: its solver policy admits it)', async () => {
    const sourced = filed('production', settings);
    expect(await validateObjects(sourced, optionsFor('production'))).toEqual([]);
  });
});
