/**
 * The health customisations the project ships, run in a Lua VM limited like Argo CD's, against the states the
 * operators write (CloudNativePG v1.30.0 phases, HPA and cert-manager conditions), next to Argo CD's own checks.
 */
import { describe, expect, it } from 'vitest';
import { HEALTH_CUSTOMIZATIONS } from '../../model/argocd-health-customizations';
import { UPSTREAM_CNPG_PHASE_HEALTH, healthCustomizationKey, taskOutcome, upstreamCertificateHealth, upstreamHpaHealth } from '../../model/operators/argocd';
import { CNPG_FAILED_PHASES, CNPG_PHASES, CNPG_ROUTINE_SEQUENCES, CNPG_TRANSIENT_PHASES } from '../../model/operators/cnpg-cluster-phases';
import { runHealthLua } from './lua-health';

const script = (gk: string): string => {
  const c = HEALTH_CUSTOMIZATIONS.find((x) => x.groupKind === gk);
  if (!c) throw new Error(`no customisation for ${gk}`);
  return c.lua;
};
const cnpg = (phase: string | undefined, extra: Record<string, unknown> = {}) => runHealthLua(script('postgresql.cnpg.io/Cluster'), { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, status: phase === undefined ? undefined : { phase, phaseReason: 'reason', ...extra } });
const cond = (type: string, status: string, reason = '', message = `${type} ${reason}`) => ({ type, status, reason, message });

describe('argocd-cm keys', () => {
  it('are resource.customizations.health.<group>_<Kind> (util/settings/settings.go@v3.5.1)', () => {
    expect(healthCustomizationKey('postgresql.cnpg.io/Cluster')).toBe('resource.customizations.health.postgresql.cnpg.io_Cluster');
    expect(healthCustomizationKey('autoscaling/HorizontalPodAutoscaler')).toBe('resource.customizations.health.autoscaling_HorizontalPodAutoscaler');
  });
  it('one customisation per kind', () => {
    const kinds = HEALTH_CUSTOMIZATIONS.map((c) => c.groupKind);
    expect(new Set(kinds).size).toBe(kinds.length);
  });
});

describe('CloudNativePG Cluster health (every phase of api/v1/cluster_types.go@v1.30.0)', () => {
  it('knows every phase CNPG v1.30.0 sets: transient, failed or healthy', () => {
    const classified = new Set<string>([...CNPG_TRANSIENT_PHASES, ...CNPG_FAILED_PHASES, CNPG_PHASES.healthy]);
    expect(Object.values(CNPG_PHASES).filter((p) => !classified.has(p))).toEqual([]);
  });

  it.each(CNPG_TRANSIENT_PHASES)('"%s" is Progressing (the sync waits)', async (phase) => {
    expect((await cnpg(phase)).status).toBe('Progressing');
  });

  it.each(CNPG_FAILED_PHASES)('"%s" is Degraded (the sync fails, loudly)', async (phase) => {
    expect((await cnpg(phase)).status).toBe('Degraded');
  });

  it('healthy, suspended by annotation or hibernation, no status yet, a phase from a newer CNPG', async () => {
    expect((await cnpg(CNPG_PHASES.healthy)).status).toBe('Healthy');
    expect((await cnpg(undefined)).status).toBe('Progressing');
    expect((await cnpg('Something new')).status).toBe('Degraded');
    expect((await cnpg(CNPG_PHASES.healthy, { conditions: [cond('cnpg.io/hibernation', 'True')] })).status).toBe('Suspended');
    expect((await runHealthLua(script('postgresql.cnpg.io/Cluster'), { metadata: { annotations: { 'cnpg.io/reconciliationLoop': 'disabled' } }, status: { phase: CNPG_PHASES.healthy } })).status).toBe('Suspended');
  });

  it.each(Object.entries(CNPG_ROUTINE_SEQUENCES))('%s: never fails a sync and ends Healthy (Argo CD\'s own check fails it)', async (_name, phases) => {
    const ours = await Promise.all(phases.map(async (p) => (await cnpg(p)).status));
    expect(ours.map(taskOutcome)).not.toContain('failed');
    expect(ours[ours.length - 1]).toBe('Healthy');
  });

  it('the defect it fixes: Argo CD v3.5.1 fails a sync on a restart-requiring parameter change', () => {
    const upstream = CNPG_ROUTINE_SEQUENCES['restart-requiring parameter change (unsupervised, primaryUpdateMethod restart)'].map((p) => UPSTREAM_CNPG_PHASE_HEALTH[p] ?? 'Unknown');
    expect(upstream.map(taskOutcome)).toContain('failed');
  });
});

describe('HorizontalPodAutoscaler health', () => {
  const hpa = (conditions: unknown[]) => runHealthLua(script('autoscaling/HorizontalPodAutoscaler'), { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', status: { conditions } });
  const noMetrics = [cond('AbleToScale', 'True', 'SucceededGetScale'), cond('ScalingActive', 'False', 'FailedGetResourceMetric', 'unable to get metrics for resource cpu')];

  it('no metrics yet: Progressing with a message naming metrics-server (Argo CD\'s compiled check: Degraded)', async () => {
    const r = await hpa(noMetrics);
    expect(r.status).toBe('Progressing');
    expect(r.message).toContain('metrics-server');
    expect(upstreamHpaHealth(noMetrics)).toBe('Degraded');
  });
  it('a scale target it cannot read, or a bad selector: Degraded', async () => {
    expect((await hpa([cond('AbleToScale', 'False', 'FailedGetScale')])).status).toBe('Degraded');
    expect((await hpa([cond('AbleToScale', 'True', 'SucceededGetScale'), cond('ScalingActive', 'False', 'InvalidSelector')])).status).toBe('Degraded');
  });
  it('scaling: Healthy; no conditions yet: Progressing', async () => {
    expect((await hpa([cond('AbleToScale', 'True', 'ReadyForNewScale'), cond('ScalingActive', 'True', 'ValidMetricFound')])).status).toBe('Healthy');
    expect((await hpa([])).status).toBe('Progressing');
  });
});

describe('cert-manager Certificate health', () => {
  const crt = (conditions: unknown[]) => runHealthLua(script('cert-manager.io/Certificate'), { status: { conditions } });
  it('a renewal of a valid certificate is Healthy (Argo CD\'s check: Progressing, holding the sync)', async () => {
    const renewing = [cond('Ready', 'True', 'Ready'), cond('Issuing', 'True', 'Renewing')];
    expect((await crt(renewing)).status).toBe('Healthy');
    expect(upstreamCertificateHealth(renewing)).toBe('Progressing');
  });
  it('first issuance Progressing; a failed issuance Degraded; nothing yet Progressing', async () => {
    expect((await crt([cond('Ready', 'False', 'DoesNotExist'), cond('Issuing', 'True', 'DoesNotExist')])).status).toBe('Progressing');
    expect((await crt([cond('Ready', 'False', 'DoesNotExist'), cond('Issuing', 'False', 'Failed')])).status).toBe('Degraded');
    expect((await crt([])).status).toBe('Progressing');
  });
});

describe('OpenTelemetryCollector health', () => {
  const col = (replicas: number, ready: number, mode = 'deployment') => runHealthLua(script('opentelemetry.io/OpenTelemetryCollector'), { spec: { mode }, status: { scale: { replicas, statusReplicas: `${ready}/${replicas}` } } });
  it('starting ("0/N") is Progressing, all ready Healthy, sidecar Healthy', async () => {
    expect((await col(2, 0)).status).toBe('Progressing');
    expect((await col(2, 1)).status).toBe('Progressing');
    expect((await col(2, 2)).status).toBe('Healthy');
    expect((await col(1, 0, 'sidecar')).status).toBe('Healthy');
  });
});

describe('RedisCluster health (redis-operator v0.26.0 status.state)', () => {
  const rc = (state?: string) => runHealthLua(script('redis.redis.opstreelabs.in/RedisCluster'), { status: state === undefined ? undefined : { state } });
  it('Initializing and Bootstrap Progressing, Ready Healthy, Failed Degraded', async () => {
    expect((await rc()).status).toBe('Progressing');
    expect((await rc('Initializing')).status).toBe('Progressing');
    expect((await rc('Bootstrap')).status).toBe('Progressing');
    expect((await rc('Ready')).status).toBe('Healthy');
    expect((await rc('Failed')).status).toBe('Degraded');
  });
});
