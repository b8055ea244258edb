/**
 * Writes rendered environments into dist/ all-or-nothing for the whole run, across environments:
 *
 * 1. take dist/'s lock (a second synth in the same checkout waits for it), and roll back whatever an
 *    interrupted earlier run left (model/dist-journal.ts);
 * 2. write every rendered environment into a staging folder `dist/.tmp-<pid>/`, and let `check` (the validation)
 *    look at it: if it refuses, nothing in dist/ changes;
 * 3. write the journal (which environments are about to be swapped), then rename each changed `dist/<env>` to
 *    `<staging>/<env>.old` and the staged one into its place; an error rolls every rename back; a kill leaves the
 *    journal, and the next synth or `npm run validate` rolls back;
 * 4. clear the journal (the commit point), remove the staging folder, release the lock.
 *
 * An environment whose folder already holds exactly the rendered files is left as it is (no rewrite, its files
 * keep their modification times).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearJournal, lockDist, recoverDist, STAGING_PREFIX, writeJournal, type DistJournal } from '../model/dist-journal';

/** Files of one environment: file name → content. */
export type RenderedEnvironment = ReadonlyMap<string, string>;

/** What a write changed in one environment's folder. */
export interface EnvironmentChange {
  readonly env: string;
  /** `unchanged`: left as it was; `written`: swapped in; `added`: new folder; `removed`: pruned. */
  readonly status: 'unchanged' | 'written' | 'added' | 'removed';
  /** Files whose content changed (or that appeared or disappeared), with their text before and after. */
  readonly files: ReadonlyArray<{ readonly name: string; readonly before?: string; readonly after?: string }>;
}

/** Options of {@link writeDist}. */
export interface WriteDistOptions {
  /** Remove environment folders that are not given (deleted environments). @default false */
  readonly prune?: boolean;
  /**
   * Looks at the staged output before anything in dist/ changes (`stagingDir/<env>/*.yaml`, every given
   * environment); throwing (or rejecting) refuses the write. dist/'s lock is held while it runs.
   */
  readonly check?: (stagingDir: string, envs: readonly string[]) => void | Promise<void>;
  /** Longest wait for another synth's lock, in ms. @default 120000 */
  readonly lockTimeoutMs?: number;
  /** Told once when this run waits for another synth, and about repairs of an interrupted run. */
  readonly notify?: (message: string) => void;
  /** Called after each rename of the swap (tests inject failures and kills here). */
  readonly afterRename?: (count: number) => void;
}

/**
 * Replaces dist/<env>/ for every given environment, all-or-nothing. Returns what changed, per environment.
 */
export async function writeDist(distDir: string, envs: ReadonlyMap<string, RenderedEnvironment>, options: WriteDistOptions = {}): Promise<EnvironmentChange[]> {
  const lock = lockDist(distDir, { timeoutMs: options.lockTimeoutMs, onWait: (pid) => options.notify?.(`waiting for another synth (pid ${pid}) to finish writing dist/`) });
  try {
    for (const note of recoverDist(distDir)) options.notify?.(note);
    return await swapIn(distDir, envs, options);
  } finally {
    lock.release();
  }
}

async function swapIn(distDir: string, envs: ReadonlyMap<string, RenderedEnvironment>, options: WriteDistOptions): Promise<EnvironmentChange[]> {
  const changes = [...envs].map(([env, files]) => diffFolder(distDir, env, files));
  const removals = options.prune
    ? readdirSync(distDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !envs.has(e.name))
      .map((e) => e.name)
      .sort()
    : [];
  for (const env of removals) changes.push({ env, status: 'removed', files: readFolder(join(distDir, env)).map(([name, before]) => ({ name, before })) });
  const swaps = changes.filter((c) => c.status === 'written' || c.status === 'added');
  if (swaps.length === 0 && removals.length === 0 && !options.check) return changes;

  const stagingName = `${STAGING_PREFIX}${process.pid}`;
  const staging = join(distDir, stagingName);
  rmSync(staging, { recursive: true, force: true });
  const done: Array<() => void> = [];
  try {
    for (const [env, files] of envs) {
      mkdirSync(join(staging, env), { recursive: true });
      for (const [name, content] of files) writeFileSync(join(staging, env, name), content);
    }
    await options.check?.(staging, [...envs.keys()]);
    if (swaps.length === 0 && removals.length === 0) {
      rmSync(staging, { recursive: true, force: true });
      return changes;
    }
    const journal: DistJournal = { pid: process.pid, staging: stagingName, swaps: swaps.map((c) => ({ env: c.env, existed: c.status === 'written' })), removals };
    writeJournal(distDir, journal);
    let renames = 0;
    const step = () => options.afterRename?.(++renames);
    for (const c of swaps) {
      const target = join(distDir, c.env);
      const old = join(staging, `${c.env}.old`);
      const fresh = join(staging, c.env);
      if (c.status === 'written') {
        renameSync(target, old);
        done.push(() => renameSync(old, target));
        step();
      }
      renameSync(fresh, target);
      done.push(() => renameSync(target, fresh));
      step();
    }
    for (const env of removals) {
      const target = join(distDir, env);
      const old = join(staging, `${env}.old`);
      renameSync(target, old);
      done.push(() => renameSync(old, target));
      step();
    }
    // The commit point: from here on the new dist/ stands.
    clearJournal(distDir);
  } catch (err) {
    // Undo the renames in reverse order: dist/ is as before this run.
    let clean = true;
    for (const undo of done.reverse()) {
      try {
        undo();
      } catch {
        clean = false;
      }
    }
    // If an undo failed, the journal and the staging folder stay: the next run (or npm run validate) rolls back.
    if (clean) {
      clearJournal(distDir);
      rmSync(staging, { recursive: true, force: true });
    }
    throw err;
  }
  rmSync(staging, { recursive: true, force: true });
  return changes;
}

/** How dist/<env> differs from the rendered files. */
function diffFolder(distDir: string, env: string, files: RenderedEnvironment): EnvironmentChange {
  const dir = join(distDir, env);
  if (!existsSync(dir)) return { env, status: 'added', files: [...files].map(([name, after]) => ({ name, after })) };
  const old = new Map(readFolder(dir));
  const changed: Array<{ name: string; before?: string; after?: string }> = [];
  for (const [name, after] of files) if (old.get(name) !== after) changed.push({ name, before: old.get(name), after });
  for (const [name, before] of old) if (!files.has(name)) changed.push({ name, before });
  return { env, status: changed.length === 0 ? 'unchanged' : 'written', files: changed };
}

function readFolder(dir: string): Array<[string, string]> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: Array<[string, string]> = [];
  for (const name of names) {
    try {
      out.push([name, readFileSync(join(dir, name), 'utf8')]);
    } catch {
      out.push([name, '']);
    }
  }
  return out;
}

/** Copies dist/<env>/ for the given environments into another folder (the cdk8s CLI's output dir). */
export function mirror(distDir: string, envs: Iterable<string>, outDir: string): void {
  for (const env of envs) cpSync(join(distDir, env), join(outDir, env), { recursive: true });
}
