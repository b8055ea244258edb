/**
 * Argo CD, the consumer of dist/: an app-of-apps per environment.
 *
 * - `finbot-<env>` (project `finbot-<env>-gitops`) applies this chart's own file, gitops.yaml: the two
 *   projects and both Applications, itself included — after a one-time `kubectl apply -f gitops.yaml`, Argo
 *   CD manages its own configuration from Git.
 * - `finbot-<env>-workloads` (project `finbot-<env>`) applies every other file of dist/<env>. One
 *   Application on purpose: sync waves and the PostSync smoke test order objects only within one
 *   Application, and Namespaces (platform.yaml) must come before everything in the other files.
 *
 * The workloads project allows exactly the namespaces and kinds the other charts produce (derived from
 * their objects), so a new kind or namespace widens it in the same reviewed diff.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { ArgoApplication } from '../constructs/argocd-application';
import { ArgoProject } from '../constructs/argocd-project';
import { labels } from '../constructs/labels';
import { projectScope, type ProjectScope } from '../model/project-scope';
import type { KubeObject } from '../model/kube-object';

/** Output file name of this chart (without .yaml); the workloads Application skips it. */
export const GITOPS_FILE = 'gitops';

/** Props of {@link GitopsChart}. */
export interface GitopsChartProps {
  readonly settings: Settings;
  /** Every other chart of the environment: their objects make up the workloads Application. */
  readonly sources: readonly Chart[];
  /**
   * Charts written to dist/<env>/ that are applied to another cluster (the DR region's `data-dr`): left out
   * of the workloads Application and its project.
   * @default none
   */
  readonly elsewhere?: readonly Chart[];
}

/**
 * What the project scope needs of each object of the charts (group, kind, namespace, name), read from the
 * ApiObjects directly: rendering every object to JSON here would double the cost of synth.
 */
function objectsOf(charts: readonly Chart[]): KubeObject[] {
  return charts.flatMap((c) => c.node.findAll().filter((o): o is ApiObject => o instanceof ApiObject).map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.name, ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}) },
  })));
}

function scopeKey(s: ProjectScope): string {
  return JSON.stringify(s);
}

/** AppProjects and Applications of one environment. */
export class GitopsChart extends Chart {
  /** What the workloads project allows. */
  readonly scope: ProjectScope;
  readonly root: ArgoApplication;
  readonly workloads: ArgoApplication;
  readonly project: ArgoProject;
  readonly rootProject: ArgoProject;

  constructor(scope: Construct, id: string, props: GitopsChartProps) {
    super(scope, id);
    const { settings } = props;
    const env = settings.name;
    const g = settings.gitops;
    const path = `dist/${env}`;
    const common = { argocdNamespace: g.argocdNamespace, repoURL: g.repoURL };
    const objectLabels = (name: string) => labels({ name, component: 'gitops', environment: env });

    const elsewhere = props.elsewhere ?? [];
    const sources = props.sources.filter((c) => !elsewhere.includes(c));
    const excluded = [GITOPS_FILE, ...elsewhere.map((c) => c.node.id)].map((f) => `${f}.yaml`);
    this.scope = projectScope(objectsOf(sources));
    this.project = new ArgoProject(this, 'Project', {
      ...common,
      name: `finbot-${env}`,
      description: `FinBot ${env}: everything in ${path} except ${GITOPS_FILE}.yaml`,
      namespaces: this.scope.namespaces,
      clusterResources: this.scope.clusterResources,
      namespacedResources: this.scope.namespacedResources,
      labels: objectLabels(`finbot-${env}`),
    });
    this.rootProject = new ArgoProject(this, 'RootProject', {
      ...common,
      name: `finbot-${env}-gitops`,
      description: `FinBot ${env}: the Argo CD objects in ${path}/${GITOPS_FILE}.yaml`,
      namespaces: [g.argocdNamespace],
      clusterResources: [],
      namespacedResources: [{ group: 'argoproj.io', kind: 'AppProject' }, { group: 'argoproj.io', kind: 'Application' }],
      labels: objectLabels(`finbot-${env}-gitops`),
      warnOrphans: false,
    });
    const app = { ...common, targetRevision: g.targetRevision, path, autoSync: g.autoSync };
    this.root = new ArgoApplication(this, 'Root', {
      ...app,
      name: `finbot-${env}`,
      labels: objectLabels(`finbot-${env}`),
      project: this.rootProject,
      include: `${GITOPS_FILE}.yaml`,
      destinationNamespace: g.argocdNamespace,
    });
    this.workloads = new ArgoApplication(this, 'Workloads', {
      ...app,
      name: `finbot-${env}-workloads`,
      labels: objectLabels(`finbot-${env}-workloads`),
      project: this.project,
      // Argo CD's directory exclude takes a glob: {a,b} for several files.
      exclude: excluded.length === 1 ? excluded[0] : `{${excluded.join(',')}}`,
      destinationNamespace: settings.platform.namespaces.app,
    });

    // A chart constructed after this one would be deployed by the workloads Application but not allowed by
    // its project: refuse to synthesize instead of failing at sync.
    this.node.addValidation({
      validate: () => {
        const others = this.node.root.node.children.filter((c): c is Chart => c instanceof Chart && c !== this && !elsewhere.includes(c));
        const late = others.filter((c) => !sources.includes(c)).map((c) => c.node.id);
        if (late.length > 0) return [`charts ${late.join(', ')} are not in the gitops chart's sources; build the gitops chart last and pass every other chart`];
        return scopeKey(projectScope(objectsOf(others))) === scopeKey(this.scope)
          ? []
          : ['objects changed after the gitops chart derived its project scope; build the gitops chart last'];
      },
    });
  }
}
