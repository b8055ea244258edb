/** Rules never crash on objects of unexpected shape (half-written charts): schema rules report those. */
import { expect, it } from 'vitest';
import { validateObjects } from '../../validation/engine';
import type { KubeObject } from '../../validation/types';
import { fullProduction } from './fixtures';

const SHAPELESS: Array<[string, string]> = [
  ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['batch/v1', 'CronJob'], ['v1', 'Pod'], ['v1', 'Service'], ['v1', 'Secret'], ['v1', 'ConfigMap'],
  ['networking.k8s.io/v1', 'NetworkPolicy'], ['networking.k8s.io/v1', 'Ingress'], ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['policy/v1', 'PodDisruptionBudget'],
  ['monitoring.coreos.com/v1', 'ServiceMonitor'], ['monitoring.coreos.com/v1', 'PodMonitor'], ['monitoring.coreos.com/v1', 'Prometheus'], ['networking.istio.io/v1', 'VirtualService'],
  ['networking.istio.io/v1', 'DestinationRule'], ['external-secrets.io/v1', 'ExternalSecret'], ['cert-manager.io/v1', 'Certificate'], ['argoproj.io/v1alpha1', 'Application'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'], ['postgresql.cnpg.io/v1', 'Cluster'], ['grafana.integreatly.org/v1beta1', 'GrafanaDashboard'],
];

it('no rule crashes on objects without spec, with empty spec, or with wrongly typed spec', async () => {
  for (const spec of [undefined, {}, { template: 'x', selector: 'y', ports: 'z', rules: 'r', egress: 'e', endpoints: 'p', http: 'h' }]) {
    const objects = fullProduction();
    SHAPELESS.forEach(([apiVersion, kind], i) => objects.push({ object: { apiVersion, kind, metadata: { name: `odd-${i}`, namespace: 'production' }, ...(spec ? { spec } : {}) } as KubeObject, file: 'odd.yaml' }));
    const violations = await validateObjects(objects);
    expect(violations.filter((v) => v.message.startsWith('rule crashed')).map((v) => `${v.rule}: ${v.message.split('\n')[0]}`), JSON.stringify(spec)).toEqual([]);
    expect(violations.some((v) => v.rule.startsWith('schema/'))).toBe(true);
  }
});
