import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { EbsStorageClass, type EbsStorageClassProps } from '../../constructs/ebs-storage-class';

function synth(props: EbsStorageClassProps): any {
  const chart = new Chart(Testing.app(), 't');
  new EbsStorageClass(chart, 'sc', props);
  return Testing.synth(chart)[0];
}

describe('EbsStorageClass', () => {
  it('defaults: gp3 via the EBS CSI driver, encrypted, Retain, WaitForFirstConsumer, expandable, not default', () => {
    expect(synth({ name: 'fast-ssd' })).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast-ssd', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  });

  it('passes iops and throughput as strings', () => {
    const sc = synth({ name: 's', iops: 4000, throughput: 250, reclaimPolicy: 'Delete', fsType: 'xfs' });
    expect(sc.parameters).toEqual({ type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'xfs', iops: '4000', throughput: '250' });
    expect(sc.reclaimPolicy).toBe('Delete');
  });

  it('refuses throughput on a non-gp3 volume', () => {
    expect(() => synth({ name: 's', type: 'io2', throughput: 125 })).toThrow('EbsStorageClass s: throughput is a gp3 parameter (type is io2)');
  });

  it('refuses gp3 iops out of range', () => {
    expect(() => synth({ name: 's', iops: 20000 })).toThrow('EbsStorageClass s: gp3 iops must be 3000-16000, got 20000');
  });
});
