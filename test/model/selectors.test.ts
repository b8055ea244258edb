/** selectMatching: the indexed lookup the validation uses gives exactly what filtering with matchesSelector gives. */
import { describe, expect, it } from 'vitest';
import { matchesSelector, selectMatching, type LabelSelector } from '../../model/selectors';

const items = Array.from({ length: 120 }, (_, i) => ({ labels: { app: `a${i % 7}`, tier: i % 2 ? 'x' : 'y', shard: String(i % 3) } }));
const SELECTORS: Array<LabelSelector | undefined> = [
  undefined,
  {},
  { matchLabels: {} },
  { matchLabels: { app: 'a1' } },
  { matchLabels: { app: 'a1', tier: 'x' } },
  { matchLabels: { app: 'nobody' } },
  { matchExpressions: [{ key: 'shard', operator: 'In', values: ['1'] }] },
  { matchLabels: { tier: 'y' }, matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a2'] }] },
  { matchLabels: { tier: 'y' }, matchExpressions: [{ key: 'app', operator: 'Bogus' }] },
  'malformed' as unknown as LabelSelector,
  { matchLabels: 'malformed' } as unknown as LabelSelector,
];

describe('selectMatching', () => {
  it.each(SELECTORS.map((s) => [JSON.stringify(s) ?? 'undefined', s] as const))('%s: the same items, in the same order, as filtering', (_name, selector) => {
    expect(selectMatching(items, selector)).toEqual(items.filter((i) => matchesSelector(selector, i.labels)));
  });

  it('finds the items of a later selector through the index built for an earlier one', () => {
    expect(selectMatching(items, { matchLabels: { app: 'a3' } }).length).toBeGreaterThan(0);
    expect(selectMatching(items, { matchLabels: { app: 'a4', shard: '0' } })).toEqual(items.filter((i) => i.labels.app === 'a4' && i.labels.shard === '0'));
  });
});
