/**
 * dist/<env>/argocd-admin.yaml: the Argo CD objects that decide what the repository may do to the cluster.
 * **No Application applies this file**: a cluster admin applies it after reviewing it
 * (`kubectl apply --server-side --field-manager=finbot-admin -f dist/<env>/argocd-admin.yaml`), so write access
 * to the repository is not cluster-admin (issue #20 item 16, #19).
 *
 * - `finbot-<env>` (workloads project): this repository only; the namespaces the output uses; the namespaced
 *   kinds the output contains; cluster-scoped objects **by name** (Argo CD v3.5.1 matches whitelist entries by
 *   name), so the repository can change the rules of its ClusterRoles but never create a new cluster-scoped
 *   object or a binding to `cluster-admin`; sync windows and project roles from the settings.
 * - `finbot-<env>-gitops` (root project): Applications in the argocd namespace only — no AppProject.
 * - `default`, locked: an Application that names no admin-owned project deploys nothing.
 * - the root Application `finbot-<env>`: applies gitops.yaml (the workloads Application).
 * - `argocd-cm` keys: the health customisations the output needs (model/argocd-health-customizations.ts).
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { ArgoApplication } from '../constructs/argocd-application';
import { ArgoProject, LockedDefaultProject } from '../constructs/argocd-project';
import { labels } from '../constructs/labels';
import { KubeConfigMap } from '../constructs/kube-objects';
import { HEALTH_CUSTOMIZATIONS } from '../model/argocd-health-customizations';
import type { KubeObject } from '../model/kube-object';
import { healthCustomizationKey, KEEP_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../model/operators/argocd';
import { isVaultHelmSource, VAULT_HELM_CHART, vaultHelmObjects } from '../model/operators/vault';
import { projectScope, type ProjectScope } from '../model/project-scope';
import { ARGOCD_ADMIN_FILE, argoNames, GITOPS_FILE, type GitopsChart } from './gitops-chart';

/** Props of {@link ArgoAdminChart}. */
export interface ArgoAdminChartProps {
  readonly settings: Settings;
  /** The gitops chart (what the root Application applies). */
  readonly gitops: GitopsChart;
  /** Every chart the workloads Application applies: their objects make up the workloads project. */
  readonly sources: readonly Chart[];
  /** Charts applied to another cluster (see GitopsChartProps.elsewhere). @default none */
  readonly elsewhere?: readonly Chart[];
}

/**
 * What the project scope needs of each object of the charts (group, kind, namespace, name), read from the
 * ApiObjects directly: rendering every object to JSON here would double the cost of synth.
 */
function objectsOf(charts: readonly Chart[]): KubeObject[] {
  return charts.flatMap((c) => c.node.findAll().filter((o): o is ApiObject => o instanceof ApiObject).flatMap((o) => [
    {
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.name, ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}) },
    },
    // An Application of vault-helm: what the chart renders is synced under the same project.
    ...vaultChartObjectsOf(o),
  ]));
}

/** The objects vault-helm renders for an Application of it (model/operators/vault.ts), else none. */
function vaultChartObjectsOf(o: ApiObject): KubeObject[] {
  if (o.kind !== 'Application' || !o.apiVersion.startsWith('argoproj.io/')) return [];
  const spec = (o.toJson() as { spec?: { source?: { repoURL?: string; chart?: string; helm?: { releaseName?: string } }; destination?: { namespace?: string } } }).spec;
  if (!isVaultHelmSource(spec?.source) || !spec?.destination?.namespace) return [];
  return vaultHelmObjects(spec.source!.helm?.releaseName ?? VAULT_HELM_CHART, spec.destination.namespace).map((x) => ({ ...x, metadata: { ...x.metadata } }));
}

/** The admin-owned Argo CD objects of one environment. */
export class ArgoAdminChart extends Chart {
  /** What the workloads project allows. */
  readonly scope: ProjectScope;
  readonly project: ArgoProject;
  readonly rootProject: ArgoProject;
  readonly root: ArgoApplication;

  constructor(scope: Construct, id: string, props: ArgoAdminChartProps) {
    super(scope, id);
    const { settings } = props;
    const env = settings.name;
    const g = settings.gitops;
    const names = argoNames(env);
    const path = `dist/${env}`;
    const common = { argocdNamespace: g.argocdNamespace, repoURL: g.repoURL };
    const objectLabels = (name: string) => labels({ name, component: 'gitops', environment: env });
    const elsewhere = props.elsewhere ?? [];
    const sources = props.sources.filter((c) => !elsewhere.includes(c) && c !== props.gitops);

    this.scope = projectScope(objectsOf(sources));
    this.project = new ArgoProject(this, 'Project', {
      ...common,
      name: names.project,
      description: `FinBot ${env}: ${path} except ${props.gitops.excludedFiles.join(', ')}`,
      namespaces: this.scope.namespaces,
      clusterResources: this.scope.clusterObjects,
      namespacedResources: this.scope.namespacedResources,
      labels: objectLabels(names.project),
      // Helm charts an Application of the output installs (vault-helm): their repositories, read from the objects.
      chartRepos: sources.flatMap((c) => c.node.findAll())
        .filter((o): o is ApiObject => o instanceof ApiObject && o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/'))
        .map((o) => (o.toJson() as { spec?: { source?: { chart?: string; repoURL?: string } } }).spec?.source)
        .filter((src): src is { chart: string; repoURL: string } => src?.chart !== undefined && src.repoURL !== undefined)
        .map((src) => src.repoURL),
      syncWindows: g.syncWindows.map((w) => ({ ...w, applications: [names.workloads] })),
      roles: g.projectRoles,
    });
    this.rootProject = new ArgoProject(this, 'RootProject', {
      ...common,
      name: names.rootProject,
      description: `FinBot ${env}: the Applications in ${path}/${GITOPS_FILE}.yaml`,
      namespaces: [g.argocdNamespace],
      clusterResources: [],
      namespacedResources: [{ group: 'argoproj.io', kind: 'Application' }],
      labels: objectLabels(names.rootProject),
      warnOrphans: false,
    });
    new LockedDefaultProject(this, 'DefaultProject', { argocdNamespace: g.argocdNamespace, labels: objectLabels('default') });
    this.root = new ArgoApplication(this, 'Root', {
      ...common,
      name: names.root,
      labels: objectLabels(names.root),
      project: names.rootProject,
      targetRevision: g.targetRevision,
      path,
      autoSync: g.autoSync,
      include: `${GITOPS_FILE}.yaml`,
      destinationNamespace: g.argocdNamespace,
    });
    // Only the keys below: applied with server-side apply, the rest of argocd-cm stays with its owner (the
    // Argo CD installation).
    new KubeConfigMap(this, 'HealthCustomizations', {
      metadata: { name: 'argocd-cm', namespace: g.argocdNamespace, labels: { 'app.kubernetes.io/part-of': 'argocd' } },
      data: Object.fromEntries(HEALTH_CUSTOMIZATIONS.map((c) => [healthCustomizationKey(c.groupKind), c.lua])),
    });

    // No Application may ever prune or delete these: they carry Prune=false,Delete=false on the live objects
    // too (server-side apply), which also keeps a root Application that used to manage the projects from
    // pruning them when gitops.yaml stops listing them.
    for (const o of this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) o.metadata.addAnnotation(SYNC_OPTIONS_ANNOTATION, KEEP_OPTIONS.join(','));

    // A chart constructed after this one would be deployed by the workloads Application but not allowed by
    // its project: refuse to synthesize instead of failing at sync.
    this.node.addValidation({
      validate: () => {
        const others = this.node.root.node.children.filter((c): c is Chart => c instanceof Chart && c !== this && c !== props.gitops && !elsewhere.includes(c));
        const late = others.filter((c) => !sources.includes(c)).map((c) => c.node.id);
        if (late.length > 0) return [`charts ${late.join(', ')} are not in the ${ARGOCD_ADMIN_FILE} chart's sources; build it last and pass every other chart`];
        return JSON.stringify(projectScope(objectsOf(others))) === JSON.stringify(this.scope)
          ? []
          : [`objects changed after the ${ARGOCD_ADMIN_FILE} chart derived its project scope; build it last`];
      },
    });
  }
}
