/**
 * The one interface of an edge implementation: what the charts give it (routes, TLS issuer, the design
 * document's NGINX settings) and what they read back (the identity the mesh lets in, the pods NetworkPolicies
 * and probes name, the route objects). `NginxIngressEdge` (ingress-nginx, retired) and
 * `NginxGatewayFabricEdge` (Gateway API) implement it; a chart swaps one for the other without other changes.
 */
import type { FinbotApp } from '../finbot-app';
import type { FinbotNamespace } from '../namespace';
import type { ModelObject } from '../model-object';
import type { AcmeClusterIssuer } from './acme-cluster-issuer';
import type { PlainApiObject } from '../kube-objects';

/** A per-client request rate with a burst. */
export interface RateLimit {
  readonly requestsPerMinute: number;
  readonly burst: number;
}

/** Upstream timeouts in seconds. */
export interface EdgeTimeouts {
  readonly connectSeconds: number;
  readonly sendSeconds: number;
  readonly readSeconds: number;
}

/** Strict-Transport-Security. */
export interface Hsts {
  readonly maxAgeSeconds: number;
  readonly includeSubDomains: boolean;
  readonly preload: boolean;
}

/** The CDN in front: its ranges are trusted to say who the client is. */
export interface CdnTrust {
  /** Header with the client address (ingress-nginx; NGF reads X-Forwarded-For, which the CDN appends to). */
  readonly clientIpHeader: string;
  readonly cidrs: readonly string[];
}

/** A public host routed to an app's HTTP Service. */
export interface EdgeRoute {
  /** Public host name, e.g. api.finbot.com. */
  readonly host: string;
  /** The app whose Service (`service`, port `http`) receives the traffic. */
  readonly app: FinbotApp;
  /** Apply the per-client rate limit. @default false */
  readonly rateLimited?: boolean;
  /**
   * Percent of the host's traffic for the app's preview (idle colour) Service, as the release's canary
   * (blue-green apps only).
   * @default 0
   */
  readonly canaryPercent?: number;
}

/** What every edge implementation is given. */
export interface EdgeCommonProps {
  /** Environment (labels). */
  readonly environment: string;
  /** Namespace of the edge's proxy pods (controller or Gateway data plane). */
  readonly ingressNamespace: FinbotNamespace;
  /** Issues the certificates. */
  readonly issuer: AcmeClusterIssuer;
  /** Public hosts and the apps behind them. */
  readonly routes: readonly EdgeRoute[];
  /** Per-client rate limit of routes with `rateLimited`. */
  readonly rateLimit: RateLimit;
  /** Upstream timeouts. */
  readonly timeouts: EdgeTimeouts;
  readonly hsts: Hsts;
  readonly cdn: CdnTrust;
  /** Response headers added to every answer. @default X-Frame-Options DENY, X-Content-Type-Options nosniff */
  readonly securityHeaders?: Readonly<Record<string, string>>;
}

/** The default security headers of the design document (X-XSS-Protection is dropped on purpose). */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = { 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' };

/** The Strict-Transport-Security value of an {@link Hsts}. */
export function hstsValue(h: Hsts): string {
  return `max-age=${h.maxAgeSeconds}${h.includeSubDomains ? '; includeSubDomains' : ''}${h.preload ? '; preload' : ''}`;
}

/** What the edge put in front of one app. */
export interface EdgeRouteObjects {
  readonly host: string;
  readonly app: FinbotApp;
  /** The Ingress or HTTPRoute. */
  readonly route: PlainApiObject | ModelObject;
  readonly certificate: ModelObject;
  /** Secret the Certificate writes and the edge serves. */
  readonly tlsSecretName: string;
}

/** Names of the edge implementations. */
export type EdgeImplementation = 'ingress-nginx' | 'nginx-gateway-fabric';

/** The interface both edge constructs implement. */
export interface Edge {
  readonly implementation: EdgeImplementation;
  /** Namespace and ServiceAccount of the proxy pods: the identity the mesh lets in. */
  readonly controllerServiceAccount: { readonly namespace: string; readonly name: string };
  /** Namespace and labels of the proxy pods (NetworkPolicy peers, monitors). */
  readonly proxyPods: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly routes: readonly EdgeRouteObjects[];
  /**
   * The edge's in-cluster Service (HTTPS port) and the port its proxy pods listen on, when the output knows it
   * (NGF names it after the Gateway; ingress-nginx's Service belongs to its Helm release).
   */
  readonly inClusterService?: { readonly name: string; readonly namespace: string; readonly port: number; readonly targetPort: number };
}

/** Refuses empty, duplicated or port-less routes (both implementations). */
export function checkRoutes(kind: string, routes: readonly EdgeRoute[], cdn: CdnTrust): void {
  if (routes.length === 0) throw new Error(`${kind}: routes is empty; give at least one host and app`);
  const hosts = routes.map((r) => r.host);
  const dup = hosts.find((h, i) => hosts.indexOf(h) !== i);
  if (dup) throw new Error(`${kind}: host ${dup} is routed twice; each host goes to one app`);
  for (const r of routes) {
    if (r.app.port === undefined) {
      throw new Error(`${kind}: ${r.app.name} serves no HTTP port, so host ${r.host} cannot route to it; route to an app with a port`);
    }
    const canary = r.canaryPercent ?? 0;
    if (!Number.isInteger(canary) || canary < 0 || canary > 99) throw new Error(`${kind}: ${r.host}: canaryPercent must be a whole number from 0 to 99, got ${canary}`);
    if (canary > 0 && !r.app.previewService) throw new Error(`${kind}: ${r.host}: canaryPercent ${canary} needs a blue-green app with a preview Service`);
  }
  if (cdn.cidrs.length === 0) {
    throw new Error(`${kind}: cdn.cidrs is empty; without the CDN ranges the client address (and per-client rate limiting) cannot be trusted`);
  }
}
