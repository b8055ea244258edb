/**
 * Fixtures for the validation tests: the real output of an environment (with the file each object is in)
 * plus objects of the kinds other charts add (CloudNativePG, Redis, ExternalSecret, Ingress, Istio,
 * ServiceMonitor, ...), written the way those charts write them, so every rule has something to check.
 */
import { buildEnvironment } from '../../charts/environment';
import { loadSettings } from '../../config/load';
import { renderObjects } from '../../lib/render';
import { validateObjects } from '../../validation/engine';
import { optionsFor } from '../../validation/run';
import { ruleById } from '../../validation/registry';
import type { KubeObject, SourcedObject, ValidationOptions, Violation } from '../../validation/types';

/** The real output of an environment as sourced objects (a fresh deep copy: safe to break). */
export function realOutput(env: string): SourcedObject[] {
  return renderObjects(buildEnvironment(loadSettings(env))).flatMap(([file, objects]) => objects.map((o) => ({ object: structuredClone(o), file: `dist/${env}/${file}.yaml` })));
}

const ext = (object: object): SourcedObject => ({ object: object as KubeObject, file: 'fixtures/extra.yaml' });

/** Objects of the data, edge, mesh, secrets and observability charts for production, all valid. */
export function otherChartsObjects(): SourcedObject[] {
  return [
    ext({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'finbot-postgres', namespace: 'database' }, spec: { instances: 3, storage: { size: '10Gi' } } }),
    ext({ apiVersion: 'redis.redis.opstreelabs.in/v1beta2', kind: 'RedisCluster', metadata: { name: 'finbot-redis', namespace: 'cache' }, spec: { clusterSize: 3, kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15' } } }),
    ext({ apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'aws', namespace: 'production' }, spec: { provider: { aws: { service: 'SecretsManager', region: 'us-west-2' } } } }),
    ext({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'finbot-api-secrets', namespace: 'production' }, spec: { secretStoreRef: { name: 'aws', kind: 'SecretStore' }, target: { name: 'finbot-api-secrets' }, data: [{ secretKey: 'jwt', remoteRef: { key: 'finbot/jwt' } }] } }),
    ext({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'finbot', namespace: 'production', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['finbot.com', 'api.finbot.com'], secretName: 'finbot-tls' }],
        rules: [
          { host: 'finbot.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'finbot-web', port: { number: 8080 } } } }] } },
          { host: 'api.finbot.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'finbot-api', port: { name: 'http' } } } }] } },
        ],
      },
    }),
    ext({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' }, spec: { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory', email: 'ops@finbot.com', privateKeySecretRef: { name: 'letsencrypt-account' }, solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }] } } }),
    ext({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'finbot-api-internal', namespace: 'production' }, spec: { secretName: 'finbot-api-internal-tls', dnsNames: ['finbot-api.production.svc'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } } }),
    ext({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'finbot', namespace: 'production' }, spec: { destinations: [{ namespace: 'production', server: 'https://kubernetes.default.svc' }], sourceRepos: ['https://github.com/finbot/finbot-deploy'] } }),
    ext({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'finbot', namespace: 'production' }, spec: { project: 'finbot', source: { repoURL: 'https://github.com/finbot/finbot-deploy', path: 'dist/production', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'production' } } }),
    ext({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-config', namespace: 'production' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }),
    ext({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'api-read-config', namespace: 'production' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-config' }, subjects: [{ kind: 'ServiceAccount', name: 'finbot-api', namespace: 'production' }] }),
    ext({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'finbot', namespace: 'monitoring' }, spec: { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}, podMonitorSelector: {}, podMonitorNamespaceSelector: {}, ruleSelector: { matchLabels: { prometheus: 'finbot' } }, ruleNamespaceSelector: {} } }),
    ext({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'finbot-api', namespace: 'production', labels: { prometheus: 'finbot' } }, spec: { groups: [{ name: 'api', rules: [{ alert: 'ApiDown', expr: 'up{job="finbot-api"} == 0', for: '5m' }] }] } }),
    ext({ apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'Grafana', metadata: { name: 'grafana', namespace: 'monitoring', labels: { dashboards: 'grafana' } }, spec: {} }),
    ext({ apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard', metadata: { name: 'finbot', namespace: 'monitoring' }, spec: { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, json: '{}' } }),
    ext({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'finbot-api', namespace: 'production' }, spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'finbot-api' } }, endpoints: [{ port: 'http-metrics', path: '/metrics' }] } }),
    ext({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'finbot-worker', namespace: 'production' }, spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'finbot-worker' } }, podMetricsEndpoints: [{ port: 'http-metrics' }] } }),
    // With Istio in the output, sidecars of the (default-deny) app namespace must reach istiod.
    ext({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-istiod-egress', namespace: 'production' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }], ports: [{ port: 15012, protocol: 'TCP' }] }] } }),
    ext({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'finbot-api', namespace: 'production' }, spec: { hosts: ['finbot-api'], http: [{ route: [{ destination: { host: 'finbot-api', subset: 'v4', port: { number: 3001 } } }] }] } }),
    ext({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'finbot-api', namespace: 'production' }, spec: { host: 'finbot-api.production.svc.cluster.local', subsets: [{ name: 'v4', labels: { 'app.kubernetes.io/version': 'v4.0.0' } }] } }),
  ];
}

/** Real production output plus the other charts' objects, with the api using their Secrets and Services. */
export function fullProduction(): SourcedObject[] {
  const real = realOutput('production');
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const have = new Set(real.map((r) => key(r.object)));
  // The real output now has most of these kinds itself; keep only the extras it does not define.
  const objects = [...real, ...otherChartsObjects().filter((x) => !have.has(key(x.object)))];
  const api = get(objects, 'Deployment', 'finbot-api');
  api.spec.template.spec.containers[0].env.push(
    { name: 'DATABASE_HOST', value: 'finbot-postgres-rw.database.svc.cluster.local' },
    { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'finbot-api-secrets', key: 'db-password' } } },
    { name: 'REDIS_URL', value: 'redis://finbot-redis-leader.cache.svc.cluster.local:6379' },
    { name: 'JWT_SECRET', valueFrom: { secretKeyRef: { name: 'finbot-api-secrets', key: 'jwt' } } },
  );
  return objects;
}

/** The api is released blue-green: "Deployment finbot-api" in the cases means the live colour's Deployment. */
const LIVE_API = `finbot-api-${loadSettings('production').release.api.active}`;
const alias = (kind: string, name: string): string => (kind === 'Deployment' && name === 'finbot-api' ? LIVE_API : name);

/** The one object of a kind and name (mutable, for breaking it). */
export function get(objects: readonly SourcedObject[], kind: string, name: string): any {
  name = alias(kind, name);
  const hit = objects.find((s) => s.object.kind === kind && s.object.metadata.name === name);
  if (!hit) throw new Error(`fixture has no ${kind} ${name}`);
  return hit.object;
}

/** Removes an object by kind and name. */
export function remove(objects: SourcedObject[], kind: string, name: string): void {
  name = alias(kind, name);
  const i = objects.findIndex((s) => s.object.kind === kind && s.object.metadata.name === name);
  if (i < 0) throw new Error(`fixture has no ${kind} ${name}`);
  objects.splice(i, 1);
}

/** Adds an object (from a fixture file). */
export function add(objects: SourcedObject[], object: object): void {
  objects.push(ext(object));
}

/** Violations of one rule only. */
export function violationsOf(rule: string, objects: readonly SourcedObject[], options: ValidationOptions = {}): Promise<Violation[]> {
  return validateObjects(objects, { ...PRODUCTION_OPTIONS, ...options }, [ruleById(rule)]);
}

/** What `npm run validate` uses for production (its settings: operators' namespaces are external, ...). */
export const PRODUCTION_OPTIONS: ValidationOptions = optionsFor('production');

/** The api Deployment's pod spec. */
export function apiPod(objects: readonly SourcedObject[]): any {
  return get(objects, 'Deployment', 'finbot-api').spec.template.spec;
}
