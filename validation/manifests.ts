/** Reads manifests (multi-document YAML) into objects grouped by environment (the folder they are in). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { splitSourceStream } from '../model/source-stream';
import { loadYamlStream } from '../model/yaml-load';
import type { KubeObject, SourcedObject } from './types';

/** Objects of the given manifest files, grouped by environment = name of the folder holding the file. */
export function loadManifests(files: readonly string[], root: string = process.cwd()): Map<string, SourcedObject[]> {
  const out = new Map<string, SourcedObject[]>();
  const add = (env: string, file: string, text: string) => {
    const rel = relative(root, file);
    const display = rel.startsWith('..') ? file : rel;
    const list = out.get(env) ?? [];
    list.push(...parseManifest(text, display));
    out.set(env, list);
  };
  for (const file of [...files].sort()) {
    const text = readFileSync(file, 'utf8');
    // One stream of several files (model/source-stream.ts): each part as the file it came from, next to the stream.
    const parts = splitSourceStream(text);
    if (parts) for (const p of parts) add(p.env, join(dirname(file), p.env, p.file), p.text);
    else add(basename(dirname(file)), file, text);
  }
  return out;
}

/** The objects of one manifest's text (multi-document YAML), each with the file name to show. */
export function parseManifest(text: string, file: string): SourcedObject[] {
  return loadYamlStream(text)
    .filter((d): d is KubeObject => d !== null && typeof d === 'object')
    .map((object) => ({ object, file }));
}

/** The YAML files of dist/<env>/ for the given environments (all folders when none given). */
export function distManifests(distDir: string, envs: readonly string[] = []): string[] {
  if (!existsSync(distDir)) return [];
  const folders = envs.length > 0 ? envs : readdirSync(distDir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  return folders.flatMap((env) => {
    const dir = join(distDir, env);
    if (!existsSync(dir)) throw new Error(`no folder ${dir}: run npm run synth first (or check the environment name)`);
    return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
  });
}
