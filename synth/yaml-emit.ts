/**
 * A fast block-style YAML writer that gives exactly `yaml.dump(o, { noRefs: true, lineWidth: -1 })`'s
 * bytes for Kubernetes objects (what it saves per synth: docs/performance.md). js-yaml's dump, per call, builds a
 * presenter and decides the style of every scalar again, while manifests repeat the same few hundred
 * strings (label keys, names, ports) thousands of times.
 *
 * The structure (block mappings and sequences, 2-space indent, `- ` items, `{}`/`[]` when empty) is written
 * here; every scalar and key is still presented by js-yaml itself — once per distinct value and context,
 * then cached — so quoting rules (YAML 1.1 booleans like `y`, `'12:30'`, numbers) stay js-yaml's.
 * A multi-line value (a literal block scalar `|-`, as js-yaml writes config files and dashboards) is
 * presented at the top level and indented to where it stands: js-yaml chooses the style and header
 * independently of depth (no line width) and indents every non-empty content line by the depth.
 * Anything beyond that (multi-line keys, values ending in a blank line (`|+`, which js-yaml follows with
 * `...` at the end of a document), undefined, non-plain objects) makes the whole object go through
 * `yaml.dump`. Tests compare both writers on every synthesized object and on tricky values.
 */
import * as yaml from 'js-yaml';

const OPTIONS = { noRefs: true, lineWidth: -1 } as const;

/** The options this writer reproduces. */
export const DUMP_OPTIONS: Readonly<yaml.DumpOptions> = OPTIONS;

class Unsupported extends Error {}

/** Scalar texts per context: strings by value, and numbers/booleans/null by value (-0 is never cached). */
interface ScalarCache {
  readonly strings: Map<string, string>;
  readonly others: Map<unknown, string>;
}
const newCache = (): ScalarCache => ({ strings: new Map(), others: new Map() });
const valueCache = newCache();
const itemCache = newCache();
const keyCache = newCache();

/**
 * js-yaml's text for a scalar in a context, read off a one-entry document, without the final newline;
 * several lines only where `multiLine` (a block scalar, its content indented for the top level).
 */
function present(cache: ScalarCache, v: unknown, wrap: (v: unknown) => unknown, prefix: string, suffix: string, multiLine: boolean): string {
  const isString = typeof v === 'string';
  if (!isString && typeof v !== 'number' && typeof v !== 'boolean' && v !== null) throw new Unsupported();
  // Map keys compare 0 and -0 as equal; js-yaml writes them differently, so -0 is never cached.
  const hit = isString ? cache.strings.get(v) : Object.is(v, -0) ? undefined : cache.others.get(v);
  if (hit !== undefined) return hit;
  const out = yaml.dump(wrap(v), OPTIONS);
  const oneLine = out.indexOf('\n') === out.length - 1;
  if (!out.startsWith(prefix) || !out.endsWith(suffix) || (!oneLine && (!multiLine || out.endsWith('\n...\n')))) throw new Unsupported();
  const text = out.slice(prefix.length, out.length - suffix.length);
  if (isString) cache.strings.set(v, text);
  else if (!Object.is(v, -0)) cache.others.set(v, text);
  return text;
}

const asValue = (v: unknown) => present(valueCache, v, (x) => ({ a: x }), 'a: ', '\n', true);
const asItem = (v: unknown) => present(itemCache, v, (x) => [x], '- ', '\n', true);
const asKey = (k: string) => present(keyCache, k, (x) => ({ [x as string]: 0 }), '', ': 0\n', false);

/** A presented scalar placed at an indent: each non-empty continuation line of a block scalar moves right. */
function indented(text: string, indent: string): string {
  return indent === '' || !text.includes('\n') ? text : text.replace(/\n(?=[^\n])/g, `\n${indent}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (!isPlainObject(v)) return false;
  for (const k in v) if (Object.hasOwn(v, k)) return false;
  return true;
}

function isCollection(v: unknown): boolean {
  return Array.isArray(v) || isPlainObject(v);
}

/** Lines of a non-empty mapping at an indent; the first line's indent is left to the caller. */
function mapping(obj: Record<string, unknown>, indent: string, out: string[], first: boolean): void {
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') throw new Unsupported();
    out.push(first ? asKey(key) : indent + asKey(key));
    first = false;
    afterKey(v, indent, out);
  }
}

function afterKey(v: unknown, indent: string, out: string[]): void {
  if (!isCollection(v)) {
    out.push(`: ${indented(asValue(v), indent)}\n`);
  } else if (isEmpty(v)) {
    out.push(Array.isArray(v) ? ': []\n' : ': {}\n');
  } else {
    out.push(':\n');
    if (Array.isArray(v)) sequence(v, `${indent}  `, out, false);
    else mapping(v as Record<string, unknown>, `${indent}  `, out, false);
  }
}

/** Lines of a non-empty sequence at an indent. */
function sequence(arr: readonly unknown[], indent: string, out: string[], first: boolean): void {
  for (const item of arr) {
    out.push(first ? '- ' : `${indent}- `);
    first = false;
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') throw new Unsupported();
    if (!isCollection(item)) out.push(`${indented(asItem(item), indent)}\n`);
    else if (isEmpty(item)) out.push(Array.isArray(item) ? '[]\n' : '{}\n');
    else if (Array.isArray(item)) sequence(item, `${indent}  `, out, true);
    else mapping(item as Record<string, unknown>, `${indent}  `, out, true);
  }
}

/** One YAML document for a JSON-like value, byte-identical to `yaml.dump(value, DUMP_OPTIONS)`. */
export function dumpYaml(value: unknown): string {
  if (!isPlainObject(value) || isEmpty(value)) return yaml.dump(value, OPTIONS);
  const out: string[] = [];
  try {
    mapping(value, '', out, true);
  } catch (err) {
    if (err instanceof Unsupported) return yaml.dump(value, OPTIONS);
    throw err;
  }
  return out.join('');
}
