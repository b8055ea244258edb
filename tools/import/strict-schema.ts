/**
 * Turns upstream schemas into the strict JSON schemas that validation/schema.ts compiles with Ajv, following
 * what the API server does with an object:
 *  - objects are closed (`additionalProperties: false`: an unknown field is an error, as with
 *    `kubectl apply --validate=strict`), except where the schema keeps unknown fields
 *    (`x-kubernetes-preserve-unknown-fields`) or is a map (`additionalProperties` given) or, for built-in
 *    definitions, is free-form (RawExtension, FieldsV1: no properties);
 *  - int-or-string and quantities accept a number or a string, a quantity string only in the form
 *    resource.Quantity parses (model/quantity.ts);
 *  - `x-kubernetes-embedded-resource` objects take apiVersion, kind and an ObjectMeta-checked metadata even when
 *    the schema does not list them (apiextensions-apiserver kubernetes-1.36.0 pkg/apiserver/schema/objectmeta);
 *  - the root of a custom resource: metadata is ObjectMeta (the CRD only says `type: object`);
 *  - built-in enums: the API server rejects a value outside a `+enum` Go type's constants (and treats "" as
 *    unset); the OpenAPI files carry no `enum`, so the overlay from k8s.io/api (see
 *    ../shared/schemas/kubernetes/SOURCES.md) is merged in;
 *  - `format: int32` becomes a range (a Go int32 field cannot hold more);
 *  - patterns are Go (RE2) regular expressions: the `(?i)` flag, which JavaScript lacks, is spelled out.
 * Descriptions and examples are dropped: validation does not need them and they are most of the bytes.
 */

import { QUANTITY_PATTERN } from '../../model/quantity';

/** A JSON schema node (loosely typed: upstream schemas are data). */
export type Schema = Record<string, unknown>;


const INT32 = { minimum: -2147483648, maximum: 2147483647 };
const DROPPED = new Set(['description', 'example', 'examples']);
const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);

interface Context {
  /** `$ref` of ObjectMeta, for embedded resources and a custom resource's root. */
  readonly objectMeta: string;
  /** Close an object that has `type: object` but neither properties nor additionalProperties. */
  readonly closeEmptyObjects: boolean;
}

/**
 * One schema node made strict. Only the structural positions (root, properties, items, additionalProperties)
 * are closed: a branch of anyOf/oneOf/allOf/not lists only some properties and must stay open.
 */
function strictNode(node: Schema, ctx: Context, structural: boolean): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROPPED.has(k)) continue;
    if (k === 'properties' && isSchema(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, isSchema(ps) ? strictNode(ps, ctx, true) : ps]));
    } else if ((k === 'items' || k === 'additionalProperties') && isSchema(v)) {
      out[k] = strictNode(v, ctx, true);
    } else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v)) {
      out[k] = v.map((s) => (isSchema(s) ? strictNode(s, ctx, false) : s));
    } else if (k === 'not' && isSchema(v)) {
      out[k] = strictNode(v, ctx, false);
    } else if (k === 'pattern' && typeof v === 'string') {
      out[k] = goPatternToJs(v);
    } else if (k === 'definitions' && isSchema(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([d, ds]) => [d, isSchema(ds) ? strictNode(ds, ctx, true) : ds]));
    } else {
      out[k] = v;
    }
  }
  if (!structural) return out;
  if (node['x-kubernetes-embedded-resource'] === true) {
    const props = { ...(out.properties as Schema | undefined) };
    props.apiVersion ??= { type: 'string' };
    props.kind ??= { type: 'string' };
    props.metadata = { $ref: ctx.objectMeta };
    out.properties = props;
  }
  if (node['x-kubernetes-int-or-string'] === true && !out.anyOf && !out.oneOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  if (node.format === 'int32' && node.type === 'integer') Object.assign(out, INT32);
  const isObject = out.type === 'object' || out.properties !== undefined;
  const open = node['x-kubernetes-preserve-unknown-fields'] === true || out.additionalProperties !== undefined;
  if (isObject && !open && (out.properties !== undefined || ctx.closeEmptyObjects)) out.additionalProperties = false;
  return out;
}

/**
 * A CRD version's openAPIV3Schema made strict, with metadata as ObjectMeta at `objectMeta` (a `$ref` into a
 * Kubernetes definitions document, whose Ajv key is the part before `#`).
 */
export function strictCrdSchema(openAPIV3Schema: Schema, objectMeta: string): Schema {
  // A structural schema's `type: object` without properties prunes every field (apiextensions-apiserver
  // pkg/apiserver/schema/pruning/algorithm.go): such a field is unknown, as it is for strict field validation.
  const ctx: Context = { objectMeta, closeEmptyObjects: true };
  const root = strictNode(openAPIV3Schema, ctx, true);
  const props = { ...(root.properties as Schema | undefined) };
  props.apiVersion = { type: 'string' };
  props.kind = { type: 'string' };
  props.metadata = { $ref: objectMeta };
  return { ...root, type: 'object', properties: props, additionalProperties: false };
}

/**
 * A Go (RE2) pattern as a JavaScript one. The API server compiles CRD patterns with Go's regexp; the only RE2
 * syntax in the imported CRDs that JavaScript does not read is the case-insensitive flag `(?i)` (e.g.
 * prometheus-operator v0.93.0 PrometheusRule `partial_response_strategy`), which holds to the end of its group:
 * there each letter becomes a class of both cases.
 */
export function goPatternToJs(pattern: string): string {
  if (!pattern.includes('(?i)')) return pattern;
  let out = '';
  const groups: boolean[] = [];
  let ci = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (ci && /[a-zA-Z]/.test(c)) throw new Error(`pattern ${pattern}: (?i) with letters in a character class is not translated`);
      if (c === ']') inClass = false;
      out += c;
    } else if (pattern.startsWith('(?i)', i)) {
      ci = true;
      i += 3;
    } else if (c === '(') {
      groups.push(ci);
      out += c;
    } else if (c === ')') {
      ci = groups.pop() ?? false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else {
      out += ci && /[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    }
  }
  return out;
}

/** One field's enum from the overlay: `list` fields hold several values of the type. */
export interface EnumField {
  readonly enum: readonly string[];
  readonly list: boolean;
}

/**
 * The definitions of one Kubernetes version made strict: closed objects, enums from the overlay (plus "",
 * which the API server treats as unset), quantities with their pattern. `id` is the document's Ajv key.
 */
export function strictKubernetesDefinitions(definitions: Record<string, Schema>, enums: Record<string, Record<string, EnumField>>, id: string): Schema {
  const ctx: Context = { objectMeta: `${id}#/definitions/${OBJECT_META}`, closeEmptyObjects: false };
  const out: Record<string, Schema> = {};
  for (const [name, def] of Object.entries(definitions)) {
    let d = strictNode(def, ctx, true);
    if (name === QUANTITY) d = { oneOf: [{ type: 'string', pattern: QUANTITY_PATTERN }, { type: 'number' }] };
    const fields = enums[name];
    if (fields) {
      const props = { ...(d.properties as Record<string, Schema>) };
      for (const [field, e] of Object.entries(fields)) {
        const prop = props[field];
        if (!prop) throw new Error(`${id}: the enum overlay names ${name}.${field}, which the definitions do not have`);
        const values = [...new Set([...e.enum, ''])];
        props[field] = e.list ? { ...prop, items: { ...(prop.items as Schema), enum: values } } : { ...prop, enum: values };
      }
      d = { ...d, properties: props };
    }
    out[name] = d;
  }
  return { definitions: out };
}

/** The definition name of ObjectMeta. */
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** `apiVersion/kind` → definition name, for the definitions that are one top-level kind. */
export function kubernetesKinds(definitions: Record<string, Schema>): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined;
    // DeleteOptions, WatchEvent and Status are listed under every group: they are not objects one applies.
    if (!gvks || gvks.length !== 1 || !(def.properties as Schema | undefined)?.metadata) continue;
    const { group, version, kind } = gvks[0];
    kinds.set(`${group ? `${group}/` : ''}${version}/${kind}`, name);
  }
  return kinds;
}
