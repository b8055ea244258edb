/**
 * vitest global setup, run once per project before its workers start:
 * - compiles the schema validators into .build/schema-validators when they are not there yet, so that parallel
 *   workers load them instead of each compiling the same schemas (validation/schema.ts);
 * - for the process tests, brings fast-start's cache up to date (`sh fast-start/run.sh synth|validate --help`:
 *   the bundle, then the startup snapshot), so that the tests' many launcher runs start from a fresh snapshot
 *   instead of several of them rebuilding the same bundle and snapshot side by side after a change.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '../config/paths';
import { prepareValidators } from '../validation/schema';

export default async function setup(project: TestProject): Promise<void> {
  await prepareValidators();
  if (project.name !== 'processes') return;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.FINBOT_NO_SNAPSHOT;
  for (const command of ['synth', 'validate']) {
    const r = spawnSync('sh', [join(REPO_ROOT, 'fast-start', 'run.sh'), command, '--help'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    // Only a warm-up: a failure here shows again, with its message, in the tests that run the command.
    if (r.status !== 0) process.stderr.write(`note: warming fast-start for ${command} failed (exit ${r.status}): ${r.stderr}\n`);
  }
}
