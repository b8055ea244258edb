/** The vitest projects: every test that starts node, sh, npm or a CLI is in the `processes` project. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';
import { PROCESS_TESTS } from '../vitest.config';

/** Test files that only run git (quick, no node start): they stay in the unit project. */
const GIT_ONLY = ['test/tools/diff.test.ts'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

it('every test file that imports node:child_process is in the processes project', () => {
  const spawning = files(join(REPO_ROOT, 'test'))
    .filter((f) => f.endsWith('.test.ts') && /^import .* from 'node:child_process';$/m.test(readFileSync(f, 'utf8')))
    .map((f) => relative(REPO_ROOT, f));
  expect(spawning.filter((f) => !PROCESS_TESTS.includes(f) && !GIT_ONLY.includes(f))).toEqual([]);
  for (const f of GIT_ONLY) expect(readFileSync(join(REPO_ROOT, f), 'utf8')).not.toMatch(/(spawnSync|execFileSync|execFile)\((process\.execPath|'sh'|'node'|'npm')/);
});
