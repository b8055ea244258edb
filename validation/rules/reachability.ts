/** NetworkPolicy reachability (placeholder until the evaluator lands). */
import type { Rule } from '../rule';

/** Reachability rules (ids `netpol/*`). */
export const reachabilityRules: readonly Rule[] = [];
