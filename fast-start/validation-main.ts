/**
 * Entry of the validation's bundle (fast-start/commands.mjs): the slow path calls {@link run}; the startup
 * snapshot is taken after {@link warmUp}. See docs/performance.md.
 */
import { main } from '../validation/cli';

/** Validates dist/ once, output dropped: loads and compiles every validator dist/ needs, fills the caches. */
export async function warmUp(): Promise<void> {
  await main([], {}, () => {}, () => {});
}

/** `npm run validate` (and the plugin's call); returns the exit code. */
export function run(args: readonly string[]): Promise<number> {
  return main(args, process.env, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
