/**
 * What the Barman Cloud plugin v0.14.0 (https://github.com/cloudnative-pg/plugin-barman-cloud) does with an
 * ObjectStore (barmancloud.cnpg.io/v1) referenced from a CloudNativePG Cluster.
 */

export const BARMAN_CLOUD_RELEASE = 'v0.14.0';

/** Plugin name a Cluster references (`.spec.plugins[].name`): internal/cnpgi/metadata/constants.go `PluginName`. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/**
 * The plugin injects a sidecar `plugin-barman-cloud` into every instance pod that ships WAL and base
 * backups to the object store over HTTPS (internal/cnpgi/operator/lifecycle.go): the instance pods need
 * egress to S3 on 443, and read the Secret named in `spec.configuration.s3Credentials`.
 */
export const BARMAN_SIDECAR_EGRESS_PORTS = [443] as const;

/** Name of the sidecar the plugin injects into every instance pod (internal/cnpgi/operator/lifecycle.go, `sidecarTemplate.Name`, v0.14.0). */
export const BARMAN_SIDECAR_CONTAINER = 'plugin-barman-cloud';

/**
 * How the plugin finds the archive of a replica cluster's source (plugin-barman-cloud v0.14.0):
 * - internal/cnpgi/operator/config/config.go `NewFromCluster` / `getReplicaSourcePlugin`: the replica source is
 *   the `externalClusters` entry named by `spec.replica.source`, its `plugin.parameters.barmanObjectName` an
 *   ObjectStore of the Cluster's own namespace (`GetReplicaSourceBarmanObjectKey`), its `serverName` parameter the
 *   folder below the store's destinationPath — when absent the plugin uses the LOCAL cluster's name, so a peer's
 *   entry must name the peer's serverName explicitly. The same holds for `bootstrap.recovery.source`
 *   (`getRecoverySourcePlugin`).
 * - internal/cnpgi/common/wal.go `resolveRestoreObjectStore`: a designated primary that still has a replica
 *   source keeps fetching WAL from that source's store until its promotion completes (switchover and failover).
 * - web/docs/parameters.md: `serverName` on the ObjectStore itself must stay empty; set it as a plugin parameter.
 */
export const BARMAN_REPLICA_SOURCE = { serverNameParameter: 'serverName', objectNameParameter: 'barmanObjectName' } as const;

/**
 * Which store an instance restores WAL from (internal/cnpgi/common/wal.go `resolveRestoreObjectStore`, v0.14.0):
 * the current primary with a replica source configured is a designated primary still in recovery (promotion
 * included) and reads the replica source; with no current primary yet (bootstrap) the recovery source; every
 * other case the cluster's own store — so the standbys of the DR cluster read its own archive, which
 * `archive_mode = always` fills (model/operators/cloudnative-pg.ts).
 */
export function barmanRestoreSource(instance: string, currentPrimary: string, hasReplicaSource: boolean): 'replica-source' | 'recovery' | 'cluster' {
  if (currentPrimary === instance && hasReplicaSource) return 'replica-source';
  if (currentPrimary === '') return 'recovery';
  return 'cluster';
}
