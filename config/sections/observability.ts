/**
 * observability.yaml: Prometheus, Alertmanager, alert thresholds, Grafana and tracing (design document:
 * Monitoring and Observability).
 * @see https://prometheus-operator.dev/docs/api-reference/api/
 */
import { z } from 'zod';
import { tryParseQuantity } from '../quantity';

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'must be a DNS-1123 label (lower case letters, digits, "-"; at most 63)' });
const memory = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, {
    message: 'must be a Kubernetes quantity such as 256Mi, 1Gi or 10Gi (note: "MB"/"GB" are not Kubernetes units; use Mi/Gi)',
  });
const cpu = z.string().regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, { message: 'must be a CPU quantity such as 250m, 0.5 or 2' });
const amounts = z.strictObject({ cpu, memory });

/** Requests and limits; a limit below its request is an error naming the field. */
const resources = z.strictObject({ requests: amounts, limits: amounts }).superRefine((r, ctx) => {
  for (const k of ['cpu', 'memory'] as const) {
    const limit = tryParseQuantity(r.limits[k]);
    const request = tryParseQuantity(r.requests[k]);
    if (limit !== undefined && request !== undefined && limit < request) {
      ctx.addIssue({ code: 'custom', path: ['limits', k], message: `limit ${r.limits[k]} is below the request ${r.requests[k]}: raise the limit or lower the request` });
    }
  }
});
export type ObservabilityResources = z.infer<typeof resources>;

/** A pinned version tag (never `latest`). */
const version = z
  .string()
  .regex(/^v?[0-9]+\.[0-9]+\.[0-9]+$/, { message: 'must be a pinned version such as v3.5.0 or 2.10.0 ("latest" and floating tags are not allowed)' });

/** A persistent volume: size and StorageClass. */
const volume = z.strictObject({ size: memory, storageClassName: dnsLabel });

/** A Prometheus duration, e.g. 30d, 12h. */
const promDuration = z.string().regex(/^([0-9]+(y|w|d|h|m|s|ms))+$/, { message: 'must be a Prometheus duration such as 30d, 12h or 5m' });

/** observability.yaml. */
export const observabilitySchema = z.strictObject({
  /** Namespaces of operators installed outside this repository that must reach the objects here. */
  operatorNamespaces: z.strictObject({
    /** grafana-operator (calls the Grafana API on 3000). */
    grafana: dnsLabel,
    /** ECK (calls Elasticsearch on 9200). */
    elastic: dnsLabel,
    /** cert-manager (its controller's metrics on 9402 feed the certificate-expiry alert). */
    certManager: dnsLabel,
  }),
  prometheus: z.strictObject({
    /** Prometheus version the operator runs. */
    version,
    replicas: z.number().int().min(1),
    /** How long samples are kept (design document: 30d). */
    retention: promDuration,
    storage: volume,
    resources,
  }),
  alertmanager: z.strictObject({
    version,
    replicas: z.number().int().min(1),
    resources,
  }),
  /** Alert thresholds (PrometheusRules). */
  /** kube-state-metrics (object-state metrics for the restart/HPA alerts and the saturation panels). */
  kubeStateMetrics: z.strictObject({
    /** Image tag of registry.k8s.io/kube-state-metrics/kube-state-metrics. */
    version: version.refine((v) => /^v2\./.test(v), { message: 'must be a kube-state-metrics 2.x release tag such as v2.17.0' }),
    resources,
  }),
  alerts: z.strictObject({
    /** Share of 5xx responses over 5 minutes that pages (0.05 = 5 %). */
    errorRateRatio: z.number().gt(0, { message: 'must be a ratio between 0 and 1 such as 0.05 (5 %)' }).lt(1, { message: 'must be a ratio between 0 and 1 such as 0.05 (5 %)' }),
    /** p95 latency of the API in seconds above which it warns. */
    latencyP95Seconds: z.number().positive(),
    /** Container restarts in 15 minutes above which it warns. */
    podRestarts15m: z.number().int().min(1),
    /** Postgres replica lag in seconds above which it pages. */
    replicationLagSeconds: z.number().int().min(1),
    /** Recovery point objective in hours (design document: 1 h); older backups/WAL page. */
    rpoHours: z.number().positive(),
    /** Days before a certificate expires that it warns. */
    certificateExpiryDays: z.number().int().min(1),
    /** Where docs/runbooks/ of this repository is browsable; each alert links `<base>/<alert>.md`. */
    runbookBaseUrl: z.string().regex(/^https:\/\/[^\s]+[^/]$/, { message: 'must be an https URL without a trailing "/" such as https://github.com/finbot/finbot-deploy/blob/main/docs/runbooks' }),
  }),
  grafana: z.strictObject({
    version,
    resources,
  }),
  tracing: z.strictObject({
    /** Jaeger v2 image tag (jaegertracing/jaeger). */
    jaegerVersion: version.refine((v) => v.replace(/^v/, '').startsWith('2.'), { message: 'must be a Jaeger v2 version such as 2.10.0 (Jaeger v1 reached end of life on 2025-12-31)' }),
    collector: z.strictObject({ replicas: z.number().int().min(1), resources }),
    query: z.strictObject({ replicas: z.number().int().min(1), resources }),
    /** Days of traces kept; a nightly index cleaner deletes older indices (3 × 20Gi fill in weeks otherwise). */
    retentionDays: z.number().int().min(1).max(90),
    elasticsearch: z.strictObject({
      version,
      nodeCount: z.number().int().min(1),
      storage: volume,
      resources,
      /**
       * Vault key (below the secret store's KV mount) holding the passwords of Jaeger's Elasticsearch users,
       * one property per user name (jaeger-writer, jaeger-reader, jaeger-cleaner).
       */
      usersVaultKey: z.string().regex(/^[a-z0-9]([-a-z0-9_/]*[a-z0-9])?$/, { message: 'must be a Vault key path such as finbot/jaeger-elasticsearch' }),
    }),
    /** Also emit the design document's `Jaeger` CR (jaegertracing.io/v1) for clusters still on the Jaeger operator. */
    legacyJaegerOperator: z.boolean().default(false),
  }),
});
export type ObservabilitySettings = z.infer<typeof observabilitySchema>;
