import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoApplication, type ArgoApplicationProps } from '../../constructs/argocd-application';
import { ArgoProject, LockedDefaultProject, type ArgoProjectProps } from '../../constructs/argocd-project';

const projectProps: ArgoProjectProps = {
  name: 'p',
  argocdNamespace: 'argocd',
  repoURL: 'https://example.com/r.git',
  namespaces: ['b', 'a'],
  clusterResources: [{ group: '', kind: 'Namespace' }],
  namespacedResources: [{ group: 'apps', kind: 'Deployment' }],
  description: 'd',
};

function synth(p: Partial<ArgoProjectProps> = {}, a?: Partial<ArgoApplicationProps>): any[] {
  const chart = new Chart(Testing.app(), 't');
  const project = new ArgoProject(chart, 'p', { ...projectProps, ...p });
  if (a) {
    new ArgoApplication(chart, 'a', {
      name: 'app', argocdNamespace: 'argocd', project: project.name, repoURL: 'https://example.com/r.git', targetRevision: 'main',
      path: 'dist/x', destinationNamespace: 'a', autoSync: false, ...a,
    });
  }
  return Testing.synth(chart);
}

describe('ArgoProject', () => {
  it('allows one repository, the given namespaces in-cluster (sorted) and exactly the given kinds', () => {
    const [p] = synth();
    expect(p.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(p.spec).toEqual({
      description: 'd',
      sourceRepos: ['https://example.com/r.git'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'a' }, { server: 'https://kubernetes.default.svc', namespace: 'b' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
      orphanedResources: { warn: true },
    });
  });

  it('names single cluster-scoped objects; renders sync windows and roles as Argo CD policies', () => {
    const [p] = synth({
      clusterResources: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' }],
      syncWindows: [{ kind: 'allow', schedule: '0 8 * * 1-5', duration: '8h', applications: ['app'] }],
      roles: [{ name: 'deployer', description: 'd', groups: ['ops'], actions: ['get', 'sync'] }],
    });
    expect(p.spec.clusterResourceWhitelist).toEqual([{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' }]);
    expect(p.spec.syncWindows).toEqual([{ kind: 'allow', schedule: '0 8 * * 1-5', duration: '8h', applications: ['app'], manualSync: false, timeZone: 'UTC' }]);
    expect(p.spec.roles).toEqual([{ name: 'deployer', description: 'd', groups: ['ops'], policies: ['p, proj:p:deployer, applications, get, p/*, allow', 'p, proj:p:deployer, applications, sync, p/*, allow'] }]);
  });

  it('refuses a role without groups or with an unknown action', () => {
    expect(() => synth({ roles: [{ name: 'r', description: 'd', groups: [], actions: ['get'] }] })).toThrow('ArgoProject p: role r has no groups');
    expect(() => synth({ roles: [{ name: 'r', description: 'd', groups: ['g'], actions: ['*'] }] })).toThrow('ArgoProject p: role r has unknown actions *');
  });

  it('LockedDefaultProject: nothing allowed', () => {
    const chart = new Chart(Testing.app(), 't');
    new LockedDefaultProject(chart, 'd', { argocdNamespace: 'argocd' });
    const [d] = Testing.synth(chart);
    expect(d.metadata.name).toBe('default');
    expect(d.spec).toMatchObject({ sourceRepos: [], destinations: [], clusterResourceWhitelist: [], namespaceResourceWhitelist: [] });
  });

  it('refuses what would widen it: no namespaces, no namespaced kinds (= all), wildcards', () => {
    expect(() => synth({ namespaces: [] })).toThrow('ArgoProject p: namespaces is empty');
    expect(() => synth({ namespacedResources: [] })).toThrow('ArgoProject p: namespacedResources is empty, which Argo CD reads as "every namespaced kind"');
    expect(() => synth({ namespaces: ['*'] })).toThrow('ArgoProject p: wildcards are not allowed');
  });
});

describe('ArgoApplication', () => {
  it('manual sync: no automated block, retries, sync options, no finalizer', () => {
    const app = synth({}, { include: 'gitops.yaml' })[1];
    expect(app.metadata).toEqual({ name: 'app', namespace: 'argocd' });
    expect(app.spec).toEqual({
      project: 'p',
      source: { repoURL: 'https://example.com/r.git', targetRevision: 'main', path: 'dist/x', directory: { recurse: false, include: 'gitops.yaml' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'a' },
      revisionHistoryLimit: 10,
      syncPolicy: {
        syncOptions: ['PruneLast=true', 'FailOnSharedResource=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    });
  });

  it('automated sync prunes and self-heals', () => {
    const app = synth({}, { autoSync: true, exclude: 'gitops.yaml' })[1];
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.source.directory).toEqual({ recurse: false, exclude: 'gitops.yaml' });
  });

  it('refuses a path outside the repository', () => {
    expect(() => synth({}, { path: '../x' })).toThrow('ArgoApplication app: path "../x" must be relative to the repository root');
  });
});
