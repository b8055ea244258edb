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

/** Per list of labelled items (the cluster model's pods, Services): the items carrying each `key\0value`. */
const labelIndexes = new WeakMap<readonly { readonly labels: Labels }[], Map<string, Array<{ readonly labels: Labels }>>>();

/**
 * `items.filter((i) => matchesSelector(selector, i.labels))`, order kept, found through an index of the items'
 * labels (built once per list, which must not change afterwards) when the selector has a `matchLabels` pair:
 * matching every Service or monitor against every pod would otherwise grow with the square of the output.
 */
export function selectMatching<T extends { readonly labels: Labels }>(items: readonly T[], selector: LabelSelector | undefined): T[] {
  const pairs = selector && typeof selector === 'object' && selector.matchLabels && typeof selector.matchLabels === 'object' ? Object.entries(selector.matchLabels) : [];
  if (pairs.length === 0) return items.filter((i) => matchesSelector(selector, i.labels));
  let index = labelIndexes.get(items);
  if (!index) {
    index = new Map();
    for (const item of items) {
      for (const [k, v] of Object.entries(item.labels ?? {})) {
        const key = `${k}\0${String(v)}`;
        const list = index.get(key);
        if (list) list.push(item);
        else index.set(key, [item]);
      }
    }
    labelIndexes.set(items, index);
  }
  // Candidates: the items with the rarest of the pairs (a superset of the matches), then the exact test.
  let candidates: ReadonlyArray<{ readonly labels: Labels }> | undefined;
  for (const [k, v] of pairs) {
    const list = index.get(`${k}\0${String(v)}`) ?? [];
    if (candidates === undefined || list.length < candidates.length) candidates = list;
  }
  return (candidates as T[]).filter((i) => matchesSelector(selector, i.labels));
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
