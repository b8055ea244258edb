/**
 * Argo CD, the consumer of dist/: what the root Application (in argocd-admin.yaml, owned by a cluster admin)
 * keeps in step with Git — the workloads Application `finbot-<env>-workloads` (project `finbot-<env>`), which
 * applies every other file of dist/<env>. One Application on purpose: sync waves and the PostSync smoke test
 * order objects only within one Application, and Namespaces (platform.yaml) must come before everything in
 * the other files.
 *
 * This file may hold Applications only: the root project (`finbot-<env>-gitops`) admits no other kind, so a
 * change here can never create or widen a project (see charts/argocd-admin-chart.ts).
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { ArgoApplication } from '../constructs/argocd-application';
import { labels } from '../constructs/labels';

/** Output file name of this chart (without .yaml); the workloads Application skips it. */
export const GITOPS_FILE = 'gitops';
/** Output file of the admin-owned Argo CD objects (charts/argocd-admin-chart.ts); no Application applies it. */
export const ARGOCD_ADMIN_FILE = 'argocd-admin';

/** Names of an environment's Argo CD objects. */
export function argoNames(env: string): { root: string; workloads: string; project: string; rootProject: string } {
  return { root: `finbot-${env}`, workloads: `finbot-${env}-workloads`, project: `finbot-${env}`, rootProject: `finbot-${env}-gitops` };
}

/** Props of {@link GitopsChart}. */
export interface GitopsChartProps {
  readonly settings: Settings;
  /**
   * Charts written to dist/<env>/ that are applied to another cluster (the DR region's `data-dr`): left out
   * of the workloads Application.
   * @default none
   */
  readonly elsewhere?: readonly Chart[];
}

/** The workloads Application of one environment. */
export class GitopsChart extends Chart {
  readonly workloads: ArgoApplication;
  /** Files of dist/<env> the workloads Application does not apply. */
  readonly excludedFiles: readonly string[];

  constructor(scope: Construct, id: string, props: GitopsChartProps) {
    super(scope, id);
    const { settings } = props;
    const env = settings.name;
    const g = settings.gitops;
    const names = argoNames(env);
    this.excludedFiles = [GITOPS_FILE, ARGOCD_ADMIN_FILE, ...(props.elsewhere ?? []).map((c) => c.node.id)].map((f) => `${f}.yaml`);
    this.workloads = new ArgoApplication(this, 'Workloads', {
      argocdNamespace: g.argocdNamespace,
      repoURL: g.repoURL,
      targetRevision: g.targetRevision,
      path: `dist/${env}`,
      autoSync: g.autoSync,
      name: names.workloads,
      labels: labels({ name: names.workloads, component: 'gitops', environment: env }),
      project: names.project,
      // Argo CD's directory exclude takes a glob: {a,b} for several files.
      exclude: `{${this.excludedFiles.join(',')}}`,
      destinationNamespace: settings.platform.namespaces.app,
    });
  }
}
