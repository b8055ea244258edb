import { describe, expect, it } from 'vitest';
import { finbotOverviewDashboard } from '../../charts/dashboards/finbot-overview';
import { promqlProblems } from '../../constructs/prometheus-rule';
import { TRACE_QUERY_NAME } from '../../charts/observability-chart';
import { find, settingsOf, synthObjects } from '../helpers';

const prod = () => synthObjects('production');

describe('Grafana and the overview dashboard', () => {
  it('Grafana (v1beta1): restricted, resources, Prometheus and Jaeger data sources provisioned', () => {
    const g = find(prod(), 'Grafana', 'finbot-grafana', 'monitoring');
    expect(g.apiVersion).toBe('grafana.integreatly.org/v1beta1');
    const pod = g.spec.deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0]).toMatchObject({ name: 'grafana', securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } });
    expect(pod.containers[0].resources).toEqual(settingsOf('production').observability.grafana.resources);
    const cm = find(prod(), 'ConfigMap', 'finbot-grafana-datasources', 'monitoring');
    expect(cm.data['datasources.yaml']).toContain('url: http://prometheus-operated.monitoring.svc:9090');
    // The Jaeger query Service (test/charts/observability-tracing.test.ts checks it selects the query pods).
    expect(cm.data['datasources.yaml']).toContain(`url: http://${TRACE_QUERY_NAME}.monitoring.svc:16686`);
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
