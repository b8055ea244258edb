import { describe, expect, it } from 'vitest';
import { projectScope } from '../../model/project-scope';
import type { KubeObject } from '../../model/kube-object';

const o = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('projectScope', () => {
  it('splits cluster-scoped and namespaced kinds, sorted and unique, with the namespaces used and created', () => {
    const scope = projectScope([
      o('apps/v1', 'Deployment', 'a', 'prod'),
      o('apps/v1', 'Deployment', 'b', 'prod'),
      o('v1', 'Service', 'a', 'kube-system'),
      o('v1', 'Namespace', 'database'),
      o('storage.k8s.io/v1', 'StorageClass', 'fast-ssd'),
      o('cert-manager.io/v1', 'ClusterIssuer', 'letsencrypt'),
    ]);
    expect(scope.clusterResources).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'cert-manager.io', kind: 'ClusterIssuer' },
      { group: 'storage.k8s.io', kind: 'StorageClass' },
    ]);
    expect(scope.namespacedResources).toEqual([{ group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }]);
    expect(scope.namespaces).toEqual(['database', 'kube-system', 'prod']);
    // Argo CD v3.5.1 matches cluster whitelist entries by name: each cluster-scoped object, sorted, once.
    expect(scope.clusterObjects).toEqual([
      { group: '', kind: 'Namespace', name: 'database' },
      { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' },
      { group: 'storage.k8s.io', kind: 'StorageClass', name: 'fast-ssd' },
    ]);
  });

  it('refuses a namespaced kind without namespace instead of whitelisting it cluster-wide', () => {
    expect(() => projectScope([o('apps/v1', 'Deployment', 'lost')]))
      .toThrow('Deployment lost has no namespace and is not a known cluster-scoped kind: set metadata.namespace, or add "apps/Deployment" to CLUSTER_SCOPED_KINDS');
  });
});
