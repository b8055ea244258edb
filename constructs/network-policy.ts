/**
 * NetworkPolicy building blocks: a default-deny policy and an allow-list policy whose peers are given as
 * namespaces/pod labels and ports. Keeps every policy in the output in one readable shape.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { KubeNetworkPolicy } from './kube-objects';

/** One side of a connection: pods (by labels) in namespaces (by labels). */
export interface PolicyPeer {
  /** Namespace labels; omitted = the policy's own namespace. */
  readonly namespaceLabels?: Record<string, string>;
  /** Pod labels; omitted = every pod of the selected namespace(s). */
  readonly podLabels?: Record<string, string>;
  /**
   * An IP range instead of pods (e.g. `0.0.0.0/0` for the internet); cannot be combined with labels.
   * @default - none (the peer is pods)
   */
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

/** A port of a rule. */
export interface PolicyPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** A rule: these peers on these ports. */
export interface PolicyRule {
  readonly peers: readonly PolicyPeer[];
  readonly ports: readonly PolicyPort[];
}

/** Props of {@link AllowPolicy}. */
export interface AllowPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Pods the policy applies to; `{}` = all pods in the namespace. */
  readonly podLabels: Record<string, string>;
  /** Allowed inbound connections. @default none (the policy then only governs egress) */
  readonly ingress?: readonly PolicyRule[];
  /** Allowed outbound connections. @default none (the policy then only governs ingress) */
  readonly egress?: readonly PolicyRule[];
  /** Labels of the policy object. @default none */
  readonly labels?: Record<string, string>;
  /** Annotations of the policy object (e.g. a validation exemption with its reason). @default none */
  readonly annotations?: Record<string, string>;
}

function peer(p: PolicyPeer): k8s.NetworkPolicyPeer {
  if (p.ipBlock) {
    if (p.namespaceLabels || p.podLabels) throw new Error(`a NetworkPolicy peer is either an ipBlock (${p.ipBlock.cidr}) or pods/namespaces by labels, not both`);
    return { ipBlock: { cidr: p.ipBlock.cidr, ...(p.ipBlock.except?.length ? { except: [...p.ipBlock.except] } : {}) } };
  }
  return {
    ...(p.namespaceLabels ? { namespaceSelector: { matchLabels: p.namespaceLabels } } : {}),
    ...(p.podLabels || !p.namespaceLabels ? { podSelector: { matchLabels: p.podLabels ?? {} } } : {}),
  };
}

function rule(r: PolicyRule): { peers: k8s.NetworkPolicyPeer[]; ports: k8s.NetworkPolicyPort[] } {
  if (r.ports.length === 0) throw new Error('a NetworkPolicy rule needs at least one port: allowing every port is never intended here');
  return {
    peers: r.peers.map(peer),
    ports: r.ports.map((p) => ({ protocol: p.protocol ?? 'TCP', port: k8s.IntOrString.fromNumber(p.port) })),
  };
}

/** A NetworkPolicy that allows exactly the listed connections of the selected pods. */
export class AllowPolicy extends Construct {
  readonly resource: k8s.KubeNetworkPolicy;
  readonly props: AllowPolicyProps;

  constructor(scope: Construct, id: string, props: AllowPolicyProps) {
    super(scope, id);
    if (!props.ingress?.length && !props.egress?.length) {
      throw new Error(`NetworkPolicy ${props.name}: give at least one ingress or egress rule (use DefaultDenyPolicy to deny all)`);
    }
    this.props = props;
    const types = [...(props.ingress?.length ? ['Ingress'] : []), ...(props.egress?.length ? ['Egress'] : [])];
    this.resource = new KubeNetworkPolicy(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: props.labels } : {}),
        ...(props.annotations ? { annotations: props.annotations } : {}),
      },
      spec: {
        podSelector: { matchLabels: props.podLabels },
        policyTypes: types,
        ...(props.ingress?.length ? { ingress: props.ingress.map(rule).map((r) => ({ from: r.peers, ports: r.ports })) } : {}),
        ...(props.egress?.length ? { egress: props.egress.map(rule).map((r) => ({ to: r.peers, ports: r.ports })) } : {}),
      },
    });
  }
}

/** Props of {@link DefaultDenyPolicy}. */
export interface DefaultDenyPolicyProps {
  readonly namespace: string;
  /** @default 'default-deny-all' */
  readonly name?: string;
}

/** Denies all ingress and egress of every pod in a namespace; AllowPolicies then open what is needed. */
export class DefaultDenyPolicy extends Construct {
  readonly resource: k8s.KubeNetworkPolicy;
  constructor(scope: Construct, id: string, props: DefaultDenyPolicyProps) {
    super(scope, id);
    this.resource = new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name ?? 'default-deny-all', namespace: props.namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
  }
}

/** Cluster DNS (CoreDNS/kube-dns in kube-system): every namespace with default-deny needs egress to it. */
export const CLUSTER_DNS_PEER: PolicyPeer = {
  namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
  podLabels: { 'k8s-app': 'kube-dns' },
};

/** The DNS ports (UDP and TCP 53). */
export const DNS_PORTS: readonly PolicyPort[] = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];

/** Props of {@link ScraperEgressPolicies}. */
export interface ScraperEgressPoliciesProps {
  /** Name of the scraped component; policies are `allow-egress-to-<name>[-i]`. */
  readonly name: string;
  /** Namespace of the scraped component (and of the scrapers the policies are made for). */
  readonly namespace: string;
  /** Who scrapes; only peers in the same namespace (pod labels, no namespace labels) get a policy. */
  readonly scrapers: readonly PolicyPeer[];
  /** Pod labels of the scraped component. */
  readonly targetPodLabels: Record<string, string>;
  /** The metrics port scraped. */
  readonly port: number;
  /** Labels of the policy objects. @default none */
  readonly labels?: Record<string, string>;
}

/**
 * Egress policies for the scrapers of a component in the same namespace: the namespace may deny egress by
 * default (monitoring does), so admitting the scrapers on the component's side alone is not enough.
 */
export class ScraperEgressPolicies extends Construct {
  readonly policies: readonly AllowPolicy[];
  constructor(scope: Construct, id: string, props: ScraperEgressPoliciesProps) {
    super(scope, id);
    const out: AllowPolicy[] = [];
    props.scrapers.forEach((scraper, i) => {
      if (scraper.namespaceLabels || !scraper.podLabels) return;
      out.push(new AllowPolicy(this, `ScraperEgress${i}`, {
        name: `allow-egress-to-${props.name}${i === 0 ? '' : `-${i}`}`,
        namespace: props.namespace,
        podLabels: scraper.podLabels,
        ...(props.labels ? { labels: props.labels } : {}),
        egress: [{ peers: [{ podLabels: props.targetPodLabels }], ports: [{ port: props.port }] }],
      }));
    });
    this.policies = out;
  }
}
