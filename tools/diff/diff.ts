/**
 * Semantic diff of synthesized output: which Kubernetes objects were added, removed or changed per
 * environment, and for changed ones which fields — summarised for people (container images by container
 * name, the same change in several places said once). Pure functions; `tools/diff/cli.ts` does the I/O.
 */
import type { DistObjects } from '../../model/dist-files';
import type { KubeObject } from '../../model/kube-object';
import { apiGroup } from '../../model/object-id';
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
  return `${apiGroup(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Arrays whose items are objects with unique string `name`s (containers, env, ports, volumes) match by name. */
function namedItems(a: readonly unknown[]): Map<string, unknown> | undefined {
  const m = new Map<string, unknown>();
  for (const item of a) {
    if (!isObject(item) || typeof item.name !== 'string' || m.has(item.name)) return undefined;
    m.set(item.name, item);
  }
  return m;
}

/** Every difference between two JSON values, as leaf changes in a stable order. */
export function diffFields(before: unknown, after: unknown, path: readonly string[] = []): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffFields(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = namedItems(before);
    const b = namedItems(after);
    if (a && b && (a.size > 0 || b.size > 0)) {
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((n) => diffFields(a.get(n), b.get(n), [...path, `[${n}]`]));
    }
    if (before.length === after.length) return before.flatMap((_, i) => diffFields(before[i], after[i], [...path, `[${i}]`]));
  }
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
      changes.push({ change: 'added', ...id(o), fields: [] });
      continue;
    }
    const fields = diffFields(prev, o);
    if (fields.length === 0) unchanged++;
    else changes.push({ change: 'changed', ...id(o), fields });
  }
  for (const [key, o] of old) if (!now.has(key)) changes.push({ change: 'removed', ...id(o), fields: [] });
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
    if (seg.startsWith('[')) out += seg;
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
    const change = `${formatValue(f.before)} → ${formatValue(f.after)}`;
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
  }
  return `${out.join('\n')}\n`;
}
