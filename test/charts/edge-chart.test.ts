import { describe, expect, it } from 'vitest';
import { chartObjects, find, ofKind, synthObjects } from '../helpers';

const A = 'nginx.ingress.kubernetes.io';
const prod = () => synthObjects('production');

describe('edge chart: the design document\'s NGINX load balancer (production)', () => {
  it('ClusterIssuer: Let\'s Encrypt production, HTTP-01 through class nginx', () => {
    const issuer = find(prod(), 'ClusterIssuer', 'letsencrypt-production');
    expect(issuer.apiVersion).toBe('cert-manager.io/v1');
    expect(issuer.metadata.namespace).toBeUndefined();
    expect(issuer.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(issuer.spec.acme.email).toBe('ops@finbot.com');
    expect(issuer.spec.acme.privateKeySecretRef).toEqual({ name: 'letsencrypt-production-account-key' });
    expect(issuer.spec.acme.solvers).toEqual([{ http01: { ingress: { ingressClassName: 'nginx' } } }]);
  });

  it('Ingress finbot-api: api.finbot.com over TLS from its Certificate, to the live Service finbot-api', () => {
    const ing = find(prod(), 'Ingress', 'finbot-api', 'production');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.tls).toEqual([{ hosts: ['api.finbot.com'], secretName: 'finbot-api-tls' }]);
    expect(ing.spec.rules).toEqual([{
      host: 'api.finbot.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'finbot-api', port: { name: 'http' } } } }] },
    }]);
    const cert = find(prod(), 'Certificate', 'finbot-api-tls', 'production');
    expect(cert.spec.secretName).toBe('finbot-api-tls');
    expect(cert.spec.dnsNames).toEqual(['api.finbot.com']);
    expect(cert.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-production' });
  });

  it('Ingress finbot-api annotations: rate limit, timeouts 5/10/10, next upstream, Service upstream for the mesh', () => {
    const a = find(prod(), 'Ingress', 'finbot-api').metadata.annotations;
    // 1000 r/m with burst 50: 17 r/s (1020/min) and burst 17 x 3 = 51; see nginxRateLimit.
    expect(a[`${A}/limit-rps`]).toBe('17');
    expect(a[`${A}/limit-burst-multiplier`]).toBe('3');
    expect(a[`${A}/limit-rpm`]).toBeUndefined();
    expect(a[`${A}/proxy-connect-timeout`]).toBe('5');
    expect(a[`${A}/proxy-send-timeout`]).toBe('10');
    expect(a[`${A}/proxy-read-timeout`]).toBe('10');
    expect(a[`${A}/proxy-next-upstream`]).toBe('error timeout invalid_header http_500 http_502 http_503');
    expect(a[`${A}/proxy-next-upstream-tries`]).toBe('2');
    expect(a[`${A}/service-upstream`]).toBe('true');
    expect(a[`${A}/upstream-vhost`]).toBe('finbot-api.production.svc.cluster.local');
    expect(a[`${A}/force-ssl-redirect`]).toBe('true');
  });

  it('Ingress finbot-web: app.finbot.com to finbot-web, not rate-limited', () => {
    const ing = find(prod(), 'Ingress', 'finbot-web', 'production');
    expect(ing.spec.rules[0].host).toBe('app.finbot.com');
    expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'finbot-web', port: { name: 'http' } });
    expect(ing.spec.tls).toEqual([{ hosts: ['app.finbot.com'], secretName: 'finbot-web-tls' }]);
    expect(ing.metadata.annotations[`${A}/limit-rps`]).toBeUndefined();
    expect(find(prod(), 'Certificate', 'finbot-web-tls').spec.dnsNames).toEqual(['app.finbot.com']);
  });

  it('no snippet annotations anywhere; snippets are disabled in the controller', () => {
    for (const o of prod()) {
      for (const k of Object.keys(o.metadata.annotations ?? {})) expect(k, `${o.kind} ${o.metadata.name}`).not.toMatch(/snippet/);
    }
    expect(find(prod(), 'ConfigMap', 'ingress-nginx-controller').data['allow-snippet-annotations']).toBe('false');
  });

  it('controller ConfigMap: TLS 1.3 only, HSTS, security headers, CDN real IP, defaults', () => {
    const cm = find(prod(), 'ConfigMap', 'ingress-nginx-controller', 'ingress-nginx');
    expect(cm.data['ssl-protocols']).toBe('TLSv1.3');
    expect(cm.data.hsts).toBe('true');
    expect(cm.data['hsts-max-age']).toBe('31536000');
    expect(cm.data['hsts-include-subdomains']).toBe('true');
    expect(cm.data['add-headers']).toBe('ingress-nginx/finbot-security-headers');
    expect(cm.data['use-forwarded-headers']).toBe('true');
    expect(cm.data['forwarded-for-header']).toBe('CF-Connecting-IP');
    const cidrs = cm.data['proxy-real-ip-cidr'].split(',');
    expect(cidrs).toContain('173.245.48.0/20');
    expect(cidrs).toContain('2606:4700::/32');
    expect(cidrs).not.toContain('0.0.0.0/0');
    expect(cm.data['proxy-connect-timeout']).toBe('5');
    expect(cm.data['proxy-read-timeout']).toBe('10');
    expect(cm.data['limit-req-status-code']).toBe('429');
  });

  it('security headers ConfigMap: X-Frame-Options DENY, X-Content-Type-Options nosniff', () => {
    expect(find(prod(), 'ConfigMap', 'finbot-security-headers', 'ingress-nginx').data).toEqual({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('the HTTP-01 solver pods are reachable from the ingress namespace despite default-deny', () => {
    const np = find(prod(), 'NetworkPolicy', 'allow-acme-http01-solver-from-ingress', 'production');
    expect(np.spec.podSelector.matchLabels).toEqual({ 'acme.cert-manager.io/http01-solver': 'true' });
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx', 'finbot.io/environment': 'production' } } }],
      ports: [{ protocol: 'TCP', port: 8089 }],
    }]);
  });
});

describe('edge chart: staging', () => {
  it('staging hosts, its own namespace', () => {
    const objs = synthObjects('staging');
    expect(find(objs, 'Ingress', 'finbot-api', 'staging').spec.rules[0].host).toBe('api.staging.finbot.com');
    expect(find(objs, 'Ingress', 'finbot-web', 'staging').spec.rules[0].host).toBe('app.staging.finbot.com');
    // The edge's certificates (Vault's own are in the secrets chart).
    expect(ofKind(chartObjects('staging', 'edge'), 'Certificate').map((c) => c.metadata.namespace)).toEqual(['staging', 'staging']);
    expect(find(objs, 'ConfigMap', 'ingress-nginx-controller').metadata.namespace).toBe('ingress-nginx');
  });
});
