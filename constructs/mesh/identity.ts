/**
 * Istio workload identities (SPIFFE-style principals) as AuthorizationPolicies name them.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */

/** A ServiceAccount somewhere in the mesh. */
export interface MeshIdentity {
  readonly namespace: string;
  /** ServiceAccount name. */
  readonly name: string;
}

/** `<trustDomain>/ns/<namespace>/sa/<serviceAccount>`, e.g. cluster.local/ns/production/sa/finbot-web. */
export function istioPrincipal(trustDomain: string, id: MeshIdentity): string {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(trustDomain)) {
    throw new Error(`istioPrincipal: trust domain "${trustDomain}" is invalid; use e.g. cluster.local`);
  }
  return `${trustDomain}/ns/${id.namespace}/sa/${id.name}`;
}

/** Cluster-local DNS name of a Service: the host Istio routing rules match. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}
