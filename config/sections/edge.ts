/**
 * edge.yaml: how traffic enters the cluster — hosts, TLS (cert-manager ACME), and the NGINX Ingress
 * controller settings the design document's "Load Balancer (NGINX)" section asks for.
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/
 */
import { z } from 'zod';
import { cidr, dnsSubdomain, hostname, int32 } from '../fields';

const host = hostname;

export { cidr };

const seconds = (max: number) => int32().min(1).max(max);

/** The values nginx's proxy_next_upstream accepts (ingress-nginx passes them through). */
export const NEXT_UPSTREAM_CONDITIONS = [
  'error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403', 'http_404', 'http_429', 'non_idempotent', 'off',
] as const;

/** edge.yaml. */
export const edgeSchema = z.strictObject({
  /** IngressClass of the NGINX Ingress controller. */
  ingressClassName: dnsSubdomain,
  /**
   * ServiceAccount of the controller pods (in the ingress namespace); the mesh allows this identity to reach
   * web and api.
   */
  controllerServiceAccount: dnsSubdomain,
  /** Public host names. */
  hosts: z.strictObject({
    /** The API (design document: api.finbot.com). */
    api: host,
    /** The web frontend. */
    web: host,
  }),
  /** Let's Encrypt via cert-manager, HTTP-01 through the NGINX IngressClass. */
  acme: z.strictObject({
    /** `production` (trusted certificates) or `staging` (untrusted, generous rate limits, for trying changes). */
    server: z.enum(['production', 'staging'], { message: 'must be "production" or "staging" (the Let\'s Encrypt ACME servers)' }),
    /** Account e-mail for expiry notices. */
    email: z.email({ message: 'must be an e-mail address such as ops@finbot.com' }),
  }),
  /** The CDN in front of the load balancer: only its addresses may set the client address header. */
  cdn: z.strictObject({
    /** Header carrying the real client address (CloudFlare: CF-Connecting-IP). */
    clientIpHeader: z.string().regex(/^[A-Za-z0-9-]+$/, { message: 'must be an HTTP header name such as CF-Connecting-IP' }),
    /** The CDN's egress ranges (https://www.cloudflare.com/ips/): trusted for the header above. */
    cidrs: z.array(cidr).min(1, { message: 'give at least one CDN range, or the client address cannot be trusted' }),
  }),
  /** Per-client rate limit of the API host (design: rate=1000r/m burst=50 nodelay). */
  rateLimit: z.strictObject({
    requestsPerMinute: int32().min(60, { message: 'must be at least 60 (ingress-nginx limits per second or per minute in whole requests)' }).max(600000),
    burst: int32().min(0).max(100000),
  }),
  /** Upstream timeouts in seconds (design: connect 5, send 10, read 10). */
  timeouts: z.strictObject({ connectSeconds: seconds(600), sendSeconds: seconds(3600), readSeconds: seconds(3600) }),
  /** When NGINX tries the request again (design: error timeout invalid_header http_500 http_502 http_503). */
  nextUpstream: z.strictObject({
    on: z.array(z.enum(NEXT_UPSTREAM_CONDITIONS)).min(1),
    /** Attempts in all (the mesh retries too: keep this small). */
    tries: int32().min(1).max(10),
  }),
  /** Strict-Transport-Security (design: max-age=31536000; includeSubDomains). */
  hsts: z.strictObject({ maxAgeSeconds: int32().min(0), includeSubDomains: z.boolean(), preload: z.boolean() }),
});
export type EdgeSettings = z.infer<typeof edgeSchema>;
