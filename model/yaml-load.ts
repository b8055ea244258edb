/**
 * A fast reader for the YAML this project writes (synth/yaml-emit.ts, i.e. js-yaml's block style): documents
 * separated by `---`, block mappings and sequences indented by two spaces, `- ` items (with the first key or
 * item on the dash's line), `{}` and `[]`, one scalar per line, literal block scalars (`|`, `|-`, `|2-`).
 * js-yaml's `loadAll` builds an event stream and resolves every scalar again, while manifests repeat the same
 * few hundred scalars thousands of times; what this saves per run is in docs/performance.md.
 *
 * The structure is read here; every scalar and key is still read by js-yaml itself — once per distinct
 * text and context, then cached — so types, quoting and escapes (`'yes'`, `"\u00e9"`, `1e3`, `~`) stay
 * js-yaml's. Anything else in a text (comments, flow collections, anchors, aliases, tags, `...`, tabs or
 * carriage returns, indentation other than js-yaml's, multi-line plain or quoted scalars, `|+`, duplicate
 * or `<<` keys, a scalar js-yaml reads as an object such as a timestamp) makes the whole text go through
 * `yaml.loadAll`, which also gives its error messages. Tests compare both readers on every file of dist/
 * and on tricky values.
 */
import * as yaml from 'js-yaml';

/** Thrown inside the reader for anything outside its subset. */
const NOT_OURS = Symbol('not written by yaml-emit');

interface Line {
  indent: number;
  /** Without the indentation; '' for an empty or blank line. */
  text: string;
  /** The whole line (block scalar content keeps the spaces of blank lines). */
  raw: string;
}

/** Scalar values by their text, per context (a mapping value, a sequence item). Primitives only. */
const valueCache = new Map<string, unknown>();
const itemCache = new Map<string, unknown>();
const keyCache = new Map<string, string>();

function isPrimitive(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function');
}

/** js-yaml's reading of a one-line scalar as a mapping value (`a: TEXT`) or a sequence item (`- TEXT`). */
function scalar(text: string, item: boolean): unknown {
  const cache = item ? itemCache : valueCache;
  if (cache.has(text)) return cache.get(text);
  const first = text[0];
  // Flow collections, anchors, aliases, tags, comments, block indicators, directives: not one scalar.
  if (first === '{' || first === '[' || first === '&' || first === '*' || first === '!' || first === '#' || first === '|' || first === '>' || first === '%' || first === '@' || first === '`') throw NOT_OURS;
  let v: unknown;
  try {
    v = item ? (yaml.load(`- ${text}\n`) as unknown[])[0] : (yaml.load(`a: ${text}\n`) as { a: unknown }).a;
  } catch {
    throw NOT_OURS;
  }
  if (!isPrimitive(v)) throw NOT_OURS;
  cache.set(text, v);
  return v;
}

/** js-yaml's reading of a mapping key. */
function key(text: string): string {
  const hit = keyCache.get(text);
  if (hit !== undefined) return hit;
  let doc: unknown;
  try {
    doc = yaml.load(`${text}: 0\n`);
  } catch {
    throw NOT_OURS;
  }
  const keys = doc !== null && typeof doc === 'object' ? Object.keys(doc) : [];
  if (keys.length !== 1 || keys[0] === '__proto__' || keys[0] === '<<') throw NOT_OURS;
  keyCache.set(text, keys[0]!);
  return keys[0]!;
}

/**
 * Where a mapping key ends in a line (the index of its `:`), or -1 when the line is not `key: value` /
 * `key:`. Quoted keys may hold `: `; plain ones cannot (js-yaml quotes them).
 */
function keyEnd(text: string): number {
  let i = 0;
  if (text[0] === "'") {
    for (i = 1; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") i++;
        else break;
      }
    }
    i++;
  } else if (text[0] === '"') {
    for (i = 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') break;
    }
    i++;
  } else {
    const at = text.indexOf(': ');
    if (at >= 0) return at;
    return text.endsWith(':') ? text.length - 1 : -1;
  }
  return text[i] === ':' && (i + 1 === text.length || text[i + 1] === ' ') ? i : -1;
}

class Reader {
  private i = 0;

  constructor(private readonly lines: Line[]) {}

  get done(): boolean {
    return this.i >= this.lines.length;
  }

  /** The next document: a block node at indent 0, then `---` or the end. */
  document(): unknown {
    const line = this.lines[this.i];
    if (line === undefined || line.indent !== 0) throw NOT_OURS;
    const v = this.node(0, -1, false);
    const next = this.lines[this.i];
    if (next !== undefined) {
      if (next.indent !== 0 || next.text !== '---') throw NOT_OURS;
      this.i++;
    }
    return v;
  }

  /**
   * The node whose first line is the current one, at `indent`; `parent` is the indent of the line that
   * owns it (for block scalar content); `item`: a sequence item (a lone scalar allowed).
   */
  private node(indent: number, parent: number, item: boolean): unknown {
    const line = this.lines[this.i]!;
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent);
    if (keyEnd(line.text) >= 0) return this.mapping(indent);
    if (!item) throw NOT_OURS;
    this.i++;
    return this.value(line.text, parent, true);
  }

  /** A scalar, `{}`, `[]` or block scalar written after `key: ` or `- `. */
  private value(text: string, parent: number, item: boolean): unknown {
    if (text === '{}') return {};
    if (text === '[]') return [];
    if (text[0] === '|') return this.blockScalar(text, parent);
    return scalar(text, item);
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.lines[this.i]; line !== undefined && line.indent === indent && !(indent === 0 && line.text === '---'); line = this.lines[this.i]) {
      const end = keyEnd(line.text);
      if (end < 0) throw NOT_OURS;
      const k = key(line.text.slice(0, end));
      if (Object.hasOwn(out, k)) throw NOT_OURS;
      const rest = line.text.slice(end + 1).trimStart();
      this.i++;
      if (rest === '') {
        const next = this.lines[this.i];
        if (next === undefined || next.indent !== indent + 2) throw NOT_OURS;
        out[k] = this.node(indent + 2, indent, false);
      } else {
        if (rest[0] === '#') throw NOT_OURS;
        out[k] = this.value(rest, indent, false);
      }
    }
    const after = this.lines[this.i];
    if (after !== undefined && after.indent > indent) throw NOT_OURS;
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.lines[this.i]; line !== undefined && line.indent === indent && (line.text === '-' || line.text.startsWith('- ')); line = this.lines[this.i]) {
      if (line.text === '-') throw NOT_OURS;
      // The item starts on the dash's line, two columns right: read that line as if it stood there.
      this.lines[this.i] = { indent: indent + 2, text: line.text.slice(2), raw: line.raw };
      out.push(this.node(indent + 2, indent, true));
    }
    const after = this.lines[this.i];
    if (after !== undefined && after.indent > indent) throw NOT_OURS;
    return out;
  }

  /** A literal block scalar; its content is every following line indented past `parent` (or empty). */
  private blockScalar(header: string, parent: number): string {
    if (!/^\|[1-9]?-?$/.test(header)) throw NOT_OURS;
    const content: string[] = [];
    for (let line = this.lines[this.i]; line !== undefined && (line.text === '' || line.indent > parent); line = this.lines[this.i]) {
      content.push(line.raw.length > parent ? line.raw.slice(parent) : '');
      this.i++;
    }
    let v: unknown;
    try {
      v = (yaml.load(`a: ${header}\n${content.join('\n')}\n`) as { a: unknown }).a;
    } catch {
      throw NOT_OURS;
    }
    if (typeof v !== 'string') throw NOT_OURS;
    return v;
  }
}

/** The lines of a text with their indentation, or NOT_OURS for tabs, carriage returns or no final newline. */
function linesOf(text: string): Line[] {
  if (text.includes('\r') || text.includes('\t') || (text.length > 0 && !text.endsWith('\n'))) throw NOT_OURS;
  const raw = text.split('\n');
  raw.pop();
  const lines: Line[] = [];
  for (const l of raw) {
    let n = 0;
    while (l.charCodeAt(n) === 32) n++;
    lines.push({ indent: n, text: l.slice(n), raw: l });
  }
  return lines;
}

/**
 * The documents of a YAML stream as js-yaml's `loadAll(text)` gives them, read fast when the text is in
 * the block style this project writes; `undefined` when it is not (then use js-yaml).
 */
export function readOwnYaml(text: string): unknown[] | undefined {
  try {
    const lines = linesOf(text);
    // An empty line stands only inside block scalars, which the reader consumes.
    const reader = new Reader(lines);
    const docs: unknown[] = [];
    while (!reader.done) docs.push(reader.document());
    return docs;
  } catch (e) {
    if (e === NOT_OURS) return undefined;
    throw e;
  }
}

/** `yaml.loadAll(text, options)`, read fast when the text is in the block style this project writes. */
export function loadYamlStream(text: string, options?: yaml.LoadOptions): unknown[] {
  return readOwnYaml(text) ?? yaml.loadAll(text, options);
}
