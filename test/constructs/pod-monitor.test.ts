import { describe, expect, it } from 'vitest';
import { APP_LABEL, APP_LABEL_VALUE, labels } from '../../constructs/labels';
import { FinbotPodMonitor, PodMonitorObject } from '../../constructs/pod-monitor';
import { chart, objectOf } from './data-fixtures';

describe('PodMonitorObject', () => {
  it('emits a monitoring.coreos.com/v1 PodMonitor', () => {
    const c = chart();
    new PodMonitorObject(c, 'pm', { metadata: { name: 'x', namespace: 'n' }, spec: { selector: { matchLabels: { a: 'b' } }, podMetricsEndpoints: [{ port: 'metrics' }] } });
    const o = objectOf(c, 'PodMonitor');
    expect(o.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(o.spec.podMetricsEndpoints).toEqual([{ port: 'metrics' }]);
  });

  it('rejects a PodMonitor without endpoints', () => {
    expect(() => new PodMonitorObject(chart(), 'pm', { metadata: { name: 'x' }, spec: { selector: {}, podMetricsEndpoints: [] } })).toThrow('PodMonitor x: podMetricsEndpoints is empty');
  });
});

describe('FinbotPodMonitor', () => {
  it('labels the monitor app: finbot with the standard labels (what the Prometheus selects), scraping its own namespace', () => {
    const c = chart();
    new FinbotPodMonitor(c, 'pm', { name: 'db', namespace: 'database', component: 'database', environment: 'staging', selector: { matchLabels: { a: 'b' } }, podMetricsEndpoints: [{ port: 'metrics' }] });
    const o = objectOf(c, 'PodMonitor');
    expect(o.metadata).toEqual({ name: 'db', namespace: 'database', labels: labels({ name: 'db', component: 'database', environment: 'staging' }) });
    expect(o.metadata.labels[APP_LABEL]).toBe(APP_LABEL_VALUE);
    expect(o.spec).toEqual({ selector: { matchLabels: { a: 'b' } }, podMetricsEndpoints: [{ port: 'metrics' }] });
    expect(() => new FinbotPodMonitor(chart(), 'pm', { name: 'x', namespace: 'n', component: 'c', environment: 'e', selector: {}, podMetricsEndpoints: [] })).toThrow('podMetricsEndpoints is empty');
  });
});
