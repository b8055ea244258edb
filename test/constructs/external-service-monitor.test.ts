import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ExternalServiceMonitor, type ExternalServiceMonitorProps } from '../../constructs/external-service-monitor';

function build(props: Partial<ExternalServiceMonitorProps> = {}): any {
  const chart = new Chart(Testing.app(), 't');
  new ExternalServiceMonitor(chart, 'm', {
    name: 'cert-manager',
    namespace: 'monitoring',
    environment: 'test',
    targetNamespace: 'cert-manager',
    selector: { 'app.kubernetes.io/name': 'cert-manager' },
    endpoints: [{ port: 'tcp-prometheus-servicemonitor', path: '/metrics' }],
    serviceOwner: 'the cert-manager Helm chart',
    ...props,
  });
  const objs = Testing.synth(chart);
  expect(objs).toHaveLength(1);
  return objs[0];
}

describe('ExternalServiceMonitor', () => {
  it('labelled app: finbot, selects the Service in the target namespace, scrapes the named port', () => {
    const sm = build();
    expect(sm.kind).toBe('ServiceMonitor');
    expect(sm.metadata.namespace).toBe('monitoring');
    expect(sm.metadata.labels.app).toBe('finbot');
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'cert-manager' } },
      namespaceSelector: { matchNames: ['cert-manager'] },
      endpoints: [{ port: 'tcp-prometheus-servicemonitor', path: '/metrics' }],
    });
  });

  it('carries the xref/monitor-selector exemption with who creates the Service', () => {
    expect(build().metadata.annotations['finbot.io/validation-exempt'])
      .toBe('xref/monitor-selector: the Service is created outside this repository (the cert-manager Helm chart in cert-manager)');
  });

  it('rejects its own namespace as target', () => {
    expect(() => build({ targetNamespace: 'monitoring' })).toThrow('ExternalServiceMonitor cert-manager: targetNamespace monitoring is the monitor\'s own namespace; Services rendered here need no external monitor or exemption');
  });

  it('rejects an empty selector', () => {
    expect(() => build({ selector: {} })).toThrow('ExternalServiceMonitor cert-manager: selector is empty, which would scrape every Service of cert-manager');
  });

  it('rejects endpoints without a named port, and no endpoints', () => {
    const msg = 'ExternalServiceMonitor cert-manager: every endpoint needs a named Service port';
    expect(() => build({ endpoints: [] })).toThrow(msg);
    expect(() => build({ endpoints: [{ path: '/metrics' }] })).toThrow(msg);
  });
});
