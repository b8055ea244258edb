/**
 * What Argo CD v3.5.1 does with the objects of dist/ during a sync: how it decides an object's health, and
 * how a sync with waves waits on that health. Every fact cites the upstream file it was read in
 * (repository argoproj/argo-cd, tag v3.5.1; gitops-engine lives in that repository since 3.x under
 * `gitops-engine/`). The wave simulation (`model/argocd-sync.ts`), the sync-completes validation rule and the
 * health customisations the project ships (`model/argocd-health-customizations.ts`) read these facts.
 */

/** The pinned Argo CD release these facts were read in. */
export const ARGOCD_RELEASE = 'v3.5.1';

/**
 * Health codes, most healthy first.
 * @see argoproj/argo-cd gitops-engine/pkg/health/health.go@v3.5.1 (`healthOrder`)
 */
export const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'] as const;
/** One Argo CD health code; `None` = the kind has no health check at all. */
export type HealthCode = (typeof HEALTH_ORDER)[number];

/**
 * What a running (applied, not yet finished) non-hook sync task does with the health of its live object.
 * gitops-engine/pkg/sync/sync_context.go@v3.5.1 (`Sync`, "update status of any tasks that are running"): no
 * health check (nil) or `Healthy` -> the task succeeded; `Degraded` -> the task failed, and "if there are any
 * completed but unsuccessful tasks, sync is a failure" (the later waves are never applied); any other code
 * (`Progressing`, `Suspended`, `Unknown`, `Missing`) leaves the task running and the sync waits on it.
 */
export type TaskOutcome = 'succeeded' | 'failed' | 'waits';

/** {@link TaskOutcome} of a health code (`undefined` = the kind has no health check). */
export function taskOutcome(health: HealthCode | undefined): TaskOutcome {
  if (health === undefined || health === 'Healthy') return 'succeeded';
  if (health === 'Degraded') return 'failed';
  return 'waits';
}

/**
 * When the sync waits at all. gitops-engine/pkg/sync/sync_context.go@v3.5.1: running tasks are waited on only
 * when the sync is multi-step (`syncTasks.multiStep`, sync_tasks.go: more than one wave or phase) or for hooks;
 * the last wave of the last phase without hooks ends the sync as soon as it is applied ("EVEN if those
 * objects subsequently degrades"). A PostSync hook makes every wave of the Sync phase a gated one: the hook
 * runs only after all of them succeeded.
 */
export const SYNC_GATING = {
  waitsOnlyWhenMultiStep: true,
  lastWaveOfLastPhaseIsNotWaitedOn: true,
  postSyncHookRunsAfterEverySyncWaveSucceeded: true,
} as const;

/**
 * Prune order. gitops-engine/pkg/sync/sync_context.go@v3.5.1 (`getSyncTasks`): prune tasks run in reverse wave
 * order, and with `PruneLast=true` in one extra wave after the last sync wave. The annotation
 * `argocd.argoproj.io/sync-options` takes `Prune=<value>` and `Delete=<value>` (gitops-engine/pkg/sync/common/
 * types.go `SyncOptionPrune = "Prune"`, `SyncOptionDelete = "Delete"`, `SyncValueFalse = "false"`):
 * `Prune=false` keeps an object out of pruning (controller/state.go reads it per object), `Delete=false` keeps it
 * when its Application is deleted (controller/appcontroller.go).
 */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** The sync options that keep an object from being pruned or deleted with its Application. */
export const KEEP_OPTIONS = ['Prune=false', 'Delete=false'] as const;

/**
 * Kinds with a health check compiled into gitops-engine: gitops-engine/pkg/health/health.go@v3.5.1
 * (`GetHealthCheckFunc`). Keyed `<group>/<Kind>` (core group: `<Kind>`).
 */
export const BUILT_IN_HEALTH_KINDS: ReadonlySet<string> = new Set([
  'apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet', 'apps/DaemonSet', 'extensions/Ingress', 'networking.k8s.io/Ingress',
  'argoproj.io/Workflow', 'apiregistration.k8s.io/APIService', 'Service', 'PersistentVolumeClaim', 'Pod', 'batch/Job',
  'autoscaling/HorizontalPodAutoscaler',
]);

/**
 * Kinds of the output's operators that have a Lua health check shipped in Argo CD:
 * resource_customizations/<group>/<Kind>/health.lua@v3.5.1. Not among them (so: no health, the task succeeds as
 * soon as it is applied): redis.redis.opstreelabs.in/*, monitoring.coreos.com/Alertmanager, ServiceMonitor,
 * PodMonitor, PrometheusRule, Probe, barmancloud.cnpg.io/ObjectStore, postgresql.cnpg.io/ScheduledBackup, every
 * Istio networking/security/telemetry kind, ConfigMap, Secret, ServiceAccount, RBAC, NetworkPolicy, Namespace.
 */
export const LUA_HEALTH_KINDS: ReadonlySet<string> = new Set([
  'cert-manager.io/Certificate', 'cert-manager.io/ClusterIssuer', 'cert-manager.io/Issuer',
  'postgresql.cnpg.io/Cluster', 'elasticsearch.k8s.elastic.co/Elasticsearch', 'opentelemetry.io/OpenTelemetryCollector',
  'monitoring.coreos.com/Prometheus', 'grafana.integreatly.org/Grafana', 'grafana.integreatly.org/GrafanaDashboard',
  'grafana.integreatly.org/GrafanaDatasource', 'grafana.integreatly.org/GrafanaFolder', 'external-secrets.io/ExternalSecret',
  'external-secrets.io/SecretStore', 'external-secrets.io/ClusterSecretStore', 'external-secrets.io/ClusterExternalSecret',
  'policy/PodDisruptionBudget', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/HTTPRoute',
  'gateway.networking.k8s.io/GatewayClass', 'apiextensions.k8s.io/CustomResourceDefinition',
]);

/** Whether Argo CD assesses the health of a kind at all (built in, or a shipped Lua check). */
export function hasHealthCheck(groupKind: string): boolean {
  return BUILT_IN_HEALTH_KINDS.has(groupKind) || LUA_HEALTH_KINDS.has(groupKind);
}

/**
 * The built-in CloudNativePG Cluster check maps `status.phase` through a fixed table; a phase not in it gives
 * `Unknown` (the sync waits forever). resource_customizations/postgresql.cnpg.io/Cluster/health.lua@v3.5.1.
 */
export const UPSTREAM_CNPG_PHASE_HEALTH: Readonly<Record<string, HealthCode>> = {
  'Cluster in healthy state': 'Healthy',
  'Setting up primary': 'Progressing',
  'Creating a new replica': 'Progressing',
  'Upgrading cluster': 'Progressing',
  'Waiting for the instances to become active': 'Progressing',
  'Promoting to primary cluster': 'Progressing',
  'Switchover in progress': 'Degraded',
  'Failing over': 'Degraded',
  'Upgrading Postgres major version': 'Degraded',
  'Cluster upgrade delayed': 'Degraded',
  'Waiting for user action': 'Degraded',
  'Primary instance is being restarted in-place': 'Degraded',
  'Primary instance is being restarted without a switchover': 'Degraded',
  'Cluster cannot execute instance online upgrade due to missing architecture binary': 'Degraded',
  'Online upgrade in progress': 'Degraded',
  'Applying configuration': 'Degraded',
  'Unable to create required cluster objects': 'Suspended',
  'Cluster cannot proceed to reconciliation due to an unknown plugin being required': 'Suspended',
  'Cluster has incomplete or invalid image catalog': 'Suspended',
  'Cluster is unrecoverable and needs manual intervention': 'Suspended',
};

/**
 * HPA conditions the built-in check calls Degraded (checked before any healthy condition):
 * gitops-engine/pkg/health/health_hpa.go@v3.5.1 (`isDegraded`). `ScalingActive=False` with
 * `FailedGetResourceMetric` is what the HPA controller reports while no resource metrics are served (no
 * metrics-server, or a pod that has not been scraped yet); the same file's tests use it
 * (gitops-engine/pkg/health/testdata/hpa-v2-degraded.yaml). Healthy: `AbleToScale` or `ScalingLimited` True.
 */
export const UPSTREAM_HPA_DEGRADED: ReadonlyArray<{ type: string; reason: string }> = [
  { type: 'AbleToScale', reason: 'FailedGetScale' },
  { type: 'AbleToScale', reason: 'FailedUpdateScale' },
  { type: 'ScalingActive', reason: 'FailedGetResourceMetric' },
  { type: 'ScalingActive', reason: 'FailedGetObjectMetric' },
  { type: 'ScalingActive', reason: 'FailedGetPodsMetric' },
  { type: 'ScalingActive', reason: 'FailedGetExternalMetric' },
  { type: 'ScalingActive', reason: 'FailedComputeMetricsReplicas' },
  { type: 'ScalingActive', reason: 'InvalidSelector' },
];

/** The built-in HPA check (autoscaling/v2) on a list of conditions, as health_hpa.go@v3.5.1 decides it. */
export function upstreamHpaHealth(conditions: ReadonlyArray<{ type: string; status: string; reason?: string }>): HealthCode {
  if (conditions.some((c) => UPSTREAM_HPA_DEGRADED.some((d) => d.type === c.type && d.reason === c.reason))) return 'Degraded';
  if (conditions.some((c) => (c.type === 'AbleToScale' || c.type === 'ScalingLimited') && c.status === 'True')) return 'Healthy';
  return 'Progressing';
}

/**
 * The built-in cert-manager Certificate check: `Issuing=True` -> Progressing (checked first, so a renewal in
 * progress holds a wave even while the current certificate is valid and `Ready=True`); else `Ready=False` ->
 * Degraded, `Ready=True` -> Healthy; no conditions -> Progressing.
 * resource_customizations/cert-manager.io/Certificate/health.lua@v3.5.1.
 */
export function upstreamCertificateHealth(conditions: ReadonlyArray<{ type: string; status: string }>): HealthCode {
  if (conditions.some((c) => c.type === 'Issuing' && c.status === 'True')) return 'Progressing';
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') return 'Degraded';
  if (ready?.status === 'True') return 'Healthy';
  return 'Progressing';
}

/**
 * Other built-in checks the simulation needs, as facts:
 * - Elasticsearch (resource_customizations/elasticsearch.k8s.elastic.co/Elasticsearch/health.lua@v3.5.1): all
 *   nodes available and phase Ready: green -> Healthy, **yellow -> Progressing**, red -> Degraded; no status ->
 *   Unknown. A one-node cluster whose indices ask for a replica stays yellow: the sync waits forever.
 * - OpenTelemetryCollector (resource_customizations/opentelemetry.io/OpenTelemetryCollector/health.lua@v3.5.1):
 *   `status.scale.statusReplicas` "0/N" -> Degraded at once (a crash-looping collector fails the sync),
 *   "N/N" -> Healthy, otherwise Progressing.
 * - Ingress (gitops-engine/pkg/health/health_ingress.go@v3.5.1): Healthy only once
 *   `status.loadBalancer.ingress` is set, i.e. once an ingress controller has admitted it.
 * - PodDisruptionBudget (resource_customizations/policy/PodDisruptionBudget/health.lua@v3.5.1): a False
 *   condition other than `InsufficientPods` -> Degraded; Progressing until the disruption controller wrote a
 *   status.
 * - Service (health_service.go@v3.5.1): Healthy, except type LoadBalancer without an address (Progressing).
 */
export const UPSTREAM_ELASTICSEARCH_YELLOW: HealthCode = 'Progressing';

/**
 * Where Argo CD looks for a health check, first match wins (util/lua/lua.go@v3.5.1 `GetHealthScript`, and
 * gitops-engine/pkg/health/health.go `GetResourceHealth`): the `argocd-cm` key
 * `resource.customizations.health.<group>_<Kind>` (util/settings/settings.go: "resource.customizations.<type>.
 * <group_kind>"), then a wildcard entry of argocd-cm, then the built-in Lua script, then the compiled check. A
 * customisation therefore replaces a compiled check too (the HPA's). Scripts from argocd-cm run with only the
 * base, table, package and a safe os library (`useOpenLibs` false by default; lua.go
 * `runLuaWithResourceActionParameters`): no `string` or `math`. The object is the global `obj`; the script
 * returns a table with `status` and `message`; it is stopped after one second.
 */
export function healthCustomizationKey(groupKind: string): string {
  const slash = groupKind.indexOf('/');
  return slash < 0 ? `resource.customizations.health.${groupKind}` : `resource.customizations.health.${groupKind.slice(0, slash)}_${groupKind.slice(slash + 1)}`;
}

/** The Lua libraries an argocd-cm health script may use (lua.go@v3.5.1, `useOpenLibs` false). */
export const CUSTOMIZATION_LUA_LIBRARIES = ['base', 'table', 'package', 'os (safe subset)'] as const;
