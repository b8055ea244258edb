/**
 * `npm run validate`: the checks of the cdk8s validation plugin on dist/ alone (no synth).
 * Entry point run by fast-start/validate.mjs, which passes argv and the environment in.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listEnvironments } from '../config/load';
import type { Settings } from '../config/schema';
import { DIST_DIR, ENVIRONMENTS_DIR } from '../config/paths';
import { DistLockedError, lockDist, readJournal, recoverDist } from '../model/dist-journal';
import { RULES } from './registry';
import { distManifests } from './manifests';
import { pluginReport } from './plugin-core';
import { formatJson, formatText } from './report';
import { validateManifests } from './run';

const HELP = `Validates dist/<env>/*.yaml: schemas (strict), restricted Pod Security Standard, production policy,
cross-references and NetworkPolicy reachability. The same checks run after \`npx cdk8s synth\`.

Usage: npm run validate [-- [--json] [--rules] [ENV ...]]

  ENV        environment folder(s) of dist/ to validate (default: all)
  --json     print the report as JSON (stdout)
  --rules    list the rules and exit
  --help     show this help

Environment variables: FINBOT_DIST_DIR (default dist), FINBOT_CONFIG_DIR (default config/environments).
Before validating, a dist/ left half-replaced by an interrupted synth is rolled back (with a note), and a
dist/ that lacks an environment of config/environments is refused.

Exit code: 0 no violations, 1 violations, 2 usage or read error. Rules and exceptions: docs/validation.md`;

/**
 * Rolls back an interrupted synth's swap (and removes stale staging folders) so that what is validated is a
 * whole dist/, and refuses a dist/ that lacks an environment of config/environments.
 */
function checkDistState(distDir: string, configDir: string, envs: readonly string[], err: (s: string) => void): string | undefined {
  if (!existsSync(distDir)) return undefined;
  const leftovers = readJournal(distDir) !== undefined || readdirSync(distDir).some((e) => e.startsWith('.tmp-'));
  if (leftovers) {
    let lock;
    try {
      lock = lockDist(distDir, { timeoutMs: 0 });
    } catch (e) {
      if (e instanceof DistLockedError) return `a synth (pid ${e.holder}) is writing ${distDir} right now: run npm run validate when it has finished`;
      throw e;
    }
    try {
      for (const note of recoverDist(distDir)) err(`note: ${note}\n`);
    } finally {
      lock.release();
    }
  }
  if (envs.length === 0 && existsSync(configDir)) {
    const present = new Set(readdirSync(distDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name));
    const missing = listEnvironments(configDir).filter((e) => !present.has(e) || readdirSync(join(distDir, e)).length === 0);
    if (missing.length > 0) {
      return `${distDir} lacks ${missing.map((e) => `${e}/`).join(', ')} although config/environments has ${missing.length === 1 ? 'it' : 'them'}: run npm run synth (validating only the rest would pass a dist/ Argo CD cannot apply whole)`;
    }
  }
  return undefined;
}

/** First argument of the plugin's call: `--cdk8s-plugin MANIFEST...` prints the CLI report as JSON. */
export const PLUGIN_OPTION = '--cdk8s-plugin';

/**
 * Runs the command; returns the exit code. `settings`: environments' settings the caller already loaded from
 * the same config folder (the synth, validating what it staged), so they are not read twice.
 */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (s: string) => void, err: (s: string) => void, settings?: ReadonlyMap<string, Settings>): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`${HELP}\n`);
    return 0;
  }
  if (argv.includes('--rules')) {
    out(RULES.map((r) => `${r.id.padEnd(32)} ${r.description}`).join('\n') + '\n');
    return 0;
  }
  const distDir = env.FINBOT_DIST_DIR ? resolve(env.FINBOT_DIST_DIR) : DIST_DIR;
  const configDir = env.FINBOT_CONFIG_DIR ? resolve(env.FINBOT_CONFIG_DIR) : ENVIRONMENTS_DIR;
  if (argv[0] === PLUGIN_OPTION) {
    // For validation/plugin/index.cjs (the cdk8s CLI's plugin): the report of the given manifests as JSON.
    try {
      out(`${JSON.stringify(pluginReport(await validateManifests(argv.slice(1), configDir)))}\n`);
      return 0;
    } catch (e) {
      err(`error: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--json');
  if (unknown.length > 0) {
    err(`error: unknown option(s) ${unknown.join(', ')}\n\n${HELP}\n`);
    return 2;
  }
  try {
    const envs = argv.filter((a) => !a.startsWith('-'));
    const refused = checkDistState(distDir, configDir, envs, err);
    if (refused) {
      err(`error: ${refused}\n`);
      return 2;
    }
    const files = distManifests(distDir, envs);
    if (files.length === 0) {
      err(`error: no manifests in ${distDir}: run npm run synth first\n`);
      return 2;
    }
    const results = await validateManifests(files, configDir, settings);
    out(argv.includes('--json') ? formatJson(results) : formatText(results));
    return results.some((r) => r.violations.length > 0) ? 1 : 0;
  } catch (e) {
    err(`error: ${(e as Error).message}\n`);
    return 2;
  }
}
