/**
 * `npm run diff [-- <base-ref>]`: what changed in the synthesized output — dist/ in the working tree
 * compared with dist/ at a git revision (default HEAD), per environment and object, as text or Markdown.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DIST_DIR, REPO_ROOT } from '../../config/paths';
import { diffEnvironments, formatJson, formatMarkdown, formatText } from './diff';
import { readDistAtRevision, readDistDir } from '../../model/dist-files';
import { parseArgs } from 'node:util';

const HELP = `Semantic diff of the synthesized output: objects added/removed and changed fields per environment.

Usage: npm run diff [-- [BASE-REF] [options]]

  BASE-REF          git revision to compare with (default: HEAD); read with git, no checkout
  --dist DIR        the new side (default: dist/ of the working tree)
  --head-ref REF    compare with dist/ at another revision instead of the working tree
  --markdown        Markdown for a pull-request comment instead of text
  --json            machine-readable JSON (added and removed objects in full)
  --max-lines N     at most N YAML lines of each added or removed object (default 40; 0: none)
  --max-fields N    at most N changed fields per object (default 12)
  --exit-code       exit 1 when something changed (like git diff --exit-code)
  --help            show this help

Run 'npm run synth' first: the diff reads dist/, it does not synthesize.
Example: npm run diff -- origin/main --markdown > diff.md`;

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      dist: { type: 'string' },
      'head-ref': { type: 'string' },
      'max-fields': { type: 'string' },
      'max-lines': { type: 'string' },
      markdown: { type: 'boolean' },
      json: { type: 'boolean' },
      'exit-code': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new Error(`give at most one base revision, got ${positionals.join(' ')} (see --help)`);
  const base = positionals[0] ?? 'HEAD';
  const dist = values.dist !== undefined ? resolve(values.dist) : DIST_DIR;
  const head = values['head-ref'];
  const maxFields = Number(values['max-fields'] ?? 12);
  if (!Number.isInteger(maxFields) || maxFields < 1) throw new Error(`--max-fields must be a whole number of at least 1, got ${values['max-fields']}`);
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: REPO_ROOT, stdio: 'ignore' });
  } catch {
    throw new Error(`"${base}" is not a git revision (try HEAD, main or a commit id)`);
  }
  const before = readDistAtRevision(REPO_ROOT, base);
  const after = head !== undefined ? readDistAtRevision(REPO_ROOT, head) : readDistDir(dist);
  const diffs = diffEnvironments(before, after);
  const maxObjectLines = Number(values['max-lines'] ?? 40);
  if (!Number.isInteger(maxObjectLines) || maxObjectLines < 0) throw new Error(`--max-lines must be a whole number of at least 0, got ${values['max-lines']}`);
  if (values.markdown && values.json) throw new Error('give --markdown or --json, not both');
  const out = values.json ? formatJson(diffs) : (values.markdown ? formatMarkdown : formatText)(diffs, { maxFields, maxObjectLines });
  process.stdout.write(out);
  return argv.includes('--exit-code') && diffs.some((d) => d.status !== 'unchanged') ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: diff: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
