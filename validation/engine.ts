/** Runs rules over the objects of one environment and turns findings into violations. */
import { buildClusterModel } from '../model/cluster-model';
import { isExempt } from './exemptions';
import { objectId } from '../model/object-id';
import { RULES } from './registry';
import type { Rule, RuleContext } from './rule';
import type { SourcedObject, ValidationOptions, Violation } from './types';

/** Builds what rules look at from the objects of one environment. */
export function ruleContext(objects: readonly SourcedObject[], options: ValidationOptions = {}): RuleContext {
  const cluster = buildClusterModel(objects, options.externalNamespaces ?? []);
  // The same PodTemplate objects as the cluster model's pods, so rules can map one to the other.
  const pods = cluster.pods.flatMap((p) => (p.template ? [p.template] : []));
  return { objects, pods, cluster, options };
}

/**
 * Validates the objects of ONE environment (cross-references never span environments). Returns the
 * violations of every rule, exemptions applied, in rule order.
 */
export async function validateObjects(objects: readonly SourcedObject[], options: ValidationOptions = {}, rules: readonly Rule[] = RULES): Promise<Violation[]> {
  const out: Violation[] = [];
  let ctx: RuleContext;
  let run = rules;
  try {
    ctx = ruleContext(objects, options);
  } catch (err) {
    // Without the model only the schema rules can run; they say what is malformed.
    out.push({ rule: 'engine/model', object: '(output)', file: '', path: '', message: `could not build the cluster model: ${(err as Error).stack ?? String(err)}`, fix: 'Fix the schema violations below; if there are none, fix validation/cluster-model.ts.' });
    ctx = { objects, pods: [], cluster: buildClusterModel([]), options };
    run = rules.filter((r) => r.id.startsWith('schema/'));
  }
  for (const rule of run) {
    let findings;
    try {
      findings = await rule.check(ctx);
    } catch (err) {
        // A rule must never hide other rules' results; its crash is a violation of its own.
      out.push({ rule: rule.id, object: '(rule)', file: '', path: '', message: `rule crashed: ${(err as Error).stack ?? String(err)}`, fix: 'Fix the rule in validation/rules/ (the output may have a shape it does not expect).' });
      continue;
    }
    for (const f of findings) {
      if (isExempt(rule.id, f.source.object, options.exemptions ?? [])) continue;
      out.push({ rule: rule.id, object: objectId(f.source.object), file: f.source.file, path: f.path, message: f.message, fix: f.fix ?? rule.fix });
    }
  }
  return out;
}
