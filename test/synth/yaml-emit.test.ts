/** The fast YAML writer gives exactly js-yaml's bytes. */
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DUMP_OPTIONS, dumpYaml } from '../../synth/yaml-emit';
import { ENVIRONMENTS, synthObjects } from '../helpers';
import { TRICKY_STRINGS, TRICKY_VALUES } from './yaml-fixtures';

const reference = (v: unknown) => yaml.dump(v, DUMP_OPTIONS);

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
