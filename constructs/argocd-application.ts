/**
 * An Argo CD Application that deploys plain YAML from a folder of a Git repository to the local cluster.
 * No deletion finalizer on purpose: deleting the Application object must never cascade into deleting
 * namespaces with databases in them.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#applications
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
 */
import { Construct } from 'constructs';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { IN_CLUSTER_SERVER } from './argocd-project';
import { ModelObject } from './model-object';

/** Sync options of every Application: prune after the rest applied; refuse objects another App owns. */
export const SYNC_OPTIONS = ['PruneLast=true', 'FailOnSharedResource=true'] as const;

/** Props of {@link ArgoApplication}. */
export interface ArgoApplicationProps {
  readonly name: string;
  readonly argocdNamespace: string;
  /** Name of the AppProject; the Application may use only what it allows. */
  readonly project: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  /** Folder in the repository, e.g. dist/production. */
  readonly path: string;
  /** Glob of the files to apply (Argo CD directory.include). @default - every file */
  readonly include?: string;
  /** Glob of the files to skip (Argo CD directory.exclude). @default - none */
  readonly exclude?: string;
  /** Namespace for objects that name none (every object here names one). */
  readonly destinationNamespace: string;
  /** Automated sync with prune and self-heal; false = manual sync. */
  readonly autoSync: boolean;
  /** Labels. @default none */
  readonly labels?: Record<string, string>;
}

/** An Application of plain manifests in a folder, in-cluster destination, retrying failed syncs. */
export class ArgoApplication extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    if (props.path.startsWith('/') || props.path.includes('..')) throw new Error(`ArgoApplication ${props.name}: path "${props.path}" must be relative to the repository root, without ".."`);
    this.name = props.name;
    new ModelObject<IApplication>(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: props.name, namespace: props.argocdNamespace, ...(props.labels ? { labels: props.labels } : {}) },
      spec: {
        project: props.project,
        source: {
          repoURL: props.repoURL,
          targetRevision: props.targetRevision,
          path: props.path,
          directory: {
            recurse: false,
            ...(props.include !== undefined ? { include: props.include } : {}),
            ...(props.exclude !== undefined ? { exclude: props.exclude } : {}),
          },
        },
        destination: { server: IN_CLUSTER_SERVER, namespace: props.destinationNamespace },
        revisionHistoryLimit: 10,
        syncPolicy: {
          ...(props.autoSync ? { automated: { prune: true, selfHeal: true } } : {}),
          syncOptions: [...SYNC_OPTIONS],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
  }
}
