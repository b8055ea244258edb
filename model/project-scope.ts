/**
 * What an Argo CD project must allow so that it can apply a given set of objects, and nothing more: the
 * cluster-scoped kinds, the namespaced kinds and the namespaces the objects use.
 */
import type { KubeObject } from '../model/kube-object';

/**
 * Kinds that exist only at cluster scope and may appear in dist/ (`<group>/<Kind>`, core group: `<Kind>`).
 * An object without a namespace whose kind is not listed is an error (a namespaced object that forgot its
 * namespace would otherwise widen the project).
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'PersistentVolume',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'cert-manager.io/ClusterIssuer',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ClusterExternalSecret',
  'gateway.networking.k8s.io/GatewayClass',
  'snapshot.storage.k8s.io/VolumeSnapshotClass',
]);

/** An API group and kind, as Argo CD's resource white lists take them (core group: ""). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A cluster-scoped object by group, kind and name, as Argo CD v3.5.1's `clusterResourceWhitelist` takes it. */
export interface GroupKindName extends GroupKind {
  readonly name: string;
}

/** The scope a project needs for a set of objects (each list sorted, without duplicates). */
export interface ProjectScope {
  readonly clusterResources: GroupKind[];
  /**
   * Every cluster-scoped object by name: Argo CD v3.5.1 matches `clusterResourceWhitelist` entries by name too
   * (pkg/apis/application/v1alpha1/types.go `ClusterResourceRestrictionItem.Name`, app_project_types.go
   * `IsGroupKindNamePermitted`), so a project can allow exactly these objects and no other of their kinds.
   */
  readonly clusterObjects: GroupKindName[];
  readonly namespacedResources: GroupKind[];
  readonly namespaces: string[];
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function key(g: GroupKind): string {
  return g.group ? `${g.group}/${g.kind}` : g.kind;
}

function sortedUnique(items: GroupKind[]): GroupKind[] {
  const byKey = new Map(items.map((g) => [key(g), g]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/** Derives the project scope of objects; throws when an object without namespace is not cluster-scoped. */
export function projectScope(objects: readonly KubeObject[]): ProjectScope {
  const cluster: GroupKind[] = [];
  const clusterObjects: GroupKindName[] = [];
  const namespaced: GroupKind[] = [];
  const namespaces = new Set<string>();
  for (const o of objects) {
    const gk = { group: groupOf(o.apiVersion), kind: o.kind };
    const ns = o.metadata.namespace;
    if (ns === undefined) {
      if (!CLUSTER_SCOPED_KINDS.has(key(gk))) {
        throw new Error(`${o.kind} ${o.metadata.name ?? '?'} has no namespace and is not a known cluster-scoped kind: set metadata.namespace, or add "${key(gk)}" to CLUSTER_SCOPED_KINDS in model/project-scope.ts if it really is cluster-scoped`);
      }
      cluster.push(gk);
      clusterObjects.push({ ...gk, name: o.metadata.name ?? '' });
      // A namespace the objects create is one the project deploys to, even before anything is in it.
      if (key(gk) === 'Namespace' && o.metadata.name) namespaces.add(o.metadata.name);
    } else {
      namespaced.push(gk);
      namespaces.add(ns);
    }
  }
  const byName = new Map(clusterObjects.map((g) => [`${key(g)}/${g.name}`, g]));
  const namedSorted = [...byName.keys()].sort().map((k) => byName.get(k)!);
  return { clusterResources: sortedUnique(cluster), clusterObjects: namedSorted, namespacedResources: sortedUnique(namespaced), namespaces: [...namespaces].sort() };
}
