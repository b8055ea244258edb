/** Strict schema checks: unknown fields are found in core objects, packaged CRDs and imported CRDs. */
import { describe, expect, it } from 'vitest';
import { schemaCheck, schemaProblems } from '../../validation/schema';
import { closeSchema, withUnknownFields } from '../../validation/strict-walk';

const deployment = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n', labels: { any: 'label' }, annotations: { 'free/form': 'x' } },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { memory: '1Gi' } } }] } } },
});

describe('schema', () => {
  it('a valid core object has no problems; maps such as labels may hold any key', async () => {
    expect(await schemaCheck(deployment())).toEqual([]);
  });

  it('finds unknown fields at any depth, with their path', async () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailble: 0 } };
    const problems = await schemaCheck(d);
    expect(problems.map((p) => p.path).sort()).toEqual(['spec.strategy.rollingUpdate.maxUnavailble', 'spec.template.spec.containers[0].imagePullPolicyy']);
    expect(problems.every((p) => p.kind === 'unknown-field')).toBe(true);
  });

  it('reports type errors with their path', async () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].ports = [{ containerPort: 'http' }];
    expect(await schemaProblems(d)).toEqual([expect.stringContaining('spec.template.spec.containers[0].ports[0].containerPort')]);
  });

  it('imported CRDs are strict except under x-kubernetes-preserve-unknown-fields', async () => {
    const cr = (spec: object) => ({ apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'o', namespace: 'm' }, spec });
    // config.receivers is free-form in the CRD (preserve-unknown-fields): any key is fine there.
    expect(await schemaCheck(cr({ config: { receivers: { otlp: { protocols: { grpc: {} } } }, exporters: {}, service: { pipelines: {} } } }))).toEqual([]);
    expect((await schemaCheck(cr({ modee: 'deployment', config: { receivers: {}, exporters: {}, service: { pipelines: {} } } }))).map((p) => p.path)).toEqual(['spec.modee']);
  });

  it('an unknown kind is a problem', async () => {
    expect((await schemaCheck({ apiVersion: 'v1', kind: 'Podd', metadata: { name: 'x' } }))[0].kind).toBe('unknown-kind');
  });

  it('withUnknownFields ignores objects the validator enumerates or never reads', () => {
    const { unknown } = withUnknownFields({ typed: { a: 1, b: 2 }, map: { x: 1 }, free: { y: 1 } }, (v: any) => {
      void v.typed.a;
      void v.typed.c;
      void Object.keys(v.map);
      void v.free;
      return null;
    });
    expect(unknown).toEqual([{ parent: '/typed', field: 'b' }]);
  });

  it('closeSchema closes objects with properties unless they keep unknown fields or declare additionalProperties', () => {
    const closed = closeSchema({ type: 'object', properties: { a: { type: 'object', properties: { b: {} } }, c: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { d: {} } }, e: { type: 'object', additionalProperties: { type: 'string' } } } }) as any;
    expect(closed.additionalProperties).toBe(false);
    expect(closed.properties.a.additionalProperties).toBe(false);
    expect(closed.properties.c.additionalProperties).toBeUndefined();
    expect(closed.properties.e.additionalProperties).toEqual({ type: 'string' });
  });
});
