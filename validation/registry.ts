/** Every rule, by family. To add a rule: write it in rules/<family>.ts and it is picked up from here. */
import type { Rule } from './rule';
import { argocdRules } from './rules/argocd';
import { crossReferenceRules } from './rules/cross-references';
import { copiedDatabasePasswordRule, dataClientRule, operatorBehaviourRules } from './rules/operator-behaviour';
import { disasterRecoveryRules } from './rules/disaster-recovery';
import { ownBackupBucketRule } from './rules/backup-buckets';
import { edgeRules } from './rules/edge';
import { monitoringSelectionRules, operatorReferenceRules } from './rules/operator-references';
import { monitoringRules } from './rules/monitoring';
import { podSecurityRules } from './rules/pod-security';
import { reachabilityRules } from './rules/reachability';
import { operatorWorkloadRules } from './rules/operator-workloads';
import { schemaRules } from './rules/schema-rules';
import { trafficSafetyRules } from './rules/traffic-safety';
import { alertRunbookRule } from './rules/alert-runbooks';
import { workloadPolicyRules } from './rules/workload-policy';

/** All rules in report order. */
export const RULES: readonly Rule[] = [...schemaRules, ...podSecurityRules, ...workloadPolicyRules, ...crossReferenceRules, ...operatorReferenceRules, ...operatorBehaviourRules, ...monitoringSelectionRules, ...monitoringRules, alertRunbookRule, ...reachabilityRules, ...trafficSafetyRules, dataClientRule, copiedDatabasePasswordRule, ...operatorWorkloadRules, ...edgeRules, ...argocdRules, ...disasterRecoveryRules, ownBackupBucketRule];

/** A rule by id; throws for an unknown id (a typo in an exemption or a test). */
export function ruleById(id: string): Rule {
  const r = RULES.find((x) => x.id === id);
  if (!r) throw new Error(`unknown rule "${id}"; known rules: ${RULES.map((x) => x.id).join(', ')}`);
  return r;
}
