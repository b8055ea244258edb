/**
 * Who talks to whom, derived from the output itself, plus the connections declared in settings:
 *  - env values naming a Service (`http://name.ns.svc.cluster.local:port`, `name.ns.svc`,
 *    `[scheme://]name.ns[:port]` for a namespace of the output, or `scheme://name:port` in the pod's own
 *    namespace) → that Service,
 *  - Ingress backends → from the ingress controller pods,
 *  - HTTPRoute backends → from the data-plane pods of the Gateways the route attaches to (NGINX Gateway
 *    Fabric), and those pods → the NGF control plane (agent gRPC),
 *  - the edge's proxy pods → cert-manager's HTTP-01 solver pods (the challenge request),
 *  - ServiceMonitor / PodMonitor endpoints → from the Prometheus pods,
 *  - every workload pod → kube-dns on 53/UDP,
 *  - every workload pod with an Istio sidecar (namespace label istio-injection=enabled, unless the pod
 *    template says sidecar.istio.io/inject: "false") → istiod 15012, when the output uses Istio,
 *  - settings `validation.connections`.
 */
import { sidecarInjected } from '../model/operators/istio';
import { monitorNamespaces } from '../model/operators/prometheus-operator';
import { arr } from '../model/shape';
import type { ModelPod, ModelService, ServicePortModel } from '../model/cluster-model';
import type { RuleContext } from './rule';
import { selectMatching } from '../model/selectors';
import type { SourcedObject } from './types';
import { containersOf } from '../model/workloads';

/** Where a connection goes. */
export type ConnectionTarget =
  | { readonly kind: 'service'; readonly service: ModelService; readonly port: ServicePortModel }
  | { readonly kind: 'pods'; readonly pods: readonly ModelPod[]; readonly port: number | string; readonly protocol: string; readonly label: string };

/** One connection to check. */
export interface Connection {
  /** Source pods (all must be allowed). */
  readonly from: readonly ModelPod[];
  readonly to: ConnectionTarget;
  /** The object the connection is derived from (reported on violation), and the path in it. */
  readonly origin: SourcedObject;
  readonly path: string;
  /** Why the connection exists, e.g. `env API_URL`, `Ingress backend`. */
  readonly why: string;
}

/** A reference to a Service that does not exist. */
export interface UnresolvedConnection {
  readonly origin: SourcedObject;
  readonly path: string;
  readonly message: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, postgres: 5432, postgresql: 5432, redis: 6379, rediss: 6379, amqp: 5672, grpc: 4317 };
const FQDN = /(?:([a-z][a-z0-9+.-]*):\/\/)?(?:[^@/\s]+@)?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\.?(?::(\d+))?/g;
/** `scheme://name[.namespace][:port]` or a bare `name.namespace[:port]` (checked against the model). */
const SHORT = /^(?:([a-z][a-z0-9+.-]*):\/\/(?:[^@/\s]+@)?)?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?))?(?::(\d+))?(?:[/?#]|$)/;

function pickPort(svc: ModelService, scheme: string | undefined, explicit: string | undefined, siblingPorts: readonly number[]): ServicePortModel | undefined {
  if (explicit) return svc.ports.find((p) => p.port === Number(explicit));
  const byScheme = scheme ? DEFAULT_PORTS[scheme.toLowerCase()] : undefined;
  return svc.ports.find((p) => p.port === byScheme) ?? svc.ports.find((p) => siblingPorts.includes(p.port)) ?? svc.ports[0];
}

/** Pods of the output and operators selected by a Service. */
export function podsOfService(ctx: RuleContext, svc: ModelService): ModelPod[] {
  return svc.selector ? selectMatching(ctx.cluster.pods, { matchLabels: svc.selector }).filter((p) => p.namespace === svc.namespace) : [];
}

/** Every connection of the environment and the Service references that lead nowhere. */
export function deriveConnections(ctx: RuleContext): { connections: Connection[]; unresolved: UnresolvedConnection[] } {
  const connections: Connection[] = [];
  const unresolved: UnresolvedConnection[] = [];
  const outputNamespaces = new Set(ctx.objects.filter((s) => s.object.kind === 'Namespace').map((s) => s.object.metadata.name ?? ''));
  const podOf = new Map(ctx.cluster.pods.filter((p) => p.template).map((p) => [p.template!, p]));

  // Env values that name Services.
  for (const t of ctx.pods) {
    const pod = podOf.get(t);
    if (!pod) continue;
    for (const c of containersOf(t)) {
      const env = arr(c.container.env);
      const siblingPorts = env.filter((e) => /PORT$/.test(e.name) && /^\d+$/.test(e.value ?? '')).map((e) => Number(e.value));
      env.forEach((e, i) => {
        if (typeof e.value !== 'string') return;
        const path = `${c.path}.env[${i}].value`;
        const found: Array<{ scheme?: string; name: string; ns: string; port?: string }> = [];
        for (const m of e.value.matchAll(FQDN)) found.push({ scheme: m[1], name: m[2], ns: m[3], port: m[4] });
        const short = found.length === 0 ? SHORT.exec(e.value) : null;
        if (short) {
          const [, scheme, name, ns, port] = short;
          // name.namespace (a namespace of the model), or a bare name with a scheme (the pod's namespace).
          if (ns !== undefined && ctx.cluster.namespaces.has(ns)) found.push({ scheme, name, ns, port });
          else if (ns === undefined && scheme !== undefined && ctx.cluster.service(pod.namespace, name)) found.push({ scheme, name, ns: pod.namespace, port });
        }
        for (const f of found) {
          const svc = ctx.cluster.service(f.ns, f.name);
          if (!svc) {
            if (outputNamespaces.has(f.ns) || f.ns === pod.namespace) unresolved.push({ origin: t.source, path, message: `env ${e.name} points at Service ${f.ns}/${f.name}, which is not in the output` });
            continue;
          }
          const port = pickPort(svc, f.scheme, f.port, siblingPorts);
          if (!port) {
            unresolved.push({ origin: t.source, path, message: `env ${e.name} uses port ${f.port} of Service ${f.ns}/${f.name}, which has ports ${svc.ports.map((p) => p.port).join(', ')}` });
            continue;
          }
          connections.push({ from: [pod], to: { kind: 'service', service: svc, port }, origin: t.source, path, why: `env ${e.name} of container "${c.container.name}"` });
        }
      });
    }
  }

  // Ingress backends, from the ingress controller.
  const controllers = ctx.cluster.pods.filter((p) => p.labels['app.kubernetes.io/name'] === 'ingress-nginx' && (p.labels['app.kubernetes.io/component'] ?? 'controller') === 'controller');
  for (const s of ctx.objects.filter((x) => x.object.kind === 'Ingress')) {
    const spec = (s.object.spec ?? {}) as Record<string, any>;
    const ns = s.object.metadata.namespace ?? 'default';
    const backends: Array<[string, Record<string, any>]> = [];
    if (spec.defaultBackend?.service) backends.push(['spec.defaultBackend.service', spec.defaultBackend.service]);
    arr(spec.rules).forEach((r: any, i: number) => arr(r.http?.paths).forEach((p: any, j: number) => p.backend?.service && backends.push([`spec.rules[${i}].http.paths[${j}].backend.service`, p.backend.service])));
    for (const [path, b] of backends) {
      const svc = ctx.cluster.service(ns, b.name);
      const port = svc?.ports.find((p) => p.port === b.port?.number || (b.port?.name !== undefined && p.name === b.port.name));
      if (svc && port && controllers.length > 0) connections.push({ from: controllers, to: { kind: 'service', service: svc, port }, origin: s, path, why: 'Ingress backend (ingress controller → Service)' });
    }
  }

  // HTTPRoute backends, from the data plane of each parent Gateway.
  const gatewayPods = (ns: string, name: string) => ctx.cluster.pods.filter((p) => p.namespace === ns && p.labels['gateway.networking.k8s.io/gateway-name'] === name && p.origin?.object.kind === 'Gateway');
  for (const s of ctx.objects.filter((x) => x.object.kind === 'HTTPRoute' && x.object.apiVersion.startsWith('gateway.networking.k8s.io/'))) {
    const spec = (s.object.spec ?? {}) as Record<string, any>;
    const ns = s.object.metadata.namespace ?? 'default';
    const from = arr(spec.parentRefs).flatMap((p: any) => (p.kind ?? 'Gateway') === 'Gateway' ? gatewayPods(p.namespace ?? ns, p.name) : []);
    if (from.length === 0) continue;
    arr(spec.rules).forEach((r: any, i: number) => arr(r.backendRefs).forEach((b: any, j: number) => {
      if ((b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') return;
      const path = `spec.rules[${i}].backendRefs[${j}]`;
      const svc = ctx.cluster.service(b.namespace ?? ns, b.name);
      const port = svc?.ports.find((p) => p.port === b.port);
      if (!svc || !port) {
        unresolved.push({ origin: s, path, message: `HTTPRoute backend ${b.namespace ?? ns}/${b.name}:${b.port} is ${svc ? `not a port of the Service (ports ${svc.ports.map((p) => p.port).join(', ')})` : 'not a Service in the output'}` });
        return;
      }
      connections.push({ from, to: { kind: 'service', service: svc, port }, origin: s, path, why: 'HTTPRoute backend (Gateway data plane → Service)' });
    }));
  }
  // NGF data plane → control plane (the agent fetches its configuration over gRPC).
  for (const g of ctx.objects.filter((x) => x.object.kind === 'Gateway')) {
    const pods = gatewayPods(g.object.metadata.namespace ?? 'default', g.object.metadata.name ?? '');
    const instance = pods[0]?.labels['app.kubernetes.io/instance'];
    const controlPlane = ctx.cluster.pods.filter((p) => !p.origin && p.labels['app.kubernetes.io/name'] === 'nginx-gateway-fabric' && p.labels['app.kubernetes.io/instance'] === instance);
    if (pods.length && controlPlane.length) {
      connections.push({ from: pods, to: { kind: 'pods', pods: controlPlane, port: 'agent-grpc', protocol: 'TCP', label: 'NGINX Gateway Fabric control plane (agent gRPC)' }, origin: g, path: 'spec', why: 'NGF data plane agent → control plane' });
    }
  }
  // ACME HTTP-01: the edge proxy that serves the challenge host → the solver pod.
  const solvers = ctx.cluster.pods.filter((p) => p.description.startsWith('cert-manager HTTP-01 solver'));
  for (const solver of solvers) {
    const cert = solver.origin!;
    const issuer = ctx.objects.find((x) => (x.object.kind === 'ClusterIssuer' || x.object.kind === 'Issuer') && x.object.metadata.name === (cert.object.spec as any)?.issuerRef?.name);
    const http01 = arr((issuer?.object.spec as any)?.acme?.solvers).map((x: any) => x.http01).find(Boolean);
    const from = http01?.gatewayHTTPRoute
      ? arr(http01.gatewayHTTPRoute.parentRefs).flatMap((p: any) => gatewayPods(p.namespace ?? solver.namespace, p.name))
      : controllers;
    if (from.length) connections.push({ from, to: { kind: 'pods', pods: [solver], port: 8089, protocol: 'TCP', label: 'cert-manager HTTP-01 solver' }, origin: cert, path: 'spec.issuerRef', why: 'ACME HTTP-01 challenge (edge proxy → solver pod)' });
  }

  // Scrapes, from Prometheus.
  const prometheus = ctx.cluster.pods.filter((p) => p.origin?.object.kind === 'Prometheus' || (!p.origin && p.labels['app.kubernetes.io/name'] === 'prometheus'));
  for (const s of ctx.objects.filter((x) => x.object.kind === 'ServiceMonitor' || x.object.kind === 'PodMonitor')) {
    if (prometheus.length === 0) break;
    const spec = (s.object.spec ?? {}) as Record<string, any>;
    const namespaces = monitorNamespaces(spec.namespaceSelector, s.object.metadata.namespace ?? 'default');
    const inNs = (n: string) => namespaces === 'all' || namespaces.includes(n);
    if (s.object.kind === 'ServiceMonitor') {
      const svcs = selectMatching(ctx.cluster.services, spec.selector).filter((x) => inNs(x.namespace));
      arr(spec.endpoints).forEach((e: any, i: number) => {
        for (const svc of svcs) {
          const port = svc.ports.find((p) => p.name === e.port || (e.targetPort !== undefined && p.targetPort === e.targetPort));
          if (port) connections.push({ from: prometheus, to: { kind: 'service', service: svc, port }, origin: s, path: `spec.endpoints[${i}]`, why: 'ServiceMonitor scrape (Prometheus → metrics port)' });
        }
      });
    } else {
      const pods = selectMatching(ctx.cluster.pods, spec.selector).filter((p) => inNs(p.namespace));
      arr(spec.podMetricsEndpoints).forEach((e: any, i: number) => {
        if (e.port && pods.length) connections.push({ from: prometheus, to: { kind: 'pods', pods, port: e.port, protocol: 'TCP', label: `pods selected by PodMonitor ${s.object.metadata.name}` }, origin: s, path: `spec.podMetricsEndpoints[${i}]`, why: 'PodMonitor scrape (Prometheus → metrics port)' });
      });
    }
  }

  // DNS for every workload pod.
  const dns = ctx.cluster.peers.filter((p) => p.peer === 'kube-dns');
  for (const t of ctx.pods) {
    const pod = podOf.get(t);
    if (pod && dns.length) connections.push({ from: [pod], to: { kind: 'pods', pods: dns, port: 53, protocol: 'UDP', label: 'kube-dns' }, origin: t.source, path: t.specPath, why: 'DNS lookups (every pod → kube-dns 53/UDP)' });
  }

  // Istio sidecars fetch their configuration from istiod.
  const istiod = ctx.cluster.peers.filter((p) => p.peer === 'istiod');
  for (const t of ctx.pods) {
    const pod = podOf.get(t);
    const injected = pod && sidecarInjected(ctx.cluster.namespaces.get(pod.namespace), t.labels, t.annotations);
    if (pod && injected && istiod.length) connections.push({ from: [pod], to: { kind: 'pods', pods: istiod, port: 15012, protocol: 'TCP', label: 'istiod xDS' }, origin: t.source, path: t.specPath, why: 'Istio sidecar configuration (sidecar → istiod 15012/TCP)' });
  }

  // Declared connections.
  for (const [i, d] of arr(ctx.options.connections).entries()) {
    const [toNs, toName] = d.to.split('/');
    const svc = ctx.cluster.service(toNs, toName);
    let from: ModelPod[];
    let origin: SourcedObject | undefined;
    if (d.from.startsWith('peer:')) {
      from = ctx.cluster.peers.filter((p) => p.peer === d.from.slice(5));
      origin = svc?.origin;
    } else {
      const [ns, name] = d.from.split('/');
      // A workload, or the custom resource an operator runs pods for (e.g. a Grafana CR).
      from = ctx.cluster.pods.filter((p) => p.origin !== undefined && p.namespace === ns && p.origin.object.metadata.name === name);
      origin = from[0]?.origin;
    }
    const port = svc?.ports.find((p) => p.port === d.port || p.name === d.port);
    const where = `settings validation.connections[${i}] (${d.from} → ${d.to}:${d.port})`;
    if (!origin || from.length === 0 || !svc || !port) {
      const anchor = origin ?? ctx.objects[0];
      if (anchor) unresolved.push({ origin: anchor, path: '', message: `${where}: ${from.length === 0 ? `source ${d.from} not found` : !svc ? `Service ${d.to} not found` : `Service ${d.to} has no port ${d.port}`}` });
      continue;
    }
    connections.push({ from, to: { kind: 'service', service: svc, port }, origin, path: '', why: `declared in ${where}` });
  }
  return { connections, unresolved };
}
