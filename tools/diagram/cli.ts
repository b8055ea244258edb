/**
 * `npm run diagram`: an architecture diagram per environment, drawn from the synthesized objects in dist/
 * into docs/diagrams/<env>.svg (committed; `--check` fails when they are stale, as CI does).
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { drawDiagrams } from './draw';

const HELP = `Architecture diagrams drawn from the synthesized objects, one per environment: the edge (Gateway, NGINX
Gateway Fabric data and control plane, routes), the app's Services and workloads with the live colour of the
blue-green api marked, data stores, observability, tracing, mesh, GitOps and cluster components (what the
operators run for the output's custom resources comes from model/operators/). Arrows are coloured by what the
NetworkPolicies allow; mTLS (PeerAuthentication STRICT) is marked.

Usage: npm run diagram [-- [ENV ...] [options]]

  ENV          environment(s) to draw (default: every environment in dist/)
  --check      write nothing; exit 1 when a diagram in the output folder is missing or stale (CI)
  --dist DIR   synthesized output to read (default: dist/)
  --out DIR    output folder (default: docs/diagrams)
  --help       show this help

Run 'npm run synth' first: the diagrams are drawn from dist/. The release commands (set-image, promote,
promote-env) redraw the diagram of the environment they re-synthesize.`;

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
  const shown = (f: string) => relative(process.cwd(), f);
  const r = drawDiagrams({ dist: values.dist !== undefined ? resolve(values.dist) : undefined, out: values.out !== undefined ? resolve(values.out) : undefined, envs, check: values.check === true });
  for (const f of r.written) process.stdout.write(`wrote ${shown(f)}\n`);
  if (values.check) {
    const stale = [...r.stale.map(shown), ...r.removed.map((f) => `${shown(f)} (environment gone)`)];
    if (stale.length > 0) {
      process.stderr.write(`diagrams are stale: ${stale.join(', ')}\nrun 'npm run synth && npm run diagram' and commit docs/diagrams/.\n`);
      return 1;
    }
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: diagram: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
