/** Shared plumbing of `npm run failover` / `npm run failback`: options, the pair's settings, re-synthesis, output. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { listEnvironments } from '../../config/load';
import { REPO_ROOT } from '../../config/paths';
import type { Settings } from '../../config/schema';
import { configDir, settingsFor, UsageError } from '../release/cli';
import { CommandError } from '../release/release-commands';
import { formatChecklist, writeDrEdits, type DrPlan } from './dr-commands';

/** Parsed command line: the positional environments and the flags. */
export interface DrArgs {
  readonly positional: string[];
  readonly flags: Set<string>;
  readonly replicaLagSeconds?: number;
  readonly promotionToken?: string;
}

/** Parses `args`; `valued` options take the next argument. Unknown options are usage errors. */
export function parseDrArgs(args: readonly string[], known: readonly string[]): DrArgs {
  const rest = [...args];
  const take = (name: string): string | undefined => {
    const at = rest.indexOf(name);
    if (at < 0) return undefined;
    const value = rest[at + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    rest.splice(at, 2);
    return value;
  };
  const lag = take('--replica-lag-seconds');
  if (lag !== undefined && !/^[0-9]+(\.[0-9]+)?$/.test(lag)) throw new UsageError(`--replica-lag-seconds needs a number of seconds, got ${lag}`);
  const token = known.includes('--promotion-token') ? take('--promotion-token') : undefined;
  const unknown = rest.filter((a) => a.startsWith('--') && !known.includes(a));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(' ')}`);
  return {
    positional: rest.filter((a) => !a.startsWith('--')),
    flags: new Set(rest.filter((a) => a.startsWith('--'))),
    ...(lag !== undefined ? { replicaLagSeconds: Number(lag) } : {}),
    ...(token !== undefined ? { promotionToken: token } : {}),
  };
}

/** Settings of `env` and of its DR peer; a clear refusal for an unknown environment or one outside a pair. */
export function pairSettings(env: string, dir: string = configDir()): { target: Settings; peer: Settings } {
  const target = settingsFor(env, dir);
  const peerName = target.platform.dr?.peer;
  if (!peerName) {
    const pairs = listEnvironments(dir).filter((e) => e !== env);
    throw new CommandError(`${env} is not part of a disaster-recovery pair (no dr in its platform.yaml); environments: ${pairs.join(', ')}`);
  }
  return { target, peer: settingsFor(peerName, dir) };
}

/** Writes the plan's edits, prints its summary and checklist, and re-synthesizes its environments together. */
export function carryOut(plan: DrPlan, title: string, synth: boolean, dir: string = configDir()): number {
  writeDrEdits(dir, plan.edits);
  process.stdout.write(`${plan.summary}\n\n${formatChecklist(title, plan.checklist)}\n\n`);
  if (!synth) return 0;
  // Both environments at once: the DR rules validate the pair together.
  const r = spawnSync('sh', [join(REPO_ROOT, 'fast-start', 'run.sh'), 'synth', ...plan.environments], { stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}
