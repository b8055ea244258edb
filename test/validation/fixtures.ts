/**
 * Fixtures for the validation tests: the real output of an environment (with the file each object is in),
 * which now holds every kind the rules check (CloudNativePG, Redis, ExternalSecret, Ingress, Istio,
 * ServiceMonitor, Argo CD, ...), and helpers to break one object of it.
 */
import { buildEnvironment } from '../../charts/environment';
import { loadSettings } from '../../config/load';
import { renderObjects } from '../../synth/render';
import { validateObjects } from '../../validation/engine';
import { optionsFor } from '../../validation/run';
import { ruleById } from '../../validation/registry';
import type { KubeObject, SourcedObject, ValidationOptions, Violation } from '../../validation/types';

const rendered = new Map<string, SourcedObject[]>();

/**
 * The real output of an environment as sourced objects (a fresh deep copy: safe to break). Rendered once per
 * environment and test file (rendering is most of a case's time; a copy takes a few milliseconds).
 */
export function realOutput(env: string): SourcedObject[] {
  let objects = rendered.get(env);
  if (!objects) {
    objects = renderObjects(buildEnvironment(loadSettings(env))).flatMap(([file, list]) => list.map((o) => ({ object: o, file: `dist/${env}/${file}.yaml` })));
    rendered.set(env, objects);
  }
  return objects.map((s) => ({ object: structuredClone(s.object), file: s.file }));
}

const ext = (object: object): SourcedObject => ({ object: object as KubeObject, file: 'fixtures/extra.yaml' });

/**
 * The real production output: it has every chart now (apps, data, edge, mesh, secrets, observability,
 * cluster, gitops, validation), so every rule has real objects to check and no hand-written extras are needed.
 */
export function fullProduction(): SourcedObject[] {
  return realOutput('production');
}

/** The api is released blue-green: "Deployment finbot-api" in the cases means the live colour's Deployment. */
export const LIVE_API = `finbot-api-${loadSettings('production').release.api.active}`;
const alias = (kind: string, name: string): string => (kind === 'Deployment' && name === 'finbot-api' ? LIVE_API : name);

const matches = (s: SourcedObject, kind: string, name: string, namespace?: string): boolean =>
  s.object.kind === kind && s.object.metadata.name === name && (namespace === undefined || (s.object.metadata.namespace ?? '') === namespace);

/** The one object of a kind and name (mutable, for breaking it); give the namespace when the name is not unique. */
export function get(objects: readonly SourcedObject[], kind: string, name: string, namespace?: string): any {
  name = alias(kind, name);
  const hits = objects.filter((s) => matches(s, kind, name, namespace));
  if (hits.length !== 1) throw new Error(`fixture has ${hits.length} ${kind} ${namespace ?? '*'}/${name}`);
  return hits[0].object;
}

/** Removes an object by kind and name (and namespace when the name is not unique). */
export function remove(objects: SourcedObject[], kind: string, name: string, namespace?: string): void {
  name = alias(kind, name);
  const hits = objects.filter((s) => matches(s, kind, name, namespace));
  if (hits.length !== 1) throw new Error(`fixture has ${hits.length} ${kind} ${namespace ?? '*'}/${name}`);
  objects.splice(objects.indexOf(hits[0]), 1);
}

/** Adds an object (from a fixture file). */
export function add(objects: SourcedObject[], object: object): void {
  objects.push(ext(object));
}

/** Violations of one rule only. */
export function violationsOf(rule: string, objects: readonly SourcedObject[], options: ValidationOptions = {}): Promise<Violation[]> {
  return validateObjects(objects, { ...PRODUCTION_OPTIONS, ...options }, [ruleById(rule)]);
}

/** What `npm run validate` uses for production (its settings: operators' namespaces are external, ...). */
export const PRODUCTION_OPTIONS: ValidationOptions = optionsFor('production');

/** The api Deployment's pod spec. */
export function apiPod(objects: readonly SourcedObject[]): any {
  return get(objects, 'Deployment', 'finbot-api').spec.template.spec;
}
