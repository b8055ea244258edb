/**
 * Loads and validates the settings of an environment from `config/environments/<env>/<section>.yaml`.
 * Every failure becomes one {@link SettingsError} that names the environment, the file and the field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as yaml from 'js-yaml';
import type { z } from 'zod';
import { sectionSchemas, settingsSchema, type Settings } from './schema';

import { ENVIRONMENTS_DIR } from './paths';

export { ENVIRONMENTS_DIR };

/** A settings problem with everything a user needs to find and fix it. */
export class SettingsError extends Error {
  constructor(
    readonly environment: string,
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${environment}: ${file}${field ? `: ${field}` : ''}: ${problem}`);
    this.name = 'SettingsError';
  }
}

/** The environments that exist (folder names under config/environments), sorted. */
export function listEnvironments(dir: string = ENVIRONMENTS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

/** Reads the raw (unvalidated) section objects of an environment; YAML errors carry the file and line. */
export function readRawSections(env: string, dir: string = ENVIRONMENTS_DIR): Record<string, unknown> {
  const envs = listEnvironments(dir);
  if (!envs.includes(env)) {
    throw new SettingsError(env, display(dir), '', `unknown environment "${env}"; known environments: ${envs.join(', ')}`);
  }
  const envDir = join(dir, env);
  const raw: Record<string, unknown> = {};
  for (const fileName of readdirSync(envDir).sort()) {
    const file = join(envDir, fileName);
    if (!/\.ya?ml$/.test(fileName)) continue;
    const section = fileName.replace(/\.ya?ml$/, '');
    if (!(section in sectionSchemas)) {
      throw new SettingsError(env, display(file), '', `unknown settings file; expected one of: ${Object.keys(sectionSchemas).map((s) => `${s}.yaml`).join(', ')}`);
    }
    try {
      raw[section] = yaml.load(readFileSync(file, 'utf8'), { filename: fileName }) ?? {};
    } catch (err) {
      const e = err as { reason?: string; mark?: { line: number; column: number } };
      const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
      throw new SettingsError(env, display(file), where, `malformed YAML: ${e.reason ?? String(err)}`);
    }
  }
  for (const section of Object.keys(sectionSchemas)) {
    if (!(section in raw)) {
      throw new SettingsError(env, display(join(envDir, `${section}.yaml`)), '', 'file is missing: every environment needs one file per section');
    }
  }
  return raw;
}

/** Validates raw sections; the first issue becomes a SettingsError naming the section's file and the field. */
export function parseSettings(env: string, raw: Record<string, unknown>, dir: string = ENVIRONMENTS_DIR): Settings {
  const result = settingsSchema.safeParse({ name: env, ...raw });
  if (result.success) return result.data;
  const issue: z.core.$ZodIssue = result.error.issues[0];
  const [section, ...rest] = issue.path;
  const file = section === undefined || section === 'name' ? display(join(dir, env)) : display(join(dir, env, `${String(section)}.yaml`));
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    return fail(env, file, formatPath([...rest]), `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against config/settings.schema.json`);
  }
  if (issue.code === 'invalid_type' && message.includes('received undefined')) message = `required field is missing (${message})`;
  return fail(env, file, formatPath(rest), message);
}

function fail(env: string, file: string, field: string, problem: string): never {
  throw new SettingsError(env, file, field, problem);
}

/** Loads, validates and returns the settings of one environment. */
export function loadSettings(env: string, dir: string = ENVIRONMENTS_DIR): Settings {
  return parseSettings(env, readRawSections(env, dir), dir);
}

/** True when the folder holds environments (used by tools that take a fixture folder). */
export function isEnvironmentsDir(dir: string): boolean {
  return existsSync(dir) && listEnvironments(dir).length > 0;
}
