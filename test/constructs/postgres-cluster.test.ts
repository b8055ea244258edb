import { describe, expect, it } from 'vitest';
import { PostgresCluster } from '../../constructs/postgres-cluster';
import { chart, objectOf, pgProps, store } from './data-fixtures';
import { cnpgIsReplica } from '../../model/operators/cloudnative-pg';

describe('PostgresCluster', () => {
  it('defaults: unsupervised updates, required anti-affinity per node, zone spread, archive_timeout 5min, initdb finbot', () => {
    const c = chart();
    const pg = new PostgresCluster(c, 'pg', pgProps);
    const spec = objectOf(c, 'Cluster').spec;
    expect(spec.instances).toBe(3);
    expect(spec.primaryUpdateStrategy).toBe('unsupervised');
    expect(spec.affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' });
    expect(spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' } },
    }]);
    expect(spec.postgresql.parameters).toEqual({ archive_timeout: '5min' });
    expect(spec.bootstrap).toEqual({ initdb: { database: 'finbot', owner: 'finbot' } });
    expect(spec.storage).toEqual({ size: '10Gi', storageClass: 'fast-ssd' });
    expect(spec.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(spec.plugins).toBeUndefined();
    expect(pg.readWrite).toEqual({ host: 'pg-rw.db.svc.cluster.local', port: 5432 });
    expect(pg.podSelector).toEqual({ 'cnpg.io/cluster': 'pg' });
  });

  it('operator-managed pods do not carry app: finbot; the PodMonitor does (Prometheus selects it)', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', pgProps);
    const cluster = objectOf(c, 'Cluster');
    expect(cluster.metadata.labels.app).toBeUndefined();
    // Only what CloudNativePG does not manage itself on its pods/Services/PVCs.
    expect(cluster.spec.inheritedMetadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'finbot' });
    const pm = objectOf(c, 'PodMonitor');
    expect(pm.metadata.labels.app).toBe('finbot');
    expect(pm.spec).toEqual({ selector: { matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' } }, podMetricsEndpoints: [{ port: 'metrics' }] });
  });

  it('podMonitor: false leaves the PodMonitor out', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', { ...pgProps, podMonitor: false });
    expect(() => objectOf(c, 'PodMonitor')).toThrow('found 0');
  });

  it('archives WAL through the Barman Cloud plugin to the given store', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', { ...pgProps, backupStore: store(c), archiveTimeoutMinutes: 10 });
    const spec = objectOf(c, 'Cluster').spec;
    expect(spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }]);
    expect(spec.backup).toBeUndefined();
    expect(spec.postgresql.parameters.archive_timeout).toBe('10min');
  });

  it('a single instance may share a zone (ScheduleAnyway); preferred anti-affinity is passed through', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', { ...pgProps, instances: 1, antiAffinity: 'preferred' });
    const spec = objectOf(c, 'Cluster').spec;
    expect(spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
    expect(spec.affinity.podAntiAffinityType).toBe('preferred');
  });

  it('topology: a replica of the peer in CNPG\'s distributed topology (replica.enabled unset, both clusters external)', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', { ...pgProps, name: 'dr', backupStore: store(c, 'own', 's3://bucket/dr'), topology: { peerName: 'pg', peerStore: store(c, 'peer'), primary: 'pg', bootstrapFromPeer: true } });
    const spec = objectOf(c, 'Cluster').spec;
    expect(spec.replica).toEqual({ primary: 'pg', source: 'pg', self: 'dr' });
    expect(spec.bootstrap).toEqual({ recovery: { source: 'pg', database: 'finbot', owner: 'finbot' } });
    expect(spec.externalClusters).toEqual([
      { name: 'dr', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'own', serverName: 'dr' } } },
      { name: 'pg', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'peer', serverName: 'pg' } } },
    ]);
    expect(spec.plugins[0].parameters.barmanObjectName).toBe('own');
    expect(cnpgIsReplica('dr', spec.replica)).toBe(true);
  });

  it('topology: the primary keeps initdb, carries a promotion token; a fenced cluster gets cnpg.io/fencedInstances ["*"]', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', { ...pgProps, name: 'dr', backupStore: store(c, 'own', 's3://bucket/dr'), topology: { peerName: 'pg', peerStore: store(c, 'peer'), primary: 'dr', promotionToken: 'abc=' } });
    const spec = objectOf(c, 'Cluster').spec;
    expect(spec.replica).toEqual({ primary: 'dr', source: 'pg', self: 'dr', promotionToken: 'abc=' });
    expect(spec.bootstrap.initdb).toBeDefined();
    expect(cnpgIsReplica('dr', spec.replica)).toBe(false);
    const f = chart();
    new PostgresCluster(f, 'pg', { ...pgProps, name: 'dr', backupStore: store(f, 'own', 's3://bucket/dr'), topology: { peerName: 'pg', peerStore: store(f, 'peer'), primary: 'pg', fenced: true } });
    expect(objectOf(f, 'Cluster').metadata.annotations).toEqual({ 'cnpg.io/fencedInstances': '["*"]' });
  });

  it('topology: refuses a token on a replica, a primary outside the pair, and no own store', () => {
    const c = chart();
    expect(() => new PostgresCluster(c, 'a', { ...pgProps, name: 'dr', backupStore: store(c, 'own', 's3://bucket/dr'), topology: { peerName: 'pg', peerStore: store(c, 'peer'), primary: 'pg', promotionToken: 'x' } })).toThrow('only allowed on the primary');
    expect(() => new PostgresCluster(c, 'b', { ...pgProps, name: 'dr', backupStore: store(c, 'own2', 's3://bucket/dr'), topology: { peerName: 'pg', peerStore: store(c, 'peer2'), primary: 'other' } })).toThrow('is neither dr nor pg');
    expect(() => new PostgresCluster(c, 'c', { ...pgProps, name: 'dr', topology: { peerName: 'pg', peerStore: store(c, 'peer3'), primary: 'pg' } })).toThrow('topology needs a backupStore');
  });

  it('rejects less than one instance', () => {
    expect(() => new PostgresCluster(chart(), 'pg', { ...pgProps, instances: 0 })).toThrow('PostgresCluster pg: instances is 0; give a whole number of at least 1');
  });

  it('rejects an unpinned image', () => {
    expect(() => new PostgresCluster(chart(), 'pg', { ...pgProps, imageName: 'ghcr.io/cloudnative-pg/postgresql:latest' })).toThrow('has no pinned tag');
    expect(() => new PostgresCluster(chart(), 'pg', { ...pgProps, imageName: 'ghcr.io/cloudnative-pg/postgresql' })).toThrow('has no pinned tag');
  });

  it('rejects archive_timeout in parameters', () => {
    expect(() => new PostgresCluster(chart(), 'pg', { ...pgProps, parameters: { archive_timeout: '2h' } })).toThrow('parameters.archive_timeout is set to "2h"; remove it and use the archiveTimeoutMinutes prop');
  });

  it('rejects an archive timeout outside 1-60 minutes', () => {
    expect(() => new PostgresCluster(chart(), 'pg', { ...pgProps, archiveTimeoutMinutes: 90 })).toThrow('archiveTimeoutMinutes is 90; allowed are whole minutes 1-60');
  });

  it('rejects a replica archiving into its origin\'s path', () => {
    const c = chart();
    expect(() => new PostgresCluster(c, 'pg', { ...pgProps, backupStore: store(c, 'a'), topology: { peerName: 'x', peerStore: store(c, 'b'), primary: 'pg' } }))
      .toThrow('backupStore and topology.peerStore both point at s3://bucket/pg');
  });

  it('rejects an object store of another namespace', () => {
    const c = chart();
    expect(() => new PostgresCluster(c, 'pg', { ...pgProps, backupStore: store(c, 's', 's3://bucket/pg', 'other') }))
      .toThrow('ObjectStore s is in namespace other, the cluster in db');
  });
});
