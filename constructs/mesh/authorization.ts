/**
 * Istio authorization: deny by default in a namespace, then allow named identities to named ports.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
 */
import { Construct } from 'constructs';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { ModelObject } from '../model-object';

/** Props of {@link AllowNothingPolicy}. */
export interface AllowNothingPolicyProps {
  readonly namespace: string;
  /** @default 'allow-nothing' */
  readonly name?: string;
}

/** An ALLOW policy without rules for the whole namespace: nothing is allowed until another policy says so. */
export class AllowNothingPolicy extends Construct {
  readonly resource: ModelObject;
  constructor(scope: Construct, id: string, props: AllowNothingPolicyProps) {
    super(scope, id);
    this.resource = new ModelObject<IAuthorizationPolicy>(this, 'Resource', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: props.name ?? 'allow-nothing', namespace: props.namespace },
      spec: {},
    });
  }
}

/** Props of {@link AllowPortsPolicy}. */
export interface AllowPortsPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Pods the policy protects. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Ports (container ports) that may be reached. */
  readonly ports: readonly number[];
  /**
   * Principals (`<trustDomain>/ns/<ns>/sa/<sa>`) allowed in; `undefined` = any source, which is only meant
   * for plain-text ports (no identity to check) whose sources NetworkPolicies restrict.
   */
  readonly principals: readonly string[] | undefined;
}

/** ALLOW the listed principals (or anyone) to the listed ports of the selected pods. */
export class AllowPortsPolicy extends Construct {
  readonly resource: ModelObject;
  constructor(scope: Construct, id: string, props: AllowPortsPolicyProps) {
    super(scope, id);
    if (props.ports.length === 0) throw new Error(`AuthorizationPolicy ${props.name}: ports is empty; name the ports to allow`);
    if (props.principals !== undefined && props.principals.length === 0) {
      throw new Error(`AuthorizationPolicy ${props.name}: principals is empty, which allows nobody; leave it out only for plain-text ports`);
    }
    if (Object.keys(props.podLabels).length === 0) {
      throw new Error(`AuthorizationPolicy ${props.name}: podLabels is empty; select the pods to protect`);
    }
    const to = [{ operation: { ports: [...new Set(props.ports)].sort((a, b) => a - b).map(String) } }];
    this.resource = new ModelObject<IAuthorizationPolicy>(this, 'Resource', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        selector: { matchLabels: { ...props.podLabels } },
        action: 'ALLOW',
        rules: [{ ...(props.principals ? { from: [{ source: { principals: [...props.principals].sort() } }] } : {}), to }],
      },
    });
  }
}
