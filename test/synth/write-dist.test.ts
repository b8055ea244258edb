import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, LOCK_FILE, lockDist, readJournal, recoverDist, DistLockedError } from '../../model/dist-journal';
import { REPO_ROOT } from '../../config/paths';
import { writeDist } from '../../synth/write-dist';

const dirs: string[] = [];
const tempDist = () => {
  const d = mkdtempSync(join(tmpdir(), 'finbot-write-dist-'));
  dirs.push(d);
  return d;
};
const env = (files: Record<string, string>) => new Map(Object.entries(files));
const OLD = new Date('2020-01-01T00:00:00Z');
const age = (dir: string) => {
  for (const f of readdirSync(dir)) utimesSync(join(dir, f), OLD, OLD);
};
const isOld = (file: string) => statSync(file).mtimeMs === OLD.getTime();

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An old dist/ (prod, stage, gone) and a new rendering that changes prod and stage, adds new and prunes gone. */
async function scenario() {
  const dist = tempDist();
  await writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 1\n' })], ['stage', env({ 'a.yaml': 'a: 2\n' })], ['gone', env({ 'g.yaml': 'g: 1\n' })]]));
  const before = readTree(dist);
  const next = new Map([['prod', env({ 'a.yaml': 'a: 10\n' })], ['stage', env({ 'a.yaml': 'a: 20\n', 'b.yaml': 'b: 1\n' })], ['new', env({ 'n.yaml': 'n: 1\n' })]]);
  return { dist, before, next };
}
/** Renames of the scenario's swap: prod (2), stage (2), new (1), gone pruned (1). */
const RENAMES = 6;

describe('writeDist', () => {
  it('writes every environment, and nothing else is left behind', async () => {
    const dist = tempDist();
    await writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' })], ['stage', env({ 'a.yaml': 'a: 2\n' })]]));
    expect(readdirSync(dist).sort()).toEqual(['prod', 'stage']);
    expect(readFileSync(join(dist, 'prod', 'b.yaml'), 'utf8')).toBe('b: 1\n');
    expect(readFileSync(join(dist, 'stage', 'a.yaml'), 'utf8')).toBe('a: 2\n');
  });

  it('leaves an environment whose files are unchanged as it is, and swaps in one that changed', async () => {
    const dist = tempDist();
    const prod = env({ 'a.yaml': 'a: 1\n' });
    await writeDist(dist, new Map([['prod', prod], ['stage', env({ 'a.yaml': 'a: 2\n' })]]));
    age(join(dist, 'prod'));
    age(join(dist, 'stage'));
    const changes = await writeDist(dist, new Map([['prod', prod], ['stage', env({ 'a.yaml': 'a: 3\n' })]]));
    expect(changes.map((c) => [c.env, c.status])).toEqual([['prod', 'unchanged'], ['stage', 'written']]);
    expect(changes[1].files).toEqual([{ name: 'a.yaml', before: 'a: 2\n', after: 'a: 3\n' }]);
    expect(isOld(join(dist, 'prod', 'a.yaml'))).toBe(true);
    expect(isOld(join(dist, 'stage', 'a.yaml'))).toBe(false);
    expect(readdirSync(dist).sort()).toEqual(['prod', 'stage']);
  });

  it('rewrites an environment with a stray file, a missing file or an edited file', async () => {
    const dist = tempDist();
    const files = env({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    for (const spoil of [
      (d: string) => writeFileSync(join(d, 'stray.yaml'), 'x: 1\n'),
      (d: string) => rmSync(join(d, 'b.yaml')),
      (d: string) => writeFileSync(join(d, 'a.yaml'), 'a: 9\n'),
    ]) {
      await writeDist(dist, new Map([['prod', files]]));
      spoil(join(dist, 'prod'));
      await writeDist(dist, new Map([['prod', files]]));
      expect(readdirSync(join(dist, 'prod')).sort()).toEqual(['a.yaml', 'b.yaml']);
      expect(readFileSync(join(dist, 'prod', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    }
  });

  it('prunes environments that are no longer rendered, even when nothing else changed', async () => {
    const dist = tempDist();
    const prod = env({ 'a.yaml': 'a: 1\n' });
    await writeDist(dist, new Map([['prod', prod], ['gone', env({ 'a.yaml': 'a: 1\n' })]]));
    mkdirSync(join(dist, '.keep'));
    await writeDist(dist, new Map([['prod', prod]]), { prune: true });
    expect(readdirSync(dist).sort()).toEqual(['.keep', 'prod']);
  });

  it('a refusing check leaves dist/ byte-identical and removes its staging folder', async () => {
    const { dist, before, next } = await scenario();
    let staged: string[] = [];
    await expect(writeDist(dist, next, { prune: true, check: (dir, envs) => {
      staged = envs.slice();
      expect(readFileSync(join(dir, 'prod', 'a.yaml'), 'utf8')).toBe('a: 10\n');
      throw new Error('validation failed');
    } })).rejects.toThrow('validation failed');
    expect(staged).toEqual(['prod', 'stage', 'new']);
    expect(readTree(dist)).toEqual(before);
    expect(readdirSync(dist).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it.each(Array.from({ length: RENAMES }, (_, i) => i + 1))('a failure after rename %i rolls the whole run back', async (n) => {
    const { dist, before, next } = await scenario();
    await expect(writeDist(dist, next, { prune: true, afterRename: (k) => {
      if (k === n) throw new Error(`injected failure after rename ${k}`);
    } })).rejects.toThrow(`injected failure after rename ${n}`);
    expect(readTree(dist)).toEqual(before);
    expect(readdirSync(dist).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('the swap makes exactly the expected number of renames', async () => {
    const { dist, next } = await scenario();
    let count = 0;
    await writeDist(dist, next, { prune: true, afterRename: (k) => { count = k; } });
    expect(count).toBe(RENAMES);
    expect(Object.keys(readTree(dist)).sort()).toEqual(['/new/n.yaml', '/prod/a.yaml', '/stage/a.yaml', '/stage/b.yaml']);
  });

  it('removes stale .tmp-* folders and a lock left by a process that is gone', async () => {
    const dist = tempDist();
    await writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 1\n' })]]));
    mkdirSync(join(dist, '.tmp-999999', 'prod'), { recursive: true });
    writeFileSync(join(dist, LOCK_FILE), '999999\n');
    const notes: string[] = [];
    await writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 1\n' })]]), { notify: (m) => notes.push(m) });
    expect(readdirSync(dist)).toEqual(['prod']);
    expect(notes.join('\n')).toContain('removed .tmp-999999');
  });

  it('a lock held by a live process makes a writer wait, then fail with a true message', async () => {
    const dist = tempDist();
    await writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 1\n' })]]));
    const held = lockDist(dist);
    try {
      // This very process holds it, as another live synth would: the second writer times out.
      writeFileSync(join(dist, LOCK_FILE), `${process.ppid}\n`);
      const waited: string[] = [];
      let error: unknown;
      try {
        await writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 2\n' })]]), { lockTimeoutMs: 200, notify: (m) => waited.push(m) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DistLockedError);
      expect(String((error as Error).message)).toContain(`another synth (pid ${process.ppid}) is writing dist/`);
      expect(String((error as Error).message)).toContain('dist/ was not touched by this run');
      expect(waited.join()).toContain('waiting for another synth');
      expect(readFileSync(join(dist, 'prod', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    } finally {
      rmSync(join(dist, LOCK_FILE), { force: true });
      held.release();
    }
  });
});

describe('an interrupted swap (the process killed between renames) is rolled back by the next run', () => {
  /** Runs writeDist in a child process that SIGKILLs itself right after rename `n`. */
  function killedAfter(dist: string, n: number): Promise<NodeJS.Signals | null> {
    const script = `
      import { writeDist } from ${JSON.stringify(join(REPO_ROOT, 'synth', 'write-dist.ts'))};
      const env = (o) => new Map(Object.entries(o));
      await writeDist(${JSON.stringify(dist)}, new Map([['prod', env({ 'a.yaml': 'a: 10\\n' })], ['stage', env({ 'a.yaml': 'a: 20\\n', 'b.yaml': 'b: 1\\n' })], ['new', env({ 'n.yaml': 'n: 1\\n' })]]),
        { prune: true, afterRename: (k) => { if (k === ${n}) process.kill(process.pid, 'SIGKILL'); } });
    `;
    return new Promise((resolveP) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: 'ignore' });
      child.on('exit', (_code, signal) => resolveP(signal));
    });
  }

  it.each(Array.from({ length: RENAMES }, (_, i) => i + 1))('killed after rename %i: the journal is left, the next run restores the old tree', async (n) => {
    const { dist, before, next } = await scenario();
    expect(await killedAfter(dist, n)).toBe('SIGKILL');
    expect(existsSync(join(dist, JOURNAL_FILE))).toBe(true);
    expect(readJournal(dist)?.swaps.map((s) => s.env)).toEqual(['prod', 'stage', 'new']);
    // What `npm run validate` and the next synth do first: take over the dead process's lock, roll back.
    const lock = lockDist(dist, { timeoutMs: 0 });
    const notes = recoverDist(dist);
    lock.release();
    expect(notes.join('\n')).toMatch(/dist\/ was left half-replaced by an interrupted synth \(pid \d+\); restored the previous/);
    expect(readTree(dist)).toEqual(before);
    expect(readdirSync(dist).filter((e) => e.startsWith('.'))).toEqual([]);
    // And the next run then writes the new tree whole.
    await writeDist(dist, next, { prune: true });
    expect(Object.keys(readTree(dist)).sort()).toEqual(['/new/n.yaml', '/prod/a.yaml', '/stage/a.yaml', '/stage/b.yaml']);
  }, 60_000);
});

describe('concurrent writers', () => {
  it('two processes writing the same dist/ at once: both succeed, one after the other, and dist/ is whole', async () => {
    const dist = tempDist();
    await writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 0\n' })], ['stage', env({ 'a.yaml': 'a: 0\n' })]]));
    const writer = (value: number) => `
      import { writeDist } from ${JSON.stringify(join(REPO_ROOT, 'synth', 'write-dist.ts'))};
      const env = (o) => new Map(Object.entries(o));
      const slow = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
      await writeDist(${JSON.stringify(dist)}, new Map([['prod', env({ 'a.yaml': 'a: ${value}\\n' })], ['stage', env({ 'a.yaml': 'a: ${value}\\n' })]]),
        { afterRename: slow, notify: (m) => process.stderr.write(m + '\\n') });
    `;
    const run = (value: number) => new Promise<{ code: number | null; err: string }>((resolveP) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(value)], { cwd: REPO_ROOT });
      let err = '';
      child.stderr.on('data', (d) => { err += String(d); });
      child.on('exit', (code) => resolveP({ code, err }));
    });
    const [a, b] = await Promise.all([run(1), run(2)]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    // One of them waited for the other; the result is one writer's whole tree, never a mix.
    const tree = readTree(dist);
    expect([JSON.stringify({ '/prod/a.yaml': 'a: 1\n', '/stage/a.yaml': 'a: 1\n' }), JSON.stringify({ '/prod/a.yaml': 'a: 2\n', '/stage/a.yaml': 'a: 2\n' })]).toContain(JSON.stringify(tree));
    expect(readdirSync(dist).sort()).toEqual(['prod', 'stage']);
  }, 120_000);
});
