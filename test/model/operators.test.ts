/**
 * The operator model states what the pinned upstream releases do; where upstream has unit tests for a
 * behaviour, these cases mirror their expectations (file and tag named at each case).
 */
import { describe, expect, it } from 'vitest';
import { cnpgClusterDerived, cnpgFqdnUri, cnpgServiceSelector, CNPG_APP_SECRET_KEYS } from '../../model/operators/cloudnative-pg';
import { redisClusterDerived, redisOperatorPdbs, redisPodLabels, redisShardPods } from '../../model/operators/redis-operator';
import { vaultClusterAddrTemplate, vaultHelmConfigMapName, vaultHelmDerived } from '../../model/operators/vault';
import { buildClusterModel } from '../../model/cluster-model';

describe('CloudNativePG v1.30.0', () => {
  it('the -app Secret URI as pkg/specs/secrets_test.go expects it', () => {
    // secrets_test.go: CreateSecret("name", "namespace", "thishost", "thisdb", "thisuser", "thispassword", ...)
    expect(cnpgFqdnUri('thishost', 'namespace', 'thisdb', 'thisuser', 'thispassword')).toBe('postgresql://thisuser:thispassword@thishost.namespace.svc.cluster.local:5432/thisdb');
    expect(CNPG_APP_SECRET_KEYS).toEqual(expect.arrayContaining(['username', 'user', 'password', 'dbname', 'host', 'port', 'pgpass', 'uri', 'jdbc-uri', 'fqdn-uri', 'fqdn-jdbc-uri']));
  });

  it('-rw selects the primary, -ro the replicas, -r every instance (pkg/specs/services.go)', () => {
    expect(cnpgServiceSelector('pg', 'readWrite')).toEqual({ 'cnpg.io/cluster': 'pg', 'cnpg.io/instanceRole': 'primary' });
    expect(cnpgServiceSelector('pg', 'readOnly')).toEqual({ 'cnpg.io/cluster': 'pg', 'cnpg.io/instanceRole': 'replica' });
    expect(cnpgServiceSelector('pg', 'read')).toEqual({ 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' });
    const d = cnpgClusterDerived('pg');
    expect(d.services.map((s) => s.name)).toEqual(['pg-rw', 'pg-ro', 'pg-r']);
    expect(d.secrets).toContain('pg-app');
  });
});

describe('redis-operator v0.26.0', () => {
  it('pod labels: the stable labels, CR labels copied over them (internal/controller/common/labels.go)', () => {
    expect(redisPodLabels('rc', 'follower')).toEqual({ app: 'rc-follower', redis_setup_type: 'cluster', role: 'follower' });
  });

  it('one pod per ordinal with its pod-name label; Services <name>-<role>[-headless|-additional]', () => {
    const d = redisClusterDerived('rc', { clusterSize: 3 });
    expect(d.pods).toHaveLength(6);
    expect(d.pods[0].labels['statefulset.kubernetes.io/pod-name']).toBe('rc-leader-0');
    expect(d.services.map((s) => s.name)).toEqual(['rc-leader', 'rc-leader-headless', 'rc-leader-additional', 'rc-follower', 'rc-follower-headless', 'rc-follower-additional']);
  });

  it('operator PDBs only when enabled, selecting app+role (internal/k8sutils/poddisruption.go)', () => {
    expect(redisOperatorPdbs('rc', { redisLeader: { pdb: { enabled: false } } })).toEqual([]);
    expect(redisOperatorPdbs('rc', { redisLeader: { pdb: { enabled: true } } })).toEqual([{ name: 'rc-leader', matchLabels: { app: 'rc-leader', role: 'leader' } }]);
  });

  it('shards: follower i replicates leader i mod n (internal/k8sutils/redis.go ExecuteRedisReplicationCommand)', () => {
    expect(redisShardPods('rc', 2, 2)).toEqual([['rc-leader-0', 'rc-follower-0', 'rc-follower-2'], ['rc-leader-1', 'rc-follower-1', 'rc-follower-3']]);
  });
});

describe('vault-helm v0.34.1', () => {
  it('its own ConfigMap is <release>-config; each node\'s cluster_addr is its pod name on <release>-internal', () => {
    expect(vaultHelmConfigMapName('vault')).toBe('vault-config');
    expect(vaultClusterAddrTemplate('vault')).toBe('https://HOSTNAME.vault-internal:8201');
    expect(vaultHelmDerived('vault').services.map((s) => s.name)).toEqual(['vault', 'vault-active', 'vault-internal']);
  });
});

describe('the cluster model reads the operator model', () => {
  it('a vault-helm Application puts the chart\'s pods and Services into its destination namespace', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'vault-x', namespace: 'argocd' },
      spec: { source: { repoURL: 'https://helm.releases.hashicorp.com', chart: 'vault', helm: { releaseName: 'vault' } }, destination: { namespace: 'vault' } },
    };
    const m = buildClusterModel([{ object: app, file: 'x.yaml' } as never]);
    expect(m.service('vault', 'vault-active')?.derived).toBe(true);
    expect(m.pods.some((p) => p.namespace === 'vault' && p.labels.component === 'server')).toBe(true);
  });
});
