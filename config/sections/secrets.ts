/**
 * secrets.yaml: HashiCorp Vault and the External Secrets Operator (design document: Secret Management).
 * Only addresses, paths and names live here: never a secret value.
 * @see https://external-secrets.io/latest/provider/hashicorp-vault/
 */
import { z } from 'zod';
import { awsRegion, dnsLabel as dnsLabelOf, goDuration, goDurationSeconds, httpsUrl, imageRepository, imageTag, registryHost } from '../fields';

const dnsLabel = dnsLabelOf();

/** A Go duration as ESO reads it (refreshInterval), e.g. 15s, 1m, 1h. */
const duration = goDuration.refine((d) => goDurationSeconds(d) > 0, { message: '0 disables refreshing: use a duration such as 15s, 1m or 1h' });

/** A path of a KV v2 secret below the store's mount, e.g. finbot/database. */
const vaultKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, { message: 'must be a Vault key path such as finbot/database (no leading "/", no mount prefix)' });

/** A pinned container image (registry/repository:tag, or tag@sha256:digest). */
const pinnedImage = z.strictObject({ registry: registryHost, repository: imageRepository, tag: imageTag });

/** The Vault server (vault-helm release, raft storage, KMS auto-unseal); see docs/secrets.md. */
export const vaultServerSchema = z.strictObject({
  /** The vault-helm chart the Argo CD Application installs, and its Helm release name. */
  helm: z.strictObject({
    chartVersion: z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { message: 'must be a vault-helm chart version such as 0.34.1' }),
    releaseName: dnsLabel,
  }),
  /** Vault server image (also runs the raft snapshot backup). */
  image: pinnedImage,
  /** Raft voters (3 or 5 for a quorum that survives one or two losses). */
  replicas: z.number().int().refine((n) => n === 1 || n % 2 === 1, { message: 'must be an odd number (raft quorum): 1, 3 or 5' }),
  /** Auto-unseal with AWS KMS. */
  awskms: z.strictObject({
    region: awsRegion,
    kmsKeyId: z.string().regex(/^(alias\/[A-Za-z0-9/_-]+|[0-9a-f-]{36}|arn:aws:kms:.+)$/, {
      message: 'must be a KMS key alias (alias/vault-unseal-key), key id or key ARN',
    }),
  }),
  /** api_addr: where clients reach Vault (the shared name); cluster_addr is each node's own. */
  apiAddr: httpsUrl,
  /** Serve the web UI. */
  ui: z.boolean(),
});

/** One Vault role per consumer of Vault (least privilege): each reads only its own keys. */
export const vaultRolesSchema = z.strictObject({
  /** App namespace: the Redis password for the apps. */
  app: dnsLabel,
  /** Database namespace: S3 keys of the Postgres backups. */
  database: dnsLabel,
  /** Cache namespace: the Redis password and the S3 keys of the Redis snapshots. */
  cache: dnsLabel,
  /** Vault namespace: S3 keys of the Vault snapshots. */
  vault: dnsLabel,
  /** The Vault snapshot CronJob itself (raft snapshot read). */
  vaultSnapshot: dnsLabel,
});

/** secrets.yaml. */
export const secretsSchema = z
  .strictObject({
    vault: vaultServerSchema,
    /**
     * The SecretStore `vault-backend` in each namespace that needs secrets. Its server is the in-cluster
     * address of the active Vault node (derived: `https://<release>-active.<vault namespace>.svc:8200`).
     */
    secretStore: z.strictObject({
      /** Mount path of the KV engine. */
      path: z.string().regex(/^[a-z0-9_-]+$/, { message: 'must be a mount path without slashes such as secret' }),
      /** KV engine version; the design document uses v2 (versioned). */
      kvVersion: z.enum(['v1', 'v2'], { message: 'must be v1 or v2 (the KV secrets engine version)' }),
      /** Mount path of Vault's Kubernetes auth method. */
      kubernetesAuthMount: z.string().regex(/^[a-z0-9_/-]+$/, { message: 'must be a mount path such as kubernetes' }),
      /** Audience of the ServiceAccount tokens presented to Vault; every Vault role is bound to it. */
      audience: z.string().regex(/^[a-z0-9][a-z0-9.:/-]*$/, { message: 'must be a token audience such as vault' }),
      /** ServiceAccount whose (TokenRequest) tokens log in to Vault, created in each namespace. */
      serviceAccountName: dnsLabel,
      /** Namespace of the External Secrets controller (the only pods that call Vault's API besides its backup). */
      controllerNamespace: dnsLabel,
    }),
    /** One Vault role per consumer. */
    roles: vaultRolesSchema,
    /** How often the controller re-reads Vault (design document: 15s). */
    refreshInterval: duration,
    /** Vault keys (below the KV mount) the ExternalSecrets read. */
    keys: z.strictObject({
      /** Holds property `password`. */
      redis: vaultKey,
      /** S3 keys (`ACCESS_KEY_ID`, `SECRET_ACCESS_KEY`) per backup writer, each allowed only its own prefix. */
      backup: z.strictObject({ postgres: vaultKey, redis: vaultKey, vault: vaultKey }),
    }),
  })
  .superRefine((s, ctx) => {
    const roles = Object.entries(s.roles);
    for (const [consumer, role] of roles) {
      const other = roles.find(([c, r]) => c !== consumer && r === role);
      if (other && consumer > other[0]) {
        ctx.addIssue({ code: 'custom', path: ['roles', consumer], message: `role "${role}" is also the role of ${other[0]}; each consumer needs a Vault role of its own (least privilege)` });
      }
    }
    const keys = [['redis', s.keys.redis], ...Object.entries(s.keys.backup).map(([k, v]) => [`backup.${k}`, v])];
    for (const [name, key] of keys) {
      const other = keys.find(([n, k]) => n !== name && k === key);
      if (other && name > other[0]) {
        ctx.addIssue({ code: 'custom', path: ['keys', ...name.split('.')], message: `Vault key ${key} is also used for ${other[0]}; each secret needs its own key so that its policy can name it alone` });
      }
    }
  });
export type SecretsSettings = z.infer<typeof secretsSchema>;
