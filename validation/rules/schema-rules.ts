/** Schema rules: every object valid and strict against its schema (see validation/schema.ts). */
import { finding, type Rule, type RuleContext } from '../rule';
import { refreshSchemas, schemaCheck, type SchemaProblem } from '../schema';
import type { Finding } from '../types';

const cache = new WeakMap<RuleContext, Promise<Array<{ index: number; problem: SchemaProblem }>>>();

/** Schema problems of the context's objects, computed once for the three schema rules. */
function problems(ctx: RuleContext): Promise<Array<{ index: number; problem: SchemaProblem }>> {
  let p = cache.get(ctx);
  if (!p) {
    refreshSchemas();
    p = Promise.all(ctx.objects.map(async (s, index) => (await schemaCheck(s.object)).map((problem) => ({ index, problem })))).then((x) => x.flat());
    cache.set(ctx, p);
  }
  return p;
}

function ofKind(kind: SchemaProblem['kind']) {
  return async (ctx: RuleContext): Promise<Finding[]> =>
    (await problems(ctx)).filter((x) => x.problem.kind === kind).map((x) => finding(ctx.objects[x.index], x.problem.path, x.problem.message));
}

/** Schema rules. */
export const schemaRules: readonly Rule[] = [
  {
    id: 'schema/invalid',
    description: 'Every object is valid against its schema (types, enums, required fields, quantities, patterns): built-in kinds against the OpenAPI definitions of every Kubernetes version in cdk8s.yaml, custom resources against their CRD (imports/schemas).',
    fix: 'Correct the field in the construct or chart that writes it; the message names the schema rule that failed.',
    check: ofKind('invalid'),
  },
  {
    id: 'schema/unknown-field',
    description: 'No object has a field its schema does not declare (a typo or a field of another API version); fields the schema marks x-kubernetes-preserve-unknown-fields are free.',
    fix: 'Check the spelling and the API version of the object; remove the field or move it where the schema has it.',
    check: ofKind('unknown-field'),
  },
  {
    id: 'schema/unknown-kind',
    description: 'Every apiVersion/kind has a schema: a built-in kind of every Kubernetes version in cdk8s.yaml, or a CRD listed in cdk8s.yaml (imports: or schemas.crds:) and imported into imports/schemas.',
    fix: 'Fix the apiVersion/kind, or add the CRD\'s upstream URL at the pinned release to cdk8s.yaml `schemas.crds:` and run `npm run import`.',
    check: ofKind('unknown-kind'),
  },
];
