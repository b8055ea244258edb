/**
 * `npm run diagram`: an architecture diagram per environment, drawn from the synthesized objects in dist/
 * into docs/diagrams/<env>.svg (committed; `--check` fails when they are stale, as CI does).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DIST_DIR, REPO_ROOT } from '../../config/paths';
import { architecture } from './architecture';
import { renderDiagram } from './diagram';
import { readDistDir } from '../../model/dist-files';
import { parseArgs } from 'node:util';

const HELP = `Architecture diagrams drawn from the synthesized objects: edge (Ingress) -> Services -> workloads ->
data stores, arrows coloured by what the NetworkPolicies allow, mTLS (PeerAuthentication STRICT) marked.

Usage: npm run diagram [-- [ENV ...] [options]]

  ENV          environment(s) to draw (default: every environment in dist/)
  --check      write nothing; exit 1 when a diagram in the output folder is missing or stale (CI)
  --dist DIR   synthesized output to read (default: dist/)
  --out DIR    output folder (default: docs/diagrams)
  --help       show this help

Run 'npm run synth' first: the diagrams are drawn from dist/.`;

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { values, positionals: envs } = parseArgs({
    args: [...argv],
    options: { dist: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' } },
    allowPositionals: true,
  });
  const dist = values.dist !== undefined ? resolve(values.dist) : DIST_DIR;
  const out = values.out !== undefined ? resolve(values.out) : join(REPO_ROOT, 'docs', 'diagrams');
  const objects = readDistDir(dist);
  const selected = envs.length > 0 ? envs : [...objects.keys()];
  if (selected.length === 0) throw new Error(`no synthesized environments in ${dist}: run 'npm run synth' first`);
  const check = argv.includes('--check');
  const stale: string[] = [];
  if (!check) mkdirSync(out, { recursive: true });
  for (const env of selected) {
    if (!objects.has(env)) throw new Error(`${env} is not in ${dist}: run 'npm run synth' first`);
    const svg = renderDiagram(env, architecture(objects.get(env)!));
    const file = join(out, `${env}.svg`);
    const shown = relative(process.cwd(), file);
    if (check) {
      if (!existsSync(file) || readFileSync(file, 'utf8') !== svg) stale.push(shown);
    } else {
      writeFileSync(file, svg);
      process.stdout.write(`wrote ${shown}\n`);
    }
  }
  // Diagrams of environments that no longer exist.
  if (envs.length === 0 && existsSync(out)) {
    for (const f of readdirSync(out)) {
      if (!f.endsWith('.svg') || objects.has(f.slice(0, -4))) continue;
      if (check) stale.push(`${relative(process.cwd(), join(out, f))} (environment gone)`);
      else rmSync(join(out, f));
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`diagrams are stale: ${stale.join(', ')}\nrun 'npm run synth && npm run diagram' and commit docs/diagrams/.\n`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: diagram: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
