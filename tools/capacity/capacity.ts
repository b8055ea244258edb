/**
 * Capacity report: CPU/memory requests and limits and storage of an environment at its minimum and maximum
 * replicas, per namespace, read from the synthesized objects, compared with the node group's capacity.
 *
 * Every kind that creates pods has an extractor in {@link EXTRACTORS} (Deployments with their HPAs,
 * StatefulSets, DaemonSets, CloudNativePG Clusters and Poolers, OpsTree RedisClusters, Prometheus and
 * Alertmanager, Elasticsearch, OpenTelemetryCollector, Grafana); a new operator CR gets one more entry. Pure.
 */
import { REDIS_CLUSTER_ROLES, REDIS_ROLE_SPEC_KEY, redisRoleReplicas } from '../../model/operators/redis-operator';
import { CONFIG_RELOADER_RESOURCES, monitoringPodCount } from '../../model/operators/prometheus-operator';
import { NGF_INFRASTRUCTURE_METADATA_REACHES_PODS, ngfDataPlaneOf, type GatewayLike } from '../../model/operators/nginx-gateway-fabric';
import { esNodeSetPods } from '../../model/operators/eck';
import { operatorRunOf } from '../../model/operators/operator-run';
import { parseQuantity } from '../../config/quantity';
import type { Settings } from '../../config/schema';
import type { CapacityInput } from '../../config/sections/capacity';
import { SIDECAR_RESOURCES, sidecarInjected } from '../../model/operators/istio';
import type { KubeObject } from '../../model/kube-object';
import { groupKind } from '../../model/object-id';

/** CPU in cores, memory and storage in bytes. */
export interface Amounts {
  readonly cpuRequests: number;
  readonly cpuLimits: number;
  readonly memoryRequests: number;
  readonly memoryLimits: number;
}

/** What one object runs: pods of the same shape, their count range and their volumes. */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Pods at minimum (HPA minReplicas, node group min for DaemonSets) and at maximum. */
  readonly minPods: number;
  readonly maxPods: number;
  /** Resources of one pod (containers summed; init containers counted when larger). */
  readonly pod: Amounts;
  /** Persistent storage per pod, bytes. */
  readonly storagePerPod: number;
  /** Containers without requests (they are scheduled as if they needed nothing). */
  readonly containersWithoutRequests: number;
  /** An Istio sidecar is injected into each pod and counted in {@link Workload.pod}. */
  readonly sidecar?: boolean;
}

/** Totals of a group of workloads at min and max. */
export interface Totals {
  readonly min: Amounts & { readonly pods: number; readonly storage: number };
  readonly max: Amounts & { readonly pods: number; readonly storage: number };
}

/** The report of one environment. */
export interface CapacityReport {
  readonly environment: string;
  readonly workloads: readonly Workload[];
  /** Per namespace, sorted by name. */
  readonly namespaces: ReadonlyArray<{ readonly namespace: string } & Totals>;
  readonly total: Totals;
  /** Storage of standalone PersistentVolumeClaims (not from templates), bytes. */
  readonly standaloneStorage: number;
  readonly nodes: {
    readonly min: number;
    readonly max: number;
    readonly allocatable: { readonly cpu: number; readonly memory: number };
    /** Nodes the requests need (by the tighter of CPU and memory, ignoring bin packing), at min and max. */
    readonly neededAtMin: number;
    readonly neededAtMax: number;
  };
  /** Human-readable problems: the maximum does not fit, a pod larger than a node, pods without requests. */
  readonly warnings: readonly string[];
}

const ZERO: Amounts = { cpuRequests: 0, cpuLimits: 0, memoryRequests: 0, memoryLimits: 0 };

type Json = Record<string, any>;

function quantity(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    try {
      return parseQuantity(v);
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    }
  }
  throw new Error(`${what}: not a quantity: ${JSON.stringify(v)}`);
}

/** Amounts of one `resources` block (`{requests, limits}`); a missing limit counts as the request. */
export function resourceAmounts(resources: Json | undefined, what = 'resources'): Amounts {
  const req = resources?.requests ?? {};
  const lim = resources?.limits ?? {};
  const cpuRequests = quantity(req.cpu ?? lim.cpu, `${what}.requests.cpu`);
  const memoryRequests = quantity(req.memory ?? lim.memory, `${what}.requests.memory`);
  return {
    cpuRequests,
    memoryRequests,
    cpuLimits: lim.cpu !== undefined ? quantity(lim.cpu, `${what}.limits.cpu`) : cpuRequests,
    memoryLimits: lim.memory !== undefined ? quantity(lim.memory, `${what}.limits.memory`) : memoryRequests,
  };
}

// CPU sums are kept to the microcore so that 0.1 + 0.05 is 0.15 (cores are decimal, binary floats are not).
const cores = (n: number) => Math.round(n * 1e6) / 1e6;

function add(a: Amounts, b: Amounts): Amounts {
  return { cpuRequests: cores(a.cpuRequests + b.cpuRequests), cpuLimits: cores(a.cpuLimits + b.cpuLimits), memoryRequests: a.memoryRequests + b.memoryRequests, memoryLimits: a.memoryLimits + b.memoryLimits };
}

function max(a: Amounts, b: Amounts): Amounts {
  return { cpuRequests: Math.max(a.cpuRequests, b.cpuRequests), cpuLimits: Math.max(a.cpuLimits, b.cpuLimits), memoryRequests: Math.max(a.memoryRequests, b.memoryRequests), memoryLimits: Math.max(a.memoryLimits, b.memoryLimits) };
}

function times(a: Amounts, n: number): Amounts {
  return { cpuRequests: cores(a.cpuRequests * n), cpuLimits: cores(a.cpuLimits * n), memoryRequests: a.memoryRequests * n, memoryLimits: a.memoryLimits * n };
}

/**
 * Resources of one pod of a pod spec: the sum of its containers, or the largest init container when that is
 * larger (Kubernetes' effective request).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 */
export function podAmounts(spec: Json | undefined): { pod: Amounts; withoutRequests: number } {
  const containers: Json[] = spec?.containers ?? [];
  let sum = ZERO;
  let withoutRequests = 0;
  for (const c of containers) {
    if (c.resources?.requests === undefined && c.resources?.limits === undefined) withoutRequests++;
    sum = add(sum, resourceAmounts(c.resources, `container ${c.name}`));
  }
  let init = ZERO;
  for (const c of (spec?.initContainers ?? []) as Json[]) init = max(init, resourceAmounts(c.resources, `init container ${c.name}`));
  return { pod: max(sum, init), withoutRequests };
}

function claimStorage(template: Json | undefined): number {
  return quantity(template?.spec?.resources?.requests?.storage, 'volumeClaimTemplate storage');
}

/** Context an extractor may need besides the object. */
export interface ExtractContext {
  /** HorizontalPodAutoscalers by `<namespace>/<Kind>/<name>` of their scale target. */
  readonly hpas: ReadonlyMap<string, Json>;
  readonly nodeGroup: { readonly min: number; readonly max: number };
}

/** Turns one object into workloads (pods with a count range). */
export type Extractor = (o: Json, ctx: ExtractContext) => Array<Omit<Workload, 'kind' | 'name' | 'namespace'> & { suffix?: string }>;

function scaled(o: Json, ctx: ExtractContext, fixed: number): { minPods: number; maxPods: number } {
  const hpa = ctx.hpas.get(`${o.metadata.namespace ?? ''}/${o.kind}/${o.metadata.name}`);
  if (!hpa) return { minPods: fixed, maxPods: fixed };
  return { minPods: hpa.spec?.minReplicas ?? 1, maxPods: hpa.spec?.maxReplicas ?? fixed };
}

const podTemplateWorkload: Extractor = (o, ctx) => {
  const { pod, withoutRequests } = podAmounts(o.spec?.template?.spec);
  const storagePerPod = ((o.spec?.volumeClaimTemplates ?? []) as Json[]).reduce((s, t) => s + claimStorage(t), 0);
  return [{ ...scaled(o, ctx, o.spec?.replicas ?? 1), pod, storagePerPod, containersWithoutRequests: withoutRequests }];
};

/** Extractors by `<API group>/<kind>` (core group: empty). Exported so tests and new charts can see the list. */
export const EXTRACTORS: Readonly<Record<string, Extractor>> = {
  'apps/Deployment': podTemplateWorkload,
  'apps/StatefulSet': podTemplateWorkload,
  'apps/ReplicaSet': podTemplateWorkload,
  // One pod per node: as many as the node group has nodes.
  'apps/DaemonSet': (o, ctx) => {
    const { pod, withoutRequests } = podAmounts(o.spec?.template?.spec);
    return [{ minPods: ctx.nodeGroup.min, maxPods: ctx.nodeGroup.max, pod, storagePerPod: 0, containersWithoutRequests: withoutRequests }];
  },
  Pod: (o) => {
    const { pod, withoutRequests } = podAmounts(o.spec);
    return [{ minPods: 1, maxPods: 1, pod, storagePerPod: 0, containersWithoutRequests: withoutRequests }];
  },
  // CloudNativePG: `instances` pods with `resources`; data (and WAL) volume per instance.
  'postgresql.cnpg.io/Cluster': (o) => {
    const n = operatorPods(o);
    const storagePerPod = quantity(o.spec?.storage?.size, 'spec.storage.size') + quantity(o.spec?.walStorage?.size, 'spec.walStorage.size');
    return [{ minPods: n, maxPods: n, pod: resourceAmounts(o.spec?.resources), storagePerPod, containersWithoutRequests: o.spec?.resources?.requests ? 0 : 1 }];
  },
  'postgresql.cnpg.io/Pooler': (o, ctx) => {
    const { pod, withoutRequests } = podAmounts(o.spec?.template?.spec);
    return [{ ...scaled(o, ctx, o.spec?.instances ?? 1), pod, storagePerPod: 0, containersWithoutRequests: withoutRequests }];
  },
  // OpsTree redis-operator: leaders and followers (clusterSize each unless overridden), shared or per-role
  // resources, the exporter sidecar, a data volume (and node-conf volume) per pod.
  'redis.redis.opstreelabs.in/RedisCluster': (o) => {
    const spec = o.spec ?? {};
    const shared = spec.kubernetesConfig?.resources;
    const exporter = spec.redisExporter?.enabled ? resourceAmounts(spec.redisExporter.resources) : ZERO;
    const storagePerPod = claimStorage(spec.storage?.volumeClaimTemplate) + (spec.storage?.nodeConfVolume ? claimStorage(spec.storage?.nodeConfVolumeClaimTemplate) : 0);
    return REDIS_CLUSTER_ROLES.map((role) => {
      const n = redisRoleReplicas(spec, role);
      const resources = spec[REDIS_ROLE_SPEC_KEY[role]]?.resources ?? shared;
      return { suffix: role, minPods: n, maxPods: n, pod: add(resourceAmounts(resources), exporter), storagePerPod, containersWithoutRequests: resources?.requests ? 0 : 1 };
    });
  },
  // prometheus-operator: pods and the config-reloader sidecar as model/operators/prometheus-operator.ts says.
  'monitoring.coreos.com/Prometheus': (o) => {
    const n = monitoringPodCount('Prometheus', o.spec ?? {});
    return [{ minPods: n, maxPods: n, pod: add(resourceAmounts(o.spec?.resources), resourceAmounts(CONFIG_RELOADER_RESOURCES)), storagePerPod: claimStorage(o.spec?.storage?.volumeClaimTemplate), containersWithoutRequests: o.spec?.resources?.requests ? 0 : 1 }];
  },
  'monitoring.coreos.com/Alertmanager': (o) => {
    const n = monitoringPodCount('Alertmanager', o.spec ?? {});
    return [{ minPods: n, maxPods: n, pod: add(resourceAmounts(o.spec?.resources), resourceAmounts(CONFIG_RELOADER_RESOURCES)), storagePerPod: claimStorage(o.spec?.storage?.volumeClaimTemplate), containersWithoutRequests: o.spec?.resources?.requests ? 0 : 1 }];
  },
  // ECK: each nodeSet runs `count` pods from its podTemplate with its volumeClaimTemplates.
  'elasticsearch.k8s.elastic.co/Elasticsearch': (o) =>
    ((o.spec?.nodeSets ?? []) as Json[]).map((set) => {
      const { pod, withoutRequests } = podAmounts(set.podTemplate?.spec);
      const storagePerPod = ((set.volumeClaimTemplates ?? []) as Json[]).reduce((s, t) => s + claimStorage(t), 0);
      return { suffix: set.name, minPods: esNodeSetPods(set), maxPods: esNodeSetPods(set), pod, storagePerPod, containersWithoutRequests: withoutRequests };
    }),
  // OpenTelemetry operator: `replicas` (or its autoscaler's bounds); mode daemonset runs one pod per node.
  'opentelemetry.io/OpenTelemetryCollector': (o, ctx) => {
    const daemon = o.spec?.mode === 'daemonset';
    const fixed = o.spec?.replicas ?? 1;
    const auto = o.spec?.autoscaler;
    const minPods = daemon ? ctx.nodeGroup.min : auto?.minReplicas ?? fixed;
    const maxPods = daemon ? ctx.nodeGroup.max : auto?.maxReplicas ?? fixed;
    return [{ minPods, maxPods, pod: resourceAmounts(o.spec?.resources), storagePerPod: 0, containersWithoutRequests: o.spec?.resources?.requests ? 0 : 1 }];
  },
  // grafana-operator: the Deployment it creates from `spec.deployment` (replicas, pod template).
  'grafana.integreatly.org/Grafana': (o) => {
    const deployment = o.spec?.deployment?.spec ?? {};
    const n = operatorPods(o);
    const { pod, withoutRequests } = podAmounts(deployment.template?.spec ?? { containers: [{ name: 'grafana' }] });
    return [{ minPods: n, maxPods: n, pod, storagePerPod: claimStorage(o.spec?.persistentVolumeClaim), containersWithoutRequests: withoutRequests }];
  },
};


/** How many pods the operator runs for the object, as the one operator model (model/operators/operator-run.ts) says. */
function operatorPods(o: Json): number {
  const run = operatorRunOf(o as KubeObject);
  if (!run) throw new Error(`${o.kind} ${o.metadata?.name}: no operator model says what pods it leads to`);
  return run.derived.pods.reduce((sum, p) => sum + (p.replicas ?? 0), 0);
}

/**
 * The sidecar of one pod when Istio injects it (model/operators/istio.ts says when). Sizes from the pod's
 * `sidecar.istio.io/proxyCPU|proxyMemory|proxyCPULimit|proxyMemoryLimit` annotations, else Istio's defaults.
 */
export function istioSidecar(namespaceLabels: Readonly<Record<string, string>> | undefined, podMetadata: Json | undefined): Amounts | undefined {
  const annotations: Record<string, string> = podMetadata?.annotations ?? {};
  const injected = sidecarInjected(namespaceLabels, podMetadata?.labels, annotations);
  if (!injected) return undefined;
  const d = SIDECAR_RESOURCES;
  return resourceAmounts({
    requests: { cpu: annotations['sidecar.istio.io/proxyCPU'] ?? d.requests.cpu, memory: annotations['sidecar.istio.io/proxyMemory'] ?? d.requests.memory },
    limits: { cpu: annotations['sidecar.istio.io/proxyCPULimit'] ?? d.limits.cpu, memory: annotations['sidecar.istio.io/proxyMemoryLimit'] ?? d.limits.memory },
  }, 'istio sidecar');
}

/** Pod metadata of an object that has a pod template (Deployment, StatefulSet, ...; Pooler; Pod itself). */
function podMetadataOf(o: Json): Json | undefined {
  return o.kind === 'Pod' ? o.metadata : o.spec?.template?.metadata;
}

/**
 * The workloads of an environment's objects (objects of other kinds are ignored), each pod with its Istio
 * sidecar where one is injected.
 */
export function workloads(objects: readonly KubeObject[], nodeGroup: ExtractContext['nodeGroup']): Workload[] {
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const o of objects) if (o.kind === 'Namespace') namespaceLabels.set(o.metadata.name ?? '', o.metadata.labels ?? {});
  const hpas = new Map<string, Json>();
  for (const o of objects as readonly Json[]) {
    if (o.kind !== 'HorizontalPodAutoscaler') continue;
    const ref = o.spec?.scaleTargetRef ?? {};
    hpas.set(`${o.metadata.namespace ?? ''}/${ref.kind}/${ref.name}`, o);
  }
  const out: Workload[] = [];
  for (const o of objects as readonly Json[]) {
    const extractor = EXTRACTORS[groupKind(o.apiVersion, o.kind)];
    if (!extractor) continue;
    const id = `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    let parts;
    try {
      parts = extractor(o, { hpas, nodeGroup });
    } catch (err) {
      throw new Error(`${id}: ${(err as Error).message}`);
    }
    const sidecar = istioSidecar(namespaceLabels.get(o.metadata.namespace ?? ''), podMetadataOf(o));
    for (const { suffix, ...w } of parts) {
      const pod = sidecar ? add(w.pod, sidecar) : w.pod;
      out.push({ kind: o.kind, name: suffix ? `${o.metadata.name} (${suffix})` : o.metadata.name, namespace: o.metadata.namespace ?? '', ...w, pod, ...(sidecar ? { sidecar: true } : {}) });
    }
  }
  out.push(...gatewayDataPlanes(objects, namespaceLabels));
  return out;
}

/**
 * The data plane NGINX Gateway Fabric provisions for each of its Gateways: a Deployment sized by the Gateway's
 * NginxProxy (`kubernetes.deployment`: autoscaling bounds or replicas, container resources), with the
 * Gateway's infrastructure labels and annotations on its pods (model/operators/nginx-gateway-fabric.ts), so an
 * Istio sidecar is counted when they ask for one.
 */
function gatewayDataPlanes(objects: readonly KubeObject[], namespaceLabels: ReadonlyMap<string, Record<string, string>>): Workload[] {
  const out: Workload[] = [];
  for (const g of objects as readonly Json[]) {
    if (g.kind !== 'Gateway' || !String(g.apiVersion).startsWith('gateway.networking.k8s.io/')) continue;
    const dp = ngfDataPlaneOf(g as GatewayLike);
    if (!dp) continue;
    const ref = g.spec?.infrastructure?.parametersRef;
    const proxy = (objects as readonly Json[]).find((o) => o.kind === 'NginxProxy' && o.metadata.name === ref?.name && o.metadata.namespace === dp.namespace);
    const deployment = proxy?.spec?.kubernetes?.deployment ?? {};
    const auto = deployment.autoscaling?.enable ? deployment.autoscaling : undefined;
    const fixed = deployment.replicas ?? 1;
    const resources = deployment.container?.resources;
    const base = resourceAmounts(resources, `NginxProxy ${dp.namespace}/${ref?.name ?? '?'} container resources`);
    const sidecar = NGF_INFRASTRUCTURE_METADATA_REACHES_PODS ? istioSidecar(namespaceLabels.get(dp.namespace), { labels: g.spec?.infrastructure?.labels, annotations: g.spec?.infrastructure?.annotations }) : undefined;
    out.push({
      kind: 'Gateway',
      name: `${g.metadata.name} (NGF data plane ${dp.resourceName})`,
      namespace: dp.namespace,
      minPods: auto?.minReplicas ?? fixed,
      maxPods: auto?.maxReplicas ?? fixed,
      pod: sidecar ? add(base, sidecar) : base,
      storagePerPod: 0,
      containersWithoutRequests: resources?.requests ? 0 : 1,
      ...(sidecar ? { sidecar: true } : {}),
    });
  }
  return out;
}

function totals(ws: readonly Workload[]): Totals {
  const at = (which: 'minPods' | 'maxPods') => {
    let a = ZERO;
    let pods = 0;
    let storage = 0;
    for (const w of ws) {
      a = add(a, times(w.pod, w[which]));
      pods += w[which];
      storage += w.storagePerPod * w[which];
    }
    return { ...a, pods, storage };
  };
  return { min: at('minPods'), max: at('maxPods') };
}

const GIB = 2 ** 30;

/** `3.92` cores, `14.0 GiB`: units people read in a capacity table. */
export function formatCpu(cores: number): string {
  return cores.toFixed(2);
}

/** Bytes as GiB with one decimal. */
export function formatGiB(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)}Gi`;
}

/** Capacity input of an environment: node size from capacity.yaml, node group bounds from cluster.yaml. */
export function capacityInput(settings: Pick<Settings, 'capacity' | 'cluster'>): CapacityInput {
  const groups = settings.cluster.nodeGroups;
  return { nodeAllocatable: settings.capacity.nodeAllocatable, nodeGroup: { min: groups.minSize, max: groups.maxSize } };
}

/** The capacity report of one environment's objects against its capacity settings. */
export function capacityReport(environment: string, objects: readonly KubeObject[], settings: CapacityInput): CapacityReport {
  const nodeGroup = settings.nodeGroup;
  const ws = workloads(objects, nodeGroup);
  const names = [...new Set(ws.map((w) => w.namespace))].sort();
  const namespaces = names.map((namespace) => ({ namespace, ...totals(ws.filter((w) => w.namespace === namespace)) }));
  const total = totals(ws);
  const standaloneStorage = (objects as readonly Json[]).filter((o) => o.kind === 'PersistentVolumeClaim').reduce((s, o) => s + quantity(o.spec?.resources?.requests?.storage, `PersistentVolumeClaim ${o.metadata.name}`), 0);
  const allocatable = { cpu: parseQuantity(settings.nodeAllocatable.cpu), memory: parseQuantity(settings.nodeAllocatable.memory) };
  const needed = (a: Amounts) => Math.max(Math.ceil(a.cpuRequests / allocatable.cpu - 1e-9), Math.ceil(a.memoryRequests / allocatable.memory - 1e-9));
  const nodes = { min: nodeGroup.min, max: nodeGroup.max, allocatable, neededAtMin: needed(total.min), neededAtMax: needed(total.max) };

  const warnings: string[] = [];
  const capCpu = allocatable.cpu * nodeGroup.max;
  const capMem = allocatable.memory * nodeGroup.max;
  if (total.max.cpuRequests > capCpu) {
    warnings.push(`${environment}: at maximum replicas the pods request ${formatCpu(total.max.cpuRequests)} CPU, more than ${nodeGroup.max} nodes provide (${formatCpu(capCpu)}); raise nodeGroup.max or lower maxReplicas/requests`);
  }
  if (total.max.memoryRequests > capMem) {
    warnings.push(`${environment}: at maximum replicas the pods request ${formatGiB(total.max.memoryRequests)} memory, more than ${nodeGroup.max} nodes provide (${formatGiB(capMem)}); raise nodeGroup.max or lower maxReplicas/requests`);
  }
  for (const w of ws) {
    if (w.maxPods > 0 && (w.pod.cpuRequests > allocatable.cpu || w.pod.memoryRequests > allocatable.memory)) {
      warnings.push(`${environment}: ${w.kind} ${w.namespace}/${w.name}: one pod requests ${formatCpu(w.pod.cpuRequests)} CPU / ${formatGiB(w.pod.memoryRequests)}, more than a node offers (${formatCpu(allocatable.cpu)} / ${formatGiB(allocatable.memory)}): it can never be scheduled`);
    }
    if (w.containersWithoutRequests > 0 && w.maxPods > 0) {
      warnings.push(`${environment}: ${w.kind} ${w.namespace}/${w.name}: ${w.containersWithoutRequests} container(s) without resource requests are not counted`);
    }
  }
  return { environment, workloads: ws, namespaces, total, standaloneStorage, nodes, warnings };
}

function range(a: number, b: number, f: (n: number) => string): string {
  return a === b ? f(a) : `${f(a)}–${f(b)}`;
}

/** A fixed-width text table: one row per namespace and a total, then the node check and warnings. */
export function formatCapacityText(reports: readonly CapacityReport[]): string {
  const out: string[] = [];
  const header = ['namespace', 'pods', 'CPU requests', 'CPU limits', 'memory requests', 'memory limits', 'storage'];
  for (const r of reports) {
    const a = r.nodes.allocatable;
    out.push(`${r.environment}: node group ${r.nodes.min}–${r.nodes.max} nodes × ${formatCpu(a.cpu)} CPU / ${formatGiB(a.memory)} allocatable`);
    const row = (label: string, t: Totals) => [
      label,
      range(t.min.pods, t.max.pods, String),
      range(t.min.cpuRequests, t.max.cpuRequests, formatCpu),
      range(t.min.cpuLimits, t.max.cpuLimits, formatCpu),
      range(t.min.memoryRequests, t.max.memoryRequests, formatGiB),
      range(t.min.memoryLimits, t.max.memoryLimits, formatGiB),
      range(t.min.storage, t.max.storage, formatGiB),
    ];
    const rows = [header, ...r.namespaces.map((n) => row(n.namespace, n)), row('total', r.total)];
    const widths = header.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
    for (const [i, cells] of rows.entries()) {
      if (i === rows.length - 1) out.push(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
      out.push(`  ${cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ')}`.trimEnd());
    }
    if (r.standaloneStorage > 0) out.push(`  plus standalone PersistentVolumeClaims: ${formatGiB(r.standaloneStorage)}`);
    const fits = r.nodes.neededAtMax <= r.nodes.max;
    out.push(`  requests need ${r.nodes.neededAtMin} node(s) at minimum, ${r.nodes.neededAtMax} at maximum; ${r.nodes.max} nodes offer ${formatCpu(a.cpu * r.nodes.max)} CPU / ${formatGiB(a.memory * r.nodes.max)}: ${fits ? 'fits' : 'DOES NOT FIT'}`);
    out.push(`  (nodes by the tighter of CPU and memory, without bin packing; Istio sidecars counted where injected, at Istio's default size unless annotated)`);
    for (const w of r.warnings) out.push(`WARNING: ${w}`);
    out.push('');
  }
  return out.join('\n');
}

/** JSON for scripts: the reports with numbers in base units (cores, bytes). */
export function capacityJson(reports: readonly CapacityReport[]): string {
  return `${JSON.stringify(reports, null, 2)}\n`;
}
