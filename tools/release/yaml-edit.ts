/**
 * Line-level edits of settings YAML that keep every comment and the layout: set one scalar, found by its
 * key path, in block style (`key: value  # comment`) or inside a one-line flow mapping
 * (`image: { registry: docker.io, tag: v1 }`). Anything else is refused, never guessed.
 */

/** Thrown when a key path cannot be edited safely. */
export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const isContent = (line: string): boolean => line.trim() !== '' && !line.trimStart().startsWith('#');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A plain scalar that needs no quotes in YAML (tags, colours, numbers). */
function assertPlain(value: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(value)) throw new YamlEditError(`refusing to write "${value}": only plain values (letters, digits, . _ -) are edited`);
}

/** Replaces the value of `key` inside a one-line flow mapping; undefined when the key is not there. */
function setInFlow(line: string, key: string, value: string): string | undefined {
  const open = line.indexOf('{');
  const close = line.lastIndexOf('}');
  if (open < 0 || close < open) return undefined;
  const inner = line.slice(open + 1, close);
  const re = new RegExp(`(^|,)(\\s*${escape(key)}\\s*:\\s*)([^,}]*?)(\\s*)(?=,|$)`);
  if (!re.test(inner)) return undefined;
  return line.slice(0, open + 1) + inner.replace(re, (_m, sep: string, pre: string, _old: string, post: string) => `${sep}${pre}${value}${post}`) + line.slice(close);
}

/**
 * Sets the scalar at `path` (e.g. ['api', 'colours', 'green', 'tag']) to `value`, keeping comments.
 * @throws YamlEditError when the path is missing or not a plain scalar / one-line flow mapping.
 */
export function setYamlScalar(text: string, path: readonly string[], value: string): string {
  if (path.length === 0) throw new YamlEditError('empty key path');
  assertPlain(value);
  const lines = text.split('\n');
  let start = 0;
  let end = lines.length;
  let parentIndent = -1;
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth];
    const keyRe = new RegExp(`^(\\s*)${escape(key)}\\s*:(\\s|$)`);
    let found = -1;
    let childIndent = -1;
    for (let i = start; i < end; i++) {
      if (!isContent(lines[i])) continue;
      const ind = indentOf(lines[i]);
      if (ind <= parentIndent) break;
      if (childIndent < 0) childIndent = ind;
      if (ind !== childIndent) continue;
      if (keyRe.test(lines[i])) { found = i; break; }
    }
    if (found < 0) throw new YamlEditError(`key ${path.slice(0, depth + 1).join('.')} not found`);
    const line = lines[found];
    const rest = path.slice(depth + 1);
    if (rest.length === 0) {
      const m = /^(\s*[^:#]+:\s*)([^#\s][^#]*?)(\s*(#.*)?)$/.exec(line);
      if (!m || m[2].startsWith('{') || m[2].startsWith('[') || m[2].startsWith('|') || m[2].startsWith('>')) {
        throw new YamlEditError(`${path.join('.')} is not a plain scalar on one line`);
      }
      lines[found] = `${m[1]}${value}${m[3]}`;
      return lines.join('\n');
    }
    if (line.includes('{')) {
      if (rest.length !== 1) throw new YamlEditError(`${path.join('.')}: nested flow mappings are not edited`);
      const edited = setInFlow(line, rest[0], value);
      if (edited === undefined) throw new YamlEditError(`key ${path.join('.')} not found`);
      lines[found] = edited;
      return lines.join('\n');
    }
    parentIndent = indentOf(line);
    start = found + 1;
    let j = start;
    while (j < lines.length && (!isContent(lines[j]) || indentOf(lines[j]) > parentIndent)) j++;
    end = j;
  }
  throw new YamlEditError(`key ${path.join('.')} not found`);
}
