import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AllowPolicy } from '../../constructs/network-policy';

describe('AllowPolicy ipBlock peers', () => {
  it('renders an ipBlock with its exceptions', () => {
    const chart = new Chart(Testing.app(), 't');
    new AllowPolicy(chart, 'a', { name: 'p', namespace: 'ns', podLabels: {}, egress: [{ peers: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] });
    expect(Testing.synth(chart)[0].spec.egress[0].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }]);
  });

  it('omits an empty exception list', () => {
    const chart = new Chart(Testing.app(), 't');
    new AllowPolicy(chart, 'a', { name: 'p', namespace: 'ns', podLabels: {}, egress: [{ peers: [{ ipBlock: { cidr: '1.2.3.4/32', except: [] } }], ports: [{ port: 443 }] }] });
    expect(Testing.synth(chart)[0].spec.egress[0].to).toEqual([{ ipBlock: { cidr: '1.2.3.4/32' } }]);
  });

  it('refuses a peer that is both an ipBlock and labels', () => {
    const chart = new Chart(Testing.app(), 't');
    expect(() => new AllowPolicy(chart, 'a', { name: 'p', namespace: 'ns', podLabels: {}, egress: [{ peers: [{ ipBlock: { cidr: '0.0.0.0/0' }, podLabels: { a: 'b' } }], ports: [{ port: 443 }] }] }))
      .toThrow('a NetworkPolicy peer is either an ipBlock (0.0.0.0/0) or pods/namespaces by labels, not both');
  });
});
