import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotElasticsearch } from '../../constructs/elasticsearch';
import { FinbotGrafana } from '../../constructs/grafana';
import { FinbotGrafanaDashboard } from '../../constructs/grafana-dashboard';
import { JaegerV2, otlpHttpEndpoint } from '../../constructs/jaeger-v2';

const chart = () => new Chart(Testing.app(), 'c');
const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const esProps = { name: 'es', namespace: 'm', environment: 'e', version: '8.19.0', nodeCount: 3, storage: { size: '1Gi', storageClassName: 'x' }, resources };
const prom = { name: 'prometheus', uid: 'prometheus', type: 'prometheus' as const, url: 'http://p:9090' };

describe('FinbotElasticsearch', () => {
  it('exposes the ECK-made URL, user and CA Secrets', () => {
    const es = new FinbotElasticsearch(chart(), 'es', esProps);
    expect(es.url).toBe('https://es-es-http.m.svc:9200');
    expect(es.userSecret).toEqual({ name: 'es-es-elastic-user', key: 'elastic' });
    expect(es.caSecret).toEqual({ name: 'es-es-http-certs-public', key: 'ca.crt' });
  });
  it('refuses 0 and 2 nodes', () => {
    expect(() => new FinbotElasticsearch(chart(), 'es', { ...esProps, nodeCount: 0 })).toThrow('nodeCount must be a whole number of at least 1, got 0');
    expect(() => new FinbotElasticsearch(chart(), 'es', { ...esProps, nodeCount: 2 })).toThrow('use 1 or 3');
  });
});

describe('JaegerV2', () => {
  const make = (c: Chart, extra: Partial<ConstructorParameters<typeof JaegerV2>[2]> = {}) => {
    const es = new FinbotElasticsearch(c, 'es', esProps);
    return new JaegerV2(c, 'j', { name: 'jaeger', namespace: 'm', environment: 'e', role: 'collector', version: '2.10.0', replicas: 1, resources, elasticsearch: es, ...extra });
  };
  it('collector URL is the operator\'s <name>-collector Service on OTLP/HTTP', () => {
    const j = make(chart());
    expect(j.url).toBe(otlpHttpEndpoint('jaeger', 'm'));
    expect(j.url).toBe('http://jaeger-collector.m.svc:4318');
    expect(j.podLabels).toEqual({ 'app.kubernetes.io/name': 'jaeger-collector' });
  });
  it('query role: nop pipeline, jaeger_query extension, no OTLP receiver', () => {
    const c = chart();
    make(c, { role: 'query', name: 'q' });
    const col = Testing.synth(c).find((o) => o.kind === 'OpenTelemetryCollector');
    expect(col.spec.config.receivers).toEqual({ nop: {} });
    expect(col.spec.config.extensions.jaeger_query.storage).toEqual({ traces: 'es_main' });
  });
  it('refuses Jaeger v1 and 0 replicas', () => {
    expect(() => make(chart(), { version: '1.65.0' })).toThrow('Jaeger v1 reached end of life on 2025-12-31');
    expect(() => make(chart(), { replicas: 0 })).toThrow('replicas must be a whole number of at least 1, got 0');
  });
});

describe('FinbotGrafana / FinbotGrafanaDashboard', () => {
  it('refuses duplicate data source uids and two defaults', () => {
    expect(() => new FinbotGrafana(chart(), 'g', { namespace: 'm', environment: 'e', version: '12.1.0', resources, dataSources: [prom, prom] })).toThrow('uid "prometheus" is used twice');
    expect(() => new FinbotGrafana(chart(), 'g', { namespace: 'm', environment: 'e', version: '12.1.0', resources, dataSources: [{ ...prom, isDefault: true }, { ...prom, uid: 'p2', isDefault: true }] })).toThrow('more than one data source has isDefault');
  });
  it('dashboard: selects the Grafana by its instance labels; refuses bad uids and unused inputs', () => {
    const c = chart();
    const g = new FinbotGrafana(c, 'g', { namespace: 'm', environment: 'e', version: '12.1.0', resources, dataSources: [prom] });
    new FinbotGrafanaDashboard(c, 'd', { name: 'd', environment: 'e', grafana: g, dashboard: { uid: 'x', title: 'X' } });
    const d = Testing.synth(c).find((o) => o.kind === 'GrafanaDashboard');
    expect(d.spec.instanceSelector).toEqual({ matchLabels: g.instanceLabels });
    expect(JSON.parse(d.spec.json)).toEqual({ uid: 'x', title: 'X' });
    expect(() => new FinbotGrafanaDashboard(c, 'd2', { name: 'd2', environment: 'e', grafana: g, dashboard: { uid: 'has space', title: 'X' } })).toThrow('uid "has space" must be 1-40');
    expect(() => new FinbotGrafanaDashboard(c, 'd3', { name: 'd3', environment: 'e', grafana: g, dashboard: { uid: 'y', title: 'Y' }, datasources: [{ inputName: 'DS_X', datasourceName: 'x' }] })).toThrow('datasource input DS_X is never used');
  });
});
