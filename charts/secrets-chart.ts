/**
 * Secret management (design document: Secret Management): the Vault server (vault-helm through Argo CD, its
 * TLS chain, its snapshot backup and NetworkPolicies) and, in every namespace that needs secrets, the
 * SecretStore `vault-backend` with a Vault role of its own and the ExternalSecrets that fill the Secrets
 * named in constructs/secret-names.ts. The database credentials come from the Secret CloudNativePG
 * maintains (Kubernetes provider), not from Vault: nobody copies a password.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { FinbotExternalSecret } from '../constructs/external-secret';
import { KubernetesSecretStore } from '../constructs/kubernetes-secret-store';
import {
  APP_SECRET_KEYS, APP_SECRET_NAME, BACKUP_CREDS_KEYS, BACKUP_CREDS_SECRET, REDIS_PASSWORD_KEY, REDIS_PASSWORD_SECRET,
} from '../constructs/secret-names';
import { SnapshotBackup, BACKUP_TOKEN_PATH } from '../constructs/snapshot-backup';
import { VaultNetworkPolicies } from '../constructs/vault-network-policies';
import { VaultSecretStore } from '../constructs/vault-secret-store';
import { VaultServer } from '../constructs/vault-server';
import type { DataChart } from './data-chart';
import { imageRef, REDIS_BACKUP_CREDS_SECRET } from './data-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** Props of {@link SecretsChart}. */
export interface SecretsChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
  /** The data tier: its Postgres `-app` Secret and Redis password Secret are wired from here. */
  readonly data: DataChart;
}

/** The Kubernetes-provider store in the app namespace that reads the CloudNativePG `-app` Secret. */
export const POSTGRES_APP_STORE = 'postgres-app';
/** Key of the CNPG `-app` Secret used as DATABASE_URL: the URI with the -rw Service's full name. */
export const POSTGRES_URI_KEY = 'fqdn-uri';
/** S3 keys of the Vault snapshot job (vault namespace). */
export const VAULT_BACKUP_CREDS_SECRET = 'vault-backup-creds';

/** One consumer of Vault: its Kubernetes identity, its Vault role and exactly the keys it reads. */
export interface VaultConsumer {
  readonly consumer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly role: string;
  /** KV paths (below the mount) the role's policy may read; `sys/...` paths are read as given. */
  readonly reads: readonly string[];
}

/**
 * The Vault roles and policies this output needs, one per consumer (docs/secrets.md prints them as Vault
 * commands; a test checks every ExternalSecret stays within its store's list).
 */
export function vaultConsumers(settings: Settings): VaultConsumer[] {
  const s = settings.secrets;
  const ns = settings.platform.namespaces;
  const sa = s.secretStore.serviceAccountName;
  return [
    { consumer: 'app', namespace: ns.app, serviceAccount: sa, role: s.roles.app, reads: [s.keys.redis] },
    { consumer: 'database', namespace: ns.database, serviceAccount: sa, role: s.roles.database, reads: [s.keys.backup.postgres] },
    { consumer: 'cache', namespace: ns.cache, serviceAccount: sa, role: s.roles.cache, reads: [s.keys.redis, s.keys.backup.redis] },
    // Alertmanager's receiver credentials and Jaeger's Elasticsearch users' passwords (observability.yaml).
    { consumer: 'monitoring', namespace: ns.monitoring, serviceAccount: sa, role: settings.observability.alertmanager.credentials.vaultRole, reads: [settings.observability.alertmanager.credentials.vaultKey, settings.observability.tracing.elasticsearch.usersVaultKey] },
    { consumer: 'vault', namespace: ns.vault, serviceAccount: sa, role: s.roles.vault, reads: [s.keys.backup.vault] },
    { consumer: 'vault-snapshot', namespace: ns.vault, serviceAccount: vaultBackupName(settings), role: s.roles.vaultSnapshot, reads: ['sys/storage/raft/snapshot'] },
  ];
}

/** Name of the Vault snapshot CronJob and its ServiceAccount. */
export function vaultBackupName(settings: Settings): string {
  return `${settings.secrets.vault.helm.releaseName}-backup`;
}

/** Vault, SecretStores, ExternalSecrets, Vault backups. */
export class SecretsChart extends Chart {
  readonly vault: VaultServer;
  readonly vaultBackup: SnapshotBackup;
  readonly vaultPolicies: VaultNetworkPolicies;
  /** SecretStore per namespace: app, database, cache, monitoring (Alertmanager's receivers), vault. */
  readonly stores: { readonly app: VaultSecretStore; readonly database: VaultSecretStore; readonly cache: VaultSecretStore; readonly monitoring: VaultSecretStore; readonly vault: VaultSecretStore };
  /** Reads the CloudNativePG `<cluster>-app` Secret from the database namespace into the app namespace. */
  readonly postgresAppStore: KubernetesSecretStore;
  /** `finbot-secrets` → `finbot-app-secrets` (app namespace). */
  readonly appSecrets: FinbotExternalSecret;
  /** `backup-creds` (database namespace). */
  readonly backupCreds: FinbotExternalSecret;
  /** `finbot-redis-password` (cache namespace). */
  readonly redisPassword: FinbotExternalSecret;
  /** S3 keys of the Redis and Vault snapshot jobs. */
  readonly redisBackupCreds: FinbotExternalSecret;
  readonly vaultBackupCreds: FinbotExternalSecret;

  constructor(scope: Construct, id: string, props: SecretsChartProps) {
    super(scope, id);
    const { settings, namespaces } = props;
    // Objects are created in this order (the output's order).
    this.vault = this.vaultServer(settings, namespaces);
    this.stores = this.vaultStores(settings, namespaces);
    this.postgresAppStore = new KubernetesSecretStore(this, 'PostgresAppStore', {
      name: POSTGRES_APP_STORE,
      namespace: namespaces.app.name,
      remoteNamespace: props.data.postgres.namespace,
      secretNames: [props.data.postgres.appSecretName],
      serviceAccountName: 'postgres-app-reader',
      environment: settings.name,
    });
    const secrets = this.externalSecrets(settings, props.data);
    this.appSecrets = secrets.appSecrets;
    this.backupCreds = secrets.backupCreds;
    this.redisPassword = secrets.redisPassword;
    this.redisBackupCreds = secrets.redisBackupCreds;
    this.vaultBackupCreds = secrets.vaultBackupCreds;

    this.vaultBackup = this.addVaultBackup(settings, namespaces);
    this.vaultPolicies = new VaultNetworkPolicies(this, 'VaultPolicies', {
      namespace: namespaces.vault.name,
      serverPods: this.vault.podLabels,
      backupPods: this.vaultBackup.podLabels,
      externalSecretsNamespace: settings.secrets.secretStore.controllerNamespace,
    });
  }

  /** Step: Vault (vault-helm through an Argo CD Application), trusted by the namespaces of the stores. */
  private vaultServer(settings: Settings, namespaces: EnvironmentNamespaces): VaultServer {
    const s = settings.secrets;
    const environment = settings.name;
    return new VaultServer(this, 'Vault', {
      namespace: namespaces.vault.name,
      environment,
      releaseName: s.vault.helm.releaseName,
      chartVersion: s.vault.helm.chartVersion,
      image: { repository: `${s.vault.image.registry}/${s.vault.image.repository}`, tag: s.vault.image.tag },
      replicas: s.vault.replicas,
      kmsRegion: s.vault.awskms.region,
      kmsKeyId: s.vault.awskms.kmsKeyId,
      apiAddr: s.vault.apiAddr,
      ui: s.vault.ui,
      storageClass: settings.data.storageClass,
      argocdNamespace: settings.gitops.argocdNamespace,
      argocdProject: `finbot-${environment}`,
      // The namespaces of the other SecretStores (vaultStores) trust Vault's CA.
      trustNamespaces: [namespaces.app.name, namespaces.database.name, namespaces.cache.name, namespaces.monitoring.name],
    });
  }

  /** Step: a `vault-backend` SecretStore per consumer namespace, each logging in with its own Vault role. */
  private vaultStores(settings: Settings, namespaces: EnvironmentNamespaces): SecretsChart['stores'] {
    const s = settings.secrets;
    const consumers = vaultConsumers(settings);
    const roleOf = (consumer: string): string => consumers.find((c) => c.consumer === consumer)!.role;
    const store = (nsId: string, namespace: string, consumer: string): VaultSecretStore => new VaultSecretStore(this, `Store-${nsId}`, {
      namespace,
      environment: settings.name,
      server: this.vault.activeAddress,
      path: s.secretStore.path,
      kvVersion: s.secretStore.kvVersion,
      kubernetesAuthMount: s.secretStore.kubernetesAuthMount,
      role: roleOf(consumer),
      audience: s.secretStore.audience,
      serviceAccountName: s.secretStore.serviceAccountName,
      // Vault's listener certificate is from the private CA: trust it through the CA in this namespace.
      caSecret: { name: namespace === namespaces.vault.name ? this.vault.tlsSecret : this.vault.trustSecret, key: 'ca.crt' },
    });
    return {
      app: store('App', namespaces.app.name, 'app'),
      database: store('Database', namespaces.database.name, 'database'),
      cache: store('Cache', namespaces.cache.name, 'cache'),
      monitoring: store('Monitoring', namespaces.monitoring.name, 'monitoring'),
      vault: store('Vault', namespaces.vault.name, 'vault'),
    };
  }

  /** Step: the ExternalSecrets: the apps' Secret, the Redis password and the S3 keys of each backup. */
  private externalSecrets(settings: Settings, data: SecretsChartProps['data']) {
    const s = settings.secrets;
    const common = { environment: settings.name, refreshInterval: s.refreshInterval };
    const appSecrets = new FinbotExternalSecret(this, 'AppSecrets', {
      ...common,
      name: 'finbot-secrets',
      store: this.stores.app,
      targetName: APP_SECRET_NAME,
      data: [
        // CloudNativePG keeps this URI in step with the role's password; ESO copies it (no person does).
        { secretKey: APP_SECRET_KEYS.databaseUrl, remoteKey: data.postgres.appSecretName, property: POSTGRES_URI_KEY, store: this.postgresAppStore },
        { secretKey: APP_SECRET_KEYS.redisPassword, remoteKey: s.keys.redis, property: 'password' },
      ],
    });
    const s3Keys = (remoteKey: string) => [
      { secretKey: BACKUP_CREDS_KEYS.accessKeyId, remoteKey, property: BACKUP_CREDS_KEYS.accessKeyId },
      { secretKey: BACKUP_CREDS_KEYS.secretAccessKey, remoteKey, property: BACKUP_CREDS_KEYS.secretAccessKey },
    ];
    const backupCreds = new FinbotExternalSecret(this, 'BackupCreds', {
      ...common, name: BACKUP_CREDS_SECRET, store: this.stores.database, targetName: BACKUP_CREDS_SECRET, data: s3Keys(s.keys.backup.postgres),
    });
    const redisPassword = new FinbotExternalSecret(this, 'RedisPassword', {
      ...common, name: REDIS_PASSWORD_SECRET, store: this.stores.cache, targetName: REDIS_PASSWORD_SECRET,
      data: [{ secretKey: REDIS_PASSWORD_KEY, remoteKey: s.keys.redis, property: 'password' }],
    });
    const redisBackupCreds = new FinbotExternalSecret(this, 'RedisBackupCreds', {
      ...common, name: REDIS_BACKUP_CREDS_SECRET, store: this.stores.cache, targetName: REDIS_BACKUP_CREDS_SECRET, data: s3Keys(s.keys.backup.redis),
    });
    const vaultBackupCreds = new FinbotExternalSecret(this, 'VaultBackupCreds', {
      ...common, name: VAULT_BACKUP_CREDS_SECRET, store: this.stores.vault, targetName: VAULT_BACKUP_CREDS_SECRET, data: s3Keys(s.keys.backup.vault),
    });
    return { appSecrets, backupCreds, redisPassword, redisBackupCreds, vaultBackupCreds };
  }

  /** Raft snapshot with the Vault CLI (logged in through Kubernetes auth, role vaultSnapshot), uploaded with SSE-KMS. */
  private addVaultBackup(settings: Settings, namespaces: EnvironmentNamespaces): SnapshotBackup {
    const s = settings.secrets;
    const b = settings.data.backups;
    const script = [
      `VAULT_TOKEN="$(vault write -field=token auth/${s.secretStore.kubernetesAuthMount}/login role="$VAULT_ROLE" jwt=@${BACKUP_TOKEN_PATH})"`,
      'export VAULT_TOKEN',
      'vault operator raft snapshot save /backup/vault.snap',
      'ls -l /backup',
    ].join('\n');
    return new SnapshotBackup(this, 'VaultBackup', {
      name: vaultBackupName(settings),
      namespace: namespaces.vault.name,
      environment: settings.name,
      component: 'secrets-backup',
      schedule: b.vault.schedule,
      snapshot: {
        image: imageRef(s.vault.image),
        script,
        // uid of the `vault` user of the image.
        runAsUser: 100,
        env: { VAULT_ADDR: this.vault.activeAddress, VAULT_CACERT: '/vault/tls/ca.crt', VAULT_ROLE: s.roles.vaultSnapshot },
        secretFiles: [{ secretName: this.vault.tlsSecret, key: 'ca.crt', mountPath: '/vault/tls' }],
      },
      uploaderImage: imageRef(b.uploaderImage),
      bucket: b.bucket,
      prefix: 'vault',
      kmsKeyId: b.kmsKeyId,
      region: settings.platform.region,
      credentials: { secretName: VAULT_BACKUP_CREDS_SECRET, accessKeyIdKey: BACKUP_CREDS_KEYS.accessKeyId, secretAccessKeyKey: BACKUP_CREDS_KEYS.secretAccessKey },
      tokenAudience: s.secretStore.audience,
    });
  }
}
