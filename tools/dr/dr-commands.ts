/**
 * Failover and failback of a disaster-recovery pair (docs/disaster-recovery.md) as settings edits: the logic of
 * `npm run failover` and `npm run failback`, without I/O except {@link writeDrEdits}. A pair is two environments
 * whose platform.yaml `dr.peer` name each other; the active one serves the public hosts at full size and its
 * Postgres is the primary of the CloudNativePG distributed topology (data.yaml `postgres.replication.primary`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { parseDocument } from 'yaml';
import { parseSettings, readRawSections, SettingsError } from '../../config/load';
import type { Settings } from '../../config/schema';
import { CNPG_DISTRIBUTED_TOPOLOGY, CNPG_FENCING } from '../../model/operators/cloudnative-pg';
import { CommandError } from '../release/release-commands';
import { setYamlScalar } from '../release/yaml-edit';

/** One settings change: a scalar set, or (value undefined) a key removed. */
export interface DrEdit {
  readonly env: string;
  readonly section: 'platform' | 'data';
  readonly path: readonly string[];
  readonly value: string | undefined;
}

/** What a command changes and tells the operator. */
export interface DrPlan {
  readonly edits: readonly DrEdit[];
  readonly summary: string;
  /** The steps that cannot be a commit, in order (printed numbered; docs/disaster-recovery.md holds the same). */
  readonly checklist: readonly string[];
  /** The environments to re-synthesize. */
  readonly environments: readonly string[];
}

/** Options of a failover (also used by failback, which is a failover back to the rebuilt region). */
export interface FailoverOptions {
  /** How far the replica's replay is behind the primary, in seconds, as the operator measured it. */
  readonly replicaLagSeconds?: number;
  /** The other region's cluster is reachable: its Postgres is demoted to a replica instead of fenced. */
  readonly peerReachable: boolean;
  /** The former primary's `.status.demotionToken` (controlled switchover without data loss). */
  readonly promotionToken?: string;
}

const REPLICATION = ['postgres', 'replication'] as const;

/** The pair of `env`: both environments' settings, checked to be a consistent pair with exactly one primary. */
export function pairOf(target: Settings, peer: Settings): void {
  const dr = target.platform.dr;
  const rep = target.data.postgres.replication;
  if (!dr || !rep) throw new CommandError(`${target.name} is not part of a disaster-recovery pair (platform.yaml has no dr); failover applies to the DR environments`);
  if (peer.name !== dr.peer || peer.platform.dr?.peer !== target.name || !peer.data.postgres.replication) {
    throw new CommandError(`${target.name} and ${peer.name} do not name each other as peers (platform.yaml dr.peer): fix the settings before a failover`);
  }
  const peerRep = peer.data.postgres.replication;
  if (rep.peer.name !== peer.data.postgres.name || peerRep.peer.name !== target.data.postgres.name) {
    throw new CommandError(`data.yaml postgres.replication.peer.name of ${target.name} (${rep.peer.name}) or of ${peer.name} (${peerRep.peer.name}) is not the other's cluster (${peer.data.postgres.name}, ${target.data.postgres.name})`);
  }
  const targetPrimary = rep.primary === target.data.postgres.name;
  const peerPrimary = peerRep.primary === peer.data.postgres.name;
  if (targetPrimary && peerPrimary) {
    throw new CommandError(`two primaries: ${target.name} and ${peer.name} each name their own Postgres as primary (data.yaml postgres.replication.primary); one of them must be fixed by hand, after checking which holds the newer data`);
  }
  if (rep.primary !== peerRep.primary) {
    throw new CommandError(`${target.name} names ${rep.primary} as primary, ${peer.name} names ${peerRep.primary}: the pair disagrees; fix data.yaml by hand first`);
  }
}

function checkLag(target: Settings, lag: number | undefined, peer: Settings): void {
  const limitSeconds = target.data.postgres.backup.rpoMinutes * 60;
  if (lag === undefined) {
    throw new CommandError(`give --replica-lag-seconds N: how far ${target.data.postgres.name} replays behind ${peer.data.postgres.name} (step 2 of the checklist in docs/disaster-recovery.md measures it); the limit is the RPO, ${limitSeconds} s (data.yaml postgres.backup.rpoMinutes)`);
  }
  if (!Number.isFinite(lag) || lag < 0) throw new CommandError(`--replica-lag-seconds must be a number of seconds of at least 0, got ${lag}`);
  if (lag > limitSeconds) {
    throw new CommandError(`replica lag ${lag} s is above the RPO of ${limitSeconds} s (data.yaml postgres.backup.rpoMinutes of ${target.name}): promoting ${target.data.postgres.name} now loses more data than the RPO allows; wait for it to catch up (or restore the archive's missing WAL) and measure again`);
  }
}

/**
 * Makes `target` the active region: its Postgres the primary, its edge serving the public hosts, its apps at full
 * size; the peer standby (apps at standby size, regional hosts), its Postgres a replica of the new primary — or,
 * when the peer is unreachable, fenced, so that it cannot accept writes if its region comes back.
 */
export function planFailover(target: Settings, peer: Settings, options: FailoverOptions): DrPlan {
  pairOf(target, peer);
  const rep = target.data.postgres.replication!;
  const newPrimary = target.data.postgres.name;
  const amendToken = target.platform.dr!.role === 'active' && options.promotionToken !== undefined && rep.primary === newPrimary;
  if (amendToken) {
    return {
      edits: [{ env: target.name, section: 'data', path: [...REPLICATION, 'promotionToken'], value: options.promotionToken }],
      environments: [target.name],
      summary: `${target.name}: promotionToken set on ${newPrimary}; CloudNativePG promotes it once it has replayed up to the token's LSN`,
      checklist: [`Sync: merge and sync ${target.name}'s workloads Application, then run the promotion check of the failover checklist.`],
    };
  }
  if (target.platform.dr!.role === 'active') {
    throw new CommandError(`${target.name} is already the active region (platform.yaml dr.role) and ${newPrimary} the primary: nothing to fail over`);
  }
  if (peer.data.postgres.replication!.fenced && options.peerReachable) {
    throw new CommandError(`${peer.name} is fenced: it cannot be demoted to a replica as it is; leave out --peer-reachable`);
  }
  checkLag(target, options.replicaLagSeconds, peer);
  if (options.promotionToken !== undefined && !options.peerReachable) {
    throw new CommandError('--promotion-token comes from the demoted former primary: it needs --peer-reachable');
  }
  const edits: DrEdit[] = [
    { env: target.name, section: 'platform', path: ['dr', 'role'], value: 'active' },
    { env: target.name, section: 'data', path: [...REPLICATION, 'primary'], value: newPrimary },
    { env: peer.name, section: 'platform', path: ['dr', 'role'], value: 'standby' },
    { env: peer.name, section: 'data', path: [...REPLICATION, 'primary'], value: newPrimary },
  ];
  if (peer.data.postgres.replication!.promotionToken !== undefined) edits.push({ env: peer.name, section: 'data', path: [...REPLICATION, 'promotionToken'], value: undefined });
  if (!options.peerReachable) edits.push({ env: peer.name, section: 'data', path: [...REPLICATION, 'fenced'], value: 'true' });
  if (options.promotionToken !== undefined) edits.push({ env: target.name, section: 'data', path: [...REPLICATION, 'promotionToken'], value: options.promotionToken });
  const how = options.peerReachable ? `demoted: its Postgres ${peer.data.postgres.name} becomes a replica of ${newPrimary}` : `fenced: ${peer.data.postgres.name} gets ${CNPG_FENCING.annotation}: '${CNPG_FENCING.all}' and stays down if its region returns`;
  return {
    edits,
    environments: [peer.name, target.name].sort(),
    summary: [
      `${target.name} becomes the active region: ${newPrimary} the Postgres primary, the edge serves ${publicHosts(peer).join(', ')}, apps at the sizes of apps.yaml.`,
      `${peer.name} becomes standby (apps at standby size, edge on ${Object.values(peer.platform.dr!.standby.hosts).join(', ')}) and is ${how}.`,
    ].join('\n'),
    checklist: failoverChecklist(target, peer, options),
  };
}

/**
 * The public hosts: edge.yaml `hosts` of the active region (loaded settings of a standby region carry its standby
 * hosts instead, config/schema.ts withRegionRole); `active` is the pair's active member before the change.
 */
function publicHosts(active: Settings): string[] {
  return Object.values(active.edge.hosts);
}

/** The steps of a failover that are not a commit (docs/disaster-recovery.md, "Failover checklist"). */
export function failoverChecklist(target: Settings, peer: Settings, options: Pick<FailoverOptions, 'peerReachable' | 'promotionToken'>): string[] {
  const pg = target.data.postgres;
  const ns = target.platform.namespaces.database;
  const peerPg = peer.data.postgres;
  const argo = target.gitops.argocdNamespace;
  const steps = [
    `Incident: open the incident, freeze releases to ${peer.name} and ${target.name}, and review this change as a pull request to ${target.gitops.targetRevision} (npm run diff shows it).`,
    `Replica lag: (already passed to this command) on ${target.platform.clusterName}, \`kubectl cnpg status ${pg.name} -n ${ns}\` and \`SELECT now() - pg_last_xact_replay_timestamp()\` on its designated primary; it must stay below the RPO (${pg.backup.rpoMinutes} min).`,
  ];
  if (options.peerReachable && options.promotionToken === undefined) {
    steps.push(`Demote the peer: ${peer.name} is reachable; sync its workloads Application first (argocd on ${peer.platform.clusterName}, namespace ${peer.gitops.argocdNamespace}) so that ${peerPg.name} is demoted; read its token with \`kubectl get cluster ${peerPg.name} -n ${peer.platform.namespaces.database} -o jsonpath='{.status.${CNPG_DISTRIBUTED_TOPOLOGY.demotionTokenStatusField}}'\` and, for a switchover without data loss, run \`npm run failover -- ${target.name} --promotion-token <token>\` and merge that too before syncing ${target.name}.`);
  } else if (options.peerReachable) {
    steps.push(`Demote the peer: ${peer.name} was demoted with this token; sync its workloads Application (argocd on ${peer.platform.clusterName}) and keep it synced.`);
  } else {
    steps.push(`Peer unreachable: nothing to do in ${peer.name} now. When its region returns, sync its workloads Application before anything else (${peerPg.name} stays fenced) and rebuild it with \`npm run failback -- ${peer.name} --rebuild\`.`);
  }
  steps.push(
    `Sync: merge, then sync ${target.name}'s Applications on ${target.platform.clusterName} (namespace ${argo}); its sync window allows manual syncs at any hour.`,
    `Promotion check: \`kubectl cnpg status ${pg.name} -n ${ns}\` shows a primary instance and no replica-cluster designation; \`SELECT pg_is_in_recovery()\` on ${pg.name}-rw returns false; \`kubectl get cluster ${pg.name} -n ${ns}\` is "Cluster in healthy state".`,
    `Apps: the HPAs of ${target.platform.namespaces.app} reach the minimum of apps.yaml and every Deployment is available (\`kubectl get hpa,deploy -n ${target.platform.namespaces.app}\`); the cluster-autoscaler adds nodes (up to ${target.cluster.nodeGroups.maxSize}).`,
    `CDN/DNS: in the CDN (${target.edge.cdn.clientIpHeader === 'CF-Connecting-IP' ? 'CloudFlare' : 'the CDN'}) point the origin of ${publicHosts(peer).join(' and ')} at ${target.name}'s edge load balancer (\`kubectl get svc -n ${target.platform.namespaces.ingress}\`); the records are proxied with a TTL of 60 s set ahead, so the switch takes effect within about a minute (docs/disaster-recovery.md).`,
    `Certificates: cert-manager in ${target.name} issues the public hosts' certificates over HTTP-01 once the CDN reaches it (\`kubectl get certificate -A\` Ready).`,
    `Verify: the blackbox probes of ${target.name} (gitops.yaml probes) succeed and the smoke test passed; then announce the failover and record the times for the RTO budget.`,
    `Redis and Vault: Redis in ${target.name} holds only its own cache; it refills; restore the last snapshot only if needed (docs/data.md, Redis restore). Check that Vault in ${target.name} (${target.secrets.vault.apiAddr}) holds current secrets.`,
  );
  return steps;
}

/** Edits that clear a fence and recreate the Postgres of `home` from the active region's archive (still standby). */
export function planRebuild(home: Settings, active: Settings): DrPlan {
  pairOf(home, active);
  const rep = home.data.postgres.replication!;
  if (home.platform.dr!.role === 'active') throw new CommandError(`${home.name} is the active region: nothing to rebuild`);
  if (!rep.fenced && rep.bootstrap === 'peer') throw new CommandError(`${home.name} is not fenced and already bootstraps from ${active.name}: nothing to rebuild; run npm run failback -- ${home.name}`);
  const ns = home.platform.namespaces.database;
  return {
    edits: [
      { env: home.name, section: 'data', path: [...REPLICATION, 'fenced'], value: 'false' },
      { env: home.name, section: 'data', path: [...REPLICATION, 'bootstrap'], value: 'peer' },
    ],
    environments: [home.name],
    summary: `${home.name}: ${home.data.postgres.name} unfenced and recreated from ${active.name}'s archive as a replica of ${rep.primary} (still standby).`,
    checklist: [
      `Delete the old cluster: before syncing, delete the old cluster and its volumes on ${home.platform.clusterName} (\`kubectl delete cluster ${home.data.postgres.name} -n ${ns}\`, then its PVCs); its data diverged from ${rep.primary} and cannot follow it.`,
      `Sync: merge and sync ${home.name}'s workloads Application; CloudNativePG recreates ${home.data.postgres.name} by recovery from ${active.data.postgres.backup.destinationPath}.`,
      `Catch up: wait until \`kubectl cnpg status ${home.data.postgres.name} -n ${ns}\` shows it replaying WAL, then run \`npm run failback -- ${home.name} --replica-lag-seconds N\`.`,
    ],
  };
}

/** Returns the active role to `home` once it is rebuilt: a failover to `home` with the active region reachable. */
export function planFailback(home: Settings, active: Settings, options: Omit<FailoverOptions, 'peerReachable'>): DrPlan {
  pairOf(home, active);
  if (home.data.postgres.replication!.fenced) {
    throw new CommandError(`${home.name} is fenced (its Postgres is the former primary and may hold writes ${active.name} never saw): rebuild it first with \`npm run failback -- ${home.name} --rebuild\``);
  }
  return planFailover(home, active, { ...options, peerReachable: true });
}

/** Applies edits to the YAML texts of one section file: scalars in place (CST), added or removed keys through the yaml Document API. */
export function applyDrEdits(text: string, edits: readonly DrEdit[]): string {
  let out = text;
  for (const e of edits) {
    const doc = parseDocument(out);
    const exists = doc.hasIn(e.path);
    if (e.value === undefined) {
      if (!exists) continue;
      doc.deleteIn(e.path);
      out = doc.toString();
    } else if (exists) {
      out = setYamlScalar(out, e.path, e.value);
    } else {
      doc.setIn(e.path, e.value);
      out = doc.toString();
    }
    const parsed = yaml.load(out) as Record<string, unknown>;
    const got = e.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), parsed);
    if ((e.value === undefined ? got !== undefined : String(got) !== e.value)) throw new CommandError(`editing ${e.section}.yaml of ${e.env}: ${e.path.join('.')} did not become ${e.value ?? '(removed)'}; edit the file by hand`);
  }
  return out;
}

/** Writes the edits of every environment after validating all results together; nothing is written on any error. */
export function writeDrEdits(dir: string, edits: readonly DrEdit[]): void {
  const writes: Array<[string, string]> = [];
  for (const env of [...new Set(edits.map((e) => e.env))]) {
    const raw = readRawSections(env, dir);
    for (const section of [...new Set(edits.filter((e) => e.env === env).map((e) => e.section))]) {
      const file = join(dir, env, `${section}.yaml`);
      const after = applyDrEdits(readFileSync(file, 'utf8'), edits.filter((e) => e.env === env && e.section === section));
      raw[section] = yaml.load(after) ?? {};
      writes.push([file, after]);
    }
    try {
      parseSettings(env, raw, dir);
    } catch (err) {
      if (err instanceof SettingsError) throw new CommandError(`the change would make the settings invalid: ${err.message}`);
      throw err;
    }
  }
  for (const [file, text] of writes) writeFileSync(file, text);
}

/** The checklist as printed: numbered from 1. */
export function formatChecklist(title: string, steps: readonly string[]): string {
  return [`${title} (steps that are not a commit; docs/disaster-recovery.md):`, ...steps.map((s, i) => `  ${i + 1}. ${s}`)].join('\n');
}
