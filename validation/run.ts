/**
 * Validates manifests of one or more environments with each environment's `validation` settings: what both
 * `npm run validate` and the cdk8s validation plugin call.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from '../config/load';
import { ENVIRONMENTS_DIR } from '../config/paths';
import { validateObjects } from './engine';
import { loadManifests, parseManifest } from './manifests';
import type { EnvironmentResult } from './report';
import type { ValidationOptions } from './types';

/**
 * Validation options of an environment from its settings; none when the environment has no settings folder.
 * Namespaces that other settings already name as existing outside the output (the operators' namespaces,
 * Argo CD's, Istio's) count as external without being listed again in validation.yaml.
 */
export function optionsFor(env: string, configDir: string = ENVIRONMENTS_DIR): ValidationOptions {
  if (!existsSync(join(configDir, env))) return {};
  const settings = loadSettings(env, configDir);
  const external = new Set([
    ...settings.validation.externalNamespaces,
    ...Object.values(settings.data.operatorNamespaces),
    ...Object.values(settings.observability.operatorNamespaces),
    settings.gitops.argocdNamespace,
    'istio-system',
  ]);
  return { ...settings.validation, externalNamespaces: [...external].sort() };
}

/** Validates manifest files, grouped by environment (the folder each file is in). */
export async function validateManifests(files: readonly string[], configDir: string = ENVIRONMENTS_DIR): Promise<EnvironmentResult[]> {
  const results: EnvironmentResult[] = [];
  for (const [environment, objects] of loadManifests(files)) {
    results.push({ environment, objects: objects.length, violations: await validateObjects(objects, optionsFor(environment, configDir)) });
  }
  return results;
}

/**
 * Validates one environment's files given as text (file name → YAML) as {@link validateManifests} does once
 * they are written to `dist/<environment>/`: for warming up a startup snapshot without writing anything.
 */
export async function validateRendered(environment: string, files: ReadonlyMap<string, string>, configDir: string = ENVIRONMENTS_DIR): Promise<EnvironmentResult> {
  const objects = [...files.keys()].sort().flatMap((file) => parseManifest(files.get(file)!, join('dist', environment, file)));
  return { environment, objects: objects.length, violations: await validateObjects(objects, optionsFor(environment, configDir)) };
}
