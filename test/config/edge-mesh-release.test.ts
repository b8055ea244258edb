import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/load';
import { otherColour } from '../../config/sections/release';
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

  // Edits find the values they replace by pattern and the colours by reading release.yaml: a release (set-image,
  // promote, canary) changes tags, the live colour and the handover, never what these settings must refuse.
  const release = () => loadSettings('production', scratch.dir).release.api;

  it('rejects latest on a colour', () => {
    edit('production', 'release', /(green: \{ tag: )[^ }]+/, '$1latest');
    const e = errorOf('production');
    expect(e.file).toMatch(/production[/\\]release\.yaml$/);
    expect(e.field).toBe('api.colours.green.tag');
    expect(e.message).toContain('"latest" is not allowed: pin an immutable tag such as v4.0.0');
  });

  it('rejects an unknown colour', () => {
    edit('production', 'release', /active: \w+/, 'active: purple');
    const e = errorOf('production');
    expect(e.field).toBe('api.active');
    expect(e.message).toContain('must be "blue" or "green"');
  });

  it('rejects a canary outside 0-100', () => {
    edit('staging', 'release', /canaryPercent: \d+/, 'canaryPercent: 120');
    const e = errorOf('staging');
    expect(e.field).toBe('api.canaryPercent');
    expect(e.message).toContain('must be between 0 and 100');
  });

  it('rejects a canary to an idle colour without pods', () => {
    const idle = otherColour(release().active);
    edit('production', 'release', /idleReplicas: \d+/, 'idleReplicas: 0');
    edit('production', 'release', /canaryPercent: \d+/, 'canaryPercent: 10');
    const e = errorOf('production');
    expect(e.field).toBe('api.canaryPercent');
    expect(e.message).toContain(`canaryPercent 10 sends traffic to the idle colour ${idle}, which has idleReplicas 0: raise idleReplicas or set canaryPercent to 0`);
  });

  it('rejects a 100% canary: that is a promotion', () => {
    const { active } = release();
    edit('production', 'release', /canaryPercent: \d+/, 'canaryPercent: 100');
    expect(errorOf('production').message).toContain(`canaryPercent 100 would send all traffic to the idle colour ${otherColour(active)} while finbot-api still selects ${active}: run "npm run promote" instead`);
  });

  it('apps.yaml: the api image has no tag (it lives in release.yaml)', () => {
    edit('production', 'apps', 'repository: finbot/api }', 'repository: finbot/api, tag: v4.0.0 }');
    const e = errorOf('production');
    expect(e.field).toBe('api.image');
    expect(e.message).toContain('unknown field(s) "tag"');
  });
});

describe('edge.yaml', () => {
  it('loads hosts, rate limit, timeouts and HSTS (the design document\'s values: test/conformance)', () => {
    const e = loadSettings('production', scratch.dir).edge;
    expect(Object.keys(e.hosts).sort()).toEqual(['api', 'web']);
    expect(e.hosts.api).not.toBe(e.hosts.web);
    expect(Object.keys(e.rateLimit).sort()).toEqual(['burst', 'requestsPerMinute']);
    expect(Object.keys(e.timeouts).sort()).toEqual(['connectSeconds', 'readSeconds', 'sendSeconds']);
    expect(e.hsts.maxAgeSeconds).toBeGreaterThan(0);
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
    const e = errorOf('production');
    expect(e.file).toMatch(/production[/\\]edge\.yaml$/);
    expect(e.field).toBe('ingressNginx.controllerServiceAccount');
    expect(e.message).toContain('must be a Kubernetes name such as ingress-nginx');
  });

  it('rejects an unknown edge implementation, naming file and field', () => {
    edit('staging', 'edge', 'implementation: nginx-gateway-fabric', 'implementation: traefik');
    const e = errorOf('staging');
    expect(e.file).toMatch(/staging[/\\]edge\.yaml$/);
    expect(e.field).toBe('implementation');
    expect(e.message).toContain('must be "nginx-gateway-fabric" or "ingress-nginx"');
  });

  it('accepts ingress-nginx as the implementation (opt-in while migrating)', () => {
    edit('production', 'edge', 'implementation: nginx-gateway-fabric', 'implementation: ingress-nginx');
    expect(loadSettings('production', scratch.dir).edge.implementation).toBe('ingress-nginx');
  });

  it('rejects a single data-plane pod for the NGF edge', () => {
    edit('production', 'edge', /minReplicas: \d+/, 'minReplicas: 1');
    const e = errorOf('production');
    expect(e.file).toMatch(/production[/\\]edge\.yaml$/);
    expect(e.field).toBe('nginxGatewayFabric.dataPlane.minReplicas');
    expect(e.message).toContain('leaves the internet-facing edge with a single pod');
  });

  it('rejects a data-plane floor above its ceiling', () => {
    edit('staging', 'edge', /maxReplicas: \d+/, 'maxReplicas: 1');
    const e = errorOf('staging');
    expect(e.field).toBe('nginxGatewayFabric.dataPlane.minReplicas');
    expect(e.message).toMatch(/minReplicas \d+ is above maxReplicas 1/);
  });

  it('rejects a body size NGINX cannot read, a bad rate-limit zone and a bad data-plane CPU', () => {
    edit('production', 'edge', 'maxBodySize: 10m', 'maxBodySize: 10MB');
    let e = errorOf('production');
    expect(e.field).toBe('nginxGatewayFabric.client.maxBodySize');
    expect(e.message).toContain('must be an NGINX size such as 10m, 512k or 1g');
    scratch.cleanup(); scratch.setup();
    edit('production', 'edge', 'rateLimitZoneSize: 10m', 'rateLimitZoneSize: lots');
    expect(errorOf('production').field).toBe('nginxGatewayFabric.rateLimitZoneSize');
    scratch.cleanup(); scratch.setup();
    edit('production', 'edge', /cpu: 250m/, 'cpu: 1 core');
    e = errorOf('production');
    expect(e.field).toBe('nginxGatewayFabric.dataPlane.resources.requests.cpu');
    expect(e.message).toContain('must be a CPU quantity');
  });

  it('rejects the same host for api and web', () => {
    edit('production', 'edge', 'web: app.finbot.com', 'web: api.finbot.com');
    const e = errorOf('production');
    expect(e.field).toBe('hosts.web');
    expect(e.message).toContain('is also the api host');
  });

  it('rejects a Gateway name that NGF would hash-truncate', () => {
    edit('production', 'edge', 'gatewayName: finbot', `gatewayName: ${'g'.repeat(60)}`);
    const e = errorOf('production');
    expect(e.field).toBe('nginxGatewayFabric.gatewayName');
    expect(e.message).toContain('longer than 63 characters');
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
    expect(e.message).toContain('trustDomain: "Cluster_Local" must be a DNS-1123 subdomain');
  });
});

describe('edge.yaml: migrating', () => {
  const scratch2 = scratchSettings();
  beforeEach(() => scratch2.setup());
  afterEach(() => scratch2.cleanup());
  it('refuses migrating with the ingress-nginx implementation, naming file and field', () => {
    scratch2.edit('production', 'edge', 'implementation: nginx-gateway-fabric', 'implementation: ingress-nginx');
    scratch2.edit('production', 'edge', 'migrating: false', 'migrating: true');
    const e = scratch2.errorOf('production');
    expect(e.file).toMatch(/production[/\\]edge\.yaml$/);
    expect(e.field).toBe('migrating');
    expect(e.message).toContain('set implementation: nginx-gateway-fabric');
  });
});
