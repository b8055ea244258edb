import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotExternalSecret } from '../../constructs/external-secret';
import { VaultConfig } from '../../constructs/vault-config';
import { VaultSecretStore } from '../../constructs/vault-secret-store';

const chart = () => new Chart(Testing.app(), 'c');
const vaultProps = { namespace: 'vault', environment: 'e', consulAddress: 'consul:8500', kmsRegion: 'us-west-2', kmsKeyId: 'alias/k', apiAddr: 'https://v.example.com:8200', clusterAddr: 'https://v.example.com:8201' };
const storeProps = { namespace: 'ns', environment: 'e', server: 'https://v.example.com:8200', role: 'r', serviceAccountName: 'sa' };

describe('VaultConfig', () => {
  it('renders vault.hcl with defaults (port 8200, /vault/tls, vault/ prefix, ui)', () => {
    const c = chart();
    const v = new VaultConfig(c, 'v', vaultProps);
    expect(v.hcl).toContain('path    = "vault/"');
    expect(v.hcl).toContain('address       = "0.0.0.0:8200"');
    expect(v.hcl).toContain('tls_cert_file = "/vault/tls/vault.crt"');
    expect(v.hcl).toContain('ui           = true');
    const [cm] = Testing.synth(c);
    expect(cm.metadata.name).toBe('vault-config');
    expect(cm.data['vault.hcl']).toBe(v.hcl);
  });

  it('refuses a plain-http api_addr or cluster_addr', () => {
    expect(() => new VaultConfig(chart(), 'v', { ...vaultProps, apiAddr: 'http://v:8200' })).toThrow('apiAddr "http://v:8200" must start with https://');
    expect(() => new VaultConfig(chart(), 'v', { ...vaultProps, clusterAddr: 'http://v:8201' })).toThrow('clusterAddr "http://v:8201" must start with https://');
  });

  it('refuses a Consul prefix without a trailing slash', () => {
    expect(() => new VaultConfig(chart(), 'v', { ...vaultProps, consulPath: 'vault' })).toThrow('consulPath "vault" must end with "/"');
  });
});

describe('VaultSecretStore', () => {
  it('defaults: vault-backend, KV v2 at secret, kubernetes auth via a ServiceAccount without automount', () => {
    const c = chart();
    new VaultSecretStore(c, 's', storeProps);
    const [sa, store] = Testing.synth(c);
    expect(sa).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'ns' }, automountServiceAccountToken: false });
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata.name).toBe('vault-backend');
    expect(store.spec.provider.vault).toEqual({
      server: 'https://v.example.com:8200', path: 'secret', version: 'v2',
      auth: { kubernetes: { mountPath: 'kubernetes', role: 'r', serviceAccountRef: { name: 'sa' } } },
    });
  });

  it('adds a caProvider when a CA ConfigMap is given', () => {
    const c = chart();
    new VaultSecretStore(c, 's', { ...storeProps, caConfigMap: { name: 'vault-ca', key: 'ca.crt' } });
    expect(Testing.synth(c)[1].spec.provider.vault.caProvider).toEqual({ type: 'ConfigMap', name: 'vault-ca', key: 'ca.crt' });
  });

  it('refuses a non-https server', () => {
    expect(() => new VaultSecretStore(chart(), 's', { ...storeProps, server: 'http://v:8200' })).toThrow('server "http://v:8200" must be an https URL');
  });
});

describe('FinbotExternalSecret', () => {
  it('lives in its store\'s namespace, owns its Secret, refreshes hourly by default', () => {
    const c = chart();
    const store = new VaultSecretStore(c, 's', storeProps);
    const es = new FinbotExternalSecret(c, 'e', { name: 'x', store, targetName: 'x-secret', environment: 'e', data: [{ secretKey: 'k', remoteKey: 'a/b', property: 'p' }] });
    expect(es.namespace).toBe('ns');
    const obj = Testing.synth(c)[2];
    expect(obj.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault-backend', kind: 'SecretStore' },
      target: { name: 'x-secret', creationPolicy: 'Owner' },
      data: [{ secretKey: 'k', remoteRef: { key: 'a/b', property: 'p' } }],
    });
  });

  it('refuses empty data and duplicate keys', () => {
    const c = chart();
    const store = new VaultSecretStore(c, 's', storeProps);
    expect(() => new FinbotExternalSecret(c, 'e1', { name: 'x', store, targetName: 't', environment: 'e', data: [] })).toThrow('ExternalSecret x: data is empty');
    const d = { secretKey: 'k', remoteKey: 'a', property: 'p' };
    expect(() => new FinbotExternalSecret(c, 'e2', { name: 'y', store, targetName: 't', environment: 'e', data: [d, d] })).toThrow('secretKey "k" appears twice');
  });
});
