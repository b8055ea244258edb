import { describe, expect, it } from 'vitest';
import { PodMonitorObject } from '../../constructs/pod-monitor';
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
