/** Every command's `--help` prints its help and does nothing else (issue #19: `npm run check -- --help` ran the whole CI). */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';

const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>)
  // Wrappers of other tools with their own --help (vitest, tsc, the cdk8s CLI).
  .filter((s) => !['test', 'test:update', 'typecheck', 'synth:cli'].includes(s));

describe('--help', { timeout: 120_000 }, () => {
  it.each(scripts)('npm run %s -- --help prints usage, exit 0, and touches nothing', (script) => {
    const distBefore = statSync(join(REPO_ROOT, 'dist')).mtimeMs;
    const r = spawnSync('npm', ['run', '--silent', script, '--', '--help'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, FINBOT_NO_SNAPSHOT: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Usage/);
    expect(r.stdout).not.toMatch(/^== /m);
    expect(statSync(join(REPO_ROOT, 'dist')).mtimeMs).toBe(distBefore);
  });
});
