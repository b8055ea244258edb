/**
 * Mirrors the expectations of Argo CD v3.5.1's own health tests (resource_customizations/<group>/<Kind>/
 * health_test.yaml and their testdata, restated as the fields that decide) for the project's restatement of
 * those checks (`upstreamHealth`, model/argocd-sync.ts), and shows where the shipped customisations agree or
 * deliberately differ.
 */
import { describe, expect, it } from 'vitest';
import { HEALTH_CUSTOMIZATIONS } from '../../model/argocd-health-customizations';
import { upstreamHealth } from '../../model/argocd-sync';
import type { KubeObject } from '../../model/kube-object';
import { runHealthLua } from './lua-health';

const live = (status: unknown, spec: unknown = {}): KubeObject => ({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'x' }, spec, status } as KubeObject);
const ours = async (gk: string, o: KubeObject) => (await runHealthLua(HEALTH_CUSTOMIZATIONS.find((c) => c.groupKind === gk)!.lua, o)).status;
const cond = (type: string, status: string, reason: string) => ({ type, status, reason });

interface Case { name: string; obj: KubeObject; upstream: string; shipped?: string }

const CASES: Record<string, Case[]> = {
  // resource_customizations/postgresql.cnpg.io/Cluster/health_test.yaml@v3.5.1
  'postgresql.cnpg.io/Cluster': [
    { name: 'cluster_progressing', obj: live({ phase: 'Setting up primary', phaseReason: 'Creating primary instance cluster-example-1' }), upstream: 'Progressing' },
    { name: 'cluster_healthy', obj: live({ phase: 'Cluster in healthy state' }), upstream: 'Healthy' },
    { name: 'cluster_degraded', obj: live({ phase: 'Failing over', phaseReason: 'Initiating a failover from cluster-example-2' }), upstream: 'Degraded' },
  ],
  // resource_customizations/cert-manager.io/Certificate/health_test.yaml@v3.5.1
  'cert-manager.io/Certificate': [
    { name: 'progressing_noStatus', obj: live(undefined), upstream: 'Progressing' },
    { name: 'progressing_issuing', obj: live({ conditions: [cond('Issuing', 'True', 'DoesNotExist'), cond('Ready', 'False', 'DoesNotExist')] }), upstream: 'Progressing' },
    { name: 'progressing_issuing_last', obj: live({ conditions: [cond('Ready', 'False', 'DoesNotExist'), cond('Issuing', 'True', 'DoesNotExist')] }), upstream: 'Progressing' },
    { name: 'degraded_configError', obj: live({ conditions: [cond('Ready', 'False', 'ConfigError')] }), upstream: 'Degraded' },
    { name: 'healthy_issued', obj: live({ conditions: [cond('ValidateFailed', 'False', 'OrderValidated'), cond('Ready', 'True', 'CertIssued')] }), upstream: 'Healthy' },
    { name: 'healthy_renewed', obj: live({ conditions: [cond('Ready', 'True', 'CertRenewed'), cond('ValidateFailed', 'False', 'OrderValidated')] }), upstream: 'Healthy' },
    { name: '(not upstream) renewal of a valid certificate', obj: live({ conditions: [cond('Ready', 'True', 'Ready'), cond('Issuing', 'True', 'Renewing')] }), upstream: 'Progressing', shipped: 'Healthy' },
  ],
  // resource_customizations/opentelemetry.io/OpenTelemetryCollector/health_test.yaml@v3.5.1
  'opentelemetry.io/OpenTelemetryCollector': [
    { name: 'healthy', obj: live({ scale: { replicas: 2, statusReplicas: '2/2' } }, { replicas: 2 }), upstream: 'Healthy' },
    { name: 'daemonset-no-eligible-node', obj: live({ scale: { replicas: 0, statusReplicas: '0/0' } }, { mode: 'daemonset' }), upstream: 'Healthy' },
    { name: 'degraded (0/2: also a starting collector)', obj: live({ scale: { replicas: 2, statusReplicas: '0/2' } }, { replicas: 2 }), upstream: 'Degraded', shipped: 'Progressing' },
    { name: 'progressing', obj: live({ scale: { replicas: 3, statusReplicas: '1/3' } }, { replicas: 3 }), upstream: 'Progressing' },
    { name: 'sidecar', obj: live({}, { mode: 'sidecar' }), upstream: 'Healthy' },
  ],
  // gitops-engine/pkg/health/health_test.go + testdata/hpa-v2-*.yaml@v3.5.1
  'autoscaling/HorizontalPodAutoscaler': [
    { name: 'hpa-v2-healthy', obj: live({ conditions: [cond('AbleToScale', 'True', 'ReadyForNewScale'), cond('ScalingActive', 'True', 'ValidMetricFound'), cond('ScalingLimited', 'False', 'DesiredWithinRange')] }), upstream: 'Healthy' },
    { name: 'hpa-v2-degraded', obj: live({ conditions: [cond('AbleToScale', 'False', 'FailedGetScale'), cond('ScalingActive', 'True', 'ValidMetricFound'), cond('ScalingLimited', 'False', 'DesiredWithinRange')] }), upstream: 'Degraded' },
    { name: 'hpa-v2-progressing', obj: live({ conditions: [cond('ScalingActive', 'True', 'ValidMetricFound'), cond('ScalingLimited', 'False', 'DesiredWithinRange')] }), upstream: 'Progressing' },
    { name: '(not upstream) no metrics yet', obj: live({ conditions: [cond('AbleToScale', 'True', 'SucceededGetScale'), cond('ScalingActive', 'False', 'FailedGetResourceMetric')] }), upstream: 'Degraded', shipped: 'Progressing' },
  ],
};

describe.each(Object.keys(CASES))('%s: Argo CD v3.5.1 health tests', (gk) => {
  it.each(CASES[gk].map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    expect(await upstreamHealth(gk, c.obj)).toBe(c.upstream);
    expect(await ours(gk, c.obj)).toBe(c.shipped ?? c.upstream);
  });
});
