/**
 * The architecture of an environment as a graph, read from its synthesized objects: the edge (Gateway and the
 * NGINX Gateway Fabric data and control plane, HTTPRoutes, Ingresses), Services, workloads, the components
 * operators run for the output's custom resources (Postgres, Redis, Vault, Prometheus, Alertmanager,
 * Grafana, Elasticsearch, collectors: their pods and Services come from model/operators/operator-run.ts),
 * the mesh (istiod, VirtualServices, mesh policy) and GitOps (Argo CD Applications and projects), with
 * whether NetworkPolicies allow each connection, whether Istio mTLS is STRICT, and which colour of a
 * blue-green component is live. Pure; drawn by `tools/diagram/diagram.ts`.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
import { BUILTIN_NAMESPACES, type PodPort } from '../../model/cluster-model';
import { externalPeers } from '../../model/external-peers';
import type { KubeObject } from '../../model/kube-object';
import { apiGroup } from '../../model/object-id';
import { evaluate, policiesOf, type Policy } from '../../model/network-policy';
import { NGF_AGENT_GRPC_PORT, NGF_CONTROL_PLANE_NAMESPACE_ROLE, NGF_CONTROL_PLANE_PORTS, NGF_RELEASE, ngfControlPlaneSelector, ngfControlPlaneService, ngfDataPlaneOf, type GatewayLike } from '../../model/operators/nginx-gateway-fabric';
import { operatorRunOf, type OperatorRun, type OperatorRunRole } from '../../model/operators/operator-run';
import { matchesMap, type Labels } from '../../model/selectors';
import { compareText } from '../../model/text-order';
import { podTemplateOf } from '../../model/workloads';

/** Panels of the diagram: what a component is part of. */
export const GROUPS = ['edge', 'app', 'data', 'observability', 'tracing', 'mesh', 'gitops', 'cluster'] as const;
/** A panel of the diagram. */
export type Group = (typeof GROUPS)[number];

/**
 * What a box is, in the order boxes are laid out inside a panel: `edge` (Gateway, routes), `control` (a
 * control plane outside the output), `service`, `workload`, `operated` (pods an operator or chart runs for a
 * custom resource), `config` (mesh and GitOps objects, which run no pods of their own).
 */
export const LAYERS = ['edge', 'control', 'service', 'workload', 'operated', 'config'] as const;
/** What a box is. */
export type Layer = (typeof LAYERS)[number];

/** The live / idle marking of one colour of a blue-green component. */
export interface ColourMark {
  /** The colour (the value of the label the live Service selects on). */
  readonly colour: string;
  readonly live: boolean;
  /** The live Service, e.g. `finbot-api`. */
  readonly service: string;
}

/** A box in the diagram. */
export interface ArchNode {
  /** `<Kind>/<namespace>/<name>`. */
  readonly id: string;
  readonly group: Group;
  readonly layer: Layer;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Istio PeerAuthentication STRICT applies to the node's namespace (only set on boxes that are pods). */
  readonly mtls: boolean;
  /** Short facts shown under the name (replicas, ports, instances). */
  readonly detail: string;
  /** A second line of facts (the Services an operator makes, hosts, routes). */
  readonly detail2?: string;
  /** For a colour of a blue-green component: which colour and whether it is live. */
  readonly colour?: ColourMark;
  /** Pods that run for this box, where known (workloads without an HPA, operator-run components). */
  readonly pods?: number;
}

/** Whether NetworkPolicies let the traffic of an edge through. */
export type Verdict = 'allowed' | 'denied' | 'open';

/** An arrow in the diagram. */
export interface ArchEdge {
  readonly from: string;
  readonly to: string;
  /**
   * `routes` (edge → Service), `selects` (Service → pods), `calls` (pods → a Service its configuration names),
   * `uses` (pods → an operator-run component whose Service or Secret its configuration names).
   */
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
  /** The blue-green components and their live colour, e.g. `[{ service: 'finbot-api', colour: 'blue', ... }]`. */
  readonly live: ReadonlyArray<{ readonly namespace: string; readonly service: string; readonly colour: string; readonly workload: string }>;
  /** Every object of the output (`<Kind>/<namespace>/<name>`) → the box that draws it or counts it. */
  readonly drawnIn: ReadonlyMap<string, string>;
}

type Json = Record<string, any>;

/** Pods as NetworkPolicies see them. */
interface Endpoint {
  readonly namespace: string;
  readonly labels: Labels;
  /** Container ports, to resolve the named ports of policies. */
  readonly ports?: readonly PodPort[];
}

const EDGE_KINDS = new Set(['Ingress', 'HTTPRoute']);
/** API groups of Kubernetes itself, counted together in one configuration box. */
const KUBERNETES_GROUPS = new Set(['', 'apps', 'batch', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'policy', 'autoscaling', 'storage.k8s.io', 'scheduling.k8s.io', 'admissionregistration.k8s.io']);
/** API groups of Istio's configuration kinds. */
const ISTIO_GROUP = /\.istio\.io$/;
/** Which panel an operator-run component belongs to. */
const ROLE_GROUP: Record<OperatorRunRole, Group> = {
  database: 'data', cache: 'data', secrets: 'data',
  metrics: 'observability', alerting: 'observability', dashboards: 'observability',
  'trace-store': 'tracing', 'telemetry-collector': 'tracing',
  'gateway-proxy': 'edge',
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

/** A Service port's target on the pods: a number, or a named port resolved against the pods' container ports. */
function servicePortTarget(svc: Json, port: number | string | undefined, podPorts: readonly PodPort[]): number | undefined {
  const ports: Json[] = svc.spec?.ports ?? [];
  const sp = ports.find((p) => p.port === port || p.name === port) ?? (port === undefined ? ports[0] : undefined);
  if (!sp) return typeof port === 'number' ? port : undefined;
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  return podPorts.find((p) => p.name === target)?.port;
}

/**
 * The strings a pod's configuration holds: env values and args, `secret:<name>` of the Secrets it reads (env,
 * envFrom, volumes), and the values of the ConfigMaps it mounts or reads (a config file naming a host).
 */
function configStrings(podSpec: Json | undefined, configMap: (name: string) => Json | undefined): string[] {
  const out: string[] = [];
  const fromConfigMap = (name: string | undefined) => {
    if (name) for (const v of Object.values(configMap(name)?.data ?? {})) if (typeof v === 'string') out.push(...v.split(/\s+/));
  };
  for (const c of [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])] as Json[]) {
    for (const e of (c.env ?? []) as Json[]) {
      if (typeof e.value === 'string') out.push(e.value);
      if (e.valueFrom?.secretKeyRef?.name) out.push(`secret:${e.valueFrom.secretKeyRef.name}`);
    }
    for (const f of (c.envFrom ?? []) as Json[]) {
      if (f.secretRef?.name) out.push(`secret:${f.secretRef.name}`);
      fromConfigMap(f.configMapRef?.name);
    }
    for (const a of [...(c.args ?? []), ...(c.command ?? [])] as unknown[]) if (typeof a === 'string') out.push(a);
  }
  for (const v of (podSpec?.volumes ?? []) as Json[]) {
    if (v.secret?.secretName) out.push(`secret:${v.secret.secretName}`);
    fromConfigMap(v.configMap?.name);
    for (const src of (v.projected?.sources ?? []) as Json[]) {
      if (src.secret?.name) out.push(`secret:${src.secret.name}`);
      fromConfigMap(src.configMap?.name);
    }
  }
  return out;
}

/**
 * A host pattern for a Service name: `svc.ns`, `svc.ns.svc…` inside a URL or host, and from its own namespace
 * the bare name as a whole value or a URL's host (`http://svc:8200/`); never a path (`/vault/tls`).
 */
function hostPattern(svc: string, ns: string, sameNamespace: boolean): RegExp {
  const fqdn = `(^|[/@])${escape(svc)}\\.${escape(ns)}(\\.svc)?([.:/]|$)`;
  return new RegExp(sameNamespace ? `${fqdn}|(^|//|@)${escape(svc)}(:\\d+)?(/|$)` : fqdn);
}

/** The port written right after a host in a configuration string (`…host.ns.svc:4318/…`), if any. */
function portAfter(values: readonly string[], pattern: RegExp): number | undefined {
  for (const v of values) {
    const m = pattern.exec(v);
    const p = m ? /^[^:\s]*:(\d+)/.exec(v.slice(m.index)) : null;
    if (p) return Number(p[1]);
  }
  return undefined;
}

/** A component run by an operator, as the graph sees it. */
interface Operated {
  readonly object: Json;
  readonly run: OperatorRun;
  readonly id: string;
}

/** Reads the architecture graph from an environment's objects (deterministic: sorted by namespace and name). */
export function architecture(objects: readonly KubeObject[]): Architecture {
  const policy = new PolicyIndex(objects);
  const mtlsInfo = strictMtlsNamespaces(objects);
  const mtls = (ns: string) => mtlsInfo.all || mtlsInfo.namespaces.has(ns);
  const sorted = [...objects].sort((a, b) => compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareText(a.metadata.name ?? '', b.metadata.name ?? '') || compareText(a.kind, b.kind)) as Json[];
  const nodes: ArchNode[] = [];
  const edges: ArchEdge[] = [];
  const add = (n: Omit<ArchNode, 'mtls'> & { mtls?: boolean }) => nodes.push({ ...n, mtls: n.mtls ?? false });

  const workloads = sorted.filter((o) => podTemplateOf({ object: o as KubeObject, file: '' }) !== undefined && o.kind !== 'Pod');
  const services = sorted.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
  const configMaps = new Map(sorted.filter((o) => o.kind === 'ConfigMap' && o.apiVersion === 'v1').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  const operated: Operated[] = sorted.flatMap((o) => {
    const run = operatorRunOf(o as KubeObject);
    // A chart an Application installs is drawn apart from the Application: its own id.
    return run ? [{ object: o, run, id: o.kind === 'Application' ? `Chart/${run.namespace}/${o.metadata.name}` : nodeId(o as KubeObject) }] : [];
  });
  const hpas = new Map(sorted.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((h) => [`${h.metadata.namespace}/${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`, h]));
  const template = (w: Json) => podTemplateOf({ object: w as KubeObject, file: '' })!;
  const podLabels = (w: Json): Labels => template(w).labels;
  const podPorts = (w: Json): PodPort[] => ((template(w).spec.containers ?? []) as readonly Json[]).flatMap((c) => ((c.ports ?? []) as Json[]).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
  const endpointOf = (w: Json): Endpoint => ({ namespace: w.metadata.namespace ?? '', labels: podLabels(w), ports: podPorts(w) });
  // The pods of an operator-run component, as policies see them (the first pod template of the model: the primary, the leaders).
  const operatedEndpoint = (c: Operated): Endpoint => {
    const pod = c.run.derived.pods[0];
    return { namespace: c.run.namespace, labels: pod?.labels ?? {}, ports: (pod?.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })) };
  };
  // Long-running workloads first: a Service's pods (and a component's) are its Deployments', not a Job's.
  const backends = (svc: Json) => workloads.filter((w) => w.metadata.namespace === svc.metadata.namespace && svc.spec?.selector && matchesMap(svc.spec.selector, podLabels(w)));
  const operatedBackends = (svc: Json) => operated.filter((c) => c.run.namespace === svc.metadata.namespace && svc.spec?.selector && c.run.derived.pods.some((p) => matchesMap(svc.spec.selector, p.labels)));

  // ---- which colour of a blue-green component is live: a Service `<s>` and `<s>-preview` select workloads that
  // differ only in one label's value (the colour); the live one is what `<s>` selects.
  const live: Array<{ namespace: string; service: string; colour: string; workload: string }> = [];
  const colourOf = new Map<string, ColourMark>();
  for (const svc of services) {
    const preview = services.find((s) => s.metadata.namespace === svc.metadata.namespace && s.metadata.name === `${svc.metadata.name}-preview`);
    if (!preview) continue;
    const [liveW] = backends(svc);
    const [idleW] = backends(preview);
    if (!liveW || !idleW || liveW === idleW) continue;
    const key = Object.keys(svc.spec?.selector ?? {}).find((k) => preview.spec?.selector?.[k] !== undefined && preview.spec.selector[k] !== svc.spec.selector[k]);
    if (!key) continue;
    live.push({ namespace: svc.metadata.namespace, service: svc.metadata.name, colour: svc.spec.selector[key], workload: liveW.metadata.name });
    colourOf.set(nodeId(liveW as KubeObject), { colour: svc.spec.selector[key], live: true, service: svc.metadata.name });
    colourOf.set(nodeId(idleW as KubeObject), { colour: preview.spec.selector[key], live: false, service: svc.metadata.name });
  }

  // ---- the edge: Gateways with the data plane NGF provisions, the NGF control plane, routes.
  const gateways = sorted.filter((o) => o.kind === 'Gateway' && String(o.apiVersion).startsWith('gateway.networking.k8s.io/'));
  const certificates = sorted.filter((o) => o.kind === 'Certificate' && apiGroup(o.apiVersion) === 'cert-manager.io');
  const namespaceWithRole = (role: string) => sorted.find((o) => o.kind === 'Namespace' && (o.metadata.labels?.name === role || o.metadata.name === role))?.metadata.name as string | undefined;
  for (const g of gateways) {
    const dp = ngfDataPlaneOf(g as GatewayLike);
    const listeners = [...new Set((g.spec?.listeners ?? []).map((l: Json) => l.port))].join(',');
    const tls = certificates.filter((c) => c.metadata.namespace === g.metadata.namespace).map((c) => c.metadata.name);
    add({
      id: nodeId(g as KubeObject), group: 'edge', layer: 'edge', kind: 'Gateway', name: g.metadata.name, namespace: g.metadata.namespace,
      detail: dp ? `NGINX Gateway Fabric ${NGF_RELEASE} data plane :${listeners}` : `class ${g.spec?.gatewayClassName} :${listeners}`,
      detail2: dp ? `Deployment + Service ${dp.resourceName}${tls.length ? ` · TLS ${tls.join(', ')}` : ''}` : tls.length ? `TLS ${tls.join(', ')}` : undefined,
    });
  }
  // The NGF control plane: a Helm release outside the output, in the namespace the output creates for it.
  const cpNamespace = namespaceWithRole(NGF_CONTROL_PLANE_NAMESPACE_ROLE);
  const releases = [...new Set(gateways.map((g) => ngfDataPlaneOf(g as GatewayLike)?.release).filter((r): r is string => r !== undefined))];
  for (const release of cpNamespace ? releases : []) {
    const id = `Deployment/${cpNamespace}/${ngfControlPlaneService(release)}`;
    add({ id, group: 'edge', layer: 'control', kind: 'Deployment (Helm)', name: ngfControlPlaneService(release), namespace: cpNamespace!, detail: `NGINX Gateway Fabric ${NGF_RELEASE} control plane`, detail2: `release ${release} · outside the output` });
    const cp: Endpoint = { namespace: cpNamespace!, labels: ngfControlPlaneSelector(release), ports: [...NGF_CONTROL_PLANE_PORTS] };
    // The data plane's agent connects to the control plane (model/operators/nginx-gateway-fabric.ts).
    for (const g of gateways) {
      const dp = ngfDataPlaneOf(g as GatewayLike);
      if (dp?.release !== release) continue;
      edges.push({ from: nodeId(g as KubeObject), to: id, relation: 'calls', verdict: policy.verdict({ namespace: dp.namespace, labels: dp.podLabels, ports: dp.podPorts }, cp, NGF_AGENT_GRPC_PORT), mtls: false, port: NGF_AGENT_GRPC_PORT });
    }
  }
  // The ingress controller's pods, for Ingress objects: in the namespace labelled name=ingress-nginx (external-peers).
  const peers = externalPeers(new Map(sorted.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, { 'kubernetes.io/metadata.name': o.metadata.name, ...(o.metadata.labels ?? {}) }])), operated.some((c) => c.run.role === 'metrics'), sorted.some((o) => ISTIO_GROUP.test(apiGroup(o.apiVersion))));
  const ingressController = peers.find((p) => p.peer === 'ingress-controller');
  const proxyOf = (o: Json): Endpoint | undefined => {
    if (o.kind !== 'HTTPRoute') return ingressController;
    const parent = (o.spec?.parentRefs ?? [])[0] ?? {};
    const g = gateways.find((x) => x.metadata.name === parent.name && x.metadata.namespace === (parent.namespace ?? o.metadata.namespace));
    const dp = g ? ngfDataPlaneOf(g as GatewayLike) : undefined;
    return dp ? { namespace: dp.namespace, labels: dp.podLabels, ports: dp.podPorts } : undefined;
  };
  for (const o of sorted) {
    if (!EDGE_KINDS.has(o.kind)) continue;
    const hosts: string[] = o.kind === 'Ingress' ? (o.spec?.rules ?? []).map((r: Json) => r.host).filter(Boolean) : (o.spec?.hostnames ?? []);
    const refs: Array<{ name: string; port?: number | string; namespace: string }> = [];
    if (o.kind === 'Ingress') {
      const addRef = (b: Json | undefined) => b?.service?.name && refs.push({ name: b.service.name, port: b.service.port?.number ?? b.service.port?.name, namespace: o.metadata.namespace });
      addRef(o.spec?.defaultBackend);
      for (const r of (o.spec?.rules ?? []) as Json[]) for (const p of (r.http?.paths ?? []) as Json[]) addRef(p.backend);
    } else {
      for (const r of (o.spec?.rules ?? []) as Json[]) for (const b of (r.backendRefs ?? []) as Json[]) if ((b.weight ?? 1) > 0) refs.push({ name: b.name, port: b.port, namespace: b.namespace ?? o.metadata.namespace });
    }
    const redirect = o.kind === 'HTTPRoute' && refs.length === 0 && (o.spec?.rules ?? []).some((r: Json) => (r.filters ?? []).some((f: Json) => f.type === 'RequestRedirect'));
    const parents = o.kind === 'HTTPRoute' ? (o.spec?.parentRefs ?? []).map((p: Json) => `${p.name}${p.sectionName ? `/${p.sectionName}` : ''}`).join(', ') : '';
    add({ id: nodeId(o as KubeObject), group: 'edge', layer: 'edge', kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, detail: hosts.join(', ') || '(every host)', detail2: [parents && `on ${parents}`, redirect && 'redirects to HTTPS'].filter(Boolean).join(' · ') || undefined });
    const seen = new Set<string>();
    const from = proxyOf(o);
    for (const ref of refs) {
      const svc = services.find((s) => s.metadata.name === ref.name && s.metadata.namespace === ref.namespace);
      if (!svc || seen.has(svc.metadata.name)) continue;
      seen.add(svc.metadata.name);
      const pods = backends(svc);
      const port = servicePortTarget(svc, ref.port, pods[0] ? podPorts(pods[0]) : []);
      const verdicts = from ? pods.map((w) => policy.verdict(from, endpointOf(w), port)) : [];
      edges.push({ from: nodeId(o as KubeObject), to: nodeId(svc as KubeObject), relation: 'routes', verdict: worst(verdicts), mtls: false, ...(port !== undefined ? { port } : {}) });
    }
  }

  // ---- which panel a workload, Service or component belongs to.
  const usesOf = new Map<string, Operated[]>();
  const groupOfWorkload = new Map<string, Group>();
  // Operator-run components by namespace, the first by panel order deciding: the namespace of Prometheus is
  // observability's, the data namespaces are data's.
  const namespaceGroup = new Map<string, Group>();
  for (const g of GROUPS) for (const c of operated) if (ROLE_GROUP[c.run.role] === g && g !== 'edge' && !namespaceGroup.has(c.run.namespace)) namespaceGroup.set(c.run.namespace, g);

  // ---- workloads, what they call and what they use.
  for (const w of workloads) {
    const ns = w.metadata.namespace ?? '';
    const values = configStrings(template(w).spec, (name) => configMaps.get(`${ns}/${name}`));
    const used: Operated[] = [];
    // Uses: the configuration names a Service the component's operator creates (host or URL), or a Secret named
    // after the component is read. A NetworkPolicy that merely allows the port is not use: the app-wide egress
    // policy lets every app pod reach the databases, but only the pods configured for one connect to it.
    for (const c of operated) {
      if (c.run.role === 'gateway-proxy') continue;
      const cns = c.run.namespace;
      const named = c.run.derived.services.map((s) => ({ s, re: hostPattern(s.name, cns, cns === ns) })).find(({ re }) => values.some((v) => re.test(v)));
      const refersToSecret = values.some((v) => v.startsWith(`secret:${c.object.metadata.name}-`) || v === `secret:${c.object.metadata.name}`);
      if (!named && !refersToSecret) continue;
      // The port written after the host, else the named Service's first port, else the clients' port of the model.
      const port = (named ? portAfter(values, named.re) ?? named.s.ports[0]?.port : undefined) ?? c.run.client.port;
      used.push(c);
      edges.push({ from: nodeId(w as KubeObject), to: c.id, relation: 'uses', verdict: policy.verdict(endpointOf(w), operatedEndpoint(c), port), mtls: mtls(ns) && mtls(cns), ...(port !== undefined ? { port } : {}) });
    }
    usesOf.set(nodeId(w as KubeObject), used);
    // Calls: the configuration names a Service by DNS name (svc.ns.svc…, or svc:port in the namespace).
    for (const svc of services) {
      const name = svc.metadata.name;
      const sns = svc.metadata.namespace ?? '';
      const fqdn = new RegExp(`(^|[/@])${escape(name)}\\.${escape(sns)}(\\.svc)?([.:/]|$)`);
      const short = new RegExp(`(^|//)${escape(name)}:(\\d+)`);
      const hit = values.find((v) => fqdn.test(v) || (sns === ns && short.test(v)));
      const targets = backends(svc);
      if (!hit || targets.includes(w)) continue;
      const urlPort = /:(\d+)(\/|$)/.exec(hit)?.[1];
      const port = servicePortTarget(svc, urlPort ? Number(urlPort) : undefined, targets[0] ? podPorts(targets[0]) : []);
      const verdict = worst(targets.map((t) => policy.verdict(endpointOf(w), endpointOf(t), port)));
      edges.push({ from: nodeId(w as KubeObject), to: nodeId(svc as KubeObject), relation: 'calls', verdict, mtls: mtls(ns) && mtls(sns), ...(port !== undefined ? { port } : {}) });
    }
    const tracing = used.some((c) => ROLE_GROUP[c.run.role] === 'tracing');
    groupOfWorkload.set(nodeId(w as KubeObject), BUILTIN_NAMESPACES.includes(ns) ? 'cluster' : tracing ? 'tracing' : namespaceGroup.get(ns) ?? 'app');
  }

  // ---- Services: in the panel of what they select.
  for (const svc of services) {
    const ns = svc.metadata.namespace ?? '';
    const pods = backends(svc);
    const comps = operatedBackends(svc);
    const group = pods.length > 0 ? groupOfWorkload.get(nodeId(pods[0] as KubeObject))! : comps.length > 0 ? ROLE_GROUP[comps[0].run.role] : BUILTIN_NAMESPACES.includes(ns) ? 'cluster' : namespaceGroup.get(ns) ?? 'app';
    const ports = ((svc.spec?.ports ?? []) as Json[]).map((p) => `${p.port}`).join(',');
    const mark = live.find((l) => l.namespace === ns && (l.service === svc.metadata.name || `${l.service}-preview` === svc.metadata.name));
    add({
      id: nodeId(svc as KubeObject), group, layer: 'service', kind: 'Service', name: svc.metadata.name, namespace: ns, mtls: mtls(ns),
      detail: `${svc.spec?.clusterIP === 'None' ? 'headless' : (svc.spec?.type ?? 'ClusterIP')} :${ports}`,
      ...(mark ? { detail2: mark.service === svc.metadata.name ? `live: selects the ${mark.colour} colour` : `preview: selects the idle colour` } : {}),
    });
    for (const w of pods) edges.push({ from: nodeId(svc as KubeObject), to: nodeId(w as KubeObject), relation: 'selects', verdict: 'open', mtls: mtls(ns) });
    for (const c of comps) edges.push({ from: nodeId(svc as KubeObject), to: c.id, relation: 'selects', verdict: 'open', mtls: mtls(ns) });
  }

  for (const w of workloads) {
    const ns = w.metadata.namespace ?? '';
    const hpa = hpas.get(`${ns}/${w.kind}/${w.metadata.name}`);
    const replicas = hpa ? `${hpa.spec?.minReplicas ?? 1}–${hpa.spec?.maxReplicas} pods (HPA)`
      : w.kind === 'DaemonSet' ? 'every node'
      : w.kind === 'CronJob' ? `schedule ${w.spec?.schedule}`
      : w.kind === 'Job' ? 'runs to completion'
      : plural(w.spec?.replicas ?? 1, 'pod');
    const colour = colourOf.get(nodeId(w as KubeObject));
    const image = ((template(w).spec.containers ?? []) as readonly Json[])[0]?.image as string | undefined;
    add({
      id: nodeId(w as KubeObject), group: groupOfWorkload.get(nodeId(w as KubeObject))!, layer: 'workload', kind: w.kind, name: w.metadata.name, namespace: ns, mtls: mtls(ns),
      detail: replicas, ...(image ? { detail2: image.replace(/^docker\.io\//, '') } : {}),
      ...(colour ? { colour } : {}),
      ...(!hpa && ['Deployment', 'StatefulSet'].includes(w.kind) ? { pods: w.spec?.replicas ?? 1 } : {}),
    });
  }

  // ---- components operators run (the Gateway's data plane is drawn on the Gateway).
  for (const c of operated) {
    if (c.run.role === 'gateway-proxy') continue;
    const counts = c.run.derived.pods.filter((p) => p.replicas !== undefined);
    const pods = counts.length === c.run.derived.pods.length ? counts.reduce((n, p) => n + (p.replicas ?? 0), 0) : undefined;
    const detail = c.object.kind === 'Cluster' ? `${plural(pods ?? 0, 'instance')} (1 primary)${c.object.spec?.storage?.size ? `, ${c.object.spec.storage.size}` : ''}`
      : c.object.kind === 'RedisCluster' ? `${c.run.derived.pods.filter((p) => p.labels.role === 'leader').length} leaders + ${c.run.derived.pods.filter((p) => p.labels.role === 'follower').length} followers`
      : pods !== undefined ? plural(pods, 'pod') : 'pods';
    const svcNames = c.run.derived.services.map((s) => s.name);
    add({
      id: c.id, group: ROLE_GROUP[c.run.role], layer: 'operated',
      kind: c.object.kind === 'Application' ? `Helm chart of Application ${c.object.metadata.name}` : c.object.kind,
      name: c.object.kind === 'Application' ? c.run.derived.services[0]?.name ?? c.object.metadata.name : c.object.metadata.name, namespace: c.run.namespace,
      mtls: mtls(c.run.namespace), detail: `${detail} · ${c.run.operator} ${c.run.release}`, detail2: `Services ${shortList(svcNames)}`,
      ...(pods !== undefined ? { pods } : {}),
    });
  }

  // ---- the mesh: istiod (outside the output), VirtualServices, and each namespace's mesh policy.
  const istiod = peers.find((p) => p.peer === 'istiod');
  if (istiod) add({ id: `Deployment/${istiod.namespace}/istiod`, group: 'mesh', layer: 'control', kind: 'Deployment', name: 'istiod', namespace: istiod.namespace, detail: 'Istio control plane · outside the output', detail2: `sidecars in ${[...new Set(nodes.filter((n) => n.mtls).map((n) => n.namespace))].join(', ') || 'no namespace'}` });
  for (const vs of sorted.filter((o) => o.kind === 'VirtualService' && ISTIO_GROUP.test(apiGroup(o.apiVersion)))) {
    const routes = ((vs.spec?.http ?? []) as Json[]).flatMap((h) => ((h.route ?? []) as Json[]).map((r) => `${String(r.destination?.host ?? '').split('.')[0]}${r.destination?.subset ? `/${r.destination.subset}` : ''}${r.weight !== undefined && r.weight !== 100 ? ` ${r.weight}%` : ''}`));
    add({ id: nodeId(vs as KubeObject), group: 'mesh', layer: 'config', kind: 'VirtualService', name: vs.metadata.name, namespace: vs.metadata.namespace, detail: `routes to ${[...new Set(routes)].join(', ')}`, detail2: `hosts ${shortList((vs.spec?.hosts ?? []).map((h: string) => h.split('.')[0]))}` });
  }
  const meshNamespaces = [...new Set(sorted.filter((o) => ISTIO_GROUP.test(apiGroup(o.apiVersion)) && o.kind !== 'VirtualService').map((o) => o.metadata.namespace as string))];
  for (const ns of meshNamespaces) {
    const inNs = sorted.filter((o) => o.metadata.namespace === ns && ISTIO_GROUP.test(apiGroup(o.apiVersion)) && o.kind !== 'VirtualService');
    const kinds = [...new Set(inNs.map((o) => o.kind))].map((k) => `${inNs.filter((o) => o.kind === k).length} ${k}`);
    add({ id: `MeshPolicy/${ns}/mesh-policy`, group: 'mesh', layer: 'config', kind: 'Istio configuration', name: `${ns} mesh policy`, namespace: ns, detail: mtls(ns) ? 'PeerAuthentication STRICT (mTLS)' : 'mTLS not STRICT', detail2: kinds.join(', ') });
  }

  // ---- GitOps: Argo CD Applications and projects.
  for (const o of sorted.filter((x) => apiGroup(x.apiVersion) === 'argoproj.io' && (x.kind === 'Application' || x.kind === 'AppProject'))) {
    const src = o.spec?.source ?? {};
    const detail = o.kind === 'Application' ? `${src.chart ? `chart ${src.chart} ${src.targetRevision ?? ''}` : `${src.path ?? ''} @ ${src.targetRevision ?? 'HEAD'}`} to ${o.spec?.destination?.namespace ?? 'cluster'}` : `${(o.spec?.destinations ?? []).length} destinations, ${(o.spec?.sourceRepos ?? []).length} source repos`;
    add({ id: nodeId(o as KubeObject), group: 'gitops', layer: 'config', kind: `Argo CD ${o.kind}`, name: o.metadata.name, namespace: o.metadata.namespace, detail, detail2: o.kind === 'Application' ? `project ${o.spec?.project}${o.spec?.syncPolicy?.automated ? ' · auto-sync' : ' · manual sync'}` : undefined });
  }

  // ---- everything else of the output (policies, RBAC, monitors, issuers, external secrets, backups, …) is
  // counted in one box per API group family, so that every object is in the picture somewhere.
  const drawnIn = new Map<string, string>();
  const ids = new Set(nodes.map((n) => n.id));
  const summaries = new Map<string, Json[]>();
  for (const o of sorted) {
    const oid = nodeId(o as KubeObject);
    const group = apiGroup(o.apiVersion);
    if (ids.has(oid)) drawnIn.set(oid, oid);
    else if (ISTIO_GROUP.test(group)) drawnIn.set(oid, `MeshPolicy/${o.metadata.namespace}/mesh-policy`);
    else {
      const family = KUBERNETES_GROUPS.has(group) ? 'Kubernetes' : group;
      (summaries.get(family) ?? summaries.set(family, []).get(family)!).push(o);
    }
  }
  for (const [family, members] of [...summaries].sort(([a], [b]) => (a === 'Kubernetes' ? -1 : b === 'Kubernetes' ? 1 : compareText(a, b)))) {
    const id = `Configuration/${family}`;
    // the most numerous kinds first: what the box is mostly about stays readable when the line is clipped
    const counts = [...new Set(members.map((o) => o.kind as string))].map((k) => [k, members.filter((o) => o.kind === k).length] as const)
      .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
    const namespaces = [...new Set(members.map((o) => o.metadata.namespace ?? 'cluster-scoped'))];
    add({
      id, group: 'cluster', layer: 'config', kind: `configuration · ${plural(members.length, 'object')}`, name: family, namespace: plural(namespaces.length, 'namespace'),
      detail: counts.map(([k, n]) => `${n} ${k}`).join(', '), detail2: `in ${namespaces.length > 4 ? `${namespaces.slice(0, 3).join(', ')} and ${namespaces.length - 3} more` : namespaces.join(', ')}`,
    });
    for (const o of members) drawnIn.set(nodeId(o as KubeObject), id);
  }

  // Inside a panel: by kind of box (Services before the workloads they select); a panel without Services (the
  // data stores) by namespace, each component before the jobs that serve it.
  const withServices = new Set(nodes.filter((n) => n.layer === 'service').map((n) => n.group));
  const rank = (n: ArchNode) => (!withServices.has(n.group) && n.layer === 'operated' ? LAYERS.indexOf('workload') - 0.5 : LAYERS.indexOf(n.layer));
  const byNamespace = (a: ArchNode, b: ArchNode) => !withServices.has(a.group) && a.layer !== 'config' && b.layer !== 'config';
  const compare = (a: ArchNode, b: ArchNode) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group)
    || (byNamespace(a, b) ? compareText(a.namespace, b.namespace) : 0)
    || rank(a) - rank(b);
  const stable = nodes.map((n, i) => [n, i] as const).sort((a, b) => compare(a[0], b[0]) || a[1] - b[1]).map(([n]) => n);
  return { nodes: stable, edges, live, drawnIn };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shortList(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 2).join(', ')} +${names.length - 2}`;
}

function worst(vs: Verdict[]): Verdict {
  if (vs.includes('denied')) return 'denied';
  if (vs.length > 0 && vs.every((v) => v === 'allowed')) return 'allowed';
  return 'open';
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
