/**
 * Entry point of `npx cdk8s synth` and `npm run synth`: loads and validates the settings of each
 * environment, renders every chart and writes dist/<env>/*.yaml all-or-nothing.
 *
 * Usage: main.ts [--help] [ENV ...]   (default: every folder in config/environments; or FINBOT_ENV=a,b)
 * The only module that reads process.env or argv.
 *
 * Run directly, it synthesizes at once. When fast-start/synth.mjs builds a V8 startup snapshot of the bundled
 * app, nothing runs at load; the snapshot's prelude calls {@link warmUp} and later {@link cli}.
 */
import { resolve } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { buildEnvironment } from './charts/environment';
import { listEnvironments, loadSettings, SettingsError } from './config/load';
import { DIST_DIR, ENVIRONMENTS_DIR } from './config/paths';
import { renderEnvironment } from './synth/render';
import { mirror, writeDist, type RenderedEnvironment } from './synth/write-dist';

const HELP = `Synthesizes dist/<env>/*.yaml from config/environments/<env>/*.yaml.

Usage: npm run synth [-- ENV ...]
       npx cdk8s synth            (same, then runs the validation plugin of cdk8s.yaml)

  ENV        environment(s) to synthesize (default: all; also FINBOT_ENV=production,staging)
  --help     show this help

Environment variables (for tests and fixtures):
  FINBOT_CONFIG_DIR  folder of environment folders   (default: config/environments)
  FINBOT_DIST_DIR    output folder                    (default: dist)

On any error nothing in dist/ changes and the exit code is 1.`;

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const requested = argv.length > 0 ? [...argv] : (process.env.FINBOT_ENV?.split(',').filter(Boolean) ?? []);
  const configDir = process.env.FINBOT_CONFIG_DIR ? resolve(process.env.FINBOT_CONFIG_DIR) : ENVIRONMENTS_DIR;
  const distDir = process.env.FINBOT_DIST_DIR ? resolve(process.env.FINBOT_DIST_DIR) : DIST_DIR;
  const all = listEnvironments(configDir);
  const envs = requested.length > 0 ? requested : all;
  const rendered = new Map<string, RenderedEnvironment>();
  for (const env of envs) {
    rendered.set(env, renderEnvironment(buildEnvironment(loadSettings(env, configDir))));
  }
  writeDist(distDir, rendered, { prune: requested.length === 0 });
  // The cdk8s CLI runs its validation plugins on what the app leaves in CDK8S_OUTDIR.
  const cliOut = process.env.CDK8S_OUTDIR;
  if (cliOut && resolve(cliOut) !== distDir) mirror(distDir, rendered.keys(), cliOut);
  return 0;
}

/** Runs the synth with command-line arguments (without node and script); returns the exit code. */
export function cli(argv: readonly string[]): number {
  try {
    return main(argv);
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`error: invalid settings: ${err.message}\ndist/ was left unchanged.\n`);
    } else {
      const e = err as Error;
      process.stderr.write(`error: synth failed: ${e.message}\n${process.env.DEBUG ? `${e.stack}\n` : ''}dist/ was left unchanged.\n`);
    }
    return 1;
  }
}

/**
 * Renders every environment of config/environments in memory and drops the result. Used while building the
 * startup snapshot, so that the snapshot holds compiled functions and filled caches, not output: settings
 * are read again at every run. Errors are ignored here (a run reports them).
 */
export function warmUp(): void {
  try {
    for (const env of listEnvironments(ENVIRONMENTS_DIR)) renderEnvironment(buildEnvironment(loadSettings(env, ENVIRONMENTS_DIR)));
  } catch {
    // Bad settings: the snapshot is only less warm.
  }
}

if (!startupSnapshot.isBuildingSnapshot()) process.exitCode = cli(process.argv.slice(2));
