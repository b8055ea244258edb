/**
 * Secret management (design document: Secret Management): Vault's server configuration and, in every
 * namespace that needs secrets, the SecretStore `vault-backend` and the ExternalSecrets that fill the
 * Secrets named in constructs/secret-names.ts.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { FinbotExternalSecret } from '../constructs/external-secret';
import {
  APP_SECRET_KEYS, APP_SECRET_NAME, BACKUP_CREDS_KEYS, BACKUP_CREDS_SECRET, REDIS_PASSWORD_KEY, REDIS_PASSWORD_SECRET,
} from '../constructs/secret-names';
import { VaultConfig } from '../constructs/vault-config';
import { VaultSecretStore } from '../constructs/vault-secret-store';
import type { EnvironmentNamespaces } from './platform-chart';

/** Props of {@link SecretsChart}. */
export interface SecretsChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
}

/** vault-config, SecretStores and ExternalSecrets. */
export class SecretsChart extends Chart {
  readonly vaultConfig: VaultConfig;
  /** SecretStore per namespace: app, database, cache, monitoring (Jaeger's Elasticsearch users). */
  readonly stores: { readonly app: VaultSecretStore; readonly database: VaultSecretStore; readonly cache: VaultSecretStore; readonly monitoring: VaultSecretStore };
  /** `finbot-secrets` → `finbot-app-secrets` (app namespace). */
  readonly appSecrets: FinbotExternalSecret;
  /** `backup-creds` (database namespace). */
  readonly backupCreds: FinbotExternalSecret;
  /** `finbot-redis-password` (cache namespace). */
  readonly redisPassword: FinbotExternalSecret;

  constructor(scope: Construct, id: string, props: SecretsChartProps) {
    super(scope, id);
    const { settings, namespaces } = props;
    const s = settings.secrets;
    const environment = settings.name;

    this.vaultConfig = new VaultConfig(this, 'VaultConfig', {
      namespace: namespaces.vault.name,
      environment,
      consulAddress: s.vault.consul.address,
      consulPath: s.vault.consul.path,
      kmsRegion: s.vault.awskms.region,
      kmsKeyId: s.vault.awskms.kmsKeyId,
      apiAddr: s.vault.apiAddr,
      clusterAddr: s.vault.clusterAddr,
      ui: s.vault.ui,
    });

    const store = (nsId: string, namespace: string): VaultSecretStore => new VaultSecretStore(this, `Store-${nsId}`, {
      namespace,
      environment,
      server: s.secretStore.server,
      path: s.secretStore.path,
      kvVersion: s.secretStore.kvVersion,
      kubernetesAuthMount: s.secretStore.kubernetesAuthMount,
      role: s.secretStore.role,
      serviceAccountName: s.secretStore.serviceAccountName,
      caConfigMap: s.secretStore.caConfigMap,
    });
    this.stores = {
      app: store('App', namespaces.app.name),
      database: store('Database', namespaces.database.name),
      cache: store('Cache', namespaces.cache.name),
      monitoring: store('Monitoring', namespaces.monitoring.name),
    };

    const common = { environment, refreshInterval: s.refreshInterval };
    this.appSecrets = new FinbotExternalSecret(this, 'AppSecrets', {
      ...common,
      name: 'finbot-secrets',
      store: this.stores.app,
      targetName: APP_SECRET_NAME,
      data: [
        { secretKey: APP_SECRET_KEYS.databaseUrl, remoteKey: s.keys.database, property: 'url' },
        { secretKey: APP_SECRET_KEYS.redisPassword, remoteKey: s.keys.redis, property: 'password' },
      ],
    });
    this.backupCreds = new FinbotExternalSecret(this, 'BackupCreds', {
      ...common,
      name: BACKUP_CREDS_SECRET,
      store: this.stores.database,
      targetName: BACKUP_CREDS_SECRET,
      data: [
        { secretKey: BACKUP_CREDS_KEYS.accessKeyId, remoteKey: s.keys.backup, property: BACKUP_CREDS_KEYS.accessKeyId },
        { secretKey: BACKUP_CREDS_KEYS.secretAccessKey, remoteKey: s.keys.backup, property: BACKUP_CREDS_KEYS.secretAccessKey },
      ],
    });
    this.redisPassword = new FinbotExternalSecret(this, 'RedisPassword', {
      ...common,
      name: REDIS_PASSWORD_SECRET,
      store: this.stores.cache,
      targetName: REDIS_PASSWORD_SECRET,
      data: [{ secretKey: REDIS_PASSWORD_KEY, remoteKey: s.keys.redis, property: 'password' }],
    });
  }
}
