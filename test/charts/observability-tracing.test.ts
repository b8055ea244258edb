/**
 * Tracing, per environment, read from the settings: Jaeger v2 collector and query as Deployments with
 * healthcheckv2 probes, Elasticsearch (ECK) with least-privilege users, retention, disk alerts, the
 * NetworkPolicies on labels the pods really carry, and the sync order.
 */
import { existsSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { TRACING_ALERT_METRICS } from '../../charts/alerts/tracing-alerts';
import { KSM_RESOURCES } from '../../constructs/kube-state-metrics';
import { TRACE_COLLECTOR_NAME, TRACE_QUERY_NAME, TRACE_STORAGE_NAME } from '../../charts/observability-chart';
import { ES_DISK_WATERMARKS, esDataClaimPattern, esNames, esPodLabels } from '../../model/operators/eck';
import { HEALTHCHECK_V2_STATUS_PATH, INDEX_CLEANER_IMAGE, JAEGER_IMAGE, JAEGER_PORTS, jaegerIndexPattern, jaegerToolsVersion } from '../../model/operators/jaeger';
import { matchesSelector, type LabelSelector } from '../../model/selectors';
import { ENVIRONMENTS, find, objectsOf, ofKind, settingsOf, synthObjects, type KubeObject } from '../helpers';

const WAVE = 'argocd.argoproj.io/sync-wave';
const wave = (o: KubeObject): number => Number(o.metadata.annotations?.[WAVE]);
const podsOf = (d: any) => d.spec.template;

describe.each(ENVIRONMENTS)('tracing (%s)', (env) => {
  const objs = () => synthObjects(env);
  const settings = settingsOf(env);
  const t = settings.observability.tracing;
  // The monitoring namespace, wherever the settings put it.
  const ns = (): string => find(objs(), 'Elasticsearch', TRACE_STORAGE_NAME).metadata.namespace;
  const jaegerConfig = (name: string) => load(find(objs(), 'ConfigMap', name, ns()).data['config.yaml']) as any;

  it('Elasticsearch (ECK): nodes and volumes from the settings, restricted, no API token, spread on the labels ECK sets', () => {
    const es = find(objs(), 'Elasticsearch', TRACE_STORAGE_NAME, ns());
    const set = es.spec.nodeSets[0];
    expect(set.count).toBe(t.elasticsearch.nodeCount);
    expect(set.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(t.elasticsearch.storage.size);
    expect(set.volumeClaimTemplates[0].spec.storageClassName).toBe(t.elasticsearch.storage.storageClassName);
    expect(set.config['node.store.allow_mmap']).toBe(false);
    const pod = set.podTemplate.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].resources).toEqual(t.elasticsearch.resources);
    for (const c of pod.topologySpreadConstraints) expect(matchesSelector(c.labelSelector, esPodLabels(TRACE_STORAGE_NAME))).toBe(true);
  });

  it.each([
    [TRACE_COLLECTOR_NAME, 'collector', 'writer'] as const,
    [TRACE_QUERY_NAME, 'query', 'reader'] as const,
  ])('%s: a Deployment from the settings with startup, readiness and liveness probes on healthcheckv2', (name, role, who) => {
    const d = find(objs(), 'Deployment', name, ns());
    const r = t[role];
    expect(d.spec.replicas).toBe(r.replicas);
    const pod = podsOf(d).spec;
    const c = pod.containers[0];
    expect(c.image).toBe(`${JAEGER_IMAGE}:${t.jaegerVersion.replace(/^v/, '')}`);
    expect(c.resources).toEqual(r.resources);
    const health = c.ports.find((p: any) => p.name === 'health');
    expect(health.containerPort).toBe(JAEGER_PORTS.health);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe].httpGet, probe).toEqual({ path: HEALTHCHECK_V2_STATUS_PATH, port: 'health' });
    const cfg = jaegerConfig(name);
    expect(cfg.extensions.healthcheckv2).toMatchObject({ use_v2: true, http: { endpoint: `0.0.0.0:${JAEGER_PORTS.health}`, status: { path: HEALTHCHECK_V2_STATUS_PATH } } });
    expect(cfg.service.extensions[0]).toBe('healthcheckv2');
    // No API token anywhere: Jaeger never calls the Kubernetes API.
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objs(), 'ServiceAccount', pod.serviceAccountName, ns()).automountServiceAccountToken).toBe(false);
    // Its own Elasticsearch user, its password from a file; never the elastic superuser.
    const storage = cfg.extensions.jaeger_storage.backends.es_main.elasticsearch;
    expect(storage.auth.basic.username).toBe(`jaeger-${who}`);
    expect(storage.auth.basic.password_file).toMatch(/^\//);
    expect(JSON.stringify(d)).not.toContain(esNames(TRACE_STORAGE_NAME).elasticUserSecret.name);
    expect(storage.indices.spans.replicas).toBe(t.elasticsearch.nodeCount > 1 ? 1 : 0);
    // A PDB wherever there are 2+ replicas, selecting the pods.
    const pdbs = ofKind(objs(), 'PodDisruptionBudget').filter((p) => p.metadata.name === name);
    expect(pdbs.length).toBe(r.replicas >= 2 ? 1 : 0);
    for (const p of pdbs) expect(matchesSelector(p.spec.selector, podsOf(d).metadata.labels)).toBe(true);
    for (const s of pod.topologySpreadConstraints) expect(matchesSelector(s.labelSelector, podsOf(d).metadata.labels)).toBe(true);
  });

  it('each tracing NetworkPolicy selects the pods it is about, on the labels those pods carry (issue 15 item 3)', () => {
    const collector = podsOf(find(objs(), 'Deployment', TRACE_COLLECTOR_NAME, ns())).metadata.labels;
    const query = podsOf(find(objs(), 'Deployment', TRACE_QUERY_NAME, ns())).metadata.labels;
    const cleaner = find(objs(), 'CronJob', 'jaeger-index-cleaner', ns()).spec.jobTemplate.spec.template.metadata.labels;
    const es = esPodLabels(TRACE_STORAGE_NAME);
    const grafana = find(objs(), 'Grafana', 'finbot-grafana', ns()).spec.deployment.spec.template.metadata.labels;
    const np = (name: string, namespace = ns()) => find(objs(), 'NetworkPolicy', name, namespace).spec;
    const peers = (rules: any[]) => rules.flatMap((r) => r.from ?? r.to).filter((p: any) => p.podSelector).map((p: any) => p.podSelector as LabelSelector);
    expect(matchesSelector(np('allow-trace-collector').podSelector, collector)).toBe(true);
    expect(matchesSelector(np('allow-trace-query').podSelector, query)).toBe(true);
    expect(matchesSelector(np('allow-trace-index-cleaner').podSelector, cleaner)).toBe(true);
    expect(matchesSelector(np('allow-elasticsearch').podSelector, es)).toBe(true);
    // Elasticsearch admits exactly the three Jaeger clients (and ECK by namespace) on HTTP.
    const esClients = peers([np('allow-elasticsearch').ingress[0]]);
    for (const labels of [collector, query, cleaner]) expect(esClients.some((s) => matchesSelector(s, labels))).toBe(true);
    for (const rule of ['allow-trace-collector', 'allow-trace-query', 'allow-trace-index-cleaner']) expect(peers(np(rule).egress).every((s) => matchesSelector(s, es))).toBe(true);
    // Grafana → query, both directions.
    expect(peers(np('allow-trace-query').ingress).some((s) => matchesSelector(s, grafana))).toBe(true);
    expect(peers(np('allow-grafana').egress).some((s) => matchesSelector(s, query))).toBe(true);
    // Apps → collector: the app namespace's egress names the collector pods.
    const app = find(objs(), 'NetworkPolicy', 'allow-otlp-to-trace-collector').spec;
    expect(peers(app.egress).every((s) => matchesSelector(s, collector))).toBe(true);
  });

  it('apps export OTLP to the collector Service, which selects the collector pods on the OTLP ports', () => {
    const svc = find(objs(), 'Service', TRACE_COLLECTOR_NAME, ns());
    expect(matchesSelector({ matchLabels: svc.spec.selector }, podsOf(find(objs(), 'Deployment', TRACE_COLLECTOR_NAME, ns())).metadata.labels)).toBe(true);
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([JAEGER_PORTS.otlpGrpc, JAEGER_PORTS.otlpHttp]);
    const endpoint = `http://${TRACE_COLLECTOR_NAME}.${ns()}.svc:${JAEGER_PORTS.otlpHttp}`;
    const apps = ofKind(objs(), 'Deployment').filter((d) => d.metadata.namespace === find(objs(), 'NetworkPolicy', 'allow-otlp-to-trace-collector').metadata.namespace);
    expect(apps.length).toBeGreaterThan(0);
    for (const d of apps) expect(podsOf(d).spec.containers[0].env, d.metadata.name).toContainEqual({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: endpoint });
  });

  it('Elasticsearch users: one per Jaeger role from the secret store, each role limited to Jaeger\'s indices', () => {
    const es = find(objs(), 'Elasticsearch', TRACE_STORAGE_NAME, ns());
    const secrets = es.spec.auth.fileRealm.map((r: any) => r.secretName);
    expect(es.spec.auth.roles.map((r: any) => r.secretName)).toEqual(secrets);
    expect(secrets).toHaveLength(3);
    for (const name of secrets) {
      const x = find(objs(), 'ExternalSecret', name, ns());
      expect(x.spec.target.template.type).toBe('kubernetes.io/basic-auth');
      expect(x.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: t.elasticsearch.usersVaultKey, property: x.spec.target.template.data.username } }]);
      const roles = load(x.spec.target.template.data['roles.yml']) as Record<string, { cluster: string[]; indices: Array<{ names: string[]; privileges: string[] }> }>;
      expect(Object.keys(roles)).toEqual([x.spec.target.template.data.roles]);
      for (const role of Object.values(roles)) {
        expect(role.cluster).not.toContain('all');
        for (const i of role.indices) {
          expect(i.names).toEqual([jaegerIndexPattern(jaegerConfig(TRACE_COLLECTOR_NAME).extensions.jaeger_storage.backends.es_main.elasticsearch.indices.index_prefix)]);
          expect(i.privileges).not.toContain('all');
        }
      }
      expect(find(objs(), 'SecretStore', x.spec.secretStoreRef.name, ns())).toBeDefined();
    }
  });

  it('retention: a nightly es-index-cleaner keeps tracing.retentionDays of indices, as a user that may only delete them', () => {
    const cj = find(objs(), 'CronJob', 'jaeger-index-cleaner', ns());
    const c = cj.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.image).toBe(`${INDEX_CLEANER_IMAGE}:${jaegerToolsVersion(t.jaegerVersion)}`);
    expect(c.args).toEqual([String(t.retentionDays), `https://${esNames(TRACE_STORAGE_NAME).httpService}.${ns()}.svc:9200`]);
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.ES_USERNAME).toBe('jaeger-cleaner');
    expect(env.ES_TLS_ENABLED).toBe('true');
    expect(env.INDEX_PREFIX).toBe(jaegerConfig(TRACE_COLLECTOR_NAME).extensions.jaeger_storage.backends.es_main.elasticsearch.indices.index_prefix);
    const role = load(find(objs(), 'ExternalSecret', env.ES_PASSWORD.secretKeyRef.name, ns()).spec.target.template.data['roles.yml']) as any;
    expect(Object.values(role)[0]).toMatchObject({ indices: [{ privileges: ['view_index_metadata', 'delete_index'] }] });
    expect(cj.spec.jobTemplate.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('disk alerts on the Elasticsearch volumes, below Elasticsearch\'s watermarks, with their metrics scraped and a runbook each', () => {
    const rule = find(objs(), 'PrometheusRule', 'finbot-tracing-alerts', ns());
    const alerts = rule.spec.groups.flatMap((g: any) => g.rules);
    const filling = alerts.find((a: any) => a.alert === 'TraceStorageFillingUp');
    const threshold = Number(/> ([0-9.]+)\)? or absent/.exec(filling.expr)![1]);
    expect(threshold).toBeLessThan(ES_DISK_WATERMARKS.low);
    // The claim pattern matches the PVCs the StatefulSet ECK makes will have.
    const pattern = new RegExp(`^${esDataClaimPattern(TRACE_STORAGE_NAME)}$`);
    const es = find(objs(), 'Elasticsearch', TRACE_STORAGE_NAME, ns());
    const set = es.spec.nodeSets[0];
    expect(pattern.test(`${set.volumeClaimTemplates[0].metadata.name}-${esNames(TRACE_STORAGE_NAME).statefulSet(set.name)}-0`)).toBe(true);
    expect(filling.expr).toContain(`persistentvolumeclaim=~"${esDataClaimPattern(TRACE_STORAGE_NAME)}"`);
    const monitor = find(objs(), 'ServiceMonitor', 'kubelet-volume-stats', ns());
    const keep = new RegExp(`^${monitor.spec.endpoints[0].metricRelabelings[0].regex}$`);
    for (const m of ['kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes']) expect(keep.test(m)).toBe(true);
    for (const a of alerts) expect(existsSync(`docs/runbooks/${a.alert}.md`), a.alert).toBe(true);
    // Every metric the rules use is listed with its source, and each source is scraped.
    const metrics = alerts.flatMap((a: any) => [...a.expr.matchAll(/\b([a-z_]+)\{/g)].map((m) => m[1])).filter((m: string) => !['absent', 'max', 'by'].includes(m));
    expect([...new Set(metrics)].sort()).toEqual(Object.keys(TRACING_ALERT_METRICS).sort());
    expect(KSM_RESOURCES.map((r) => r.resource)).toContain('jobs');
  });

  it('sync order: the Jaeger workloads come after the Elasticsearch they ping at start, which comes after its users (issue 20 item 2)', () => {
    const es = find(objs(), 'Elasticsearch', TRACE_STORAGE_NAME, ns());
    for (const name of es.spec.auth.fileRealm.map((r: any) => r.secretName)) expect(wave(find(objs(), 'ExternalSecret', name, ns()))).toBeLessThan(wave(es));
    for (const [kind, name] of [['Deployment', TRACE_COLLECTOR_NAME], ['Deployment', TRACE_QUERY_NAME], ['CronJob', 'jaeger-index-cleaner']]) {
      expect(wave(find(objs(), kind, name, ns())), `${kind} ${name}`).toBeGreaterThan(wave(es));
    }
  });

  it('no OpenTelemetryCollector is rendered (no operator-made probes or open NetworkPolicies)', () => {
    expect(ofKind(objs(), 'OpenTelemetryCollector')).toEqual([]);
  });

  it('the legacy Jaeger CR is off unless tracing.legacyJaegerOperator, and then carries the settings', () => {
    expect(ofKind(objs(), 'Jaeger')).toHaveLength(t.legacyJaegerOperator ? 1 : 0);
    const s = settingsOf(env);
    const on = objectsOf(buildEnvironment({ ...s, observability: { ...s.observability, tracing: { ...s.observability.tracing, legacyJaegerOperator: true } } }));
    const j = find(on, 'Jaeger', 'finbot-jaeger');
    expect(j.spec.storage).toEqual({ type: 'elasticsearch', elasticsearch: { nodeCount: t.elasticsearch.nodeCount, storage: t.elasticsearch.storage } });
    expect(j.spec.collector.replicas).toBe(t.collector.replicas);
    expect(j.spec.query.replicas).toBe(t.query.replicas);
  });
});
