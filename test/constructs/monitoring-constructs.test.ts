import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotAlertmanager } from '../../constructs/alertmanager';
import { finbotAppProps } from '../../charts/apps-chart';
import { FinbotApp } from '../../constructs/finbot-app';
import { FinbotPrometheus } from '../../constructs/prometheus';
import { FinbotPrometheusRule, type AlertRule } from '../../constructs/prometheus-rule';
import { FinbotServiceMonitor } from '../../constructs/service-monitor';
import { settingsOf } from '../helpers';

const chart = () => new Chart(Testing.app(), 'c');
const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const promProps = {
  name: 'p', namespace: 'm', environment: 'e', version: 'v3.5.0', storage: { size: '1Gi', storageClassName: 'x' }, resources,
  serviceMonitorSelector: { matchLabels: { app: 'finbot' } }, ruleSelector: { matchLabels: { app: 'finbot' } },
  scrapeNamespaces: ['m', 'apps'],
};
const amProps = { namespace: 'm', environment: 'e', version: 'v0.28.1', resources, configSecretName: 'am-config' };

describe('FinbotPrometheus', () => {
  it('defaults: 2 replicas, 30d, PDB, no alerting without Alertmanagers', () => {
    const c = chart();
    new FinbotPrometheus(c, 'p', promProps);
    const objs = Testing.synth(c);
    const p = objs.find((o) => o.kind === 'Prometheus');
    expect(p.spec.replicas).toBe(2);
    expect(p.spec.retention).toBe('30d');
    expect(p.spec.alerting).toBeUndefined();
    expect(objs.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
  });
  it('one replica: no PDB (it would block every drain)', () => {
    const c = chart();
    new FinbotPrometheus(c, 'p', { ...promProps, replicas: 1 });
    expect(Testing.synth(c).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });
  it('RBAC: cluster scope only for nodes/metrics and /metrics; discovery by Role in each scraped namespace; no ConfigMaps', () => {
    const c = chart();
    new FinbotPrometheus(c, 'p', promProps);
    const objs = Testing.synth(c);
    const cr = objs.find((o) => o.kind === 'ClusterRole');
    expect(cr.rules).toEqual([
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    const roles = objs.filter((o) => o.kind === 'Role');
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['apps', 'm']);
    for (const r of roles) expect(JSON.stringify(r.rules)).not.toContain('configmaps');
    const bindings = objs.filter((o) => o.kind === 'RoleBinding');
    expect(bindings.map((b) => [b.metadata.namespace, b.roleRef.kind, b.subjects[0].name])).toEqual([['apps', 'Role', 'p'], ['m', 'Role', 'p']]);
  });
  it('refuses scrapeNamespaces without its own namespace', () => {
    expect(() => new FinbotPrometheus(chart(), 'p', { ...promProps, scrapeNamespaces: ['apps'] })).toThrow('lacks its own namespace m');
  });
  it('refuses 0 replicas and an empty ServiceMonitor selector', () => {
    expect(() => new FinbotPrometheus(chart(), 'p', { ...promProps, replicas: 0 })).toThrow('replicas must be a whole number of at least 1, got 0');
    expect(() => new FinbotPrometheus(chart(), 'p', { ...promProps, serviceMonitorSelector: {} })).toThrow('serviceMonitorSelector is empty');
  });
});

describe('FinbotAlertmanager', () => {
  it('defaults: name main, Service alertmanager-main with port web, 1 replica without PDB', () => {
    const c = chart();
    const am = new FinbotAlertmanager(c, 'a', amProps);
    expect(am.endpoint).toEqual({ namespace: 'm', name: 'alertmanager-main', port: 'web' });
    const objs = Testing.synth(c);
    expect(objs.map((o) => o.kind)).toEqual(['ServiceAccount', 'Alertmanager', 'Service']);
  });
  it('reads its configuration from the given Secret as is (no AlertmanagerConfig selector) and mounts it for the *_file credentials', () => {
    const c = chart();
    const am = new FinbotAlertmanager(c, 'a', amProps);
    const spec = Testing.synth(c).find((o) => o.kind === 'Alertmanager').spec;
    expect(spec.configSecret).toBe('am-config');
    expect(spec.secrets).toEqual(['am-config']);
    expect(spec.alertmanagerConfigSelector).toBeUndefined();
    expect(am.credentialPath('slack-webhook-url')).toBe('/etc/alertmanager/secrets/am-config/slack-webhook-url');
    expect(() => am.credentialPath('alertmanager.yaml')).toThrow('is the configuration itself');
  });
  it('mounts no Kubernetes API token (neither Alertmanager nor the config reloader calls the API)', () => {
    const c = chart();
    new FinbotAlertmanager(c, 'a', amProps);
    const objs = Testing.synth(c);
    expect(objs.find((o) => o.kind === 'Alertmanager').spec.automountServiceAccountToken).toBe(false);
    expect(objs.find((o) => o.kind === 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });
  it('refuses 2 replicas (no gossip quorum) and 0', () => {
    expect(() => new FinbotAlertmanager(chart(), 'a', { ...amProps, replicas: 2 })).toThrow('use 1 or 3');
    expect(() => new FinbotAlertmanager(chart(), 'a', { ...amProps, replicas: 0 })).toThrow('at least 1, got 0');
  });
});

describe('FinbotServiceMonitor', () => {
  const app = (c: Chart) => new FinbotApp(c, 'app', { name: 'finbot-api', component: 'api', environment: 'e', namespace: 'apps', ...finbotAppProps(settingsOf('production').apps.web) });
  it('selects the app\'s Services by stable labels in the app namespace', () => {
    const c = chart();
    new FinbotServiceMonitor(c, 'sm', { app: app(c), namespace: 'm', environment: 'e', interval: '15s' });
    const sm = Testing.synth(c).find((o) => o.kind === 'ServiceMonitor');
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'finbot-api', 'app.kubernetes.io/instance': 'e' } },
      namespaceSelector: { matchNames: ['apps'] },
      endpoints: [{ port: 'http-metrics', path: '/metrics', interval: '15s', scheme: 'http' }],
    });
  });
  it('refuses a path without a leading slash', () => {
    const c = chart();
    expect(() => new FinbotServiceMonitor(c, 'sm', { app: app(c), namespace: 'm', environment: 'e', path: 'metrics' })).toThrow('path "metrics" must start with "/"');
  });
});

describe('FinbotPrometheusRule', () => {
  const ok: AlertRule = { alert: 'A', expr: 'up == 0', for: '5m', severity: 'critical', summary: 's', description: 'd', absentGuard: ['up{job="x"}'] };
  const make = (rules: AlertRule[]) => new FinbotPrometheusRule(chart(), 'r', { name: 'r', namespace: 'm', environment: 'e', runbookBaseUrl: 'https://x/runbooks', groups: [{ name: 'g', rules }] });
  it('adds severity and runbook_url', () => {
    const c = chart();
    new FinbotPrometheusRule(c, 'r', { name: 'r', namespace: 'm', environment: 'e', runbookBaseUrl: 'https://x/runbooks', groups: [{ name: 'g', rules: [ok] }] });
    const rule = Testing.synth(c)[0].spec.groups[0].rules[0];
    expect(rule.labels).toEqual({ severity: 'critical' });
    expect(rule.annotations.runbook_url).toBe('https://x/runbooks/A.md');
  });
  it('refuses no rules, duplicates, bad names, broken PromQL, bad durations', () => {
    expect(() => make([])).toThrow('no rules');
    expect(() => make([ok, ok])).toThrow('alert "A" is defined twice');
    expect(() => make([{ ...ok, alert: 'my-alert' }])).toThrow('must be UpperCamelCase');
    expect(() => make([{ ...ok, expr: 'sum(rate(x[5m])' }])).toThrow('expr unclosed "("');
    expect(() => make([{ ...ok, for: 'five minutes' }])).toThrow('for "five minutes" must be a duration');
  });
  it('absence guard: the rendered expr also fires when a guarded series vanishes; a rule without guard or reason is refused', () => {
    const c = chart();
    new FinbotPrometheusRule(c, 'r', { name: 'r', namespace: 'm', environment: 'e', runbookBaseUrl: 'https://x/runbooks', groups: [{ name: 'g', rules: [{ ...ok, absentGuard: ['up{job="x"}', 'y'] }] }] });
    expect(Testing.synth(c)[0].spec.groups[0].rules[0].expr).toBe('(up == 0) or absent(up{job="x"}) or absent(y)');
    expect(() => make([{ ...ok, absentGuard: [] }])).toThrow('has no absentGuard');
    expect(() => make([{ ...ok, absentGuard: ['rate(x[5m])'] }])).toThrow('must be one series selector');
    expect(() => make([{ ...ok, absentGuard: undefined, neverAbsent: 'vector(1)' }])).not.toThrow();
  });
});
