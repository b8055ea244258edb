/**
 * edge.yaml: how traffic enters the cluster — which implementation (NGINX Gateway Fabric on Gateway API, or
 * the retired ingress-nginx), hosts, TLS (cert-manager ACME), and the NGINX settings the design document's
 * "Load Balancer (NGINX)" section asks for. Both implementations render from the same settings.
 * @see https://docs.nginx.com/nginx-gateway-fabric/
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

/** The edge implementations: one construct each, behind one interface (constructs/edge/edge.ts). */
export const EDGE_IMPLEMENTATIONS = ['nginx-gateway-fabric', 'ingress-nginx'] as const;

const k8sName = (example: string) => z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: `must be a Kubernetes name such as ${example}` });
const nginxSize = z.string().regex(/^\d{1,4}(k|m|g)?$/, { message: 'must be an NGINX size such as 10m, 512k or 1g' });

// Same rules as cpuQuantity/memoryQuantity in schema.ts (not imported: schema.ts imports this file).
const amounts = z.strictObject({
  cpu: z.string().regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, { message: 'must be a CPU quantity such as 250m, 0.5 or 2' }),
  memory: z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, { message: 'must be a Kubernetes quantity such as 256Mi, 1Gi or 10Gi' }),
});

/** edge.yaml. */
export const edgeSchema = z.strictObject({
  /**
   * Which edge renders: `nginx-gateway-fabric` (Gateway API; the default) or `ingress-nginx` (retired upstream
   * in March 2026; kept for clusters still migrating, see docs/edge-and-mesh.md).
   */
  implementation: z.enum(EDGE_IMPLEMENTATIONS, { message: 'must be "nginx-gateway-fabric" or "ingress-nginx"' }),
  /**
   * Migration from ingress-nginx to NGINX Gateway Fabric without downtime (docs/edge-and-mesh.md): with
   * implementation nginx-gateway-fabric, `true` renders the ingress-nginx edge as well, both serving the same
   * hosts, and solves ACME HTTP-01 through ingress-nginx (where DNS still points) until the DNS shift.
   */
  migrating: z.boolean().default(false),
  /** ingress-nginx (implementation: ingress-nginx, or while migrating). */
  ingressNginx: z.strictObject({
    /** IngressClass of the NGINX Ingress controller. */
    ingressClassName: dnsSubdomain,
    /**
     * ServiceAccount of the controller pods (in the ingress namespace); the mesh allows this identity to reach
     * web and api.
     */
    controllerServiceAccount: k8sName('ingress-nginx'),
  }),
  /** NGINX Gateway Fabric only (implementation: nginx-gateway-fabric). */
  nginxGatewayFabric: z.strictObject({
    /** GatewayClass the NGF Helm chart installs (chart value nginxGateway.gatewayClassName). */
    gatewayClassName: k8sName('nginx'),
    /** Name of the Gateway (in the ingress namespace); NGF names its data plane `<gateway>-<class>`. */
    gatewayName: k8sName('finbot'),
    /** The NGF control plane, installed from the Helm chart outside this project. */
    controlPlane: z.strictObject({
      /** Namespace of the Helm release (this project creates it, restricted, with its NetworkPolicies). */
      namespace: k8sName('nginx-gateway'),
      /** Helm release name: the control plane's `app.kubernetes.io/instance` label. */
      release: k8sName('ngf'),
    }),
    /** Data-plane pods NGF provisions for the Gateway (NginxProxy kubernetes.deployment). */
    dataPlane: z.strictObject({
      minReplicas: int32().min(1),
      maxReplicas: int32().min(1),
      /** HPA target CPU utilisation in percent. */
      cpuUtilization: int32().min(1).max(100),
      resources: z.strictObject({ requests: amounts, limits: amounts }),
    }),
    /** Client limits (ClientSettingsPolicy): request body size, body and keep-alive timeouts. */
    client: z.strictObject({
      maxBodySize: nginxSize,
      bodyTimeoutSeconds: seconds(600),
      keepAliveTimeoutSeconds: seconds(3600),
    }),
    /** Shared memory of the rate-limit zone (design: zone=api:10m). */
    rateLimitZoneSize: nginxSize,
  }),
  /** Public host names. */
  hosts: z.strictObject({
    /** The API (design document: api.finbot.com). */
    api: host,
    /** The web frontend. */
    web: host,
  }),
  /** Let's Encrypt via cert-manager, HTTP-01 through the edge (Gateway HTTP listener, or the IngressClass). */
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
}).superRefine((edge, ctx) => {
  const dp = edge.nginxGatewayFabric.dataPlane;
  if (dp.minReplicas > dp.maxReplicas) {
    ctx.addIssue({ code: 'custom', path: ['nginxGatewayFabric', 'dataPlane', 'minReplicas'], message: `minReplicas ${dp.minReplicas} is above maxReplicas ${dp.maxReplicas}` });
  }
  if (edge.implementation === 'nginx-gateway-fabric' && dp.minReplicas < 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['nginxGatewayFabric', 'dataPlane', 'minReplicas'],
      message: `minReplicas ${dp.minReplicas} leaves the internet-facing edge with a single pod (a node drain or a roll-out takes the site down): use at least 2`,
    });
  }
  if (edge.hosts.api === edge.hosts.web) {
    ctx.addIssue({ code: 'custom', path: ['hosts', 'web'], message: `host ${edge.hosts.web} is also the api host; each host goes to one app` });
  }
  if (edge.migrating && edge.implementation !== 'nginx-gateway-fabric') {
    ctx.addIssue({ code: 'custom', path: ['migrating'], message: 'migrating renders ingress-nginx next to NGINX Gateway Fabric: set implementation: nginx-gateway-fabric, or migrating: false' });
  }
  const gw = edge.nginxGatewayFabric;
  if (gw.gatewayName.length + gw.gatewayClassName.length + 1 > 63) {
    ctx.addIssue({
      code: 'custom',
      path: ['nginxGatewayFabric', 'gatewayName'],
      message: `"${gw.gatewayName}-${gw.gatewayClassName}" is longer than 63 characters, so NGF would hash-truncate its data-plane names; use a shorter gatewayName`,
    });
  }
});
export type EdgeSettings = z.infer<typeof edgeSchema>;
