import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { isFastJsonObject } from '../../lib/object-json';
import { renderEnvironment } from '../../lib/render';
import { buildEnvironment } from '../../charts/environment';
import { loadSettings } from '../../config/load';
import { schemaProblems } from '../../validation/schema';
import { ENVIRONMENTS, podSpecs, synthObjects } from '../helpers';

describe.each(ENVIRONMENTS)('%s: invariants over every object', (env) => {
  const objects = synthObjects(env);

  it('has objects', () => {
    expect(objects.length).toBeGreaterThan(10);
  });

  it('every object is valid against its schema', async () => {
    const problems: string[] = [];
    for (const o of objects) {
      for (const p of await schemaProblems(o)) problems.push(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('no two objects share kind/namespace/name', () => {
    const keys = objects.map((o) => `${o.apiVersion.split('/')[0]}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('every container has requests, limits and pinned images; app containers have probes', () => {
    for (const { owner, spec } of podSpecs(objects)) {
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        const where = `${owner} container ${c.name}`;
        expect(c.resources?.requests?.cpu, where).toBeDefined();
        expect(c.resources?.requests?.memory, where).toBeDefined();
        expect(c.resources?.limits?.memory, where).toBeDefined();
        expect(c.image, where).toMatch(/:[A-Za-z0-9_][A-Za-z0-9_.-]*$|@sha256:/);
        expect(c.image, where).not.toMatch(/:latest$/);
      }
      if (!owner.startsWith('Job') && !owner.startsWith('CronJob')) {
        for (const c of spec.containers) {
          expect(c.livenessProbe, `${owner} ${c.name} liveness`).toBeDefined();
          expect(c.readinessProbe, `${owner} ${c.name} readiness`).toBeDefined();
        }
      }
    }
  });

  it('every pod meets the restricted Pod Security Standard', () => {
    for (const { owner, spec } of podSpecs(objects)) {
      const pod = spec.securityContext ?? {};
      expect(spec.hostNetwork ?? false, owner).toBe(false);
      expect(spec.hostPID ?? false, owner).toBe(false);
      expect(spec.hostIPC ?? false, owner).toBe(false);
      for (const v of spec.volumes ?? []) {
        expect(v.hostPath, `${owner} volume ${v.name}`).toBeUndefined();
      }
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        const sc = c.securityContext ?? {};
        const where = `${owner} container ${c.name}`;
        expect(sc.privileged ?? false, where).toBe(false);
        expect(sc.allowPrivilegeEscalation, where).toBe(false);
        expect(sc.runAsNonRoot ?? pod.runAsNonRoot, where).toBe(true);
        expect(sc.runAsUser ?? pod.runAsUser, where).not.toBe(0);
        expect((sc.seccompProfile ?? pod.seccompProfile)?.type, where).toMatch(/^(RuntimeDefault|Localhost)$/);
        expect(sc.capabilities?.drop, where).toContain('ALL');
        expect((sc.capabilities?.add ?? []).filter((a: string) => a !== 'NET_BIND_SERVICE'), where).toEqual([]);
        expect(sc.readOnlyRootFilesystem, where).toBe(true);
        for (const p of c.ports ?? []) expect(p.hostPort, where).toBeUndefined();
      }
    }
  });

  it('every object renders in one pass (lib/object-json.ts), exactly as cdk8s alone renders it', () => {
    const built = buildEnvironment(loadSettings(env));
    const apiObjects = built.app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    expect(apiObjects.length).toBe(objects.length);
    const slow = apiObjects.filter((o) => !isFastJsonObject(o) || !o.hasPlainJson()).map((o) => `${o.kind} ${o.name} (${o.node.path})`);
    expect(slow, 'create objects with the classes of constructs/kube-objects.ts').toEqual([]);
    const different = apiObjects.filter((o) => isFastJsonObject(o) && JSON.stringify(o.toJson()) !== JSON.stringify(o.cdk8sJson())).map((o) => `${o.kind} ${o.name}`);
    expect(different).toEqual([]);
  });

  it('matches the snapshot of all output', () => {
    const files = renderEnvironment(buildEnvironment(loadSettings(env)));
    for (const [file, text] of files) expect(text).toMatchSnapshot(file);
  });
});
