/** The synth command as users run it: deterministic, all-or-nothing, clear errors. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';
import { copyEnvironments } from './helpers';

/** What `npm run synth` and cdk8s.yaml's `app:` run: the startup snapshot when there is one. */
const LAUNCHER = join(REPO_ROOT, 'fast-start', 'run.sh');
/** The slow path: runs the app from the bundle (and builds the snapshot). */
const SYNTH = join(REPO_ROOT, 'fast-start', 'synth.mjs');

function run(env: Record<string, string>, args: string[] = []) {
  return spawnSync('sh', [LAUNCHER, 'synth', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

let work: string;
let config: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'finbot-synth-'));
  config = copyEnvironments();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
});

describe('synth', () => {
  it('two synths give byte-identical output, equal to the committed dist/', () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    expect(run({ FINBOT_DIST_DIR: a }).status).toBe(0);
    expect(run({ FINBOT_DIST_DIR: b }).status).toBe(0);
    const ta = readTree(a);
    expect(Object.keys(ta).length).toBeGreaterThan(2);
    expect(readTree(b)).toEqual(ta);
    expect(ta).toEqual(readTree(join(REPO_ROOT, 'dist')));
  });

  it('bad settings: clear message naming env, file and field, exit 1, dist untouched', () => {
    const dist = join(work, 'keep');
    expect(run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config }).status).toBe(0);
    const before = readTree(dist);
    const file = join(config, 'staging', 'apps.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('memory: 512Mi', 'memory: 512MB'));
    const r = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config });
    writeFileSync(file, original);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('staging:');
    expect(r.stderr).toContain('apps.yaml: api.resources.limits.memory');
    expect(r.stderr).toContain('dist/ was left unchanged');
    expect(readTree(dist)).toEqual(before);
  });

  it('an unknown environment fails with the known ones listed', () => {
    const dist = join(work, 'unknown');
    const r = run({ FINBOT_DIST_DIR: dist }, ['prod']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown environment "prod"; known environments: production, staging');
  });

  it('synthesizing one environment leaves the others alone', () => {
    const dist = join(work, 'one');
    expect(run({ FINBOT_DIST_DIR: dist }).status).toBe(0);
    const before = readTree(dist);
    expect(run({ FINBOT_DIST_DIR: dist }, ['staging']).status).toBe(0);
    expect(readTree(dist)).toEqual(before);
  });

  it('npx cdk8s synth writes the same bytes as npm run synth', () => {
    const dist = join(work, 'cli-dist');
    const out = join(work, 'cli-out');
    const r = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', out], {
      cwd: REPO_ROOT,
      env: { ...process.env, FINBOT_DIST_DIR: dist, CDK8S_CHECK_UPGRADE: 'false' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readTree(dist)).toEqual(readTree(join(REPO_ROOT, 'dist')));
    expect(readTree(out)).toEqual(readTree(dist));
  });

  it('--help explains usage, from the snapshot and from the bundle', () => {
    expect(execFileSync('sh', [LAUNCHER, 'synth', '--help'], { encoding: 'utf8' })).toContain('Usage: npm run synth');
    expect(execFileSync(process.execPath, [SYNTH, '--help'], { encoding: 'utf8' })).toContain('Usage: npm run synth');
  });

  it('the launcher refuses an unknown command, exit 2', () => {
    const r = spawnSync('sh', [LAUNCHER, 'deploy'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: sh fast-start/run.sh synth|validate');
  });

  it('the bundle without the snapshot writes the same bytes', () => {
    const dist = join(work, 'bundle');
    const r = spawnSync(process.execPath, [SYNTH], { cwd: REPO_ROOT, env: { ...process.env, FINBOT_DIST_DIR: dist, FINBOT_NO_SNAPSHOT: '1' }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readTree(dist)).toEqual(readTree(join(REPO_ROOT, 'dist')));
  });
});
