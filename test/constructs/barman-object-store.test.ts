import { describe, expect, it } from 'vitest';
import { BarmanObjectStore } from '../../constructs/barman-object-store';
import { chart, objectOf } from './data-fixtures';

const base = { name: 's', namespace: 'db', environment: 'test', destinationPath: 's3://finbot-backups/postgres' };

describe('BarmanObjectStore', () => {
  it('defaults: backup-creds keys, gzip, no retention, bounded sidecar', () => {
    const c = chart();
    new BarmanObjectStore(c, 's', base);
    const o = objectOf(c, 'ObjectStore');
    expect(o.apiVersion).toBe('barmancloud.cnpg.io/v1');
    expect(o.spec.retentionPolicy).toBeUndefined();
    expect(o.spec.configuration).toEqual({
      destinationPath: 's3://finbot-backups/postgres',
      s3Credentials: {
        accessKeyId: { name: 'backup-creds', key: 'ACCESS_KEY_ID' },
        secretAccessKey: { name: 'backup-creds', key: 'SECRET_ACCESS_KEY' },
      },
      wal: { compression: 'gzip', maxParallel: 2 },
      data: { compression: 'gzip', jobs: 2 },
    });
    expect(o.spec.instanceSidecarConfiguration.resources.limits).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(o.spec.instanceSidecarConfiguration.env).toBeUndefined();
    expect(o.metadata.labels.app).toBeUndefined();
  });

  it('retention, compression, credentials and region are passed through', () => {
    const c = chart();
    new BarmanObjectStore(c, 's', { ...base, retentionPolicy: '4w', walCompression: 'zstd', dataCompression: 'lz4', region: 'us-east-1', credentials: { secretName: 'k', accessKeyIdKey: 'a', secretAccessKeyKey: 'b' } });
    const o = objectOf(c, 'ObjectStore');
    expect(o.spec.retentionPolicy).toBe('4w');
    expect(o.spec.configuration.wal.compression).toBe('zstd');
    expect(o.spec.configuration.data.compression).toBe('lz4');
    expect(o.spec.configuration.s3Credentials.accessKeyId).toEqual({ name: 'k', key: 'a' });
    expect(o.spec.instanceSidecarConfiguration.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'us-east-1' }]);
  });

  it('rejects a destination that is not S3', () => {
    expect(() => new BarmanObjectStore(chart(), 's', { ...base, destinationPath: '/backups' })).toThrow('BarmanObjectStore s: destinationPath "/backups" is not an S3 URL; use s3://<bucket>/<path>');
  });

  it('rejects a retention policy Barman does not understand', () => {
    expect(() => new BarmanObjectStore(chart(), 's', { ...base, retentionPolicy: '30 days' })).toThrow('retentionPolicy "30 days" is not <n>d, <n>w or <n>m');
  });
});
