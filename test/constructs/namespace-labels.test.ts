import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { labels, selectorLabels } from '../../constructs/labels';
import { FinbotNamespace } from '../../constructs/namespace';

describe('labels', () => {
  it('recommended labels plus app: finbot; selector never has the version', () => {
    const p = { name: 'finbot-api', component: 'api', environment: 'production', version: 'v1' };
    expect(labels(p)).toEqual({
      app: 'finbot',
      'app.kubernetes.io/component': 'api',
      'app.kubernetes.io/instance': 'production',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'finbot-api',
      'app.kubernetes.io/part-of': 'finbot',
      'app.kubernetes.io/version': 'v1',
    });
    expect(Object.keys(selectorLabels(p))).not.toContain('app.kubernetes.io/version');
    expect(labels({ ...p, finbotApp: false }).app).toBeUndefined();
  });
});

describe('FinbotNamespace', () => {
  it('restricted by default, role label, environment label', () => {
    const chart = new Chart(Testing.app(), 't');
    new FinbotNamespace(chart, 'n', { name: 'staging-database', role: 'database', environment: 'staging' });
    expect(Testing.synth(chart)[0].metadata.labels).toEqual({
      name: 'database',
      'finbot.io/environment': 'staging',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('istio injection and a lower enforce level on request', () => {
    const chart = new Chart(Testing.app(), 't');
    const ns = new FinbotNamespace(chart, 'n', { name: 'x', environment: 'e', enforce: 'baseline', istioInjection: true });
    expect(ns.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.labels['istio-injection']).toBe('enabled');
    expect(ns.selectorLabels).toEqual({ name: 'x', 'finbot.io/environment': 'e' });
  });
});
