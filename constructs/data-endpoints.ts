/**
 * What the application tier needs to know about the data tier: where Postgres and Redis listen, and which
 * environment variables carry that (plain) and the credentials (from the app Secret, never values).
 */
import type { SecretEnv } from './finbot-app';
import { APP_SECRET_KEYS, APP_SECRET_NAME } from './secret-names';

/** A TCP service reachable by cluster DNS name. */
export interface ServiceEndpoint {
  /** Fully qualified Service DNS name, e.g. finbot-postgres-primary-rw.database.svc.cluster.local. */
  readonly host: string;
  readonly port: number;
}

/** The data tier's endpoints, as produced by the data chart's constructs. */
export interface DataEndpoints {
  /** The Postgres read-write Service (always points at the current primary). */
  readonly postgres: ServiceEndpoint;
  /** The Redis cluster's leader Service (clients follow MOVED redirects from there). */
  readonly redis: ServiceEndpoint;
}

/** Plain variables: DATABASE_HOST/PORT and REDIS_HOST/PORT. */
export function dataPlainEnv(data: DataEndpoints): Record<string, string> {
  return {
    DATABASE_HOST: data.postgres.host,
    DATABASE_PORT: String(data.postgres.port),
    REDIS_HOST: data.redis.host,
    REDIS_PORT: String(data.redis.port),
  };
}

/** Credentials from the app Secret that External Secrets fills from Vault (design: `finbot-secrets`). */
export function dataSecretEnv(): SecretEnv[] {
  return [
    { name: 'DATABASE_URL', secretName: APP_SECRET_NAME, key: APP_SECRET_KEYS.databaseUrl },
    { name: 'REDIS_PASSWORD', secretName: APP_SECRET_NAME, key: APP_SECRET_KEYS.redisPassword },
  ];
}
