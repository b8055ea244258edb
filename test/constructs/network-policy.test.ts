import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AllowPolicy, DefaultDenyPolicy, ScraperEgressPolicies } from '../../constructs/network-policy';

describe('network policies', () => {
  it('default deny selects every pod, both directions', () => {
    const chart = new Chart(Testing.app(), 't');
    new DefaultDenyPolicy(chart, 'd', { namespace: 'ns' });
    expect(Testing.synth(chart)[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('allow policy renders peers and ports; types follow the rules given', () => {
    const chart = new Chart(Testing.app(), 't');
    new AllowPolicy(chart, 'a', { name: 'p', namespace: 'ns', podLabels: { a: 'b' }, egress: [{ peers: [{ namespaceLabels: { name: 'db' } }], ports: [{ port: 5432 }] }] });
    const spec = Testing.synth(chart)[0].spec;
    expect(spec.policyTypes).toEqual(['Egress']);
    expect(spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { name: 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  it('a peer with only pod labels stays in the own namespace', () => {
    const chart = new Chart(Testing.app(), 't');
    new AllowPolicy(chart, 'a', { name: 'p', namespace: 'ns', podLabels: {}, ingress: [{ peers: [{ podLabels: { x: 'y' } }], ports: [{ port: 1, protocol: 'UDP' }] }] });
    expect(Testing.synth(chart)[0].spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { x: 'y' } } }]);
  });

  it('rejects a policy without rules', () => {
    const chart = new Chart(Testing.app(), 't');
    expect(() => new AllowPolicy(chart, 'a', { name: 'p', namespace: 'ns', podLabels: {} })).toThrow('give at least one ingress or egress rule');
  });

  it('rejects a rule without ports', () => {
    const chart = new Chart(Testing.app(), 't');
    expect(() => new AllowPolicy(chart, 'a', { name: 'p', namespace: 'ns', podLabels: {}, ingress: [{ peers: [], ports: [] }] })).toThrow('at least one port');
  });
});

describe('ScraperEgressPolicies', () => {
  it('opens egress for same-namespace scrapers only, one policy each', () => {
    const chart = new Chart(Testing.app(), 't');
    new ScraperEgressPolicies(chart, 's', {
      name: 'exporter',
      namespace: 'monitoring',
      scrapers: [{ podLabels: { app: 'prom' } }, { namespaceLabels: { name: 'other' }, podLabels: { app: 'x' } }, { podLabels: { app: 'agent' } }],
      targetPodLabels: { app: 'exporter' },
      port: 9100,
    });
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.metadata.name)).toEqual(['allow-egress-to-exporter', 'allow-egress-to-exporter-2']);
    expect(objs[0].spec).toEqual({
      podSelector: { matchLabels: { app: 'prom' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'exporter' } } }], ports: [{ protocol: 'TCP', port: 9100 }] }],
    });
  });
});
