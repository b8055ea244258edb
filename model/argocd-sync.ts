/**
 * A simulation of an Argo CD sync of one Application over the rendered objects: wave by wave, each object's
 * health evaluated with given health rules over the statuses its controller writes, gated the way
 * gitops-engine gates a sync (model/operators/argocd.ts). It answers: does a first sync on a cluster that has
 * the prerequisites reach the PostSync smoke test, and which object holds or fails it?
 *
 * What an object waits for is read from its own content (the Secrets its pods reference, the data-store hosts
 * they connect to, the store an ExternalSecret reads, the issuer and host of a Certificate, the target of an
 * HPA), not from the wave table (model/sync-order.ts), so the simulation checks that table.
 */
import type { KubeObject } from './kube-object';
import { groupKind } from './sync-order';
import { taskOutcome, type HealthCode, UPSTREAM_CNPG_PHASE_HEALTH, upstreamCertificateHealth, upstreamHpaHealth } from './operators/argocd';
import { CNPG_ROUTINE_SEQUENCES } from './operators/cnpg-cluster-phases';

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';

/** Health of a live object (the rendered object plus a status), or undefined for a kind without a check. */
export type HealthRule = (groupKind: string, live: KubeObject) => HealthCode | undefined | Promise<HealthCode | undefined>;

/** `<kind> <namespace>/<name>`, how the simulation names objects. */
export function objectRef(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name ?? '?'}`;
}

const nsOf = (o: KubeObject): string => o.metadata.namespace ?? '';
const specOf = (o: KubeObject): Record<string, any> => (o.spec as Record<string, any> | undefined) ?? {};

/** An object this one needs healthy before it can become healthy, and why. */
export interface Need {
  readonly object: KubeObject;
  readonly why: string;
}

/**
 * Kinds whose operator creates Secrets and Services named `<name>-<suffix>` in the object's namespace.
 * CloudNativePG: api/v1/cluster_types.go@v1.30.0 (`-app`, `-superuser`, `-ca`, `-server`, `-replication`; Services
 * `-rw`, `-ro`, `-r`). ECK names what it creates for an Elasticsearch `<name>-es-<...>` (`-es-elastic-user`,
 * `-es-http-certs-public`, Service `-es-http`). The Redis operator names its Services `<name>-leader` /
 * `-follower`. The OpenTelemetry operator names a collector's Service `<name>-collector`; an OTLP exporter
 * retries while it is missing, so a workload does not wait for it.
 */
const PREFIX_PROVIDERS: ReadonlyArray<{ groupKind: string; soft?: boolean }> = [
  { groupKind: 'postgresql.cnpg.io/Cluster' },
  { groupKind: 'elasticsearch.k8s.elastic.co/Elasticsearch' },
  { groupKind: 'redis.redis.opstreelabs.in/RedisCluster' },
  { groupKind: 'opentelemetry.io/OpenTelemetryCollector', soft: true },
];

const POD_KINDS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job', 'batch/CronJob', 'opentelemetry.io/OpenTelemetryCollector']);

/** Index of the objects that provide Secrets and hosts. */
class Providers {
  private readonly secrets = new Map<string, KubeObject>();
  private readonly services = new Map<string, KubeObject>();
  private readonly prefixed: Array<{ o: KubeObject; soft: boolean }> = [];

  constructor(private readonly objects: readonly KubeObject[]) {
    for (const o of objects) {
      const gk = groupKind(o.apiVersion, o.kind);
      const key = (name: string) => `${nsOf(o)}/${name}`;
      if (gk === 'Secret') this.secrets.set(key(o.metadata.name!), o);
      if (gk === 'external-secrets.io/ExternalSecret') this.secrets.set(key(specOf(o).target?.name ?? o.metadata.name), o);
      if (gk === 'cert-manager.io/Certificate' && specOf(o).secretName) this.secrets.set(key(specOf(o).secretName), o);
      if (gk === 'Service') this.services.set(key(o.metadata.name!), o);
      const p = PREFIX_PROVIDERS.find((x) => x.groupKind === gk);
      if (p) this.prefixed.push({ o, soft: p.soft ?? false });
    }
  }

  private byPrefix(ns: string, name: string): { o: KubeObject; soft: boolean } | undefined {
    return this.prefixed.find((p) => nsOf(p.o) === ns && name.startsWith(`${p.o.metadata.name}-`));
  }

  secret(ns: string, name: string): KubeObject | undefined {
    return this.secrets.get(`${ns}/${name}`) ?? this.byPrefix(ns, name)?.o;
  }

  /** The object behind a `<service>.<namespace>.svc` host, when a workload must have it at start. */
  host(host: string): KubeObject | undefined {
    const m = /^(?:[a-z]+:\/\/)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc\b/.exec(host);
    if (!m) return undefined;
    const [, svc, ns] = m;
    const p = this.byPrefix(ns, svc);
    if (p) return p.soft ? undefined : p.o;
    return undefined;
  }

  first(match: (o: KubeObject) => boolean): KubeObject | undefined {
    return this.objects.find(match);
  }
}

/** Secret names and service hosts referenced anywhere below a pod-bearing spec. */
function podReferences(spec: unknown): { secrets: string[]; hosts: string[] } {
  const secrets: string[] = [];
  const hosts: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x === null || typeof x !== 'object') {
      if (typeof x === 'string') for (const m of x.matchAll(/(?:[a-z]+:\/\/)?[a-z0-9-]+\.[a-z0-9-]+\.svc\b/g)) hosts.push(m[0]);
      return;
    }
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
      if ((k === 'secretKeyRef' || k === 'secretRef') && v && typeof (v as any).name === 'string') secrets.push((v as any).name);
      else if (k === 'secret' && v && typeof (v as any).secretName === 'string') secrets.push((v as any).secretName);
      walk(v);
    }
  };
  walk(spec);
  return { secrets, hosts };
}

/** Secret names referenced by a data store CR (`{ name }` objects under keys naming a secret or credentials). */
function storeSecretReferences(spec: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, key: string): void => {
    if (Array.isArray(x)) return x.forEach((v) => walk(v, key));
    if (x === null || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (/secret|credentials|accessKeyId|secretAccessKey|region/i.test(key) && typeof o.name === 'string') out.push(o.name);
    for (const [k, v] of Object.entries(o)) walk(v, k);
  };
  walk(spec, '');
  return out;
}

function hostsOfRoutes(o: KubeObject): string[] {
  const gk = groupKind(o.apiVersion, o.kind);
  if (gk === 'networking.k8s.io/Ingress') return (specOf(o).rules ?? []).map((r: any) => r.host).filter(Boolean);
  if (gk === 'gateway.networking.k8s.io/HTTPRoute') return specOf(o).hostnames ?? [];
  return [];
}

/** What an object needs healthy before it can become healthy, read from its content. */
export function needsOf(o: KubeObject, objects: readonly KubeObject[], providers = new Providers(objects)): Need[] {
  const gk = groupKind(o.apiVersion, o.kind);
  const ns = nsOf(o);
  const out: Need[] = [];
  const add = (n: KubeObject | undefined, why: string) => {
    if (n && n !== o && !out.some((x) => x.object === n)) out.push({ object: n, why });
  };
  const spec = specOf(o);
  if (POD_KINDS.has(gk)) {
    const refs = podReferences(spec);
    for (const s of refs.secrets) add(providers.secret(ns, s), `its pods read Secret ${s}`);
    for (const h of refs.hosts) add(providers.host(h), `its pods connect to ${h} at start`);
  }
  if (['postgresql.cnpg.io/Cluster', 'barmancloud.cnpg.io/ObjectStore', 'redis.redis.opstreelabs.in/RedisCluster', 'elasticsearch.k8s.elastic.co/Elasticsearch', 'monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/Alertmanager', 'grafana.integreatly.org/Grafana'].includes(gk)) {
    for (const s of storeSecretReferences(spec)) {
      const p = providers.secret(ns, s);
      if (p && groupKind(p.apiVersion, p.kind) !== gk) add(p, `reads Secret ${s}`);
    }
  }
  if (gk === 'postgresql.cnpg.io/Cluster') {
    for (const plugin of spec.plugins ?? []) {
      const name = plugin.parameters?.barmanObjectName;
      if (name) add(providers.first((x) => x.kind === 'ObjectStore' && nsOf(x) === ns && x.metadata.name === name), `its backup plugin reads ObjectStore ${name}`);
    }
  }
  if (gk === 'external-secrets.io/ExternalSecret') {
    const ref = spec.secretStoreRef ?? {};
    const kind = ref.kind ?? 'SecretStore';
    add(providers.first((x) => x.kind === kind && x.metadata.name === ref.name && (kind === 'ClusterSecretStore' || nsOf(x) === ns)), `reads through ${kind} ${ref.name}`);
  }
  if (gk === 'cert-manager.io/Certificate') {
    const ref = spec.issuerRef ?? {};
    const kind = ref.kind ?? 'Issuer';
    add(providers.first((x) => x.kind === kind && x.metadata.name === ref.name && (kind === 'ClusterIssuer' || nsOf(x) === ns)), `issued by ${kind} ${ref.name}`);
    for (const dns of spec.dnsNames ?? []) add(providers.first((x) => hostsOfRoutes(x).includes(dns)), `HTTP-01 for ${dns} is answered through the route serving it`);
  }
  if (gk === 'autoscaling/HorizontalPodAutoscaler') {
    const t = spec.scaleTargetRef ?? {};
    add(providers.first((x) => x.kind === t.kind && nsOf(x) === ns && x.metadata.name === t.name), `scales ${t.kind} ${t.name}`);
  }
  if (gk.startsWith('grafana.integreatly.org/') && gk !== 'grafana.integreatly.org/Grafana') {
    add(providers.first((x) => groupKind(x.apiVersion, x.kind) === 'grafana.integreatly.org/Grafana' && nsOf(x) === ns), 'synchronised into a running Grafana');
  }
  return out;
}

/** {@link needsOf} for many objects of one set, sharing one index of what provides Secrets and hosts. */
export function needsResolver(objects: readonly KubeObject[]): (o: KubeObject) => Need[] {
  const providers = new Providers(objects);
  return (o) => needsOf(o, objects, providers);
}

/** The wave of an object (0 without the annotation) and whether it is a hook. */
export function waveOf(o: KubeObject): number {
  return Number(o.metadata.annotations?.[WAVE] ?? '0');
}
const hookOf = (o: KubeObject): string | undefined => o.metadata.annotations?.[HOOK];

/** An object that is applied no later than something it needs. */
export interface OrderFinding {
  readonly object: KubeObject;
  readonly need: Need;
  readonly message: string;
}

/** Objects applied in the same wave as, or before, an object they need (the ordering half of the simulation). */
export function orderFindings(objects: readonly KubeObject[]): OrderFinding[] {
  const providers = new Providers(objects);
  const out: OrderFinding[] = [];
  for (const o of objects) {
    if (hookOf(o)) continue;
    for (const need of needsOf(o, objects, providers)) {
      if (hookOf(need.object)) continue;
      if (waveOf(need.object) >= waveOf(o)) {
        out.push({ object: o, need, message: `${objectRef(o)} (wave ${waveOf(o)}) ${need.why}, but ${objectRef(need.object)} is in wave ${waveOf(need.object)}: it must be in an earlier wave` });
      }
    }
  }
  return out;
}

/**
 * The statuses a controller writes on an object from creation on, when what it needs is healthy (`ready`)
 * or not. Kinds whose health Argo CD computes from pods (Deployment and the like) report their health
 * directly: gitops-engine's check is Progressing until the rollout is available, Degraded after the
 * progress deadline (pods that cannot start). `undefined` entries mean "no status" (kinds without a check).
 */
export function lifecycle(o: KubeObject, ready: boolean): Array<{ status?: Record<string, unknown>; health?: HealthCode }> {
  const gk = groupKind(o.apiVersion, o.kind);
  const cond = (type: string, status: string, reason = '', message = '') => ({ type, status, reason, message });
  const replicas = Number(specOf(o).replicas ?? 1);
  switch (gk) {
    case 'apps/Deployment': case 'apps/StatefulSet': case 'apps/DaemonSet': case 'batch/Job':
      return ready ? [{ health: 'Progressing' }, { health: 'Healthy' }] : [{ health: 'Progressing' }, { health: 'Degraded' }];
    case 'cert-manager.io/Certificate':
      return ready
        ? [{ status: { conditions: [cond('Ready', 'False', 'DoesNotExist'), cond('Issuing', 'True', 'DoesNotExist')] } }, { status: { conditions: [cond('Ready', 'True', 'Ready')] } }]
        : [{ status: { conditions: [cond('Ready', 'False', 'DoesNotExist'), cond('Issuing', 'True', 'DoesNotExist')] } }, { status: { conditions: [cond('Ready', 'False', 'DoesNotExist'), cond('Issuing', 'False', 'Failed')] } }];
    case 'cert-manager.io/ClusterIssuer': case 'cert-manager.io/Issuer':
    case 'external-secrets.io/SecretStore': case 'external-secrets.io/ClusterSecretStore': case 'external-secrets.io/ExternalSecret':
      return ready ? [{ status: {} }, { status: { conditions: [cond('Ready', 'True')] } }] : [{ status: { conditions: [cond('Ready', 'False', 'SecretSyncedError')] } }];
    case 'postgresql.cnpg.io/Cluster':
      return ready
        ? CNPG_ROUTINE_SEQUENCES['first creation'].map((phase) => ({ status: { phase } }))
        : [{ status: { phase: 'Setting up primary' } }];
    case 'elasticsearch.k8s.elastic.co/Elasticsearch': {
      const nodes = (specOf(o).nodeSets ?? []).reduce((n: number, s: any) => n + Number(s.count ?? 0), 0);
      return ready
        ? [{ status: { availableNodes: 0, phase: 'ApplyingChanges' } }, { status: { availableNodes: nodes, phase: 'Ready', health: 'green' } }]
        : [{ status: { availableNodes: 0, phase: 'ApplyingChanges' } }];
    }
    case 'opentelemetry.io/OpenTelemetryCollector':
      // Pods report ready only after Jaeger's storage reached Elasticsearch; until then "0/N" (crash loop).
      return ready
        ? [{ status: { scale: { replicas, statusReplicas: `0/${replicas}` } } }, { status: { scale: { replicas, statusReplicas: `${replicas}/${replicas}` } } }]
        : [{ status: { scale: { replicas, statusReplicas: `0/${replicas}` } } }];
    case 'redis.redis.opstreelabs.in/RedisCluster':
      return ready ? [{ status: { state: 'Initializing' } }, { status: { state: 'Bootstrap' } }, { status: { state: 'Ready' } }] : [{ status: { state: 'Initializing' } }];
    case 'monitoring.coreos.com/Prometheus':
      return [{ status: {} }, { status: { conditions: [cond('Available', 'True')] } }];
    case 'grafana.integreatly.org/Grafana':
      return [{ status: { stage: 'deployment', stageStatus: 'in progress' } }, { status: { stage: 'complete', stageStatus: 'success' } }];
    case 'grafana.integreatly.org/GrafanaDashboard': case 'grafana.integreatly.org/GrafanaDatasource': case 'grafana.integreatly.org/GrafanaFolder':
      return ready ? [{ status: { conditions: [cond('DashboardSynchronized', 'True', 'ApplySuccessful')] } }] : [{ status: { conditions: [cond('DashboardSynchronized', 'False', 'NoMatchingInstances')] } }];
    case 'autoscaling/HorizontalPodAutoscaler':
      // The HPA controller reports missing metrics until metrics-server scraped the new pods.
      return ready
        ? [{ status: { conditions: [cond('AbleToScale', 'True', 'SucceededGetScale'), cond('ScalingActive', 'False', 'FailedGetResourceMetric', 'unable to get metrics for resource cpu: no metrics returned from resource metrics API')] } },
          { status: { conditions: [cond('AbleToScale', 'True', 'ReadyForNewScale'), cond('ScalingActive', 'True', 'ValidMetricFound')] } }]
        : [{ status: { conditions: [cond('AbleToScale', 'False', 'FailedGetScale')] } }];
    case 'policy/PodDisruptionBudget':
      return [{ status: {} }, { status: { conditions: [cond('DisruptionAllowed', 'True', 'SufficientPods')] } }];
    default:
      return [{}];
  }
}

/** Argo CD's own health checks (no customisation) for the kinds {@link lifecycle} gives statuses to. */
export const upstreamHealth: HealthRule = (gk, live) => {
  const status = (live.status as Record<string, any> | undefined) ?? undefined;
  const conditions: Array<{ type: string; status: string; reason?: string }> = status?.conditions ?? [];
  const readyCondition = (): HealthCode => {
    const r = conditions.find((c) => c.type === 'Ready');
    return r?.status === 'True' ? 'Healthy' : r?.status === 'False' ? 'Degraded' : 'Progressing';
  };
  switch (gk) {
    case 'cert-manager.io/Certificate': return upstreamCertificateHealth(conditions);
    case 'cert-manager.io/ClusterIssuer': case 'cert-manager.io/Issuer':
    case 'external-secrets.io/SecretStore': case 'external-secrets.io/ClusterSecretStore': case 'external-secrets.io/ExternalSecret':
      return readyCondition();
    case 'postgresql.cnpg.io/Cluster': return status?.phase === undefined ? 'Progressing' : (UPSTREAM_CNPG_PHASE_HEALTH[status.phase] ?? 'Unknown');
    case 'autoscaling/HorizontalPodAutoscaler': return upstreamHpaHealth(conditions);
    case 'elasticsearch.k8s.elastic.co/Elasticsearch': {
      if (status?.availableNodes === undefined) return 'Unknown';
      const nodes = (specOf(live).nodeSets ?? []).reduce((n: number, s: any) => n + Number(s.count ?? 0), 0);
      if (status.availableNodes < nodes) return 'Progressing';
      if (status.phase === 'Ready') return status.health === 'green' ? 'Healthy' : status.health === 'yellow' ? 'Progressing' : status.health === 'red' ? 'Degraded' : 'Unknown';
      if (status.phase === 'ApplyingChanges' || status.phase === 'MigratingData') return 'Progressing';
      return status.phase === 'Invalid' ? 'Degraded' : 'Unknown';
    }
    case 'opentelemetry.io/OpenTelemetryCollector': {
      if (status === undefined) return 'Progressing';
      if (status.scale?.statusReplicas === undefined) return specOf(live).mode === 'sidecar' ? 'Healthy' : 'Progressing';
      const m = /^(\d+)\/(\d+)$/.exec(String(status.scale.statusReplicas));
      if (!m) return 'Progressing';
      const [ready, total] = [Number(m[1]), Number(m[2])];
      return ready === 0 ? (total === 0 && specOf(live).mode === 'daemonset' ? 'Healthy' : 'Degraded') : ready === total ? 'Healthy' : 'Progressing';
    }
    case 'monitoring.coreos.com/Prometheus': {
      const a = conditions.find((c) => c.type === 'Available');
      return a === undefined ? 'Progressing' : a.status === 'True' ? 'Healthy' : a.reason === 'SomePodsNotReady' ? 'Progressing' : 'Degraded';
    }
    case 'grafana.integreatly.org/Grafana':
      return status?.stageStatus === 'failed' ? 'Degraded' : status?.stage === 'complete' && status?.stageStatus === 'success' ? 'Healthy' : 'Progressing';
    case 'grafana.integreatly.org/GrafanaDashboard': case 'grafana.integreatly.org/GrafanaDatasource': case 'grafana.integreatly.org/GrafanaFolder':
      return conditions.some((c) => c.status === 'False') ? 'Degraded' : conditions.some((c) => c.status === 'True') ? 'Healthy' : 'Progressing';
    case 'policy/PodDisruptionBudget':
      if (conditions.length === 0) return 'Progressing';
      return conditions.some((c) => c.status === 'False' && c.reason !== 'InsufficientPods') ? 'Degraded' : 'Healthy';
    default:
      return undefined;
  }
};

/** How one object ends in a simulated sync. */
export interface ObjectResult {
  readonly ref: string;
  readonly wave: number;
  /** Health codes over the object's lifecycle. */
  readonly healths: Array<HealthCode | undefined>;
  readonly outcome: 'succeeded' | 'failed' | 'waits';
  /** Needs that were not healthy when it was applied. */
  readonly unmet: string[];
}

/** The result of a simulated sync. */
export interface SyncSimulation {
  /** completed: the PostSync hooks ran; failed: an object was Degraded; stuck: an object never became healthy. */
  readonly outcome: 'completed' | 'failed' | 'stuck';
  /** The wave the sync stopped in (failed/stuck). */
  readonly stoppedAt?: number;
  /** The objects that failed or hold the sync. */
  readonly blockers: ObjectResult[];
  /** Every object's result, in wave order. */
  readonly results: ObjectResult[];
  /** The hooks that would run after the Sync phase. */
  readonly postSync: string[];
}

/**
 * Simulates a first sync of an Application's objects on a cluster that has every prerequisite: waves in
 * order; in each, every object goes through its {@link lifecycle} (its needs are met when they are in an
 * earlier wave that succeeded); Degraded fails the sync, a final health other than Healthy holds it, except in
 * the last wave of the last phase (not waited on) — per gitops-engine's sync_context.go.
 */
export async function simulateSync(
  objects: readonly KubeObject[],
  health: HealthRule,
  /** A scenario: the statuses of some objects during this sync (e.g. a parameter change of a running cluster). */
  scenario: (o: KubeObject, ready: boolean) => ReturnType<typeof lifecycle> | undefined = () => undefined,
): Promise<SyncSimulation> {
  const providers = new Providers(objects);
  const syncObjects = objects.filter((o) => !hookOf(o));
  const postSync = objects.filter((o) => hookOf(o) === 'PostSync').map(objectRef);
  const waves = [...new Set(syncObjects.map(waveOf))].sort((a, b) => a - b);
  const settled = new Set<KubeObject>();
  const results: ObjectResult[] = [];
  for (const wave of waves) {
    const inWave = syncObjects.filter((o) => waveOf(o) === wave);
    const waited = waves.length > 1 || postSync.length > 0 ? !(wave === waves[waves.length - 1] && postSync.length === 0) : false;
    const waveResults: ObjectResult[] = [];
    for (const o of inWave) {
      const unmet = needsOf(o, objects, providers).filter((n) => !settled.has(n.object)).map((n) => `${objectRef(n.object)} (${n.why})`);
      const gk = groupKind(o.apiVersion, o.kind);
      const healths: Array<HealthCode | undefined> = [];
      let outcome: ObjectResult['outcome'] = 'succeeded';
      for (const step of scenario(o, unmet.length === 0) ?? lifecycle(o, unmet.length === 0)) {
        const h = step.health ?? (step.status === undefined ? await health(gk, o) : await health(gk, { ...o, status: step.status }));
        healths.push(h);
        outcome = taskOutcome(h);
        if (outcome === 'failed') break;
      }
      waveResults.push({ ref: objectRef(o), wave, healths, outcome: waited ? outcome : 'succeeded', unmet });
    }
    results.push(...waveResults);
    const failed = waveResults.filter((r) => r.outcome === 'failed');
    if (failed.length > 0) return { outcome: 'failed', stoppedAt: wave, blockers: failed, results, postSync };
    const waiting = waveResults.filter((r) => r.outcome === 'waits');
    if (waiting.length > 0) return { outcome: 'stuck', stoppedAt: wave, blockers: waiting, results, postSync };
    for (const o of inWave) settled.add(o);
  }
  return { outcome: 'completed', blockers: [], results, postSync };
}
