/**
 * A namespace with Pod Security Standards labels, the `name` label the design document's NetworkPolicies
 * select on, and the environment label that keeps one environment's policies from matching another's.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { ENVIRONMENT_LABEL } from './labels';
import { KubeNamespace } from './kube-objects';

/** Pod Security Standards levels. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Props of {@link FinbotNamespace}. */
export interface FinbotNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /**
   * Value of the `name` label that NetworkPolicies select (e.g. `database` for the Postgres namespace).
   * @default the namespace name
   */
  readonly role?: string;
  /** Environment the namespace belongs to. */
  readonly environment: string;
  /**
   * Level enforced by Pod Security admission; audit and warn are always `restricted`, so anything below
   * it is reported.
   * @default 'restricted'
   */
  readonly enforce?: PodSecurityLevel;
  /** Label the namespace for Istio sidecar injection. @default false */
  readonly istioInjection?: boolean;
}

/** A namespace the environment owns. */
export class FinbotNamespace extends Construct {
  /** Namespace name. */
  readonly name: string;
  /** Every label the namespace carries (policies select on a subset of them). */
  readonly labels: Record<string, string>;
  /** The labels a NetworkPolicy namespaceSelector should use to pick exactly this namespace. */
  readonly selectorLabels: Record<string, string>;
  readonly resource: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: FinbotNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const role = props.role ?? props.name;
    this.selectorLabels = { name: role, [ENVIRONMENT_LABEL]: props.environment };
    this.labels = {
      ...this.selectorLabels,
      'pod-security.kubernetes.io/enforce': props.enforce ?? 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      ...(props.istioInjection ? { 'istio-injection': 'enabled' } : {}),
    };
    this.resource = new KubeNamespace(this, 'Resource', { metadata: { name: props.name, labels: this.labels } });
  }
}
