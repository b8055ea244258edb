/**
 * Strictness for validators that ignore unknown properties (the compiled kubernetes-models validators):
 * the object is validated through Proxies that record which property names the validator looks up. A
 * compiled validator reads every property its schema declares (`data.x !== undefined`), so a property of
 * the object that was never looked up is unknown to the schema. Objects whose properties the validator
 * enumerates (maps such as labels) or never looks at (free-form or `x-kubernetes-preserve-unknown-fields`)
 * are not checked.
 */

interface Visit {
  readonly target: object;
  readonly path: string;
  readonly read: Set<string>;
  enumerated: boolean;
}

/** An unknown property found by {@link unknownFields}. */
export interface UnknownField {
  /** JSON pointer of the object holding the property, e.g. `/spec/template/spec`. */
  readonly parent: string;
  /** The property name. */
  readonly field: string;
}

/**
 * Runs `validate` on a recording view of `data` and returns what it returned plus every property the
 * validator never looked up.
 */
export function withUnknownFields<T>(data: object, validate: (view: object) => T): { result: T; unknown: UnknownField[] } {
  const visits: Visit[] = [];
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const known = proxies.get(value);
    if (known) return known;
    const visit: Visit = { target: value, path, read: new Set(), enumerated: false };
    visits.push(visit);
    const proxy = new Proxy(value, {
      get(t, key, receiver) {
        const v = Reflect.get(t, key, receiver);
        if (typeof key !== 'string') return v;
        visit.read.add(key);
        return Object.hasOwn(t, key) ? wrap(v, `${path}/${key}`) : v;
      },
      ownKeys(t) {
        visit.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const result = validate(wrap(data, '') as object);
  const unknown: UnknownField[] = [];
  for (const v of visits) {
    if (Array.isArray(v.target) || v.enumerated || v.read.size === 0) continue;
    for (const k of Object.keys(v.target)) if (!v.read.has(k)) unknown.push({ parent: v.path, field: k });
  }
  return { result, unknown };
}

/**
 * A copy of a JSON schema (CRD openAPIV3Schema) where every object schema with `properties` rejects other
 * properties, unless it declares `additionalProperties` or `x-kubernetes-preserve-unknown-fields`.
 */
export function closeSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, ps]) => [p, closeSchema(ps)]));
    } else if (k === 'enum' || k === 'default' || k === 'example' || k === 'required') out[k] = v;
    else out[k] = closeSchema(v);
  }
  if (s.properties && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
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
