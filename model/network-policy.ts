/**
 * A small NetworkPolicy evaluator: is a connection from one pod to a port of another allowed by the
 * NetworkPolicies of the output? Implements the Kubernetes semantics: a pod is isolated for a direction when
 * a policy of its namespace selects it and has that policy type; then a connection needs a rule of such a
 * policy whose peers and ports match; both the source's egress and the destination's ingress must allow it.
 *
 * Approximations (documented in docs/validation.md): `ipBlock` peers never match pods (pod IPs are unknown
 * offline), so traffic between pods must be allowed by pod/namespace selectors.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { arr } from './shape';
import type { PodPort } from './cluster-model';
import { matchesSelector, type LabelSelector, type Labels } from './selectors';
import type { SourcedObject } from './kube-object';

/** One end of a connection. */
export interface Endpoint {
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  readonly podLabels: Labels;
  /** Container ports (to resolve named ports of policies), for destinations. */
  readonly ports?: readonly PodPort[];
}

/** A destination port. */
export interface TargetPort {
  readonly port: number;
  readonly protocol: string;
}

interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: unknown;
}

interface PolicyPort {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: string;
}

interface PolicyRule {
  readonly peers?: readonly PolicyPeer[];
  readonly ports?: readonly PolicyPort[];
}

/** A NetworkPolicy reduced to what evaluation needs. */
export interface Policy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly types: ReadonlySet<'Ingress' | 'Egress'>;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly source?: SourcedObject;
}

/** The verdict for one direction. */
export interface DirectionVerdict {
  readonly allowed: boolean;
  /** Names of the policies that isolate the pod in this direction (empty: not isolated). */
  readonly isolatedBy: readonly string[];
  /** The policy whose rule allows the connection. */
  readonly allowedBy?: string;
}

/** The verdict for a connection. */
export interface Verdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

type Spec = Record<string, any>;

/** The NetworkPolicies (networking.k8s.io/v1) of the output. */
export function policiesOf(objects: readonly SourcedObject[]): Policy[] {
  return objects
    .filter((s) => s.object.kind === 'NetworkPolicy' && s.object.apiVersion === 'networking.k8s.io/v1')
    .map((s) => {
      const spec = (s.object.spec ?? {}) as Spec;
      const declared = spec.policyTypes as string[] | undefined;
      const types = new Set<'Ingress' | 'Egress'>((declared ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])]) as Array<'Ingress' | 'Egress'>);
      const rules = (list: Spec[] | undefined, key: 'from' | 'to'): PolicyRule[] => arr(list).map((r) => ({ peers: r[key], ports: r.ports }));
      return {
        name: s.object.metadata.name ?? '',
        namespace: s.object.metadata.namespace ?? 'default',
        podSelector: spec.podSelector ?? {},
        types,
        ingress: rules(spec.ingress, 'from'),
        egress: rules(spec.egress, 'to'),
        source: s,
      };
    });
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) return false;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const nsOk = peer.namespaceSelector ? matchesSelector(peer.namespaceSelector, other.namespaceLabels) : other.namespace === policyNamespace;
  const podOk = peer.podSelector ? matchesSelector(peer.podSelector, other.podLabels) : true;
  return nsOk && podOk;
}

function portMatches(p: PolicyPort, target: TargetPort, dst: Endpoint): boolean {
  if ((p.protocol ?? 'TCP') !== target.protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') return p.endPort !== undefined ? target.port >= p.port && target.port <= p.endPort : p.port === target.port;
  return arr(dst.ports).some((x) => x.name === p.port && x.port === target.port && x.protocol === target.protocol);
}

function ruleAllows(rule: PolicyRule, policyNamespace: string, other: Endpoint, target: TargetPort, dst: Endpoint): boolean {
  const peersOk = !rule.peers || rule.peers.length === 0 || rule.peers.some((peer) => peerMatches(peer, policyNamespace, other));
  const portsOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, target, dst));
  return peersOk && portsOk;
}

/**
 * Per list of policies (never changed once made: `readonly`): its policies by namespace, and per pod's labels
 * the policies isolating it, by namespace and direction. A connection check asks this for every pair of pods
 * it looks at; with hundreds of services, filtering every policy each time was most of the reachability rule.
 */
interface PolicyIndex {
  readonly byNamespace: Map<string, Policy[]>;
  readonly isolating: WeakMap<Labels, Map<string, Policy[]>>;
}
const indexes = new WeakMap<readonly Policy[], PolicyIndex>();

/** The policies of `self`'s namespace that select it and have policy type `type`. */
function isolatingPolicies(policies: readonly Policy[], type: 'Ingress' | 'Egress', self: Endpoint): Policy[] {
  let index = indexes.get(policies);
  if (!index) {
    const byNamespace = new Map<string, Policy[]>();
    for (const p of policies) {
      const inNamespace = byNamespace.get(p.namespace);
      if (inNamespace) inNamespace.push(p);
      else byNamespace.set(p.namespace, [p]);
    }
    index = { byNamespace, isolating: new WeakMap() };
    indexes.set(policies, index);
  }
  let ofPod = index.isolating.get(self.podLabels);
  if (!ofPod) index.isolating.set(self.podLabels, (ofPod = new Map()));
  const key = `${type} ${self.namespace}`;
  let found = ofPod.get(key);
  if (!found) {
    found = (index.byNamespace.get(self.namespace) ?? []).filter((p) => p.types.has(type) && matchesSelector(p.podSelector, self.podLabels));
    ofPod.set(key, found);
  }
  return found;
}

function direction(policies: readonly Policy[], type: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, target: TargetPort, dst: Endpoint): DirectionVerdict {
  const isolating = isolatingPolicies(policies, type, self);
  if (isolating.length === 0) return { allowed: true, isolatedBy: [] };
  for (const p of isolating) {
    for (const r of type === 'Ingress' ? p.ingress : p.egress) {
      if (ruleAllows(r, p.namespace, other, target, dst)) return { allowed: true, isolatedBy: isolating.map((x) => x.name), allowedBy: p.name };
    }
  }
  return { allowed: false, isolatedBy: isolating.map((x) => x.name) };
}

/** Evaluates a connection from `src` to `dst` on `target` under `policies`. */
export function evaluate(policies: readonly Policy[], src: Endpoint, dst: Endpoint, target: TargetPort): Verdict {
  const egress = direction(policies, 'Egress', src, dst, target, dst);
  const ingress = direction(policies, 'Ingress', dst, src, target, dst);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}
