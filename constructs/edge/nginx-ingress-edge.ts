/**
 * The edge of the cluster, implemented with the NGINX Ingress controller (ingress-nginx) and cert-manager:
 * one Ingress and one Certificate per public host, the controller's ConfigMap (TLS 1.3, HSTS, real client
 * address behind the CDN) and the security-headers ConfigMap.
 *
 * ingress-nginx was retired upstream (maintenance ended in March 2026): everything ingress-nginx-specific
 * lives behind this one construct, so a Gateway API implementation can replace it without touching the
 * charts that route to the apps.
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { FinbotApp } from '../finbot-app';
import { HTTP_PORT_NAME } from '../finbot-app';
import { compareText } from '../../model/text-order';
import { labels } from '../labels';
import { ModelObject } from '../model-object';
import type { FinbotNamespace } from '../namespace';
import { AllowPolicy } from '../network-policy';
import type { AcmeClusterIssuer } from './acme-cluster-issuer';
import { KubeConfigMap } from '../kube-objects';

/** Annotation prefix of ingress-nginx. */
export const NGINX = 'nginx.ingress.kubernetes.io';
/** Name of the controller's ConfigMap (the Helm chart's `--configmap` default). */
export const CONTROLLER_CONFIGMAP = 'ingress-nginx-controller';
/** Name of the ConfigMap of response headers added to every answer (`add-headers`). */
export const SECURITY_HEADERS_CONFIGMAP = 'finbot-security-headers';
/** Port of cert-manager's HTTP-01 solver pods, and their label. */
export const ACME_SOLVER_PORT = 8089;
export const ACME_SOLVER_LABELS = { 'acme.cert-manager.io/http01-solver': 'true' } as const;

/** A per-client request rate with a burst. */
export interface RateLimit {
  readonly requestsPerMinute: number;
  readonly burst: number;
}

/** How ingress-nginx annotations express a {@link RateLimit}, and what they really allow. */
export interface NginxRateLimit {
  readonly annotations: Readonly<Record<string, string>>;
  /** The rate NGINX enforces, per minute. */
  readonly effectivePerMinute: number;
  /** The burst NGINX allows (rate × limit-burst-multiplier). */
  readonly effectiveBurst: number;
}

/**
 * Translates a rate and burst into ingress-nginx annotations. ingress-nginx sets the burst to the rate times
 * `limit-burst-multiplier`, an integer ≥ 1: with `limit-rpm: 1000` the smallest burst is 1000, twenty times
 * the design's 50. Unless the burst is a whole multiple of the per-minute rate, the rate is therefore given
 * per second (`limit-rps` = ⌈rpm / 60⌉) and the multiplier rounded so that rate × multiplier is closest to the
 * burst: 1000/min, burst 50 → 17 r/s (1020/min), multiplier 3, burst 51.
 */
export function nginxRateLimit(limit: RateLimit): NginxRateLimit {
  const { requestsPerMinute: rpm, burst } = limit;
  if (!Number.isInteger(rpm) || rpm < 1) throw new Error(`rate limit: requestsPerMinute must be a whole number >= 1, got ${rpm}`);
  if (!Number.isInteger(burst) || burst < 0) throw new Error(`rate limit: burst must be a whole number >= 0, got ${burst}`);
  if (rpm < 60 || (burst > 0 && burst % rpm === 0)) {
    const multiplier = Math.max(1, Math.round(burst / rpm));
    return {
      annotations: { [`${NGINX}/limit-rpm`]: String(rpm), [`${NGINX}/limit-burst-multiplier`]: String(multiplier) },
      effectivePerMinute: rpm,
      effectiveBurst: rpm * multiplier,
    };
  }
  const rps = Math.ceil(rpm / 60);
  const multiplier = Math.max(1, Math.round(burst / rps));
  return {
    annotations: { [`${NGINX}/limit-rps`]: String(rps), [`${NGINX}/limit-burst-multiplier`]: String(multiplier) },
    effectivePerMinute: rps * 60,
    effectiveBurst: rps * multiplier,
  };
}

/** A public host routed to an app's HTTP Service. */
export interface EdgeRoute {
  /** Public host name, e.g. api.finbot.com. */
  readonly host: string;
  /** The app whose Service (`service`, port `http`) receives the traffic. */
  readonly app: FinbotApp;
  /** Apply the per-client rate limit. @default false */
  readonly rateLimited?: boolean;
}

/** Upstream timeouts in seconds. */
export interface EdgeTimeouts {
  readonly connectSeconds: number;
  readonly sendSeconds: number;
  readonly readSeconds: number;
}

/** Props of {@link NginxIngressEdge}. */
export interface NginxIngressEdgeProps {
  /** Environment (labels). */
  readonly environment: string;
  /** Namespace of the controller (its ConfigMaps go there; solver traffic comes from there). */
  readonly ingressNamespace: FinbotNamespace;
  /** Issues the certificates. */
  readonly issuer: AcmeClusterIssuer;
  /** Public hosts and the apps behind them. */
  readonly routes: readonly EdgeRoute[];
  /** IngressClass. @default 'nginx' */
  readonly ingressClassName?: string;
  /** ServiceAccount of the controller pods. @default 'ingress-nginx' */
  readonly controllerServiceAccount?: string;
  /** Per-client rate limit of routes with `rateLimited`. */
  readonly rateLimit: RateLimit;
  /** Upstream timeouts. */
  readonly timeouts: EdgeTimeouts;
  /** proxy_next_upstream conditions and attempts. */
  readonly nextUpstream: { readonly on: readonly string[]; readonly tries: number };
  /** Strict-Transport-Security. */
  readonly hsts: { readonly maxAgeSeconds: number; readonly includeSubDomains: boolean; readonly preload: boolean };
  /** The CDN in front: its ranges are trusted to set the client address header. */
  readonly cdn: { readonly clientIpHeader: string; readonly cidrs: readonly string[] };
  /** Response headers added to every answer. @default X-Frame-Options DENY, X-Content-Type-Options nosniff */
  readonly securityHeaders?: Readonly<Record<string, string>>;
}

/** What the edge put in front of one app. */
export interface EdgeRouteObjects {
  readonly host: string;
  readonly app: FinbotApp;
  readonly ingress: ModelObject;
  readonly certificate: ModelObject;
  /** Secret the Certificate writes and the Ingress serves. */
  readonly tlsSecretName: string;
}

/** NGINX Ingress + cert-manager edge; replaceable as a whole (see the module comment). */
export class NginxIngressEdge extends Construct {
  /** Namespace and ServiceAccount of the controller pods: the identity the mesh lets in. */
  readonly controllerServiceAccount: { readonly namespace: string; readonly name: string };
  readonly routes: readonly EdgeRouteObjects[];
  readonly controllerConfig: k8s.KubeConfigMap;
  readonly securityHeaders: k8s.KubeConfigMap;
  /** The rate limit as NGINX enforces it. */
  readonly rateLimit: NginxRateLimit;

  constructor(scope: Construct, id: string, props: NginxIngressEdgeProps) {
    super(scope, id);
    if (props.routes.length === 0) throw new Error('NginxIngressEdge: routes is empty; give at least one host and app');
    const hosts = props.routes.map((r) => r.host);
    const dup = hosts.find((h, i) => hosts.indexOf(h) !== i);
    if (dup) throw new Error(`NginxIngressEdge: host ${dup} is routed twice; each host goes to one app`);
    for (const r of props.routes) {
      if (r.app.port === undefined) {
        throw new Error(`NginxIngressEdge: ${r.app.name} serves no HTTP port, so host ${r.host} cannot route to it; route to an app with settings.port`);
      }
    }
    if (props.cdn.cidrs.length === 0) {
      throw new Error('NginxIngressEdge: cdn.cidrs is empty; without the CDN ranges the client address (and per-client rate limiting) cannot be trusted');
    }
    const className = props.ingressClassName ?? 'nginx';
    const ns = props.ingressNamespace.name;
    const meta = (name: string, namespace?: string) => ({
      name,
      ...(namespace ? { namespace } : {}),
      labels: labels({ name, component: 'edge', environment: props.environment, finbotApp: false }),
    });
    this.controllerServiceAccount = { namespace: ns, name: props.controllerServiceAccount ?? 'ingress-nginx' };
    this.rateLimit = nginxRateLimit(props.rateLimit);

    this.securityHeaders = new KubeConfigMap(this, 'SecurityHeaders', {
      metadata: meta(SECURITY_HEADERS_CONFIGMAP, ns),
      data: { ...(props.securityHeaders ?? { 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' }) },
    });

    const t = props.timeouts;
    const nextUpstream = props.nextUpstream.on.join(' ');
    this.controllerConfig = new KubeConfigMap(this, 'ControllerConfig', {
      metadata: meta(CONTROLLER_CONFIGMAP, ns),
      data: {
        // Snippets are arbitrary NGINX config in the hands of whoever writes an Ingress: off (default since 1.12).
        'allow-snippet-annotations': 'false',
        'ssl-protocols': 'TLSv1.3',
        'hsts': 'true',
        'hsts-max-age': String(props.hsts.maxAgeSeconds),
        'hsts-include-subdomains': String(props.hsts.includeSubDomains),
        'hsts-preload': String(props.hsts.preload),
        'add-headers': `${ns}/${SECURITY_HEADERS_CONFIGMAP}`,
        'server-tokens': 'false',
        // Behind the CDN the TCP peer is a CDN node: take the client from its header, but only from its ranges.
        'use-forwarded-headers': 'true',
        'enable-real-ip': 'true',
        'forwarded-for-header': props.cdn.clientIpHeader,
        'proxy-real-ip-cidr': props.cdn.cidrs.join(','),
        'compute-full-forwarded-for': 'true',
        'limit-req-status-code': '429',
        'proxy-connect-timeout': String(t.connectSeconds),
        'proxy-send-timeout': String(t.sendSeconds),
        'proxy-read-timeout': String(t.readSeconds),
        'proxy-next-upstream': nextUpstream,
        'proxy-next-upstream-tries': String(props.nextUpstream.tries),
      },
    });

    this.routes = props.routes.map((r) => {
      const app = r.app;
      const tlsSecretName = `${app.name}-tls`;
      const certificate = new ModelObject(this, `Certificate-${app.name}`, new Certificate({
        metadata: meta(tlsSecretName, app.namespace),
        spec: {
          secretName: tlsSecretName,
          dnsNames: [r.host],
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.issuer.name },
          privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        },
      }));
      const annotations: Record<string, string> = {
        // Send to the Service's virtual IP with the Service's host name, not to pod IPs: the controller's
        // Istio sidecar then applies the VirtualService (timeouts, retries, blue-green and canary routing).
        [`${NGINX}/service-upstream`]: 'true',
        [`${NGINX}/upstream-vhost`]: `${app.service.name}.${app.namespace}.svc.cluster.local`,
        [`${NGINX}/force-ssl-redirect`]: 'true',
        [`${NGINX}/proxy-connect-timeout`]: String(t.connectSeconds),
        [`${NGINX}/proxy-send-timeout`]: String(t.sendSeconds),
        [`${NGINX}/proxy-read-timeout`]: String(t.readSeconds),
        [`${NGINX}/proxy-next-upstream`]: nextUpstream,
        [`${NGINX}/proxy-next-upstream-tries`]: String(props.nextUpstream.tries),
        ...(r.rateLimited ? this.rateLimit.annotations : {}),
      };
      const ingress = new ModelObject(this, `Ingress-${app.name}`, new Ingress({
        metadata: { ...meta(app.name, app.namespace), annotations: Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => compareText(a, b))) },
        spec: {
          ingressClassName: className,
          tls: [{ hosts: [r.host], secretName: tlsSecretName }],
          rules: [{
            host: r.host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.service.name, port: { name: HTTP_PORT_NAME } } } }] },
          }],
        },
      }));
      return { host: r.host, app, ingress, certificate, tlsSecretName };
    });

    // cert-manager runs the HTTP-01 solver pod in the Certificate's namespace, behind its default-deny policy.
    for (const namespace of [...new Set(props.routes.map((r) => r.app.namespace))]) {
      new AllowPolicy(this, `AcmeSolver-${namespace}`, {
        name: 'allow-acme-http01-solver-from-ingress',
        namespace,
        podLabels: { ...ACME_SOLVER_LABELS },
        // The solver pods exist only while a challenge runs, so no pod in the output matches this selector.
        annotations: { 'finbot.io/validation-exempt': 'xref/network-policy-selector: cert-manager creates the HTTP-01 solver pods only during a challenge' },
        ingress: [{ peers: [{ namespaceLabels: props.ingressNamespace.selectorLabels }], ports: [{ port: ACME_SOLVER_PORT }] }],
      });
    }
  }
}
