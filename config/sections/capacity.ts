/**
 * capacity.yaml: what one worker node offers, so `npm run capacity` can tell whether the synthesized
 * workloads fit at their maximum replicas. How far the node group scales is the cluster section's
 * `nodeGroups` (the cluster autoscaler's bounds): one place for it.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/#node-allocatable
 */
import { z } from 'zod';
import { cpuQuantity, memoryQuantity } from '../fields';
import { tryParseQuantity } from '../quantity';

const cpu = cpuQuantity;
const memory = memoryQuantity;

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
