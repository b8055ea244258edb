/**
 * What the output puts on a cluster, including what operators create from custom resources and what
 * Kubernetes always has: pods (with labels and ports), Services, Secrets, ConfigMaps, ServiceAccounts and
 * namespaces (with labels). Cross-reference and reachability rules look objects up here.
 *
 * Operator-made objects follow the operators' documented naming (CloudNativePG, Redis operator, ECK,
 * OpenTelemetry operator, prometheus-operator, grafana-operator, vault-helm, NGINX Gateway Fabric); see
 * docs/validation.md. Their pods and Services come from model/operators/operator-run.ts (each fact in its
 * operator's file, citing its upstream file and release), as do the NetworkPolicies the OpenTelemetry
 * operator adds on its own (`operatorPolicies`, from model/operators/opentelemetry-operator.ts).
 */
import { arr } from './shape';
import { apiGroup } from './object-id';
import { externalPeers, type ExternalPeer } from './external-peers';
import type { Labels } from './selectors';
import type { KubeObject, SourcedObject } from './kube-object';
import { podTemplates, type PodTemplate } from './workloads';
import type { ModelPod, PodPort } from './pods';
import type { DerivedObjects } from './operators/derived';
import { externalSecretTarget } from './operators/external-secrets';
import { operatorRunOf } from './operators/operator-run';
import { ENVOY_PROMETHEUS_PORT } from './operators/exporter-metrics';
import {
  COLLECTOR_MONITORING_PORT, OTLP_RECEIVER_PORTS, collectorNetworkPolicyEnabled, collectorNetworkPolicyName, collectorPodLabels, collectorSelectorLabels,
} from './operators/opentelemetry-operator';
import { NGF_CONTROL_PLANE_NAMESPACE_ROLE, NGF_CONTROL_PLANE_PORTS, ngfControlPlaneSelector, ngfDataPlaneOf, type GatewayLike } from './operators/nginx-gateway-fabric';
import { ACME_SOLVER_PORT, acmeSolverPodOf } from './operators/cert-manager';

export type { ModelPod, PodPort };


/** A Service port. */
export interface ServicePortModel {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: string;
}

/** A Service of the cluster. */
export interface ModelService {
  readonly namespace: string;
  readonly name: string;
  /** Absent: a Service without selector (endpoints managed elsewhere). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePortModel[];
  readonly labels: Labels;
  readonly origin?: SourcedObject;
  /** Made by an operator from a custom resource, not written in the output. */
  readonly derived: boolean;
}

/** Everything a rule may look up. */
export interface ClusterModel {
  readonly pods: readonly ModelPod[];
  readonly services: readonly ModelService[];
  /** `namespace/name` → what produces it. */
  readonly secrets: ReadonlyMap<string, string>;
  /** `namespace/name` of ConfigMaps. */
  readonly configMaps: ReadonlySet<string>;
  /** `namespace/name` of ServiceAccounts. */
  readonly serviceAccounts: ReadonlySet<string>;
  /** Modelled pods outside the output (also in `pods`). */
  readonly peers: readonly ExternalPeer[];
  /** Namespace name → labels (including the automatic `kubernetes.io/metadata.name`). */
  readonly namespaces: ReadonlyMap<string, Labels>;
  /** NetworkPolicies operators create from the output's custom resources; they count in reachability. */
  readonly operatorPolicies: readonly OperatorPolicy[];
  /** Service by `namespace/name`. */
  service(namespace: string, name: string): ModelService | undefined;
}

/** Namespaces every cluster has. */
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

type Spec = Record<string, any>;

function specOf(o: KubeObject): Spec {
  return (o.spec ?? {}) as Spec;
}

function workloadPorts(t: PodTemplate): PodPort[] {
  return arr(t.spec.containers).flatMap((c) => arr(c.ports).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

const tcp = (port: number, name?: string): PodPort => ({ port, name, protocol: 'TCP' });
const svcPort = (port: number, name?: string, targetPort?: number | string): ServicePortModel => ({ port, name, targetPort: targetPort ?? port, protocol: 'TCP' });

interface Derived {
  pods: ModelPod[];
  services: ModelService[];
  secrets: string[];
  policies: OperatorPolicy[];
  serviceAccounts: string[];
}

/** A NetworkPolicy an operator creates from a custom resource (not in the output, but on the cluster). */
export interface OperatorPolicy extends SourcedObject {
  /** `<Kind> <namespace>/<name>` of the custom resource it comes from. */
  readonly madeBy: string;
}

/** What an operator makes from one custom resource (empty for kinds no operator here handles). */
function derivedFrom(s: SourcedObject): Derived {
  const o = s.object;
  const ns = o.metadata.namespace ?? 'default';
  const name = o.metadata.name ?? '';
  const group = apiGroup(o.apiVersion);
  const out: Derived = { pods: [], services: [], secrets: [], policies: [], serviceAccounts: [] };
  const pod = (what: string, labels: Labels, ports: PodPort[]) => out.pods.push({ description: `${o.kind} ${ns}/${name} (${what})`, namespace: ns, labels, ports, origin: s });
  // Operators label their Services with (at least) the labels they select on; ServiceMonitors rely on it.
  const service = (svcName: string, selector: Labels, ports: ServicePortModel[]) =>
    out.services.push({ namespace: ns, name: svcName, selector, ports, labels: { ...selector }, origin: s, derived: true });
  const fromOperatorModel = (d: DerivedObjects, inNamespace = ns) => {
    for (const p of d.pods) out.pods.push({ description: `${o.kind} ${ns}/${name} (${p.what})`, namespace: inNamespace, labels: p.labels, ports: p.ports.map((x) => ({ port: x.port, name: x.name, protocol: x.protocol ?? 'TCP' })), origin: s });
    for (const v of d.services) {
      out.services.push({ namespace: inNamespace, name: v.name, selector: v.selector, labels: { ...v.selector }, origin: s, derived: true, ports: v.ports.map((x) => ({ name: x.name, port: x.port, targetPort: x.targetPort ?? x.port, protocol: x.protocol ?? 'TCP' })) });
    }
    out.secrets.push(...d.secrets.map((x) => `${inNamespace}/${x}`));
  };
  // Pods and Services an operator (or a chart) runs for the object: model/operators/operator-run.ts.
  const run = operatorRunOf(o);
  if (run) fromOperatorModel(run.derived, run.namespace);
  const key = `${group}/${o.kind}`;
  switch (key) {
    case 'postgresql.cnpg.io/Pooler':
      pod('PgBouncer', { 'cnpg.io/poolerName': name }, [tcp(5432, 'pgbouncer'), tcp(9127, 'metrics')]);
      service(name, { 'cnpg.io/poolerName': name }, [svcPort(5432, 'pgbouncer', 'pgbouncer')]);
      break;
    case 'redis.redis.opstreelabs.in/Redis':
    case 'redis.redis.opstreelabs.in/RedisReplication': {
      const labels: Record<string, string> = { app: name, redis_setup_type: o.kind === 'Redis' ? 'standalone' : 'replication' };
      pod('Redis server', labels, [tcp(6379, 'redis-client'), tcp(9121, 'redis-exporter')]);
      service(name, { app: name }, [svcPort(6379, 'redis-client'), svcPort(9121, 'redis-exporter')]);
      service(`${name}-headless`, { app: name }, [svcPort(6379, 'redis-client')]);
      service(`${name}-additional`, { app: name }, [svcPort(6379, 'redis-client')]);
      break;
    }
    case 'opentelemetry.io/OpenTelemetryCollector': {
      const spec = specOf(o) as { image?: string; ports?: Array<{ name?: string; port: number }>; networkPolicy?: { enabled?: boolean } };
      if (collectorNetworkPolicyEnabled(spec)) {
        // The operator's own policy: every container port open to every pod (model/operators/opentelemetry-operator.ts).
        const labels = collectorPodLabels(ns, name, o.metadata.labels ?? {}, spec.image);
        const selector = collectorSelectorLabels(ns, name);
        const ports = [tcp(OTLP_RECEIVER_PORTS.grpc, 'otlp-grpc'), tcp(OTLP_RECEIVER_PORTS.http, 'otlp-http'), ...arr(spec.ports).map((p) => tcp(p.port, p.name))];
        out.policies.push({
          object: {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: collectorNetworkPolicyName(name), namespace: ns, labels: { ...labels } },
            spec: { podSelector: { matchLabels: { ...selector } }, policyTypes: ['Ingress'], ingress: [{ ports: [...ports, tcp(COLLECTOR_MONITORING_PORT)].map((p) => ({ protocol: 'TCP', port: p.port })) }] },
          },
          file: s.file,
          madeBy: `${o.kind} ${ns}/${name}`,
        });
      }
      break;
    }
    case 'gateway.networking.k8s.io/Gateway':
      // NGINX Gateway Fabric's data plane runs as the ServiceAccount `<gateway>-<class>` (model/operators/nginx-gateway-fabric.ts).
      if (run) out.serviceAccounts.push(`${run.namespace}/${run.derived.services[0].name}`);
      break;
    case 'cert-manager.io/Certificate':
      if (specOf(o).secretName) out.secrets.push(`${ns}/${specOf(o).secretName}`);
      break;
    case 'external-secrets.io/ExternalSecret':
      out.secrets.push(`${ns}/${externalSecretTarget(name, specOf(o))}`);
      break;
    case 'bitnami.com/SealedSecret':
      out.secrets.push(`${ns}/${specOf(o).template?.metadata?.name ?? name}`);
      break;
    default:
      break;
  }
  return out;
}

function hasIssuer(o: KubeObject): boolean {
  const a = o.metadata.annotations ?? {};
  return Boolean(a['cert-manager.io/cluster-issuer'] ?? a['cert-manager.io/issuer']);
}

function serviceOf(s: SourcedObject): ModelService {
  const o = s.object;
  const spec = specOf(o);
  return {
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name ?? '',
    selector: spec.selector,
    ports: arr(spec.ports as Spec[] | undefined).map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })),
    labels: o.metadata.labels ?? {},
    origin: s,
    derived: false,
  };
}

/** Builds the model of one environment's output; `externalNamespaces` exist besides the built-in ones. */
export function buildClusterModel(objects: readonly SourcedObject[], externalNamespaces: readonly string[] = []): ClusterModel {
  const pods: ModelPod[] = [];
  const services: ModelService[] = [];
  const secrets = new Map<string, string>();
  const configMaps = new Set<string>();
  const serviceAccounts = new Set<string>();
  const namespaces = new Map<string, Labels>();
  const operatorPolicies: OperatorPolicy[] = [];
  for (const n of [...BUILTIN_NAMESPACES, ...externalNamespaces]) namespaces.set(n, { 'kubernetes.io/metadata.name': n });
  for (const s of objects) {
    const o = s.object;
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.set(o.metadata.name ?? '', { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name ?? '' });
  }
  for (const t of podTemplates(objects)) {
    const o = t.source.object;
    const ns = o.metadata.namespace ?? 'default';
    // An injected Istio sidecar adds Envoy's Prometheus port (model/operators/exporter-metrics.ts).
    const sidecar = namespaces.get(ns)?.['istio-injection'] === 'enabled' && t.labels['sidecar.istio.io/inject'] !== 'false'
      ? [{ name: ENVOY_PROMETHEUS_PORT.name, port: ENVOY_PROMETHEUS_PORT.port, protocol: 'TCP' }] : [];
    pods.push({ description: `${o.kind} ${ns}/${o.metadata.name}`, namespace: ns, labels: t.labels, ports: [...workloadPorts(t), ...sidecar], origin: t.source, template: t });
  }
  for (const s of objects) {
    const o = s.object;
    const ns = o.metadata.namespace ?? 'default';
    const id = `${ns}/${o.metadata.name}`;
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.set(o.metadata.name ?? '', { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name ?? '' });
    else if (o.kind === 'Service' && o.apiVersion === 'v1') services.push(serviceOf(s));
    else if (o.kind === 'Secret' && o.apiVersion === 'v1') secrets.set(id, `Secret ${id} in ${s.file}`);
    else if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') configMaps.add(id);
    else if (o.kind === 'ServiceAccount' && o.apiVersion === 'v1') serviceAccounts.add(id);
    else if (o.kind === 'Ingress' && hasIssuer(o)) {
      // cert-manager's ingress-shim creates the TLS Secrets of an annotated Ingress.
      for (const tls of arr((o.spec as Spec | undefined)?.tls as Spec[] | undefined)) if (tls.secretName) secrets.set(`${ns}/${tls.secretName}`, `cert-manager ingress-shim for Ingress ${id}`);
    }
    const d = derivedFrom(s);
    pods.push(...d.pods);
    services.push(...d.services.filter((x) => !services.some((y) => y.namespace === x.namespace && y.name === x.name)));
    for (const sec of d.secrets) if (!secrets.has(sec)) secrets.set(sec, `${o.kind} ${ns}/${o.metadata.name}`);
    operatorPolicies.push(...d.policies);
    for (const sa of d.serviceAccounts) serviceAccounts.add(sa);
  }
  // cert-manager's HTTP-01 solver pods: one per Certificate of an ACME HTTP-01 issuer, while a challenge runs.
  const issuers = objects.map((s) => s.object).filter((o) => o.apiVersion.startsWith('cert-manager.io/') && (o.kind === 'ClusterIssuer' || o.kind === 'Issuer'));
  for (const s of objects.filter((x) => x.object.apiVersion.startsWith('cert-manager.io/') && x.object.kind === 'Certificate')) {
    const solver = acmeSolverPodOf(s.object as never, issuers as never);
    if (!solver || pods.some((p) => p.namespace === solver.namespace && p.description.startsWith('cert-manager HTTP-01 solver'))) continue;
    pods.push({
      description: `cert-manager HTTP-01 solver (Certificate ${solver.namespace}/${s.object.metadata.name}, ${solver.outOfMesh ? 'outside the mesh' : 'sidecar injected'})`,
      namespace: solver.namespace,
      labels: solver.labels,
      ports: [{ name: 'http', port: ACME_SOLVER_PORT, protocol: 'TCP' }],
      origin: s,
    });
  }
  // The NGF control plane (Helm release, outside the output) when the output has an NGF Gateway and creates
  // the control plane's namespace (labelled name=nginx-gateway).
  const cpNamespace = [...namespaces].find(([, l]) => l.name === NGF_CONTROL_PLANE_NAMESPACE_ROLE)?.[0];
  const releases = [...new Set(objects.map((s) => s.object).filter((o) => o.kind === 'Gateway').map((o) => ngfDataPlaneOf(o as unknown as GatewayLike)?.release).filter((r): r is string => !!r))];
  if (cpNamespace) {
    for (const release of releases) {
      pods.push({ description: `NGINX Gateway Fabric control plane (Helm release ${release}, outside the output)`, namespace: cpNamespace, labels: ngfControlPlaneSelector(release), ports: [...NGF_CONTROL_PLANE_PORTS] });
    }
  }
  const usesIstio = objects.some((s) => s.object.apiVersion.split('/')[0].endsWith('.istio.io'));
  const peers = externalPeers(namespaces, objects.some((s) => s.object.kind === 'Prometheus'), usesIstio);
  pods.push(...peers);
  // The namespaces of modelled outside pods exist (istio-system is installed with Istio, not by the output).
  for (const p of peers) if (!namespaces.has(p.namespace)) namespaces.set(p.namespace, { 'kubernetes.io/metadata.name': p.namespace });
  for (const ns of namespaces.keys()) {
    configMaps.add(`${ns}/kube-root-ca.crt`);
    serviceAccounts.add(`${ns}/default`);
  }
  const byName = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));
  return { pods, services, secrets, configMaps, serviceAccounts, namespaces, peers, operatorPolicies, service: (ns, name) => byName.get(`${ns}/${name}`) };
}
