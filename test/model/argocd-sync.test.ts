/**
 * Argo CD's wave-by-wave health gating simulated over the rendered objects of each environment's workloads
 * Application, with Argo CD v3.5.1's own health checks plus the customisations the project ships in
 * argocd-admin.yaml (run in a Lua VM). A first sync on a cluster with the prerequisites must reach the
 * PostSync smoke test; every object must come after what it waits for.
 */
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { HEALTH_CUSTOMIZATIONS } from '../../model/argocd-health-customizations';
import { type HealthRule, orderFindings, simulateSync, upstreamHealth } from '../../model/argocd-sync';
import { globRegExp } from '../../model/dist-files';
import type { KubeObject } from '../../model/kube-object';
import { healthCustomizationKey } from '../../model/operators/argocd';
import { CNPG_ROUTINE_SEQUENCES } from '../../model/operators/cnpg-cluster-phases';
import { groupKind } from '../../model/sync-order';
import { renderObjects } from '../../synth/render';
import { ENVIRONMENTS, settingsOf } from '../helpers';
import { runHealthLua } from './lua-health';

/** The objects the workloads Application applies (its directory exclude over the rendered files) and the argocd-cm it ships. */
function workloadsOf(env: string): { objects: KubeObject[]; argocdCm: Record<string, string> } {
  const files = renderObjects(buildEnvironment(settingsOf(env)));
  const all = files.flatMap(([, o]) => o);
  const workloads = all.find((o) => o.kind === 'Application' && o.metadata.name === `finbot-${env}-workloads`) as any;
  const exclude = globRegExp(workloads.spec.source.directory.exclude);
  const cm = all.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm') as any;
  return { objects: files.filter(([f]) => !exclude.test(`${f}.yaml`)).flatMap(([, o]) => o), argocdCm: cm?.data ?? {} };
}

/** Argo CD's checks, replaced by the argocd-cm customisations where the rendered ConfigMap has one. */
function shippedHealth(argocdCm: Record<string, string>): HealthRule {
  return async (gk, live) => {
    const lua = argocdCm[healthCustomizationKey(gk)];
    return lua ? (await runHealthLua(lua, live)).status : upstreamHealth(gk, live);
  };
}

describe.each(ENVIRONMENTS)('%s: a first sync of the workloads Application', (env) => {
  const { objects, argocdCm } = workloadsOf(env);

  it('ships every health customisation of the model in argocd-cm', () => {
    expect(Object.keys(argocdCm).sort()).toEqual(HEALTH_CUSTOMIZATIONS.map((c) => healthCustomizationKey(c.groupKind)).sort());
  });

  it('applies every object after what it waits for (Secrets its pods read, data stores they connect to, stores, issuers, routes, scale targets)', () => {
    expect(orderFindings(objects).map((f) => f.message)).toEqual([]);
  });

  it('reaches the PostSync smoke test with the shipped health rules', async () => {
    const sim = await simulateSync(objects, shippedHealth(argocdCm));
    expect(sim.blockers.map((b) => `${b.ref}: ${b.healths.join(' -> ')}; unmet: ${b.unmet.join(', ')}`)).toEqual([]);
    expect(sim.outcome).toBe('completed');
    expect(sim.postSync.length).toBeGreaterThan(0);
  });

  it('would fail with Argo CD\'s own checks alone (why the customisations are shipped)', async () => {
    const sim = await simulateSync(objects, upstreamHealth);
    expect(sim.outcome).toBe('failed');
    const failing = new Set(sim.blockers.map((b) => b.ref.split(' ')[0]));
    expect([...failing].some((k) => ['HorizontalPodAutoscaler', 'OpenTelemetryCollector', 'Cluster'].includes(k))).toBe(true);
  });
});

describe.each(ENVIRONMENTS)('%s: a sync that overlaps routine operations', (env) => {
  const { objects, argocdCm } = workloadsOf(env);
  const cnpg = (phases: readonly string[]) => (o: KubeObject) => (groupKind(o.apiVersion, o.kind) === 'postgresql.cnpg.io/Cluster' ? phases.map((phase) => ({ status: { phase } })) : undefined);

  it.each(Object.entries(CNPG_ROUTINE_SEQUENCES))('Postgres: %s — completes with the shipped rules', async (_name, phases) => {
    expect((await simulateSync(objects, shippedHealth(argocdCm), cnpg(phases))).outcome).toBe('completed');
  });

  it('Postgres: a restart-requiring parameter change fails the sync with Argo CD\'s own CNPG check', async () => {
    const phases = CNPG_ROUTINE_SEQUENCES['restart-requiring parameter change (unsupervised, primaryUpdateMethod restart)'];
    const upstreamCnpgOnly: HealthRule = async (gk, live) => (gk === 'postgresql.cnpg.io/Cluster' ? upstreamHealth(gk, live) : shippedHealth(argocdCm)(gk, live));
    const sim = await simulateSync(objects, upstreamCnpgOnly, cnpg(phases));
    expect(sim.outcome).toBe('failed');
    expect(sim.blockers.map((b) => b.ref.split(' ')[0])).toEqual(['Cluster']);
  });

  it('a certificate renewal during the sync holds nothing with the shipped rules (Argo CD\'s own check waits until it is renewed)', async () => {
    const renewing = (o: KubeObject) => (o.kind === 'Certificate' ? [{ status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Issuing', status: 'True' }] } }] : undefined);
    expect((await simulateSync(objects, shippedHealth(argocdCm), renewing)).outcome).toBe('completed');
    const upstreamCertOnly: HealthRule = async (gk, live) => (gk === 'cert-manager.io/Certificate' ? upstreamHealth(gk, live) : shippedHealth(argocdCm)(gk, live));
    expect((await simulateSync(objects, upstreamCertOnly, renewing)).outcome).toBe('stuck');
  });
});

describe('the simulation catches the defects of issue #20', () => {
  const { objects, argocdCm } = workloadsOf('production');
  const withWave = (pred: (o: KubeObject) => boolean, wave: (o: KubeObject) => string) =>
    objects.map((o) => (pred(o) ? { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/sync-wave': wave(o) } } } : o));
  const waveOf = (kind: string) => objects.find((o) => o.kind === kind)!.metadata.annotations!['argocd.argoproj.io/sync-wave'];

  it('Certificates before the Ingress that answers their HTTP-01 challenge (the old wave -2)', () => {
    const old = withWave((o) => o.kind === 'Certificate', () => '-2');
    const findings = orderFindings(old).map((f) => f.message);
    // The route that answers the challenge: an Ingress (ingress-nginx) or the HTTPRoute of the NGF Gateway.
    expect(findings.some((m) => m.startsWith('Certificate') && m.includes('HTTP-01'))).toBe(true);
  });

  it('the Jaeger collectors in the same wave as Elasticsearch (the old wave -2 of both)', async () => {
    // Jaeger v2 runs as plain Deployments (jaeger-collector, jaeger-query) that read Elasticsearch's Secrets.
    const isCollector = (o: { kind: string; metadata: { name?: string } }) => o.kind === 'Deployment' && o.metadata.name === 'jaeger-collector';
    const old = withWave((o) => isCollector(o) || o.kind === 'Elasticsearch', () => waveOf('Elasticsearch'));
    expect(orderFindings(old).some((f) => isCollector(f.object) && f.need.object.kind === 'Elasticsearch')).toBe(true);
  });

  it('an HPA without metrics: Degraded with Argo CD\'s check, waits for metrics-server with the shipped one', async () => {
    const hpa = objects.find((o) => groupKind(o.apiVersion, o.kind) === 'autoscaling/HorizontalPodAutoscaler')!;
    const live = { ...hpa, status: { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }] } };
    expect(await upstreamHealth('autoscaling/HorizontalPodAutoscaler', live)).toBe('Degraded');
    expect(await shippedHealth(argocdCm)('autoscaling/HorizontalPodAutoscaler', live)).toBe('Progressing');
  });
});
