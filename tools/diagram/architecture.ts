/**
 * The architecture of an environment as a graph, read from its synthesized objects: edge (Ingress,
 * HTTPRoute) → Services → workloads → data stores (CloudNativePG, OpsTree Redis, Elasticsearch), with
 * whether NetworkPolicies allow each connection and whether Istio mTLS is STRICT. Pure; drawn by
 * `tools/diagram/diagram.ts`.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
import type { PodPort } from '../../model/cluster-model';
import { cnpgClusterPodSelector, CNPG_SERVICE_SUFFIXES, POSTGRES_PORTS } from '../../model/operators/cloudnative-pg';
import { REDIS_CLUSTER_ROLES, REDIS_PORTS, redisPodLabels, redisRoleServices } from '../../model/operators/redis-operator';
import { ngfDataPlaneOf, type GatewayLike } from '../../model/operators/nginx-gateway-fabric';
import type { KubeObject } from '../../model/kube-object';
import { groupKind } from '../../model/object-id';
import { evaluate, policiesOf, type Policy } from '../../model/network-policy';
import { matchesMap, type Labels } from '../../model/selectors';
import { compareText } from '../../model/text-order';
import { ES_HTTP_PORT, esNames, esPodLabels } from '../../model/operators/eck';

/** Columns of the diagram, left to right. */
export const LAYERS = ['edge', 'service', 'workload', 'data'] as const;
/** A column of the diagram. */
export type Layer = (typeof LAYERS)[number];

/** A box in the diagram. */
export interface ArchNode {
  /** `<Kind>/<namespace>/<name>`. */
  readonly id: string;
  readonly layer: Layer;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Istio PeerAuthentication STRICT applies to the node's namespace (never set on edge objects, which are not pods). */
  readonly mtls: boolean;
  /** Short facts shown under the name (replicas, ports, instances). */
  readonly detail: string;
}

/** Whether NetworkPolicies let the traffic of an edge through. */
export type Verdict = 'allowed' | 'denied' | 'open';

/** An arrow in the diagram. */
export interface ArchEdge {
  readonly from: string;
  readonly to: string;
  /** `routes` (edge → Service), `selects` (Service → pods), `calls` (workload → Service), `uses` (workload → data store). */
  readonly relation: 'routes' | 'selects' | 'calls' | 'uses';
  /** `allowed`: a NetworkPolicy explicitly lets it through; `denied`: isolated and no rule allows it; `open`: no policy applies. */
  readonly verdict: Verdict;
  /** Both ends are in namespaces with STRICT mTLS. */
  readonly mtls: boolean;
  readonly port?: number;
}

/** The graph of one environment. */
export interface Architecture {
  readonly nodes: readonly ArchNode[];
  readonly edges: readonly ArchEdge[];
}

type Json = Record<string, any>;

/** Pods as NetworkPolicies see them. */
interface Endpoint {
  readonly namespace: string;
  readonly labels: Labels;
  /** Container ports, to resolve the named ports of policies. */
  readonly ports?: readonly PodPort[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const EDGE_KINDS = new Set(['Ingress', 'HTTPRoute']);

/**
 * Data stores by `<group>/<kind>`: the labels their operator puts on the pods, the port clients use and the
 * Services the operator creates for clients (what an application's environment names as its host).
 */
const DATA_STORES: Record<string, { labels: (name: string) => Labels; port: number; services: (name: string) => string[] }> = {
  // CloudNativePG and the OpsTree Redis operator: pods, port and Services from the operator model.
  'postgresql.cnpg.io/Cluster': { labels: cnpgClusterPodSelector, port: POSTGRES_PORTS.postgres, services: (name) => Object.values(CNPG_SERVICE_SUFFIXES).map((x) => `${name}${x}`) },
  'redis.redis.opstreelabs.in/RedisCluster': { labels: (name) => redisPodLabels(name, 'leader'), port: REDIS_PORTS.redis, services: (name) => REDIS_CLUSTER_ROLES.flatMap((r) => redisRoleServices(name, r)) },
  // ECK: <cluster>-es-http (model/operators/eck.ts).
  'elasticsearch.k8s.elastic.co/Elasticsearch': { labels: esPodLabels, port: ES_HTTP_PORT, services: (name) => [esNames(name).httpService] },
};


function nodeId(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/**
 * The NetworkPolicy verdict of connections, from model/network-policy.ts (the one evaluator: protocols,
 * named ports, endPort, and an unknown selector operator matches nothing).
 */
export class PolicyIndex {
  private readonly policies: Policy[];
  private readonly namespaceLabels = new Map<string, Labels>();

  constructor(objects: readonly KubeObject[]) {
    this.policies = policiesOf(objects.map((object) => ({ object, file: '' })));
    for (const o of objects) {
      if (o.kind === 'Namespace') this.namespaceLabels.set(o.metadata.name ?? '', { 'kubernetes.io/metadata.name': o.metadata.name ?? '', ...(o.metadata.labels ?? {}) });
    }
  }

  /** Labels of a namespace (the automatic `kubernetes.io/metadata.name` included). */
  labelsOf(namespace: string): Labels {
    return this.namespaceLabels.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace };
  }

  /**
   * Whether traffic from one pod to a port of another passes both the egress and the ingress side: `open`
   * when no policy isolates either pod. A port that cannot be resolved is `denied` where a policy isolates
   * (nothing proves it allowed).
   */
  verdict(from: Endpoint, to: Endpoint, port?: number, protocol = 'TCP'): Verdict {
    const src = { namespace: from.namespace, namespaceLabels: this.labelsOf(from.namespace), podLabels: from.labels, ports: from.ports };
    const dst = { namespace: to.namespace, namespaceLabels: this.labelsOf(to.namespace), podLabels: to.labels, ports: to.ports };
    // Port 0 is no port: it only tells whether either side is isolated.
    const v = evaluate(this.policies, src, dst, { port: port ?? 0, protocol });
    if (v.egress.isolatedBy.length === 0 && v.ingress.isolatedBy.length === 0) return 'open';
    return port !== undefined && v.allowed ? 'allowed' : 'denied';
  }
}

/** Namespaces where Istio mTLS is STRICT (a namespace-wide PeerAuthentication, or a mesh-wide one in istio-system). */
export function strictMtlsNamespaces(objects: readonly KubeObject[]): { all: boolean; namespaces: Set<string> } {
  const namespaces = new Set<string>();
  let all = false;
  for (const o of objects as readonly Json[]) {
    if (o.kind !== 'PeerAuthentication' || o.spec?.mtls?.mode !== 'STRICT' || o.spec?.selector) continue;
    if (o.metadata.namespace === 'istio-system') all = true;
    else namespaces.add(o.metadata.namespace);
  }
  for (const o of objects as readonly Json[]) {
    if (o.kind === 'PeerAuthentication' && !o.spec?.selector && ['PERMISSIVE', 'DISABLE'].includes(o.spec?.mtls?.mode)) namespaces.delete(o.metadata.namespace);
  }
  return { all, namespaces };
}

function servicePortTarget(svc: Json, port: number | string | undefined, pod: Json | undefined): number | undefined {
  const ports: Json[] = svc.spec?.ports ?? [];
  const sp = ports.find((p) => p.port === port || p.name === port) ?? (port === undefined ? ports[0] : undefined);
  if (!sp) return typeof port === 'number' ? port : undefined;
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  for (const c of (pod?.spec?.containers ?? []) as Json[]) {
    const hit = ((c.ports ?? []) as Json[]).find((p) => p.name === target);
    if (hit) return hit.containerPort;
  }
  return undefined;
}

function envValues(podSpec: Json | undefined): string[] {
  const out: string[] = [];
  for (const c of (podSpec?.containers ?? []) as Json[]) {
    for (const e of (c.env ?? []) as Json[]) {
      if (typeof e.value === 'string') out.push(e.value);
      if (e.valueFrom?.secretKeyRef?.name) out.push(`secret:${e.valueFrom.secretKeyRef.name}`);
    }
    for (const f of (c.envFrom ?? []) as Json[]) if (f.secretRef?.name) out.push(`secret:${f.secretRef.name}`);
  }
  return out;
}

/** Reads the architecture graph from an environment's objects (deterministic: sorted by namespace and name). */
export function architecture(objects: readonly KubeObject[]): Architecture {
  const policy = new PolicyIndex(objects);
  const mtlsInfo = strictMtlsNamespaces(objects);
  const mtls = (ns: string) => mtlsInfo.all || mtlsInfo.namespaces.has(ns);
  const sorted = [...objects].sort((a, b) => compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareText(a.metadata.name ?? '', b.metadata.name ?? '') || compareText(a.kind, b.kind));
  const nodes: ArchNode[] = [];
  const edges: ArchEdge[] = [];
  // An Ingress is configuration, not a pod: mTLS is marked on what runs in the mesh.
  const node = (o: Json, layer: Layer, detail: string) => nodes.push({ id: nodeId(o as KubeObject), layer, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? '', mtls: layer !== 'edge' && mtls(o.metadata.namespace ?? ''), detail });

  const workloads = sorted.filter((o) => WORKLOAD_KINDS.has(o.kind)) as Json[];
  const services = sorted.filter((o) => o.kind === 'Service') as Json[];
  const stores = sorted.filter((o) => DATA_STORES[groupKind(o.apiVersion, o.kind)] !== undefined) as Json[];
  const hpas = new Map((sorted.filter((o) => o.kind === 'HorizontalPodAutoscaler') as Json[]).map((h) => [`${h.metadata.namespace}/${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`, h]));
  const podLabels = (w: Json): Labels => w.spec?.template?.metadata?.labels ?? {};
  const endpointOf = (w: Json): Endpoint => ({
    namespace: w.metadata.namespace ?? '',
    labels: podLabels(w),
    ports: ((w.spec?.template?.spec?.containers ?? []) as Json[]).flatMap((c) => ((c.ports ?? []) as Json[]).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' }))),
  });
  const storeEndpoint = (s: Json): Endpoint => ({ namespace: s.metadata.namespace ?? '', labels: DATA_STORES[groupKind(s.apiVersion, s.kind)].labels(s.metadata.name) });
  const backends = (svc: Json) => workloads.filter((w) => w.metadata.namespace === svc.metadata.namespace && svc.spec?.selector && matchesMap(svc.spec.selector, podLabels(w)));

  // The ingress controller's pods: in the namespace labelled name=ingress-nginx (or so named).
  const controllerNs = (sorted.find((o) => o.kind === 'Namespace' && (o.metadata.labels?.name === 'ingress-nginx' || o.metadata.name === 'ingress-nginx'))?.metadata.name) ?? 'ingress-nginx';
  const controller: Endpoint = { namespace: controllerNs, labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } };

  // A Gateway's proxy pods: the data plane NGINX Gateway Fabric provisions (model/operators/nginx-gateway-fabric.ts).
  const gateways = (sorted as Json[]).filter((o) => o.kind === 'Gateway' && String(o.apiVersion).startsWith('gateway.networking.k8s.io/'));
  for (const g of gateways) {
    const dp = ngfDataPlaneOf(g as GatewayLike);
    node(g, 'edge', `${dp ? `NGINX Gateway Fabric, data plane ${dp.resourceName}` : `class ${g.spec?.gatewayClassName}`} :${[...new Set((g.spec?.listeners ?? []).map((l: Json) => l.port))].join(',')}`);
  }
  const proxyOf = (o: Json): Endpoint => {
    if (o.kind !== 'HTTPRoute') return controller;
    const parent = (o.spec?.parentRefs ?? [])[0] ?? {};
    const g = gateways.find((x) => x.metadata.name === parent.name && x.metadata.namespace === (parent.namespace ?? o.metadata.namespace));
    const dp = g ? ngfDataPlaneOf(g as GatewayLike) : undefined;
    return dp ? { namespace: dp.namespace, labels: dp.podLabels } : controller;
  };

  for (const o of sorted as Json[]) {
    if (!EDGE_KINDS.has(o.kind)) continue;
    const hosts: string[] = o.kind === 'Ingress' ? (o.spec?.rules ?? []).map((r: Json) => r.host).filter(Boolean) : (o.spec?.hostnames ?? []);
    node(o, 'edge', hosts.join(', '));
    const refs: Array<{ name: string; port?: number | string; namespace: string }> = [];
    if (o.kind === 'Ingress') {
      const add = (b: Json | undefined) => b?.service?.name && refs.push({ name: b.service.name, port: b.service.port?.number ?? b.service.port?.name, namespace: o.metadata.namespace });
      add(o.spec?.defaultBackend);
      for (const r of (o.spec?.rules ?? []) as Json[]) for (const p of (r.http?.paths ?? []) as Json[]) add(p.backend);
    } else {
      for (const r of (o.spec?.rules ?? []) as Json[]) for (const b of (r.backendRefs ?? []) as Json[]) if ((b.weight ?? 1) > 0) refs.push({ name: b.name, port: b.port, namespace: b.namespace ?? o.metadata.namespace });
    }
    const seen = new Set<string>();
    for (const ref of refs) {
      const svc = services.find((s) => s.metadata.name === ref.name && s.metadata.namespace === ref.namespace);
      if (!svc || seen.has(svc.metadata.name)) continue;
      seen.add(svc.metadata.name);
      const pods = backends(svc);
      const port = servicePortTarget(svc, ref.port, pods[0]?.spec?.template);
      const verdicts = pods.map((w) => policy.verdict(proxyOf(o), endpointOf(w), port));
      edges.push({ from: nodeId(o as KubeObject), to: nodeId(svc as KubeObject), relation: 'routes', verdict: worst(verdicts), mtls: false, ...(port !== undefined ? { port } : {}) });
    }
  }

  for (const svc of services) {
    const ports = ((svc.spec?.ports ?? []) as Json[]).map((p) => `${p.port}`).join(',');
    node(svc, 'service', `${svc.spec?.clusterIP === 'None' ? 'headless' : (svc.spec?.type ?? 'ClusterIP')} :${ports}`);
    for (const w of backends(svc)) edges.push({ from: nodeId(svc as KubeObject), to: nodeId(w as KubeObject), relation: 'selects', verdict: 'open', mtls: mtls(svc.metadata.namespace) });
  }

  for (const w of workloads) {
    const hpa = hpas.get(`${w.metadata.namespace}/${w.kind}/${w.metadata.name}`);
    const replicas = hpa ? `${hpa.spec?.minReplicas ?? 1}–${hpa.spec?.maxReplicas} pods (HPA)` : w.kind === 'DaemonSet' ? 'every node' : plural(w.spec?.replicas ?? 1, 'pod');
    node(w, 'workload', replicas);
    const env = envValues(w.spec?.template?.spec);
    // Calls: an environment variable names a Service by DNS name (svc.ns.svc…, or svc:port in the namespace).
    for (const svc of services) {
      const name = svc.metadata.name;
      const ns = svc.metadata.namespace;
      const fqdn = new RegExp(`(^|[/@])${escape(name)}\\.${escape(ns)}(\\.svc)?([.:/]|$)`);
      const short = new RegExp(`(^|//)${escape(name)}:(\\d+)`);
      const hit = env.find((v) => fqdn.test(v) || (ns === w.metadata.namespace && short.test(v)));
      if (!hit || backends(svc).includes(w)) continue;
      const urlPort = /:(\d+)(\/|$)/.exec(hit)?.[1];
      const targets = backends(svc);
      const port = servicePortTarget(svc, urlPort ? Number(urlPort) : undefined, targets[0]?.spec?.template);
      const verdict = worst(targets.map((t) => policy.verdict(endpointOf(w), endpointOf(t), port)));
      edges.push({ from: nodeId(w as KubeObject), to: nodeId(svc as KubeObject), relation: 'calls', verdict, mtls: mtls(w.metadata.namespace) && mtls(ns), ...(port !== undefined ? { port } : {}) });
    }
    // Uses: the environment names a Service the store's operator creates (host or URL), or a Secret named
    // after the store is read. A NetworkPolicy that merely allows the port is not use: the app-wide egress
    // policy lets every app pod reach the databases, but only the pods configured for one connect to it.
    for (const s of stores) {
      const store = DATA_STORES[groupKind(s.apiVersion, s.kind)];
      const ns = s.metadata.namespace ?? '';
      const hosts = store.services(s.metadata.name).map((svc) => new RegExp(`(^|[/@])${escape(svc)}(\\.${escape(ns)}(\\.svc)?${ns === w.metadata.namespace ? '|' : ''})([.:/]|$)`));
      const namesHost = env.some((v) => hosts.some((h) => h.test(v)));
      const refersToSecret = env.some((v) => v.startsWith(`secret:${s.metadata.name}-`) || v === `secret:${s.metadata.name}`);
      if (!namesHost && !refersToSecret) continue;
      const verdict = policy.verdict(endpointOf(w), storeEndpoint(s), store.port);
      edges.push({ from: nodeId(w as KubeObject), to: nodeId(s as KubeObject), relation: 'uses', verdict, mtls: mtls(w.metadata.namespace) && mtls(ns), port: store.port });
    }
  }

  for (const s of stores) {
    const spec = s.spec ?? {};
    const detail = s.kind === 'Cluster' ? `${spec.instances ?? 1} instances${spec.storage?.size ? `, ${spec.storage.size}` : ''}`
      : s.kind === 'RedisCluster' ? `${spec.clusterSize ?? '?'} leaders + ${spec.redisFollower?.replicas ?? spec.clusterSize ?? '?'} followers`
      : plural(((spec.nodeSets ?? []) as Json[]).reduce((n, x) => n + (x.count ?? 0), 0), 'node');
    node(s, 'data', detail);
  }
  return { nodes, edges };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function worst(vs: Verdict[]): Verdict {
  if (vs.includes('denied')) return 'denied';
  if (vs.length > 0 && vs.every((v) => v === 'allowed')) return 'allowed';
  return 'open';
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
