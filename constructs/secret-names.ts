/**
 * Names shared by the charts that produce Secrets (External Secrets from Vault) and the charts that
 * consume them. Secret values never appear in this repository: only names and keys.
 */

/** SecretStore (external-secrets.io/v1) backed by Vault, one in each namespace that needs secrets. */
export const SECRET_STORE_NAME = 'vault-backend';
/** The design document's ExternalSecret `finbot-secrets` writes this Secret in the app namespace. */
export const APP_SECRET_NAME = 'finbot-app-secrets';
/** Keys of {@link APP_SECRET_NAME}. */
export const APP_SECRET_KEYS = { databaseUrl: 'database-url', redisPassword: 'redis-password' } as const;
/** S3 credentials for Postgres backups (design document: `backup-creds`), in the database namespace. */
export const BACKUP_CREDS_SECRET = 'backup-creds';
/** Keys of {@link BACKUP_CREDS_SECRET}. */
export const BACKUP_CREDS_KEYS = { accessKeyId: 'ACCESS_KEY_ID', secretAccessKey: 'SECRET_ACCESS_KEY' } as const;
/** The Redis password (OpsTree RedisCluster `redisSecret`), in the cache namespace. */
export const REDIS_PASSWORD_SECRET = 'finbot-redis-password';
/** Key of {@link REDIS_PASSWORD_SECRET}. */
export const REDIS_PASSWORD_KEY = 'password';
