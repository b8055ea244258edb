import { describe, expect, it } from 'vitest';
import { groupKind } from '../../model/object-id';
import { DEFAULT_SYNC_WAVE, SYNC_WAVE_ANNOTATION, SYNC_WAVES, syncWaveOf, withSyncWaves } from '../../synth/sync-waves';
import type { KubeObject } from '../../model/kube-object';
import { ENVIRONMENTS, synthObjects } from '../helpers';

const obj = (apiVersion: string, kind: string, annotations?: Record<string, string>): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'x', ...(annotations ? { annotations } : {}) } });

describe('sync waves', () => {
  it('lists exactly these kinds with an explicit wave (a new kind needs a decision here)', () => {
    expect(Object.entries(SYNC_WAVES).sort(([a], [b]) => (a < b ? -1 : 1))).toEqual([
      ['ConfigMap', -5],
      ['LimitRange', -5],
      ['Namespace', -10],
      ['ResourceQuota', -5],
      ['Secret', -3],
      ['Service', 0],
      ['ServiceAccount', -5],
      ['apiextensions.k8s.io/CustomResourceDefinition', -10],
      ['apps/DaemonSet', 0],
      ['apps/Deployment', 0],
      ['apps/StatefulSet', 0],
      ['argoproj.io/AppProject', -10],
      ['argoproj.io/Application', 0],
      ['autoscaling/HorizontalPodAutoscaler', 1],
      ['barmancloud.cnpg.io/ObjectStore', -2],
      ['batch/CronJob', 0],
      ['batch/Job', 0],
      ['cert-manager.io/Certificate', -2],
      ['cert-manager.io/ClusterIssuer', -2],
      ['cert-manager.io/Issuer', -2],
      ['elasticsearch.k8s.elastic.co/Elasticsearch', -2],
      ['external-secrets.io/ClusterExternalSecret', -3],
      ['external-secrets.io/ClusterSecretStore', -4],
      ['external-secrets.io/ExternalSecret', -3],
      ['external-secrets.io/SecretStore', -4],
      ['gateway.networking.k8s.io/Gateway', -1],
      ['gateway.networking.k8s.io/HTTPRoute', 1],
      ['gateway.nginx.org/NginxProxy', -2],
      ['grafana.integreatly.org/Grafana', -2],
      ['grafana.integreatly.org/GrafanaDashboard', 1],
      ['grafana.integreatly.org/GrafanaDatasource', -1],
      ['grafana.integreatly.org/GrafanaFolder', -1],
      ['jaegertracing.io/Jaeger', -2],
      ['monitoring.coreos.com/Alertmanager', -2],
      ['monitoring.coreos.com/PodMonitor', 1],
      ['monitoring.coreos.com/Probe', 1],
      ['monitoring.coreos.com/Prometheus', -2],
      ['monitoring.coreos.com/PrometheusRule', 1],
      ['monitoring.coreos.com/ServiceMonitor', 1],
      ['networking.istio.io/DestinationRule', -1],
      ['networking.istio.io/Gateway', -1],
      ['networking.istio.io/ServiceEntry', -1],
      ['networking.istio.io/Sidecar', -1],
      ['networking.istio.io/VirtualService', 1],
      ['networking.k8s.io/Ingress', 1],
      ['networking.k8s.io/NetworkPolicy', -5],
      ['opentelemetry.io/OpenTelemetryCollector', -2],
      ['policy/PodDisruptionBudget', 1],
      ['postgresql.cnpg.io/Cluster', -2],
      ['postgresql.cnpg.io/Pooler', -1],
      ['postgresql.cnpg.io/ScheduledBackup', -1],
      ['rbac.authorization.k8s.io/ClusterRole', -5],
      ['rbac.authorization.k8s.io/ClusterRoleBinding', -5],
      ['rbac.authorization.k8s.io/Role', -5],
      ['rbac.authorization.k8s.io/RoleBinding', -5],
      ['redis.redis.opstreelabs.in/Redis', -2],
      ['redis.redis.opstreelabs.in/RedisCluster', -2],
      ['redis.redis.opstreelabs.in/RedisReplication', -2],
      ['redis.redis.opstreelabs.in/RedisSentinel', -2],
      ['scheduling.k8s.io/PriorityClass', -10],
      ['security.istio.io/AuthorizationPolicy', -1],
      ['security.istio.io/PeerAuthentication', -2],
      ['security.istio.io/RequestAuthentication', -1],
      ['storage.k8s.io/StorageClass', -10],
      ['telemetry.istio.io/Telemetry', -1],
    ]);
  });

  it('orders prerequisites before what needs them', () => {
    const chain: Array<[string, string]> = [
      ['v1', 'Namespace'],
      ['v1', 'ServiceAccount'],
      ['external-secrets.io/v1', 'SecretStore'],
      ['external-secrets.io/v1', 'ExternalSecret'],
      ['postgresql.cnpg.io/v1', 'Cluster'],
      ['postgresql.cnpg.io/v1', 'ScheduledBackup'],
      ['apps/v1', 'Deployment'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ];
    const waves = chain.map(([v, k]) => syncWaveOf(v, k));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(new Set(waves).size).toBe(waves.length);
  });

  it('keys by API group, so kinds with the same name do not mix', () => {
    expect(groupKind('v1', 'Service')).toBe('Service');
    expect(groupKind('postgresql.cnpg.io/v1', 'Cluster')).toBe('postgresql.cnpg.io/Cluster');
    expect(syncWaveOf('postgresql.cnpg.io/v1', 'Cluster')).toBe(-2);
    expect(syncWaveOf('example.com/v1', 'Cluster')).toBe(DEFAULT_SYNC_WAVE);
  });

  it('gives unknown kinds the default wave', () => {
    expect(withSyncWaves([obj('example.com/v1alpha1', 'Widget')])[0].metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: String(DEFAULT_SYNC_WAVE) });
  });

  it('keeps an explicit wave and the other annotations, and does not change its input', () => {
    const input = [obj('v1', 'ConfigMap', { a: 'b' }), obj('v1', 'Secret', { [SYNC_WAVE_ANNOTATION]: '7' })];
    const out = withSyncWaves(input);
    expect(out[0].metadata.annotations).toEqual({ a: 'b', [SYNC_WAVE_ANNOTATION]: '-5' });
    expect(out[1].metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '7' });
    expect(input[0].metadata.annotations).toEqual({ a: 'b' });
  });

  it.each(ENVIRONMENTS)('%s: every object in the output carries a wave (applied by renderObjects)', (env) => {
    const missing = synthObjects(env).filter((o) => !/^-?[0-9]+$/.test(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? ''));
    expect(missing.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
  });
});
