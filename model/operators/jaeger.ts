/**
 * What the Jaeger v2 images do with what the project renders, as read in jaegertracing/jaeger at v2.10.0
 * (the same commit is tagged v1.73.0: the release publishes the v2 binary and the v1-numbered tools).
 * Read by constructs/jaeger-v2.ts, constructs/jaeger-index-cleaner.ts and the capacity/diagram tools.
 */

/** The Jaeger v2 release these facts were read at. */
export const JAEGER_RELEASE = 'v2.10.0';

/**
 * The Jaeger v2 image (an OpenTelemetry Collector distribution): entrypoint `/cmd/jaeger/jaeger-linux`, user
 * 10001, `/tmp` a volume.
 * @see jaegertracing/jaeger cmd/jaeger/Dockerfile (v2.10.0)
 */
export const JAEGER_IMAGE = 'docker.io/jaegertracing/jaeger';
/** @see {@link JAEGER_IMAGE} */
export const JAEGER_UID = 10001;
/** @see {@link JAEGER_IMAGE} */
export const JAEGER_ENTRYPOINT = '/cmd/jaeger/jaeger-linux';

/**
 * Ports the image exposes that the project uses: OTLP gRPC/HTTP (collector), the query UI/HTTP API and gRPC
 * API, the healthcheckv2 HTTP endpoint and the collector's own Prometheus telemetry.
 * @see jaegertracing/jaeger cmd/jaeger/Dockerfile (v2.10.0): EXPOSE 4317, 4318, 16686, 13133
 * @see jaegertracing/jaeger cmd/jaeger/config-elasticsearch.yaml (v2.10.0): telemetry metrics on 8888
 */
export const JAEGER_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, queryHttp: 16686, queryGrpc: 16685, health: 13133, metrics: 8888 } as const;

/**
 * The `healthcheckv2` extension (contrib v0.132.0, the version Jaeger v2.10.0's go.mod pins) serves the
 * aggregated component status on `http.status.path` (default `/status`): 503 while any component is
 * starting (the storage extension's start includes the Elasticsearch ping), 200 when running, 500 on a fatal
 * error and, with `component_health.include_permanent_errors`, on a permanent error; with
 * `include_recoverable_errors`, on a recoverable error older than `recovery_duration`.
 * @see jaegertracing/jaeger go.mod (v2.10.0): healthcheckv2extension v0.132.0
 * @see open-telemetry/opentelemetry-collector-contrib extension/healthcheckv2extension/factory.go: default /status on 13133
 * @see open-telemetry/opentelemetry-collector-contrib extension/healthcheckv2extension/internal/http/responders.go: responseCodes, componentHealthResponder
 */
export const HEALTHCHECK_V2_STATUS_PATH = '/status';

/**
 * What the probes cannot see: after start, the Elasticsearch span writer indexes through the client's bulk
 * processor (`Add()`, no error returned) and Jaeger's storage exporter reports no component status, so an
 * Elasticsearch outage after start leaves `/status` at 200.
 * @see jaegertracing/jaeger internal/storage/v1/elasticsearch/spanstore/writer.go (v2.10.0): writeSpan
 * @see jaegertracing/jaeger cmd/jaeger/internal/exporters/storageexporter/factory.go (v2.10.0): no componentstatus reports
 */
export const STATUS_REFLECTS_WRITE_FAILURES = false;

/**
 * The Elasticsearch storage backend, at start, pings the first server URL to learn the version (and the
 * client health-checks the nodes) and fails the extension's start when it cannot: the process exits. It
 * creates the span and service index templates at start when `create_mappings` is true (the default).
 * Index names are `<index_prefix>-jaeger-span-<date>` etc. (`index_prefix` joined with `-`).
 * @see jaegertracing/jaeger internal/storage/elasticsearch/config/config.go (v2.10.0): NewClient (Ping), IndexPrefix.Apply
 * @see jaegertracing/jaeger internal/storage/v1/elasticsearch/factory.go (v2.10.0): createTemplates
 * @see jaegertracing/jaeger internal/storage/v1/elasticsearch/options.go (v2.10.0): CreateIndexTemplates default true
 */
export function jaegerIndexPattern(indexPrefix: string): string {
  return `${indexPrefix === '' ? '' : indexPrefix.endsWith('-') ? indexPrefix : `${indexPrefix}-`}jaeger-*`;
}

/**
 * The Elasticsearch backend reads the basic-auth password from a file (`auth.basic.password_file`), so the
 * password never sits in an environment variable.
 * @see jaegertracing/jaeger internal/storage/elasticsearch/config/config.go (v2.10.0): BasicAuthentication.PasswordFilePath
 */
export const ES_PASSWORD_FILE_SUPPORTED = true;

/**
 * The index cleaner: image `jaegertracing/jaeger-es-index-cleaner`, published with the v1 number of the
 * release (v2.10.0 ↔ 1.73.0: CI builds the tools with `BRANCH=$(make echo-v1)`), entrypoint
 * `/go/bin/es-index-cleaner-linux`, user 10001. Arguments `NUM_OF_DAYS http(s)://HOST:PORT`; flags also read
 * from the environment (`.`/`-` → `_`, upper case): `INDEX_PREFIX`, `ES_USERNAME`, `ES_PASSWORD`,
 * `ES_TLS_ENABLED`, `ES_TLS_CA`. It lists `<prefix>-jaeger-*` and deletes the daily indices older than the
 * cutoff (tomorrow midnight UTC minus NUM_OF_DAYS).
 * @see jaegertracing/jaeger cmd/es-index-cleaner/main.go, cmd/es-index-cleaner/app/flags.go, cmd/es-index-cleaner/Dockerfile (v2.10.0)
 * @see jaegertracing/jaeger scripts/build/build-upload-docker-images.sh, .github/workflows/ci-release.yml, scripts/utils/compute-tags.sh (v2.10.0)
 * @see jaegertracing/jaeger internal/config/config.go (v2.10.0): AutomaticEnv with the `-`/`.` → `_` replacer
 * @see jaegertracing/jaeger internal/storage/elasticsearch/client/index_client.go (v2.10.0): GetJaegerIndices, DeleteIndices
 */
export const INDEX_CLEANER_IMAGE = 'docker.io/jaegertracing/jaeger-es-index-cleaner';

/** The tools' (v1-numbered) tag of a Jaeger v2 release: 2.N.P ↔ 1.(N+63).P. */
export function jaegerToolsVersion(v2: string): string {
  const m = /^v?2\.(\d+)\.(\d+)$/.exec(v2);
  if (!m) throw new Error(`jaegerToolsVersion: "${v2}" is not a Jaeger v2 release such as 2.10.0`);
  return `1.${Number(m[1]) + 63}.${m[2]}`;
}
