/**
 * The state of a dist/ folder between synths: the lock that serializes writers in one checkout, and the journal
 * a synth writes before it swaps environment folders in, so that a run interrupted at any point (a kill between
 * two renames) is detected and rolled back by the next synth or `npm run validate`.
 *
 * Layout inside dist/: `.synth.lock` (the writer's pid), `.synth-journal.json` (the swap in progress) and
 * `.tmp-<pid>/` (the staged environments and the old copies `<env>.old`). Hidden names: readers of dist/ skip
 * them.
 */
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the lock inside dist/. */
export const LOCK_FILE = '.synth.lock';
/** File name of the journal inside dist/. */
export const JOURNAL_FILE = '.synth-journal.json';
/** Prefix of staging folders inside dist/. */
export const STAGING_PREFIX = '.tmp-';

/** What a synth is about to do to dist/, written before the first rename. */
export interface DistJournal {
  readonly pid: number;
  /** Staging folder (inside dist/) holding the new `<env>` folders and receiving the old ones as `<env>.old`. */
  readonly staging: string;
  /** Environments swapped in, and whether dist/<env> existed before. */
  readonly swaps: ReadonlyArray<{ readonly env: string; readonly existed: boolean }>;
  /** Environments removed (pruned): moved to `<env>.old`. */
  readonly removals: readonly string[];
}

/** A thing held until released. */
export interface Held {
  release(): void;
}

/** Raised when dist/ is locked by another live process and waiting did not help. */
export class DistLockedError extends Error {
  constructor(readonly holder: number, readonly waitedMs: number) {
    super(`another synth (pid ${holder}) is writing dist/; waited ${Math.round(waitedMs / 1000)} s for it. dist/ was not touched by this run`);
    this.name = 'DistLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes dist/'s lock: waits up to `timeoutMs` while another live process holds it (calling `onWait` once), takes
 * over a lock whose process is gone. Throws {@link DistLockedError} on timeout.
 */
export function lockDist(distDir: string, options: { timeoutMs?: number; onWait?: (holder: number) => void } = {}): Held {
  mkdirSync(distDir, { recursive: true });
  const file = join(distDir, LOCK_FILE);
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release: () => {
          if (lockHolder(file) === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = lockHolder(file);
    if (holder === undefined || holder === process.pid || !alive(holder)) {
      // A lock left by a process that is gone (or one being written right now: read it again first).
      sleep(10);
      const again = lockHolder(file);
      if (again === holder && (again === undefined || again === process.pid || !alive(again))) {
        const aside = `${file}.stale-${process.pid}`;
        try {
          renameSync(file, aside);
          // Someone may have taken it between the read and the rename: give it back.
          const moved = lockHolder(aside);
          if (moved !== undefined && moved !== holder && alive(moved)) renameSync(aside, file);
          else rmSync(aside, { force: true });
        } catch {
          // Another process moved it first; try again.
        }
      }
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= (options.timeoutMs ?? 120_000)) throw new DistLockedError(holder, waited);
    if (!told) options.onWait?.(holder);
    told = true;
    sleep(50);
  }
}

/** The journal of an interrupted (or running) swap, if any. */
export function readJournal(distDir: string): DistJournal | undefined {
  const file = join(distDir, JOURNAL_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DistJournal;
  } catch {
    // A journal is written to a temporary file and renamed: a torn one cannot exist; treat garbage as empty.
    return { pid: 0, staging: '', swaps: [], removals: [] };
  }
}

/** Writes the journal atomically (temporary file + rename). */
export function writeJournal(distDir: string, journal: DistJournal): void {
  const file = join(distDir, JOURNAL_FILE);
  writeFileSync(`${file}.${process.pid}`, `${JSON.stringify(journal)}\n`);
  renameSync(`${file}.${process.pid}`, file);
}

/** Removes the journal: from now on the swap is complete. */
export function clearJournal(distDir: string): void {
  rmSync(join(distDir, JOURNAL_FILE), { force: true });
}

/**
 * Rolls an interrupted swap back to the previous dist/ (every environment as it was before that run) and removes
 * stale staging folders. Call with the lock held. Returns what was repaired, one line each (empty: nothing).
 */
export function recoverDist(distDir: string): string[] {
  const notes: string[] = [];
  const journal = readJournal(distDir);
  if (journal) {
    const staging = journal.staging ? join(distDir, journal.staging) : '';
    const restored: string[] = [];
    for (const { env, existed } of journal.swaps) {
      const target = join(distDir, env);
      const old = staging ? join(staging, `${env}.old`) : '';
      if (old && existsSync(old)) {
        // The old copy was moved aside: whatever is at dist/<env> now is the new one (or nothing).
        rmSync(target, { recursive: true, force: true });
        renameSync(old, target);
        restored.push(env);
      } else if (!existed && existsSync(target) && !(staging && existsSync(join(staging, env)))) {
        // A new environment already swapped in: the previous dist/ had none.
        rmSync(target, { recursive: true, force: true });
        restored.push(env);
      }
    }
    for (const env of journal.removals) {
      const old = staging ? join(staging, `${env}.old`) : '';
      if (old && existsSync(old) && !existsSync(join(distDir, env))) {
        renameSync(old, join(distDir, env));
        restored.push(env);
      }
    }
    clearJournal(distDir);
    notes.push(
      `dist/ was left half-replaced by an interrupted synth (pid ${journal.pid}); restored the previous ${restored.length > 0 ? restored.map((e) => `dist/${e}`).join(', ') : 'dist/'}`,
    );
  }
  if (existsSync(distDir)) {
    for (const e of readdirSync(distDir)) {
      if (e.startsWith(STAGING_PREFIX) || e.startsWith(`${JOURNAL_FILE}.`) || e.startsWith(`${LOCK_FILE}.stale-`)) {
        rmSync(join(distDir, e), { recursive: true, force: true });
        if (!journal) notes.push(`removed ${e}, left in dist/ by an earlier run`);
      }
    }
  }
  return notes;
}
