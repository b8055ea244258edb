/**
 * Argo CD sync waves for every object in dist/: prerequisites (namespaces, identities, secrets, the
 * operators' backing CRs) are applied and healthy before the workloads that need them, and the objects that
 * only make sense once workloads run (autoscalers, disruption budgets, monitors, routes) come last.
 *
 * Applied once, at render time, by `renderObjects` (synth/render.ts): chart authors do nothing. A kind that
 * is not in {@link SYNC_WAVES} gets {@link DEFAULT_SYNC_WAVE}; an object that already carries the
 * annotation keeps it (the escape hatch for a special case).
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
import type { KubeObject } from '../model/kube-object';
import { groupKind } from '../model/object-id';

/** The annotation Argo CD orders a sync by (lowest wave first; each wave must be healthy before the next). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Wave of a kind that is not listed: with the workloads. */
export const DEFAULT_SYNC_WAVE = 0;

/** Named waves, lowest first. */
export const WAVES = {
  /** Cluster and namespace foundations. */
  foundation: -10,
  /** Identities, RBAC, plain configuration and network policy. */
  identity: -5,
  /** Secret stores (where secrets come from). */
  secretStore: -4,
  /** Secrets (and what writes them). */
  secret: -3,
  /** Operators' custom resources that workloads depend on: databases, caches, issuers, monitoring stack. */
  operatorBackend: -2,
  /** Custom resources that refer to the backends or shape traffic before workloads serve it. */
  operatorDependent: -1,
  /** Workloads and their Services. */
  workload: 0,
  /** What observes, scales, protects or exposes running workloads. */
  afterWorkload: 1,
} as const;

/**
 * Wave by `<group>/<Kind>` (core group: just `<Kind>`). Keys name the API group so that kinds that share a
 * name (CloudNativePG `Cluster`, Istio and Gateway API `Gateway`) cannot be confused.
 */
export const SYNC_WAVES: Readonly<Record<string, number>> = {
  // foundation
  Namespace: WAVES.foundation,
  'storage.k8s.io/StorageClass': WAVES.foundation,
  'scheduling.k8s.io/PriorityClass': WAVES.foundation,
  'apiextensions.k8s.io/CustomResourceDefinition': WAVES.foundation,
  'argoproj.io/AppProject': WAVES.foundation,
  // identity and configuration
  ServiceAccount: WAVES.identity,
  ConfigMap: WAVES.identity,
  ResourceQuota: WAVES.identity,
  LimitRange: WAVES.identity,
  'rbac.authorization.k8s.io/ClusterRole': WAVES.identity,
  'rbac.authorization.k8s.io/ClusterRoleBinding': WAVES.identity,
  'rbac.authorization.k8s.io/Role': WAVES.identity,
  'rbac.authorization.k8s.io/RoleBinding': WAVES.identity,
  'networking.k8s.io/NetworkPolicy': WAVES.identity,
  // secrets
  'external-secrets.io/SecretStore': WAVES.secretStore,
  'external-secrets.io/ClusterSecretStore': WAVES.secretStore,
  'external-secrets.io/ExternalSecret': WAVES.secret,
  'external-secrets.io/ClusterExternalSecret': WAVES.secret,
  Secret: WAVES.secret,
  // operators' backends
  'postgresql.cnpg.io/Cluster': WAVES.operatorBackend,
  'barmancloud.cnpg.io/ObjectStore': WAVES.operatorBackend,
  'redis.redis.opstreelabs.in/RedisCluster': WAVES.operatorBackend,
  'redis.redis.opstreelabs.in/Redis': WAVES.operatorBackend,
  'redis.redis.opstreelabs.in/RedisReplication': WAVES.operatorBackend,
  'redis.redis.opstreelabs.in/RedisSentinel': WAVES.operatorBackend,
  'monitoring.coreos.com/Prometheus': WAVES.operatorBackend,
  'monitoring.coreos.com/Alertmanager': WAVES.operatorBackend,
  'elasticsearch.k8s.elastic.co/Elasticsearch': WAVES.operatorBackend,
  'grafana.integreatly.org/Grafana': WAVES.operatorBackend,
  'jaegertracing.io/Jaeger': WAVES.operatorBackend,
  'opentelemetry.io/OpenTelemetryCollector': WAVES.operatorBackend,
  'cert-manager.io/ClusterIssuer': WAVES.operatorBackend,
  'cert-manager.io/Issuer': WAVES.operatorBackend,
  'cert-manager.io/Certificate': WAVES.operatorBackend,
  // a Gateway's infrastructure.parametersRef: NGF provisions the data plane from it
  'gateway.nginx.org/NginxProxy': WAVES.operatorBackend,
  // mTLS mode is decided before any meshed pod starts
  'security.istio.io/PeerAuthentication': WAVES.operatorBackend,
  // refer to backends, or shape traffic before workloads serve
  'postgresql.cnpg.io/ScheduledBackup': WAVES.operatorDependent,
  'postgresql.cnpg.io/Pooler': WAVES.operatorDependent,
  'security.istio.io/AuthorizationPolicy': WAVES.operatorDependent,
  'security.istio.io/RequestAuthentication': WAVES.operatorDependent,
  'networking.istio.io/DestinationRule': WAVES.operatorDependent,
  'networking.istio.io/Gateway': WAVES.operatorDependent,
  'networking.istio.io/ServiceEntry': WAVES.operatorDependent,
  'networking.istio.io/Sidecar': WAVES.operatorDependent,
  'telemetry.istio.io/Telemetry': WAVES.operatorDependent,
  'gateway.networking.k8s.io/Gateway': WAVES.operatorDependent,
  'grafana.integreatly.org/GrafanaDatasource': WAVES.operatorDependent,
  'grafana.integreatly.org/GrafanaFolder': WAVES.operatorDependent,
  // workloads
  Service: WAVES.workload,
  'apps/Deployment': WAVES.workload,
  'apps/StatefulSet': WAVES.workload,
  'apps/DaemonSet': WAVES.workload,
  'batch/Job': WAVES.workload,
  'batch/CronJob': WAVES.workload,
  'argoproj.io/Application': WAVES.workload,
  // after workloads
  'autoscaling/HorizontalPodAutoscaler': WAVES.afterWorkload,
  'policy/PodDisruptionBudget': WAVES.afterWorkload,
  'monitoring.coreos.com/ServiceMonitor': WAVES.afterWorkload,
  'monitoring.coreos.com/PodMonitor': WAVES.afterWorkload,
  'monitoring.coreos.com/PrometheusRule': WAVES.afterWorkload,
  'monitoring.coreos.com/Probe': WAVES.afterWorkload,
  'grafana.integreatly.org/GrafanaDashboard': WAVES.afterWorkload,
  'networking.k8s.io/Ingress': WAVES.afterWorkload,
  'networking.istio.io/VirtualService': WAVES.afterWorkload,
  'gateway.networking.k8s.io/HTTPRoute': WAVES.afterWorkload,
};

/** The wave of a kind: its entry in {@link SYNC_WAVES}, else {@link DEFAULT_SYNC_WAVE}. */
export function syncWaveOf(apiVersion: string, kind: string): number {
  return SYNC_WAVES[groupKind(apiVersion, kind)] ?? DEFAULT_SYNC_WAVE;
}

/**
 * Returns the objects with `argocd.argoproj.io/sync-wave` set on each (a copy; the input is not changed).
 * An annotation an object already has is kept.
 */
export function withSyncWaves(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    const annotations = o.metadata.annotations ?? {};
    if (annotations[SYNC_WAVE_ANNOTATION] !== undefined) return o;
    return {
      ...o,
      metadata: { ...o.metadata, annotations: { ...annotations, [SYNC_WAVE_ANNOTATION]: String(syncWaveOf(o.apiVersion, o.kind)) } },
    };
  });
}
