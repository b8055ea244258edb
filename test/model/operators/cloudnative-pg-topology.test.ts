/**
 * cnpgIsReplica and barmanRestoreSource mirror the upstream unit tests. cnpgIsReplica mirrors CloudNativePG v1.30.0 api/v1/cluster_funcs_test.go `Describe("IsReplica")`: the legacy
 * API (`enabled`), the new API with an implicit self (the Cluster's name) and with an explicit `self`.
 */
import { describe, expect, it } from 'vitest';
import { barmanRestoreSource } from '../../../model/operators/barman-cloud';
import { cnpgIsReplica } from '../../../model/operators/cloudnative-pg';

describe('cnpgIsReplica (cloudnative-pg v1.30.0 api/v1/cluster_funcs_test.go IsReplica)', () => {
  it('legacy API: enabled decides; no replica stanza is a primary', () => {
    expect(cnpgIsReplica('cluster-1', { enabled: true, source: 'source-cluster' } as never)).toBe(true);
    expect(cnpgIsReplica('cluster-1', undefined)).toBe(false);
    expect(cnpgIsReplica('cluster-1', { enabled: false })).toBe(false);
  });

  it('new API, implicit self: a replica exactly when primary is another cluster', () => {
    expect(cnpgIsReplica('cluster-1', { primary: 'cluster-1' })).toBe(false);
    expect(cnpgIsReplica('cluster-1', { primary: 'cluster-2' })).toBe(true);
  });

  it('new API, explicit self (the Cluster\'s name unused)', () => {
    expect(cnpgIsReplica('', { self: 'cluster-1', primary: 'cluster-1' })).toBe(false);
    expect(cnpgIsReplica('', { self: 'cluster-1', primary: 'cluster-2' })).toBe(true);
  });
});

describe('barmanRestoreSource (plugin-barman-cloud v0.14.0 internal/cnpgi/common/wal_test.go resolveRestoreObjectStore)', () => {
  const instance = 'cluster-1';
  it.each([
    ['designated primary in promotion -> replica source', instance, true, 'replica-source'],
    ['current primary without a replica source -> cluster store', instance, false, 'cluster'],
    ['no current primary -> recovery store', '', true, 'recovery'],
    ['ordinary standby -> cluster store', 'cluster-2', false, 'cluster'],
  ] as const)('%s', (_name, currentPrimary, hasReplicaSource, want) => {
    expect(barmanRestoreSource(instance, currentPrimary, hasReplicaSource)).toBe(want);
  });
});
