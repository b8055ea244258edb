/**
 * Exceptions to rules. Two ways, both need a reason:
 *  - settings `validation.exemptions: [{ rule, object, reason }]` (rule id or family prefix such as `pss/`),
 *  - the annotation `finbot.io/validation-exempt: "<rule-id>[,<rule-id>...]: <reason>"` on the object
 *    (or on its pod template for workloads).
 */
import { objectId } from '../model/object-id';
import type { Exemption, KubeObject } from './types';

/** Annotation that exempts an object from rules. */
export const EXEMPT_ANNOTATION = 'finbot.io/validation-exempt';

function ruleMatches(pattern: string, rule: string): boolean {
  const p = pattern.trim();
  return p === rule || (p.endsWith('/') && rule.startsWith(p)) || p === '*';
}

/** Rule ids listed in the exempt annotation of an object or its pod template ("ids: reason"). */
export function annotatedExemptions(o: KubeObject): string[] {
  const spec = o.spec as { template?: { metadata?: { annotations?: Record<string, string> } }; jobTemplate?: { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } } } | undefined;
  const values = [o.metadata.annotations?.[EXEMPT_ANNOTATION], spec?.template?.metadata?.annotations?.[EXEMPT_ANNOTATION], spec?.jobTemplate?.spec?.template?.metadata?.annotations?.[EXEMPT_ANNOTATION]];
  return values.filter((v): v is string => typeof v === 'string' && v.includes(':')).flatMap((v) => v.slice(0, v.indexOf(':')).split(','));
}

/** True when the rule is switched off for the object. */
export function isExempt(rule: string, o: KubeObject, exemptions: readonly Exemption[]): boolean {
  const id = objectId(o);
  if (exemptions.some((e) => e.object === id && ruleMatches(e.rule, rule))) return true;
  return annotatedExemptions(o).some((p) => ruleMatches(p, rule));
}
