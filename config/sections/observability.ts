/**
 * observability.yaml: Prometheus, Alertmanager, alert thresholds, Grafana and tracing (design document:
 * Monitoring and Observability).
 * @see https://prometheus-operator.dev/docs/api-reference/api/
 */
import { z } from 'zod';
import { dnsLabel as dnsLabelOf, dnsSubdomain, int32, memoryQuantity, promDuration, resourcesSchema } from '../fields';
const dnsLabel = dnsLabelOf();
const memory = memoryQuantity;
/** Requests and limits; a limit below its request is an error naming the field. */
const resources = resourcesSchema;
export type ObservabilityResources = z.infer<typeof resources>;

/** A pinned version tag (never `latest`). */
const version = z
  .string()
  .regex(/^v?[0-9]+\.[0-9]+\.[0-9]+$/, { message: 'must be a pinned version such as v3.5.0 or 2.10.0 ("latest" and floating tags are not allowed)' });

/** A persistent volume: size and StorageClass. */
const volume = z.strictObject({ size: memory, storageClassName: dnsSubdomain });

/** A Secret key / Vault property name. */
const credentialName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be lower case letters, digits and "-" such as pagerduty-routing-key' });

/** Where one receiver sends notifications; its credential is a property of the Vault secret `credentials.vaultKey`. */
const receiver = z.discriminatedUnion('type', [
  z.strictObject({
    name: dnsLabel,
    /** PagerDuty Events API v2: the credential is the integration's routing key. */
    type: z.literal('pagerduty'),
    credential: credentialName,
  }),
  z.strictObject({
    name: dnsLabel,
    /** Slack incoming webhook: the credential is the webhook URL. */
    type: z.literal('slack'),
    credential: credentialName,
    /** Channel the notifications go to, e.g. #finbot-alerts. */
    channel: z.string().regex(/^#[a-z0-9][-_a-z0-9]*$/, { message: 'must be a Slack channel such as #finbot-alerts' }),
  }),
  z.strictObject({
    name: dnsLabel,
    /** HTTP POST to a fixed URL (e.g. a heartbeat / dead-man's-switch service); the credential goes in the Authorization header. */
    type: z.literal('webhook'),
    credential: credentialName,
    url: z.string().regex(/^https:\/\/[^\s]+$/, { message: 'must be an https URL' }),
    /** Scheme of the Authorization header, e.g. Bearer or GenieKey. */
    authorizationType: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, { message: 'must be an Authorization scheme such as Bearer' }),
  }),
]);

/**
 * Alertmanager and where alerts go: receivers, severity routes, the heartbeat (dead man's switch) receiver of
 * the always-firing Watchdog alert, and the Vault secret with the receivers' credentials.
 */
const alertmanagerSchema = z.strictObject({
  version,
  replicas: z.number().int().min(1),
  resources,
  receivers: z.array(receiver).min(1),
  /** Severity → receivers, in order (each gets every alert of that severity). */
  routes: z.strictObject({
    critical: z.array(dnsLabel).min(1),
    warning: z.array(dnsLabel).min(1),
    info: z.array(dnsLabel).min(1),
  }),
  /** Receiver of alerts with no known severity. */
  defaultReceiver: dnsLabel,
  heartbeat: z.strictObject({
    /** Receiver that gets the Watchdog alert; its service raises an incident when the pings stop. */
    receiver: dnsLabel,
    /** How often the Watchdog notification is repeated (the ping period). */
    interval: promDuration,
  }),
  credentials: z.strictObject({
    /** Vault KV key (below the store's mount) whose properties are the receivers' `credential`s. */
    vaultKey: z.string().regex(/^[a-z0-9][-a-z0-9_/]*[a-z0-9]$/, { message: 'must be a Vault key such as monitoring/alertmanager' }),
    /** Vault Kubernetes-auth role of the monitoring namespace's SecretStore (a policy that reads only vaultKey). */
    vaultRole: dnsLabel,
  }),
}).superRefine((a, ctx) => {
  const names = a.receivers.map((r) => r.name);
  a.receivers.forEach((r, i) => {
    if (names.indexOf(r.name) !== i) ctx.addIssue({ code: 'custom', path: ['receivers', i, 'name'], message: `duplicate receiver name "${r.name}"` });
  });
  const credentials = a.receivers.map((r) => r.credential);
  a.receivers.forEach((r, i) => {
    if (credentials.indexOf(r.credential) !== i) ctx.addIssue({ code: 'custom', path: ['receivers', i, 'credential'], message: `credential "${r.credential}" is used by two receivers; give each its own Vault property` });
  });
  const known = (path: (string | number)[], name: string) => {
    if (!names.includes(name)) ctx.addIssue({ code: 'custom', path, message: `unknown receiver "${name}"; receivers are: ${names.join(', ')}` });
  };
  for (const sev of ['critical', 'warning', 'info'] as const) a.routes[sev].forEach((n, i) => known(['routes', sev, i], n));
  known(['defaultReceiver'], a.defaultReceiver);
  known(['heartbeat', 'receiver'], a.heartbeat.receiver);
  if (Object.values(a.routes).some((list) => list.includes(a.heartbeat.receiver))) {
    ctx.addIssue({ code: 'custom', path: ['heartbeat', 'receiver'], message: `"${a.heartbeat.receiver}" also receives severity routes; the heartbeat receiver must get only the Watchdog` });
  }
});
export type AlertmanagerSettings = z.infer<typeof alertmanagerSchema>;

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
    replicas: int32().min(1),
    /** How long samples are kept (design document: 30d). */
    retention: promDuration,
    storage: volume,
    resources,
  }),
  alertmanager: alertmanagerSchema,
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
    podRestarts15m: int32().min(1),
    /** Postgres replica lag in seconds above which it pages. */
    replicationLagSeconds: int32().min(1),
    /** Days before a certificate expires that it warns. */
    certificateExpiryDays: int32().min(1),
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
    collector: z.strictObject({ replicas: int32().min(1), resources }),
    query: z.strictObject({ replicas: int32().min(1), resources }),
    /** Days of traces kept; a nightly index cleaner deletes older indices (3 × 20Gi fill in weeks otherwise). */
    retentionDays: int32().min(1).max(90),
    elasticsearch: z.strictObject({
      version,
      nodeCount: int32(1).refine((n) => n !== 2, {
        message: '2 master-eligible nodes cannot elect a master when one is down (a quorum of 2 needs both): use 1 or 3',
      }),
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
