/**
 * The disaster-recovery drill (docs/disaster-recovery.md "Drill"): on a copy of the settings, render every DR pair,
 * fail over, render again, fail back, and in each state validate both environments with the project's validation
 * (schema, policy, reachability, the dr/ rules) and check the invariants: exactly one writable Postgres primary,
 * each region's apps on its own database, no references to the peer's hosts, buckets, KMS keys or Vault except the
 * replication source, and the failover's diff is the one the runbook describes. Failback restores the output.
 * Everything is read from the settings: a release or an ordinary setting change keeps this test green.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { loadSettings } from '../../config/load';
import { REPO_ROOT } from '../../config/paths';
import type { Settings } from '../../config/schema';
import { readDistDir, type DistObjects } from '../../model/dist-files';
import type { KubeObject } from '../../model/kube-object';
import { CNPG_FENCING, cnpgIsReplica, cnpgReadWriteHost } from '../../model/operators/cloudnative-pg';
import { renderEnvironment } from '../../synth/render';
import { capacityInput, capacityReport } from '../../tools/capacity/capacity';
import { diffEnvironments } from '../../tools/diff/diff';
import { planFailback, planFailover, planRebuild, writeDrEdits } from '../../tools/dr/dr-commands';
import { CommandError } from '../../tools/release/release-commands';
import { distManifests } from '../../validation/manifests';
import { validateManifests } from '../../validation/run';
import { ownedIdentifiers } from '../../validation/rules/disaster-recovery';
import { copyEnvironments, ENVIRONMENTS } from '../helpers';

/** Every pair [standby, active] in the repository's settings. */
const PAIRS = ENVIRONMENTS.flatMap((env) => {
  const dr = loadSettings(env).platform.dr;
  return dr && dr.role === 'standby' ? [[env, dr.peer] as const] : [];
});

const work = mkdtempSync(join(tmpdir(), 'finbot-dr-drill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Renders `envs` from the settings in `configDir` into `<work>/<state>/<env>/`; returns the objects per environment. */
function render(state: string, configDir: string, envs: readonly string[]): { dir: string; objects: DistObjects; texts: Map<string, Map<string, string>> } {
  const dir = join(work, state);
  const texts = new Map<string, Map<string, string>>();
  for (const env of envs) {
    const files = renderEnvironment(buildEnvironment(loadSettings(env, configDir)));
    texts.set(env, files);
    mkdirSync(join(dir, env), { recursive: true });
    for (const [name, text] of files) writeFileSync(join(dir, env, name), text);
  }
  return { dir, objects: readDistDir(dir), texts };
}

async function validate(dir: string, configDir: string, envs: readonly string[]): Promise<string[]> {
  const results = await validateManifests(distManifests(dir, [...envs]), configDir);
  expect(results.map((r) => r.environment).sort()).toEqual([...envs].sort());
  return results.flatMap((r) => r.violations.map((v) => `${r.environment}: [${v.rule}] ${v.object} ${v.path}: ${v.message}`));
}

function clusterOf(objects: readonly KubeObject[], s: Settings): any {
  const c = objects.find((o) => o.kind === 'Cluster' && o.metadata.name === s.data.postgres.name);
  expect(c, `${s.name}: Cluster ${s.data.postgres.name}`).toBeDefined();
  return c;
}

const writable = (c: any) => !cnpgIsReplica(c.metadata.name, c.spec.replica) && c.metadata.annotations?.[CNPG_FENCING.annotation] !== CNPG_FENCING.all;

/** The invariants of a pair's output in any state. */
function checkInvariants(objects: DistObjects, a: Settings, b: Settings): void {
  const clusters = [clusterOf(objects.get(a.name)!, a), clusterOf(objects.get(b.name)!, b)];
  expect(clusters.filter(writable).map((c) => c.metadata.name), 'exactly one writable primary').toHaveLength(1);
  expect(clusters[0].spec.replica.primary).toBe(clusters[1].spec.replica.primary);
  for (const s of [a, b]) {
    // Each region's apps use its own database (its -rw Service), never the peer's.
    const own = cnpgReadWriteHost(s.data.postgres.name, s.platform.namespaces.database);
    const hosts = objects.get(s.name)!.filter((o) => o.kind === 'Deployment').flatMap((d: any) => d.spec.template.spec.containers)
      .flatMap((c: any) => c.env ?? []).filter((e: any) => e.name === 'DATABASE_HOST').map((e: any) => e.value);
    expect(hosts.length, `${s.name}: apps with DATABASE_HOST`).toBeGreaterThan(0);
    expect(new Set(hosts)).toEqual(new Set([own]));
  }
  // The cross-reference rule has something to look for in either direction (it could fail).
  for (const s of [a, b]) {
    const owned = ownedIdentifiers(objects.get(s.name)!.map((object) => ({ object, file: s.name })));
    expect(owned.hosts.size).toBeGreaterThan(0);
    expect(owned.buckets.has(s.data.backups.bucket)).toBe(true);
    expect([...owned.hosts]).toContain(new URL(s.secrets.vault.apiAddr).hostname);
  }
}

/** Kinds named in the runbook's table "What the failover commit changes" (docs/disaster-recovery.md). */
function runbookKinds(): Set<string> {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'disaster-recovery.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('What the failover commit changes'));
  expect(section, 'docs/disaster-recovery.md: section "What the failover commit changes"').toBeDefined();
  return new Set([...section!.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]));
}

describe.each(PAIRS)('DR drill: fail over to %s from %s and back', (standby, active) => {
  const config = copyEnvironments();
  afterAll(() => rmSync(config, { recursive: true, force: true }));
  const envs = [standby, active];
  const original = new Map(envs.map((e) => [e, readFileSync(join(config, e, 'data.yaml'), 'utf8') + readFileSync(join(config, e, 'platform.yaml'), 'utf8')]));
  const before = render('before', config, envs);

  it('before: the rendered pair is the committed output, valid, and keeps the invariants', async () => {
    const committed = readDistDir(join(REPO_ROOT, 'dist'));
    for (const env of envs) expect(diffEnvironments(new Map([[env, committed.get(env)!]]), new Map([[env, before.objects.get(env)!]]))[0].status).toBe('unchanged');
    expect(await validate(before.dir, config, envs)).toEqual([]);
    checkInvariants(before.objects, loadSettings(standby, config), loadSettings(active, config));
  }, 120_000);

  it('refuses unsafe failovers with one clear message each', () => {
    const [s, a] = [loadSettings(standby, config), loadSettings(active, config)];
    const rpo = s.data.postgres.backup.rpoMinutes * 60;
    expect(() => planFailover(s, a, { peerReachable: true })).toThrow(/give --replica-lag-seconds N/);
    expect(() => planFailover(s, a, { peerReachable: true, replicaLagSeconds: rpo + 1 })).toThrow(`replica lag ${rpo + 1} s is above the RPO of ${rpo} s`);
    expect(() => planFailover(a, s, { peerReachable: true, replicaLagSeconds: 0 })).toThrow(`${active} is already the active region`);
    const twoPrimaries = { ...s, data: { ...s.data, postgres: { ...s.data.postgres, replication: { ...s.data.postgres.replication!, primary: s.data.postgres.name } } } };
    expect(() => planFailover(twoPrimaries, a, { peerReachable: true, replicaLagSeconds: 0 })).toThrow(/^two primaries: /);
    expect(() => planFailover(s, a, { peerReachable: true })).toThrow(CommandError);
  });

  // The drill is a sequence: each step starts from the settings the previous one left (run the whole file).
  let after: ReturnType<typeof render>;
  it('failover (peer reachable): valid, invariants hold, the standby became the primary and serves the public hosts at full size', async () => {
    const [s, a] = [loadSettings(standby, config), loadSettings(active, config)];
    const plan = planFailover(s, a, { peerReachable: true, replicaLagSeconds: 0 });
    expect(plan.checklist.length).toBeGreaterThan(5);
    writeDrEdits(config, plan.edits);
    const [s2, a2] = [loadSettings(standby, config), loadSettings(active, config)];
    expect(s2.platform.dr?.role).toBe('active');
    expect(a2.platform.dr?.role).toBe('standby');
    expect(s2.edge.hosts).toEqual(a.edge.hosts);
    expect(a2.edge.hosts).toEqual(a.platform.dr!.standby.hosts);
    after = render('failover', config, envs);
    expect(await validate(after.dir, config, envs)).toEqual([]);
    checkInvariants(after.objects, s2, a2);
    const primary = after.objects.get(standby)!.find((o) => o.kind === 'Cluster') as any;
    expect(writable(primary)).toBe(true);
    // HPAs at the active sizes of apps.yaml in the new active region, at standby sizes in the old one.
    const hpa = (env: string, name: string) => after.objects.get(env)!.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name) as any;
    expect(hpa(standby, 'finbot-web-hpa').spec.minReplicas).toBe(s2.apps.web.autoscaling!.minReplicas);
    expect(hpa(active, 'finbot-web-hpa').spec.maxReplicas).toBe(a.platform.dr!.standby.apps.web.maxReplicas);
    // The new active region's node group holds the full size (npm run capacity on the failed-over output).
    const capacity = capacityReport(standby, after.objects.get(standby)!, capacityInput(s2));
    expect(capacity.warnings.filter((w) => w.includes('at maximum replicas') || w.includes('never be scheduled'))).toEqual([]);
  }, 120_000);

  it('the failover\'s diff is what the runbook says (docs/disaster-recovery.md)', () => {
    const diffs = diffEnvironments(before.objects, after.objects);
    const changedKinds = new Set(diffs.flatMap((d) => d.changes.map((c) => c.kind)));
    // Only PodDisruptionBudgets come and go: an app whose HPA minimum is 1 at standby size gets none (apps chart).
    expect(diffs.flatMap((d) => d.changes.filter((c) => c.change !== 'changed' && c.kind !== 'PodDisruptionBudget').map((c) => `${d.environment} ${c.change} ${c.kind} ${c.name}`)), 'objects change, none but PDBs appear or go').toEqual([]);
    expect([...changedKinds].sort()).toEqual([...runbookKinds()].sort());
    // Postgres: only the designated primary changed in both Clusters.
    for (const env of envs) {
      const c = diffs.find((d) => d.environment === env)!.changes.find((x) => x.kind === 'Cluster')!;
      expect(c.fields.map((f) => f.path.join('.'))).toEqual(['spec.replica.primary']);
    }
  });

  it('failback returns the settings and the output to the original bytes', async () => {
    const [s, a] = [loadSettings(standby, config), loadSettings(active, config)];
    writeDrEdits(config, planFailback(a, s, { replicaLagSeconds: 0 }).edits);
    for (const env of envs) expect(readFileSync(join(config, env, 'data.yaml'), 'utf8') + readFileSync(join(config, env, 'platform.yaml'), 'utf8')).toBe(original.get(env));
    const back = render('failback', config, envs);
    for (const env of envs) expect(back.texts.get(env)).toEqual(before.texts.get(env));
  });

  it('failover with the peer unreachable fences it; failback needs a rebuild first; the pair is valid in every state', async () => {
    const load = () => [loadSettings(standby, config), loadSettings(active, config)] as const;
    let [s, a] = load();
    writeDrEdits(config, planFailover(s, a, { peerReachable: false, replicaLagSeconds: 0 }).edits);
    [s, a] = load();
    const fenced = render('fenced', config, envs);
    expect(clusterOf(fenced.objects.get(active)!, a).metadata.annotations[CNPG_FENCING.annotation]).toBe(CNPG_FENCING.all);
    checkInvariants(fenced.objects, s, a);
    expect(await validate(fenced.dir, config, envs)).toEqual([]);
    expect(() => planFailback(a, s, { replicaLagSeconds: 0 })).toThrow(`${active} is fenced`);
    writeDrEdits(config, planRebuild(a, s).edits);
    [s, a] = load();
    writeDrEdits(config, planFailback(a, s, { replicaLagSeconds: 0 }).edits);
    [s, a] = load();
    const rebuilt = render('rebuilt', config, envs);
    checkInvariants(rebuilt.objects, s, a);
    expect(await validate(rebuilt.dir, config, envs)).toEqual([]);
    // Back to the original output except that the rebuilt cluster now bootstraps from its peer's archive.
    const diffs = diffEnvironments(before.objects, rebuilt.objects).flatMap((d) => d.changes.map((c) => `${d.environment} ${c.kind} ${c.fields.map((f) => f.path.join('.')).join(',')}`));
    expect(diffs).toEqual([`${active} Cluster spec.bootstrap.initdb,spec.bootstrap.recovery`]);
  }, 120_000);
});

it('the repository has at least one DR pair, and staging is not in one', () => {
  expect(PAIRS.length).toBeGreaterThan(0);
  for (const env of ENVIRONMENTS) if (!PAIRS.flat().includes(env)) expect(loadSettings(env).data.postgres.replication).toBeUndefined();
});

describe('docs/disaster-recovery.md stays true to the commands and the settings', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'disaster-recovery.md'), 'utf8');
  const section = (title: string) => doc.split(/^#+ /m).find((x) => x.startsWith(title)) ?? '';

  it.each(PAIRS)('the checklist printed for %s (both variants) is the documented one, step by step', (standby, active) => {
    const [s, a] = [loadSettings(standby), loadSettings(active)];
    const documented = [...section('Failover checklist').matchAll(/\*\*([^*]+):\*\*/g)].map((m) => m[1]);
    for (const peerReachable of [true, false]) {
      const titles = planFailover(s, a, { peerReachable, replicaLagSeconds: 0 }).checklist.map((step) => step.split(':')[0]);
      expect(titles.every((t) => documented.includes(t)), `${titles.join(' | ')} vs ${documented.join(' | ')}`).toBe(true);
      expect(titles.map((t) => documented.indexOf(t))).toEqual([...titles.map((t) => documented.indexOf(t))].sort((x, y) => x - y));
    }
  });

  it('the RTO budget adds up to its total, under 4 h', () => {
    const rows = [...section('RTO budget').matchAll(/^\| (.+?) \| \**(\d+):(\d\d)\** \|$/gm)].map((m) => ({ what: m[1], minutes: Number(m[2]) * 60 + Number(m[3]) }));
    const total = rows.find((r) => r.what.includes('total'))!;
    const steps = rows.filter((r) => r !== total);
    expect(steps.length).toBeGreaterThan(5);
    expect(steps.reduce((n, r) => n + r.minutes, 0)).toBe(total.minutes);
    expect(total.minutes).toBeLessThan(240);
  });

  it.each(PAIRS)('the RPO reasoning quotes the settings of the active environment (%s is standby)', (_standby, active) => {
    const d = loadSettings(active).data;
    const rpo = section('RPO reasoning');
    expect(rpo).toContain(`\`archive_timeout\` ${d.postgres.backup.archiveTimeoutMinutes} min`);
    expect(rpo).toContain(`\`rpoMinutes\` ${d.postgres.backup.rpoMinutes}`);
    expect(rpo).toContain(`\`${d.backups.redis.schedule}\``);
    expect(rpo).toContain(`\`${d.backups.vault.schedule}\``);
    expect(rpo).toContain(`alert after ${d.backups.redis.maxAgeHours} h`);
    expect(rpo).toContain(d.postgres.backup.destinationPath);
  });
});
