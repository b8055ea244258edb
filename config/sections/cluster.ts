/**
 * cluster.yaml: facts of the environment's Kubernetes cluster that the cluster-level objects need — the
 * Kubernetes minor, the node-group bounds, the cluster-autoscaler and the `fast-ssd` StorageClass.
 *
 * Shared field rules come from `../fields` (schema.ts imports this file; no cycle).
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
import { z } from 'zod';
import { dnsSubdomain, goDuration, int32 } from '../fields';

/** `1.33`-style Kubernetes minor version of the cluster's control plane. */
const kubernetesVersion = z.string().regex(/^1\.[0-9]{1,3}$/, { message: 'must be a Kubernetes minor version such as "1.33" (quote it in YAML)' });

/** A Go duration as the cluster-autoscaler flags take it, e.g. `10m`, `90s`, `1h`. */
const duration = goDuration;

/** The minor version (`1.33`) of a cluster-autoscaler release tag (`v1.33.0`), or undefined. */
export function autoscalerMinor(tag: string): string | undefined {
  return /^v(1\.[0-9]+)\.[0-9]+$/.exec(tag)?.[1];
}

/** cluster.yaml. */
export const clusterSchema = z
  .strictObject({
    /** Minor version of the cluster; the cluster-autoscaler must be a release of the same minor. */
    kubernetesVersion,
    /**
     * Bounds of the worker node groups (design document: min 3, max 20). The Auto Scaling groups carry them
     * (infrastructure code); the autoscaler discovers the groups by tag and respects their bounds.
     */
    nodeGroups: z.strictObject({ minSize: int32().min(1), maxSize: int32().min(1) }),
    /** The cluster-autoscaler in kube-system (image registry.k8s.io/autoscaling/cluster-autoscaler). */
    autoscaler: z.strictObject({
      /** Release tag, `v<kubernetesVersion>.<patch>`, e.g. v1.33.0. */
      imageTag: z.string().min(1),
      /**
       * Name of the IAM role an EKS Pod Identity association gives the ServiceAccount kube-system/cluster-autoscaler
       * (created outside this repository, docs/cluster-and-gitops.md); documentation only: no account id or ARN
       * reaches the manifests.
       */
      podIdentityRole: z.string().regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, { message: 'must be an IAM role name such as finbot-cluster-cluster-autoscaler (a name, not an ARN)' }),
      /** --scale-down-delay-after-add. */
      scaleDownDelayAfterAdd: duration,
      /** --scale-down-unneeded-time. */
      scaleDownUnneededTime: duration,
    }),
    /** The StorageClass (EBS CSI) the data tier's volumes use; the design document names it fast-ssd. */
    storageClass: z.strictObject({
      name: dnsSubdomain,
      /** EBS volume type. */
      type: z.enum(['gp3', 'io2', 'io1']),
      /** Provisioned IOPS (gp3: 3000-16000). */
      iops: int32().min(100).max(256000),
      /** Throughput in MiB/s (gp3 only: 125-1000). */
      throughput: int32().min(125).max(1000).optional(),
      /** Retain keeps the EBS volume when its claim is deleted (data safety); Delete removes it. */
      reclaimPolicy: z.enum(['Retain', 'Delete']),
      /** Filesystem created on the volume. */
      fsType: z.enum(['ext4', 'xfs']).default('ext4'),
    }),
  })
  .superRefine((c, ctx) => {
    if (c.nodeGroups.minSize > c.nodeGroups.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['nodeGroups', 'minSize'], message: `minSize ${c.nodeGroups.minSize} is above maxSize ${c.nodeGroups.maxSize}` });
    }
    const tag = c.autoscaler.imageTag;
    const minor = autoscalerMinor(tag);
    if (minor === undefined) {
      ctx.addIssue({ code: 'custom', path: ['autoscaler', 'imageTag'], message: `"${tag}" is not a cluster-autoscaler release tag such as v${c.kubernetesVersion}.0` });
    } else if (minor !== c.kubernetesVersion) {
      ctx.addIssue({
        code: 'custom',
        path: ['autoscaler', 'imageTag'],
        message: `cluster-autoscaler ${tag} does not match kubernetesVersion ${c.kubernetesVersion}: use a v${c.kubernetesVersion}.x release (the autoscaler's minor must equal the cluster's)`,
      });
    }
    const s = c.storageClass;
    if (s.throughput !== undefined && s.type !== 'gp3') {
      ctx.addIssue({ code: 'custom', path: ['storageClass', 'throughput'], message: `throughput applies to gp3 volumes only; remove it or use type gp3 (got ${s.type})` });
    }
    if (s.type === 'gp3' && (s.iops < 3000 || s.iops > 16000)) {
      ctx.addIssue({ code: 'custom', path: ['storageClass', 'iops'], message: `gp3 iops must be between 3000 and 16000 (got ${s.iops})` });
    }
  });
/** Validated cluster.yaml. */
export type ClusterSettings = z.infer<typeof clusterSchema>;
