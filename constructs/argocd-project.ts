/**
 * A least-privilege Argo CD AppProject: one source repository, an explicit list of destination namespaces
 * in the local cluster, and explicit white lists of the kinds it may create.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
import { Construct } from 'constructs';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { GroupKind } from '../model/project-scope';
import { ModelObject } from './model-object';

/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Props of {@link ArgoProject}. */
export interface ArgoProjectProps {
  /** Project name. */
  readonly name: string;
  /** Namespace Argo CD runs in. */
  readonly argocdNamespace: string;
  /** The one repository Applications of the project may use. */
  readonly repoURL: string;
  /** Namespaces (in the local cluster) the project may deploy to. */
  readonly namespaces: readonly string[];
  /** Cluster-scoped kinds it may create; empty = none. */
  readonly clusterResources: readonly GroupKind[];
  /** Namespaced kinds it may create; must not be empty (an empty list would allow every kind). */
  readonly namespacedResources: readonly GroupKind[];
  /** One line for the Argo CD UI. */
  readonly description: string;
  /** Labels. @default none */
  readonly labels?: Record<string, string>;
  /** Warn about objects in the destination namespaces that are not in Git. @default true */
  readonly warnOrphans?: boolean;
}

/** An AppProject restricted to one repository, the given namespaces and the given kinds. */
export class ArgoProject extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoProjectProps) {
    super(scope, id);
    if (props.namespaces.length === 0) throw new Error(`ArgoProject ${props.name}: namespaces is empty; give the namespaces its Applications deploy to`);
    if (props.namespacedResources.length === 0) {
      throw new Error(`ArgoProject ${props.name}: namespacedResources is empty, which Argo CD reads as "every namespaced kind"; list the kinds`);
    }
    if (props.namespaces.includes('*') || props.repoURL.includes('*')) throw new Error(`ArgoProject ${props.name}: wildcards are not allowed in namespaces or repoURL`);
    this.name = props.name;
    new ModelObject(this, 'Resource', new AppProject({
      metadata: { name: props.name, namespace: props.argocdNamespace, ...(props.labels ? { labels: props.labels } : {}) },
      spec: {
        description: props.description,
        sourceRepos: [props.repoURL],
        destinations: [...props.namespaces].sort().map((namespace) => ({ server: IN_CLUSTER_SERVER, namespace })),
        clusterResourceWhitelist: props.clusterResources.map((g) => ({ group: g.group, kind: g.kind })),
        namespaceResourceWhitelist: props.namespacedResources.map((g) => ({ group: g.group, kind: g.kind })),
        ...((props.warnOrphans ?? true) ? { orphanedResources: { warn: true } } : {}),
      },
    }));
  }
}
