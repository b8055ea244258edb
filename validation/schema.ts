/**
 * Validates Kubernetes objects against their schemas, offline:
 *  - core and well-known CRDs with the kubernetes-models validators (kubernetes-models, @kubernetes-models/*),
 *  - CRDs imported with `npm run import` against the openAPIV3Schema saved in imports/schemas/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { REPO_ROOT } from '../config/paths';

/** Any object with apiVersion and kind. */
export interface TypedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly [k: string]: unknown;
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

type ModelClass = new (data: unknown) => { validate(): void };
const modelCache = new Map<string, ModelClass | null>();
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const crdCache = new Map<string, ValidateFunction | null>();

async function model(apiVersion: string, kind: string): Promise<ModelClass | null> {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key)!;
  let found: ModelClass | null = null;
  for (const pkg of MODEL_PACKAGES) {
    try {
      const mod = (await import(`${pkg}/${apiVersion}/${kind}`)) as Record<string, ModelClass>;
      if (mod[kind]) { found = mod[kind]; break; }
    } catch {
      // not in this package
    }
  }
  modelCache.set(key, found);
  return found;
}

function crdValidator(apiVersion: string, kind: string): ValidateFunction | null {
  const key = `${apiVersion}/${kind}`;
  if (crdCache.has(key)) return crdCache.get(key)!;
  const file = join(REPO_ROOT, 'imports', 'schemas', apiVersion, `${kind}.json`);
  const fn = existsSync(file) ? ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object) : null;
  crdCache.set(key, fn);
  return fn;
}

/** Problems of one object against its schema; an object of an unknown type is a problem too. */
export async function schemaProblems(obj: TypedObject): Promise<string[]> {
  const crd = crdValidator(obj.apiVersion, obj.kind);
  if (crd) {
    return crd(obj) ? [] : (crd.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
  const Model = await model(obj.apiVersion, obj.kind);
  if (!Model) return [`no schema known for ${obj.apiVersion} ${obj.kind}`];
  const [checked, extra] = await withoutModelQuirks(obj);
  try {
    new Model(checked).validate();
    return extra;
  } catch (err) {
    return [(err as Error).message, ...extra];
  }
}

/**
 * @kubernetes-models/prometheus-operator requires `apiVersion: monitoring.coreos.com/v1` and
 * `kind: EmbeddedPersistentVolumeClaim` on `spec.storage.volumeClaimTemplate`, which the real CRD does not
 * (it takes a bare claim, as the design document writes it). Validate the claim against the core
 * PersistentVolumeClaim model instead, and the rest of the object against its model.
 */
async function withoutModelQuirks(obj: TypedObject): Promise<[TypedObject, string[]]> {
  const spec = obj.spec as { storage?: { volumeClaimTemplate?: Record<string, unknown> } } | undefined;
  const claim = spec?.storage?.volumeClaimTemplate;
  if (!obj.apiVersion.startsWith('monitoring.coreos.com/') || !claim || 'kind' in claim) return [obj, []];
  const Pvc = await model('v1', 'PersistentVolumeClaim');
  const extra: string[] = [];
  try {
    new Pvc!({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'claim' }, ...claim }).validate();
  } catch (err) {
    extra.push(`spec.storage.volumeClaimTemplate: ${(err as Error).message}`);
  }
  const copy = structuredClone(obj) as TypedObject & { spec: { storage: { volumeClaimTemplate: Record<string, unknown> } } };
  copy.spec.storage.volumeClaimTemplate = { apiVersion: 'monitoring.coreos.com/v1', kind: 'EmbeddedPersistentVolumeClaim', ...claim };
  return [copy, extra];
}
