import { existsSync } from 'node:fs';
import { load } from 'js-yaml';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';
import { ALERT_METRICS, STANDBY_EXPECTED_GROUPS, walArchiveAlertSeconds } from '../../charts/alerts/finbot-alerts';
import { promqlProblems } from '../../constructs/prometheus-rule';
import { ENVIRONMENTS, find, ofKind, settingsOf, synthObjects } from '../helpers';
import { optionsFor } from '../../validation/run';

const prod = () => synthObjects('production');

// Values come from observability.yaml; the design document's are asserted once, in test/conformance.
describe('Prometheus finbot-prometheus: settings to objects (production)', () => {
  const p = () => find(prod(), 'Prometheus', 'finbot-prometheus', 'monitoring');
  const ps = () => settingsOf('production').observability.prometheus;

  it('replicas, retention, storage from the settings', () => {
    expect(p().apiVersion).toBe('monitoring.coreos.com/v1');
    expect(p().spec.replicas).toBe(ps().replicas);
    expect(p().spec.retention).toBe(ps().retention);
    expect(p().spec.storage).toEqual({
      volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: ps().storage.size } }, storageClassName: ps().storage.storageClassName } },
    });
  });

  it('selects ServiceMonitors and rules by app: finbot; alerts go to alertmanager-main/web in monitoring', () => {
    expect(p().spec.serviceMonitorSelector).toEqual({ matchLabels: { app: 'finbot' } });
    expect(p().spec.ruleSelector).toEqual({ matchLabels: { app: 'finbot' } });
    expect(p().spec.alerting).toEqual({ alertmanagers: [{ namespace: 'monitoring', name: 'alertmanager-main', port: 'web' }] });
  });

  it('looks only in this environment\'s namespaces; CNPG PodMonitors only in the database namespace', () => {
    const own = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring', 'production', 'database', 'cache'] }] };
    expect(p().spec.serviceMonitorNamespaceSelector).toEqual(own);
    expect(p().spec.ruleNamespaceSelector).toEqual(own);
    expect(p().spec.podMonitorSelector).toEqual({ matchLabels: { app: 'finbot' } });
    expect(p().spec.probeSelector).toEqual({ matchLabels: { app: 'finbot' } });
    expect(p().spec.probeNamespaceSelector).toEqual(p().spec.serviceMonitorNamespaceSelector);
    expect(p().spec.podMonitorNamespaceSelector).toEqual(p().spec.serviceMonitorNamespaceSelector);
  });

  it('restricted security context, resources, version pinned, no podMetadata overriding the operator\'s pod labels', () => {
    expect(p().spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(p().spec.resources).toEqual(ps().resources);
    expect(p().spec.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(p().spec.podMetadata).toBeUndefined();
    expect(p().spec.serviceAccountName).toBe('finbot-prometheus');
  });

  it('least-privilege RBAC and a PDB', () => {
    const role = find(prod(), 'ClusterRole', 'monitoring-finbot-prometheus');
    // Cluster scope only for what has no namespace; no ConfigMap read anywhere.
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    const binding = find(prod(), 'ClusterRoleBinding', 'monitoring-finbot-prometheus');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'finbot-prometheus', namespace: 'monitoring' }]);
    expect(find(prod(), 'PodDisruptionBudget', 'finbot-prometheus', 'monitoring').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'finbot-prometheus' } },
    });
  });

  it('Alertmanager main and the Service the Prometheus reference resolves to', () => {
    const am = find(prod(), 'Alertmanager', 'main', 'monitoring');
    expect(am.spec.replicas).toBe(settingsOf('production').observability.alertmanager.replicas);
    expect(am.spec.securityContext.runAsNonRoot).toBe(true);
    const svc = find(prod(), 'Service', 'alertmanager-main', 'monitoring');
    expect(svc.spec.ports).toEqual([{ name: 'web', port: 9093, targetPort: 'web', protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'main' });
  });
});

describe('ServiceMonitors', () => {
  it('one per component, labelled app: finbot, selecting the component\'s Services by stable labels on http-metrics', () => {
    const objs = prod();
    const sms = ofKind(objs, 'ServiceMonitor').filter((s) => s.metadata.name.startsWith('finbot-'));
    expect(sms.map((s) => s.metadata.name)).toEqual(['finbot-api', 'finbot-web', 'finbot-worker']);
    for (const sm of sms) {
      expect(sm.metadata.labels.app).toBe('finbot');
      expect(sm.spec.endpoints).toEqual([{ port: 'http-metrics', path: '/metrics', interval: '30s', scheme: 'http' }]);
      expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['production'] });
      // The selector must match a Service in the app namespace that has the http-metrics port.
      const services = ofKind(objs, 'Service').filter((s) => s.metadata.namespace === 'production'
        && Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
      expect(services.length, sm.metadata.name).toBeGreaterThan(0);
      for (const s of services) expect(s.spec.ports.map((p: any) => p.name)).toContain('http-metrics');
    }
    expect(find(objs, 'ServiceMonitor', 'finbot-worker').spec.selector.matchLabels['app.kubernetes.io/name']).toBe('finbot-worker');
  });
});

describe('alerting rules', () => {
  const rule = () => find(prod(), 'PrometheusRule', 'finbot-alerts', 'monitoring');
  const alerts = () => rule().spec.groups.flatMap((g: any) => g.rules);

  it('the groups a standby region reroutes (STANDBY_EXPECTED_GROUPS) exist and hold only application and probe alerts', () => {
    const groups: Array<{ name: string; rules: Array<{ alert: string }> }> = rule().spec.groups;
    for (const name of STANDBY_EXPECTED_GROUPS) expect(groups.map((g) => g.name), name).toContain(name);
    const rerouted = groups.filter((g) => STANDBY_EXPECTED_GROUPS.includes(g.name)).flatMap((g) => g.rules.map((r) => r.alert));
    // The data tier's, the pipeline's and the certificates' alerts must keep paging in a standby region.
    expect(rerouted.filter((a) => /Postgres|Redis|Backup|Watchdog|ScrapeTarget|Certificate/.test(a))).toEqual([]);
    expect(rerouted.length).toBeGreaterThan(0);
  });

  it('labelled app: finbot so the Prometheus loads them', () => {
    expect(rule().metadata.labels.app).toBe('finbot');
  });

  it('covers the pipeline, errors, latency, restarts, HPA, probes, replication lag, WAL/backups, Redis, certificates', () => {
    expect(alerts().map((a: any) => a.alert)).toEqual([
      'Watchdog', 'ScrapeTargetDown',
      'FinbotHighErrorRate', 'FinbotHighLatencyP95', 'FinbotPodRestarting', 'FinbotHpaAtMaxReplicas',
      'FinbotEndpointDown',
      'PostgresReplicationLagHigh', 'PostgresWalArchiveBehindRpo', 'PostgresWalArchivingFailing', 'PostgresBaseBackupTooOld', 'PostgresBaseBackupFailed',
      'RedisDown', 'RedisBackupTooOld', 'VaultBackupTooOld', 'CertificateExpiringSoon',
    ]);
  });

  it('the design document\'s PromQL: p95 of http_request_duration_seconds_bucket, 5xx share of http_requests_total', () => {
    const byName = Object.fromEntries(alerts().map((a: any) => [a.alert, a]));
    expect(byName.FinbotHighLatencyP95.expr).toContain('histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{namespace="production",job=~"finbot-api|finbot-web"}[5m]))) > 1');
    expect(byName.FinbotHighErrorRate.expr).toContain('sum by (job) (rate(http_requests_total{namespace="production",status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{namespace="production"}[5m])) > 0.05');
    // Half the RPO (data.yaml rpoMinutes 60): 30 min, not the whole hour.
    expect(byName.PostgresWalArchiveBehindRpo.expr).toContain('> 1800');
    expect(byName.PostgresReplicationLagHigh.expr).toContain('cnpg_pg_replication_lag{namespace="database"}');
    expect(byName.RedisDown.expr).toContain('redis_up{namespace="cache"} == 0');
  });

  it('every alert: severity, summary, a runbook_url whose file exists in docs/runbooks', () => {
    for (const a of alerts()) {
      expect(a.alert === 'Watchdog' ? ['none'] : ['critical', 'warning', 'info'], a.alert).toContain(a.labels.severity);
      expect(a.annotations.summary, a.alert).toBeTruthy();
      expect(a.annotations.runbook_url, a.alert).toBe(`https://github.com/finbot/finbot-deploy/blob/main/docs/runbooks/${a.alert}.md`);
      expect(existsSync(join(REPO_ROOT, 'docs', 'runbooks', `${a.alert}.md`)), a.alert).toBe(true);
    }
  });

  it('PromQL: balanced brackets and only known metric names', () => {
    const known = new Set(Object.keys(ALERT_METRICS));
    const functions = new Set(['sum', 'by', 'rate', 'increase', 'histogram_quantile', 'max', 'min', 'time', 'absent', 'or', 'and', 'le', 'job', 'vector', 'endpoint', 'instance', 'namespace', 'pod']);
    for (const a of alerts()) {
      expect(promqlProblems(a.expr), a.alert).toEqual([]);
      // identifiers outside {...} selectors and (...) grouping lists that are not functions are metric names
      const stripped = a.expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '').replace(/by \([^)]*\)/g, '');
      const names = (stripped.match(/[a-z_:][a-z0-9_:]*/gi) ?? []).filter((n: string) => !functions.has(n) && !/^\d/.test(n));
      if (a.alert !== 'Watchdog') expect(names.length, a.alert).toBeGreaterThan(0);
      for (const n of names) expect(known.has(n), `${a.alert}: unknown metric ${n}`).toBe(true);
    }
  });

  it('every metric the alerts use is produced by something the output scrapes (metric -> exporter -> monitor)', () => {
    const objs = prod();
    const p = find(objs, 'Prometheus', 'finbot-prometheus', 'monitoring');
    const selectedNamespaces: string[] = p.spec.serviceMonitorNamespaceSelector.matchExpressions[0].values;
    // A monitor counts when finbot-prometheus loads it: label app: finbot in one of its namespaces.
    const monitor = (kind: string, name: string, namespace: string) => {
      const m = find(objs, kind, name, namespace);
      expect(m.metadata.labels.app, `${kind} ${name}`).toBe('finbot');
      expect(selectedNamespaces, `${kind} ${name}`).toContain(namespace);
      return m;
    };
    const sources: Record<string, () => void> = {
      'FinBot api/web (design document)': () => {
        for (const n of ['finbot-api', 'finbot-web']) monitor('ServiceMonitor', n, 'monitoring');
      },
      'kube-state-metrics': () => {
        const sm = monitor('ServiceMonitor', 'kube-state-metrics', 'monitoring');
        const svc = find(objs, 'Service', 'kube-state-metrics', 'monitoring');
        for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
        expect(svc.spec.ports.map((x: any) => x.name)).toContain(sm.spec.endpoints[0].port);
        const args: string[] = find(objs, 'Deployment', 'kube-state-metrics', 'monitoring').spec.template.spec.containers[0].args;
        const exported = args.find((a) => a.startsWith('--resources='))!.slice('--resources='.length).split(',');
        // the alerts need pods (restarts) and horizontalpodautoscalers (current/max replicas)
        expect(exported).toEqual(expect.arrayContaining(['pods', 'horizontalpodautoscalers']));
      },
      CloudNativePG: () => { monitor('PodMonitor', 'finbot-postgres-primary', 'database'); },
      redis_exporter: () => { monitor('PodMonitor', 'finbot-redis-cluster', 'cache'); },
      'cert-manager': () => {
        const sm = monitor('ServiceMonitor', 'cert-manager', 'monitoring');
        expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['cert-manager'] });
        // cert-manager v1.21 names the port http-metrics (model/operators/cert-manager.ts).
        expect(sm.spec.endpoints[0]).toMatchObject({ port: 'http-metrics', honorLabels: true });
      },
      'Prometheus (every scrape target)': () => { expect(p.spec.serviceMonitorSelector).toBeDefined(); },
      'blackbox_exporter through the Probes': () => {
        for (const t of settingsOf('production').gitops.probes.targets) monitor('Probe', `finbot-synthetic-${t.name}`, 'monitoring');
      },
      'Barman Cloud plugin (through the CNPG exporter)': () => { monitor('PodMonitor', 'finbot-postgres-primary', 'database'); },
    };
    const used = new Set(alerts().flatMap((a: any) => Object.keys(ALERT_METRICS).filter((m) => new RegExp(`\\b${m}\\b`).test(a.expr))));
    expect([...used].sort()).toEqual(Object.keys(ALERT_METRICS).sort());
    for (const metric of used) {
      const exporter = ALERT_METRICS[metric as keyof typeof ALERT_METRICS];
      expect(sources[exporter], `${metric}: no source check for exporter "${exporter}"`).toBeTypeOf('function');
      sources[exporter]!();
    }
  });

  it('promqlProblems finds what it claims to', () => {
    expect(promqlProblems('sum(rate(x[5m])')).toEqual(['unclosed "("']);
    expect(promqlProblems('sum(rate(x[5m])))')).toEqual(['unbalanced ")"']);
    expect(promqlProblems('x{a="(}"}')).toEqual([]);
    expect(promqlProblems('x{a="b}')).toEqual(['unterminated string (")', 'unclosed "{"']);
  });
});

describe('monitoring namespace NetworkPolicies', () => {
  const np = (name: string) => find(prod(), 'NetworkPolicy', name, 'monitoring');

  it('default deny and DNS', () => {
    expect(np('default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(np('allow-dns-egress').spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  it('Prometheus egress: app metrics + Envoy, Postgres 9187, Redis 9121, Alertmanager 9093, cert-manager 9402, API server 443/6443, kubelets 10250', () => {
    const p = np('allow-prometheus-egress');
    expect(p.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'prometheus', prometheus: 'finbot-prometheus' });
    expect(p.spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { name: 'production', 'finbot.io/environment': 'production' } } }], ports: [{ protocol: 'TCP', port: 9090 }, { protocol: 'TCP', port: 15090 }] },
      { to: [{ namespaceSelector: { matchLabels: { name: 'database', 'finbot.io/environment': 'production' } } }], ports: [{ protocol: 'TCP', port: 9187 }] },
      { to: [{ namespaceSelector: { matchLabels: { name: 'cache', 'finbot.io/environment': 'production' } } }], ports: [{ protocol: 'TCP', port: 9121 }] },
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'main' } } }], ports: [{ protocol: 'TCP', port: 9093 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cert-manager' } } }], ports: [{ protocol: 'TCP', port: 9402 }] },
      { to: [], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 10250 }] },
    ]);
  });

  it('Prometheus pods keep the label the app namespace admits (app.kubernetes.io/name: prometheus)', () => {
    const scrape = find(prod(), 'NetworkPolicy', 'allow-prometheus-scrape', 'production');
    const admitted = scrape.spec.ingress[0].from[0].podSelector.matchLabels;
    const pods = np('allow-prometheus-egress').spec.podSelector.matchLabels;
    for (const [k, v] of Object.entries(admitted)) expect(pods[k]).toBe(v);
  });

  it('Alertmanager: 9093 from Prometheus only, gossip among replicas', () => {
    const am = np('allow-alertmanager-from-prometheus');
    expect(am.spec.ingress[0]).toEqual({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'finbot-prometheus' } } }], ports: [{ protocol: 'TCP', port: 9093 }] });
    expect(am.spec.ingress[1].ports).toEqual([{ protocol: 'TCP', port: 9094 }, { protocol: 'UDP', port: 9094 }]);
  });
});

describe('kube-state-metrics, cert-manager and cAdvisor scrapes', () => {
  const ksmSelector = (env: string) => ({ 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': env });

  for (const env of ENVIRONMENTS) {
    it(`${env}: kube-state-metrics runs in monitoring with the pinned image, settings resources and a ServiceMonitor Prometheus loads`, () => {
      const objs = synthObjects(env);
      const d = find(objs, 'Deployment', 'kube-state-metrics', 'monitoring');
      expect(d.spec.replicas).toBe(1);
      const c = d.spec.template.spec.containers[0];
      const ksm = settingsOf(env).observability.kubeStateMetrics;
      expect(c.image).toBe(`registry.k8s.io/kube-state-metrics/kube-state-metrics:${ksm.version}`);
      expect(c.resources).toEqual(ksm.resources);
      expect(find(objs, 'ClusterRole', 'monitoring-kube-state-metrics').rules.every((r: any) => r.verbs.join() === 'list,watch')).toBe(true);
      const sm = find(objs, 'ServiceMonitor', 'kube-state-metrics', 'monitoring');
      expect(sm.metadata.labels.app).toBe('finbot');
      expect(sm.spec.endpoints[0]).toMatchObject({ port: 'http-metrics', honorLabels: true });
      expect(() => find(objs, 'PodDisruptionBudget', 'kube-state-metrics', 'monitoring')).toThrow();
    });

    it(`${env}: Prometheus may reach kube-state-metrics on 8080, and kube-state-metrics admits only Prometheus`, () => {
      const objs = synthObjects(env);
      const prometheusPods = { 'app.kubernetes.io/name': 'prometheus', prometheus: 'finbot-prometheus' };
      const egress = find(objs, 'NetworkPolicy', 'allow-egress-to-kube-state-metrics', 'monitoring');
      expect(egress.spec.podSelector).toEqual({ matchLabels: prometheusPods });
      expect(egress.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: ksmSelector(env) } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
      const own = find(objs, 'NetworkPolicy', 'kube-state-metrics', 'monitoring');
      expect(own.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: prometheusPods } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    });
  }

  it('cAdvisor: the operator-managed kubelet Service, https with the ServiceAccount token, /metrics/cadvisor, honorLabels', () => {
    const objs = prod();
    const sm = find(objs, 'ServiceMonitor', 'kubelet-cadvisor', 'monitoring');
    expect(sm.metadata.labels.app).toBe('finbot');
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['kube-system'] });
    expect(sm.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'kubelet', 'k8s-app': 'kubelet' } });
    expect(sm.spec.endpoints).toEqual([{
      port: 'https-metrics', path: '/metrics/cadvisor', interval: '30s', scheme: 'https', honorLabels: true,
      bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token', tlsConfig: { insecureSkipVerify: true },
    }]);
    expect(sm.metadata.annotations['finbot.io/validation-exempt']).toMatch(/^xref\/monitor-selector: /);
    // Prometheus may read the kubelet's metrics endpoints.
    expect(find(objs, 'ClusterRole', 'monitoring-finbot-prometheus').rules).toContainEqual({ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] });
  });

  it('the dashboard saturation panels only use series that are scraped (cAdvisor + kube-state-metrics)', () => {
    const objs = prod();
    const d = find(objs, 'GrafanaDashboard', 'finbot-overview', 'monitoring');
    const json = JSON.stringify(d.spec);
    for (const m of ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'kube_pod_container_resource_limits']) expect(json).toContain(m);
    expect(find(objs, 'ServiceMonitor', 'kubelet-cadvisor', 'monitoring').spec.endpoints[0].path).toBe('/metrics/cadvisor');
    const args: string[] = find(objs, 'Deployment', 'kube-state-metrics', 'monitoring').spec.template.spec.containers[0].args;
    expect(args.find((a) => a.startsWith('--resources='))!.split(/[=,]/)).toContain('pods');
  });

  it('cert-manager namespace is a setting and counts as external for the validator', () => {
    expect(settingsOf('production').observability.operatorNamespaces.certManager).toBe('cert-manager');
    expect(optionsFor('production').externalNamespaces).toContain('cert-manager');
    expect(optionsFor('staging').externalNamespaces).toContain('cert-manager');
    expect(find(prod(), 'ServiceMonitor', 'cert-manager', 'monitoring').spec.namespaceSelector.matchNames).toEqual(['cert-manager']);
  });
});

describe('observability: staging', () => {
  it('storage, retention and Alertmanager replicas from its settings; no PDB for a single Alertmanager', () => {
    const objs = synthObjects('staging');
    const o = settingsOf('staging').observability;
    const p = find(objs, 'Prometheus', 'finbot-prometheus', 'monitoring');
    expect(p.spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe(o.prometheus.storage.size);
    expect(p.spec.retention).toBe(o.prometheus.retention);
    expect(find(objs, 'Alertmanager', 'main', 'monitoring').spec.replicas).toBe(o.alertmanager.replicas);
    const pdbs = objs.filter((x) => x.kind === 'PodDisruptionBudget' && x.metadata.name === 'alertmanager-main');
    expect(pdbs.length).toBe(o.alertmanager.replicas >= 2 ? 1 : 0);
    expect(find(objs, 'ServiceMonitor', 'finbot-api').spec.namespaceSelector.matchNames).toEqual(['staging']);
  });
});

describe('alert routing: Alertmanager configuration from settings, credentials from Vault', () => {
  for (const env of ENVIRONMENTS) {
    const objs = () => synthObjects(env);
    const am = () => settingsOf(env).observability.alertmanager;
    const es = () => find(objs(), 'ExternalSecret', 'alertmanager-main-config', 'monitoring');
    const config = () => load(es().spec.target.template.data['alertmanager.yaml']) as any;

    it(`${env}: Alertmanager reads the ExternalSecret's Secret as is; no AlertmanagerConfig selector, no API token`, () => {
      const spec = find(objs(), 'Alertmanager', 'main', 'monitoring').spec;
      expect(spec.configSecret).toBe(es().spec.target.name);
      expect(spec.secrets).toEqual([es().spec.target.name]);
      expect(spec.alertmanagerConfigSelector).toBeUndefined();
      expect(spec.automountServiceAccountToken).toBe(false);
    });

    it(`${env}: one Vault property per receiver credential, from the settings' key, through a SecretStore of the monitoring namespace with its own role`, () => {
      expect(es().spec.data).toEqual(am().receivers.map((r) => ({ secretKey: r.credential, remoteRef: { key: am().credentials.vaultKey, property: r.credential } })));
      const store = find(objs(), 'SecretStore', es().spec.secretStoreRef.name, 'monitoring');
      expect(store.spec.provider.vault.auth.kubernetes.role).toBe(am().credentials.vaultRole);
      expect(es().spec.target.template).toMatchObject({ engineVersion: 'v2', mergePolicy: 'Merge' });
    });

    it(`${env}: receivers as in settings, each credential a mounted file of the config Secret`, () => {
      const c = config();
      expect(c.receivers.map((r: any) => r.name)).toEqual(am().receivers.map((r) => r.name));
      const text = JSON.stringify(c.receivers);
      for (const r of am().receivers) expect(text).toContain(`/etc/alertmanager/secrets/${es().spec.target.name}/${r.credential}`);
      expect(text).not.toMatch(/"(routing_key|api_url|service_key)":/);
    });

    it(`${env}: severity routes as in settings, the Watchdog first and only to the heartbeat receiver`, () => {
      const routes = config().route.routes;
      expect(routes[0]).toMatchObject({ receiver: am().heartbeat.receiver, matchers: ['alertname="Watchdog"'], repeat_interval: am().heartbeat.interval });
      for (const [severity, receivers] of Object.entries(am().routes)) {
        expect(routes.filter((r: any) => r.matchers[0] === `severity="${severity}"`).map((r: any) => r.receiver)).toEqual(receivers);
      }
      expect(config().route.receiver).toBe(am().defaultReceiver);
    });

    it(`${env}: the WAL alert fires with time left before the RPO (data.yaml), and every alert is guarded against missing series`, () => {
      const backup = settingsOf(env).data.postgres.backup;
      const alertsOf = find(objs(), 'PrometheusRule', 'finbot-alerts', 'monitoring').spec.groups.flatMap((g: any) => g.rules);
      const wal = alertsOf.find((a: any) => a.alert === 'PostgresWalArchiveBehindRpo');
      const threshold = Number(/> (\d+)\)/.exec(wal.expr)![1]);
      const forMinutes = Number(wal.for.replace('m', ''));
      expect(threshold / 60 + forMinutes).toBeLessThan(backup.rpoMinutes);
      expect(threshold).toBeGreaterThan(backup.archiveTimeoutMinutes * 60);
      for (const a of alertsOf) if (a.alert !== 'Watchdog') expect(a.expr, a.alert).toMatch(/ or absent\(/);
      const backupAlert = alertsOf.find((a: any) => a.alert === 'PostgresBaseBackupTooOld');
      expect(backupAlert.expr).toContain('barman_cloud_cloudnative_pg_io_last_available_backup_timestamp');
      expect(backupAlert.expr).not.toContain('cnpg_collector_last_available_backup_timestamp');
    });

    it(`${env}: probe alerts guard every probed endpoint of gitops.yaml`, () => {
      const alertsOf = find(objs(), 'PrometheusRule', 'finbot-alerts', 'monitoring').spec.groups.flatMap((g: any) => g.rules);
      const down = alertsOf.find((a: any) => a.alert === 'FinbotEndpointDown');
      for (const t of settingsOf(env).gitops.probes.targets) expect(down.expr).toContain(`absent(probe_success{job="finbot-synthetic",endpoint="${t.name}"})`);
    });

    it(`${env}: Prometheus discovers through Roles in exactly the namespaces its monitors point to`, () => {
      const roles = ofKind(objs(), 'Role').filter((r: any) => r.metadata.name === 'monitoring-finbot-prometheus');
      const targets = new Set<string>();
      for (const m of [...ofKind(objs(), 'ServiceMonitor'), ...ofKind(objs(), 'PodMonitor')]) for (const n of m.spec.namespaceSelector?.matchNames ?? [m.metadata.namespace]) targets.add(n);
      // Every namespace a monitor points to, and no other: discovery is granted where it is used.
      expect(roles.map((r: any) => r.metadata.namespace).sort()).toEqual([...targets].sort());
    });

    it(`${env}: Envoy sidecars are scraped on http-envoy-prom and the dashboard shows mesh request and error rate per route`, () => {
      const s = settingsOf(env);
      const pm = find(objs(), 'PodMonitor', 'istio-sidecars', s.platform.namespaces.app);
      expect(pm.metadata.labels.app).toBe('finbot');
      expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'http-envoy-prom', path: '/stats/prometheus', interval: '30s', scheme: 'http' }]);
      const dash = JSON.parse(find(objs(), 'GrafanaDashboard', 'finbot-overview', 'monitoring').spec.json);
      const exprs = dash.panels.filter((p: any) => p.title.startsWith('Mesh ')).flatMap((p: any) => p.targets.map((t: any) => t.expr));
      expect(exprs).toHaveLength(2);
      for (const e of exprs) expect(e).toContain(`istio_requests_total{reporter="destination",destination_service_namespace="${s.platform.namespaces.app}"`);
      expect(exprs[1]).toContain('response_code=~"5.."');
    });

    it(`${env}: Grafana mounts no API token`, () => {
      const g = find(objs(), 'Grafana', 'finbot-grafana', 'monitoring');
      expect(g.spec.deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
      expect(g.spec.serviceAccount).toEqual({ automountServiceAccountToken: false });
    });
  }
});

describe('walArchiveAlertSeconds', () => {
  it('half the RPO; refuses settings where that is not well above archive_timeout or leaves no time before the RPO', () => {
    expect(walArchiveAlertSeconds({ rpoMinutes: 60, archiveTimeoutMinutes: 5 })).toBe(1800);
    expect(() => walArchiveAlertSeconds({ rpoMinutes: 15, archiveTimeoutMinutes: 5 })).toThrow('must be at least twice archive_timeout');
    expect(() => walArchiveAlertSeconds({ rpoMinutes: 8, archiveTimeoutMinutes: 1 })).toThrow('leave 5 min before the RPO');
  });
});
