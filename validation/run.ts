/**
 * Validates manifests of one or more environments with each environment's `validation` settings: what both
 * `npm run validate` and the cdk8s validation plugin call.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadSettings } from '../config/load';
import { ENVIRONMENTS_DIR } from '../config/paths';
import { validateObjects } from './engine';
import { distManifests, loadManifests } from './manifests';
import type { EnvironmentResult } from './report';
import type { SourcedObject, ValidationOptions } from './types';

/**
 * Validation options of an environment from its settings; none when the environment has no settings folder.
 * Namespaces that other settings already name as existing outside the output (the operators' namespaces,
 * Argo CD's, Istio's) count as external without being listed again in validation.yaml.
 */
export function optionsFor(env: string, configDir: string = ENVIRONMENTS_DIR): ValidationOptions & { drPeer?: string } {
  if (!existsSync(join(configDir, env))) return {};
  const settings = loadSettings(env, configDir);
  const external = new Set([
    ...settings.validation.externalNamespaces,
    ...Object.values(settings.data.operatorNamespaces),
    ...Object.values(settings.observability.operatorNamespaces),
    settings.gitops.argocdNamespace,
    'istio-system',
  ]);
  return { ...settings.validation, externalNamespaces: [...external].sort(), environment: env, ...(settings.platform.dr ? { drPeer: settings.platform.dr.peer } : {}) };
}

/**
 * The output of a disaster-recovery peer: from the files being validated, else from the peer's folder next to
 * them (dist/<peer>/), else next to the folder holding them (a synth's staging folder inside dist/).
 */
function peerObjects(peer: string, loaded: ReadonlyMap<string, SourcedObject[]>, files: readonly string[]): SourcedObject[] | undefined {
  const given = loaded.get(peer);
  if (given) return given;
  const roots = [...new Set(files.map((f) => dirname(dirname(resolve(f)))))];
  for (const root of roots.flatMap((r) => [r, dirname(r)])) {
    const dir = join(root, peer);
    if (existsSync(dir)) return loadManifests(distManifests(root, [peer])).get(peer);
  }
  return undefined;
}

/** Validates manifest files, grouped by environment (the folder each file is in). */
export async function validateManifests(files: readonly string[], configDir: string = ENVIRONMENTS_DIR): Promise<EnvironmentResult[]> {
  const results: EnvironmentResult[] = [];
  const loaded = loadManifests(files);
  for (const [environment, objects] of loaded) {
    const { drPeer, ...options } = optionsFor(environment, configDir);
    const peer = drPeer ? peerObjects(drPeer, loaded, files) : undefined;
    results.push({ environment, objects: objects.length, violations: await validateObjects(objects, peer ? { ...options, peer: { environment: drPeer!, objects: peer } } : options) });
  }
  return results;
}
