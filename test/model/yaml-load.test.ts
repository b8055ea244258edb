/** The fast YAML reader gives exactly js-yaml's documents, and leaves whatever it does not know to js-yaml. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DIST_DIR } from '../../config/paths';
import { dumpYaml } from '../../synth/yaml-emit';
import { loadYamlStream, readOwnYaml } from '../../model/yaml-load';
import { ENVIRONMENTS } from '../helpers';
import { TRICKY_STRINGS, TRICKY_VALUES } from '../synth/yaml-fixtures';

describe('readOwnYaml', () => {
  it.each(ENVIRONMENTS)('%s: reads every file of dist/ itself, exactly as js-yaml does', (env) => {
    for (const f of readdirSync(join(DIST_DIR, env))) {
      const text = readFileSync(join(DIST_DIR, env, f), 'utf8');
      const fast = readOwnYaml(text);
      expect(fast, `${env}/${f} was left to js-yaml`).toBeDefined();
      expect(fast, `${env}/${f}`).toStrictEqual(yaml.loadAll(text));
    }
  });

  it('tricky strings as values, keys and items, several documents', () => {
    for (const s of TRICKY_STRINGS) {
      const doc = { metadata: { name: s, labels: { [s || 'empty']: s } }, list: [s, [s], { [s || 'k']: [s] }], after: 1 };
      const text = `${dumpYaml(doc)}---\n${dumpYaml({ second: [s] })}`;
      const expected = yaml.loadAll(text);
      expect(loadYamlStream(text), JSON.stringify(s)).toStrictEqual(expected);
      const fast = readOwnYaml(text);
      // A multi-line key is a complex key (`? |-`), outside the subset; every one-line string is in it.
      if (!s.includes('\n')) expect(fast, JSON.stringify(s)).toBeDefined();
      if (fast !== undefined) expect(fast, JSON.stringify(s)).toStrictEqual(expected);
    }
  });

  it('multi-line strings as values and items (block scalars) are read in the subset', () => {
    for (const s of TRICKY_STRINGS.filter((t) => t.includes('\n'))) {
      const text = dumpYaml({ a: s, list: [s, { k: s }, [s]], nested: { deeper: { b: s } }, after: 1 });
      const expected = yaml.loadAll(text);
      // Only values js-yaml writes with a trailing blank line (|+, then `...`) leave it.
      const fast = readOwnYaml(text);
      if (!/\n\n$/.test(s) && s !== '\n') expect(fast, JSON.stringify(s)).toBeDefined();
      if (fast !== undefined) expect(fast, JSON.stringify(s)).toStrictEqual(expected);
      expect(loadYamlStream(text)).toStrictEqual(expected);
    }
  });

  it('numbers, booleans, null and nested empty collections', () => {
    for (const v of TRICKY_VALUES) {
      const text = dumpYaml({ v, list: [v, { v }], nested: { deeper: { v } } });
      expect(readOwnYaml(text)).toStrictEqual(yaml.loadAll(text));
    }
  });

  it.each([
    ['a comment line', 'a: 1\n# note\nb: 2\n'],
    ['a comment after a key', 'a: # note\n  b: 1\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a flow sequence', 'a: [1, 2]\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'base: &b {x: 1}\nc:\n  <<: *b\n'],
    ['a document end marker', 'a: |+\n  x\n\n...\n'],
    ['a leading document marker', '---\na: 1\n'],
    ['a tab', 'a: x\ty\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['no final newline', 'a: 1'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['other indentation', 'a:\n    b: 1\n'],
    ['a folded scalar', 'a: >\n  x\n'],
    ['a blank line between keys', 'a: 1\n\nb: 2\n'],
    ['a top-level scalar', 'hello\n'],
  ])('leaves %s to js-yaml, with the same result', (_what, text) => {
    expect(readOwnYaml(text)).toBeUndefined();
    expect(loadYamlStream(text)).toStrictEqual(yaml.loadAll(text));
  });

  it('duplicate keys fail as in js-yaml', () => {
    const text = 'a: 1\na: 2\n';
    expect(readOwnYaml(text)).toBeUndefined();
    expect(() => loadYamlStream(text)).toThrow(/duplicated mapping key/);
  });

  it('a reader that got it wrong would be caught: the comparison is strict', () => {
    expect(readOwnYaml("a: 'true'\nb: true\nc:\n  - - 1\n    - '2'\n  - d: |-\n      x\n\n      y\n")).toStrictEqual([{ a: 'true', b: true, c: [[1, '2'], { d: 'x\n\ny' }] }]);
  });
});
