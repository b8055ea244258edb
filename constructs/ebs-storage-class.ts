/**
 * A StorageClass for encrypted EBS volumes through the EBS CSI driver, bound only when the pod is
 * scheduled (so the volume is created in the pod's zone) and expandable in place.
 * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { KubeStorageClass } from './kube-objects';

/** The EBS CSI driver's provisioner name (the in-tree kubernetes.io/aws-ebs is gone since 1.27). */
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';

/** Props of {@link EbsStorageClass}. */
export interface EbsStorageClassProps {
  /** StorageClass name, e.g. `fast-ssd`. */
  readonly name: string;
  /** EBS volume type. @default 'gp3' */
  readonly type?: 'gp3' | 'io2' | 'io1';
  /** Provisioned IOPS. @default - the volume type's baseline (gp3: 3000) */
  readonly iops?: number;
  /** Throughput in MiB/s, gp3 only. @default - gp3 baseline (125) */
  readonly throughput?: number;
  /** What happens to the EBS volume when its claim is deleted. @default 'Retain' (data safety) */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
  /** Filesystem. @default 'ext4' */
  readonly fsType?: 'ext4' | 'xfs';
  /** Labels of the object. @default none */
  readonly labels?: Record<string, string>;
}

/** An encrypted, WaitForFirstConsumer, expandable EBS CSI StorageClass (never the cluster default). */
export class EbsStorageClass extends Construct {
  readonly name: string;
  readonly resource: k8s.KubeStorageClass;

  constructor(scope: Construct, id: string, props: EbsStorageClassProps) {
    super(scope, id);
    const type = props.type ?? 'gp3';
    if (props.throughput !== undefined && type !== 'gp3') {
      throw new Error(`EbsStorageClass ${props.name}: throughput is a gp3 parameter (type is ${type}); remove throughput or use gp3`);
    }
    if (type === 'gp3' && props.iops !== undefined && (props.iops < 3000 || props.iops > 16000)) {
      throw new Error(`EbsStorageClass ${props.name}: gp3 iops must be 3000-16000, got ${props.iops}`);
    }
    this.name = props.name;
    this.resource = new KubeStorageClass(this, 'Resource', {
      metadata: {
        name: props.name,
        ...(props.labels ? { labels: props.labels } : {}),
        // Explicitly not the default: workloads must ask for it by name, as the design document does.
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' },
      },
      provisioner: EBS_CSI_PROVISIONER,
      parameters: {
        type,
        encrypted: 'true',
        'csi.storage.k8s.io/fstype': props.fsType ?? 'ext4',
        ...(props.iops !== undefined ? { iops: String(props.iops) } : {}),
        ...(props.throughput !== undefined ? { throughput: String(props.throughput) } : {}),
      },
      reclaimPolicy: props.reclaimPolicy ?? 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  }
}
