/** Objects other charts will add (Ingress, CloudNativePG, OpsTree Redis, Istio), built by hand for tool tests. */
import type { KubeObject } from '../../model/kube-object';
import { chartObjects } from '../helpers';

/**
 * Production's platform and apps charts (namespaces, app tier, policies) plus a hand-built Ingress, Postgres
 * and Redis cluster (named like the data chart's, which the apps' DATABASE_HOST/REDIS_HOST address) and STRICT mTLS — independent of the charts other issues add, so these tests keep
 * meaning the same after they land.
 */
export function productionWithEdgeAndData(options: { mtls?: boolean; dataPolicy?: boolean } = {}): KubeObject[] {
  const extra: KubeObject[] = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'finbot-ingress', namespace: 'production' },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          { host: 'api.finbot.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'finbot-api', port: { number: 3001 } } } }] } },
          { host: 'finbot.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'finbot-web', port: { name: 'http' } } } }] } },
        ],
      },
    },
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'finbot-postgres-primary', namespace: 'database' },
      spec: { instances: 3, storage: { size: '100Gi' }, resources: { requests: { cpu: '1', memory: '2Gi' } } },
    },
    {
      apiVersion: 'redis.redis.opstreelabs.in/v1beta2',
      kind: 'RedisCluster',
      metadata: { name: 'finbot-redis-cluster', namespace: 'cache' },
      spec: { clusterSize: 3, kubernetesConfig: { image: 'redis:7' } },
    },
  ];
  if (options.mtls ?? true) {
    extra.push({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'production' }, spec: { mtls: { mode: 'STRICT' } } });
  }
  if (options.dataPolicy) {
    // Default deny in the cache namespace, without an allow for the app: app -> Redis becomes denied.
    extra.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: 'cache' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  }
  return [...chartObjects('production', 'platform'), ...chartObjects('production', 'apps'), ...extra];
}
