import { Chart, Testing } from 'cdk8s';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { describe, expect, it } from 'vitest';
import { ModelObject } from '../../constructs/model-object';

describe('ModelObject', () => {
  it('emits a valid kubernetes-models object as is', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ModelObject(chart, 'x', new Certificate({ metadata: { name: 'x', namespace: 'n' }, spec: { secretName: 's', issuerRef: { name: 'i', kind: 'ClusterIssuer' } } }));
    expect(Testing.synth(chart)).toEqual([{ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x', namespace: 'n' }, spec: { issuerRef: { kind: 'ClusterIssuer', name: 'i' }, secretName: 's' } }]);
  });

  it('refuses an invalid one at synth, naming it', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new ModelObject(chart, 'y', new Certificate({ metadata: { name: 'y', namespace: 'n' }, spec: { issuerRef: { name: 'i' } } } as never)))
      .toThrow('Certificate n/y is invalid: data/spec must have required property secretName');
  });
});
