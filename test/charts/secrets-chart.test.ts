import { describe, expect, it } from 'vitest';
import { APP_SECRET_NAME, BACKUP_CREDS_SECRET, REDIS_PASSWORD_SECRET, SECRET_STORE_NAME } from '../../constructs/secret-names';
import { find, ofKind, synthObjects } from '../helpers';

const prod = () => synthObjects('production');

describe('secrets chart: the design document values (production)', () => {
  it('vault-config: vault.hcl exactly as the design document', () => {
    const cm = find(prod(), 'ConfigMap', 'vault-config', 'vault');
    const hcl: string = cm.data['vault.hcl'];
    const compact = hcl.replace(/\s+/g, ' ');
    expect(compact).toContain('storage "consul" { address = "consul:8500" path = "vault/" }');
    expect(compact).toContain('listener "tcp" { address = "0.0.0.0:8200" tls_cert_file = "/vault/tls/vault.crt" tls_key_file = "/vault/tls/vault.key" }');
    expect(compact).toContain('seal "awskms" { region = "us-west-2" kms_key_id = "alias/vault-unseal-key" }');
    expect(compact).toContain('ui = true');
    expect(compact).toContain('api_addr = "https://vault.finbot.com:8200"');
    expect(compact).toContain('cluster_addr = "https://vault.finbot.com:8201"');
    expect(find(prod(), 'Namespace', 'vault').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('SecretStore vault-backend in the app, database, cache and monitoring namespaces (v1, KV v2, kubernetes auth)', () => {
    const stores = ofKind(prod(), 'SecretStore');
    expect(stores.map((s) => s.metadata.namespace).sort()).toEqual(['cache', 'database', 'monitoring', 'production']);
    for (const s of stores) {
      expect(s.apiVersion).toBe('external-secrets.io/v1');
      expect(s.metadata.name).toBe(SECRET_STORE_NAME);
      const v = s.spec.provider.vault;
      expect(v.server).toBe('https://vault.finbot.com:8200');
      expect(v.path).toBe('secret');
      expect(v.version).toBe('v2');
      expect(v.auth.kubernetes.mountPath).toBe('kubernetes');
      expect(v.auth.kubernetes.role).toBe('finbot-role');
      const sa = find(prod(), 'ServiceAccount', v.auth.kubernetes.serviceAccountRef.name, s.metadata.namespace);
      expect(sa.automountServiceAccountToken).toBe(false);
    }
  });

  it('finbot-secrets: 15s refresh, target finbot-app-secrets (Owner), database-url and redis-password', () => {
    const es = find(prod(), 'ExternalSecret', 'finbot-secrets', 'production');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec.refreshInterval).toBe('15s');
    expect(es.spec.secretStoreRef).toEqual({ name: 'vault-backend', kind: 'SecretStore' });
    expect(es.spec.target).toEqual({ name: APP_SECRET_NAME, creationPolicy: 'Owner' });
    expect(es.spec.data).toEqual([
      { secretKey: 'database-url', remoteRef: { key: 'finbot/database', property: 'url' } },
      { secretKey: 'redis-password', remoteRef: { key: 'finbot/redis', property: 'password' } },
    ]);
  });

  it('backup-creds in the database namespace and finbot-redis-password in the cache namespace', () => {
    const backup = find(prod(), 'ExternalSecret', BACKUP_CREDS_SECRET, 'database');
    expect(backup.spec.target.name).toBe('backup-creds');
    expect(backup.spec.data).toEqual([
      { secretKey: 'ACCESS_KEY_ID', remoteRef: { key: 'finbot/backup', property: 'ACCESS_KEY_ID' } },
      { secretKey: 'SECRET_ACCESS_KEY', remoteRef: { key: 'finbot/backup', property: 'SECRET_ACCESS_KEY' } },
    ]);
    const redis = find(prod(), 'ExternalSecret', REDIS_PASSWORD_SECRET, 'cache');
    expect(redis.spec.target).toEqual({ name: 'finbot-redis-password', creationPolicy: 'Owner' });
    expect(redis.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'finbot/redis', property: 'password' } }]);
  });

  it('every ExternalSecret refers to a SecretStore in its own namespace', () => {
    for (const env of ['production', 'staging']) {
      const objs = synthObjects(env);
      for (const es of ofKind(objs, 'ExternalSecret')) {
        expect(() => find(objs, 'SecretStore', es.spec.secretStoreRef.name, es.metadata.namespace), `${env} ${es.metadata.name}`).not.toThrow();
      }
    }
  });
});

describe('secrets chart: staging', () => {
  it('its own Vault and its own namespaces', () => {
    const objs = synthObjects('staging');
    expect(find(objs, 'ConfigMap', 'vault-config', 'vault').data['vault.hcl']).toContain('alias/vault-unseal-key-staging');
    expect(ofKind(objs, 'SecretStore').map((s) => s.metadata.namespace).sort()).toEqual(['monitoring', 'staging', 'staging-cache', 'staging-database']);
    expect(find(objs, 'ExternalSecret', 'finbot-secrets', 'staging').spec.refreshInterval).toBe('15s');
  });
});
