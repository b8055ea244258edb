import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FinbotExternalSecret } from '../../constructs/external-secret';
import { KubernetesSecretStore } from '../../constructs/kubernetes-secret-store';
import { SnapshotBackup, type SnapshotBackupProps } from '../../constructs/snapshot-backup';
import { VaultSecretStore } from '../../constructs/vault-secret-store';
import { VaultServer, type VaultServerProps } from '../../constructs/vault-server';
import { VAULT_HELM_RENDERED_CONFIG } from '../../model/operators/vault';

const chart = () => new Chart(Testing.app(), 'c');
const storeProps = { namespace: 'ns', environment: 'e', server: 'https://v.example.com:8200', role: 'r', serviceAccountName: 'sa', audience: 'vault' };
const vaultProps: VaultServerProps = {
  namespace: 'vault', environment: 'e', releaseName: 'vault', chartVersion: '0.34.1', image: { repository: 'docker.io/hashicorp/vault', tag: '2.0.4' },
  replicas: 3, kmsRegion: 'us-west-2', kmsKeyId: 'alias/k', apiAddr: 'https://v.example.com:8200', storageClass: 'fast-ssd',
  argocdNamespace: 'argocd', argocdProject: 'p', trustNamespaces: ['app'],
};

describe('VaultSecretStore', () => {
  it('defaults: vault-backend, KV v2 at secret, kubernetes auth via a ServiceAccount without automount, with the audience', () => {
    const c = chart();
    new VaultSecretStore(c, 's', storeProps);
    const [sa, store] = Testing.synth(c);
    expect(sa).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'ns' }, automountServiceAccountToken: false });
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata.name).toBe('vault-backend');
    // ESO v2.9.0 providers/v1/vault/auth.go createServiceAccountToken: the TokenRequest carries exactly these audiences.
    expect(store.spec.provider.vault).toEqual({
      server: 'https://v.example.com:8200', path: 'secret', version: 'v2',
      auth: { kubernetes: { mountPath: 'kubernetes', role: 'r', serviceAccountRef: { name: 'sa', audiences: ['vault'] } } },
    });
  });

  it('adds a caProvider when a CA Secret is given', () => {
    const c = chart();
    new VaultSecretStore(c, 's', { ...storeProps, caSecret: { name: 'vault-ca-trust', key: 'ca.crt' } });
    expect(Testing.synth(c)[1].spec.provider.vault.caProvider).toEqual({ type: 'Secret', name: 'vault-ca-trust', key: 'ca.crt' });
  });

  it('refuses a non-https server and an empty audience', () => {
    expect(() => new VaultSecretStore(chart(), 's', { ...storeProps, server: 'http://v:8200' })).toThrow('server "http://v:8200" must be an https URL');
    expect(() => new VaultSecretStore(chart(), 's', { ...storeProps, audience: '' })).toThrow('audience "" is not a token audience');
  });
});

describe('KubernetesSecretStore', () => {
  it('reads exactly the named Secrets of the remote namespace: Role get with resourceNames, bound to its own ServiceAccount', () => {
    const c = chart();
    new KubernetesSecretStore(c, 'k', { name: 'pg', namespace: 'app', remoteNamespace: 'db', secretNames: ['pg-app'], serviceAccountName: 'reader', environment: 'e' });
    const objs = Testing.synth(c);
    const byKind = (k: string) => objs.find((o: any) => o.kind === k);
    expect(byKind('ServiceAccount')).toMatchObject({ metadata: { name: 'reader', namespace: 'app' }, automountServiceAccountToken: false });
    expect(byKind('Role')).toMatchObject({ metadata: { namespace: 'db' }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['pg-app'], verbs: ['get'] }] });
    expect(byKind('RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'reader', namespace: 'app' }]);
    expect(byKind('SecretStore').spec.provider.kubernetes).toEqual({
      remoteNamespace: 'db',
      server: { url: 'https://kubernetes.default.svc', caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt' } },
      auth: { serviceAccount: { name: 'reader' } },
    });
  });

  it('refuses an empty list (it never reads every Secret)', () => {
    expect(() => new KubernetesSecretStore(chart(), 'k', { name: 'pg', namespace: 'app', remoteNamespace: 'db', secretNames: [], serviceAccountName: 'r', environment: 'e' })).toThrow('secretNames is empty');
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

  it('a key from another store of the namespace gets sourceRef.storeRef; another namespace is refused', () => {
    const c = chart();
    const store = new VaultSecretStore(c, 's', storeProps);
    new FinbotExternalSecret(c, 'e', { name: 'x', store, targetName: 't', environment: 'e', data: [{ secretKey: 'k', remoteKey: 'pg-app', property: 'uri', store: { name: 'pg', namespace: 'ns' } }] });
    expect(Testing.synth(c)[2].spec.data[0].sourceRef).toEqual({ storeRef: { name: 'pg', kind: 'SecretStore' } });
    expect(() => new FinbotExternalSecret(chart(), 'e', { name: 'x', store, targetName: 't', environment: 'e', data: [{ secretKey: 'k', remoteKey: 'a', property: 'p', store: { name: 'pg', namespace: 'other' } }] }))
      .toThrow('a SecretStore serves only its own namespace');
  });

  it('refuses empty data and duplicate keys', () => {
    const c = chart();
    const store = new VaultSecretStore(c, 's', storeProps);
    expect(() => new FinbotExternalSecret(c, 'e1', { name: 'x', store, targetName: 't', environment: 'e', data: [] })).toThrow('ExternalSecret x: data is empty');
    const d = { secretKey: 'k', remoteKey: 'a', property: 'p' };
    expect(() => new FinbotExternalSecret(c, 'e2', { name: 'y', store, targetName: 't', environment: 'e', data: [d, d] })).toThrow('secretKey "k" appears twice');
  });
});

describe('VaultServer', () => {
  it('one Application for the vault chart; the config travels in server.ha.raft.config, not in a ConfigMap of ours', () => {
    const c = chart();
    const v = new VaultServer(c, 'v', vaultProps);
    const objs = Testing.synth(c);
    expect(objs.filter((o: any) => o.kind === 'ConfigMap')).toEqual([]);
    const app = objs.find((o: any) => o.kind === 'Application');
    expect(app.spec.source.helm.valuesObject.server.ha.raft.config).toBe(v.hcl);
    expect(v.hcl).toContain('disable_mlock = true');
    // The chart copies the config to /tmp before starting Vault: /tmp must be writable with a read-only root.
    expect(VAULT_HELM_RENDERED_CONFIG.startsWith('/tmp/')).toBe(true);
    expect(app.spec.source.helm.valuesObject.server.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('a private CA chain: self-signed → CA → listener certificate and a trust Certificate per namespace', () => {
    const c = chart();
    new VaultServer(c, 'v', vaultProps);
    const objs = Testing.synth(c);
    const certs = objs.filter((o: any) => o.kind === 'Certificate');
    expect(certs.map((x: any) => `${x.metadata.namespace}/${x.metadata.name}`).sort()).toEqual(['app/vault-ca-trust', 'cert-manager/vault-e-ca', 'vault/vault-tls']);
    expect(certs.find((x: any) => x.metadata.name === 'vault-e-ca').spec.isCA).toBe(true);
    expect(objs.filter((o: any) => o.kind === 'ClusterIssuer').map((x: any) => Object.keys(x.spec)[0]).sort()).toEqual(['ca', 'selfSigned']);
  });

  it('refuses plain http, an even number of raft voters and an unpinned image', () => {
    expect(() => new VaultServer(chart(), 'v', { ...vaultProps, apiAddr: 'http://v:8200' })).toThrow('apiAddr "http://v:8200" must start with https://');
    expect(() => new VaultServer(chart(), 'v', { ...vaultProps, replicas: 2 })).toThrow('replicas is 2; raft needs an odd number');
    expect(() => new VaultServer(chart(), 'v', { ...vaultProps, image: { repository: 'hashicorp/vault', tag: 'latest' } })).toThrow('image tag "latest" is not pinned');
  });
});

describe('SnapshotBackup', () => {
  const props: SnapshotBackupProps = {
    name: 'b', namespace: 'ns', environment: 'e', component: 'x', schedule: '30 2 * * *',
    snapshot: { image: 'quay.io/opstree/redis:v7.0.15', script: 'redis-cli --rdb /backup/x.rdb' },
    uploaderImage: 'docker.io/amazon/aws-cli:2.22.35', bucket: 'bkt', prefix: 'redis', kmsKeyId: 'alias/k', region: 'us-west-2',
    credentials: { secretName: 'creds', accessKeyIdKey: 'A', secretAccessKeyKey: 'S' },
  };
  const cronJob = (p: SnapshotBackupProps) => {
    const c = chart();
    new SnapshotBackup(c, 'b', p);
    return Testing.synth(c).find((o: any) => o.kind === 'CronJob');
  };

  it('snapshot in an init container, upload with SSE-KMS, restricted, no API token, credentials from the Secret', () => {
    const pod = cronJob(props).spec.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const ctr of [...pod.initContainers, ...pod.containers]) {
      expect(ctr.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
    const upload = pod.containers[0];
    expect(upload.command[2]).toContain('--sse aws:kms --sse-kms-key-id "${KMS_KEY_ID}"');
    expect(upload.env).toContainEqual({ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'creds', key: 'A' } } });
    expect(upload.env).toContainEqual({ name: 'BUCKET', value: 'bkt' });
  });

  it('a projected token only with a non-API audience', () => {
    const pod = cronJob({ ...props, tokenAudience: 'vault' }).spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'token', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }] } });
    expect(() => cronJob({ ...props, tokenAudience: 'https://kubernetes.default.svc' })).toThrow('a backup pod gets no Kubernetes API access');
  });

  it('refuses a six-field schedule and an unpinned image', () => {
    expect(() => cronJob({ ...props, schedule: '0 30 2 * * *' })).toThrow('is not a five-field cron expression');
    expect(() => cronJob({ ...props, uploaderImage: 'amazon/aws-cli:latest' })).toThrow('uploaderImage "amazon/aws-cli:latest" has no pinned tag');
  });
});
