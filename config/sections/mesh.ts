/**
 * mesh.yaml: Istio settings of the app namespace — circuit breaking (the document's opossum options),
 * retries (its async-retry logic), timeouts, the trust domain that names identities, and telemetry.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
import { z } from 'zod';

/** Envoy retry conditions that Istio's `retryOn` accepts; 4xx conditions are deliberately absent. */
export const RETRY_ON = [
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'refused-stream', 'retriable-4xx',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
] as const;

/** mesh.yaml. */
export const meshSchema = z.strictObject({
  /** Istio trust domain: identities are `<trustDomain>/ns/<namespace>/sa/<serviceAccount>`. */
  trustDomain: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a trust domain such as cluster.local' }),
  /** Envoy load balancing (design: least_conn → LEAST_REQUEST). */
  loadBalancer: z.enum(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM']),
  /** Limits per upstream host set, so one slow service cannot exhaust its callers. */
  connectionPool: z.strictObject({
    maxConnections: z.number().int().min(1),
    connectTimeoutSeconds: z.number().int().min(1).max(60),
    http1MaxPendingRequests: z.number().int().min(1),
    http2MaxRequests: z.number().int().min(1),
  }),
  /** Circuit breaking by ejecting failing pods (opossum: resetTimeout 30000, errorThresholdPercentage 50). */
  outlierDetection: z.strictObject({
    consecutive5xxErrors: z.number().int().min(1),
    intervalSeconds: z.number().int().min(1),
    baseEjectionSeconds: z.number().int().min(1),
    maxEjectionPercent: z.number().int().min(1).max(100),
  }),
  /** Whole-request timeout of a call through the mesh (design: proxy_read_timeout 10s). */
  requestTimeoutSeconds: z.number().int().min(1).max(300),
  /** Retries (design: retries 3, never on 4xx). */
  retries: z.strictObject({
    attempts: z.number().int().min(0).max(10),
    perTryTimeoutSeconds: z.number().int().min(1),
    retryOn: z.array(z.enum(RETRY_ON)).min(1)
      .refine((r) => !r.includes('retriable-4xx'), { message: 'retriable-4xx is not allowed: the design document never retries 4xx errors' }),
    /**
     * Methods retried on `retryOn` (idempotent ones only, RFC 9110 §9.2.2). Every other method — a POST that
     * moves money — is retried only where the request never reached the app (connect-failure, refused-stream).
     */
    idempotentMethods: z.array(z.enum(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'], {
      message: 'must be an idempotent method (GET, HEAD, OPTIONS, TRACE, PUT, DELETE): POST and PATCH are never retried on a response, it could repeat a write',
    })).min(1),
  }),
  /** Access logs and tracing through Istio's Telemetry API (providers are defined in the mesh config). */
  telemetry: z.strictObject({
    accessLogProvider: z.string().min(1),
    tracingProvider: z.string().min(1),
    tracingSamplingPercent: z.number().min(0).max(100),
  }),
}).superRefine((m, ctx) => {
  if (m.retries.perTryTimeoutSeconds >= m.requestTimeoutSeconds) {
    ctx.addIssue({
      code: 'custom',
      path: ['retries', 'perTryTimeoutSeconds'],
      message: `perTryTimeoutSeconds ${m.retries.perTryTimeoutSeconds} is not below requestTimeoutSeconds ${m.requestTimeoutSeconds}: no retry could ever run; lower it`,
    });
  }
});
export type MeshSettings = z.infer<typeof meshSchema>;
