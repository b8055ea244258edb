/**
 * `npm run diff [-- <base-ref>]`: what changed in the synthesized output — dist/ in the working tree
 * compared with dist/ at a git revision (default HEAD), per environment and object, as text or Markdown.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DIST_DIR, REPO_ROOT } from '../config/paths';
import { diffEnvironments, formatMarkdown, formatText } from '../lib/diff';
import { readDistAtRevision, readDistDir } from '../lib/dist-files';

const HELP = `Semantic diff of the synthesized output: objects added/removed and changed fields per environment.

Usage: npm run diff [-- [BASE-REF] [options]]

  BASE-REF          git revision to compare with (default: HEAD); read with git, no checkout
  --dist DIR        the new side (default: dist/ of the working tree)
  --head-ref REF    compare with dist/ at another revision instead of the working tree
  --markdown        Markdown for a pull-request comment instead of text
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
  let base = 'HEAD';
  let dist = DIST_DIR;
  let head: string | undefined;
  let maxFields = 12;
  const value = (i: number) => {
    if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value (see --help)`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') dist = resolve(value(i++));
    else if (a === '--head-ref') head = value(i++);
    else if (a === '--max-fields') maxFields = Number(value(i++));
    else if (a === '--markdown' || a === '--exit-code') continue;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a} (see --help)`);
    else base = a;
  }
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: REPO_ROOT, stdio: 'ignore' });
  } catch {
    throw new Error(`"${base}" is not a git revision (try HEAD, main or a commit id)`);
  }
  const before = readDistAtRevision(REPO_ROOT, base);
  const after = head !== undefined ? readDistAtRevision(REPO_ROOT, head) : readDistDir(dist);
  const diffs = diffEnvironments(before, after);
  const format = argv.includes('--markdown') ? formatMarkdown : formatText;
  process.stdout.write(format(diffs, { maxFields }));
  return argv.includes('--exit-code') && diffs.some((d) => d.status !== 'unchanged') ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: diff: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
