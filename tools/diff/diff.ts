/**
 * Semantic diff of synthesized output: which Kubernetes objects were added, removed or changed per
 * environment, and for changed ones which fields — summarised for people (container images by container
 * name, the same change in several places said once). Pure functions; `tools/diff/cli.ts` does the I/O.
 */
import type { DistObjects } from '../../model/dist-files';
import type { KubeObject } from '../../model/kube-object';
import { dump } from 'js-yaml';
import { compareText } from '../../model/text-order';

/** One changed leaf (or a whole added/removed sub-tree). `undefined` means absent. */
export interface FieldChange {
  /** Path segments: object keys, `[name]` for items of arrays keyed by `name`, `[i]` for other items. */
  readonly path: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

/** An object that was added, removed or changed. */
export interface ObjectChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly kind: string;
  readonly name: string;
  /** Namespace; undefined for cluster-scoped objects. */
  readonly namespace?: string;
  /** Changed fields (only for `changed`). */
  readonly fields: readonly FieldChange[];
  /** The whole object, for `added` (the new one) and `removed` (the old one): reviewers see what comes and goes. */
  readonly object?: KubeObject;
}

/** The diff of one environment. */
export interface EnvironmentDiff {
  readonly environment: string;
  /** `added`/`removed`: the whole environment folder is new or gone. */
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly changes: readonly ObjectChange[];
  /** Objects present on both sides and equal. */
  readonly unchanged: number;
}

/** Identity of an object: API group, kind, namespace, name (the version may change without a new object). */
export function objectKey(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * How the items of a list are matched between the two sides: objects by a unique `name` (containers, env,
 * volumes), else by a unique port (`port`, `containerPort`: Service and NetworkPolicy ports), else by `key`
 * (tolerations, items); the path segment is `[finbot-api]`, `[port=443]`, `[key=x]`.
 */
const ITEM_KEYS: ReadonlyArray<[string, (v: unknown) => string]> = [
  ['name', (v) => String(v)],
  ['port', (v) => `port=${String(v)}`],
  ['containerPort', (v) => `containerPort=${String(v)}`],
  ['key', (v) => `key=${String(v)}`],
];

function keyedItems(a: readonly unknown[], key: string, label: (v: unknown) => string): Map<string, unknown> | undefined {
  const m = new Map<string, unknown>();
  for (const item of a) {
    if (!isObject(item) || (typeof item[key] !== 'string' && typeof item[key] !== 'number')) return undefined;
    const k = label(item[key]);
    if (m.has(k)) return undefined;
    m.set(k, item);
  }
  return m;
}

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Changes between two lists, element by element: keyed items by key; scalars as a set (`[+x]` added,
 * `[-x]` removed, `(order)` when only the order changed); other items by content — identical items match
 * wherever they are, the rest pair up by position when as many went as came, else show as whole items
 * removed (`[i]` before) and added (`[i]` after). Never one opaque "the list changed".
 */
function diffArrays(before: readonly unknown[], after: readonly unknown[], path: readonly string[]): FieldChange[] {
  if (before.length + after.length === 0) return [];
  for (const [key, label] of ITEM_KEYS) {
    const a = keyedItems(before, key, label);
    const b = keyedItems(after, key, label);
    if (a && b) {
      const keys = [...new Set([...a.keys(), ...b.keys()])];
      return keys.flatMap((k) => diffFields(a.get(k), b.get(k), [...path, `[${k}]`]));
    }
  }
  if (before.every(isScalar) && after.every(isScalar)) {
    const text = (v: unknown) => JSON.stringify(v);
    const was = new Set(before.map(text));
    const now = new Set(after.map(text));
    const changes: FieldChange[] = [
      ...before.filter((v) => !now.has(text(v))).map((v) => ({ path: [...path, `[-${String(v)}]`], before: v, after: undefined })),
      ...after.filter((v) => !was.has(text(v))).map((v) => ({ path: [...path, `[+${String(v)}]`], before: undefined, after: v })),
    ];
    if (changes.length === 0 && text(before) !== text(after)) changes.push({ path: [...path, '(order)'], before, after });
    return changes;
  }
  // Items without a key: identical ones match wherever they are; the rest pair up or show whole.
  const json = (v: unknown) => JSON.stringify(v);
  const unmatchedAfter = after.map((v, i) => ({ v, i, j: json(v) }));
  const gone: Array<{ v: unknown; i: number }> = [];
  for (const [i, v] of before.entries()) {
    const hit = unmatchedAfter.findIndex((x) => x.j === json(v));
    if (hit >= 0) unmatchedAfter.splice(hit, 1);
    else gone.push({ v, i });
  }
  if (gone.length === unmatchedAfter.length) {
    return gone.flatMap((g, n) => diffFields(g.v, unmatchedAfter[n].v, [...path, unmatchedAfter[n].i === g.i ? `[${g.i}]` : `[${g.i}→${unmatchedAfter[n].i}]`]));
  }
  return [
    ...gone.map((g) => ({ path: [...path, `[${g.i}]`], before: g.v, after: undefined })),
    ...unmatchedAfter.map((x) => ({ path: [...path, `[${x.i}]`], before: undefined, after: x.v })),
  ];
}

/** Every difference between two JSON values, as leaf changes in a stable order. */
export function diffFields(before: unknown, after: unknown, path: readonly string[] = []): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffFields(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffArrays(before, after, path);
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** Objects added, removed and changed between two lists (matched by {@link objectKey}). */
export function diffObjects(before: readonly KubeObject[], after: readonly KubeObject[]): { changes: ObjectChange[]; unchanged: number } {
  const old = new Map(before.map((o) => [objectKey(o), o]));
  const now = new Map(after.map((o) => [objectKey(o), o]));
  const changes: ObjectChange[] = [];
  let unchanged = 0;
  const id = (o: KubeObject) => ({ kind: o.kind, name: o.metadata.name ?? '', ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
  for (const [key, o] of now) {
    const prev = old.get(key);
    if (!prev) {
      changes.push({ change: 'added', ...id(o), fields: [], object: o });
      continue;
    }
    const fields = diffFields(prev, o);
    if (fields.length === 0) unchanged++;
    else changes.push({ change: 'changed', ...id(o), fields });
  }
  for (const [key, o] of old) if (!now.has(key)) changes.push({ change: 'removed', ...id(o), fields: [], object: o });
  const order = { removed: 0, added: 1, changed: 2 };
  changes.sort((x, y) => order[x.change] - order[y.change] || compareText(x.kind, y.kind) || compareText(x.namespace ?? '', y.namespace ?? '') || compareText(x.name, y.name));
  return { changes, unchanged };
}

/** Diffs every environment present on either side, in name order. */
export function diffEnvironments(before: DistObjects, after: DistObjects): EnvironmentDiff[] {
  const envs = [...new Set([...before.keys(), ...after.keys()])].sort();
  return envs.map((environment) => {
    const { changes, unchanged } = diffObjects(before.get(environment) ?? [], after.get(environment) ?? []);
    const status = !before.has(environment) ? 'added' : !after.has(environment) ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
    return { environment, status, changes, unchanged };
  });
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.template.metadata.labels["app.kubernetes.io/version"]`, `spec.containers[finbot-api].image`. */
export function formatPath(path: readonly string[]): string {
  let out = '';
  for (const seg of path) {
    if (seg === '(order)') out += ' (order)';
    else if (seg.startsWith('[')) out += seg;
    else if (PLAIN_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A value as people read it in a one-line summary: absent, scalars as-is, JSON for the rest (shortened). */
export function formatValue(v: unknown, max = 60): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v === '' ? '""' : v;
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * `before → after` for one field. Long strings that differ only in the middle (a dashboard's JSON, a config
 * file) show the part that differs with some context, not two identical prefixes cut at the same place.
 */
export function formatChange(before: unknown, after: unknown, max = 60): string {
  if (typeof before === 'string' && typeof after === 'string' && (before.length > max || after.length > max)) {
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let end = 0;
    while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
    const context = 15;
    const from = Math.max(0, start - context);
    const cut = (v: string) => {
      const mid = v.slice(from, v.length - Math.max(0, end - context));
      const shown = mid.length > max ? `${mid.slice(0, max - 1)}…` : mid;
      return `${from > 0 ? '…' : ''}${shown}${v.length - Math.max(0, end - context) < v.length ? '…' : ''}`;
    };
    return `${cut(before)} → ${cut(after)}`;
  }
  return `${formatValue(before, max)} → ${formatValue(after, max)}`;
}

/** `docker.io/finbot/api:v4.0.0 → v4.0.1` when only the tag changed, else both images in full. */
export function formatImageChange(before: unknown, after: unknown): string {
  if (typeof before === 'string' && typeof after === 'string') {
    const repo = (img: string) => img.replace(/[:@][^/]*$/, '');
    if (repo(before) === repo(after) && repo(after) !== after) return `${before} → ${after.slice(repo(after).length + 1)}`;
  }
  return `${formatValue(before)} → ${formatValue(after)}`;
}

const CONTAINER_IMAGE = /^(containers|initContainers|ephemeralContainers)$/;

/**
 * The changed fields of an object as short phrases: container images first, as `image <container>: a → b`;
 * a change repeated in several places (e.g. the version label on the Deployment and its pod template) once,
 * by its last two path segments, with the count; the rest as `path a → b`.
 */
export function summariseFields(fields: readonly FieldChange[]): string[] {
  const images: string[] = [];
  const phrases: string[] = [];
  const repeated = new Map<string, { count: number; index: number }>();
  for (const f of fields) {
    const n = f.path.length;
    if (n >= 3 && f.path[n - 1] === 'image' && f.path[n - 2].startsWith('[') && CONTAINER_IMAGE.test(f.path[n - 3])) {
      images.push(`image ${f.path[n - 2].slice(1, -1)}: ${formatImageChange(f.before, f.after)}`);
      continue;
    }
    const change = formatChange(f.before, f.after);
    const last = f.path[n - 1] ?? '';
    const sameKey = `${last}\0${change}`;
    const seen = repeated.get(sameKey);
    if (seen && !last.startsWith('[')) {
      seen.count++;
      phrases[seen.index] = `${formatPath(f.path.slice(-2))} ${change} (${seen.count} places)`;
      continue;
    }
    repeated.set(sameKey, { count: 1, index: phrases.length });
    phrases.push(`${formatPath(f.path)} ${change}`);
  }
  return [...images, ...phrases];
}

/** Options of the formatters. */
export interface FormatOptions {
  /** At most this many field phrases per object; the rest are counted. @default 12 */
  readonly maxFields?: number;
  /** At most this many YAML lines of an added or removed object; the rest are counted (0: none). @default 40 */
  readonly maxObjectLines?: number;
}

/** The YAML of an added or removed object, cut to `max` lines. */
function objectLines(o: KubeObject | undefined, max: number): string[] {
  if (!o || max <= 0) return [];
  const lines = dump(o, { noRefs: true, lineWidth: -1 }).trimEnd().split('\n');
  return lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more lines`] : lines;
}

/** Machine-readable: every environment's diff, added and removed objects in full. */
export function formatJson(diffs: readonly EnvironmentDiff[]): string {
  return `${JSON.stringify(diffs.map((d) => ({
    ...d,
    changes: d.changes.map((c) => ({ ...c, fields: c.fields.map((f) => ({ path: formatPath(f.path), before: f.before ?? null, after: f.after ?? null })) })),
  })), null, 2)}\n`;
}

function counts(d: EnvironmentDiff): string {
  const n = (c: ObjectChange['change']) => d.changes.filter((x) => x.change === c).length;
  const env = d.status === 'added' ? ' (new environment)' : d.status === 'removed' ? ' (environment removed)' : '';
  return `${n('added')} added, ${n('removed')} removed, ${n('changed')} changed, ${d.unchanged} unchanged${env}`;
}

function phrases(c: ObjectChange, max: number): string[] {
  const all = summariseFields(c.fields);
  return all.length > max ? [...all.slice(0, max), `… ${all.length - max} more`] : all;
}

function where(c: ObjectChange): string {
  return c.namespace ? `${c.namespace}/${c.name}` : c.name;
}

/** Plain text: one block per environment, one line per object (`~ Deployment production/finbot-api: ...`). */
export function formatText(diffs: readonly EnvironmentDiff[], options: FormatOptions = {}): string {
  const max = options.maxFields ?? 12;
  if (diffs.every((d) => d.status === 'unchanged')) return 'No changes.\n';
  const lines: string[] = [];
  for (const d of diffs) {
    lines.push(`${d.environment}: ${counts(d)}`);
    for (const c of d.changes) {
      const mark = { added: '+', removed: '-', changed: '~' }[c.change];
      const detail = c.change === 'changed' ? `: ${phrases(c, max).join(', ')}` : '';
      lines.push(`  ${mark} ${c.kind} ${where(c)}${detail}`);
      for (const l of objectLines(c.object, options.maxObjectLines ?? 40)) lines.push(`      ${mark} ${l}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\n/g, ' ');
}

/** Markdown for a pull-request comment: a heading and a table per environment that changed. */
export function formatMarkdown(diffs: readonly EnvironmentDiff[], options: FormatOptions = {}): string {
  const max = options.maxFields ?? 12;
  const out: string[] = ['## Synthesized output changes', ''];
  if (diffs.every((d) => d.status === 'unchanged')) return `${out.join('\n')}No changes.\n`;
  for (const d of diffs) {
    out.push(`### ${d.environment}`, '', counts(d), '');
    if (d.changes.length === 0) continue;
    out.push('| | kind | object | changes |', '|---|---|---|---|');
    for (const c of d.changes) {
      const mark = { added: 'added', removed: 'removed', changed: 'changed' }[c.change];
      const detail = c.change === 'changed' ? phrases(c, max).map((p) => `\`${cell(p)}\``).join('<br>') : '';
      out.push(`| ${mark} | ${cell(c.kind)} | \`${cell(where(c))}\` | ${detail} |`);
    }
    out.push('');
    for (const c of d.changes) {
      const lines = objectLines(c.object, options.maxObjectLines ?? 40);
      if (lines.length === 0) continue;
      out.push(`<details><summary>${c.change} ${cell(c.kind)} <code>${cell(where(c))}</code></summary>`, '', '```yaml', ...lines, '```', '', '</details>', '');
    }
  }
  return `${out.join('\n')}\n`;
}
