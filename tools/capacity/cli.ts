/**
 * `npm run capacity`: CPU/memory requests and limits and storage per environment and namespace at minimum
 * and maximum replicas, read from dist/, against the node group in each environment's capacity.yaml.
 */
import { resolve } from 'node:path';
import { listEnvironments, loadSettings, SettingsError } from '../../config/load';
import { DIST_DIR, ENVIRONMENTS_DIR } from '../../config/paths';
import { capacityInput, capacityJson, capacityReport, formatCapacityText } from './capacity';
import { readDistDir } from '../../model/dist-files';
import { parseArgs } from 'node:util';

const HELP = `Capacity report: requests, limits and storage at minimum and maximum replicas, per environment and
namespace, from the synthesized objects in dist/, against the node group of config/environments/<env>/capacity.yaml.

Usage: npm run capacity [-- [ENV ...] [options]]

  ENV           environment(s) to report (default: every environment in dist/)
  --json        JSON (cores and bytes) instead of the text table
  --strict      exit 1 when there is a WARNING (e.g. the maximum does not fit the node group)
  --dist DIR    synthesized output to read (default: dist/)
  --config DIR  environment settings folder (default: config/environments)
  --help        show this help

Exit code: 0 (WARNING lines go to the output), 1 with --strict and a warning, 2 on errors.
Run 'npm run synth' first: the report reads dist/.`;

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { values, positionals: envs } = parseArgs({
    args: [...argv],
    options: { dist: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' }, strict: { type: 'boolean' } },
    allowPositionals: true,
  });
  const dist = values.dist !== undefined ? resolve(values.dist) : DIST_DIR;
  const config = values.config !== undefined ? resolve(values.config) : ENVIRONMENTS_DIR;
  // What runs on the environment's nodes: files its Argo CD Applications apply elsewhere are left out.
  const objects = readDistDir(dist, { inClusterOnly: true });
  const known = listEnvironments(config);
  const selected = envs.length > 0 ? envs : [...objects.keys()].filter((e) => known.includes(e));
  if (selected.length === 0) throw new Error(`no synthesized environments in ${dist}: run 'npm run synth' first`);
  const reports = selected.map((env) => {
    if (!objects.has(env)) throw new Error(`${env} is not in ${dist}: run 'npm run synth' first`);
    return capacityReport(env, objects.get(env)!, capacityInput(loadSettings(env, config)));
  });
  process.stdout.write(argv.includes('--json') ? capacityJson(reports) : formatCapacityText(reports));
  return argv.includes('--strict') && reports.some((r) => r.warnings.length > 0) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: capacity: ${err instanceof SettingsError ? `invalid settings: ${err.message}` : (err as Error).message}\n`);
  process.exitCode = 2;
}
