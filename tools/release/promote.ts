/**
 * `npm run promote -- <env>`: makes the idle colour of finbot-api live by flipping `api.active` in
 * release.yaml (comments kept), then re-synthesizes dist/<env>. Running it again rolls back.
 */
import { configDir, resynth, run, settingsFor, UsageError } from './cli';
import { planPromote, writeEdits } from './release-commands';

const USAGE = `Makes the idle colour of finbot-api live (blue <-> green) and re-synthesizes dist/<env>/.

Usage: npm run promote -- <env> [--no-synth]

  env         environment, e.g. production or staging
  --no-synth  only edit the settings
  --help      show this help

finbot-api then selects the promoted colour; the previous one stays behind finbot-api-preview, so
promoting again rolls back. A running canary ends (canaryPercent: 0). Refused when the idle colour
has idleReplicas 0. Exit codes: 0 done, 1 refused (nothing changed), 2 wrong usage.`;

run(USAGE, (args) => {
  const noSynth = args.includes('--no-synth');
  const positional = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--no-synth');
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(' ')}`);
  if (positional.length !== 1) throw new UsageError(`expected <env>, got ${positional.length} argument(s)`);
  const [env] = positional;
  const dir = configDir();
  const plan = planPromote(settingsFor(env, dir));
  writeEdits(env, dir, plan.edits);
  process.stdout.write(`${plan.summary}\n`);
  return noSynth ? 0 : resynth(env);
});
