/** The edge: one interface (edge.ts), two replaceable implementations, and the ACME issuer they share. */
export * from './edge';
export * from './acme-cluster-issuer';
export * from './nginx-ingress-edge';
export * from './nginx-gateway-fabric-edge';
