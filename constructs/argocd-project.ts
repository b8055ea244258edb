/**
 * A least-privilege Argo CD AppProject: one source repository, an explicit list of destination namespaces
 * in the local cluster, and explicit white lists of the kinds it may create.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
import { Construct } from 'constructs';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { GroupKind } from '../model/project-scope';

/** A cluster-scoped kind, optionally restricted to one object name (Argo CD ≥ 3.x `clusterResourceWhitelist[].name`). */
export interface ClusterResource extends GroupKind {
  /** Only this object (a glob in Argo CD; here always a plain name). @default - every object of the kind */
  readonly name?: string;
}

/**
 * A sync window.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/
 */
export interface SyncWindow {
  /** allow: syncs only inside; deny: no syncs inside. */
  readonly kind: 'allow' | 'deny';
  /** Cron schedule of the window's start. */
  readonly schedule: string;
  /** Length, e.g. 8h. */
  readonly duration: string;
  /** Applications it applies to (globs). */
  readonly applications: readonly string[];
  /** Whether a person may still sync by hand when the window blocks automated syncs. @default false */
  readonly manualSync?: boolean;
  /** IANA time zone of the schedule. @default UTC */
  readonly timeZone?: string;
}

/**
 * A project role: groups of the SSO provider and what they may do with the project's Applications.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#project-roles
 */
export interface ProjectRole {
  readonly name: string;
  readonly description: string;
  /** SSO groups (the `groups` claim) that hold the role. */
  readonly groups: readonly string[];
  /** Actions on the project's Applications, e.g. get, sync. */
  readonly actions: readonly string[];
}
import { ModelObject } from './model-object';

/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Props of {@link ArgoProject}. */
export interface ArgoProjectProps {
  /** Project name. */
  readonly name: string;
  /** Namespace Argo CD runs in. */
  readonly argocdNamespace: string;
  /** The repository Applications of the project use for dist/. */
  readonly repoURL: string;
  /**
   * Further sources the project's Applications may use: the Helm repositories of the charts an Application of
   * the output installs (vault-helm).
   * @default none
   */
  readonly chartRepos?: readonly string[];
  /** Namespaces (in the local cluster) the project may deploy to. */
  readonly namespaces: readonly string[];
  /** Cluster-scoped kinds (or single objects, with `name`) it may create; empty = none. */
  readonly clusterResources: readonly ClusterResource[];
  /** Namespaced kinds it may create; must not be empty (an empty list would allow every kind). */
  readonly namespacedResources: readonly GroupKind[];
  /** One line for the Argo CD UI. */
  readonly description: string;
  /** Labels. @default none */
  readonly labels?: Record<string, string>;
  /** Warn about objects in the destination namespaces that are not in Git. @default true */
  readonly warnOrphans?: boolean;
  /** When its Applications may sync. @default none (any time) */
  readonly syncWindows?: readonly SyncWindow[];
  /** Project roles. @default none */
  readonly roles?: readonly ProjectRole[];
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
    for (const r of props.roles ?? []) {
      if (r.groups.length === 0) throw new Error(`ArgoProject ${props.name}: role ${r.name} has no groups; give the SSO groups that hold it`);
      const bad = r.actions.filter((a) => !/^(get|sync|action\/\*|override|delete|update|create)$/.test(a));
      if (bad.length > 0) throw new Error(`ArgoProject ${props.name}: role ${r.name} has unknown actions ${bad.join(', ')}; use get, sync, override, update, delete, create or action/*`);
    }
    this.name = props.name;
    new ModelObject<IAppProject>(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: props.name, namespace: props.argocdNamespace, ...(props.labels ? { labels: props.labels } : {}) },
      spec: {
        description: props.description,
        sourceRepos: [props.repoURL, ...[...new Set(props.chartRepos ?? [])].sort()],
        destinations: [...props.namespaces].sort().map((namespace) => ({ server: IN_CLUSTER_SERVER, namespace })),
        clusterResourceWhitelist: props.clusterResources.map((g) => ({ group: g.group, kind: g.kind, ...(g.name !== undefined ? { name: g.name } : {}) })) as any,
        namespaceResourceWhitelist: props.namespacedResources.map((g) => ({ group: g.group, kind: g.kind })),
        ...((props.warnOrphans ?? true) ? { orphanedResources: { warn: true } } : {}),
        ...(props.syncWindows && props.syncWindows.length > 0
          ? { syncWindows: props.syncWindows.map((w) => ({ kind: w.kind, schedule: w.schedule, duration: w.duration, applications: [...w.applications], manualSync: w.manualSync ?? false, timeZone: w.timeZone ?? 'UTC' })) }
          : {}),
        ...(props.roles && props.roles.length > 0
          ? {
              roles: props.roles.map((r) => ({
                name: r.name,
                description: r.description,
                groups: [...r.groups],
                policies: r.actions.map((a) => `p, proj:${props.name}:${r.name}, applications, ${a}, ${props.name}/*, allow`),
              })),
            }
          : {}),
      },
    });
  }
}

/**
 * Argo CD's `default` project, locked: no source repository, no destination, no kind. Every Application must
 * then name one of the admin-owned projects; one that names `default` (e.g. an Application a repository writer
 * adds) can deploy nothing.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#the-default-project
 */
export class LockedDefaultProject extends Construct {
  constructor(scope: Construct, id: string, props: { readonly argocdNamespace: string; readonly labels?: Record<string, string> }) {
    super(scope, id);
    new ModelObject<IAppProject>(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: props.argocdNamespace, ...(props.labels ? { labels: props.labels } : {}) },
      spec: {
        description: 'Locked: Applications must use an admin-owned project',
        sourceRepos: [],
        destinations: [],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [],
      },
    });
  }
}
