/**
 * The fast path (fast-start/run.sh: startup snapshot, else the content-addressed bundle) must give exactly
 * what a cold run gives, whatever happened to the tree or to the cache. Each reproduction of issue #13 is one
 * case: the tree is changed, then the launcher runs, and its output is compared with a cold run — the app run
 * from its TypeScript sources with tsx, which uses no fast-start code and no cache.
 * Runs in a copy of the repository (node_modules linked), so edits there cannot disturb other tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';
// @ts-expect-error: plain JavaScript module without types
import { SNAPSHOT_NODE_FLAGS as FLAGS, STALE as STALE_CODE } from '../../fast-start/snapshot.mjs';

const SNAPSHOT_NODE_FLAGS = FLAGS as string[];
const STALE = STALE_CODE as number;
const COPIED = ['cdk8s.yaml', 'main.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'charts', 'constructs', 'config', 'imports', 'model', 'synth', 'validation', 'fast-start', 'dist'];
const OLD = new Date('2001-01-01T00:00:00Z');

type Tree = Record<string, string>;

function readTree(dir: string): Tree {
  const out: Tree = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

function cleanEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  if (!('NODE_OPTIONS' in extra)) delete env.NODE_OPTIONS;
  if (!('FINBOT_NO_SNAPSHOT' in extra)) delete env.FINBOT_NO_SNAPSHOT;
  return env;
}

/** The node the launcher runs (the project's own, the `node` devDependency) — a snapshot loads only in the node that built it. */
const NODE = existsSync(join(REPO_ROOT, 'node_modules', '.bin', 'node')) ? join(REPO_ROOT, 'node_modules', '.bin', 'node') : process.execPath;
let work: string;
let runs = 0;

/** What a run left: exit code, stderr without notes, and the files written. */
interface Outcome {
  status: number | null;
  stderr: string;
  files: Tree;
}

function outcome(r: ReturnType<typeof spawnSync>, dist: string): Outcome {
  const stderr = String(r.stderr)
    .split('\n')
    // notes of the fast path, and node's deprecation warnings of modules the bundle replaces
    .filter((l) => !l.startsWith('note: ') && !l.startsWith('(node:') && !l.startsWith('(Use `node'))
    // synth's report says how long it took and where it wrote: neither is part of the output
    .map((l) => l.split(dist).join('<dist>').replace(/ \d+ ms/g, ' <n> ms').replace(/\.tmp-\d+/g, '.tmp-<pid>'))
    .join('\n');
  return { status: r.status, stderr, files: readTree(dist) };
}

/** `sh fast-start/run.sh synth ARGS` in `root`, into a new output folder. */
function synth(root: string, args: string[] = ['staging'], extra: Record<string, string> = {}): Outcome {
  const dist = join(work, `out-${++runs}`);
  const r = spawnSync('sh', [join(root, 'fast-start', 'run.sh'), 'synth', ...args], { cwd: root, env: cleanEnv({ FINBOT_DIST_DIR: dist, ...extra }), encoding: 'utf8' });
  return outcome(r, dist);
}

/** The reference: main.ts run from its sources with tsx (no bundle, no snapshot, no cache). */
function cold(root: string, args: string[] = ['staging']): Outcome {
  const dist = join(work, `cold-${++runs}`);
  const r = spawnSync(NODE, ['--import', 'tsx', join(root, 'main.ts'), ...args], { cwd: root, env: cleanEnv({ FINBOT_DIST_DIR: dist }), encoding: 'utf8' });
  return outcome(r, dist);
}

/** node started straight from a snapshot file (no launcher, no slow path). */
function fromBlob(root: string, blob: string, args: string[]) {
  const dist = join(work, `blob-${++runs}`);
  const r = spawnSync(NODE, [...SNAPSHOT_NODE_FLAGS, '--snapshot-blob', blob, '--', ...args], { cwd: root, env: cleanEnv({ FINBOT_DIST_DIR: dist }), encoding: 'utf8' });
  return { ...outcome(r, dist), stdout: r.stdout };
}

/**
 * The cache a copy starts from: the bundles and compiled validators of a first copy (its `.build/` without the
 * snapshots, which are bound to the folder they were built in). Everything in it is content-addressed, so a
 * copy reuses what matches its tree and rebuilds the rest, as a checkout with an old cache does; it spares each
 * case compiling the schema validators and bundling an unchanged tree again.
 */
let seed: string | undefined;

/** A fresh copy of the repository with its cache warm (snapshot built). */
function freshCopy(name: string, nodeModules: (repo: string) => void): string {
  const repo = join(work, name);
  for (const e of COPIED) cpSync(join(REPO_ROOT, e), join(repo, e), { recursive: true });
  nodeModules(repo);
  // The validators the global setup compiled for this tree (test/global-setup.ts), then a first copy's bundles.
  const validators = join(REPO_ROOT, '.build', 'schema-validators');
  if (existsSync(validators)) cpSync(validators, join(repo, '.build', 'schema-validators'), { recursive: true });
  if (seed) cpSync(seed, join(repo, '.build'), { recursive: true, filter: (src) => !src.endsWith('.blob') });
  const first = synth(repo);
  expect(first.status, first.stderr).toBe(0);
  expect(existsSync(join(repo, '.build', 'synth.blob'))).toBe(true);
  return repo;
}

/**
 * The copy most cases share, and its warm `.build/` as it was right after the first synth (snapshot included).
 * Before each case its tree is copied again from the repository and that `.build/` put back: the cache is
 * content-addressed, so a tree that is again the one it was built from makes it fresh again, and each case
 * starts warm without building a snapshot of its own.
 */
let shared: { repo: string; cache: string } | undefined;
const linkNodeModules = (repo: string) => symlinkSync(join(REPO_ROOT, 'node_modules'), join(repo, 'node_modules'));

/**
 * A copy of the repository with its cache warm (snapshot built) for the unchanged tree: the shared copy, put
 * back as it was; with `nodeModules`, a copy of its own whose node_modules that function makes.
 */
function warmCopy(nodeModules?: (repo: string) => void): string {
  if (nodeModules) return freshCopy(`own-${++runs}`, nodeModules);
  if (!shared) {
    const repo = freshCopy('shared', linkNodeModules);
    const cache = join(work, 'shared-cache');
    cpSync(join(repo, '.build'), cache, { recursive: true });
    seed = cache;
    shared = { repo, cache };
    return repo;
  }
  const { repo, cache } = shared;
  for (const e of [...COPIED, '.build']) rmSync(join(repo, e), { recursive: true, force: true });
  for (const e of COPIED) cpSync(join(REPO_ROOT, e), join(repo, e), { recursive: true });
  cpSync(cache, join(repo, '.build'), { recursive: true });
  return repo;
}

/** Replaces text in a file, keeping the file's old modification time (as `touch -d`, `cp -p` or tar leave it). */
function editKeepingTime(file: string, from: string, to: string, time = OLD): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  utimesSync(file, time, time);
}

const LABELS = ['constructs', 'labels.ts'];
const PART_OF = "'app.kubernetes.io/part-of': 'finbot'";

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'finbot-fast-start-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fast-start gives the bytes of a cold run', { timeout: 600_000 }, () => {
  it('the launcher starts node with the V8 flags the snapshots are built with', () => {
    expect(SNAPSHOT_NODE_FLAGS).toContain('--verify-snapshot-checksum');
    expect(readFileSync(join(REPO_ROOT, 'fast-start', 'run.sh'), 'utf8')).toContain(`"$node" ${SNAPSHOT_NODE_FLAGS.join(' ')} --snapshot-blob "$blob"`);
  });

  it('from the snapshot: the committed dist/, errors included, and no stale run', () => {
    const repo = warmCopy();
    const blob = join(repo, '.build', 'synth.blob');
    const all = fromBlob(repo, blob, ['synth']);
    expect(all.status, all.stderr).toBe(0);
    expect(all.files).toEqual(readTree(join(REPO_ROOT, 'dist')));
    const bad = fromBlob(repo, blob, ['synth', 'prod']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('unknown environment "prod"');
    // A settings change is data, read at every run: the snapshot stays valid and reads the new value.
    const apps = join(repo, 'config', 'environments', 'staging', 'apps.yaml');
    // whatever a release set it to: a version, a git SHA, or a tag pinned by digest (tag@sha256:...)
    const tag = /image: \{[^}\n]*\btag: ([^ }\n]+)/.exec(readFileSync(apps, 'utf8'))![1];
    editKeepingTime(apps, `tag: ${tag}`, 'tag: v9.9.9-edited');
    const settings = fromBlob(repo, blob, ['synth', 'staging']);
    expect(settings.status, settings.stderr).toBe(0);
    expect(settings.files).toEqual(cold(repo).files);
    expect(settings.files['/staging/apps.yaml']).toContain(':v9.9.9-edited');
  });

  it('an edit whose file keeps an old modification time (touch -d)', () => {
    const repo = warmCopy();
    editKeepingTime(join(repo, ...LABELS), PART_OF, "'app.kubernetes.io/part-of': 'finbot-touched'");
    // The snapshot refuses to run: its inputs changed.
    expect(fromBlob(repo, join(repo, '.build', 'synth.blob'), ['synth', 'staging']).status).toBe(STALE);
    const fast = synth(repo);
    expect(fast.files['/staging/apps.yaml']).toContain('part-of: finbot-touched');
    expect(fast).toEqual(cold(repo));
    // and the rebuilt snapshot has the edit too
    expect(synth(repo)).toEqual(fast);
  });

  it('a file copied over with its old time (cp -p)', () => {
    const repo = warmCopy();
    const edited = join(work, 'labels-edited.ts');
    writeFileSync(edited, readFileSync(join(repo, ...LABELS), 'utf8').replace(PART_OF, "'app.kubernetes.io/part-of': 'finbot-copied'"));
    utimesSync(edited, OLD, OLD);
    expect(spawnSync('cp', ['-p', edited, join(repo, ...LABELS)]).status).toBe(0);
    const fast = synth(repo);
    expect(fast.files['/staging/apps.yaml']).toContain('part-of: finbot-copied');
    expect(fast).toEqual(cold(repo));
  });

  it('a future-dated file, then any edit', () => {
    const repo = warmCopy();
    const future = new Date('2099-01-01T00:00:00Z');
    const render = join(repo, 'synth', 'render.ts');
    utimesSync(render, future, future);
    expect(synth(repo)).toEqual(cold(repo));
    const labels = join(repo, ...LABELS);
    writeFileSync(labels, readFileSync(labels, 'utf8').replace(PART_OF, "'app.kubernetes.io/part-of': 'finbot-after-future'"));
    const fast = synth(repo);
    expect(fast.files['/staging/apps.yaml']).toContain('part-of: finbot-after-future');
    expect(fast).toEqual(cold(repo));
  });

  it('an edit made while the cache is being rebuilt', () => {
    const repo = warmCopy();
    const labels = join(repo, ...LABELS);
    editKeepingTime(labels, PART_OF, "'app.kubernetes.io/part-of': 'finbot-first'");
    // The second edit lands after esbuild has read the sources, before the bundle would be published.
    const marker = join(work, 'racing-edited');
    const hook = `[ -e '${marker}' ] || { sed -i "s/finbot-first/finbot-second/" '${labels}' && touch -d 2001-01-01 '${labels}' && touch '${marker}'; }`;
    synth(repo, ['staging'], { FINBOT_FAST_START_TEST_HOOK: hook });
    expect(existsSync(marker)).toBe(true);
    const fast = synth(repo);
    expect(fast.files['/staging/apps.yaml']).toContain('part-of: finbot-second');
    expect(fast).toEqual(cold(repo));
  });

  it('an edit under node_modules', () => {
    // node_modules: links to the real packages, except a private copy of cdk8s-plus-27 to edit. The cache it
    // starts from (the seed) was built where node_modules/cdk8s-plus-27 led elsewhere (a link): the bundle's
    // key must notice that the name now leads to other files, before and after the edit.
    const repo = warmCopy((root) => {
      mkdirSync(join(root, 'node_modules'));
      for (const e of readdirSync(join(REPO_ROOT, 'node_modules'))) {
        if (e === 'cdk8s-plus-27') cpSync(join(REPO_ROOT, 'node_modules', e), join(root, 'node_modules', e), { recursive: true });
        else symlinkSync(join(REPO_ROOT, 'node_modules', e), join(root, 'node_modules', e));
      }
    });
    const k8s = join(repo, 'node_modules', 'cdk8s-plus-27', 'lib', 'imports', 'k8s.js');
    const text = readFileSync(k8s, 'utf8');
    const gvk = "KubeNamespace.GVK = {\n    apiVersion: 'v1',";
    expect(text).toContain(gvk);
    editKeepingTime(k8s, gvk, "KubeNamespace.GVK = {\n    apiVersion: 'v1edited',");
    const fast = synth(repo);
    expect(fast).toEqual(cold(repo));
    if (fast.status === 0) expect(fast.files['/staging/platform.yaml']).toContain('apiVersion: v1edited');
  });

  it('a snapshot with bytes flipped in the middle', () => {
    const repo = warmCopy();
    const blob = join(repo, '.build', 'synth.blob');
    const bytes = readFileSync(blob);
    for (let i = 0; i < 64; i++) bytes[(bytes.length >> 1) + i] ^= 0xff;
    writeFileSync(blob, bytes);
    const fast = synth(repo);
    // node aborts at start (V8 prints why); the launcher says so and runs the slow path, which rebuilds
    expect(fast.status).toBe(0);
    expect(fast.stderr).toContain('Check failed: VerifyChecksum');
    const reference = cold(repo);
    expect(fast.files).toEqual(reference.files);
    // rebuilt: it runs again, straight from the snapshot
    const again = fromBlob(repo, blob, ['synth', 'staging']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.files).toEqual(fast.files);
  });

  it('validate.blob copied over synth.blob', () => {
    const repo = warmCopy();
    const validate = spawnSync('sh', [join(repo, 'fast-start', 'run.sh'), 'validate', 'staging'], { cwd: repo, env: cleanEnv(), encoding: 'utf8' });
    expect(validate.status, validate.stderr).toBe(0);
    cpSync(join(repo, '.build', 'validate.blob'), join(repo, '.build', 'synth.blob'));
    expect(fromBlob(repo, join(repo, '.build', 'synth.blob'), ['synth', 'staging']).status).toBe(STALE);
    const fast = synth(repo);
    expect(fast.status).toBe(0);
    expect(fast).toEqual(cold(repo));
    expect(Object.keys(fast.files).length).toBeGreaterThan(2);
  });

  it('a validation rule edited with an old time is run as edited', () => {
    const repo = warmCopy();
    const validate = () => spawnSync('sh', [join(repo, 'fast-start', 'run.sh'), 'validate', 'staging'], { cwd: repo, env: cleanEnv(), encoding: 'utf8' });
    expect(validate().stdout).toContain('validation passed');
    editKeepingTime(join(repo, 'validation', 'report.ts'), "'validation passed'", "'validation passed (edited)'");
    const r = validate();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('validation passed (edited)');
  });

  it('a moved checkout reads that checkout; NODE_OPTIONS takes the bundle', () => {
    const repo = warmCopy();
    const moved = join(work, 'moved');
    cpSync(repo, moved, { recursive: true, verbatimSymlinks: true });
    editKeepingTime(join(moved, ...LABELS), PART_OF, "'app.kubernetes.io/part-of': 'finbot-moved'");
    const fast = synth(moved);
    expect(fast.files['/staging/apps.yaml']).toContain('part-of: finbot-moved');
    expect(fast).toEqual(cold(moved));
    expect(synth(moved, ['staging'], { NODE_OPTIONS: '--no-warnings' })).toEqual(fast);
  });
});
