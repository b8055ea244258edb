/** The architecture graph read from objects, and its SVG. */
import { describe, expect, it } from 'vitest';
import { architecture, PolicyIndex, strictMtlsNamespaces } from '../../tools/diagram/architecture';
import { anchors, place, renderDiagram, xml } from '../../tools/diagram/diagram';
import type { KubeObject } from '../../model/kube-object';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { REPO_ROOT } from '../../config/paths';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawDiagrams } from '../../tools/diagram/draw';
import { ENVIRONMENTS, settingsOf, synthObjects } from '../helpers';
import { productionWithEdgeAndData } from './fixtures';

const edge = (arch: ReturnType<typeof architecture>, from: string, to: string) => arch.edges.find((e) => e.from === from && e.to === to);

describe('architecture', () => {
  const arch = architecture(productionWithEdgeAndData());
  const PG = 'Cluster/database/finbot-postgres-primary';
  const REDIS = 'RedisCluster/cache/finbot-redis-cluster';
  // The api is released blue-green: the live colour is behind finbot-api, the idle one behind finbot-api-preview.
  const active = settingsOf('production').release.api.active;
  const idle = active === 'blue' ? 'green' : 'blue';
  const api = (colour: string) => `Deployment/production/finbot-api-${colour}`;

  it('puts objects into panels and kinds of box: edge, Services and workloads of the app, data stores', () => {
    const layer = (l: string) => arch.nodes.filter((n) => n.layer === l).map((n) => n.name);
    expect(arch.nodes.filter((n) => n.group === 'edge').map((n) => n.name)).toEqual(['finbot-ingress']);
    expect(layer('service')).toEqual(expect.arrayContaining(['finbot-api', 'finbot-api-preview', 'finbot-web', 'finbot-worker-metrics']));
    expect(layer('workload')).toEqual(expect.arrayContaining(['finbot-api-blue', 'finbot-api-green', 'finbot-web', 'finbot-worker']));
    expect(layer('workload')).not.toContain('finbot-api');
    expect(arch.nodes.filter((n) => n.layer === 'service' || n.layer === 'workload').every((n) => n.group === 'app')).toBe(true);
    // operator-run stores, sorted by namespace, then name
    expect(arch.nodes.filter((n) => n.group === 'data').map((n) => n.name)).toEqual(['finbot-redis-cluster', 'finbot-postgres-primary']);
    expect(arch.nodes.filter((n) => n.group === 'data').every((n) => n.layer === 'operated')).toBe(true);
  });

  it('routes the Ingress to Services, allowed for the ingress controller on the target port', () => {
    expect(edge(arch, 'Ingress/production/finbot-ingress', 'Service/production/finbot-api')).toMatchObject({ relation: 'routes', verdict: 'allowed', port: 3001 });
    expect(edge(arch, 'Ingress/production/finbot-ingress', 'Service/production/finbot-web')).toMatchObject({ relation: 'routes', verdict: 'allowed', port: 8080 });
  });

  it('links Services to the pods they select and clients to the api by their env URL', () => {
    // the live Service selects the active colour only, the preview Service the idle one
    expect(edge(arch, 'Service/production/finbot-api', api(active))?.relation).toBe('selects');
    expect(edge(arch, 'Service/production/finbot-api', api(idle))).toBeUndefined();
    expect(edge(arch, 'Service/production/finbot-api-preview', api(idle))?.relation).toBe('selects');
    expect(edge(arch, 'Service/production/finbot-api-preview', api(active))).toBeUndefined();
    expect(edge(arch, 'Deployment/production/finbot-web', 'Service/production/finbot-api')).toMatchObject({ relation: 'calls', verdict: 'allowed', port: 3001, mtls: true });
    expect(edge(arch, 'Deployment/production/finbot-worker', 'Service/production/finbot-api')).toMatchObject({ relation: 'calls', verdict: 'allowed', port: 3001, mtls: true });
    // the api does not call itself through its own Service
    for (const colour of ['blue', 'green']) expect(edge(arch, api(colour), 'Service/production/finbot-api')).toBeUndefined();
  });

  it('connects workloads to the data stores their environment addresses, with the NetworkPolicy verdict', () => {
    for (const colour of ['blue', 'green']) {
      expect(edge(arch, api(colour), PG)).toMatchObject({ relation: 'uses', verdict: 'allowed', port: 5432, mtls: false });
      expect(edge(arch, api(colour), REDIS)).toMatchObject({ relation: 'uses', verdict: 'allowed', port: 6379 });
    }
    expect(edge(arch, 'Deployment/production/finbot-worker', REDIS)).toMatchObject({ verdict: 'allowed', port: 6379 });
    // the app-wide egress policy would let web reach the stores, but web is not configured to use them
    expect(edge(arch, 'Deployment/production/finbot-web', PG)).toBeUndefined();
    expect(edge(arch, 'Deployment/production/finbot-web', REDIS)).toBeUndefined();
  });

  it('marks nodes in namespaces with STRICT mTLS', () => {
    // boxes of pods (Services, workloads); mesh and GitOps configuration runs no pods
    const pods = (n: { layer: string }) => n.layer === 'service' || n.layer === 'workload' || n.layer === 'operated';
    const inApp = arch.nodes.filter((n) => n.namespace === 'production' && pods(n));
    expect(inApp.length).toBeGreaterThanOrEqual(8);
    expect(inApp.every((n) => n.mtls)).toBe(true);
    expect(arch.nodes.filter((n) => n.namespace !== 'production' || !pods(n)).some((n) => n.mtls)).toBe(false);
    expect(architecture(productionWithEdgeAndData({ mtls: false })).nodes.some((n) => n.mtls)).toBe(false);
  });

  it('shows a connection the data namespace denies as denied', () => {
    const denied = architecture(productionWithEdgeAndData({ dataPolicy: true }));
    expect(edge(denied, api(active), REDIS)?.verdict).toBe('denied');
    expect(edge(denied, api(active), PG)?.verdict).toBe('allowed');
  });
});

describe('architecture of the complete production output', () => {
  const arch = architecture(synthObjects('production'));
  const active = settingsOf('production').release.api.active;
  const idle = active === 'blue' ? 'green' : 'blue';
  const api = (colour: string) => `Deployment/production/finbot-api-${colour}`;

  it('routes the real Ingresses to the live api and web Services', () => {
    const routes = arch.edges.filter((e) => e.relation === 'routes');
    expect(routes.map((e) => e.to).sort()).toEqual(['Service/production/finbot-api', 'Service/production/finbot-web']);
    expect(routes.every((e) => e.verdict === 'allowed')).toBe(true);
  });

  it('links the three api Services to the colour Deployments they select', () => {
    const selected = (svc: string) => arch.edges.filter((e) => e.from === `Service/production/${svc}` && e.relation === 'selects').map((e) => e.to).sort();
    expect(selected('finbot-api')).toEqual([api(active)]);
    expect(selected('finbot-api-preview')).toEqual([api(idle)]);
    expect(selected('finbot-api-colours')).toEqual([api('blue'), api('green')]);
  });

  it('connects the api colours and the worker to CNPG and Redis, through allowed policies', () => {
    const uses = arch.edges.filter((e) => e.relation === 'uses');
    for (const from of [api('blue'), api('green'), 'Deployment/production/finbot-worker']) {
      expect(uses.filter((e) => e.from === from).map((e) => [e.to, e.verdict, e.port])).toEqual([
        ['RedisCluster/cache/finbot-redis-cluster', 'allowed', 6379],
        ['Cluster/database/finbot-postgres-primary', 'allowed', 5432],
      ]);
    }
    expect(uses.filter((e) => e.from === 'Deployment/production/finbot-web')).toEqual([]);
  });

  it('has no arrow to a box that is not drawn', () => {
    const ids = new Set(arch.nodes.map((n) => n.id));
    expect(arch.edges.filter((e) => !ids.has(e.from) || !ids.has(e.to))).toEqual([]);
  });
});

describe('NetworkPolicy evaluation', () => {
  const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  const policy = (name: string, namespace: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });

  it('is open without policies, denied once isolated, allowed by a matching rule and port', () => {
    const a = { namespace: 'a', labels: { app: 'x' } };
    const b = { namespace: 'b', labels: { app: 'y' } };
    expect(new PolicyIndex([ns('a'), ns('b')]).verdict(a, b, 80)).toBe('open');
    const deny = policy('deny', 'b', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(new PolicyIndex([ns('a'), ns('b'), deny]).verdict(a, b, 80)).toBe('denied');
    const allow = policy('allow', 'b', { podSelector: { matchLabels: { app: 'y' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }], ports: [{ port: 80 }] }] });
    const idx = new PolicyIndex([ns('a', { team: 'a' }), ns('b'), deny, allow]);
    expect(idx.verdict(a, b, 80)).toBe('allowed');
    expect(idx.verdict(a, b, 81)).toBe('denied');
  });

  // The diagram's own evaluator ignored protocols and named ports and let an unknown operator match; it now
  // uses model/network-policy.ts (the validation's evaluator).
  it('respects the protocol of a rule', () => {
    const a = { namespace: 'a', labels: { app: 'x' } };
    const b = { namespace: 'a', labels: { app: 'y' } };
    const udpOnly = policy('dns-only', 'a', { podSelector: { matchLabels: { app: 'y' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    const idx = new PolicyIndex([ns('a'), udpOnly]);
    expect(idx.verdict(a, b, 53)).toBe('denied');
    expect(idx.verdict(a, b, 53, 'UDP')).toBe('allowed');
  });

  it('resolves a named port against the destination pod\'s container ports', () => {
    const a = { namespace: 'a', labels: { app: 'x' } };
    const b = { namespace: 'a', labels: { app: 'y' }, ports: [{ name: 'http-metrics', port: 9090, protocol: 'TCP' }] };
    const named = policy('metrics', 'a', { podSelector: { matchLabels: { app: 'y' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http-metrics' }] }] });
    const idx = new PolicyIndex([ns('a'), named]);
    expect(idx.verdict(a, b, 9090)).toBe('allowed');
    expect(idx.verdict(a, b, 8080)).toBe('denied');
  });

  it('an unknown selector operator matches nothing', () => {
    const a = { namespace: 'a', labels: { app: 'x' } };
    const b = { namespace: 'a', labels: { app: 'y' } };
    const deny = policy('deny', 'a', { podSelector: {}, policyTypes: ['Ingress'] });
    const odd = policy('odd', 'a', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'Matches', values: ['x'] }] } }] }] });
    expect(new PolicyIndex([ns('a'), deny, odd]).verdict(a, b, 80)).toBe('denied');
  });

  it('finds STRICT mTLS per namespace and mesh-wide', () => {
    const pa = (namespace: string, mode: string, selector?: object): KubeObject => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace }, spec: { mtls: { mode }, ...(selector ? { selector } : {}) } });
    expect(strictMtlsNamespaces([pa('a', 'STRICT'), pa('b', 'PERMISSIVE'), pa('c', 'STRICT', { matchLabels: { x: 'y' } })])).toEqual({ all: false, namespaces: new Set(['a']) });
    expect(strictMtlsNamespaces([pa('istio-system', 'STRICT')]).all).toBe(true);
  });
});

describe('renderDiagram', () => {
  it('is deterministic, escapes text and draws every node and edge', () => {
    const arch = architecture(productionWithEdgeAndData());
    const svg = renderDiagram('production', arch);
    expect(renderDiagram('production', architecture(productionWithEdgeAndData()))).toBe(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="1800"')).toBe(true);
    expect(svg.match(/<g class="node /g)).toHaveLength(arch.nodes.length);
    expect(svg.match(/<g class="edge /g)).toHaveLength(arch.edges.length);
    expect(svg).toContain('mTLS</text>');
    expect(xml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
  });

  it('gives every arrow its own point on a box side, inside the box', () => {
    const arch = architecture(synthObjects('production'));
    const { boxes } = place(arch.nodes, arch.edges);
    const at = anchors(arch.edges, boxes);
    expect(at.size).toBe(arch.edges.length);
    const points = new Set<string>();
    for (const e of arch.edges) {
      const a = boxes.get(e.from)!;
      const b = boxes.get(e.to)!;
      const { sy, ty } = at.get(e)!;
      expect(sy).toBeGreaterThan(a.y);
      expect(sy).toBeLessThan(a.y + a.h);
      expect(ty).toBeGreaterThan(b.y);
      expect(ty).toBeLessThan(b.y + b.h);
      const out = b.x > a.x ? 'r' : 'l';
      const into = b.x > a.x ? 'l' : 'r';
      points.add(`${e.from}|${Math.abs(b.x - a.x) < 1 ? 'r' : out}|${sy}`).add(`${e.to}|${Math.abs(b.x - a.x) < 1 ? 'r' : into}|${ty}`);
    }
    expect(points.size).toBe(2 * arch.edges.length);
  });
});

describe('architecture: the Gateway API edge', () => {
  it('draws the Gateway, and HTTPRoute → Service edges judged from the NGF data-plane pods (allowed by their NetworkPolicies)', () => {
    const arch = architecture(synthObjects('production'));
    const gateway = arch.nodes.find((n) => n.kind === 'Gateway');
    expect(gateway?.layer).toBe('edge');
    expect(gateway?.detail).toContain('NGINX Gateway Fabric');
    const routes = arch.edges.filter((e) => e.relation === 'routes' && e.from.includes('HTTPRoute'));
    expect(routes.length).toBeGreaterThanOrEqual(2);
    for (const e of routes) expect(e.verdict, `${e.from} → ${e.to}`).toBe('allowed');
  });
});

describe('drawDiagrams (npm run diagram, and the release commands after they re-synthesize)', () => {
  it('draws one environment into a folder, and --check finds it fresh, then stale once it differs', () => {
    const out = mkdtempSync(join(tmpdir(), 'diagrams-'));
    try {
      const [env] = ENVIRONMENTS;
      expect(drawDiagrams({ out, envs: [env] }).written).toEqual([join(out, `${env}.svg`)]);
      expect(drawDiagrams({ out, envs: [env], check: true }).stale).toEqual([]);
      writeFileSync(join(out, `${env}.svg`), '<svg/>');
      expect(drawDiagrams({ out, envs: [env], check: true }).stale).toEqual([join(out, `${env}.svg`)]);
      // every environment of dist/ when none is named; a diagram of an environment that is gone is reported
      writeFileSync(join(out, 'gone.svg'), '<svg/>');
      const all = drawDiagrams({ out, check: true });
      expect(all.removed).toEqual([join(out, 'gone.svg')]);
      expect(all.stale.length).toBe(ENVIRONMENTS.length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('architecture: what a workload uses', () => {
  const cluster: KubeObject = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'db' }, spec: { instances: 2 } };
  const job = (args: string[], env: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client', namespace: 'db' },
    spec: { selector: { matchLabels: { app: 'c' } }, template: { metadata: { labels: { app: 'c' } }, spec: { containers: [{ name: 'c', image: 'x', args, env: Object.entries(env).map(([name, value]) => ({ name, value })) }] } } },
  } as KubeObject);
  const uses = (objects: KubeObject[]) => architecture(objects).edges.filter((e) => e.relation === 'uses').map((e) => [e.to, e.port]);

  it('a Service the operator model names, by URL host or bare name in its namespace, with the port written after it', () => {
    expect(uses([cluster, job(['postgresql://app@pg-rw:5433/finbot'])])).toEqual([['Cluster/db/pg', 5433]]);
    expect(uses([cluster, job([], { PGHOST: 'pg-ro' })])).toEqual([['Cluster/db/pg', 5432]]);
    expect(uses([cluster, job([], { PGHOST: 'pg-r.db.svc.cluster.local' })])).toEqual([['Cluster/db/pg', 5432]]);
  });

  it('not a path that happens to contain the name', () => {
    expect(uses([cluster, job(['/pg-rw/data', '--dir=/var/pg-ro/'])])).toEqual([]);
  });

  it('the pods drawn for the Cluster are the operator model\'s: 2 instances, its Services', () => {
    const node = architecture([cluster]).nodes.find((n) => n.id === 'Cluster/db/pg')!;
    expect(node).toMatchObject({ group: 'data', layer: 'operated', pods: 2 });
    expect(node.detail2).toBe('Services pg-rw, pg-ro, pg-r');
  });
});

describe('the diagram tool knows no environment, colour or component by name', () => {
  it('has no environment name, and no colour or app name outside comments and the paint table, in its code', () => {
    const dir = join(REPO_ROOT, 'tools', 'diagram');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      // code only: comments and the colour → paint table (how a colour is painted, not which one is live) removed
      const code = readFileSync(join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/COLOUR_PAINT[^;]*;/, '');
      for (const env of ENVIRONMENTS) expect(code.includes(`'${env}'`) || code.includes(`"${env}"`), `${file} names ${env}`).toBe(false);
      for (const name of ['blue', 'green', 'finbot-api']) expect(code.includes(`'${name}'`), `${file} names ${name}`).toBe(false);
    }
  });
});
