/**
 * `npm run promote-env -- <from> <to>`: the images running in <from> (staging) go to <to> (production) as a
 * settings change, re-synthesized, ready to commit on a branch and open as a pull request — the only path by
 * which images reach production (docs/releases.md).
 */
import { configDir, resynth, run, settingsFor, UsageError } from './cli';
import { planPromoteEnv } from './promote-env-plan';
import { writeEdits } from './release-commands';

const USAGE = `Promotes the images running in one environment to the next and re-synthesizes dist/<to>/.

Usage: npm run promote-env -- <from> <to> [--no-synth]

  from, to    environments, e.g. staging production
  --no-synth  only edit the settings
  --help      show this help

The api's live tag of <from> goes to the idle colour of <to> (finbot-api-preview; live after
npm run promote -- <to>); web, worker and extra workers get the tag they run in <from>. Then commit on a
branch and open a pull request (the release workflow does this on a version tag). Exit codes: 0 done (or
nothing to promote), 1 refused (nothing changed), 2 wrong usage.`;

run(USAGE, (args) => {
  const noSynth = args.includes('--no-synth');
  const positional = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--no-synth');
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(' ')}`);
  if (positional.length !== 2) throw new UsageError(`expected <from> <to>, got ${positional.length} argument(s)`);
  const [from, to] = positional;
  const dir = configDir();
  const plan = planPromoteEnv(settingsFor(from, dir), settingsFor(to, dir));
  process.stdout.write(`${plan.summary}\n`);
  if (plan.edits.length === 0) return 0;
  writeEdits(to, dir, plan.edits);
  if (noSynth) return 0;
  const code = resynth(to);
  if (code === 0) process.stdout.write(`next: git switch -c promote/${from}-to-${to} && git commit -am "promote ${from} -> ${to}" && open a pull request (npm run diff -- --markdown for its description)\n`);
  return code;
});
