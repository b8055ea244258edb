/**
 * Writes rendered environments into dist/ all-or-nothing: everything is written to a temporary folder
 * first and swapped in only when every environment rendered, so a failed synth leaves dist/ untouched.
 * An environment whose folder already holds exactly the rendered files is left as it is (no rewrite, the
 * files keep their modification times): re-running synth after a change touches only the environments
 * whose output changed.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files of one environment: file name → content. */
export type RenderedEnvironment = ReadonlyMap<string, string>;

/**
 * Replaces dist/<env>/ for every given environment. With `prune`, environment folders that are not given
 * (deleted environments) are removed too.
 */
export function writeDist(distDir: string, envs: ReadonlyMap<string, RenderedEnvironment>, options: { prune?: boolean } = {}): void {
  mkdirSync(distDir, { recursive: true });
  const changed = [...envs].filter(([env, files]) => !holdsExactly(join(distDir, env), files));
  if (changed.length > 0) {
    const staging = join(distDir, `.tmp-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    try {
      for (const [env, files] of changed) {
        const dir = join(staging, env);
        mkdirSync(dir, { recursive: true });
        for (const [name, content] of files) writeFileSync(join(dir, name), content);
      }
      for (const [env] of changed) {
        const target = join(distDir, env);
        const old = join(staging, `${env}.old`);
        if (existsSync(target)) renameSync(target, old);
        renameSync(join(staging, env), target);
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  if (options.prune) {
    for (const entry of readdirSync(distDir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !envs.has(entry.name)) {
        rmSync(join(distDir, entry.name), { recursive: true, force: true });
      }
    }
  }
}

/** Whether a folder holds exactly these files with exactly this content (and nothing else). */
function holdsExactly(dir: string, files: RenderedEnvironment): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  if (names.length !== files.size) return false;
  for (const [name, content] of files) {
    try {
      if (readFileSync(join(dir, name), 'utf8') !== content) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Copies dist/<env>/ for the given environments into another folder (the cdk8s CLI's output dir). */
export function mirror(distDir: string, envs: Iterable<string>, outDir: string): void {
  for (const env of envs) cpSync(join(distDir, env), join(outDir, env), { recursive: true });
}
