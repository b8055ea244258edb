import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoApplication, type ArgoApplicationProps } from '../../constructs/argocd-application';
import { ArgoProject, type ArgoProjectProps } from '../../constructs/argocd-project';

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
      name: 'app', argocdNamespace: 'argocd', project, repoURL: 'https://example.com/r.git', targetRevision: 'main',
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
