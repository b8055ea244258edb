/**
 * Entry of the validation's startup snapshot. fast-start/validate.mjs bundles it and fast-start/snapshot.mjs
 * snapshots the heap after {@link warmUp}. fast-start/run.sh validate runs it; see docs/tools.md.
 */
import { main } from '../validation/cli';

/** Validates dist/ once, output dropped: loads and compiles every validator dist/ needs, fills the caches. */
export async function warmUp(): Promise<void> {
  await main([], {}, () => {}, () => {});
}

/** `npm run validate` (and the plugin's call) from the snapshot; returns the exit code. */
export function run(args: readonly string[]): Promise<number> {
  return main(args, process.env, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
