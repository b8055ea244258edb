import { describe, expect, it } from 'vitest';
import * as yaml from 'js-yaml';
import { setYamlScalar } from '../../tools/release/yaml-edit';

const text = `# header comment
api:
  # which colour is live
  active: blue   # trailing comment
  colours:
    blue: { tag: v1.0.0 }
    green:
      tag: v1.0.0 # block style
  canaryPercent: 0
web:
  image: { registry: docker.io, repository: finbot/web, tag: v4.0.0 }
  active: other
`;

describe('setYamlScalar', () => {
  it('replaces a block scalar and keeps its comments', () => {
    const out = setYamlScalar(text, ['api', 'active'], 'green');
    expect(out).toContain('  active: green   # trailing comment\n');
    expect(out).toContain('# which colour is live');
    expect(out.split('\n').length).toBe(text.split('\n').length);
    expect(out).toContain('  active: other'); // same key elsewhere untouched
  });

  it('replaces a key inside a one-line flow mapping', () => {
    expect(setYamlScalar(text, ['api', 'colours', 'blue', 'tag'], 'v2.0.0')).toContain('    blue: { tag: v2.0.0 }\n');
    expect(setYamlScalar(text, ['web', 'image', 'tag'], 'v4.1.0')).toContain('  image: { registry: docker.io, repository: finbot/web, tag: v4.1.0 }\n');
  });

  it('replaces a nested block scalar', () => {
    expect(setYamlScalar(text, ['api', 'colours', 'green', 'tag'], 'v3')).toContain('      tag: v3 # block style\n');
  });

  it('changes nothing but the one value', () => {
    const out = setYamlScalar(text, ['api', 'canaryPercent'], '10');
    const diff = out.split('\n').filter((l, i) => l !== text.split('\n')[i]);
    expect(diff).toEqual(['  canaryPercent: 10']);
  });

  it('refuses a missing key, a mapping as target, and values that would need quoting', () => {
    expect(() => setYamlScalar(text, ['api', 'missing'], 'x')).toThrow('key api.missing not found');
    expect(() => setYamlScalar(text, ['api', 'colours', 'blue', 'nope'], 'x')).toThrow('key api.colours.blue.nope not found');
    expect(() => setYamlScalar(text, ['web', 'image'], 'x')).toThrow('web.image is not a scalar');
    expect(() => setYamlScalar(text, ['api', 'active'], 'a: b')).toThrow('refusing to write "a: b": only plain values (letters, digits, . _ -, and an @sha256: digest) are edited');
    expect(() => setYamlScalar(text, ['api', 'active'], 'v1@latest')).toThrow('refusing to write "v1@latest"');
    expect(() => setYamlScalar(text, [], 'x')).toThrow('empty key path');
  });

  it('keeps every other byte: flow mappings over several lines, comments inside them, quoted values, blank lines', () => {
    const tricky = `# settings\n\napi:\n  colours: {\n    blue: { tag: "v1.0.0" },  # quoted\n    green: {tag: v1.0.0}\n  }\n\n  note: 'keep: me'   # spaced\n`;
    const out = setYamlScalar(tricky, ['api', 'colours', 'green', 'tag'], 'v2.0.0');
    expect(out).toBe(tricky.replace('green: {tag: v1.0.0}', 'green: {tag: v2.0.0}'));
    expect(setYamlScalar(tricky, ['api', 'colours', 'blue', 'tag'], 'v3')).toBe(tricky.replace('"v1.0.0"', '"v3"'));
  });

  it('writes a digest-pinned tag (tag@sha256:hex) in block and flow mappings, parsed back as the same string', () => {
    const pinned = `v4.1.0@sha256:${'0a'.repeat(32)}`;
    const flow = setYamlScalar(text, ['web', 'image', 'tag'], pinned);
    expect(flow).toContain(`  image: { registry: docker.io, repository: finbot/web, tag: ${pinned} }\n`);
    expect((yaml.load(flow) as any).web.image.tag).toBe(pinned);
    const block = setYamlScalar(text, ['api', 'colours', 'green', 'tag'], pinned);
    expect((yaml.load(block) as any).api.colours.green.tag).toBe(pinned);
    expect(setYamlScalar(flow, ['web', 'image', 'tag'], 'v4.2.0')).toBe(setYamlScalar(text, ['web', 'image', 'tag'], 'v4.2.0'));
  });

  it('refuses text that is not one valid YAML document', () => {
    expect(() => setYamlScalar('a: [1, 2\n', ['a'], 'x')).toThrow('not valid YAML');
    expect(() => setYamlScalar('a: 1\n---\na: 2\n', ['a'], 'x')).toThrow('expected one YAML document, found 2');
  });
});
