/**
 * The Argo CD health customisations the output needs (argocd-cm `resource.customizations.health.<group>_<Kind>`),
 * each replacing a check Argo CD ships (model/operators/argocd.ts) where that check would fail or hold a sync
 * in a routine situation. They are rendered into `dist/<env>/argocd-admin.yaml` (ConfigMap `argocd-cm`, applied
 * by a cluster admin) and executed in the tests with a real Lua VM limited to the libraries Argo CD gives
 * argocd-cm scripts (base and table: no `string`, no `math`).
 */
import { CNPG_FAILED_PHASES, CNPG_PHASES, CNPG_TRANSIENT_PHASES } from './operators/cnpg-cluster-phases';

/** One customisation: the Lua script and why the built-in check is not enough. */
export interface HealthCustomization {
  /** `<group>/<Kind>` it applies to. */
  readonly groupKind: string;
  /** The health.lua script (global `obj`, returns `{ status, message }`). */
  readonly lua: string;
  /** Why the project replaces Argo CD's own check. */
  readonly why: string;
}

const luaSet = (values: readonly string[]): string => `{\n${values.map((v) => `  [${JSON.stringify(v)}] = true,`).join('\n')}\n}`;

/**
 * CloudNativePG Cluster: the routine phases (a restart-requiring parameter change with
 * `primaryUpdateStrategy: unsupervised`, a switchover on a node drain, an in-place primary restart, an operator
 * online upgrade) are Progressing, not Degraded as in Argo CD's check; phases that need a person are Degraded;
 * a phase this script does not know (a newer CNPG) is Degraded with its name, so a sync fails loudly instead of
 * waiting forever on Argo CD's `Unknown` (which its own table gives for "Invalid cluster definition").
 */
const CNPG_CLUSTER_LUA = `local transient = ${luaSet(CNPG_TRANSIENT_PHASES)}
local failed = ${luaSet(CNPG_FAILED_PHASES)}
if obj.metadata ~= nil and obj.metadata.annotations ~= nil and obj.metadata.annotations["cnpg.io/reconciliationLoop"] == "disabled" then
  return { status = "Suspended", message = "Cluster reconciliation is suspended" }
end
if obj.status == nil or obj.status.phase == nil then
  return { status = "Progressing", message = "Waiting for the operator to report a phase" }
end
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "cnpg.io/hibernation" and condition.status == "True" then
      return { status = "Suspended", message = condition.message }
    end
  end
end
local phase = obj.status.phase
local message = phase
if obj.status.phaseReason ~= nil and obj.status.phaseReason ~= "" then
  message = phase .. ": " .. obj.status.phaseReason
end
if phase == ${JSON.stringify(CNPG_PHASES.healthy)} then
  return { status = "Healthy", message = message }
end
if transient[phase] then
  return { status = "Progressing", message = message }
end
if failed[phase] then
  return { status = "Degraded", message = message }
end
return { status = "Degraded", message = "phase unknown to the finbot health check: " .. message }
`;

/**
 * HorizontalPodAutoscaler (autoscaling/v2): "no metrics yet" (`ScalingActive=False` with a
 * `FailedGet*Metric` reason) is Progressing, not Degraded as in Argo CD's compiled check: every new HPA reports
 * it until metrics-server has scraped its pods. metrics-server is a prerequisite of the cluster; without it the
 * HPA stays Progressing with the controller's message, which names the missing metrics API. A scale target that
 * cannot be read or scaled, or a bad selector, stays Degraded.
 */
const HPA_LUA = `local waiting = {
  FailedGetResourceMetric = true,
  FailedGetPodsMetric = true,
  FailedGetObjectMetric = true,
  FailedGetExternalMetric = true,
  FailedGetContainerResourceMetric = true,
  FailedComputeMetricsReplicas = true,
}
local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end
for _, c in ipairs(conditions) do
  if c.type == "AbleToScale" and c.status == "False" and (c.reason == "FailedGetScale" or c.reason == "FailedUpdateScale") then
    return { status = "Degraded", message = c.message }
  end
  if c.type == "ScalingActive" and c.status == "False" and c.reason == "InvalidSelector" then
    return { status = "Degraded", message = c.message }
  end
end
for _, c in ipairs(conditions) do
  if c.type == "ScalingActive" and c.status == "False" and waiting[c.reason] then
    return { status = "Progressing", message = "Waiting for metrics (metrics-server): " .. (c.message or c.reason) }
  end
end
for _, c in ipairs(conditions) do
  if (c.type == "AbleToScale" or c.type == "ScalingLimited") and c.status == "True" then
    return { status = "Healthy", message = c.message }
  end
end
return { status = "Progressing", message = "Waiting to Autoscale" }
`;

/**
 * cert-manager Certificate: a certificate whose Secret holds a valid certificate (`Ready=True`) is Healthy even
 * while a renewal runs (`Issuing=True`); Argo CD's check calls that Progressing and holds every sync that
 * overlaps a renewal. cert-manager v1.21.1 keeps `Ready=True` during a renewal: the readiness policy chain
 * (internal/controller/certificates/policies/policies.go `NewReadinessPolicyChain`) checks the Secret, its key
 * and the certificate's expiry, not the renewal time. A first issuance stays Progressing, a failed one (Ready
 * False, not issuing) Degraded.
 */
const CERTIFICATE_LUA = `local ready = nil
local issuing = false
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then ready = c end
    if c.type == "Issuing" and c.status == "True" then issuing = true end
  end
end
if ready ~= nil and ready.status == "True" then
  return { status = "Healthy", message = ready.message }
end
if issuing then
  return { status = "Progressing", message = "Issuing the first certificate" }
end
if ready ~= nil and ready.status == "False" then
  return { status = "Degraded", message = ready.message }
end
return { status = "Progressing", message = "Waiting for certificate" }
`;

/**
 * OpenTelemetryCollector: Argo CD's check calls "0/N" ready Degraded, which is also what the operator reports
 * while a new collector's pods start (`status.scale.statusReplicas`, "ready/total"; `status.scale.replicas` in
 * the v0.158.0 CRD): the first sync of a collector would fail. Here "N/N" of `scale.replicas` is Healthy and
 * anything else Progressing (a crash-looping collector holds the sync with its Deployment's message in the
 * resource tree instead of failing it). Written without the `string` library, which argocd-cm scripts lack.
 */
const OTEL_COLLECTOR_LUA = `if obj.spec ~= nil and obj.spec.mode == "sidecar" then
  return { status = "Healthy", message = "Collector is running in sidecar mode" }
end
if obj.status == nil or obj.status.scale == nil or obj.status.scale.statusReplicas == nil or obj.status.scale.replicas == nil then
  return { status = "Progressing", message = "Waiting for OpenTelemetry Collector status" }
end
local total = tostring(obj.status.scale.replicas)
if obj.status.scale.statusReplicas == total .. "/" .. total then
  return { status = "Healthy", message = "All replicas are ready" }
end
return { status = "Progressing", message = "Replicas ready: " .. obj.status.scale.statusReplicas }
`;

/**
 * RedisCluster (redis-operator v0.26.0): Argo CD ships no check, so the sync would apply the apps that
 * connect to Redis before the cluster formed. `status.state` (api/rediscluster/v1beta2/rediscluster_types.go:
 * Initializing, Bootstrap, Ready, Failed; internal/controller/rediscluster/rediscluster_controller.go sets
 * Failed when nodes of the formed cluster are unhealthy): Ready -> Healthy, Failed -> Degraded, else Progressing.
 */
const REDIS_CLUSTER_LUA = `if obj.status == nil or obj.status.state == nil then
  return { status = "Progressing", message = "Waiting for the operator to report a state" }
end
local message = obj.status.state
if obj.status.reason ~= nil then message = obj.status.reason end
if obj.status.state == "Ready" then
  return { status = "Healthy", message = message }
end
if obj.status.state == "Failed" then
  return { status = "Degraded", message = message }
end
return { status = "Progressing", message = message }
`;

/** Every customisation the output needs, by `<group>/<Kind>`. */
export const HEALTH_CUSTOMIZATIONS: readonly HealthCustomization[] = [
  { groupKind: 'postgresql.cnpg.io/Cluster', lua: CNPG_CLUSTER_LUA, why: 'routine CloudNativePG phases (parameter change, switchover, restarts) are Degraded in Argo CD\'s check and fail the sync' },
  { groupKind: 'autoscaling/HorizontalPodAutoscaler', lua: HPA_LUA, why: 'a new HPA reports FailedGetResourceMetric until metrics-server has scraped its pods; Argo CD\'s check calls that Degraded and fails the sync' },
  { groupKind: 'opentelemetry.io/OpenTelemetryCollector', lua: OTEL_COLLECTOR_LUA, why: 'Argo CD\'s check calls a starting collector ("0/N" ready) Degraded and fails the first sync' },
  { groupKind: 'redis.redis.opstreelabs.in/RedisCluster', lua: REDIS_CLUSTER_LUA, why: 'Argo CD has no check for it: the apps that connect to Redis would be applied before the cluster formed' },
  { groupKind: 'cert-manager.io/Certificate', lua: CERTIFICATE_LUA, why: 'Argo CD\'s check holds every sync during a renewal of a still-valid certificate' },
];
