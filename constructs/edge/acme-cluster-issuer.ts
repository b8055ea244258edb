/**
 * A cert-manager ClusterIssuer for Let's Encrypt (ACME) that solves HTTP-01 challenges through the edge: a
 * Gateway listener (cert-manager's `gatewayHTTPRoute` solver) or an NGINX IngressClass. The solver pods stay
 * out of the Istio mesh (`sidecar.istio.io/inject: "false"` as a label, which outranks the namespace's
 * injection label): a STRICT-mTLS, allow-nothing namespace would refuse the plain-HTTP challenge requests.
 * @see https://cert-manager.io/docs/configuration/acme/http01/
 */
import { Construct } from 'constructs';
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { labels } from '../labels';
import { ModelObject } from '../model-object';

/** Keeps the solver pods out of the mesh (the label wins over the namespace's `istio-injection`). */
export const SOLVER_OUT_OF_MESH = { 'sidecar.istio.io/inject': 'false' } as const;

/** Let's Encrypt's ACME directories. */
export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/** Which Let's Encrypt server: `production` issues trusted certificates, `staging` untrusted ones. */
export type AcmeServer = keyof typeof ACME_SERVERS;

/** Props of {@link AcmeClusterIssuer}. */
export interface AcmeClusterIssuerProps {
  /** Environment (labels). */
  readonly environment: string;
  /** Let's Encrypt server. */
  readonly server: AcmeServer;
  /** ACME account e-mail (expiry notices). */
  readonly email: string;
  /** IngressClass that serves the HTTP-01 challenge (ingress-nginx edge). @default 'nginx' unless `gateway` */
  readonly ingressClassName?: string;
  /** Gateway listener that serves the HTTP-01 challenge (Gateway API edge). @default none: use the IngressClass */
  readonly gateway?: { readonly name: string; readonly namespace: string; readonly sectionName: string };
  /** Object name. @default `letsencrypt-<server>` */
  readonly name?: string;
}

/** A Let's Encrypt ClusterIssuer with an HTTP-01 solver. */
export class AcmeClusterIssuer extends Construct {
  /** ClusterIssuer name (Certificates refer to it). */
  readonly name: string;
  /** ACME directory URL. */
  readonly server: string;
  readonly resource: ModelObject;

  constructor(scope: Construct, id: string, props: AcmeClusterIssuerProps) {
    super(scope, id);
    if (!(props.server in ACME_SERVERS)) {
      throw new Error(`AcmeClusterIssuer: server "${props.server}" is unknown; use one of ${Object.keys(ACME_SERVERS).join(', ')}`);
    }
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) {
      throw new Error(`AcmeClusterIssuer: email "${props.email}" is not an e-mail address; Let's Encrypt sends expiry notices there`);
    }
    this.name = props.name ?? `letsencrypt-${props.server}`;
    this.server = ACME_SERVERS[props.server];
    this.resource = new ModelObject<IClusterIssuer>(this, 'Resource', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: this.name, labels: labels({ name: this.name, component: 'edge', environment: props.environment, finbotApp: false }) },
      spec: {
        acme: {
          server: this.server,
          email: props.email,
          privateKeySecretRef: { name: `${this.name}-account-key` },
          solvers: [{ http01: props.gateway ? {
            gatewayHTTPRoute: {
              parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...props.gateway }],
              podTemplate: { metadata: { labels: { ...SOLVER_OUT_OF_MESH } } },
            },
          } : {
            ingress: { ingressClassName: props.ingressClassName ?? 'nginx', podTemplate: { metadata: { labels: { ...SOLVER_OUT_OF_MESH } } } },
          } }],
        },
      },
    });
  }
}
