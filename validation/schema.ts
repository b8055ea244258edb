/**
 * Validates Kubernetes objects against the strict schemas `npm run import` writes into imports/schemas/
 * (tools/import-crds.ts, tools/import/strict-schema.ts): one Ajv path for every kind. Objects are closed (an
 * unknown field is a problem) except where the upstream schema keeps unknown fields; built-in kinds are
 * validated against every Kubernetes version in cdk8s.yaml `schemas.kubernetes` and a problem names the
 * versions it is one in; custom resources against their CRD's schema.
 *
 * Compiling every schema with Ajv takes a few seconds, so the compiled validators are kept as one Ajv
 * "standalone" module in .build/schema-validators/<hash>.cjs, named by the digest of imports/schemas/index.json
 * (which names every schema file by its sha256), Ajv's version and options. Tests build it once in a vitest
 * global setup (test/global-setup.ts); `npm run validate` builds it at its first run. Deleting the folder is
 * always safe.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { REPO_ROOT } from '../config/paths';
import { QUANTITY_PATTERN } from '../model/quantity';


/** Any object with apiVersion and kind. */
export interface TypedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly [k: string]: unknown;
}

/** One schema problem of an object. */
export interface SchemaProblem {
  /** `invalid`: wrong against the schema; `unknown-field`: not in the schema; `unknown-kind`: no schema. */
  readonly kind: 'invalid' | 'unknown-field' | 'unknown-kind';
  /** Path inside the object (`spec.template.spec.containers[0]`), empty for the object itself. */
  readonly path: string;
  readonly message: string;
}

/** One schema an apiVersion/kind is validated against (written by tools/import-crds.ts). */
interface IndexEntry {
  readonly schema: string;
  readonly ref: string;
  readonly label: string;
  readonly uses: readonly string[];
}

interface SchemaIndex {
  readonly files: Readonly<Record<string, { readonly path: string; readonly sha256: string }>>;
  readonly kinds: Readonly<Record<string, readonly IndexEntry[]>>;
}

/** A compiled validator: Ajv's function shape. */
type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const SCHEMAS_DIR = join(REPO_ROOT, 'imports', 'schemas');
const CACHE_DIR = join(REPO_ROOT, '.build', 'schema-validators');
/**
 * allErrors: report every problem of an object at once. Formats are not checked (the API server checks few, and
 * int32 ranges are in the schemas); `strict: false` because the schemas carry x-kubernetes-* keywords.
 */
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, code: { source: true } } as const;

let index: { text: string; parsed: SchemaIndex } | undefined;
/** imports/schemas/index.json. */
export function schemaIndex(): SchemaIndex {
  if (!index) {
    const text = readFileSync(join(SCHEMAS_DIR, 'index.json'), 'utf8');
    index = { text, parsed: JSON.parse(text) as SchemaIndex };
  }
  return index.parsed;
}

/**
 * Drops what this process holds of imports/schemas when index.json changed since it was read (a long-lived
 * process, or a heap restored from a startup snapshot, must not validate with the schemas it was built with).
 * The index names every schema file by its sha256, so comparing its text is enough. Called once per run.
 */
export function refreshSchemas(): void {
  if (!index) return;
  const text = readFileSync(join(SCHEMAS_DIR, 'index.json'), 'utf8');
  if (text === index.text) return;
  index = undefined;
  documents.clear();
  validators = undefined;
}

/** Deep equality of JSON values (what Ajv's runtime `equal` does, for enums and uniqueItems). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The modules Ajv's standalone code may require, given here (no module loader needed, e.g. in a snapshot). */
const RUNTIME: Readonly<Record<string, unknown>> = {
  'ajv/dist/runtime/ucs2length': { default: (s: string) => [...s].length },
  'ajv/dist/runtime/equal': { default: equal },
};

/** Runs a standalone module of Ajv's and returns its exports. */
function loadStandalone(file: string): unknown {
  const module = { exports: {} as unknown };
  const require = (id: string) => {
    if (id in RUNTIME) return RUNTIME[id];
    throw new Error(`${file}: unexpected require("${id}"); delete .build/schema-validators to recompile`);
  };
  new Function('module', 'exports', 'require', readFileSync(file, 'utf8'))(module, module.exports, require);
  return module.exports;
}

const documents = new Map<string, object>();
function document(id: string): object {
  let doc = documents.get(id);
  if (!doc) {
    doc = JSON.parse(readFileSync(join(SCHEMAS_DIR, schemaIndex().files[id].path), 'utf8')) as object;
    documents.set(id, doc);
  }
  return doc;
}

/**
 * Subtrees at least this long (canonical JSON) that occur twice or more in the CRD schemas are compiled once
 * and referenced (see {@link shareRepeatedSubtrees}).
 */
const SHARED_MIN_LENGTH = 80;
/** Keywords whose subschemas are never taken out: a union's branches stay in the function of the union (fromAjv). */
const KEPT_TOGETHER = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'enum', 'required', 'default', 'example', 'x-kubernetes-validations']);
/** Part of the cache key: bumped whenever the way the schemas become one module changes. */
const MODULE_FORMAT = 'one-module-shared-subtrees-ascii-2';

/** JSON with sorted keys: equal text, equal schema. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** A copy of `node` with `visit` applied to each subschema that may be taken out (none inside a union). */
function eachSubschema(node: Record<string, unknown>, visit: (child: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const isSchema = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  for (const [k, v] of Object.entries(node)) {
    if (KEPT_TOGETHER.has(k) || !isSchema(v)) out[k] = v;
    else if (k === 'properties' || k === 'patternProperties') out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, isSchema(sub) ? visit(sub) : sub]));
    else out[k] = visit(v);
  }
  return out;
}

/**
 * CRDs embed the same large structures again and again (a pod template, affinity terms, container ports:
 * Prometheus, Alertmanager, Grafana, ECK, the OpenTelemetry collector each carry their own copy), and Ajv
 * writes code for every copy. Each subtree that occurs twice or more across `docs` becomes one schema of its
 * own, named by the digest of its canonical text, and every copy a `$ref` to it, so its code exists once.
 * Returns the rewritten documents and the shared schemas. Validation is unchanged: a subtree is replaced only
 * by a reference to an identical one.
 */
function shareRepeatedSubtrees(docs: ReadonlyMap<string, object>): { docs: Map<string, object>; shared: Map<string, object> } {
  const counts = new Map<string, number>();
  const count = (node: Record<string, unknown>): Record<string, unknown> => {
    const text = canonical(node);
    if (text.length >= SHARED_MIN_LENGTH) counts.set(text, (counts.get(text) ?? 0) + 1);
    return eachSubschema(node, count);
  };
  for (const doc of docs.values()) eachSubschema(doc as Record<string, unknown>, count);
  const shared = new Map<string, object>();
  const rewrite = (node: Record<string, unknown>): Record<string, unknown> => {
    const text = canonical(node);
    if (text.length < SHARED_MIN_LENGTH || (counts.get(text) ?? 0) < 2) return eachSubschema(node, rewrite);
    const id = `shared-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    if (!shared.has(id)) {
      shared.set(id, {});
      shared.set(id, eachSubschema(node, rewrite));
    }
    return { $ref: id };
  };
  return { docs: new Map([...docs].map(([id, doc]) => [id, eachSubschema(doc as Record<string, unknown>, rewrite)])), shared };
}

/** The id a CRD's document is compiled under: no `/` (relative `$ref`s such as `shared-…` resolve to themselves). */
const rootId = (schema: string) => `crd.${schema.replace(/\//g, '.')}`;
/** What an entry is exported as from the module. */
const exportName = (entry: IndexEntry) => `${entry.schema}${entry.ref}`;

let ajvVersion: string | undefined;
/** The module's file name: the digest of the index (which names every schema file by its sha256), Ajv's version and options, and the format. */
function moduleKey(): string {
  ajvVersion ??= (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'ajv', 'package.json'), 'utf8')) as { version: string }).version;
  schemaIndex();
  return createHash('sha256').update(JSON.stringify({ ajvVersion, AJV_OPTIONS, MODULE_FORMAT, index: index!.text })).digest('hex').slice(0, 24);
}

/**
 * Compiles every entry of the index with one Ajv into one standalone module and writes it to `file`: one Ajv,
 * so every Kubernetes definition (PodSpec, ObjectMeta, …) is one function for all kinds of its version, and
 * with the CRDs' repeated subtrees shared ({@link shareRepeatedSubtrees}), each structure's code exists once.
 */
async function compileModule(file: string): Promise<void> {
  const { default: Ajv } = await import('ajv');
  const { default: standalone } = (await import('ajv/dist/standalone/index.js')) as unknown as { default: (ajv: unknown, refs: Record<string, string>) => string };
  // inlineRefs false: a referenced schema is one function, called from every place that refers to it.
  const ajv = new Ajv({ ...AJV_OPTIONS, inlineRefs: false });
  const entries = Object.values(schemaIndex().kinds).flat();
  const crds = new Map<string, object>();
  for (const e of entries) if (e.ref === '#') crds.set(e.schema, document(e.schema));
  const { docs, shared } = shareRepeatedSubtrees(crds);
  for (const id of Object.keys(schemaIndex().files)) if (!crds.has(id)) ajv.addSchema(document(id), id);
  for (const [id, schema] of shared) ajv.addSchema(schema, id);
  for (const [id, doc] of docs) ajv.addSchema(doc, rootId(id));
  const exports: Record<string, string> = {};
  for (const e of entries) exports[exportName(e)] = e.ref === '#' ? rootId(e.schema) : `${e.schema}${e.ref}`;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Parallel processes may compile it at once: write a private file, then rename it into place.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, asciiOnly(standalone(ajv, exports)));
  renameSync(tmp, file);
}

/**
 * The code with every non-ASCII character written as a `\uXXXX` escape (they occur only in string literals:
 * patterns such as a duration's `µs`). One such character makes node read the whole module as a two-byte
 * string, twice the memory of a one-byte string, in every process and every startup snapshot that holds it.
 */
export function asciiOnly(code: string): string {
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

let validators: Promise<Readonly<Record<string, Validate>>> | undefined;
/** Every validator of the index: from memory, the cache, or compiled now (once per index, Ajv and options). */
function compiledModule(): Promise<Readonly<Record<string, Validate>>> {
  validators ??= (async () => {
    const file = join(CACHE_DIR, `${moduleKey()}.cjs`);
    if (!existsSync(file)) await compileModule(file);
    return loadStandalone(file) as Record<string, Validate>;
  })();
  return validators;
}

/** The compiled validator of one index entry. */
async function validatorOf(entry: IndexEntry): Promise<Validate> {
  const v = (await compiledModule())[exportName(entry)];
  if (!v) throw new Error(`no compiled validator for ${exportName(entry)}; delete .build/schema-validators to recompile`);
  return v;
}

/** The schemas `apiVersion/kind` is validated against (empty: no schema known). */
export function schemasOf(apiVersion: string, kind: string): readonly IndexEntry[] {
  return schemaIndex().kinds[`${apiVersion}/${kind}`] ?? [];
}

/**
 * Compiles the schema validators when they are not in the cache yet, without loading them: for a global test
 * setup. Returns whether it compiled.
 */
export async function prepareValidators(): Promise<boolean> {
  const file = join(CACHE_DIR, `${moduleKey()}.cjs`);
  if (existsSync(file)) return false;
  await compileModule(file);
  return true;
}

/** Converts a JSON pointer (`/a/0/b`) into a path (`a[0].b`). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p, i) => (/^[0-9]+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

/**
 * Ajv's errors as problems. A value that matches no branch of an anyOf/oneOf (int-or-string, quantity) gives
 * one problem, not one per branch.
 */
function fromAjv(errors: readonly ErrorObject[]): SchemaProblem[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inUnion = (e: ErrorObject) => unions.some((u) => u !== e && e.instancePath === u.instancePath && e.schemaPath.startsWith(`${u.schemaPath}/`));
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    if (inUnion(e)) continue;
    const path = pointerToPath(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const field = String((e.params as { additionalProperty?: unknown }).additionalProperty);
      out.push({ kind: 'unknown-field', path: path ? `${path}.${field}` : field, message: `unknown field "${field}"` });
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      out.push({ kind: 'invalid', path, message: `must be equal to one of the allowed values: ${allowed.filter((v) => v !== '').map((v) => JSON.stringify(v)).join(', ')}` });
    } else if (e === unions.find((u) => u === e)) {
      const branches = errors.filter((b) => b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/`));
      const types = [...new Set(branches.filter((b) => b.keyword === 'type').map((b) => String((b.params as { type?: unknown }).type)))];
      const patterns = branches.filter((b) => b.keyword === 'pattern').map((b) => String((b.params as { pattern?: unknown }).pattern));
      const message = patterns.includes(QUANTITY_PATTERN)
        ? 'must be a Kubernetes quantity such as 256Mi, 1Gi, 500m or 2'
        : patterns.length > 0 ? `must be ${types.length > 0 ? `${types.join(' or ')}, or ` : ''}a string matching ${patterns[0]}` : types.length > 0 ? `must be ${types.join(' or ')}` : (e.message ?? 'is invalid');
      out.push({ kind: 'invalid', path, message });
    } else {
      out.push({ kind: 'invalid', path, message: e.message ?? 'is invalid' });
    }
  }
  return out;
}

/** Every schema problem of one object (strict: unknown fields are problems). */
export async function schemaCheck(obj: TypedObject): Promise<SchemaProblem[]> {
  const entries = schemasOf(obj.apiVersion, obj.kind);
  const builtIn = Object.keys(schemaIndex().files).filter((id) => id.startsWith('kubernetes-'));
  if (entries.length === 0) {
    return [{ kind: 'unknown-kind', path: '', message: `no schema known for ${obj.apiVersion} ${obj.kind} (not a built-in kind of ${builtIn.map(versionLabel).join(' or ')}, and no CRD in cdk8s.yaml imports:/schemas.crds: — see docs/validation.md)` }];
  }
  // A problem found against several schemas (Kubernetes versions) is reported once, naming them.
  const found = new Map<string, { problem: SchemaProblem; labels: string[] }>();
  const isBuiltIn = entries[0].schema.startsWith('kubernetes-');
  for (const entry of entries) {
    const validate = await validatorOf(entry);
    const problems = validate(obj) ? [] : fromAjv(validate.errors ?? []);
    for (const p of problems) {
      const key = `${p.kind}\0${p.path}\0${p.message}`;
      const seen = found.get(key) ?? { problem: p, labels: [] };
      if (!seen.labels.includes(entry.label)) seen.labels.push(entry.label);
      found.set(key, seen);
    }
  }
  // A built-in kind that one version does not serve.
  if (isBuiltIn) {
    const served = entries.map((e) => e.schema);
    const missing = builtIn.filter((id) => !served.includes(id));
    if (missing.length > 0) found.set('served', { problem: { kind: 'invalid', path: '', message: `${obj.apiVersion} ${obj.kind} is not served by ${missing.map(versionLabel).join(', ')}` }, labels: [] });
  }
  const named = (labels: string[]) => `Kubernetes ${labels.map((l) => l.replace(/^Kubernetes /, '')).join(' and ')}`;
  return [...found.values()].map(({ problem, labels }) => (isBuiltIn && labels.length > 0 ? { ...problem, message: `${problem.message} (${named(labels)})` } : problem));
}

const versionLabel = (id: string) => `Kubernetes ${id.replace(/^kubernetes-v/, '').replace(/\.0$/, '')}`;

/** Problems of one object against its schema as text; an object of an unknown type is a problem too. */
export async function schemaProblems(obj: TypedObject): Promise<string[]> {
  return (await schemaCheck(obj)).map((p) => `${p.path || '/'}: ${p.message}`);
}
