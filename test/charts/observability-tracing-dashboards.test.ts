import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { finbotOverviewDashboard } from '../../charts/dashboards/finbot-overview';
import { promqlProblems } from '../../constructs/prometheus-rule';
import { objectsOf, find, ofKind, settingsOf, synthObjects } from '../helpers';

const prod = () => synthObjects('production');

describe('tracing: the design document\'s Jaeger on Jaeger v2 (production)', () => {
  it('Elasticsearch (ECK): 3 nodes x 20Gi fast-ssd, restricted, resources', () => {
    const es = find(prod(), 'Elasticsearch', 'finbot-traces', 'monitoring');
    expect(es.apiVersion).toBe('elasticsearch.k8s.elastic.co/v1');
    const set = es.spec.nodeSets[0];
    expect(set.count).toBe(3);
    expect(set.volumeClaimTemplates).toEqual([{ metadata: { name: 'elasticsearch-data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } }, storageClassName: 'fast-ssd' } }]);
    expect(set.config['node.store.allow_mmap']).toBe(false);
    expect(set.podTemplate.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const c = set.podTemplate.spec.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources.limits.memory).toBe('2Gi');
  });

  it('collector: 3 replicas, limits 1Gi/500m, Jaeger v2 image, OTLP in, Elasticsearch out', () => {
    const col = find(prod(), 'OpenTelemetryCollector', 'jaeger', 'monitoring');
    expect(col.apiVersion).toBe('opentelemetry.io/v1beta1');
    expect(col.spec.mode).toBe('deployment');
    expect(col.spec.replicas).toBe(3);
    expect(col.spec.resources.limits).toEqual({ memory: '1Gi', cpu: '500m' });
    expect(col.spec.image).toMatch(/^docker\.io\/jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(col.spec.config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(col.spec.config.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] });
    const es = col.spec.config.extensions.jaeger_storage.backends.es_main.elasticsearch;
    expect(es.server_urls).toEqual(['https://finbot-traces-es-http.monitoring.svc:9200']);
    expect(es.auth.basic.password).toBe('${env:ES_PASSWORD}');
    expect(col.spec.env).toEqual([{ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'finbot-traces-es-elastic-user', key: 'elastic' } } }]);
    expect(col.spec.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(col.spec.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(col.spec.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('query: 2 replicas, limits 512Mi/250m, jaeger_query on 16686', () => {
    const q = find(prod(), 'OpenTelemetryCollector', 'jaeger-query', 'monitoring');
    expect(q.spec.replicas).toBe(2);
    expect(q.spec.resources.limits).toEqual({ memory: '512Mi', cpu: '250m' });
    expect(q.spec.config.extensions.jaeger_query.http.endpoint).toBe('0.0.0.0:16686');
    expect(q.spec.config.service.extensions).toContain('jaeger_query');
    expect(q.spec.ports.map((p: any) => p.port)).toEqual([16686, 16685]);
  });

  it('the legacy Jaeger CR is off by default and, when on, carries the document\'s values', () => {
    expect(ofKind(prod(), 'Jaeger')).toEqual([]);
    const s = settingsOf('production');
    const objs = objectsOf(buildEnvironment({ ...s, observability: { ...s.observability, tracing: { ...s.observability.tracing, legacyJaegerOperator: true } } }));
    const j = find(objs, 'Jaeger', 'finbot-jaeger', 'monitoring');
    expect(j.apiVersion).toBe('jaegertracing.io/v1');
    expect(j.spec.strategy).toBe('production');
    expect(j.spec.storage).toEqual({ type: 'elasticsearch', elasticsearch: { nodeCount: 3, storage: { size: '20Gi', storageClassName: 'fast-ssd' } } });
    expect(j.spec.collector.replicas).toBe(3);
    expect(j.spec.collector.resources.limits).toEqual({ memory: '1Gi', cpu: '500m' });
    expect(j.spec.query.replicas).toBe(2);
    expect(j.spec.query.resources.limits).toEqual({ memory: '512Mi', cpu: '250m' });
  });

  it('every app container exports OTLP to the collector\'s Service, and may reach it', () => {
    const deployments = ofKind(prod(), 'Deployment').filter((d) => d.metadata.namespace === 'production');
    expect(deployments.length).toBeGreaterThanOrEqual(3);
    for (const d of deployments) {
      const env = d.spec.template.spec.containers[0].env;
      expect(env, d.metadata.name).toContainEqual({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://jaeger-collector.monitoring.svc:4318' });
    }
    const np = find(prod(), 'NetworkPolicy', 'allow-otlp-to-trace-collector', 'production');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'finbot' } });
    expect(np.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { name: 'monitoring', 'finbot.io/environment': 'production' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger-collector' } } }],
      ports: [{ protocol: 'TCP', port: 4317 }, { protocol: 'TCP', port: 4318 }],
    }]);
    const ingress = find(prod(), 'NetworkPolicy', 'allow-trace-collector', 'monitoring');
    expect(ingress.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 4317 }, { protocol: 'TCP', port: 4318 }]);
  });

  it('Elasticsearch admits only the Jaeger pods and ECK on 9200, itself on 9300', () => {
    const np = find(prod(), 'NetworkPolicy', 'allow-elasticsearch', 'monitoring');
    expect(np.spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger-collector' } } },
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger-query-collector' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'elastic-system' } } },
    ]);
    expect(np.spec.ingress[1].ports).toEqual([{ protocol: 'TCP', port: 9300 }]);
  });

  it('staging: one Elasticsearch node, one collector, one query, no PDBs', () => {
    const objs = synthObjects('staging');
    expect(find(objs, 'Elasticsearch', 'finbot-traces').spec.nodeSets[0].count).toBe(1);
    const col = find(objs, 'OpenTelemetryCollector', 'jaeger');
    expect(col.spec.replicas).toBe(1);
    expect(col.spec.podDisruptionBudget).toBeUndefined();
    expect(col.spec.config.extensions.jaeger_storage.backends.es_main.elasticsearch.indices.spans.replicas).toBe(0);
  });
});

describe('Grafana and the overview dashboard', () => {
  it('Grafana (v1beta1): restricted, resources, Prometheus and Jaeger data sources provisioned', () => {
    const g = find(prod(), 'Grafana', 'finbot-grafana', 'monitoring');
    expect(g.apiVersion).toBe('grafana.integreatly.org/v1beta1');
    const pod = g.spec.deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0]).toMatchObject({ name: 'grafana', securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } });
    expect(pod.containers[0].resources.limits).toEqual({ cpu: '500m', memory: '512Mi' });
    const cm = find(prod(), 'ConfigMap', 'finbot-grafana-datasources', 'monitoring');
    expect(cm.data['datasources.yaml']).toContain('url: http://prometheus-operated.monitoring.svc:9090');
    expect(cm.data['datasources.yaml']).toContain('url: http://jaeger-query-collector.monitoring.svc:16686');
  });

  it('GrafanaDashboard finbot-overview selects that Grafana and maps DS_PROMETHEUS to prometheus', () => {
    const objs = prod();
    const d = find(objs, 'GrafanaDashboard', 'finbot-overview', 'monitoring');
    const g = find(objs, 'Grafana', 'finbot-grafana', 'monitoring');
    for (const [k, v] of Object.entries(d.spec.instanceSelector.matchLabels)) expect(g.metadata.labels[k]).toBe(v);
    expect(d.spec.datasources).toEqual([{ inputName: 'DS_PROMETHEUS', datasourceName: 'prometheus' }]);
  });

  it('the dashboard JSON parses and has the design document\'s panels with current panel types', () => {
    const d = find(prod(), 'GrafanaDashboard', 'finbot-overview', 'monitoring');
    const json = JSON.parse(d.spec.json);
    expect(json.title).toBe('FinBot v4 Production Overview');
    const byTitle = Object.fromEntries(json.panels.map((p: any) => [p.title, p]));
    expect(byTitle['API Response Time'].type).toBe('timeseries');
    expect(byTitle['API Response Time'].targets[0]).toMatchObject({ legendFormat: '95th percentile', expr: expect.stringContaining('histogram_quantile(0.95,') });
    expect(byTitle['API Response Time'].targets[0].expr).toContain('http_request_duration_seconds_bucket');
    expect(byTitle['Error Rate'].type).toBe('stat');
    expect(byTitle['Error Rate'].targets[0]).toMatchObject({ legendFormat: 'Error Rate', expr: expect.stringContaining('http_requests_total{namespace="production",status=~"5.."}') });
    for (const t of ['Request Rate', 'CPU vs Limit', 'Memory vs Limit', 'Postgres Connections', 'Postgres Replication Lag', 'Redis Up', 'Redis Hit Ratio']) expect(byTitle[t], t).toBeDefined();
    for (const p of json.panels) {
      expect(['timeseries', 'stat'], p.title).toContain(p.type);
      expect(p.datasource.uid).toBe('${DS_PROMETHEUS}');
      for (const t of p.targets) expect(promqlProblems(t.expr), `${p.title}: ${t.expr}`).toEqual([]);
    }
    const ids = json.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('staging gets its own title', () => {
    expect(finbotOverviewDashboard({ environment: 'staging', appNamespace: 'staging', databaseNamespace: 'd', cacheNamespace: 'c', apiJob: 'finbot-api', probeJob: 'finbot-synthetic' }).title).toBe('FinBot v4 Overview (staging)');
  });

  it('Grafana may reach Prometheus and Jaeger query; Prometheus admits Grafana on 9090', () => {
    const g = find(prod(), 'NetworkPolicy', 'allow-grafana', 'monitoring');
    expect(g.spec.egress.map((r: any) => r.ports[0].port)).toEqual([9090, 16686]);
    expect(g.spec.ingress[0]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'grafana-operator' } } }], ports: [{ protocol: 'TCP', port: 3000 }] });
    const p = find(prod(), 'NetworkPolicy', 'allow-prometheus-from-grafana', 'monitoring');
    expect(p.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(g.spec.podSelector.matchLabels);
    expect(p.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
  });
});
