/**
 * What CloudNativePG v1.30.0 does with a Cluster (postgresql.cnpg.io/v1): the Services, Secrets and pod
 * labels it makes. Every fact cites the upstream file at tag v1.30.0 of
 * https://github.com/cloudnative-pg/cloudnative-pg. Constructs, the cluster model and the tools read it.
 */

import type { DerivedObjects } from './derived';

export const CNPG_RELEASE = 'v1.30.0';

/** Ports of an instance pod. */
export const POSTGRES_PORTS = {
  /** pkg/postgres/configuration.go `ServerPort`. */
  postgres: 5432,
  /** Instance manager status endpoint the operator polls: pkg/management/url/url.go `StatusPort`. */
  status: 8000,
  /** Prometheus exporter of the instance manager, container port `metrics` (pkg/management/url/url.go `PostgresMetricsPort`). */
  metrics: 9187,
} as const;

/** Label keys (pkg/utils/labels_annotations.go). */
export const CNPG_LABELS = {
  cluster: 'cnpg.io/cluster',
  podRole: 'cnpg.io/podRole',
  instanceRole: 'cnpg.io/instanceRole',
} as const;

/** Labels every instance pod carries (pkg/specs/pods.go; podRole `instance`, pkg/utils `PodRoleInstance`). */
export function cnpgInstanceLabels(cluster: string): Record<string, string> {
  return { [CNPG_LABELS.cluster]: cluster, [CNPG_LABELS.podRole]: 'instance' };
}

/** Labels of every pod of a cluster (instances and the operator's join/initdb jobs). */
export function cnpgClusterPodSelector(cluster: string): Record<string, string> {
  return { [CNPG_LABELS.cluster]: cluster };
}

/**
 * The Services (api/v1/cluster_types.go `ServiceReadWriteSuffix` "-rw", `ServiceReadOnlySuffix` "-ro",
 * `ServiceReadSuffix` "-r"; selectors in pkg/specs/services.go: -rw selects instanceRole primary, -ro
 * instanceRole replica, -r every instance). Port 5432 named `postgres`.
 */
export const CNPG_SERVICE_SUFFIXES = { readWrite: '-rw', readOnly: '-ro', read: '-r' } as const;

export function cnpgServiceSelector(cluster: string, suffix: keyof typeof CNPG_SERVICE_SUFFIXES): Record<string, string> {
  if (suffix === 'readWrite') return { [CNPG_LABELS.cluster]: cluster, [CNPG_LABELS.instanceRole]: 'primary' };
  if (suffix === 'readOnly') return { [CNPG_LABELS.cluster]: cluster, [CNPG_LABELS.instanceRole]: 'replica' };
  return cnpgInstanceLabels(cluster);
}

/** Fully qualified name of the read-write Service. */
export function cnpgReadWriteHost(cluster: string, namespace: string): string {
  return `${cluster}${CNPG_SERVICE_SUFFIXES.readWrite}.${namespace}.svc.cluster.local`;
}

/**
 * Secrets the operator creates: `<cluster>-app` (api/v1/cluster_types.go `ApplicationUserSecretSuffix`,
 * owner of the initdb database), `<cluster>-superuser`, and the certificates `-ca`, `-server`, `-replication`.
 */
export const CNPG_SECRET_SUFFIXES = ['app', 'superuser', 'ca', 'server', 'replication'] as const;

export function cnpgAppSecretName(cluster: string): string {
  return `${cluster}-app`;
}

/**
 * Keys of the `<cluster>-app` Secret (pkg/specs/secrets.go `CreateSecret`): `fqdn-uri` is
 * postgresql://<user>:<password>@<cluster>-rw.<namespace>.svc.cluster.local:5432/<db>, as
 * pkg/specs/secrets_test.go expects ("postgresql://thisuser:thispassword@thishost.namespace.svc.cluster.local:5432/thisdb").
 * The operator keeps it in sync with the role's password, so no person copies it.
 */
export const CNPG_APP_SECRET_KEYS = ['username', 'user', 'password', 'dbname', 'host', 'port', 'pgpass', 'uri', 'jdbc-uri', 'fqdn-uri', 'fqdn-jdbc-uri'] as const;

/** The URI of the `-app` Secret as the operator builds it (for tests mirroring secrets_test.go). */
export function cnpgFqdnUri(host: string, namespace: string, db: string, user: string, password: string): string {
  return `postgresql://${user}:${password}@${host}.${namespace}.svc.cluster.local:${POSTGRES_PORTS.postgres}/${db}`;
}

/**
 * Pods, Services and Secrets of a Cluster (pkg/specs/pods.go container ports `postgresql` 5432, `metrics`
 * 9187, `status` 8000; pkg/specs/services.go; the Secrets above). `inheritedMetadata.labels` are copied to
 * the pods (api/v1/cluster_types.go `InheritedMetadata`). `instances` (api/v1/cluster_types.go, kubebuilder
 * default 1) pods: one primary, the others replicas.
 */
export function cnpgClusterDerived(name: string, inheritedLabels: Record<string, string> = {}, instances = 1): DerivedObjects {
  const svcPorts = [{ port: POSTGRES_PORTS.postgres, name: 'postgres', targetPort: POSTGRES_PORTS.postgres }];
  return {
    pods: [
      { what: 'CloudNativePG primary', labels: { ...cnpgInstanceLabels(name), [CNPG_LABELS.instanceRole]: 'primary', ...inheritedLabels }, ports: instancePorts(), replicas: Math.min(1, instances) },
      { what: 'CloudNativePG replica', labels: { ...cnpgInstanceLabels(name), [CNPG_LABELS.instanceRole]: 'replica', ...inheritedLabels }, ports: instancePorts(), replicas: Math.max(0, instances - 1) },
    ],
    services: (Object.keys(CNPG_SERVICE_SUFFIXES) as Array<keyof typeof CNPG_SERVICE_SUFFIXES>).map((k) => ({
      name: `${name}${CNPG_SERVICE_SUFFIXES[k]}`,
      selector: cnpgServiceSelector(name, k),
      ports: svcPorts,
    })),
    secrets: CNPG_SECRET_SUFFIXES.map((x) => `${name}-${x}`),
  };
}

function instancePorts() {
  return [
    { port: POSTGRES_PORTS.postgres, name: 'postgresql' },
    { port: POSTGRES_PORTS.metrics, name: 'metrics' },
    { port: POSTGRES_PORTS.status, name: 'status' },
  ];
}

/**
 * The distributed topology (two Clusters in two Kubernetes clusters, one of them the primary), as CloudNativePG
 * v1.30.0 reads `spec.replica` and `spec.externalClusters`:
 * - api/v1/cluster_funcs.go `IsReplica`: with `enabled` unset, a cluster is a replica exactly when its
 *   `replica.self` (default: its own name) differs from `replica.primary`; `enabled` set wins (the legacy
 *   standalone replica cluster, which can only be promoted, never switched back).
 * - internal/webhook/v1/cluster_webhook.go `validateReplicaMode`: `enabled` and `primary` are mutually
 *   exclusive; a replica needs a `bootstrap` (recovery or pg_basebackup when the cluster is created);
 *   `validateReplicaClusterExternalClusters`: `source`, `self` and `primary` must each name an entry of
 *   `externalClusters`; `validatePromotionToken`: a `promotionToken` only on a cluster that is not a replica.
 * - docs/src/replica_cluster.md "Distributed Topology": changing `primary` on the primary demotes it and writes
 *   `.status.demotionToken`; that token as the other cluster's `promotionToken` makes the promotion wait for that
 *   LSN (no data loss, no rebuild); without a token the promotion is a failover and the former primary must be
 *   re-cloned if it comes back.
 * - api/v1/cluster_funcs.go `ShouldPromoteFromReplicaCluster`: a token equal to `.status.lastPromotionToken` is
 *   not used twice.
 * - pkg/postgres/configuration.go: a replica cluster runs with `archive_mode = always` (a primary with `on`), so
 *   the replica's designated primary archives the WAL it replays into its own store: the standby region's
 *   archive is complete before a failover, and its archiving alerts hold in standby too.
 * - docs/src/replica_cluster.md "About PostgreSQL Roles": a replica keeps the source's roles and passwords (no
 *   writes in recovery); on promotion CNPG applies its own application-user password (`<cluster>-app`), so each
 *   region's apps, which read their own cluster's `-app` Secret, authenticate once their cluster is the primary.
 */
export const CNPG_DISTRIBUTED_TOPOLOGY = {
  /** Status field of a demoted primary holding the token (docs/src/replica_cluster.md, api/v1/cluster_types.go `DemotionToken`). */
  demotionTokenStatusField: 'demotionToken',
} as const;

/** True when CloudNativePG runs this `spec.replica` as a replica (api/v1/cluster_funcs.go `IsReplica`, v1.30.0). */
export function cnpgIsReplica(clusterName: string, replica: { enabled?: boolean; primary?: string; self?: string } | undefined): boolean {
  if (!replica) return false;
  if (replica.enabled !== undefined) return replica.enabled;
  return (replica.self || clusterName) !== replica.primary;
}

/**
 * Fencing (pkg/utils/labels_annotations.go `FencedInstanceAnnotation` = `cnpg.io/fencedInstances`; pkg/utils/fencing.go
 * `FenceAllInstances` = "*", the value a JSON list of instance names): every instance of a fenced cluster is shut
 * down and accepts no connections (api/v1/cluster_funcs.go, `IsInstanceFenced` checks for "*").
 */
export const CNPG_FENCING = { annotation: 'cnpg.io/fencedInstances', all: '["*"]' } as const;

/**
 * `bootstrap.recovery.database` / `owner` (api/v1/cluster_types.go `BootstrapRecovery`, v1.30.0): "Name of the
 * database used by the application. Default: `app`", the owner defaulting to the database; docs/src/recovery.md
 * "Configure the application database": after recovery CNPG creates that database/owner if missing and keeps the
 * owner's password in `<cluster>-app`. A recovered cluster must therefore name the initdb database and owner.
 */
export const CNPG_RECOVERY_APP_DEFAULT = { database: 'app' } as const;
