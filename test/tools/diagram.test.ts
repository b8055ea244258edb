/** The architecture graph read from objects, and its SVG. */
import { describe, expect, it } from 'vitest';
import { architecture, PolicyIndex, selectorMatches, strictMtlsNamespaces } from '../../lib/architecture';
import { renderDiagram, xml } from '../../lib/diagram';
import type { KubeObject } from '../../lib/render';
import { synthObjects } from '../helpers';
import { productionWithEdgeAndData } from './fixtures';

const edge = (arch: ReturnType<typeof architecture>, from: string, to: string) => arch.edges.find((e) => e.from === from && e.to === to);

describe('architecture', () => {
  const arch = architecture(productionWithEdgeAndData());

  it('puts objects into layers: edge, services, workloads, data stores', () => {
    const layer = (l: string) => arch.nodes.filter((n) => n.layer === l).map((n) => n.name);
    expect(layer('edge')).toEqual(['finbot-ingress']);
    expect(layer('service')).toEqual(expect.arrayContaining(['finbot-api', 'finbot-web', 'finbot-worker-metrics']));
    expect(layer('workload')).toEqual(expect.arrayContaining(['finbot-api', 'finbot-web', 'finbot-worker']));
    // sorted by namespace, then name
    expect(layer('data')).toEqual(['redis-cluster', 'postgres-cluster']);
  });

  it('routes the Ingress to Services, allowed for the ingress controller on the target port', () => {
    expect(edge(arch, 'Ingress/production/finbot-ingress', 'Service/production/finbot-api')).toMatchObject({ relation: 'routes', verdict: 'allowed', port: 3001 });
    expect(edge(arch, 'Ingress/production/finbot-ingress', 'Service/production/finbot-web')).toMatchObject({ relation: 'routes', verdict: 'allowed', port: 8080 });
  });

  it('links Services to the pods they select and clients to the api by their env URL', () => {
    expect(edge(arch, 'Service/production/finbot-api', 'Deployment/production/finbot-api')?.relation).toBe('selects');
    expect(edge(arch, 'Deployment/production/finbot-web', 'Service/production/finbot-api')).toMatchObject({ relation: 'calls', verdict: 'allowed', port: 3001, mtls: true });
    expect(edge(arch, 'Deployment/production/finbot-api', 'Service/production/finbot-api')).toBeUndefined();
  });

  it('connects workloads to data stores their NetworkPolicy allows explicitly', () => {
    expect(edge(arch, 'Deployment/production/finbot-api', 'Cluster/database/postgres-cluster')).toMatchObject({ relation: 'uses', verdict: 'allowed', port: 5432, mtls: false });
    expect(edge(arch, 'Deployment/production/finbot-worker', 'RedisCluster/cache/redis-cluster')).toMatchObject({ verdict: 'allowed', port: 6379 });
  });

  it('marks nodes in namespaces with STRICT mTLS', () => {
    const inApp = arch.nodes.filter((n) => n.namespace === 'production' && n.layer !== 'edge');
    expect(inApp.length).toBeGreaterThanOrEqual(6);
    expect(inApp.every((n) => n.mtls)).toBe(true);
    expect(arch.nodes.filter((n) => n.namespace !== 'production' || n.layer === 'edge').some((n) => n.mtls)).toBe(false);
    expect(architecture(productionWithEdgeAndData({ mtls: false })).nodes.some((n) => n.mtls)).toBe(false);
  });

  it('shows a connection the data namespace denies as denied', () => {
    const denied = architecture(productionWithEdgeAndData({ dataPolicy: true }));
    expect(edge(denied, 'Deployment/production/finbot-api', 'RedisCluster/cache/redis-cluster')?.verdict).toBe('denied');
    expect(edge(denied, 'Deployment/production/finbot-api', 'Cluster/database/postgres-cluster')?.verdict).toBe('allowed');
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

  it('matches selectors with matchLabels and matchExpressions', () => {
    expect(selectorMatches({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'In', values: ['2'] }] }, { a: '1', b: '2' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, { b: '2' })).toBe(false);
    expect(selectorMatches(undefined, {})).toBe(true);
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
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="1600"')).toBe(true);
    expect(svg.match(/<g class="node /g)).toHaveLength(arch.nodes.length);
    expect(svg.match(/<g class="edge /g)).toHaveLength(arch.edges.length);
    expect(svg).toContain('mTLS</text>');
    expect(xml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
  });

  it('grows with the number of objects and stays at least 1600×1000', () => {
    const small = renderDiagram('staging', architecture(synthObjects('staging')));
    expect(small).toContain('height="1000"');
  });
});
