import { describe, expect, it } from 'vitest';
import { POSTGRES_APP_STORE, POSTGRES_URI_KEY, vaultConsumers } from '../../charts/secrets-chart';
import { APP_SECRET_NAME, BACKUP_CREDS_SECRET, REDIS_PASSWORD_SECRET, SECRET_STORE_NAME } from '../../constructs/secret-names';
import { cnpgAppSecretName, CNPG_APP_SECRET_KEYS } from '../../model/operators/cloudnative-pg';
import { vaultHelmConfigMapName, VAULT_HELM_REPO } from '../../model/operators/vault';
import { ENVIRONMENTS, find, ofKind, settingsOf, synthObjects } from '../helpers';

const ENVS = ENVIRONMENTS;

describe.each(ENVS)('secrets chart (%s): Vault through vault-helm', (env) => {
  const objs = synthObjects(env);
  const s = settingsOf(env);
  const vaultNs = s.platform.namespaces.vault;
  const release = s.secrets.vault.helm.releaseName;
  const app = find(objs, 'Application', `${release}-${env}`, s.gitops.argocdNamespace);
  const values = app.spec.source.helm.valuesObject;
  const hcl: string = values.server.ha.raft.config;

  it('an Argo CD Application for the vault chart at the pinned version, release name from the settings', () => {
    expect(app.spec.source).toMatchObject({ repoURL: VAULT_HELM_REPO, chart: 'vault', targetRevision: s.secrets.vault.helm.chartVersion });
    expect(app.spec.source.helm.releaseName).toBe(release);
    expect(app.spec.destination.namespace).toBe(vaultNs);
    expect(values.server.ha).toMatchObject({ enabled: true, replicas: s.secrets.vault.replicas, raft: { enabled: true, setNodeId: true } });
  });

  it('nothing else in the output is named like the chart\'s own <release>-config ConfigMap', () => {
    expect(objs.filter((o) => o.metadata.namespace === vaultNs && o.metadata.name === vaultHelmConfigMapName(release))).toEqual([]);
  });

  it('vault.hcl: disable_mlock, raft, TLS listener, KMS seal, the settings\' api_addr and each node\'s own cluster_addr', () => {
    const compact = hcl.replace(/\s+/g, ' ');
    expect(compact).toContain('disable_mlock = true');
    expect(compact).toContain(`api_addr = "${s.secrets.vault.apiAddr}"`);
    // HOSTNAME is replaced with the pod name by the chart's start script: a per-node address.
    expect(compact).toContain(`cluster_addr = "https://HOSTNAME.${release}-internal:8201"`);
    expect(compact).toContain(`seal "awskms" { region = "${s.secrets.vault.awskms.region}" kms_key_id = "${s.secrets.vault.awskms.kmsKeyId}" }`);
    expect(compact).toContain(`tls_cert_file = "/vault/userconfig/${release}-tls/tls.crt"`);
    expect(compact).toContain('storage "raft" { path = "/vault/data"');
    expect((hcl.match(/retry_join/g) ?? []).length).toBe(s.secrets.vault.replicas);
    expect(compact).toContain('service_registration "kubernetes" {}');
  });

  it('the TLS Secret the listener reads is a cert-manager Certificate covering the addresses clients use', () => {
    expect(values.server.extraVolumes).toEqual([{ type: 'secret', name: `${release}-tls` }]);
    const cert = find(objs, 'Certificate', `${release}-tls`, vaultNs);
    expect(cert.spec.secretName).toBe(`${release}-tls`);
    expect(cert.spec.dnsNames).toContain(new URL(s.secrets.vault.apiAddr).hostname);
    expect(cert.spec.dnsNames).toContain(`${release}-active.${vaultNs}.svc`);
    expect(cert.spec.dnsNames).toContain(`*.${release}-internal`);
    expect(cert.spec.ipAddresses).toEqual(['127.0.0.1']);
  });

  it('restricted: read-only root with /tmp as emptyDir (the chart renders the config there), no IPC_LOCK', () => {
    const sc = values.server.statefulSet.securityContext;
    expect(sc.container).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(sc.pod).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(values.server.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });
});

describe.each(ENVS)('secrets chart (%s): SecretStores and ExternalSecrets', (env) => {
  const objs = synthObjects(env);
  const s = settingsOf(env);
  const ns = s.platform.namespaces;
  const consumers = vaultConsumers(s);

  it('a Vault SecretStore per consumer namespace, each with its own role and the audience the roles are bound to', () => {
    const stores = ofKind(objs, 'SecretStore').filter((x) => x.spec.provider.vault);
    expect(stores.map((x) => x.metadata.namespace).sort()).toEqual([ns.app, ns.cache, ns.database, ns.monitoring, ns.vault].sort());
    const roles = new Set<string>();
    for (const store of stores) {
      expect(store.metadata.name).toBe(SECRET_STORE_NAME);
      const v = store.spec.provider.vault;
      expect(v.server).toBe(`https://${s.secrets.vault.helm.releaseName}-active.${ns.vault}.svc:8200`);
      expect(v.version).toBe(s.secrets.secretStore.kvVersion);
      expect(v.auth.kubernetes.serviceAccountRef.audiences).toEqual([s.secrets.secretStore.audience]);
      expect(v.caProvider).toMatchObject({ type: 'Secret', key: 'ca.crt' });
      roles.add(v.auth.kubernetes.role);
      const consumer = consumers.find((c) => c.namespace === store.metadata.namespace && c.role === v.auth.kubernetes.role);
      expect(consumer, `${store.metadata.namespace}: role ${v.auth.kubernetes.role}`).toBeDefined();
      expect(find(objs, 'ServiceAccount', v.auth.kubernetes.serviceAccountRef.name, store.metadata.namespace).automountServiceAccountToken).toBe(false);
    }
    expect(roles.size).toBe(stores.length);
  });

  it('least privilege: every ExternalSecret reads only keys its store\'s role may read', () => {
    for (const es of ofKind(objs, 'ExternalSecret')) {
      for (const d of es.spec.data) {
        const storeName = d.sourceRef?.storeRef?.name ?? es.spec.secretStoreRef.name;
        const store = find(objs, 'SecretStore', storeName, es.metadata.namespace);
        if (!store.spec.provider.vault) continue;
        const role = store.spec.provider.vault.auth.kubernetes.role;
        const allowed = consumers.find((c) => c.role === role)!.reads;
        expect(allowed, `${es.metadata.namespace}/${es.metadata.name} ${d.remoteRef.key}`).toContain(d.remoteRef.key);
      }
    }
  });

  it('DATABASE_URL comes from the Secret CloudNativePG maintains (no copied password), the Redis password from Vault', () => {
    const es = find(objs, 'ExternalSecret', 'finbot-secrets', ns.app);
    expect(es.spec.target).toEqual({ name: APP_SECRET_NAME, creationPolicy: 'Owner' });
    expect(es.spec.refreshInterval).toBe(s.secrets.refreshInterval);
    const pgSecret = cnpgAppSecretName(s.data.postgres.name);
    expect(CNPG_APP_SECRET_KEYS).toContain(POSTGRES_URI_KEY);
    expect(es.spec.data).toEqual([
      { secretKey: 'database-url', remoteRef: { key: pgSecret, property: POSTGRES_URI_KEY }, sourceRef: { storeRef: { name: POSTGRES_APP_STORE, kind: 'SecretStore' } } },
      { secretKey: 'redis-password', remoteRef: { key: s.secrets.keys.redis, property: 'password' } },
    ]);
    const store = find(objs, 'SecretStore', POSTGRES_APP_STORE, ns.app);
    expect(store.spec.provider.kubernetes).toMatchObject({ remoteNamespace: ns.database, auth: { serviceAccount: { name: 'postgres-app-reader' } } });
    // The reader may get exactly that one Secret of the database namespace.
    const role = ofKind(objs, 'Role').find((r) => r.metadata.namespace === ns.database && r.rules.some((x: any) => x.resources.includes('secrets')));
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: [pgSecret], verbs: ['get'] }]);
  });

  it('S3 keys per backup writer, each from its own Vault key', () => {
    const keysOf = (name: string, namespace: string) => find(objs, 'ExternalSecret', name, namespace).spec.data.map((d: any) => d.remoteRef.key);
    expect(new Set(keysOf(BACKUP_CREDS_SECRET, ns.database))).toEqual(new Set([s.secrets.keys.backup.postgres]));
    expect(new Set(keysOf('redis-backup-creds', ns.cache))).toEqual(new Set([s.secrets.keys.backup.redis]));
    expect(new Set(keysOf('vault-backup-creds', ns.vault))).toEqual(new Set([s.secrets.keys.backup.vault]));
    expect(keysOf(REDIS_PASSWORD_SECRET, ns.cache)).toEqual([s.secrets.keys.redis]);
  });

  it('every ExternalSecret refers to a SecretStore in its own namespace', () => {
    for (const es of ofKind(objs, 'ExternalSecret')) {
      expect(() => find(objs, 'SecretStore', es.spec.secretStoreRef.name, es.metadata.namespace), `${env} ${es.metadata.name}`).not.toThrow();
    }
  });
});
