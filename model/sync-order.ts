/**
 * The order Argo CD applies the output in, derived from what each kind actually waits for.
 *
 * Argo CD applies one sync wave at a time and waits until every object of the wave is Healthy (a Degraded
 * one fails the sync; see model/operators/argocd.ts). So a kind is placed after everything it needs to
 * become healthy, and — since every object of a wave holds all later waves — **as late as** the kinds that
 * wait for it allow: a slow or stuck object (a certificate being issued, a search cluster that stays yellow)
 * then holds nothing that does not need it. The waves are computed from {@link WAITS_FOR}; the simulation in
 * model/argocd-sync.ts checks them against the references of the rendered objects.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */

/** What one kind waits for (by `<group>/<Kind>`, core group `<Kind>`), and why. */
export interface Wait {
  readonly after: readonly string[];
  readonly why: string;
}

const WORKLOAD_NEEDS = [
  'ServiceAccount', 'ConfigMap', 'Secret', 'Service', 'networking.k8s.io/NetworkPolicy', 'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding', 'external-secrets.io/ExternalSecret', 'external-secrets.io/ClusterExternalSecret',
  'postgresql.cnpg.io/Cluster', 'postgresql.cnpg.io/Pooler', 'redis.redis.opstreelabs.in/RedisCluster', 'redis.redis.opstreelabs.in/Redis',
  'redis.redis.opstreelabs.in/RedisReplication', 'redis.redis.opstreelabs.in/RedisSentinel', 'scheduling.k8s.io/PriorityClass', 'ResourceQuota', 'LimitRange',
  'security.istio.io/PeerAuthentication', 'security.istio.io/AuthorizationPolicy', 'security.istio.io/RequestAuthentication',
  'networking.istio.io/DestinationRule', 'networking.istio.io/Sidecar', 'networking.istio.io/ServiceEntry', 'telemetry.istio.io/Telemetry',
];
const WORKLOADS = ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job', 'batch/CronJob'];
const IN_NAMESPACE = { after: ['Namespace'], why: 'lives in a namespace' };

/** What each kind waits for before it can become healthy (or before its pods start correctly). */
export const WAITS_FOR: Readonly<Record<string, Wait>> = {
  Namespace: { after: [], why: 'the foundation' },
  'storage.k8s.io/StorageClass': { after: [], why: 'cluster foundation' },
  'scheduling.k8s.io/PriorityClass': { after: [], why: 'cluster foundation' },
  'apiextensions.k8s.io/CustomResourceDefinition': { after: [], why: 'cluster foundation' },
  'argoproj.io/AppProject': { after: [], why: 'Applications name it' },
  'argoproj.io/Application': { after: ['argoproj.io/AppProject'], why: 'its project must exist' },
  ServiceAccount: IN_NAMESPACE,
  ConfigMap: IN_NAMESPACE,
  Secret: IN_NAMESPACE,
  Service: IN_NAMESPACE,
  ResourceQuota: IN_NAMESPACE,
  LimitRange: IN_NAMESPACE,
  'networking.k8s.io/NetworkPolicy': { after: ['Namespace'], why: 'a new pod\'s allowed paths (DNS, its database) exist when it starts' },
  'rbac.authorization.k8s.io/ClusterRole': { after: [], why: 'cluster-scoped' },
  'rbac.authorization.k8s.io/Role': IN_NAMESPACE,
  'rbac.authorization.k8s.io/RoleBinding': { after: ['rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole', 'ServiceAccount'], why: 'binds a role to a ServiceAccount' },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { after: ['rbac.authorization.k8s.io/ClusterRole', 'ServiceAccount'], why: 'binds a role to a ServiceAccount' },
  'security.istio.io/PeerAuthentication': { after: ['Namespace'], why: 'the mTLS mode is decided before a meshed pod starts' },
  'security.istio.io/AuthorizationPolicy': IN_NAMESPACE,
  'security.istio.io/RequestAuthentication': IN_NAMESPACE,
  'networking.istio.io/DestinationRule': { after: ['Service'], why: 'subsets of a Service' },
  'networking.istio.io/ServiceEntry': IN_NAMESPACE,
  'networking.istio.io/Sidecar': IN_NAMESPACE,
  'networking.istio.io/Gateway': IN_NAMESPACE,
  'telemetry.istio.io/Telemetry': IN_NAMESPACE,
  'cert-manager.io/ClusterIssuer': { after: ['Secret', 'external-secrets.io/ExternalSecret'], why: 'registers its ACME account (key in a Secret)' },
  'cert-manager.io/Issuer': { after: ['Secret', 'external-secrets.io/ExternalSecret'], why: 'reads its key from a Secret' },
  'external-secrets.io/SecretStore': { after: ['ServiceAccount', 'networking.k8s.io/NetworkPolicy'], why: 'authenticates to Vault with its ServiceAccount\'s token' },
  'external-secrets.io/ClusterSecretStore': { after: ['ServiceAccount', 'networking.k8s.io/NetworkPolicy'], why: 'authenticates to Vault with a ServiceAccount\'s token' },
  'external-secrets.io/ExternalSecret': { after: ['external-secrets.io/SecretStore', 'external-secrets.io/ClusterSecretStore'], why: 'reads through its store; Degraded while the store is not ready' },
  'external-secrets.io/ClusterExternalSecret': { after: ['external-secrets.io/ClusterSecretStore'], why: 'reads through its store' },
  'barmancloud.cnpg.io/ObjectStore': { after: ['Secret', 'external-secrets.io/ExternalSecret'], why: 'object-store credentials' },
  'postgresql.cnpg.io/Cluster': {
    after: ['barmancloud.cnpg.io/ObjectStore', 'Secret', 'external-secrets.io/ExternalSecret', 'networking.k8s.io/NetworkPolicy', 'storage.k8s.io/StorageClass', 'ConfigMap'],
    why: 'its backup plugin reads the ObjectStore; credentials; its pods need their network paths and volumes',
  },
  'postgresql.cnpg.io/Pooler': { after: ['postgresql.cnpg.io/Cluster'], why: 'connects to the cluster' },
  'postgresql.cnpg.io/ScheduledBackup': { after: ['postgresql.cnpg.io/Cluster'], why: 'backs up the cluster' },
  'redis.redis.opstreelabs.in/RedisCluster': { after: ['Secret', 'external-secrets.io/ExternalSecret', 'networking.k8s.io/NetworkPolicy', 'storage.k8s.io/StorageClass'], why: 'password Secret, network paths, volumes' },
  'redis.redis.opstreelabs.in/Redis': { after: ['Secret', 'external-secrets.io/ExternalSecret', 'networking.k8s.io/NetworkPolicy', 'storage.k8s.io/StorageClass'], why: 'password Secret, network paths, volumes' },
  'redis.redis.opstreelabs.in/RedisReplication': { after: ['Secret', 'external-secrets.io/ExternalSecret', 'networking.k8s.io/NetworkPolicy', 'storage.k8s.io/StorageClass'], why: 'password Secret, network paths, volumes' },
  'redis.redis.opstreelabs.in/RedisSentinel': { after: ['redis.redis.opstreelabs.in/RedisReplication'], why: 'watches the replication' },
  'elasticsearch.k8s.elastic.co/Elasticsearch': { after: ['Secret', 'external-secrets.io/ExternalSecret', 'networking.k8s.io/NetworkPolicy', 'storage.k8s.io/StorageClass', 'ConfigMap', 'ServiceAccount'], why: 'network paths and volumes of its nodes' },
  'monitoring.coreos.com/Prometheus': { after: ['ServiceAccount', 'rbac.authorization.k8s.io/ClusterRoleBinding', 'rbac.authorization.k8s.io/RoleBinding', 'networking.k8s.io/NetworkPolicy', 'Secret', 'external-secrets.io/ExternalSecret', 'ConfigMap', 'storage.k8s.io/StorageClass'], why: 'its identity, network paths and volumes' },
  'monitoring.coreos.com/Alertmanager': { after: ['ServiceAccount', 'networking.k8s.io/NetworkPolicy', 'Secret', 'external-secrets.io/ExternalSecret', 'ConfigMap'], why: 'its identity, receivers\' secrets and network paths' },
  'grafana.integreatly.org/Grafana': { after: ['ServiceAccount', 'networking.k8s.io/NetworkPolicy', 'Secret', 'external-secrets.io/ExternalSecret', 'ConfigMap'], why: 'its identity, secrets and network paths' },
  'grafana.integreatly.org/GrafanaDatasource': { after: ['grafana.integreatly.org/Grafana'], why: 'synchronised into a running Grafana (Degraded without one)' },
  'grafana.integreatly.org/GrafanaFolder': { after: ['grafana.integreatly.org/Grafana'], why: 'synchronised into a running Grafana' },
  'grafana.integreatly.org/GrafanaDashboard': { after: ['grafana.integreatly.org/Grafana', 'grafana.integreatly.org/GrafanaFolder', 'grafana.integreatly.org/GrafanaDatasource'], why: 'synchronised into a running Grafana' },
  // The output's collectors are Jaeger v2: its Elasticsearch storage pings the cluster at start and exits when it
  // cannot, and reads the Secrets ECK creates for the cluster (issue #20, item 2).
  'opentelemetry.io/OpenTelemetryCollector': { after: ['elasticsearch.k8s.elastic.co/Elasticsearch', ...WORKLOAD_NEEDS], why: 'Jaeger\'s storage needs a healthy Elasticsearch and the Secrets ECK creates for it' },
  'jaegertracing.io/Jaeger': { after: ['elasticsearch.k8s.elastic.co/Elasticsearch', ...WORKLOAD_NEEDS], why: 'storage in Elasticsearch' },
  ...Object.fromEntries(WORKLOADS.map((k) => [k, { after: WORKLOAD_NEEDS, why: 'pods need their identity, configuration, secrets, network paths, mesh policy and the data stores they connect to at start' }])),
  'autoscaling/HorizontalPodAutoscaler': { after: WORKLOADS, why: 'scales a workload; reports metrics only for running pods' },
  'policy/PodDisruptionBudget': { after: WORKLOADS, why: 'protects running pods' },
  'monitoring.coreos.com/ServiceMonitor': { after: [...WORKLOADS, 'Service'], why: 'observes what runs' },
  'monitoring.coreos.com/PodMonitor': { after: [...WORKLOADS, 'postgresql.cnpg.io/Cluster', 'redis.redis.opstreelabs.in/RedisCluster'], why: 'observes what runs' },
  'monitoring.coreos.com/PrometheusRule': { after: WORKLOADS, why: 'alerts on what runs' },
  'monitoring.coreos.com/Probe': { after: WORKLOADS, why: 'probes what runs' },
  'networking.k8s.io/Ingress': { after: [...WORKLOADS, 'Service'], why: 'sends traffic only once the backends run' },
  'networking.istio.io/VirtualService': { after: [...WORKLOADS, 'Service', 'networking.istio.io/DestinationRule'], why: 'routes to running subsets' },
  'gateway.networking.k8s.io/Gateway': { after: ['Secret', 'Namespace'], why: 'listeners and their certificates' },
  'gateway.networking.k8s.io/HTTPRoute': { after: [...WORKLOADS, 'Service', 'gateway.networking.k8s.io/Gateway'], why: 'sends traffic only once the backends run' },
  // HTTP-01: the ACME server reaches the solver through the route that serves the certificate's host. Nothing in
  // a sync waits for a Certificate (the edge serves its default certificate until the Secret exists).
  'cert-manager.io/Certificate': { after: ['cert-manager.io/ClusterIssuer', 'cert-manager.io/Issuer', 'networking.k8s.io/Ingress', 'gateway.networking.k8s.io/HTTPRoute'], why: 'issued through its issuer, HTTP-01 over the route serving its host' },
};

/** `<group>/<Kind>` of an object (`<Kind>` for the core group). */
export function groupKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? kind : `${apiVersion.slice(0, slash)}/${kind}`;
}

/**
 * Foundations: placed in the first wave although nothing in the output names them directly (every custom
 * resource needs its CRD, every volume its StorageClass, every Application its AppProject).
 */
export const FOUNDATION_KINDS: readonly string[] = ['Namespace', 'apiextensions.k8s.io/CustomResourceDefinition', 'storage.k8s.io/StorageClass', 'scheduling.k8s.io/PriorityClass', 'argoproj.io/AppProject'];

/** The kind every other wave is counted from: the workloads are wave 0. */
export const WORKLOAD_KIND = 'apps/Deployment';

/**
 * Waves by kind: each kind as late as the kinds that wait for it allow (the kinds nothing waits for share the
 * last wave; {@link FOUNDATION_KINDS} the first), counted so that Deployments are wave 0. Throws on a cycle.
 */
export function computeWaves(waits: Readonly<Record<string, Wait>> = WAITS_FOR): Record<string, number> {
  const kinds = Object.keys(waits);
  for (const [k, w] of Object.entries(waits)) {
    for (const a of w.after) if (!(a in waits)) throw new Error(`WAITS_FOR: ${k} waits for ${a}, which has no entry`);
  }
  // Earliest level (longest chain of waits below it), to find the number of levels and detect cycles.
  const earliest = new Map<string, number>();
  const visiting = new Set<string>();
  const early = (k: string): number => {
    const known = earliest.get(k);
    if (known !== undefined) return known;
    if (visiting.has(k)) throw new Error(`WAITS_FOR has a cycle through ${k}`);
    visiting.add(k);
    const level = Math.max(-1, ...waits[k].after.map(early)) + 1;
    visiting.delete(k);
    earliest.set(k, level);
    return level;
  };
  const last = Math.max(...kinds.map(early));
  // Latest level: one before the earliest of the kinds that wait for it.
  const dependents = new Map<string, string[]>(kinds.map((k) => [k, []]));
  for (const [k, w] of Object.entries(waits)) for (const a of w.after) dependents.get(a)!.push(k);
  const latest = new Map<string, number>();
  const late = (k: string): number => {
    const known = latest.get(k);
    if (known !== undefined) return known;
    const level = FOUNDATION_KINDS.includes(k) ? 0 : Math.min(last + 1, ...dependents.get(k)!.map(late)) - 1;
    latest.set(k, level);
    return level;
  };
  const zero = late(WORKLOAD_KIND);
  return Object.fromEntries(kinds.map((k) => [k, late(k) - zero]));
}

/**
 * Kinds that hold data which a deletion would lose (their volumes, or a store only they hold): synth marks
 * them, and every Namespace, `argocd.argoproj.io/sync-options: Prune=false,Delete=false`.
 */
export const STATEFUL_KINDS: ReadonlySet<string> = new Set([
  'postgresql.cnpg.io/Cluster',
  'barmancloud.cnpg.io/ObjectStore',
  'redis.redis.opstreelabs.in/RedisCluster',
  'redis.redis.opstreelabs.in/Redis',
  'redis.redis.opstreelabs.in/RedisReplication',
  'elasticsearch.k8s.elastic.co/Elasticsearch',
  'monitoring.coreos.com/Prometheus',
  'monitoring.coreos.com/Alertmanager',
  'apps/StatefulSet',
  'PersistentVolumeClaim',
  'storage.k8s.io/StorageClass',
]);
