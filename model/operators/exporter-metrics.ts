/**
 * The metrics the alerts and the Grafana dashboard read, from the exporters and operators that produce them,
 * with the values they take in the odd states (never backed up, never archived, not issued yet). One place
 * for these names: charts/alerts, charts/dashboards and the promtool unit tests read them here.
 */
import { CERT_EXPIRY_METRIC } from './cert-manager';
import { KSM_METRICS } from './kube-state-metrics';

/**
 * Barman Cloud plugin (cloudnative-pg/plugin-barman-cloud v0.14.0, internal/cnpgi/instance/metrics.go): the
 * plugin's metrics are `<plugin name with . and - as _>_<name>`, plugin name `barman-cloud.cloudnative-pg.io`
 * (internal/cnpgi/metadata/constants.go), exported through each instance's CNPG exporter. Both are **0**
 * while the ObjectStore has no recovery window for the server (no backup yet) and otherwise the Unix time of
 * `LastSuccessfulBackupTime` / `LastFailedBackupTime`. The in-core `cnpg_collector_last_available_backup_timestamp`
 * stays 0 for plugin backups (web/docs/migration.md, "Verify your metrics").
 */
export const BARMAN_METRICS = {
  lastAvailableBackup: 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
  lastFailedBackup: 'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp',
} as const;

/**
 * CloudNativePG v1.30.0 default monitoring queries (config/manager/default-monitoring.yaml), exported as
 * `cnpg_<query>_<column>`:
 * - `pg_stat_archiver` runs only where `NOT pg_is_in_recovery()` (the primary; replicas only with
 *   `archive_mode=always`). `seconds_since_last_archival`, `last_archived_time` and `last_failed_time` are
 *   **-1** while no WAL was ever archived / ever failed (`COALESCE(..., -1)`).
 * - `pg_replication.lag` (seconds) on every instance.
 * - `backends.total` per database.
 */
export const CNPG_METRICS = {
  secondsSinceLastArchival: 'cnpg_pg_stat_archiver_seconds_since_last_archival',
  lastArchivedTime: 'cnpg_pg_stat_archiver_last_archived_time',
  lastFailedTime: 'cnpg_pg_stat_archiver_last_failed_time',
  replicationLag: 'cnpg_pg_replication_lag',
  backends: 'cnpg_backends_total',
} as const;

/** redis_exporter (the OpsTree operator's sidecar): `redis_up` is 1 when the exporter reached Redis, 0 otherwise. */
export const REDIS_METRICS = { up: 'redis_up', keyspaceHits: 'redis_keyspace_hits_total', keyspaceMisses: 'redis_keyspace_misses_total' } as const;

/**
 * blackbox_exporter (prober/handler.go): `probe_success` is 1 or 0 per probe. prometheus-operator v0.93.0 sets
 * the series' `job` to the Probe's `spec.jobName` and adds the static config labels to every target
 * (pkg/prometheus/promcfg.go `generateProbeConfig`).
 */
export const BLACKBOX_METRICS = { success: 'probe_success', durationSeconds: 'probe_duration_seconds' } as const;

/**
 * Istio 1.30 standard metrics, served by every sidecar's Envoy on `http-envoy-prom` 15090 `/stats/prometheus`
 * (istio/istio 1.30.3 manifests/charts/istio-control/istio-discovery/files/injection-template.yaml; the port is
 * excluded from traffic capture there, `-d 15090,15021`). `istio_requests_total` carries `reporter`,
 * `destination_service_name`, `destination_workload`, `response_code`, `request_protocol`.
 */
export const ISTIO_METRICS = { requests: 'istio_requests_total', requestDuration: 'istio_request_duration_milliseconds_bucket' } as const;
export const ENVOY_PROMETHEUS_PORT = { name: 'http-envoy-prom', port: 15090, path: '/stats/prometheus' } as const;

/** cert-manager's certificate expiry (see ./cert-manager). */
export { CERT_EXPIRY_METRIC, KSM_METRICS };
