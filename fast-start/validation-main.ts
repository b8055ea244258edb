/**
 * Entry of the validation's bundle (fast-start/commands.mjs): the slow path calls {@link run}; the startup
 * snapshot is taken after {@link warmUp}. See docs/performance.md.
 */
import { DIST_DIR } from '../config/paths';
import { main } from '../validation/cli';
import { distManifests } from '../validation/manifests';
import { validateManifests } from '../validation/run';

/**
 * Validates dist/ once, result dropped: loads every validator dist/ needs, runs every rule, fills the caches.
 * Reads the files directly, without the command's check of dist/'s state: that check refuses while a synth
 * holds dist/'s lock, and a snapshot built then would hold nothing warm. A file that cannot be read (a synth
 * swapping it right now) only makes the snapshot less warm.
 */
export async function warmUp(): Promise<void> {
  try {
    await validateManifests(distManifests(DIST_DIR));
  } catch {
    // Less warm, still correct: every run reads and validates dist/ itself.
  }
}

/** `npm run validate` (and the plugin's call); returns the exit code. */
export function run(args: readonly string[]): Promise<number> {
  return main(args, process.env, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
