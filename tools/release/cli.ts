/** Shared plumbing of the release CLIs: settings folder, environment check, re-synthesis, exit codes. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { listEnvironments, loadSettings, SettingsError } from '../../config/load';
import { ENVIRONMENTS_DIR, REPO_ROOT } from '../../config/paths';
import type { Settings } from '../../config/schema';
import { CommandError } from './release-commands';
import { drawDiagrams } from '../diagram/draw';

/** config/environments, or FINBOT_CONFIG_DIR (tests and fixtures), as for `npm run synth`. */
export function configDir(): string {
  return process.env.FINBOT_CONFIG_DIR ? resolve(process.env.FINBOT_CONFIG_DIR) : ENVIRONMENTS_DIR;
}

/** Validated settings of a known environment; a clear refusal otherwise. */
export function settingsFor(env: string, dir: string): Settings {
  const envs = listEnvironments(dir);
  if (!envs.includes(env)) throw new CommandError(`unknown environment "${env}"; known environments: ${envs.join(', ')}`);
  try {
    return loadSettings(env, dir);
  } catch (err) {
    if (err instanceof SettingsError) throw new CommandError(`the current settings are invalid, fix them first: ${err.message}`);
    throw err;
  }
}

/**
 * Runs `npm run synth -- <env>` in this process's environment, then redraws docs/diagrams/<env>.svg from the
 * new dist/<env> (the diagram marks the live colour, so a promotion changes it; CI checks it is fresh).
 * With FINBOT_DIST_DIR set, synth writes elsewhere and the committed diagram is left alone. Returns the exit code.
 */
export function resynth(env: string): number {
  const r = spawnSync('sh', [join(REPO_ROOT, 'fast-start', 'run.sh'), 'synth', env], { stdio: 'inherit', env: process.env });
  if (r.status !== 0 || process.env.FINBOT_DIST_DIR) return r.status ?? 1;
  for (const f of drawDiagrams({ envs: [env] }).written) process.stdout.write(`redrew ${f.slice(REPO_ROOT.length + 1)}\n`);
  return 0;
}

/** Runs a CLI body, turning refusals into `error: ...` on stderr and exit code 1 (2 for usage errors). */
export function run(usage: string, body: (args: string[]) => number): void {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    process.exitCode = 0;
    return;
  }
  try {
    process.exitCode = body(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${usage}\n`);
      process.exitCode = 2;
    } else if (err instanceof CommandError) {
      process.stderr.write(`error: ${err.message}\nNothing was changed.\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`error: ${(err as Error).message}\nNothing was changed.\n`);
      process.exitCode = 1;
    }
  }
}

/** Wrong number or shape of arguments. */
export class UsageError extends Error {}
