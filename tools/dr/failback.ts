/**
 * `npm run failback -- <env>`: returns the active role to the rebuilt region <env> (docs/disaster-recovery.md):
 * `--rebuild` first when its Postgres was fenced, then the failback itself, each a reviewed commit.
 */
import { listEnvironments } from '../../config/load';
import { configDir, run, settingsFor, UsageError } from '../release/cli';
import { CommandError } from '../release/release-commands';
import { carryOut, pairSettings, parseDrArgs } from './cli';
import { planFailback, planRebuild } from './dr-commands';

const USAGE = `Fails back to the region that was active before a failover, once it is rebuilt: its Postgres becomes the
primary again (the other one a replica of it), its edge serves the public hosts, its apps scale to full size.
Edits the settings of both environments, re-synthesizes dist/ and prints the steps that are not a commit.

Usage: npm run failback -- [<env>] --rebuild [--no-synth]
       npm run failback -- [<env>] --replica-lag-seconds N [--promotion-token T] [--no-synth]

  env                      the environment to make active again, e.g. production (default: the standby
                           environment of the only disaster-recovery pair)
  --rebuild                step 1 when <env> was fenced by a failover: unfence its Postgres and recreate it from
                           the active region's archive (still standby)
  --replica-lag-seconds N  step 2: how far <env>'s Postgres replays behind the active primary; refused above the RPO
  --promotion-token T      the active primary's .status.demotionToken once it is demoted (no data loss)
  --no-synth               only edit the settings
  --help                   show this help

Refused (nothing changed): an unknown environment, two primaries, a fenced <env> without --rebuild, a replica lag
above the RPO, an environment that is already active.
Exit codes: 0 done, 1 refused, 2 wrong usage.`;

/** The standby environment of the only pair, when no environment is given. */
function defaultHome(): string {
  const dir = configDir();
  const standby = listEnvironments(dir).filter((e) => settingsFor(e, dir).platform.dr?.role === 'standby');
  if (standby.length !== 1) throw new CommandError(`give the environment to fail back to; standby environments: ${standby.join(', ') || 'none'}`);
  return standby[0];
}

run(USAGE, (args) => {
  const a = parseDrArgs(args, ['--replica-lag-seconds', '--rebuild', '--promotion-token', '--no-synth']);
  if (a.positional.length > 1) throw new UsageError(`expected at most one <env>, got ${a.positional.length}`);
  if (a.flags.has('--rebuild') && (a.replicaLagSeconds !== undefined || a.promotionToken !== undefined)) throw new UsageError('--rebuild is step 1; --replica-lag-seconds and --promotion-token go with step 2');
  const { target: home, peer: active } = pairSettings(a.positional[0] ?? defaultHome());
  const plan = a.flags.has('--rebuild') ? planRebuild(home, active) : planFailback(home, active, {
    ...(a.replicaLagSeconds !== undefined ? { replicaLagSeconds: a.replicaLagSeconds } : {}),
    ...(a.promotionToken !== undefined ? { promotionToken: a.promotionToken } : {}),
  });
  return carryOut(plan, a.flags.has('--rebuild') ? 'Rebuild checklist' : 'Failback checklist', !a.flags.has('--no-synth'));
});
