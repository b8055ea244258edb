/**
 * `npm run set-image -- <env> <app> <tag>`: the CI step that bumps an image tag in the settings (comments kept)
 * and re-synthesizes dist/<env>. For the api the tag goes to the idle colour (see docs/releases.md).
 */
import { configDir, resynth, run, settingsFor, UsageError } from './cli';
import { planSetImage, writeEdits } from './release-commands';

const USAGE = `Sets the image tag of an app in config/environments/<env>/ and re-synthesizes dist/<env>/.

Usage: npm run set-image -- <env> <app> <tag> [--no-synth]

  env         environment, e.g. production or staging
  app         api, web, worker or an extra worker's name
  tag         immutable image tag, e.g. v4.1.0 or a git SHA (never "latest")
  --no-synth  only edit the settings
  --help      show this help

For api the tag goes to the idle colour (release.yaml), reachable as finbot-api-preview;
\`npm run promote -- <env>\` then makes it live. web and worker roll out in place (apps.yaml).
Exit codes: 0 done, 1 refused (nothing changed), 2 wrong usage.`;

run(USAGE, (args) => {
  const noSynth = args.includes('--no-synth');
  const positional = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--no-synth');
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(' ')}`);
  if (positional.length !== 3) throw new UsageError(`expected <env> <app> <tag>, got ${positional.length} argument(s)`);
  const [env, app, tag] = positional;
  const dir = configDir();
  const plan = planSetImage(settingsFor(env, dir), app, tag);
  writeEdits(env, dir, plan.edits);
  process.stdout.write(`${plan.summary}\n`);
  return noSynth ? 0 : resynth(env);
});
