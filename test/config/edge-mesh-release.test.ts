import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/load';
import { scratchSettings } from '../helpers';

const scratch = scratchSettings();
beforeEach(() => scratch.setup());
afterEach(() => scratch.cleanup());
const errorOf = (env: string) => scratch.errorOf(env);
const edit = (env: string, section: string, from: string | RegExp, to: string) => scratch.edit(env, section, from, to);

describe('release.yaml', () => {
  it('loads: both colours, active, idle replicas, no canary', () => {
    const r = loadSettings('production', scratch.dir).release.api;
    expect(Object.keys(r).sort()).toEqual(['active', 'canaryPercent', 'colours', 'handoverReplicas', 'idleReplicas']);
    expect(['blue', 'green']).toContain(r.active);
    expect(Object.keys(r.colours).sort()).toEqual(['blue', 'green']);
  });

  it('rejects latest on a colour', () => {
    edit('production', 'release', 'green: { tag: v4.0.0 }', 'green: { tag: latest }');
    const e = errorOf('production');
    expect(e.file).toMatch(/production[/\\]release\.yaml$/);
    expect(e.field).toBe('api.colours.green.tag');
    expect(e.message).toContain('"latest" is not allowed: pin an immutable tag such as v4.0.0');
  });

  it('rejects an unknown colour', () => {
    edit('production', 'release', 'active: blue', 'active: purple');
    const e = errorOf('production');
    expect(e.field).toBe('api.active');
    expect(e.message).toContain('must be "blue" or "green"');
  });

  it('rejects a canary outside 0-100', () => {
    edit('staging', 'release', 'canaryPercent: 0', 'canaryPercent: 120');
    const e = errorOf('staging');
    expect(e.field).toBe('api.canaryPercent');
    expect(e.message).toContain('must be between 0 and 100');
  });

  it('rejects a canary to an idle colour without pods', () => {
    edit('production', 'release', 'idleReplicas: 2', 'idleReplicas: 0');
    edit('production', 'release', 'canaryPercent: 0', 'canaryPercent: 10');
    const e = errorOf('production');
    expect(e.field).toBe('api.canaryPercent');
    expect(e.message).toContain('canaryPercent 10 sends traffic to the idle colour green, which has idleReplicas 0: raise idleReplicas or set canaryPercent to 0');
  });

  it('rejects a 100% canary: that is a promotion', () => {
    edit('production', 'release', 'canaryPercent: 0', 'canaryPercent: 100');
    expect(errorOf('production').message).toContain('canaryPercent 100 would send all traffic to the idle colour green while finbot-api still selects blue: run "npm run promote" instead');
  });

  it('apps.yaml: the api image has no tag (it lives in release.yaml)', () => {
    edit('production', 'apps', 'repository: finbot/api }', 'repository: finbot/api, tag: v4.0.0 }');
    const e = errorOf('production');
    expect(e.field).toBe('api.image');
    expect(e.message).toContain('unknown field(s) "tag"');
  });
});

describe('edge.yaml', () => {
  it('loads the design values', () => {
    const e = loadSettings('production', scratch.dir).edge;
    expect(e.hosts).toEqual({ api: 'api.finbot.com', web: 'app.finbot.com' });
    expect(e.rateLimit).toEqual({ requestsPerMinute: 1000, burst: 50 });
    expect(e.timeouts).toEqual({ connectSeconds: 5, sendSeconds: 10, readSeconds: 10 });
    expect(e.hsts).toEqual({ maxAgeSeconds: 31536000, includeSubDomains: true, preload: false });
  });

  it('rejects a host that is not a host name', () => {
    edit('production', 'edge', 'api: api.finbot.com', 'api: https://api.finbot.com');
    const e = errorOf('production');
    expect(e.field).toBe('hosts.api');
    expect(e.message).toContain('must be a fully qualified host name such as api.finbot.com');
  });

  it('rejects an unknown ACME server', () => {
    edit('production', 'edge', 'server: production', 'server: letsencrypt');
    expect(errorOf('production').message).toContain('must be "production" or "staging" (the Let\'s Encrypt ACME servers)');
  });

  it('rejects a bad e-mail', () => {
    edit('staging', 'edge', 'email: ops@finbot.com', 'email: ops');
    const e = errorOf('staging');
    expect(e.field).toBe('acme.email');
    expect(e.message).toContain('must be an e-mail address such as ops@finbot.com');
  });

  it('rejects a CDN range that is not a CIDR, and no ranges at all', () => {
    edit('production', 'edge', '- 173.245.48.0/20', '- 173.245.48.0');
    const e = errorOf('production');
    expect(e.field).toBe('cdn.cidrs[0]');
    expect(e.message).toContain('must be an IPv4 or IPv6 CIDR such as 173.245.48.0/20 or 2400:cb00::/32');
  });

  it('rejects an empty list of CDN ranges', () => {
    edit('production', 'edge', /  cidrs:\n(    - .*\n)+/, '  cidrs: []\n');
    expect(errorOf('production').message).toContain('give at least one CDN range, or the client address cannot be trusted');
  });

  it('rejects a rate below 60 per minute', () => {
    edit('production', 'edge', 'requestsPerMinute: 1000', 'requestsPerMinute: 10');
    const e = errorOf('production');
    expect(e.field).toBe('rateLimit.requestsPerMinute');
    expect(e.message).toContain('must be at least 60');
  });

  it('rejects a bad controller ServiceAccount', () => {
    edit('production', 'edge', 'controllerServiceAccount: ingress-nginx', 'controllerServiceAccount: Ingress_Nginx');
    expect(errorOf('production').message).toContain('controllerServiceAccount: must be a ServiceAccount name such as ingress-nginx');
  });

  it('rejects a client IP header that is not a header name', () => {
    edit('production', 'edge', 'clientIpHeader: CF-Connecting-IP', 'clientIpHeader: "CF Connecting IP"');
    const e = errorOf('production');
    expect(e.field).toBe('cdn.clientIpHeader');
    expect(e.message).toContain('must be an HTTP header name such as CF-Connecting-IP');
  });

  it('rejects an unknown next-upstream condition', () => {
    edit('production', 'edge', 'http_503]', 'http_599]');
    expect(errorOf('production').field).toBe('nextUpstream.on[5]');
  });
});

describe('mesh.yaml', () => {
  it('rejects retrying a non-idempotent method on a response (it could repeat a write)', () => {
    edit('production', 'mesh', 'idempotentMethods: [GET, HEAD, OPTIONS]', 'idempotentMethods: [GET, POST]');
    const e = errorOf('production');
    expect(e.field).toBe('retries.idempotentMethods[1]');
    expect(e.message).toContain('POST and PATCH are never retried on a response');
  });

  it('rejects retrying 4xx', () => {
    edit('production', 'mesh', 'retryOn: [5xx,', 'retryOn: [retriable-4xx, 5xx,');
    const e = errorOf('production');
    expect(e.field).toBe('retries.retryOn');
    expect(e.message).toContain('retriable-4xx is not allowed: the design document never retries 4xx errors');
  });

  it('rejects a per-try timeout that leaves no room for a retry', () => {
    edit('production', 'mesh', 'perTryTimeoutSeconds: 3', 'perTryTimeoutSeconds: 10');
    const e = errorOf('production');
    expect(e.field).toBe('retries.perTryTimeoutSeconds');
    expect(e.message).toContain('perTryTimeoutSeconds 10 is not below requestTimeoutSeconds 10: no retry could ever run; lower it');
  });

  it('rejects a bad trust domain', () => {
    edit('staging', 'mesh', 'trustDomain: cluster.local', 'trustDomain: Cluster_Local');
    const e = errorOf('staging');
    expect(e.field).toBe('trustDomain');
    expect(e.message).toContain('must be a trust domain such as cluster.local');
  });
});
