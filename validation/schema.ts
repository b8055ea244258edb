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
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { REPO_ROOT } from '../config/paths';
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

/** Packages with kubernetes-models classes at `<package>/<apiVersion>/<Kind>`. */
const MODEL_PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/cert-manager',
  '@kubernetes-models/prometheus-operator',
  '@kubernetes-models/istio',
  '@kubernetes-models/external-secrets',
  '@kubernetes-models/argo-cd',
  '@kubernetes-models/gateway-api',
];

type Validator = (data: object) => void;
type ModelClass = { prototype: { validate(this: object): void } };
const modelCache = new Map<string, Validator | null>();
// Ajv is loaded only when an imported CRD is validated: it is the largest module here.
let ajv: { compile(schema: object): ValidateFunction } | undefined;
const crdCache = new Map<string, ValidateFunction | null>();
let objectMeta: Validator | null | undefined;

async function model(apiVersion: string, kind: string): Promise<Validator | null> {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key)!;
  let found: Validator | null = null;
  // A core group has no dot ("v1", "apps/v1"); only kubernetes-models has those.
  const packages = apiVersion.split('/')[0].includes('.') && !apiVersion.includes('k8s.io') ? MODEL_PACKAGES.slice(1) : MODEL_PACKAGES;
  for (const pkg of packages) {
    try {
      const mod = (await import(`${pkg}/${apiVersion}/${kind}`)) as Record<string, ModelClass>;
      const cls = mod[kind];
      if (cls) {
        found = (data) => cls.prototype.validate.call(data);
        break;
      }
    } catch {
      // not in this package
    }
  }
  modelCache.set(key, found);
  return found;
}

async function metaValidator(): Promise<Validator | null> {
  if (objectMeta !== undefined) return objectMeta;
  try {
    const mod = (await import('kubernetes-models/v1/Pod')) as Record<string, ModelClass>;
    const pod = mod.Pod;
    // Validate metadata by wrapping it in a minimal Pod: the Pod schema references ObjectMeta.
    objectMeta = (data) => pod.prototype.validate.call({ apiVersion: 'v1', kind: 'Pod', metadata: data });
  } catch {
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
const requireFromRepo = createRequire(join(REPO_ROOT, 'package.json'));

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
      fn = requireFromRepo(cached) as ValidateFunction;
    } else {
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
  'argoproj.io/v1alpha1/AppProject': ['spec.description'],
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
  return [...runModel(validator, checked).filter((p) => !(p.kind === 'unknown-field' && notRead.includes(p.path))), ...extra];
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
