/**
 * capacity.yaml: what one worker node offers, so `npm run capacity` can tell whether the synthesized
 * workloads fit at their maximum replicas. How far the node group scales is the cluster section's
 * `nodeGroups` (the cluster autoscaler's bounds): one place for it.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/#node-allocatable
 */
import { z } from 'zod';
import { tryParseQuantity } from '../quantity';

// Own quantity checks (not schema.ts's): schema.ts imports this file, and a cycle would leave them undefined.
const cpu = z.string().regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, { message: 'must be a CPU quantity such as 3920m or 4' });
const memory = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)$/, { message: 'must be a memory quantity such as 14Gi or 15000Mi (note: "MB"/"GB" are not Kubernetes units; use Mi/Gi)' });

/** capacity.yaml. */
export const capacitySchema = z.strictObject({
  /** Allocatable resources of one worker node (capacity minus kubelet/system reservations and eviction threshold). */
  nodeAllocatable: z.strictObject({ cpu, memory }),
}).superRefine((c, ctx) => {
  for (const r of ['cpu', 'memory'] as const) {
    if ((tryParseQuantity(c.nodeAllocatable[r]) ?? 1) <= 0) {
      ctx.addIssue({ code: 'custom', path: ['nodeAllocatable', r], message: 'must be above zero' });
    }
  }
});

/** Validated capacity settings. */
export type CapacitySettings = z.infer<typeof capacitySchema>;

/** What a capacity report needs: node size (capacity.yaml) and node group bounds (cluster.yaml). */
export interface CapacityInput {
  readonly nodeAllocatable: CapacitySettings['nodeAllocatable'];
  readonly nodeGroup: { readonly min: number; readonly max: number };
}
