/**
 * `npm run validate`: the checks of the cdk8s validation plugin on dist/ alone (no synth).
 * Entry point run by fast-start/validate.mjs, which passes argv and the environment in.
 */
import { resolve } from 'node:path';
import { DIST_DIR, ENVIRONMENTS_DIR } from '../config/paths';
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
Exit code: 0 no violations, 1 violations, 2 usage or read error. Rules and exceptions: docs/validation.md`;

/** First argument of the plugin's call: `--cdk8s-plugin MANIFEST...` prints the CLI report as JSON. */
export const PLUGIN_OPTION = '--cdk8s-plugin';

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (s: string) => void, err: (s: string) => void): Promise<number> {
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
    const files = distManifests(distDir, argv.filter((a) => !a.startsWith('-')));
    if (files.length === 0) {
      err(`error: no manifests in ${distDir}: run npm run synth first\n`);
      return 2;
    }
    const results = await validateManifests(files, configDir);
    out(argv.includes('--json') ? formatJson(results) : formatText(results));
    return results.some((r) => r.violations.length > 0) ? 1 : 0;
  } catch (e) {
    err(`error: ${(e as Error).message}\n`);
    return 2;
  }
}
