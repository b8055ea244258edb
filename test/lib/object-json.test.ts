import { ApiObject, App, Chart, JsonPatch, Lazy, type IResolver, type ResolutionContext, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KubeDeployment, KubeService, PlainApiObject } from '../../constructs/kube-objects';
import { isFastJsonObject, withFastJson } from '../../lib/object-json';

const chart = (app: App = Testing.app()) => new Chart(app, 'c', { namespace: 'ns', labels: { team: 'platform' } });

/** Plain data with everything cdk8s' sanitizer treats specially: nulls, undefined, key order, empty values. */
const tricky = {
  zeta: 1,
  alpha: { b: null, a: undefined, c: [3, null, undefined, { y: 2, x: 1 }], empty: {}, none: [] },
  '10': 'ten',
  '9': 'nine',
  flag: false,
  zero: 0,
  text: '',
  withValue: { value: 'v', other: 1 },
};

describe('withFastJson', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('renders plain data exactly as cdk8s does (sorting, null and undefined dropped, empty values kept)', () => {
    const c = chart();
    const fast = new PlainApiObject(c, 'fast', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x', annotations: { b: '2', a: '1' } }, spec: tricky });
    const slow = new ApiObject(c, 'slow', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x', annotations: { b: '2', a: '1' } }, spec: tricky });
    expect(isFastJsonObject(fast) && fast.hasPlainJson()).toBe(true);
    const json = fast.toJson();
    expect(json).toStrictEqual(slow.toJson());
    expect(JSON.stringify(json)).toBe(JSON.stringify(slow.toJson()));
    expect(Object.keys(json)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(json.spec.alpha).toStrictEqual({ c: [3, undefined, undefined, { x: 1, y: 2 }], empty: {}, none: [] });
    expect(json.metadata.labels).toEqual({ team: 'platform' });
  });

  it('keeps the L1 converter: IntOrString and Quantity become their values, as with cdk8s-plus-27 alone', () => {
    const c = chart();
    const props: k8s.KubeDeploymentProps = {
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        strategy: { rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { memory: k8s.Quantity.fromString('512Mi'), cpu: k8s.Quantity.fromNumber(1) } } }] },
        },
      },
    };
    const fast = new KubeDeployment(c, 'fast', props);
    const slow = new k8s.KubeDeployment(c, 'slow', props);
    const json = fast.toJson();
    expect(JSON.stringify(json)).toBe(JSON.stringify(slow.toJson()));
    expect(json.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 0 });
    expect(json.spec.template.spec.containers[0].resources.limits).toEqual({ cpu: 1, memory: '512Mi' });
    expect(fast).toBeInstanceOf(k8s.KubeDeployment);
    expect(KubeDeployment.GVK).toBe(k8s.KubeDeployment.GVK);
  });

  it('applies JSON patches after sorting, as cdk8s does', () => {
    const c = chart();
    const fast = new KubeService(c, 'fast', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    const slow = new k8s.KubeService(c, 'slow', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    for (const o of [fast, slow]) o.addJsonPatch(JsonPatch.add('/spec/type', 'ClusterIP'), JsonPatch.add('/aaa', 1));
    expect(JSON.stringify(fast.toJson())).toBe(JSON.stringify(slow.toJson()));
    // The L1 converter orders ServiceSpec's fields and drops the unknown `aaa`.
    expect(fast.toJson().spec).toEqual({ ports: [{ port: 80 }], type: 'ClusterIP' });
    expect(fast.toJson()).not.toHaveProperty('aaa');
    const plain = new PlainApiObject(c, 'plain', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'p' }, spec: { b: 1 } });
    const plainSlow = new ApiObject(c, 'plainSlow', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'p' }, spec: { b: 1 } });
    for (const o of [plain, plainSlow]) o.addJsonPatch(JsonPatch.add('/spec/a', 2));
    expect(JSON.stringify(plain.toJson())).toBe(JSON.stringify(plainSlow.toJson()));
    expect(Object.keys(plain.toJson().spec)).toEqual(['b', 'a']);
  });

  it('sees metadata changed after construction (labels, annotations)', () => {
    const fast = new PlainApiObject(chart(), 'fast', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x' } });
    fast.metadata.addLabel('added', 'yes');
    fast.metadata.addAnnotation('note', 'later');
    expect(fast.toJson().metadata).toEqual({ annotations: { note: 'later' }, labels: { added: 'yes', team: 'platform' }, name: 'x', namespace: 'ns' });
  });

  it('leaves a Lazy or a token to cdk8s (and gives its result)', () => {
    const c = chart();
    let produced = 0;
    const fast = new PlainApiObject(c, 'fast', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x' }, spec: { later: Lazy.any({ produce: () => ({ n: ++produced }) }), token: { resolve: () => 'resolved' } } });
    expect(isFastJsonObject(fast) && fast.hasPlainJson()).toBe(false);
    expect(fast.toJson().spec).toEqual({ later: { n: 1 }, token: 'resolved' });
    expect(produced).toBe(1);
  });

  it('leaves an App with its own resolvers to cdk8s', () => {
    const upper: IResolver = { resolve: (ctx: ResolutionContext) => { if (typeof ctx.value === 'string' && ctx.key.at(-1) === 'shout' && ctx.value !== ctx.value.toUpperCase()) ctx.replaceValue(ctx.value.toUpperCase()); } };
    const app = new App({ resolvers: [upper], outdir: Testing.app().outdir });
    const fast = new PlainApiObject(chart(app), 'fast', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x' }, spec: { shout: 'hey' } });
    expect(isFastJsonObject(fast) && fast.hasPlainJson()).toBe(false);
    expect(fast.toJson().spec).toEqual({ shout: 'HEY' });
  });

  it('leaves CDK8S_DISABLE_SORT to cdk8s (keys in insertion order)', () => {
    vi.stubEnv('CDK8S_DISABLE_SORT', '1');
    const fast = new PlainApiObject(chart(), 'fast', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x' }, spec: { b: 1, a: 2 } });
    expect(Object.keys(fast.toJson().spec)).toEqual(['b', 'a']);
  });

  it('gives cdk8s\' own errors for values cdk8s cannot render', () => {
    class Opaque { readonly secret = 1; }
    const c = chart();
    const fast = new PlainApiObject(c, 'fast', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x' }, spec: { o: new Opaque() } });
    const slow = new ApiObject(c, 'slow', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x' }, spec: { o: new Opaque() } });
    expect(() => slow.toJson()).toThrow("can't render non-simple object of type 'Opaque'");
    expect(() => fast.toJson()).toThrow("Failed serializing construct at path 'c/fast' with name 'x': Error: can't render non-simple object of type 'Opaque'");
  });

  it('refuses a converter for a class without a GVK', () => {
    expect(() => withFastJson(ApiObject, k8s.toJson_KubeServiceProps)).toThrow('withFastJson: ApiObject has a converter but no static GVK');
  });
});
