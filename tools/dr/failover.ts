/**
 * `npm run failover -- <env>`: makes the disaster-recovery environment <env> the active region as one reviewed
 * commit (docs/disaster-recovery.md): edits platform.yaml and data.yaml of <env> and its peer (comments kept),
 * re-synthesizes both, and prints the numbered checklist of what is not a commit.
 */
import { run, UsageError } from '../release/cli';
import { carryOut, pairSettings, parseDrArgs } from './cli';
import { planFailover } from './dr-commands';

const USAGE = `Fails over to a disaster-recovery environment: its Postgres becomes the primary, its edge serves the public
hosts, its apps scale to the sizes of apps.yaml; the other region becomes standby. Edits the settings of both
environments, re-synthesizes dist/ and prints the steps that are not a commit (CDN/DNS, promotion checks).

Usage: npm run failover -- <env> --replica-lag-seconds N [--peer-reachable [--promotion-token T]] [--no-synth]

  env                      the environment to make active, e.g. production-dr
  --replica-lag-seconds N  how far its Postgres replays behind the primary (measure it: checklist step 2);
                           refused above the RPO (data.yaml postgres.backup.rpoMinutes)
  --peer-reachable         the other region's cluster answers: its Postgres is demoted to a replica of the new
                           primary; without it, that Postgres is fenced (it stays down when its region returns)
  --promotion-token T      the demoted primary's .status.demotionToken: a switchover without data loss (can be
                           given again once the failover is merged, to amend it)
  --no-synth               only edit the settings
  --help                   show this help

Refused (nothing changed): an unknown environment or one outside a pair, two primaries, a pair that disagrees on
its primary, a replica lag above the RPO, an environment that is already active.
Exit codes: 0 done, 1 refused, 2 wrong usage.`;

run(USAGE, (args) => {
  const a = parseDrArgs(args, ['--replica-lag-seconds', '--peer-reachable', '--promotion-token', '--no-synth']);
  if (a.positional.length !== 1) throw new UsageError(`expected <env>, got ${a.positional.length} argument(s)`);
  const { target, peer } = pairSettings(a.positional[0]);
  const plan = planFailover(target, peer, {
    peerReachable: a.flags.has('--peer-reachable'),
    ...(a.replicaLagSeconds !== undefined ? { replicaLagSeconds: a.replicaLagSeconds } : {}),
    ...(a.promotionToken !== undefined ? { promotionToken: a.promotionToken } : {}),
  });
  return carryOut(plan, 'Failover checklist', !a.flags.has('--no-synth'));
});
