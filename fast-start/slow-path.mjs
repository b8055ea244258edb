// The slow path of `fast-start/run.sh <command>`: brings the command's bundle up to date (bundle.mjs), runs
// the command from it with node's compile cache, then (unless FINBOT_NO_SNAPSHOT is set) makes the startup
// snapshot fresh for the next run (snapshot.mjs).
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { BUILD_DIR, ensureBundle } from './bundle.mjs';
import { COMMANDS } from './commands.mjs';
import { ensureSnapshot } from './snapshot.mjs';

/** Brings the bundle of `name` up to date; returns `{ file, manifest }`. */
export async function bundleOf(name) {
  const command = COMMANDS[name];
  const entry = command.entry();
  return ensureBundle(name, { entryKey: entry.key, build: (esbuild) => command.build(esbuild, entry) });
}

/** Runs command `name` with `args` from its bundle, then refreshes its snapshot; sets the exit code. */
export async function slowPath(name, args) {
  const command = COMMANDS[name];
  const bundle = await bundleOf(name);
  // node checks each cached entry against the source it compiles, so this cache can never be stale.
  nodeModule.enableCompileCache?.(join(BUILD_DIR, 'compile-cache'));
  const exports = nodeModule.createRequire(import.meta.url)(bundle.file);
  process.exitCode = await exports[command.runExport](args);
  if (!process.env.FINBOT_NO_SNAPSHOT) ensureSnapshot(name, bundle, command.runExport);
}
