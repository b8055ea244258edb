/**
 * Entry of the validation's startup snapshot. scripts/validate.mjs bundles it, with the model modules of
 * the kinds in dist/ registered through {@link useBundledModels}, and scripts/lib/snapshot.mjs snapshots
 * the heap after {@link warmUp}. scripts/run.sh validate runs it; see docs/tools.md.
 */
import { main } from './cli';

export { useBundledModels } from './schema';

/** Validates dist/ once, output dropped: loads and compiles every validator dist/ needs, fills the caches. */
export async function warmUp(): Promise<void> {
  await main([], {}, () => {}, () => {});
}

/** `npm run validate` (and the plugin's call) from the snapshot; returns the exit code. */
export function run(args: readonly string[]): Promise<number> {
  return main(args, process.env, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
