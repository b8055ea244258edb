/**
 * Validates manifests of one or more environments with each environment's `validation` settings: what both
 * `npm run validate` and the cdk8s validation plugin call.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { listEnvironments, loadSettings } from '../config/load';
import type { Settings } from '../config/schema';
import { ENVIRONMENTS_DIR } from '../config/paths';
import { validateObjects } from './engine';
import { distManifests, loadManifests, parseManifest } from './manifests';
import type { EnvironmentResult } from './report';
import type { SourcedObject, ValidationOptions } from './types';

/**
 * Validation options of an environment from its settings; none when the environment has no settings folder.
 * Namespaces that other settings already name as existing outside the output (the operators' namespaces,
 * Argo CD's, Istio's) count as external without being listed again in validation.yaml.
 */
export function optionsFor(env: string, configDir: string = ENVIRONMENTS_DIR, loaded: Map<string, Settings | undefined> = new Map()): ValidationOptions & { drPeer?: string } {
  if (!existsSync(join(configDir, env))) return {};
  const settingsOf = (e: string): Settings | undefined => {
    if (!loaded.has(e)) {
      try {
        loaded.set(e, loadSettings(e, configDir));
      } catch (err) {
        if (e === env) throw err;
        loaded.set(e, undefined); // reported when that environment is synthesized or validated itself
      }
    }
    return loaded.get(e);
  };
  const settings = settingsOf(env)!;
  // What data/own-backup-bucket compares this environment's writes with.
  const otherBackupBuckets = Object.fromEntries(listEnvironments(configDir).filter((e) => e !== env)
    .flatMap((e) => { const b = settingsOf(e)?.data.backups.bucket; return b ? [[e, b]] : []; }));
  const external = new Set([
    ...settings.validation.externalNamespaces,
    ...Object.values(settings.data.operatorNamespaces),
    ...Object.values(settings.observability.operatorNamespaces),
    settings.gitops.argocdNamespace,
    'istio-system',
  ]);
  return { ...settings.validation, externalNamespaces: [...external].sort(), environment: env, otherBackupBuckets, ...(settings.platform.dr ? { drPeer: settings.platform.dr.peer } : {}) };
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

/**
 * Validates manifest files, grouped by environment (the folder each file is in). `settings`: environments'
 * settings already loaded from `configDir` in this process (the synth's), read instead of loading them again.
 */
export async function validateManifests(files: readonly string[], configDir: string = ENVIRONMENTS_DIR, settings: ReadonlyMap<string, Settings> = new Map()): Promise<EnvironmentResult[]> {
  const results: EnvironmentResult[] = [];
  const loaded = loadManifests(files);
  const known = new Map<string, Settings | undefined>(settings); // each environment's settings loaded once per run
  for (const [environment, objects] of loaded) {
    const { drPeer, ...options } = optionsFor(environment, configDir, known);
    const peer = drPeer ? peerObjects(drPeer, loaded, files) : undefined;
    results.push({ environment, objects: objects.length, violations: await validateObjects(objects, peer ? { ...options, peer: { environment: drPeer!, objects: peer } } : options) });
  }
  return results;
}

/**
 * Validates one environment's files given as text (file name → YAML) as {@link validateManifests} does once
 * they are written to `dist/<environment>/`: for warming up a startup snapshot without writing anything.
 */
export async function validateRendered(environment: string, files: ReadonlyMap<string, string>, configDir: string = ENVIRONMENTS_DIR): Promise<EnvironmentResult> {
  const objects = [...files.keys()].sort().flatMap((file) => parseManifest(files.get(file)!, join('dist', environment, file)));
  // Alone, without a DR peer's objects: the rules that compare with the peer have nothing to compare.
  const { drPeer: _peer, ...options } = optionsFor(environment, configDir);
  return { environment, objects: objects.length, violations: await validateObjects(objects, options) };
}
