import { Chart, Testing } from 'cdk8s';
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';
import { ModelObject } from '../../constructs/model-object';
import { schemaProblems } from '../../validation/schema';

const certificate: ICertificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x', namespace: 'n' }, spec: { secretName: 's', issuerRef: { name: 'i', kind: 'ClusterIssuer' } } };

describe('ModelObject', () => {
  it('emits the object it is given, typed by the interface named', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ModelObject<ICertificate>(chart, 'x', certificate);
    expect(Testing.synth(chart)).toEqual([certificate]);
  });

  it('must be told the interface: an object typed by itself does not compile', () => {
    const chart = new Chart(Testing.app(), 'c');
    // @ts-expect-error: without a type argument the object's type is `never` (tsc --noEmit runs before the tests)
    new ModelObject(chart, 'y', certificate);
    expect(Testing.synth(chart)).toHaveLength(1);
  });

  it('an invalid object is refused by the one schema check of the output, against the pinned CRD', async () => {
    const { secretName: _s, ...spec } = certificate.spec!;
    const problems = await schemaProblems({ ...certificate, spec } as never);
    expect(problems.join('\n')).toContain('secretName');
  });

  it('no construct uses a kubernetes-models class at run time (types only)', () => {
    const files = ['constructs', 'charts'].flatMap((dir) => readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)));
    expect(files.length).toBeGreaterThan(20);
    const valueImports = files.flatMap((f) => [...readFileSync(join(REPO_ROOT, f), 'utf8').matchAll(/^import (?!type )[^;]*from '(@kubernetes-models\/[^']+|kubernetes-models\/[^']+)';/gm)].map((m) => `${f}: ${m[1]}`));
    expect(valueImports).toEqual([]);
  });
});
