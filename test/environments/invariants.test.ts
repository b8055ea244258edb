import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEnvironment } from '../../synth/render';
import { buildEnvironment } from '../../charts/environment';
import { loadSettings } from '../../config/load';
import { DIST_DIR } from '../../config/paths';
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

  it('is exactly the committed dist/ (the one golden copy: `npm run synth` updates it, its diff is the review)', () => {
    const files = renderEnvironment(buildEnvironment(loadSettings(env)));
    const committed = readdirSync(join(DIST_DIR, env)).filter((f) => f.endsWith('.yaml')).sort();
    expect(committed, `dist/${env}/ holds other files than synth writes: run npm run synth`).toEqual([...files.keys()].sort());
    for (const [file, text] of files) expect(text === readFileSync(join(DIST_DIR, env, file), 'utf8'), `dist/${env}/${file} is stale: run npm run synth and review the diff`).toBe(true);
  });
});
