/**
 * `ApiObject.toJson()` in one pass. cdk8s resolves an object value by value: for every value it looks up
 * the App by walking up the construct tree, allocates a resolution context and a key path, and asks each
 * of the app's resolvers; then a second walk (`sanitizeValue`) drops null values and sorts keys. That was
 * most of the time the synth spent on its ~300 objects (about 16 of 19 ms).
 *
 * {@link withFastJson} gives an ApiObject class (cdk8s' own, a cdk8s-plus-27 L1 class, or a class that
 * `cdk8s import` generated) a `toJson()` that returns the same JSON with one walk, as long as the object
 * holds only what cdk8s' built-in resolvers leave alone or turn into `{ value }` (plain objects, arrays,
 * primitives, number-or-string unions such as `IntOrString` and `Quantity`). Anything else — a `Lazy`, a
 * token with `resolve()`, a function, an instance of some other class, an App with its own resolvers, or
 * `CDK8S_DISABLE_SORT` — goes the way cdk8s goes (`super.toJson()`), so its results and its error
 * messages stay cdk8s' own. JSON patches are applied with cdk8s' `JsonPatch.apply`, and an L1 class's
 * own converter (`toJson_KubeDeploymentProps`, ...) still shapes the result.
 * test/lib/object-json.test.ts checks both paths against cdk8s, and test/environments checks that every
 * object of every environment renders the same as cdk8s renders it.
 * @see https://github.com/cdk8s-team/cdk8s-core/blob/2.x/src/resolve.ts
 */
import { ApiObject, App, type GroupVersionKind, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';

/** Thrown inside the walk when a value needs cdk8s' own resolution. */
const NOT_PLAIN = Symbol('not plain data');

/**
 * What cdk8s' resolve-then-sanitize makes of a value when the app has only the built-in resolvers:
 * null and undefined become undefined (and are dropped from objects), plain objects get sorted keys,
 * number-or-string union classes become `{ value }`. Throws {@link NOT_PLAIN} for anything else.
 */
function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object') {
    if (typeof v === 'function') throw NOT_PLAIN;
    return v;
  }
  const o = v as Record<string, unknown>;
  if (Array.isArray(v)) {
    // The resolvers see arrays too; a token or union posing as an array is cdk8s' to handle.
    if (typeof o.resolve === 'function' || typeof o.value === 'number' || typeof o.value === 'string') throw NOT_PLAIN;
    return v.map(plainValue);
  }
  if (o.constructor === Object) {
    // ImplicitTokenResolver would call it.
    if (typeof o.resolve === 'function') throw NOT_PLAIN;
    const keys = Object.keys(o).sort();
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const x = plainValue(o[k]);
      if (x !== undefined) out[k] = x;
    }
    return out;
  }
  // NumberStringUnionResolver turns `IntOrString.fromNumber(1)` into `{ value: 1 }` (an L1 converter then
  // takes `.value`); a Lazy or a token (LazyResolver, ImplicitTokenResolver) is cdk8s' to resolve.
  if (v instanceof Lazy || typeof o.resolve === 'function') throw NOT_PLAIN;
  const value = o.value;
  if (typeof value === 'number' || typeof value === 'string') return { value };
  throw NOT_PLAIN;
}

/** Whether the object's App resolves with cdk8s' three built-in resolvers only. */
function builtInResolversOnly(obj: IConstruct): boolean {
  const r = (App.of(obj) as Partial<App>).resolvers;
  return r !== undefined && r.length === 3 && r[0] instanceof LazyResolver && r[1] instanceof ImplicitTokenResolver && r[2] instanceof NumberStringUnionResolver;
}

/**
 * `ApiObject.toJson()` of an object whose ApiObject props are `props`, before JSON patches; `undefined`
 * when it needs cdk8s' own resolution.
 */
function plainObjectJson(obj: ApiObject, props: object): Record<string, unknown> | undefined {
  if (process.env.CDK8S_DISABLE_SORT || !builtInResolversOnly(obj)) return undefined;
  try {
    return plainValue({ ...props, metadata: obj.metadata.toJson() }) as Record<string, unknown>;
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}

/** apiVersion, kind and metadata first, the rest in its order (as `ApiObject.toJson()` does). */
function apiObjectKeyOrder(json: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) if (k in json) result[k] = json[k];
  return result;
}

/** An L1 class's props-to-JSON converter, e.g. `k8s.toJson_KubeDeploymentProps`. */
export type L1Converter = (props: never) => Record<string, unknown> | undefined;

/** An object rendered by {@link withFastJson}: also renders the way cdk8s alone does, for comparison. */
export interface FastJsonObject {
  /** What cdk8s' own `toJson()` (resolvers, sanitizer, patches, L1 converter) returns. */
  cdk8sJson(): unknown;
  /** Whether `toJson()` can take the one-pass path (no Lazy, tokens or custom resolvers). */
  hasPlainJson(): boolean;
}

type ApiObjectClass = (new (scope: Construct, id: string, props: never) => ApiObject) & { readonly GVK?: GroupVersionKind };

/**
 * `base` with the one-pass `toJson()`. For an L1 class (cdk8s-plus-27's `k8s.KubeX`, or one generated by
 * `cdk8s import`) pass its converter: such a class hands `{ ...GVK, ...props }` to ApiObject and shapes
 * the resolved JSON with the converter.
 */
export function withFastJson<C extends ApiObjectClass>(base: C, convert?: L1Converter): C {
  const gvk = base.GVK;
  if (convert && !gvk) throw new Error(`withFastJson: ${base.name} has a converter but no static GVK`);
  const kind = convert && gvk ? { gvk, convert } : undefined;
  const Base = base as unknown as new (...args: unknown[]) => ApiObject;
  class FastJson extends Base implements FastJsonObject {
    /** The props ApiObject got. */
    private readonly apiObjectProps: object;
    private readonly jsonPatches: JsonPatch[] = [];

    constructor(...args: unknown[]) {
      super(...args);
      const props = (args[2] ?? {}) as object;
      this.apiObjectProps = kind ? { ...kind.gvk, ...props } : props;
    }

    override addJsonPatch(...ops: JsonPatch[]): void {
      super.addJsonPatch(...ops);
      this.jsonPatches.push(...ops);
    }

    override toJson(): any {
      const plain = plainObjectJson(this, this.apiObjectProps);
      if (plain === undefined) return super.toJson();
      let json: Record<string, unknown>;
      try {
        json = apiObjectKeyOrder(this.jsonPatches.length > 0 ? JsonPatch.apply(plain, ...this.jsonPatches) : plain);
      } catch (e) {
        throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
      }
      return kind ? { ...kind.gvk, ...kind.convert(json as never) } : json;
    }

    cdk8sJson(): unknown {
      return super.toJson();
    }

    hasPlainJson(): boolean {
      return plainObjectJson(this, this.apiObjectProps) !== undefined;
    }
  }
  Object.defineProperty(FastJson, 'name', { value: base.name });
  return FastJson as unknown as C;
}

/** Whether an object renders through {@link withFastJson}. */
export function isFastJsonObject(o: unknown): o is ApiObject & FastJsonObject {
  return o instanceof ApiObject && typeof (o as Partial<FastJsonObject>).cdk8sJson === 'function';
}
