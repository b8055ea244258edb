/**
 * Kubernetes label selectors: `matchLabels` plus `matchExpressions` (In, NotIn, Exists, DoesNotExist).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */

/** Labels of an object. */
export type Labels = Readonly<Record<string, string>>;

/** A selector expression. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** A LabelSelector (`{}` selects everything). */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly SelectorRequirement[];
}

/** True when the labels satisfy the selector; an empty selector matches everything. */
export function matchesSelector(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return true;
  if (typeof selector !== 'object') return false; // malformed: the schema rules report it
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const has = Object.hasOwn(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(l[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A Service-style selector (plain map): every pair must be present. */
export function matchesMap(selector: Labels | undefined, labels: Labels | undefined): boolean {
  return matchesSelector({ matchLabels: selector ?? {} }, labels);
}

/** `k=v,k2=v2` for messages. */
export function formatSelector(selector: LabelSelector | Labels | undefined): string {
  if (!selector) return '{}';
  if (typeof selector !== 'object') return JSON.stringify(selector);
  const s = selector as LabelSelector;
  const isSelector = 'matchLabels' in s || 'matchExpressions' in s;
  const ml = isSelector ? s.matchLabels ?? {} : (selector as Labels);
  const parts = Object.entries(ml).map(([k, v]) => `${k}=${v}`);
  if (isSelector) for (const e of Array.isArray(s.matchExpressions) ? s.matchExpressions : []) parts.push(`${e.key} ${e.operator} (${(e.values ?? []).join(',')})`);
  return parts.length ? parts.join(',') : '{} (everything)';
}
