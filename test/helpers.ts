/** Test helpers: synthesize environments in memory and find objects in the output. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEnvironment, type Environment } from '../charts/environment';
import { listEnvironments, loadSettings, SettingsError } from '../config/load';
import { ENVIRONMENTS_DIR } from '../config/paths';
import type { Settings } from '../config/schema';
import type { KubeObject } from '../model/kube-object';
import { renderObjects } from '../synth/render';

export type { KubeObject };

/** Every environment that exists in config/environments. */
export const ENVIRONMENTS = listEnvironments();

/** Each environment's render (chart file → objects), once per test worker: rendering is most of a chart test's time. */
const renders = new Map<string, Array<[string, KubeObject[]]>>();
function rendered(env: string): Array<[string, KubeObject[]]> {
  let r = renders.get(env);
  if (!r) {
    r = renderObjects(buildEnvironment(loadSettings(env)));
    renders.set(env, r);
  }
  return r;
}

const cache = new Map<string, KubeObject[]>();

/** All objects of an environment (cached: tests must not mutate them). */
export function synthObjects(env: string): KubeObject[] {
  if (!cache.has(env)) cache.set(env, rendered(env).flatMap(([, objects]) => objects));
  return cache.get(env)!;
}

/** All objects of a built environment, in output order. */
export function objectsOf(env: Environment): KubeObject[] {
  return renderObjects(env).flatMap(([, objects]) => objects);
}

/** Objects of one chart file of an environment (a fresh copy of the worker's one render: safe to mutate). */
export function chartObjects(env: string, chart: string): KubeObject[] {
  const found = rendered(env).find(([file]) => file === chart);
  if (!found) throw new Error(`no chart ${chart}`);
  return structuredClone(found[1]);
}

/** Settings of an environment, freshly loaded (safe to mutate). */
export function settingsOf(env: string): Settings {
  return loadSettings(env);
}

/** The one object of a kind and name (and namespace, if given); fails the test when absent. */
export function find<T = any>(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): T {
  const hits = objects.filter((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (hits.length !== 1) throw new Error(`expected exactly one ${kind} ${name}${namespace ? ` in ${namespace}` : ''}, found ${hits.length}`);
  return hits[0] as T;
}

/** Objects of a kind. */
export function ofKind<T = any>(objects: readonly KubeObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

/** Pod templates (with their owner) of every workload in the output, including Jobs and CronJobs. */
export function podSpecs(objects: readonly KubeObject[]): Array<{ owner: string; spec: any }> {
  const out: Array<{ owner: string; spec: any }> = [];
  for (const o of objects as any[]) {
    const owner = `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (o.kind === 'Pod') out.push({ owner, spec: o.spec });
    else if (o.kind === 'CronJob') out.push({ owner, spec: o.spec?.jobTemplate?.spec?.template?.spec });
    else if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(o.kind)) out.push({ owner, spec: o.spec?.template?.spec });
  }
  return out;
}

/** A copy of config/environments in a temp folder, for tests that break settings on purpose. */
export function copyEnvironments(): string {
  const dir = mkdtempSync(join(tmpdir(), 'finbot-envs-'));
  cpSync(ENVIRONMENTS_DIR, dir, { recursive: true });
  return dir;
}

/**
 * A scratch copy of config/environments for tests that break settings on purpose: `edit` replaces text in
 * one settings file (failing when nothing matched, so a stale edit cannot pass silently), `errorOf` returns
 * the SettingsError loading an environment gives. Call `setup()` in beforeEach and `cleanup()` in afterEach.
 */
export function scratchSettings() {
  let dir = '';
  return {
    get dir(): string {
      return dir;
    },
    setup(): void {
      dir = copyEnvironments();
    },
    cleanup(): void {
      rmSync(dir, { recursive: true, force: true });
    },
    edit(env: string, section: string, from: string | RegExp, to: string): void {
      const file = join(dir, env, `${section}.yaml`);
      const text = readFileSync(file, 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit found nothing to replace in ${file}`);
      writeFileSync(file, next);
    },
    errorOf(env: string): SettingsError {
      try {
        loadSettings(env, dir);
      } catch (e) {
        if (e instanceof SettingsError) return e;
        throw e;
      }
      throw new Error('expected a SettingsError');
    },
  };
}
