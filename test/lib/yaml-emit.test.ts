/** The fast YAML writer gives exactly js-yaml's bytes. */
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DUMP_OPTIONS, dumpYaml } from '../../lib/yaml-emit';
import { ENVIRONMENTS, synthObjects } from '../helpers';

const reference = (v: unknown) => yaml.dump(v, DUMP_OPTIONS);

const TRICKY_STRINGS = [
  '', ' ', ' lead', 'trail ', 'yes', 'no', 'y', 'n', 'on', 'off', 'true', 'False', 'null', '~', '12:30', '1e3', '0x1F', '0o17', '1_000',
  '.5', '-1', '+1', '.inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', 'a: b', 'a:b', '#x', 'x #y', '- x', '-x', '? x', '*ref', '&a', '!tag',
  '%x', '@x', '`x', '|', '>', "it's", '"q"', '{a}', '[a]', 'a,b', 'tab\tin', '\u00e9t\u00e9', '\u{1F600}', 'x'.repeat(300), 'multi\nline', 'trailing\n',
  'app.kubernetes.io/name', 'docker.io/finbot/api:v4.0.0', '250m', '256Mi', '0', '007', 'http://finbot-api.production.svc.cluster.local:3001', '\u0000', '\u2028',
  // Multi-line: block scalars (|-, |, |2 with a leading space, |+ followed by `...`), empty and blank lines.
  ' lead\nx\n', 'x\n\n', 'a\n\nb', 'a\n  \nb', '\n', '\nfirst empty', 'x\r\ny', 'tab\n\tx', 'space \nx', 'a\n    deeper\nb\n', '- a\n- b', 'k: v\nl: w',
];
const TRICKY_VALUES: unknown[] = [0, -0, 1.5, -2, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, [], {}, [[]], [{}], [[1, [2, []]]], [{ a: [{ b: {} }] }]];

describe('dumpYaml', () => {
  it.each(ENVIRONMENTS)('%s: every synthesized object is dumped byte for byte like js-yaml', (env) => {
    for (const o of synthObjects(env)) expect(dumpYaml(o)).toBe(reference(o));
  });

  it('tricky strings as values, keys and sequence items', () => {
    for (const s of TRICKY_STRINGS) {
      const doc = { metadata: { name: s, labels: { [s || 'empty']: s } }, list: [s, [s], { [s || 'k']: [s] }] };
      expect(dumpYaml(doc)).toBe(reference(doc));
    }
  });

  it('numbers, booleans, null and nested empty collections', () => {
    for (const v of TRICKY_VALUES) {
      const doc = { v, list: [v, { v }], nested: { deeper: { v } } };
      expect(dumpYaml(doc)).toBe(reference(doc));
    }
  });

  it('falls back to js-yaml for what it does not write itself', () => {
    for (const doc of [{ a: undefined, b: 1 }, { d: new Date(0) }, [1, 2], {}, 'text', { f: [undefined] }]) expect(dumpYaml(doc)).toBe(reference(doc));
  });

  it('a writer that got it wrong would be caught: the comparison is strict', () => {
    expect(dumpYaml({ a: 'yes' })).toBe("a: 'yes'\n");
    expect(dumpYaml({ a: [{ b: 1, c: [2] }] })).toBe('a:\n  - b: 1\n    c:\n      - 2\n');
  });
});
