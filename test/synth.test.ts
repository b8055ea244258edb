/** The synth command as users run it: deterministic, all-or-nothing, clear errors. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';
import { copyEnvironments, ENVIRONMENTS } from './helpers';

/** What `npm run synth` and cdk8s.yaml's `app:` run: the startup snapshot when there is one. */
const LAUNCHER = join(REPO_ROOT, 'fast-start', 'run.sh');
/** The slow path: runs the app from the bundle (and builds the snapshot). */
const SYNTH = join(REPO_ROOT, 'fast-start', 'synth.mjs');

function run(env: Record<string, string>, args: string[] = []) {
  return spawnSync('sh', [LAUNCHER, 'synth', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

function validate(env: Record<string, string>, args: string[] = []) {
  return spawnSync('sh', [LAUNCHER, 'validate', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
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

// Each case runs the real command (render, then the validation in the same process): slow on a loaded machine.
describe('synth', { timeout: 300_000 }, () => {
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
    expect(r.stderr).toContain(`unknown environment "prod"; known environments: ${ENVIRONMENTS.join(', ')}`);
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

  it('npx cdk8s synth --stdout prints every file once, whole, as one valid stream, without MaxListenersExceededWarning', () => {
    const dist = join(work, 'cli-stdout-dist');
    const r = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--stdout'], {
      cwd: REPO_ROOT,
      env: { ...process.env, FINBOT_DIST_DIR: dist, CDK8S_CHECK_UPGRADE: 'false' },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|Warning:/);
    // The CLI prints its validation report on stdout too; the manifests follow it as one stream.
    expect(r.stdout).toContain('Validations ended succesfully');
    const stream = r.stdout.slice(r.stdout.indexOf('---\n# Source: '));
    const parts = stream.split(/^---\n# Source: /m).filter(Boolean);
    const byFile = Object.fromEntries(parts.map((p) => [p.slice(0, p.indexOf('\n')), p.slice(p.indexOf('\n') + 1)]));
    const committed = readTree(join(REPO_ROOT, 'dist'));
    expect(Object.keys(byFile).sort()).toEqual(Object.keys(committed).map((f) => f.replace(/^\//, '')).sort());
    for (const [f, text] of Object.entries(committed)) expect(byFile[f.replace(/^\//, '')], f).toBe(text);
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

  it('prints per environment what changed (files, objects) and the time', () => {
    const dist = join(work, 'report');
    cpSync(join(REPO_ROOT, 'dist'), dist, { recursive: true });
    const file = join(config, 'staging', 'apps.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/maxReplicas: (\d+)/, (_m, n) => `maxReplicas: ${Number(n) + 1}`));
    const r = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config });
    writeFileSync(file, original);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^production: unchanged \(rendered in \d+ ms\)$/m);
    // The api's maxReplicas: the HPAs of both colours change.
    expect(r.stderr).toMatch(/^staging: written: 1 file\(s\) changed \(apps\.yaml\), 2 object\(s\) changed \(2 modified\) \(rendered in \d+ ms\)$/m);
    expect(r.stderr).toMatch(/validated in \d+ ms, \d+ ms in all/);
    expect(r.stdout).toBe('');
  });

  it('ENV --stdout renders to stdout (helm template style) and does not touch dist/', () => {
    const dist = join(work, 'stdout-dist');
    const r = run({ FINBOT_DIST_DIR: dist }, ['staging', '--stdout']);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(dist)).toBe(false);
    expect(r.stderr).not.toContain('Warning');
    const committed = readdirSync(join(REPO_ROOT, 'dist', 'staging')).sort();
    const parts = r.stdout.split(/^---\n# Source: /m).filter(Boolean);
    const byFile = Object.fromEntries(parts.map((p) => [p.slice(0, p.indexOf('\n')), p.slice(p.indexOf('\n') + 1)]));
    expect(Object.keys(byFile).sort()).toEqual(committed.map((f) => `staging/${f}`));
    for (const f of committed) expect(byFile[`staging/${f}`]).toBe(readFileSync(join(REPO_ROOT, 'dist', 'staging', f), 'utf8'));
  });

  it('--help prints only help; an unknown option is a usage error (exit 2)', () => {
    const dist = join(work, 'help');
    const r = run({ FINBOT_DIST_DIR: dist }, ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--no-validate');
    expect(r.stderr).toBe('');
    expect(existsSync(dist)).toBe(false);
    const u = run({ FINBOT_DIST_DIR: dist }, ['--stdotu']);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('unknown option(s) --stdotu');
    expect(existsSync(dist)).toBe(false);
  });

  it('output that fails the checks of npm run validate is refused (dist/ untouched); --no-validate writes it', () => {
    const dist = join(work, 'refused');
    cpSync(join(REPO_ROOT, 'dist'), dist, { recursive: true });
    const before = readTree(dist);
    const file = join(config, 'production', 'validation.yaml');
    const original = readFileSync(file, 'utf8');
    // A connection no NetworkPolicy allows: kube-dns never calls the api.
    const broken = original.replace(/^connections:( \[\])?$/m, 'connections:\n  - { from: "peer:kube-dns", to: "production/finbot-api", port: 3001 }');
    expect(broken).not.toBe(original);
    writeFileSync(file, broken);
    try {
      const r = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain('the output fails the checks of npm run validate');
      expect(r.stderr).toContain('dist/ was left unchanged');
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(readTree(dist)).toEqual(before);
      const forced = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config }, ['--no-validate']);
      expect(forced.status, forced.stderr).toBe(0);
      expect(forced.stderr).toContain('not validated (--no-validate)');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('killed between renames: npm run validate rolls dist/ back with a message, the next synth writes it whole', () => {
    const dist = join(work, 'killed');
    cpSync(join(REPO_ROOT, 'dist'), dist, { recursive: true });
    const before = readTree(dist);
    const file = join(config, 'production', 'apps.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/maxReplicas: (\d+)/, (_m, n) => `maxReplicas: ${Number(n) + 1}`));
    const sfile = join(config, 'staging', 'apps.yaml');
    const soriginal = readFileSync(sfile, 'utf8');
    writeFileSync(sfile, soriginal.replace(/maxReplicas: (\d+)/, (_m, n) => `maxReplicas: ${Number(n) + 1}`));
    try {
      // Rename 1 moves dist/production aside: dist/ lacks production until it is repaired.
      const killed = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config, FINBOT_TEST_KILL_AFTER_RENAME: '1' });
      expect(killed.signal ?? killed.status).not.toBe(0);
      expect(existsSync(join(dist, 'production'))).toBe(false);
      const v = validate({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config });
      expect(v.stderr).toMatch(/note: dist\/ was left half-replaced by an interrupted synth \(pid \d+\); restored the previous dist\/production/);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      expect(readTree(dist)).toEqual(before);
      const again = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config });
      expect(again.status, again.stderr).toBe(0);
      expect(readFileSync(join(dist, 'production', 'apps.yaml'), 'utf8')).not.toBe(before['/production/apps.yaml']);
      expect(readdirSync(dist).filter((e) => e.startsWith('.'))).toEqual([]);
    } finally {
      writeFileSync(file, original);
      writeFileSync(sfile, soriginal);
    }
  });

  it('npm run validate refuses a dist/ that lacks an environment of config/environments', () => {
    const dist = join(work, 'lacking');
    cpSync(join(REPO_ROOT, 'dist'), dist, { recursive: true });
    rmSync(join(dist, 'production'), { recursive: true });
    const v = validate({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config });
    expect(v.status).toBe(2);
    expect(v.stderr).toContain('lacks production/ although config/environments has it');
  });

  it('a code error is one line by default; --verbose shows the stack into the TypeScript sources', () => {
    // dist/ is a file: writing fails with an error no settings check foresees.
    const dist = join(work, 'dist-is-a-file');
    writeFileSync(dist, 'not a folder\n');
    const plain = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config }, ['--no-validate']);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain('error: synth failed:');
    expect(plain.stderr).toContain('Run with --verbose');
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    const verbose = run({ FINBOT_DIST_DIR: dist, FINBOT_CONFIG_DIR: config }, ['--no-validate', '--verbose']);
    expect(verbose.status).toBe(1);
    expect(verbose.stderr).toMatch(/^\s+at .*(model[/\\]dist-journal|synth[/\\]write-dist)\.ts:\d+:\d+/m);
    expect(readFileSync(dist, 'utf8')).toBe('not a folder\n');
  });

  it('npx cdk8s synth with a bad setting: the same one-line message, no JavaScript stack trace, exit 1', () => {
    const out = join(work, 'cli-bad-out');
    const file = join(config, 'production', 'mesh.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/maxConnections: \d+/, 'maxConnections: 2147483648'));
    try {
      const r = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', out], {
        cwd: REPO_ROOT,
        env: { ...process.env, FINBOT_DIST_DIR: join(work, 'cli-bad-dist'), FINBOT_CONFIG_DIR: config, CDK8S_CHECK_UPGRADE: 'false' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/error: invalid settings: production: .*mesh\.yaml: connectionPool\.maxConnections: must be at most 2147483647/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(join(work, 'cli-bad-dist'))).toBe(false);
    } finally {
      writeFileSync(file, original);
    }
  });
});
