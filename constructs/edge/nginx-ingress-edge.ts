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
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { HTTP_PORT_NAME } from '../finbot-app';
import { compareText } from '../../model/text-order';
import { labels } from '../labels';
import { ModelObject } from '../model-object';
import { AllowPolicy } from '../network-policy';
import { KubeConfigMap } from '../kube-objects';
import { ACME_SOLVER_LABELS, ACME_SOLVER_PORT } from '../../model/operators/cert-manager';
import { INGRESS_NGINX_CONTROLLER_LABELS } from '../../model/operators/ingress-nginx';
import { checkRoutes, DEFAULT_SECURITY_HEADERS, type Edge, type EdgeCommonProps, type EdgeRouteObjects, type RateLimit } from './edge';

/** Annotation prefix of ingress-nginx. */
export const NGINX = 'nginx.ingress.kubernetes.io';
/** Name of the controller's ConfigMap (the Helm chart's `--configmap` default). */
export const CONTROLLER_CONFIGMAP = 'ingress-nginx-controller';
/** Name of the ConfigMap of response headers added to every answer (`add-headers`). */
export const SECURITY_HEADERS_CONFIGMAP = 'finbot-security-headers';

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

/** Props of {@link NginxIngressEdge}. */
export interface NginxIngressEdgeProps extends EdgeCommonProps {
  /** IngressClass. @default 'nginx' */
  readonly ingressClassName?: string;
  /** ServiceAccount of the controller pods. @default 'ingress-nginx' */
  readonly controllerServiceAccount?: string;
  /** proxy_next_upstream conditions and attempts. */
  readonly nextUpstream: { readonly on: readonly string[]; readonly tries: number };
}

/** NGINX Ingress + cert-manager edge; replaceable as a whole (see the module comment). */
export class NginxIngressEdge extends Construct implements Edge {
  readonly implementation = 'ingress-nginx' as const;
  /** Namespace and ServiceAccount of the controller pods: the identity the mesh lets in. */
  readonly controllerServiceAccount: { readonly namespace: string; readonly name: string };
  readonly proxyPods: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly routes: readonly EdgeRouteObjects[];
  readonly controllerConfig: k8s.KubeConfigMap;
  readonly securityHeaders: k8s.KubeConfigMap;
  /** The rate limit as NGINX enforces it. */
  readonly rateLimit: NginxRateLimit;

  constructor(scope: Construct, id: string, props: NginxIngressEdgeProps) {
    super(scope, id);
    // A route's canaryPercent needs nothing here: the controller's sidecar applies the VirtualService's split.
    checkRoutes('NginxIngressEdge', props.routes, props.cdn);
    const ns = props.ingressNamespace.name;
    const meta = metaOf(props);
    this.controllerServiceAccount = { namespace: ns, name: props.controllerServiceAccount ?? 'ingress-nginx' };
    this.proxyPods = { namespace: ns, labels: { ...INGRESS_NGINX_CONTROLLER_LABELS } };
    this.rateLimit = nginxRateLimit(props.rateLimit);

    this.securityHeaders = new KubeConfigMap(this, 'SecurityHeaders', {
      metadata: meta(SECURITY_HEADERS_CONFIGMAP, ns),
      data: { ...(props.securityHeaders ?? DEFAULT_SECURITY_HEADERS) },
    });
    this.controllerConfig = this.controllerConfigMap(props);
    this.routes = props.routes.map((r) => this.route(props, r));
    this.acmeSolverPolicies(props);
  }

  /** Step: the controller's ConfigMap: TLS 1.3, HSTS, the CDN's client address, timeouts, next upstream. */
  private controllerConfigMap(props: NginxIngressEdgeProps): k8s.KubeConfigMap {
    const ns = props.ingressNamespace.name;
    const t = props.timeouts;
    return new KubeConfigMap(this, 'ControllerConfig', {
      metadata: metaOf(props)(CONTROLLER_CONFIGMAP, ns),
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
        'proxy-next-upstream': props.nextUpstream.on.join(' '),
        'proxy-next-upstream-tries': String(props.nextUpstream.tries),
      },
    });
  }

  /** Step: one host's Certificate and Ingress, in the app's namespace. */
  private route(props: NginxIngressEdgeProps, r: NginxIngressEdgeProps['routes'][number]): EdgeRouteObjects {
    const meta = metaOf(props);
    const t = props.timeouts;
    const app = r.app;
    const tlsSecretName = `${app.name}-tls`;
    const certificate = new ModelObject<ICertificate>(this, `Certificate-${app.name}`, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(tlsSecretName, app.namespace),
      spec: {
        secretName: tlsSecretName,
        dnsNames: [r.host],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.issuer.name },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
    const annotations: Record<string, string> = {
      // Send to the Service's virtual IP, not to pod IPs, keeping the public Host header (the app builds
      // absolute URLs, CORS and cookies from it): the controller's Istio sidecar routes the public host through
      // the VirtualService (timeouts, retries, blue-green and canary), which lists it among its hosts.
      [`${NGINX}/service-upstream`]: 'true',
      [`${NGINX}/force-ssl-redirect`]: 'true',
      [`${NGINX}/proxy-connect-timeout`]: String(t.connectSeconds),
      [`${NGINX}/proxy-send-timeout`]: String(t.sendSeconds),
      [`${NGINX}/proxy-read-timeout`]: String(t.readSeconds),
      [`${NGINX}/proxy-next-upstream`]: props.nextUpstream.on.join(' '),
      [`${NGINX}/proxy-next-upstream-tries`]: String(props.nextUpstream.tries),
      ...(r.rateLimited ? this.rateLimit.annotations : {}),
    };
    const ingress = new ModelObject<IIngress>(this, `Ingress-${app.name}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { ...meta(app.name, app.namespace), annotations: Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => compareText(a, b))) },
      spec: {
        ingressClassName: props.ingressClassName ?? 'nginx',
        tls: [{ hosts: [r.host], secretName: tlsSecretName }],
        rules: [{
          host: r.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.service.name, port: { name: HTTP_PORT_NAME } } } }] },
        }],
      },
    });
    return { host: r.host, app, route: ingress, certificate, tlsSecretName };
  }

  /** Step: cert-manager runs the HTTP-01 solver pod in the Certificate's namespace, behind its default-deny policy. */
  private acmeSolverPolicies(props: NginxIngressEdgeProps): void {
    for (const namespace of [...new Set(props.routes.map((r) => r.app.namespace))]) {
      new AllowPolicy(this, `AcmeSolver-${namespace}`, {
        name: 'allow-acme-http01-solver-from-ingress',
        namespace,
        podLabels: { ...ACME_SOLVER_LABELS },
        // cert-manager runs them only while a challenge is open; the cluster model has them (model/operators/cert-manager.ts).
        ingress: [{ peers: [{ namespaceLabels: props.ingressNamespace.selectorLabels }], ports: [{ port: ACME_SOLVER_PORT }] }],
      });
    }
  }
}

/** Metadata with the edge's labels. */
function metaOf(props: NginxIngressEdgeProps) {
  return (name: string, namespace?: string) => ({
    name,
    ...(namespace ? { namespace } : {}),
    labels: labels({ name, component: 'edge', environment: props.environment, finbotApp: false }),
  });
}
