/**
 * secrets.yaml: HashiCorp Vault and the External Secrets Operator (design document: Secret Management).
 * Only addresses, paths and names live here: never a secret value.
 * @see https://external-secrets.io/latest/provider/hashicorp-vault/
 */
import { z } from 'zod';
import { awsRegion, dnsLabel as dnsLabelOf, dnsSubdomain, goDuration, goDurationSeconds, hostPort, httpsUrl } from '../fields';

const dnsLabel = dnsLabelOf();

/** A Go duration as ESO reads it (refreshInterval), e.g. 15s, 1m, 1h. */
const duration = goDuration.refine((d) => goDurationSeconds(d) > 0, { message: '0 disables refreshing: use a duration such as 15s, 1m or 1h' });

/** A path of a KV v2 secret below the store's mount, e.g. finbot/database. */
const vaultKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, { message: 'must be a Vault key path such as finbot/database (no leading "/", no mount prefix)' });

/** The Vault server's own configuration (ConfigMap `vault-config`, file vault.hcl). */
export const vaultServerSchema = z.strictObject({
  /** Consul storage backend: address (host:port) and key prefix. */
  consul: z.strictObject({
    address: hostPort,
    path: z.string().regex(/^[a-z0-9_-]+\/$/, { message: 'must be a key prefix ending in "/" such as vault/' }),
  }),
  /** Auto-unseal with AWS KMS. */
  awskms: z.strictObject({
    region: awsRegion,
    kmsKeyId: z.string().regex(/^(alias\/[A-Za-z0-9/_-]+|[0-9a-f-]{36}|arn:aws:kms:.+)$/, {
      message: 'must be a KMS key alias (alias/vault-unseal-key), key id or key ARN',
    }),
  }),
  /** api_addr: where clients reach Vault. */
  apiAddr: httpsUrl,
  /** cluster_addr: where Vault nodes reach each other (request forwarding). */
  clusterAddr: httpsUrl,
  /** Serve the web UI. */
  ui: z.boolean(),
});

/** secrets.yaml. */
export const secretsSchema = z.strictObject({
  vault: vaultServerSchema,
  /** The SecretStore `vault-backend` in each namespace that needs secrets. */
  secretStore: z.strictObject({
    /** Vault address the External Secrets controller calls. */
    server: httpsUrl,
    /** Mount path of the KV engine. */
    path: z.string().regex(/^[a-z0-9_-]+$/, { message: 'must be a mount path without slashes such as secret' }),
    /** KV engine version; the design document uses v2 (versioned). */
    kvVersion: z.enum(['v1', 'v2'], { message: 'must be v1 or v2 (the KV secrets engine version)' }),
    /** Mount path of Vault's Kubernetes auth method. */
    kubernetesAuthMount: z.string().regex(/^[a-z0-9_/-]+$/, { message: 'must be a mount path such as kubernetes' }),
    /** Vault role bound to the ServiceAccount below in each namespace. */
    role: dnsLabel,
    /** ServiceAccount whose (TokenRequest) tokens log in to Vault, created in each namespace. */
    serviceAccountName: dnsLabel,
    /**
     * CA bundle of Vault's TLS certificate, from a ConfigMap in each namespace; leave out when Vault's
     * certificate is signed by a public CA the controller already trusts.
     */
    caConfigMap: z.strictObject({ name: dnsSubdomain, key: z.string().regex(/^[-._a-zA-Z0-9]{1,253}$/, { message: 'must be a ConfigMap key: letters, digits, "-", "_" and "."' }) }).optional(),
  }),
  /** How often the controller re-reads Vault (design document: 15s). */
  refreshInterval: duration,
  /** Vault keys (below the KV mount) the ExternalSecrets read. */
  keys: z.strictObject({
    /** Holds property `url` (the DATABASE_URL). */
    database: vaultKey,
    /** Holds property `password`. */
    redis: vaultKey,
    /** Holds `ACCESS_KEY_ID` and `SECRET_ACCESS_KEY` for Postgres backups to S3. */
    backup: vaultKey,
  }),
});
export type SecretsSettings = z.infer<typeof secretsSchema>;
