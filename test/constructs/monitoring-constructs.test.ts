import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotAlertmanager } from '../../constructs/alertmanager';
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
};

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
  it('refuses 0 replicas and an empty ServiceMonitor selector', () => {
    expect(() => new FinbotPrometheus(chart(), 'p', { ...promProps, replicas: 0 })).toThrow('replicas must be a whole number of at least 1, got 0');
    expect(() => new FinbotPrometheus(chart(), 'p', { ...promProps, serviceMonitorSelector: {} })).toThrow('serviceMonitorSelector is empty');
  });
});

describe('FinbotAlertmanager', () => {
  it('defaults: name main, Service alertmanager-main with port web, 1 replica without PDB', () => {
    const c = chart();
    const am = new FinbotAlertmanager(c, 'a', { namespace: 'm', environment: 'e', version: 'v0.28.1', resources });
    expect(am.endpoint).toEqual({ namespace: 'm', name: 'alertmanager-main', port: 'web' });
    const objs = Testing.synth(c);
    expect(objs.map((o) => o.kind)).toEqual(['Alertmanager', 'Service']);
  });
  it('refuses 2 replicas (no gossip quorum) and 0', () => {
    expect(() => new FinbotAlertmanager(chart(), 'a', { namespace: 'm', environment: 'e', version: 'v1.0.0', resources, replicas: 2 })).toThrow('use 1 or 3');
    expect(() => new FinbotAlertmanager(chart(), 'a', { namespace: 'm', environment: 'e', version: 'v1.0.0', resources, replicas: 0 })).toThrow('at least 1, got 0');
  });
});

describe('FinbotServiceMonitor', () => {
  const app = (c: Chart) => new FinbotApp(c, 'app', { name: 'finbot-api', component: 'api', environment: 'e', namespace: 'apps', settings: settingsOf('production').apps.web });
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
  const ok: AlertRule = { alert: 'A', expr: 'up == 0', for: '5m', severity: 'critical', summary: 's', description: 'd' };
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
});
