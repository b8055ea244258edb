import { describe, expect, it } from 'vitest';
import { PostgresCluster } from '../../constructs/postgres-cluster';
import { PostgresScheduledBackup } from '../../constructs/postgres-scheduled-backup';
import { chart, objectOf, pgProps, store } from './data-fixtures';

describe('PostgresScheduledBackup', () => {
  it('defaults: plugin method, immediate, prefer-standby, owned by itself, named <cluster>-daily', () => {
    const c = chart();
    const cluster = new PostgresCluster(c, 'pg', { ...pgProps, backupStore: store(c) });
    const b = new PostgresScheduledBackup(c, 'b', { cluster, environment: 'test', schedule: '0 0 2 * * *' });
    expect(b.name).toBe('pg-daily');
    const o = objectOf(c, 'ScheduledBackup');
    expect(o.metadata.namespace).toBe('db');
    expect(o.spec).toEqual({
      cluster: { name: 'pg' },
      schedule: '0 0 2 * * *',
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      immediate: true,
      target: 'prefer-standby',
      backupOwnerReference: 'self',
    });
  });

  it('name, immediate and target can be set', () => {
    const c = chart();
    const cluster = new PostgresCluster(c, 'pg', { ...pgProps, backupStore: store(c) });
    new PostgresScheduledBackup(c, 'b', { cluster, environment: 'test', schedule: '0 0 * * * *', name: 'hourly', immediate: false, target: 'primary' });
    const o = objectOf(c, 'ScheduledBackup');
    expect([o.metadata.name, o.spec.immediate, o.spec.target]).toEqual(['hourly', false, 'primary']);
  });

  it('rejects a five-field schedule', () => {
    const c = chart();
    const cluster = new PostgresCluster(c, 'pg', { ...pgProps, backupStore: store(c) });
    expect(() => new PostgresScheduledBackup(c, 'b', { cluster, environment: 'test', schedule: '0 2 * * *' })).toThrow('schedule "0 2 * * *" does not have six fields');
  });

  it('rejects a cluster without a backup store', () => {
    const c = chart();
    const cluster = new PostgresCluster(c, 'pg', pgProps);
    expect(() => new PostgresScheduledBackup(c, 'b', { cluster, environment: 'test', schedule: '0 0 2 * * *' })).toThrow('cluster pg has no backupStore');
  });
});
