import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotElasticsearch } from '../../constructs/elasticsearch';
import { FinbotGrafana } from '../../constructs/grafana';
import { FinbotGrafanaDashboard } from '../../constructs/grafana-dashboard';
import { JaegerV2, otlpHttpEndpoint } from '../../constructs/jaeger-v2';
import { JaegerIndexCleaner } from '../../constructs/jaeger-index-cleaner';
import { ElasticsearchUser } from '../../constructs/elasticsearch-user';
import { esNames, esPodLabels } from '../../model/operators/eck';
import { load } from 'js-yaml';

const chart = () => new Chart(Testing.app(), 'c');
const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const esProps = { name: 'es', namespace: 'm', environment: 'e', version: '8.19.0', nodeCount: 3, storageSize: '1Gi', storageClassName: 'x', resources };
const prom = { name: 'prometheus', uid: 'prometheus', type: 'prometheus' as const, url: 'http://p:9090' };

describe('FinbotElasticsearch', () => {
  it('exposes the ECK-made URL and CA Secret, labels from the ECK model, no API token, file-realm users', () => {
    const c = chart();
    const es = new FinbotElasticsearch(c, 'es', { ...esProps, userSecrets: ['u1', 'u2'] });
    expect(es.url).toBe(`https://${esNames('es').httpService}.m.svc:9200`);
    expect(es.caSecret).toEqual(esNames('es').httpCaSecret);
    expect(es.podLabels).toEqual(esPodLabels('es'));
    const cr = Testing.synth(c).find((o) => o.kind === 'Elasticsearch');
    expect(cr.spec.auth).toEqual({ fileRealm: [{ secretName: 'u1' }, { secretName: 'u2' }], roles: [{ secretName: 'u1' }, { secretName: 'u2' }] });
    expect(cr.spec.nodeSets[0].podTemplate.spec.automountServiceAccountToken).toBe(false);
  });
  it('refuses 0 and 2 nodes', () => {
    expect(() => new FinbotElasticsearch(chart(), 'es', { ...esProps, nodeCount: 0 })).toThrow('nodeCount must be a whole number of at least 1, got 0');
    expect(() => new FinbotElasticsearch(chart(), 'es', { ...esProps, nodeCount: 2 })).toThrow('use 1 or 3');
  });
});

describe('ElasticsearchUser', () => {
  const role = { name: 'jaeger_writer', cluster: ['monitor'], indices: [{ names: ['jaeger-*'], privileges: ['write'] }] };
  const props = { name: 'es-jaeger-writer', namespace: 'm', environment: 'e', username: 'jaeger-writer', role, secretStoreName: 'vault-backend', password: { remoteKey: 'k', property: 'jaeger-writer' } };
  it('renders a basic-auth Secret with the role for ECK from the store, no value in the output', () => {
    const c = chart();
    const u = new ElasticsearchUser(c, 'u', props);
    const x = Testing.synth(c).find((o) => o.kind === 'ExternalSecret');
    expect(u.secretName).toBe('es-jaeger-writer');
    expect(x.spec.target.template.type).toBe('kubernetes.io/basic-auth');
    expect(x.spec.target.template.data).toMatchObject({ username: 'jaeger-writer', password: '{{ .password }}', roles: 'jaeger_writer' });
    expect(x.spec.target.template.data['roles.yml']).toContain('jaeger_writer:');
    expect(x.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'k', property: 'jaeger-writer' } }]);
  });
  it('refuses "all", every index, system indices and bad names', () => {
    expect(() => new ElasticsearchUser(chart(), 'u', { ...props, role: { ...role, cluster: ['all'] } })).toThrow('grants "all"');
    expect(() => new ElasticsearchUser(chart(), 'u', { ...props, role: { ...role, indices: [{ names: ['*'], privileges: ['read'] }] } })).toThrow('names every index or a system index');
    expect(() => new ElasticsearchUser(chart(), 'u', { ...props, role: { ...role, indices: [{ names: ['.security'], privileges: ['read'] }] } })).toThrow('names every index or a system index');
    expect(() => new ElasticsearchUser(chart(), 'u', { ...props, username: 'Elastic User' })).toThrow('username "Elastic User" must be lower-case');
  });
});

describe('JaegerV2', () => {
  const user = { username: 'jaeger-writer', secretName: 'w', passwordKey: 'password' };
  const make = (c: Chart, extra: Partial<ConstructorParameters<typeof JaegerV2>[2]> = {}) => {
    const es = new FinbotElasticsearch(c, 'es', esProps);
    return new JaegerV2(c, 'j', { name: 'jaeger-collector', namespace: 'm', environment: 'e', role: 'collector', version: '2.10.0', replicas: 1, resources, elasticsearch: es, user, ...extra });
  };
  it('collector URL is its own Service on OTLP/HTTP; pods, Service and spread share the selector labels', () => {
    const c = chart();
    const j = make(c);
    expect(j.url).toBe(otlpHttpEndpoint('jaeger-collector', 'm'));
    expect(j.url).toBe('http://jaeger-collector.m.svc:4318');
    const out = Testing.synth(c);
    const d = out.find((o) => o.kind === 'Deployment');
    const svc = out.find((o) => o.kind === 'Service');
    for (const [k, v] of Object.entries(j.podLabels)) expect(d.spec.template.metadata.labels[k]).toBe(v);
    expect(svc.spec.selector).toEqual(j.podLabels);
    expect(d.spec.template.spec.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: j.podLabels });
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(out.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });
  it('probes healthcheckv2 /status; reads the password from a file; a config change rolls the pods', () => {
    const c1 = chart();
    make(c1);
    const d1 = Testing.synth(c1).find((o) => o.kind === 'Deployment');
    const ctr = d1.spec.template.spec.containers[0];
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(ctr[p].httpGet).toEqual({ path: '/status', port: 'health' });
    expect(ctr.env).toBeUndefined();
    const c2 = chart();
    make(c2, { user: { ...user, username: 'other' } });
    const d2 = Testing.synth(c2).find((o) => o.kind === 'Deployment');
    expect(d2.spec.template.metadata.annotations['finbot.io/config-sha']).not.toBe(d1.spec.template.metadata.annotations['finbot.io/config-sha']);
  });
  it('query role: nop pipeline, jaeger_query extension, no OTLP receiver, no template management; PDB from 2 replicas', () => {
    const c = chart();
    make(c, { role: 'query', name: 'q', replicas: 2 });
    const out = Testing.synth(c);
    const config = load(out.find((o) => o.kind === 'ConfigMap').data['config.yaml']) as any;
    expect(config.receivers).toEqual({ nop: {} });
    expect(config.extensions.jaeger_query.storage).toEqual({ traces: 'es_main' });
    expect(config.extensions.jaeger_storage.backends.es_main.elasticsearch.create_mappings).toBe(false);
    expect(out.filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(1);
  });
  it('refuses Jaeger v1 and 0 replicas', () => {
    expect(() => make(chart(), { version: '1.65.0' })).toThrow('Jaeger v1 reached end of life on 2025-12-31');
    expect(() => make(chart(), { replicas: 0 })).toThrow('replicas must be a whole number of at least 1, got 0');
  });
});

describe('JaegerIndexCleaner', () => {
  const base = () => {
    const c = chart();
    return { c, props: { namespace: 'm', environment: 'e', jaegerVersion: '2.10.0', retentionDays: 7, elasticsearch: new FinbotElasticsearch(c, 'es', esProps), user: { username: 'jaeger-cleaner', secretName: 'cl', passwordKey: 'password' } } };
  };
  it('runs the v1-numbered cleaner image of the Jaeger release with the days kept and the Elasticsearch URL', () => {
    const { c, props } = base();
    new JaegerIndexCleaner(c, 'x', props);
    const cj = Testing.synth(c).find((o) => o.kind === 'CronJob');
    const ctr = cj.spec.jobTemplate.spec.template.spec.containers[0];
    expect(ctr.image).toBe('docker.io/jaegertracing/jaeger-es-index-cleaner:1.73.0');
    expect(ctr.args).toEqual(['7', 'https://es-es-http.m.svc:9200']);
    expect(ctr.env).toContainEqual({ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'cl', key: 'password' } } });
  });
  it('refuses less than one day', () => {
    const { c, props } = base();
    expect(() => new JaegerIndexCleaner(c, 'x', { ...props, retentionDays: 0 })).toThrow('retentionDays must be a whole number of at least 1, got 0');
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
