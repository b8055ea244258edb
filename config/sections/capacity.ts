/**
 * capacity.yaml: what one worker node offers and how far the node group scales, so `npm run capacity`
 * can tell whether the synthesized workloads fit at their maximum replicas.
 *
 * Note for the lead: the node group bounds duplicate those of the cluster section (added in parallel);
 * merge them into one place once both are in.
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
  /** Bounds of the worker node group (the cluster autoscaler stays within them). */
  nodeGroup: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }),
}).superRefine((c, ctx) => {
  if (c.nodeGroup.min > c.nodeGroup.max) {
    ctx.addIssue({ code: 'custom', path: ['nodeGroup', 'min'], message: `min ${c.nodeGroup.min} is above max ${c.nodeGroup.max}` });
  }
  for (const r of ['cpu', 'memory'] as const) {
    if ((tryParseQuantity(c.nodeAllocatable[r]) ?? 1) <= 0) {
      ctx.addIssue({ code: 'custom', path: ['nodeAllocatable', r], message: 'must be above zero' });
    }
  }
});

/** Validated capacity settings. */
export type CapacitySettings = z.infer<typeof capacitySchema>;
