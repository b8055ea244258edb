/** The edge: today NGINX Ingress + cert-manager; a Gateway API implementation would export the same roles. */
export * from './acme-cluster-issuer';
export * from './nginx-ingress-edge';
