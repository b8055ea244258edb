/**
 * The restricted Pod Security Standard in one place: the pod- and container-level security contexts every
 * workload of this project uses (FinBot apps, operators' CRs, helpers), and the plain resources block.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import type { ContainerResources } from './container-resources';

/** Pod-level security context: non-root as `user`, RuntimeDefault seccomp. */
export interface RestrictedPodSecurityContext {
  readonly runAsNonRoot: true;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup?: number;
  readonly seccompProfile: { readonly type: 'RuntimeDefault' };
}

/**
 * The pod security context of the restricted standard.
 * @param user uid the containers run as (never 0)
 * @param group gid (@default the uid)
 * @param fsGroup group owning mounted volumes, or `null` for none (@default the gid)
 */
export function restrictedPodSecurityContext(user: number, group: number = user, fsGroup: number | null = group): RestrictedPodSecurityContext {
  if (user === 0) throw new Error('restrictedPodSecurityContext: user 0 is root; the restricted standard needs a non-root uid');
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    ...(fsGroup !== null ? { fsGroup } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context: no escalation, read-only root filesystem, every capability dropped. */
export function restrictedContainerSecurityContext() {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

/** Requests and limits as a plain object (for CRDs that embed a core ResourceRequirements). */
export function plainResources(r: ContainerResources) {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory },
    limits: { cpu: r.limits.cpu, memory: r.limits.memory },
  };
}
