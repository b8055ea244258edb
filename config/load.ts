/**
 * Loads and validates the settings of an environment from `config/environments/<env>/<section>.yaml`.
 * Every problem becomes one {@link SettingsProblem} naming the environment, the file, the field (YAML path) and,
 * where the file has it, the line and column; ALL problems of a run are reported together in one
 * {@link SettingsError}.
 *
 * What is checked at load is listed in docs/settings.md.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as yaml from 'js-yaml';
import { REPO_ROOT, ENVIRONMENTS_DIR } from './paths';
import { sectionSchemas, settingsSchema, withRegionRole, type Settings } from './schema';
import { positionOf, yamlPositions, type Position } from './yaml-positions';

export { ENVIRONMENTS_DIR };

/** One settings problem with everything a user needs to find and fix it. */
export interface SettingsProblem {
  readonly environment: string;
  /** The file (relative to the working directory when inside it). */
  readonly file: string;
  /** YAML path such as `api.resources.limits.memory` ('' for the file as a whole). */
  readonly field: string;
  readonly problem: string;
  /** Where the field (or its nearest parent present in the file) is, when the file has it. */
  readonly position?: Position;
}

/** One line per problem: `env: file: field: problem (line L, column C)`. */
export function formatProblem(p: SettingsProblem): string {
  const where = p.position ? ` (line ${p.position.line}, column ${p.position.column})` : '';
  return `${p.environment}: ${p.file}${p.field ? `: ${p.field}` : ''}: ${p.problem}${where}`;
}

/**
 * Settings problems. `environment`, `file`, `field` and `problem` are the first problem's; `problems` lists all
 * of them (every file and every environment of the run), and the message has one line per problem.
 */
export class SettingsError extends Error {
  readonly problems: readonly SettingsProblem[];

  constructor(environment: string, file: string, field: string, problem: string);
  constructor(problems: readonly SettingsProblem[]);
  constructor(...args: [string, string, string, string] | [readonly SettingsProblem[]]) {
    const problems: readonly SettingsProblem[] = args.length === 1 ? args[0] : [{ environment: args[0], file: args[1], field: args[2], problem: args[3] }];
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SettingsError';
    this.problems = problems;
  }

  get environment(): string {
    return this.problems[0].environment;
  }
  get file(): string {
    return this.problems[0].file;
  }
  get field(): string {
    return this.problems[0].field;
  }
  get problem(): string {
    return this.problems[0].problem;
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

/** Byte offset of the first byte that is not valid UTF-8, or -1. */
export function invalidUtf8Offset(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Whether `inner` is `outer` or inside it. */
function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The texts and files each raw-section object was read from (for positions in error messages). */
const sources = new WeakMap<object, Map<string, { file: string; text: string }>>();

/** Problems found while reading files; thrown together with the schema's problems by {@link loadSettings}. */
const readProblems = new WeakMap<object, SettingsProblem[]>();

/**
 * Reads the raw (unvalidated) section objects of an environment. File problems (unknown, missing or duplicate
 * files, not UTF-8, malformed YAML, directories, symlinks leaving the repository) are collected; the first call
 * that needs the raw sections whole ({@link parseSettings}) reports them with the schema's.
 * Throws at once only for an unknown environment.
 */
export function readRawSections(env: string, dir: string = ENVIRONMENTS_DIR): Record<string, unknown> {
  const envs = listEnvironments(dir);
  if (!envs.includes(env)) {
    throw new SettingsError(env, display(dir), '', `unknown environment "${env}"; known environments: ${envs.join(', ')}`);
  }
  const envDir = join(dir, env);
  const raw: Record<string, unknown> = {};
  const problems: SettingsProblem[] = [];
  const texts = new Map<string, { file: string; text: string }>();
  const problem = (file: string, field: string, text: string, position?: Position) =>
    problems.push({ environment: env, file: display(file), field, problem: text, ...(position ? { position } : {}) });
  const allowedRoots = [REPO_ROOT, resolve(dir)].map((r) => {
    try {
      return realpathSync(r);
    } catch {
      return r;
    }
  });
  const seen = new Map<string, string>();
  for (const fileName of readdirSync(envDir).sort()) {
    const file = join(envDir, fileName);
    if (!/\.ya?ml$/.test(fileName)) continue;
    const section = fileName.replace(/\.ya?ml$/, '');
    if (!(section in sectionSchemas)) {
      problem(file, '', `unknown settings file; expected one of: ${Object.keys(sectionSchemas).map((s) => `${s}.yaml`).join(', ')}`);
      continue;
    }
    const other = seen.get(section);
    if (other !== undefined) {
      problem(file, '', `${other} is in the same folder: keep exactly one of ${section}.yaml and ${section}.yml (edits to the other would be ignored)`);
      delete raw[section];
      continue;
    }
    seen.set(section, fileName);
    const link = lstatSync(file);
    if (link.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(file);
      } catch {
        problem(file, '', 'is a symbolic link to a file that does not exist; point it at a settings file in the repository or replace it with the file');
        continue;
      }
      if (!allowedRoots.some((root) => isInside(target, root))) {
        problem(file, '', `is a symbolic link to ${target}, outside the repository: settings must be reviewed in this repository; copy the file here`);
        continue;
      }
    }
    const st = statSync(file);
    if (st.isDirectory()) {
      problem(file, '', 'is a directory, not a settings file; remove it or move its content into one file');
      continue;
    }
    if (!st.isFile()) {
      problem(file, '', 'is not a regular file');
      continue;
    }
    const bytes = readFileSync(file);
    const bad = invalidUtf8Offset(bytes);
    if (bad >= 0) {
      problem(file, '', `is not UTF-8: byte 0x${bytes[bad].toString(16).padStart(2, '0')} at byte offset ${bad} (line ${bytes.subarray(0, bad).toString('latin1').split('\n').length}); save the file as UTF-8`);
      continue;
    }
    const text = bytes.toString('utf8');
    try {
      raw[section] = yaml.load(text, { filename: fileName }) ?? {};
      texts.set(section, { file, text });
    } catch (err) {
      const e = err as { reason?: string; mark?: { line: number; column: number } };
      const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
      problem(file, where, `malformed YAML: ${e.reason ?? String(err)}`);
    }
  }
  for (const section of Object.keys(sectionSchemas)) {
    if (!seen.has(section)) problem(join(envDir, `${section}.yaml`), '', 'file is missing: every environment needs one file per section');
  }
  sources.set(raw, texts);
  readProblems.set(raw, problems);
  return raw;
}

/**
 * Validates raw sections; every problem (the files' and the schema's) becomes one line of one SettingsError,
 * naming the section's file, the field and its line and column.
 */
export function parseSettings(env: string, raw: Record<string, unknown>, dir: string = ENVIRONMENTS_DIR): Settings {
  const problems = [...(readProblems.get(raw) ?? [])];
  const result = settingsSchema.safeParse({ name: env, ...raw });
  if (result.success && problems.length === 0) return withRegionRole(result.data);
  const texts = sources.get(raw);
  const positions = new Map<string, ReturnType<typeof yamlPositions>>();
  for (const issue of result.success ? [] : result.error.issues) {
    const [section, ...rest] = issue.path;
    const sectionFile = join(dir, env, `${String(section)}.yaml`);
    const source = texts?.get(String(section));
    const file = section === undefined || section === 'name' ? display(join(dir, env)) : display(source?.file ?? sectionFile);
    // A section whose file could not be read is reported once, by the file problem.
    if (section !== undefined && !(String(section) in raw)) continue;
    let position: Position | undefined;
    if (source) {
      if (!positions.has(source.file)) positions.set(source.file, yamlPositions(source.text));
      position = positionOf(positions.get(source.file)!, rest);
    }
    let message = issue.message;
    const field = formatPath(rest);
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against config/settings.schema.json`;
      if (source) position = positionOf(positions.get(source.file)!, [...rest, issue.keys[0]]) ?? position;
    } else if (issue.code === 'invalid_key') {
      // A record key (e.g. an extra worker's name): the key's own rule says what is wrong.
      message = `the name ${issue.issues.map((i) => i.message).join('; ')}`;
    } else if (issue.code === 'invalid_type' && message.includes('received undefined')) {
      message = `required field is missing (${message})`;
    }
    problems.push({ environment: env, file, field, problem: message, ...(position ? { position } : {}) });
  }
  throw new SettingsError(problems);
}

/** Loads, validates and returns the settings of one environment. */
export function loadSettings(env: string, dir: string = ENVIRONMENTS_DIR): Settings {
  return parseSettings(env, readRawSections(env, dir), dir);
}

/**
 * Loads several environments and reports the problems of all of them in one SettingsError (a run shows every
 * settings problem, not only the first).
 */
export function loadAllSettings(envs: readonly string[], dir: string = ENVIRONMENTS_DIR): Map<string, Settings> {
  const out = new Map<string, Settings>();
  const problems: SettingsProblem[] = [];
  for (const env of envs) {
    try {
      out.set(env, loadSettings(env, dir));
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return out;
}

/** True when the folder holds environments (used by tools that take a fixture folder). */
export function isEnvironmentsDir(dir: string): boolean {
  return existsSync(dir) && listEnvironments(dir).length > 0;
}
