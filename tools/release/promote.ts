/**
 * `npm run promote -- <env>`: the blue-green release of finbot-api in three reviewed commits: `--prepare`
 * scales the idle colour to what the live one runs, the plain command switches finbot-api to it, `--finish`
 * shrinks the previous colour once the switch is confirmed. Each edits release.yaml (comments kept) and
 * re-synthesizes dist/<env>.
 */
import { configDir, resynth, run, settingsFor, UsageError } from './cli';
import { kubectlView } from './kubectl-view';
import { NO_CLUSTER, planFinish, planPrepare, planPromote, writeEdits } from './release-commands';

const USAGE = `Makes the idle colour of finbot-api live (blue <-> green) in three steps, each a reviewed commit, and
re-synthesizes dist/<env>/.

Usage: npm run promote -- <env> --prepare [--replicas N] [--no-cluster] [--no-synth]
       npm run promote -- <env> [--confirm-ready] [--no-cluster] [--no-synth]
       npm run promote -- <env> --finish [--no-synth]

  env              environment, e.g. production or staging
  --prepare        step 1: the idle colour keeps at least as many pods as the live colour runs now
                   (handoverReplicas in release.yaml); the count is read from the cluster with kubectl
  --replicas N     the live colour's pod count, when the cluster cannot be read (or to ask for more)
  (no step flag)   step 2, after the prepared commit is synced and its pods are ready: finbot-api switches
                   to the idle colour; the previous one keeps its pods behind finbot-api-preview, so
                   promoting again rolls back at full capacity. A running canary ends (canaryPercent: 0).
                   Refused before --prepare and while the idle colour has fewer ready pods (kubectl).
  --confirm-ready  step 2 without cluster access: you checked the idle colour's ready pods yourself
  --finish         step 3, once the switch is confirmed: the previous colour shrinks to idleReplicas
  --no-cluster     do not call kubectl
  --no-synth       only edit the settings
  --help           show this help

Exit codes: 0 done, 1 refused (nothing changed), 2 wrong usage.`;

const FLAGS = ['--no-synth', '--prepare', '--finish', '--confirm-ready', '--no-cluster'];

run(USAGE, (args) => {
  const rest = [...args];
  let replicas: number | undefined;
  const at = rest.indexOf('--replicas');
  if (at >= 0) {
    const value = rest[at + 1];
    if (value === undefined || !/^[0-9]+$/.test(value)) throw new UsageError(`--replicas needs a whole number, got ${value ?? 'nothing'}`);
    replicas = Number(value);
    rest.splice(at, 2);
  }
  const unknown = rest.filter((a) => a.startsWith('--') && !FLAGS.includes(a));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(' ')}`);
  const positional = rest.filter((a) => !a.startsWith('--'));
  if (positional.length !== 1) throw new UsageError(`expected <env>, got ${positional.length} argument(s)`);
  const has = (f: string) => rest.includes(f);
  if (has('--prepare') && has('--finish')) throw new UsageError('--prepare and --finish are different steps; give one');
  if (replicas !== undefined && !has('--prepare')) throw new UsageError('--replicas goes with --prepare');
  const [env] = positional;
  const dir = configDir();
  const settings = settingsFor(env, dir);
  const cluster = has('--no-cluster') ? NO_CLUSTER : kubectlView();
  const plan = has('--prepare') ? planPrepare(settings, cluster, replicas)
    : has('--finish') ? planFinish(settings)
      : planPromote(settings, cluster, has('--confirm-ready'));
  writeEdits(env, dir, plan.edits);
  process.stdout.write(`${plan.summary}\n`);
  return has('--no-synth') ? 0 : resynth(env);
});
