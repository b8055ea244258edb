/**
 * The startup snapshot that fast-start/run.sh synth starts node from (built by fast-start/synth.mjs): it must write
 * exactly what the bundle writes, and it must never run stale code — after a source edit, in a moved
 * checkout, with NODE_OPTIONS, or when the snapshot file is unusable. Runs in a copy of the repository
 * (node_modules linked), so edits there cannot disturb other tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';
// @ts-expect-error: plain JavaScript module without types
import { SNAPSHOT_NODE_FLAGS as FLAGS } from '../../fast-start/snapshot.mjs';

/** The V8 flags every snapshot is built and run with. */
const SNAPSHOT_NODE_FLAGS = FLAGS as string[];

// validation/: synth runs the checks of npm run validate (fast-start/run.sh validate) before it writes.
const COPIED = ['cdk8s.yaml', 'main.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'charts', 'constructs', 'config', 'imports', 'model', 'synth', 'validation', 'fast-start'];

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

function launch(root: string, dist: string, extraEnv: Record<string, string> = {}, args: string[] = []) {
  const env: Record<string, string | undefined> = { ...process.env, FINBOT_DIST_DIR: dist, ...extraEnv };
  if (!('NODE_OPTIONS' in extraEnv)) delete env.NODE_OPTIONS;
  delete env.FINBOT_NO_SNAPSHOT;
  return spawnSync('sh', [join(root, 'fast-start', 'run.sh'), 'synth', ...args], { cwd: root, env, encoding: 'utf8' });
}

function blobOf(root: string): string {
  const blobs = readdirSync(join(root, '.build')).filter((f) => f === 'synth.blob');
  expect(blobs).toHaveLength(1);
  return join(root, '.build', blobs[0]);
}

/** Runs node from a snapshot file directly (no launcher, no fallback). */
function fromBlob(blob: string, dist: string, args: string[] = []) {
  const env: Record<string, string | undefined> = { ...process.env, FINBOT_DIST_DIR: dist };
  delete env.NODE_OPTIONS;
  return spawnSync(process.execPath, [...SNAPSHOT_NODE_FLAGS, '--snapshot-blob', blob, '--', ...args], { env, encoding: 'utf8' });
}

let work: string;
let repo: string;
const committed = readTree(join(REPO_ROOT, 'dist'));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'finbot-snapshot-'));
  repo = join(work, 'repo');
  for (const e of COPIED) cpSync(join(REPO_ROOT, e), join(repo, e), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(repo, 'node_modules'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('startup snapshot', { timeout: 120_000 }, () => {
  it('fast-start/run.sh starts node with the V8 flags the snapshots are built with', () => {
    expect(SNAPSHOT_NODE_FLAGS.length).toBeGreaterThan(0);
    expect(readFileSync(join(REPO_ROOT, 'fast-start', 'run.sh'), 'utf8')).toContain(`node ${SNAPSHOT_NODE_FLAGS.join(' ')} --snapshot-blob "$blob"`);
  });


  it('is built on the first synth and then gives the same bytes as the committed dist/', () => {
    const first = launch(repo, join(work, 'd1'));
    expect(first.status, first.stderr).toBe(0);
    expect(readTree(join(work, 'd1'))).toEqual(committed);
    const blob = blobOf(repo);
    const stamp = JSON.parse(readFileSync(blob.replace(/\.blob$/, '.json'), 'utf8'));
    expect(stamp.root).toBe(repo);
    // node started straight from the snapshot: no launcher, no fallback to the bundle
    const direct = fromBlob(blob, join(work, 'd2'), ['staging']);
    expect(direct.status, direct.stderr).toBe(0);
    expect(readTree(join(work, 'd2'))).toEqual(Object.fromEntries(Object.entries(committed).filter(([f]) => f.startsWith('/staging/'))));
    // errors from the snapshot are the app's own, with exit code 1
    const bad = fromBlob(blob, join(work, 'd2'), ['prod']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('unknown environment "prod"');
  });

  it('node refuses a snapshot without those flags (so the launcher must pass them)', () => {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['--snapshot-blob', blobOf(repo), '--', '--help'], { env, encoding: 'utf8' });
    expect(r.status).toBe(14);
  });

  it('after a source edit it is not used until rebuilt: the output has the edit', () => {
    const labels = join(repo, 'constructs', 'labels.ts');
    writeFileSync(labels, readFileSync(labels, 'utf8').replace("'app.kubernetes.io/part-of': 'finbot'", "'app.kubernetes.io/part-of': 'finbot-edited'"));
    const r = launch(repo, join(work, 'd3'));
    expect(r.status, r.stderr).toBe(0);
    const out = readFileSync(join(work, 'd3', 'production', 'apps.yaml'), 'utf8');
    expect(out).toContain('app.kubernetes.io/part-of: finbot-edited');
    expect(out).not.toContain('app.kubernetes.io/part-of: finbot\n');
    // ... and the rebuilt snapshot has it too
    const direct = fromBlob(blobOf(repo), join(work, 'd4'), ['production']);
    expect(direct.status, direct.stderr).toBe(0);
    expect(readFileSync(join(work, 'd4', 'production', 'apps.yaml'), 'utf8')).toBe(out);
  });

  it('in a moved checkout it reads that checkout, not the one it was built in', () => {
    const moved = join(work, 'moved');
    cpSync(repo, moved, { recursive: true, verbatimSymlinks: true });
    const apps = join(moved, 'config', 'environments', 'staging', 'apps.yaml');
    const text = readFileSync(apps, 'utf8');
    const tag = /tag: (v\d[\w.-]*)/.exec(text)![1];
    writeFileSync(apps, text.replace(`tag: ${tag}`, 'tag: v9.9.9-moved'));
    const r = launch(moved, join(work, 'd5'), {}, ['staging']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(work, 'd5', 'staging', 'apps.yaml'), 'utf8')).toContain(':v9.9.9-moved');
    expect(JSON.parse(readFileSync(blobOf(moved).replace(/\.blob$/, '.json'), 'utf8')).root).toBe(moved);
  });

  it('with NODE_OPTIONS, or an unusable snapshot file, the bundle runs instead', () => {
    const opts = launch(repo, join(work, 'd6'), { NODE_OPTIONS: '--no-warnings' }, ['production']);
    expect(opts.status, opts.stderr).toBe(0);
    const expected = readFileSync(join(work, 'd3', 'production', 'apps.yaml'), 'utf8');
    expect(readFileSync(join(work, 'd6', 'production', 'apps.yaml'), 'utf8')).toBe(expected);
    const blob = blobOf(repo);
    writeFileSync(blob, 'not a snapshot');
    const broken = launch(repo, join(work, 'd7'), {}, ['production']);
    expect(broken.status, broken.stderr).toBe(0);
    expect(broken.stderr).toContain('rebuilding it');
    expect(readFileSync(join(work, 'd7', 'production', 'apps.yaml'), 'utf8')).toBe(expected);
    expect(existsSync(blob) && readFileSync(blob).length > 1000).toBe(true);
  });
});
