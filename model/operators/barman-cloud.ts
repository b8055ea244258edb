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
