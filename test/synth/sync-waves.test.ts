/**
 * Sync waves and prune protection, as invariants: waves follow WAITS_FOR (every kind after what it waits for),
 * the named defects of issue #20 stay fixed, every object carries a wave, stateful objects and namespaces are
 * never pruned. The rendered order is checked against the objects' own references in test/model/argocd-sync.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { KEEP_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../../model/operators/argocd';
import { computeWaves, FOUNDATION_KINDS, WAITS_FOR, WORKLOAD_KIND } from '../../model/sync-order';
import type { KubeObject } from '../../model/kube-object';
import { afterWhatTheyNeed, DEFAULT_SYNC_WAVE, STATEFUL_KINDS, SYNC_WAVE_ANNOTATION, SYNC_WAVES, groupKind, isProtected, syncWaveOf, withSyncWaves } from '../../synth/sync-waves';
import { ENVIRONMENTS, synthObjects } from '../helpers';

const obj = (apiVersion: string, kind: string, annotations?: Record<string, string>): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'x', ...(annotations ? { annotations } : {}) } });

describe('sync waves', () => {
  it('every kind is in a later wave than every kind it waits for', () => {
    const late = Object.entries(WAITS_FOR).flatMap(([k, w]) => w.after.filter((a) => SYNC_WAVES[a] >= SYNC_WAVES[k]).map((a) => `${k} (${SYNC_WAVES[k]}) waits for ${a} (${SYNC_WAVES[a]})`));
    expect(late).toEqual([]);
  });

  it('foundations first, workloads at 0, nothing waits on a kind in the last wave', () => {
    const first = Math.min(...Object.values(SYNC_WAVES));
    for (const k of FOUNDATION_KINDS) expect(SYNC_WAVES[k], k).toBe(first);
    expect(SYNC_WAVES[WORKLOAD_KIND]).toBe(0);
    const last = Math.max(...Object.values(SYNC_WAVES));
    const waitedOn = new Set(Object.values(WAITS_FOR).flatMap((w) => w.after));
    expect(Object.keys(SYNC_WAVES).filter((k) => SYNC_WAVES[k] === last && waitedOn.has(k))).toEqual([]);
  });

  it('issue #20: Certificates after the Ingress answering HTTP-01; Jaeger collectors after Elasticsearch; HPAs after their workloads', () => {
    expect(SYNC_WAVES['cert-manager.io/Certificate']).toBeGreaterThan(SYNC_WAVES['networking.k8s.io/Ingress']);
    expect(SYNC_WAVES['cert-manager.io/Certificate']).toBeGreaterThan(SYNC_WAVES['apps/Deployment']);
    expect(SYNC_WAVES['opentelemetry.io/OpenTelemetryCollector']).toBeGreaterThan(SYNC_WAVES['elasticsearch.k8s.elastic.co/Elasticsearch']);
    expect(SYNC_WAVES['autoscaling/HorizontalPodAutoscaler']).toBeGreaterThan(SYNC_WAVES['apps/Deployment']);
  });

  it('a stuck search cluster or certificate holds no workload: both come after the workloads', () => {
    expect(SYNC_WAVES['elasticsearch.k8s.elastic.co/Elasticsearch']).toBeGreaterThan(SYNC_WAVES['apps/Deployment']);
  });

  it('refuses a cycle and a wait for a kind without an entry', () => {
    expect(() => computeWaves({ A: { after: ['B'], why: '' }, B: { after: ['A'], why: '' }, 'apps/Deployment': { after: [], why: '' } })).toThrow('cycle');
    expect(() => computeWaves({ A: { after: ['C'], why: '' } })).toThrow('A waits for C, which has no entry');
  });

  it('keys by API group, so kinds with the same name do not mix; unknown kinds get the default wave', () => {
    expect(groupKind('v1', 'Service')).toBe('Service');
    expect(groupKind('postgresql.cnpg.io/v1', 'Cluster')).toBe('postgresql.cnpg.io/Cluster');
    expect(syncWaveOf('example.com/v1', 'Cluster')).toBe(DEFAULT_SYNC_WAVE);
    expect(withSyncWaves([obj('example.com/v1alpha1', 'Widget')])[0].metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: String(DEFAULT_SYNC_WAVE) });
  });

  it('keeps an explicit wave and the other annotations, and does not change its input', () => {
    const input = [obj('v1', 'ConfigMap', { a: 'b' }), obj('v1', 'Secret', { [SYNC_WAVE_ANNOTATION]: '7' })];
    const out = withSyncWaves(input);
    expect(out[0].metadata.annotations).toEqual({ a: 'b', [SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.ConfigMap) });
    expect(out[1].metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '7' });
    expect(input[0].metadata.annotations).toEqual({ a: 'b' });
  });

  it.each(ENVIRONMENTS)('%s: every object in the output carries a wave (applied by renderObjects)', (env) => {
    const missing = synthObjects(env).filter((o) => !/^-?[0-9]+$/.test(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? ''));
    expect(missing.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
  });
});

describe('afterWhatTheyNeed', () => {
  const es: KubeObject = { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'traces', namespace: 'm' }, spec: { nodeSets: [{ name: 'n', count: 1 }] } };
  const jaeger: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'jaeger', namespace: 'm' },
    spec: { template: { spec: { containers: [{ name: 'j', env: [{ name: 'ES', value: 'https://traces-es-http.m.svc:9200' }, { name: 'P', valueFrom: { secretKeyRef: { name: 'traces-es-elastic-user', key: 'elastic' } } }] }] } } },
  };
  const hpa: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'jaeger', namespace: 'm' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'jaeger' } } };

  it('moves an object the kind table placed before what it needs after it, and what needs that object too', () => {
    const [[, out]] = afterWhatTheyNeed([['f', withSyncWaves([es, jaeger, hpa])]]);
    const w = (name: string, kind: string) => Number(out.find((o) => o.metadata.name === name && o.kind === kind)!.metadata.annotations![SYNC_WAVE_ANNOTATION]);
    expect(SYNC_WAVES['apps/Deployment']).toBeLessThanOrEqual(SYNC_WAVES['elasticsearch.k8s.elastic.co/Elasticsearch']);
    expect(w('jaeger', 'Deployment')).toBe(w('traces', 'Elasticsearch') + 1);
    expect(w('jaeger', 'HorizontalPodAutoscaler')).toBeGreaterThan(w('jaeger', 'Deployment'));
  });

  it('leaves objects whose needs are already earlier as they are', () => {
    const input = withSyncWaves([jaeger]);
    expect(afterWhatTheyNeed([['f', input]])[0][1][0]).toBe(input[0]);
  });
});

describe('prune protection', () => {
  it('stateful kinds and namespaces get Prune=false,Delete=false, merged with other sync options', () => {
    const [cluster, ns, cm] = withSyncWaves([
      obj('postgresql.cnpg.io/v1', 'Cluster', { [SYNC_OPTIONS_ANNOTATION]: 'ServerSideApply=true,Prune=true' }),
      obj('v1', 'Namespace'),
      obj('v1', 'ConfigMap'),
    ]);
    expect(cluster.metadata.annotations![SYNC_OPTIONS_ANNOTATION]).toBe('ServerSideApply=true,Prune=false,Delete=false');
    expect(ns.metadata.annotations![SYNC_OPTIONS_ANNOTATION]).toBe(KEEP_OPTIONS.join(','));
    expect(cm.metadata.annotations![SYNC_OPTIONS_ANNOTATION]).toBeUndefined();
  });

  it.each(ENVIRONMENTS)('%s: every stateful object and every namespace of the output is protected', (env) => {
    const objects = synthObjects(env);
    const unprotected = objects.filter((o) => isProtected(o)).filter((o) => {
      const opts = (o.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION] ?? '').split(',');
      return !KEEP_OPTIONS.every((k) => opts.includes(k));
    });
    expect(unprotected.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
    expect(objects.filter((o) => STATEFUL_KINDS.has(groupKind(o.apiVersion, o.kind))).length).toBeGreaterThan(0);
  });
});
