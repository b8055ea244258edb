/**
 * Validates Kubernetes objects against their schemas, offline and strictly (an unknown field is a problem):
 *  - core kinds and the CRDs packaged as @kubernetes-models/* with the kubernetes-models validators; those
 *    ignore unknown properties, so unknown fields are found by recording what the validator reads
 *    (strict-walk.ts),
 *  - CRDs imported with `npm run import` against the openAPIV3Schema saved in imports/schemas/, closed with
 *    `additionalProperties: false` except where the CRD says `x-kubernetes-preserve-unknown-fields`; their
 *    metadata against the ObjectMeta schema.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { REPO_ROOT } from '../config/paths';
import { isHandover, SnapshotHandover } from '../fast-start/snapshot-handover';
import MODEL_PACKAGE_LIST from './model-packages.json';
import { closeSchema, pointerToPath, withUnknownFields } from './strict-walk';

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

/**
 * Packages with kubernetes-models classes at `<package>/<apiVersion>/<Kind>`, in lookup order (a JSON file:
 * fast-start/validate.mjs reads it too, to bundle the models for the startup snapshot).
 */
const MODEL_PACKAGES: readonly string[] = MODEL_PACKAGE_LIST;

type Validator = (data: object) => void;
type ModelClass = { prototype: { validate(this: object): void } };
type ModelModule = Record<string, ModelClass>;

/** The module specifiers that may hold the model of a kind, in lookup order. */
export function modelSpecifiers(apiVersion: string, kind: string): string[] {
  // A core group has no dot ("v1", "apps/v1"); only kubernetes-models has those.
  const packages = apiVersion.split('/')[0].includes('.') && !apiVersion.includes('k8s.io') ? MODEL_PACKAGES.slice(1) : MODEL_PACKAGES;
  return packages.map((pkg) => `${pkg}/${apiVersion}/${kind}`);
}

/**
 * The startup snapshot of the validation (fast-start/validate.mjs) has no `import()`: its bundle holds the model
 * modules of the kinds that were in dist/ when it was built, registered here. Any other kind, or a CRD
 * validator not compiled yet, makes it hand over to the plain bundle ({@link SnapshotHandover}).
 */
let bundledModels: { kinds: ReadonlySet<string>; modules: ReadonlyMap<string, () => Promise<ModelModule>> } | undefined;

/** Registers the bundled model modules (specifier → loader) that cover `kinds` (`apiVersion/Kind`). */
export function useBundledModels(kinds: readonly string[], modules: Readonly<Record<string, () => Promise<unknown>>>): void {
  bundledModels = { kinds: new Set(kinds), modules: new Map(Object.entries(modules) as Array<[string, () => Promise<ModelModule>]>) };
}

async function importModel(specifier: string, key: string): Promise<ModelModule> {
  if (!bundledModels) return (await import(specifier)) as ModelModule;
  if (!bundledModels.kinds.has(key)) throw new SnapshotHandover(`the model of ${key}`);
  const load = bundledModels.modules.get(specifier);
  if (!load) throw new Error(`no module ${specifier}`);
  return load();
}
const modelCache = new Map<string, Validator | null>();
// Ajv is loaded only when an imported CRD is validated: it is the largest module here.
let ajv: { compile(schema: object): ValidateFunction } | undefined;
const crdCache = new Map<string, ValidateFunction | null>();
let objectMeta: Validator | null | undefined;

async function model(apiVersion: string, kind: string): Promise<Validator | null> {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key)!;
  let found: Validator | null = null;
  for (const specifier of modelSpecifiers(apiVersion, kind)) {
    try {
      const cls = (await importModel(specifier, key))[kind];
      if (cls) {
        found = (data) => cls.prototype.validate.call(data);
        break;
      }
    } catch (err) {
      if (isHandover(err)) throw err;
      // not in this package
    }
  }
  modelCache.set(key, found);
  return found;
}

async function metaValidator(): Promise<Validator | null> {
  if (objectMeta !== undefined) return objectMeta;
  try {
    const pod = (await importModel('kubernetes-models/v1/Pod', 'v1/Pod')).Pod;
    // Validate metadata by wrapping it in a minimal Pod: the Pod schema references ObjectMeta.
    objectMeta = (data) => pod.prototype.validate.call({ apiVersion: 'v1', kind: 'Pod', metadata: data });
  } catch (err) {
    if (isHandover(err)) throw err;
    objectMeta = null;
  }
  return objectMeta;
}

/**
 * Compiling a large CRD schema with Ajv takes up to half a second (CNPG Cluster, ECK, Redis, Grafana), so
 * each compiled validator is kept as Ajv "standalone" code in .build/crd-validators/<hash>.cjs, keyed by the
 * closed schema and the Ajv options: later runs (every synth with the plugin, every test worker) load it.
 */
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, code: { source: true } } as const;
const CRD_CACHE_DIR = join(REPO_ROOT, '.build', 'crd-validators');

/**
 * Loads a cached standalone validator without the module loader (there is none in a startup snapshot). Its
 * only import is Ajv's `ucs2length` (string length in code points, for minLength/maxLength), given here.
 */
function loadStandalone(file: string): ValidateFunction {
  const module = { exports: {} as unknown };
  const runtime: Record<string, unknown> = { 'ajv/dist/runtime/ucs2length': { default: (s: string) => [...s].length } };
  const require = (id: string) => {
    if (id in runtime) return runtime[id];
    throw new Error(`${file}: unexpected require("${id}"); delete .build/crd-validators to recompile`);
  };
  new Function('module', 'exports', 'require', readFileSync(file, 'utf8'))(module, module.exports, require);
  return module.exports as ValidateFunction;
}

async function crdValidator(apiVersion: string, kind: string): Promise<ValidateFunction | null> {
  const key = `${apiVersion}/${kind}`;
  if (crdCache.has(key)) return crdCache.get(key)!;
  const file = join(REPO_ROOT, 'imports', 'schemas', apiVersion, `${kind}.json`);
  let fn: ValidateFunction | null = null;
  if (existsSync(file)) {
    const schema = closeSchema(JSON.parse(readFileSync(file, 'utf8'))) as object;
    const hash = createHash('sha256').update(JSON.stringify(AJV_OPTIONS)).update(JSON.stringify(schema)).digest('hex').slice(0, 20);
    const cached = join(CRD_CACHE_DIR, `${hash}.cjs`);
    if (existsSync(cached)) {
      fn = loadStandalone(cached);
    } else {
      if (bundledModels) throw new SnapshotHandover(`Ajv, to compile the schema of ${key}`);
      if (!ajv) {
        const { default: Ajv } = await import('ajv');
        ajv = new Ajv(AJV_OPTIONS);
      }
      fn = ajv.compile(schema);
      const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
      mkdirSync(CRD_CACHE_DIR, { recursive: true });
      // Parallel test workers may compile the same schema: write a private file, then rename it into place.
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, standaloneCode(ajv as never, fn));
      renameSync(tmp, cached);
    }
  }
  crdCache.set(key, fn);
  return fn;
}

function fromAjv(errors: readonly ErrorObject[], prefix = ''): SchemaProblem[] {
  return errors.map((e) => {
    const path = pointerToPath(e.instancePath);
    const full = prefix && path ? `${prefix}.${path}` : prefix || path;
    if (e.keyword === 'additionalProperties') {
      const field = String((e.params as { additionalProperty?: unknown }).additionalProperty);
      return { kind: 'unknown-field' as const, path: full ? `${full}.${field}` : field, message: `unknown field "${field}"` };
    }
    return { kind: 'invalid' as const, path: full, message: e.message ?? 'is invalid' };
  });
}

/**
 * Fields the upstream API has but whose compiled kubernetes-models validator never reads (a property with no
 * constraints compiles to no check), so the read-tracking strictness would call them unknown. Keyed by
 * `apiVersion/kind`, values are paths. Each entry is a checked fact about the upstream CRD.
 */
const MODEL_FIELDS_NOT_READ: Readonly<Record<string, readonly string[]>> = {
  // AppProjectSpec.description exists in Argo CD (and in the model's .d.ts) but not in its compiled validator.
  // ProjectRole.description: manifests/crds/appproject-crd.yaml@v3.5.1 (spec.roles[].description).
  'argoproj.io/v1alpha1/AppProject': ['spec.description', 'spec.roles[].description'],
};

function runModel(validator: Validator, data: object, prefix = ''): SchemaProblem[] {
  const { result, unknown } = withUnknownFields(data, (view) => {
    try {
      validator(view);
      return [] as SchemaProblem[];
    } catch (err) {
      const errors = (err as { errors?: ErrorObject[] }).errors;
      if (Array.isArray(errors)) return fromAjv(errors, prefix);
      return [{ kind: 'invalid' as const, path: prefix, message: (err as Error).message }];
    }
  });
  const unknownProblems = unknown.map((u): SchemaProblem => {
    const parent = pointerToPath(u.parent);
    const inner = parent ? `${parent}.${u.field}` : u.field;
    return { kind: 'unknown-field', path: prefix ? `${prefix}.${inner}` : inner, message: `unknown field "${u.field}"` };
  });
  return [...result, ...unknownProblems];
}

/** Every schema problem of one object (strict: unknown fields are problems). */
export async function schemaCheck(obj: TypedObject): Promise<SchemaProblem[]> {
  const crd = await crdValidator(obj.apiVersion, obj.kind);
  if (crd) {
    const problems = crd(obj) ? [] : fromAjv(crd.errors ?? []);
    const meta = await metaValidator();
    if (meta && obj.metadata && typeof obj.metadata === 'object') {
      // The wrapper Pod reports paths under "metadata", which is where they are in the CR too.
      problems.push(...runModel(meta, obj.metadata as object, '').map((p) => ({ ...p, path: p.path.startsWith('metadata') ? p.path : `metadata.${p.path}` })).filter((p) => p.path !== 'metadata.apiVersion' && p.path !== 'metadata.kind'));
    }
    return problems;
  }
  const validator = await model(obj.apiVersion, obj.kind);
  if (!validator) return [{ kind: 'unknown-kind', path: '', message: `no schema known for ${obj.apiVersion} ${obj.kind} (not in kubernetes-models, @kubernetes-models/* or imports/schemas)` }];
  const [checked, extra] = await withoutModelQuirks(obj);
  const notRead = MODEL_FIELDS_NOT_READ[`${obj.apiVersion}/${obj.kind}`] ?? [];
  return [...runModel(validator, checked).filter((p) => !(p.kind === 'unknown-field' && notRead.includes(p.path.replace(/\[\d+\]/g, '[]')))), ...extra];
}

/** Problems of one object against its schema as text; an object of an unknown type is a problem too. */
export async function schemaProblems(obj: TypedObject): Promise<string[]> {
  return (await schemaCheck(obj)).map((p) => `${p.path || '/'}: ${p.message}`);
}

/**
 * @kubernetes-models/prometheus-operator requires `apiVersion: monitoring.coreos.com/v1` and
 * `kind: EmbeddedPersistentVolumeClaim` on `spec.storage.volumeClaimTemplate`, which the real CRD does not
 * (it takes a bare claim, as the design document writes it). Validate the claim against the core
 * PersistentVolumeClaim model instead, and the rest of the object against its model.
 */
async function withoutModelQuirks(obj: TypedObject): Promise<[TypedObject, SchemaProblem[]]> {
  const spec = obj.spec as { storage?: { volumeClaimTemplate?: Record<string, unknown> } } | undefined;
  const claim = spec?.storage?.volumeClaimTemplate;
  if (!obj.apiVersion.startsWith('monitoring.coreos.com/') || !claim || 'kind' in claim) return [obj, []];
  const pvc = await model('v1', 'PersistentVolumeClaim');
  const extra = runModel(pvc!, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'claim' }, ...claim }, 'spec.storage.volumeClaimTemplate')
    .filter((p) => !/\.(apiVersion|kind|metadata\.name)$/.test(p.path));
  const copy = structuredClone(obj) as TypedObject & { spec: { storage: { volumeClaimTemplate: Record<string, unknown> } } };
  copy.spec.storage.volumeClaimTemplate = { apiVersion: 'monitoring.coreos.com/v1', kind: 'EmbeddedPersistentVolumeClaim', ...claim };
  return [copy, extra];
}
