/**
 * Every rule catches a deliberately broken object. Each case starts from the real production output of
 * every chart (valid: see 'the unbroken fixture passes'), breaks one real object (or connection) and
 * expects the rule to report it; most cases also check what the message names.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../validation/registry';
import type { SourcedObject, ValidationOptions } from '../../validation/types';
import { add, apiPod, fullProduction, get, PRODUCTION_OPTIONS, remove, violationsOf } from './fixtures';

interface Case {
  readonly rule: string;
  readonly name: string;
  readonly breakIt: (objects: SourcedObject[]) => void;
  /** Text the message must contain. */
  readonly expect?: string;
  readonly options?: ValidationOptions;
  /** Options that are the break (the objects stay as they are): checked only after breaking. */
  readonly brokenOptions?: ValidationOptions;
}

const container = (o: SourcedObject[]) => apiPod(o).containers[0];
const job = (spec: object = {}) => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'post-sync', namespace: 'production', annotations: { 'argocd.argoproj.io/hook': 'PostSync' } },
  spec: { template: { spec: { restartPolicy: 'Never', automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'smoke', image: 'docker.io/curlimages/curl:8.8.0', resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } }, securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }], ...spec } } },
});

const CASES: readonly Case[] = [
  // schema
  { rule: 'schema/invalid', name: 'core: replicas is a string', breakIt: (o) => { get(o, 'Deployment', 'finbot-api').spec.replicas = 'three'; }, expect: 'integer' },
  { rule: 'schema/invalid', name: 'CRD (CNPG Cluster): instances missing', breakIt: (o) => { delete get(o, 'Cluster', 'finbot-postgres-primary').spec.instances; }, expect: 'instances' },
  { rule: 'schema/invalid', name: 'packaged CRD (ServiceMonitor): endpoints is not an array', breakIt: (o) => { get(o, 'ServiceMonitor', 'finbot-api').spec.endpoints = 'http-metrics'; } },
  { rule: 'schema/unknown-field', name: 'core: typo in a container securityContext', breakIt: (o) => { container(o).securityContext.readOnlyRootFileSystem = true; }, expect: 'readOnlyRootFileSystem' },
  { rule: 'schema/unknown-field', name: 'core: unknown field in metadata', breakIt: (o) => { get(o, 'Service', 'finbot-api').metadata.label = { a: 'b' }; }, expect: 'metadata.label' },
  { rule: 'schema/unknown-field', name: 'imported CRD (RedisCluster): unknown field under spec', breakIt: (o) => { get(o, 'RedisCluster', 'finbot-redis-cluster').spec.clusterSise = 3; }, expect: 'spec.clusterSise' },
  { rule: 'schema/unknown-field', name: 'imported CRD (CNPG Cluster): unknown metadata field', breakIt: (o) => { get(o, 'Cluster', 'finbot-postgres-primary').metadata.labelz = {}; }, expect: 'metadata.labelz' },
  { rule: 'schema/unknown-field', name: 'packaged CRD (ExternalSecret): unknown field under spec', breakIt: (o) => { get(o, 'ExternalSecret', 'finbot-secrets').spec.refreshInterval2 = '1h'; }, expect: 'refreshInterval2' },
  { rule: 'schema/unknown-field', name: 'packaged CRD (VirtualService): unknown field in a route', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http[0].retrys = {}; }, expect: 'retrys' },
  { rule: 'schema/unknown-kind', name: 'a kind nobody knows', breakIt: (o) => add(o, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'production' } }), expect: 'example.com/v1 Widget' },

  // pod security
  { rule: 'pss/host-process', name: 'windows hostProcess', breakIt: (o) => { container(o).securityContext.windowsOptions = { hostProcess: true }; } },
  { rule: 'pss/host-namespaces', name: 'hostNetwork', breakIt: (o) => { apiPod(o).hostNetwork = true; }, expect: 'hostNetwork' },
  { rule: 'pss/privileged', name: 'privileged init container', breakIt: (o) => { apiPod(o).initContainers = [{ ...structuredClone(container(o)), name: 'init', securityContext: { ...container(o).securityContext, privileged: true } }]; }, expect: 'container "init"' },
  { rule: 'pss/capabilities', name: 'adds NET_ADMIN', breakIt: (o) => { container(o).securityContext.capabilities.add = ['NET_ADMIN']; }, expect: 'NET_ADMIN' },
  { rule: 'pss/capabilities', name: 'does not drop ALL', breakIt: (o) => { container(o).securityContext.capabilities.drop = ['NET_RAW']; }, expect: 'ALL' },
  { rule: 'pss/host-path', name: 'hostPath volume', breakIt: (o) => { apiPod(o).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); }, expect: 'docker' },
  { rule: 'pss/host-ports', name: 'hostPort', breakIt: (o) => { container(o).ports[0].hostPort = 3001; } },
  { rule: 'pss/apparmor', name: 'Unconfined AppArmor', breakIt: (o) => { apiPod(o).securityContext.appArmorProfile = { type: 'Unconfined' }; } },
  { rule: 'pss/apparmor', name: 'legacy AppArmor annotation unconfined', breakIt: (o) => { get(o, 'Deployment', 'finbot-api').spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/finbot-api': 'unconfined' }; } },
  { rule: 'pss/selinux', name: 'SELinux user', breakIt: (o) => { container(o).securityContext.seLinuxOptions = { user: 'system_u' }; } },
  { rule: 'pss/selinux', name: 'SELinux type spc_t', breakIt: (o) => { apiPod(o).securityContext.seLinuxOptions = { type: 'spc_t' }; }, expect: 'spc_t' },
  { rule: 'pss/proc-mount', name: 'Unmasked proc mount', breakIt: (o) => { container(o).securityContext.procMount = 'Unmasked'; } },
  { rule: 'pss/seccomp', name: 'no seccomp profile', breakIt: (o) => { delete apiPod(o).securityContext.seccompProfile; }, expect: 'not set' },
  { rule: 'pss/seccomp', name: 'Unconfined container seccomp', breakIt: (o) => { container(o).securityContext.seccompProfile = { type: 'Unconfined' }; } },
  { rule: 'pss/seccomp', name: 'Unconfined pod seccomp even when every container sets RuntimeDefault', breakIt: (o) => { apiPod(o).securityContext.seccompProfile = { type: 'Unconfined' }; container(o).securityContext.seccompProfile = { type: 'RuntimeDefault' }; }, expect: 'pod seccomp profile Unconfined' },
  { rule: 'pss/sysctls', name: 'unsafe sysctl', breakIt: (o) => { apiPod(o).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; }, expect: 'kernel.msgmax' },
  { rule: 'pss/volume-types', name: 'nfs volume', breakIt: (o) => { apiPod(o).volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }, expect: 'nfs' },
  { rule: 'pss/privilege-escalation', name: 'allowPrivilegeEscalation unset on a Job container', breakIt: (o) => { const j = job(); delete (j.spec.template.spec.containers[0].securityContext as Record<string, unknown>).allowPrivilegeEscalation; add(o, j); }, expect: 'not set' },
  { rule: 'pss/run-as-non-root', name: 'runAsNonRoot false on a container', breakIt: (o) => { container(o).securityContext.runAsNonRoot = false; } },
  { rule: 'pss/run-as-user', name: 'runAsUser 0', breakIt: (o) => { container(o).securityContext.runAsUser = 0; } },

  // policy
  { rule: 'policy/resources', name: 'no memory limit', breakIt: (o) => { delete container(o).resources.limits.memory; }, expect: 'limits.memory' },
  { rule: 'policy/probes', name: 'no readiness probe', breakIt: (o) => { delete container(o).readinessProbe; }, expect: 'readinessProbe' },
  { rule: 'policy/image-tag', name: 'latest tag', breakIt: (o) => { container(o).image = 'docker.io/finbot/api:latest'; }, expect: 'latest' },
  { rule: 'policy/image-tag', name: 'no tag (registry with port)', breakIt: (o) => { container(o).image = 'registry.local:5000/finbot/api'; }, expect: 'no tag' },
  { rule: 'policy/read-only-root-fs', name: 'writable root filesystem', breakIt: (o) => { container(o).securityContext.readOnlyRootFilesystem = false; } },
  { rule: 'policy/sa-token', name: 'token mounted without annotation (cluster-autoscaler style)', breakIt: (o) => { apiPod(o).automountServiceAccountToken = true; }, expect: 'finbot-api' },
  { rule: 'policy/service-type', name: 'LoadBalancer in the app namespace', breakIt: (o) => { get(o, 'Service', 'finbot-web').spec.type = 'LoadBalancer'; }, expect: 'LoadBalancer' },
  { rule: 'policy/secret-values', name: 'Secret with stringData', breakIt: (o) => add(o, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'production' }, stringData: { password: 'hunter2' } }), expect: 'stringData' },
  { rule: 'policy/secret-values', name: 'credential in an env value', breakIt: (o) => { container(o).env.push({ name: 'STRIPE_API_KEY', value: 'abc123' }); }, expect: 'STRIPE_API_KEY' },
  { rule: 'policy/secret-values', name: 'Grafana CR with an inline admin password', breakIt: (o) => add(o, { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'Grafana', metadata: { name: 'grafana', namespace: 'monitoring' }, spec: { config: { security: { admin_user: 'admin', admin_password: 'admin123' } } } }), expect: 'spec.config.security.admin_password' },
  { rule: 'policy/secret-values', name: 'password in a URL', breakIt: (o) => { container(o).env.push({ name: 'DATABASE_URL', value: 'postgres://app:s3cret@finbot-postgres-primary-rw.database.svc:5432/app' }); }, expect: 'URL with a password' },

  // cross-references
  { rule: 'xref/duplicate-object', name: 'the same Service twice', breakIt: (o) => add(o, structuredClone(get(o, 'Service', 'finbot-api'))), expect: 'also defined in dist/production/apps.yaml' },
  { rule: 'xref/namespace', name: 'object in a namespace nobody creates', breakIt: (o) => { get(o, 'ServiceMonitor', 'finbot-api').metadata.namespace = 'observability'; }, expect: 'observability' },
  { rule: 'xref/namespace', name: 'NetworkPolicy namespaceSelector matching nothing', breakIt: (o) => { get(o, 'NetworkPolicy', 'finbot-network-policy').spec.egress[0].to[0].namespaceSelector.matchLabels.name = 'postgres'; }, expect: 'matches no namespace' },
  { rule: 'xref/service-selector', name: 'selector with a version label', breakIt: (o) => { get(o, 'Service', 'finbot-api').spec.selector['app.kubernetes.io/version'] = 'v3'; }, expect: 'matches no pod' },
  { rule: 'xref/service-target-port', name: 'named targetPort that no container has', breakIt: (o) => { get(o, 'Service', 'finbot-api').spec.ports[0].targetPort = 'https'; }, expect: '"https"' },
  { rule: 'xref/service-target-port', name: 'numeric targetPort that no container has', breakIt: (o) => { get(o, 'Service', 'finbot-web').spec.ports[0].targetPort = 80; } },
  { rule: 'xref/hpa-target', name: 'HPA targets a missing Deployment', breakIt: (o) => { get(o, 'HorizontalPodAutoscaler', 'finbot-api-blue-hpa').spec.scaleTargetRef.name = 'finbot-apis'; }, expect: 'finbot-apis' },
  { rule: 'xref/pdb-selector', name: 'PDB selects nothing', breakIt: (o) => { get(o, 'PodDisruptionBudget', 'finbot-web').spec.selector.matchLabels['app.kubernetes.io/name'] = 'web'; } },
  { rule: 'xref/network-policy-selector', name: 'policy for pods that do not exist', breakIt: (o) => { get(o, 'NetworkPolicy', 'allow-web-from-ingress').spec.podSelector.matchLabels['app.kubernetes.io/name'] = 'finbot-frontend'; } },
  { rule: 'xref/network-policy-selector', name: 'peer selecting no pod (wrong DNS label)', breakIt: (o) => { get(o, 'NetworkPolicy', 'allow-dns-egress', 'production').spec.egress[0].to[0].podSelector.matchLabels['k8s-app'] = 'coredns'; }, expect: 'coredns' },
  { rule: 'xref/monitor-selector', name: 'ServiceMonitor port name that no Service has', breakIt: (o) => { get(o, 'ServiceMonitor', 'finbot-api').spec.endpoints[0].port = 'metrics'; }, expect: '"metrics"' },
  { rule: 'xref/monitor-selector', name: 'ServiceMonitor selecting no Service', breakIt: (o) => { get(o, 'ServiceMonitor', 'finbot-api').spec.selector.matchLabels = { app: 'api' }; } },
  { rule: 'xref/monitor-selector', name: 'PodMonitor selecting no pod', breakIt: (o) => { get(o, 'PodMonitor', 'finbot-postgres-primary').spec.selector.matchLabels = { 'cnpg.io/cluster': 'finbot-postgres' }; } },
  { rule: 'xref/ingress-backend', name: 'Ingress backend Service missing', breakIt: (o) => { get(o, 'Ingress', 'finbot-web').spec.rules[0].http.paths[0].backend.service.name = 'web'; }, expect: 'production/web' },
  { rule: 'xref/ingress-backend', name: 'Ingress backend port missing', breakIt: (o) => { get(o, 'Ingress', 'finbot-api').spec.rules[0].http.paths[0].backend.service.port = { number: 80 }; }, expect: 'no port 80' },
  { rule: 'xref/istio-host', name: 'VirtualService host is not a Service', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http[0].route[0].destination.host = 'api'; }, expect: '"api"' },
  { rule: 'xref/istio-host', name: 'VirtualService subset not in a DestinationRule', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http[0].route[0].destination.subset = 'canary'; }, expect: 'canary' },
  { rule: 'xref/istio-host', name: 'DestinationRule subset labels match no pod', breakIt: (o) => { get(o, 'DestinationRule', 'finbot-api-colours').spec.subsets[0].labels = { version: 'v4' }; }, expect: 'match no pod' },
  { rule: 'xref/secret-ref', name: 'secretKeyRef to a Secret nothing produces', breakIt: (o) => { container(o).env.push({ name: 'X', valueFrom: { secretKeyRef: { name: 'finbot-api-secret', key: 'x' } } }); }, expect: 'finbot-api-secret ' },
  { rule: 'xref/secret-ref', name: "CNPG's app Secret used from another namespace", breakIt: (o) => { container(o).env.push({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'finbot-postgres-primary-app', key: 'uri' } } }); }, expect: 'namespace database' },
  { rule: 'xref/secret-ref', name: 'Ingress TLS Secret without issuer or Certificate', breakIt: (o) => remove(o, 'Certificate', 'finbot-api-tls'), expect: 'finbot-api-tls' },
  { rule: 'xref/secret-ref', name: 'secret volume', breakIt: (o) => { apiPod(o).volumes.push({ name: 'certs', secret: { secretName: 'api-certs' } }); }, expect: 'api-certs' },
  { rule: 'xref/secret-ref', name: 'an ExternalSecret without target.name produces a Secret of its own name only', breakIt: (o) => { delete get(o, 'ExternalSecret', 'finbot-secrets').spec.target; get(o, 'ExternalSecret', 'finbot-secrets').metadata.name = 'finbot-app-secrets-sync'; }, expect: 'production/finbot-app-secrets' },
  { rule: 'xref/istio-host', name: 'VirtualService bound to a missing Gateway', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.gateways = ['mesh', 'istio-ingress/finbot-gateway']; }, expect: 'istio-ingress/finbot-gateway' },
  { rule: 'xref/secret-ref', name: 'Istio Gateway credentialName nothing produces', breakIt: (o) => add(o, { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'finbot-gateway', namespace: 'production' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['finbot.com'], tls: { mode: 'SIMPLE', credentialName: 'finbot-gateway-tls' } }] } }), expect: 'finbot-gateway-tls' },
  { rule: 'xref/secret-store', name: 'ExternalSecret with a missing store', breakIt: (o) => { get(o, 'ExternalSecret', 'finbot-secrets').spec.secretStoreRef.name = 'aws-secrets-manager'; }, expect: 'aws-secrets-manager' },
  { rule: 'xref/config-map', name: 'envFrom a missing ConfigMap', breakIt: (o) => { container(o).envFrom = [{ configMapRef: { name: 'finbot-config' } }]; }, expect: 'finbot-config' },
  { rule: 'xref/service-account', name: 'missing ServiceAccount', breakIt: (o) => { remove(o, 'ServiceAccount', 'finbot-api'); }, expect: 'production/finbot-api' },
  { rule: 'xref/service-url', name: 'env URL pointing at a missing Service', breakIt: (o) => { get(o, 'Deployment', 'finbot-web').spec.template.spec.containers[0].env[0].value = 'http://finbot-backend.production.svc.cluster.local:3001'; }, expect: 'finbot-backend' },
  { rule: 'xref/service-url', name: 'declared connection to a missing Service', breakIt: () => undefined, options: { connections: [{ from: 'production/finbot-worker', to: 'production/finbot-jobs', port: 80 }] }, expect: 'finbot-jobs' },

  { rule: 'xref/issuer-ref', name: 'Certificate with a missing ClusterIssuer', breakIt: (o) => { get(o, 'Certificate', 'finbot-api-tls').spec.issuerRef.name = 'letsencrypt-staging'; }, expect: 'letsencrypt-staging' },
  { rule: 'xref/issuer-ref', name: 'Certificates naming a missing ClusterIssuer', breakIt: (o) => remove(o, 'ClusterIssuer', 'letsencrypt-production'), expect: 'ClusterIssuer letsencrypt-production' },
  { rule: 'xref/argocd-project', name: 'Application in a missing project', breakIt: (o) => remove(o, 'AppProject', 'finbot-production'), expect: 'argocd/finbot-production' },
  { rule: 'xref/role-binding-subject', name: 'RoleBinding to a missing ServiceAccount', breakIt: (o) => { get(o, 'RoleBinding', 'cluster-autoscaler').subjects[0].name = 'cluster-autoscalr'; }, expect: 'cluster-autoscalr' },
  { rule: 'xref/role-binding-subject', name: 'RoleBinding to a missing Role', breakIt: (o) => remove(o, 'Role', 'cluster-autoscaler'), expect: 'cluster-autoscaler' },
  { rule: 'xref/monitor-selector', name: 'ServiceMonitor for CNPG Services with a wrong port name', breakIt: (o) => add(o, { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'pg', namespace: 'database' }, spec: { selector: { matchLabels: { 'cnpg.io/cluster': 'finbot-postgres-primary' } }, endpoints: [{ port: 'metrics' }] } }), expect: 'no selected Service has a port named "metrics"' },

  { rule: 'xref/prometheus-selection', name: 'PrometheusRule without the label the Prometheus selects', breakIt: (o) => { get(o, 'PrometheusRule', 'finbot-alerts').metadata.labels = { release: 'prometheus' }; }, expect: 'ruleSelector=app=finbot' },
  { rule: 'xref/prometheus-selection', name: 'Prometheus without a serviceMonitorSelector selects no ServiceMonitor', breakIt: (o) => { delete get(o, 'Prometheus', 'finbot-prometheus').spec.serviceMonitorSelector; }, expect: 'ServiceMonitor' },
  { rule: 'xref/grafana-instance', name: 'dashboard instanceSelector matching no Grafana', breakIt: (o) => { get(o, 'GrafanaDashboard', 'finbot-overview').spec.instanceSelector.matchLabels = { dashboards: 'main' }; }, expect: 'dashboards=main' },
  { rule: 'xref/namespace', name: 'externalNamespaces are the only way to use a namespace the output does not create', breakIt: () => undefined, brokenOptions: { externalNamespaces: PRODUCTION_OPTIONS.externalNamespaces?.filter((n) => n !== 'argocd') }, expect: 'argocd' },

  // reachability
  { rule: 'netpol/reachability', name: 'web → api blocked at api ingress', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-api-from-web-and-workers'), expect: "destination's ingress" },
  { rule: 'netpol/reachability', name: 'web → api blocked at web egress', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-web-and-workers-to-api'), expect: "source's egress" },
  { rule: 'netpol/reachability', name: 'api → Postgres (CNPG) blocked by wrong port', breakIt: (o) => { get(o, 'NetworkPolicy', 'finbot-network-policy').spec.egress[0].ports[0].port = 5433; }, expect: 'finbot-postgres-primary-rw' },
  { rule: 'netpol/reachability', name: 'api → Redis blocked when the cache namespace admits no app traffic', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-redis-from-app', 'cache'), expect: 'finbot-redis-cluster-leader' },
  { rule: 'netpol/reachability', name: 'ingress controller → web blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-web-from-ingress'), expect: 'ingress-nginx controller' },
  { rule: 'netpol/reachability', name: 'Prometheus scrape (ServiceMonitor) blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-prometheus-scrape', 'production'), expect: 'ServiceMonitor' },
  { rule: 'netpol/reachability', name: 'Istio sidecar → istiod blocked by the default deny', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-istiod-egress'), expect: 'istiod' },
  { rule: 'netpol/reachability', name: 'app → OTLP collector (env name.namespace.svc:port) blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-otlp-to-trace-collector'), expect: 'env OTEL_EXPORTER_OTLP_ENDPOINT' },
  { rule: 'xref/service-url', name: 'bare name.namespace host of a missing Service', breakIt: (o) => { apiPod(o).containers[0].env.push({ name: 'CACHE_HOST', value: 'finbot-redis.cache' }); }, expect: 'cache/finbot-redis' },
  { rule: 'netpol/reachability', name: 'DNS blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-dns-egress', 'production'), expect: 'kube-dns' },
  { rule: 'netpol/reachability', name: 'declared worker → OTLP collector blocked', breakIt: (o) => add(o, { apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'otel', namespace: 'monitoring' }, spec: { config: { receivers: {}, exporters: {}, service: { pipelines: {} } } } }), options: { connections: [{ from: 'production/finbot-worker', to: 'monitoring/otel-collector', port: 4317 }] }, expect: 'otel-collector' },  // traffic safety
  { rule: 'traffic/no-replayed-writes', name: 'catch-all route retries POST on 5xx', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http.at(-1).retries.retryOn = '5xx,connect-failure'; }, expect: 'POST' },
  { rule: 'traffic/no-replayed-writes', name: 'catch-all route without retries (Istio default retries 503)', breakIt: (o) => { delete get(o, 'VirtualService', 'finbot-web').spec.http.at(-1).retries; }, expect: 'default policy' },
  { rule: 'traffic/no-replayed-writes', name: 'idempotent route that also matches POST', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http[0].match[0].method.regex = '^(GET|POST)$'; }, expect: 'POST' },
  { rule: 'traffic/hpa-measures-the-app', name: 'Resource CPU target on an injected pod', breakIt: (o) => { const m = get(o, 'HorizontalPodAutoscaler', 'finbot-web-hpa').spec.metrics[0]; m.type = 'Resource'; m.resource = { name: 'cpu', target: m.containerResource.target }; delete m.containerResource; }, expect: 'istio-proxy' },
  // Argo CD delivery (issue #20)
  { rule: 'argocd/sync-order', name: 'Certificates in the old wave -2, before the Ingress answering HTTP-01', breakIt: (o) => { get(o, 'Certificate', 'finbot-api-tls').metadata.annotations['argocd.argoproj.io/sync-wave'] = '-2'; }, expect: 'HTTP-01' },
  { rule: 'argocd/sync-order', name: 'Jaeger collector in the same wave as Elasticsearch', breakIt: (o) => { get(o, 'OpenTelemetryCollector', 'jaeger').metadata.annotations['argocd.argoproj.io/sync-wave'] = get(o, 'Elasticsearch', 'finbot-traces').metadata.annotations['argocd.argoproj.io/sync-wave']; }, expect: 'Elasticsearch monitoring/finbot-traces' },
  { rule: 'argocd/prune-protection', name: 'database namespace without Prune=false', breakIt: (o) => { delete get(o, 'Namespace', 'database').metadata.annotations['argocd.argoproj.io/sync-options']; }, expect: 'Prune=false' },
  { rule: 'argocd/prune-protection', name: 'CNPG Cluster without Delete=false', breakIt: (o) => { get(o, 'Cluster', 'finbot-postgres-primary').metadata.annotations['argocd.argoproj.io/sync-options'] = 'Prune=false'; }, expect: 'Delete=false' },
  { rule: 'argocd/admin-owned-projects', name: 'the root project admits AppProjects', breakIt: (o) => { get(o, 'AppProject', 'finbot-production-gitops').spec.namespaceResourceWhitelist.push({ group: 'argoproj.io', kind: 'AppProject' }); }, expect: 'admits AppProjects' },
  { rule: 'argocd/admin-owned-projects', name: 'the workloads project admits every ClusterRoleBinding', breakIt: (o) => { get(o, 'AppProject', 'finbot-production').spec.clusterResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }); }, expect: 'every rbac.authorization.k8s.io/ClusterRoleBinding' },
  { rule: 'argocd/admin-owned-projects', name: 'an AppProject in gitops.yaml (applied by the root Application)', breakIt: (o) => { const i = o.findIndex((s) => s.object.kind === 'AppProject' && s.object.metadata.name === 'finbot-production'); o[i] = { ...o[i], file: 'dist/production/gitops.yaml' }; }, expect: 'applied by Application finbot-production' },
  { rule: 'argocd/health-customizations', name: 'argocd-cm without the CNPG health customisation', breakIt: (o) => { delete get(o, 'ConfigMap', 'argocd-cm').data['resource.customizations.health.postgresql.cnpg.io_Cluster']; }, expect: 'postgresql.cnpg.io_Cluster' },
];

describe('every rule catches a broken object', () => {
  it('the unbroken fixture (the real production output) passes every rule', async () => {
    const objects = fullProduction();
    const all = await Promise.all(RULES.map((r) => violationsOf(r.id, objects)));
    expect(all.flat()).toEqual([]);
  });

  it('every rule of the registry has at least one case', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.rule, c.name, c] as const))('%s: %s', async (rule, _name, c) => {
    const objects = fullProduction();
    if (c.options?.connections) {
      // The declared connection alone (before breaking) must not trip the rule unless it is the break.
      c.breakIt(objects);
    } else {
      expect(await violationsOf(rule, objects, c.options)).toEqual([]);
      c.breakIt(objects);
    }
    const found = await violationsOf(rule, objects, { ...c.options, ...c.brokenOptions });
    expect(found.length, JSON.stringify(found, null, 1)).toBeGreaterThan(0);
    for (const v of found) {
      expect(v.rule).toBe(rule);
      expect(v.object).toMatch(/^\S+ /);
      expect(v.fix.length).toBeGreaterThan(10);
    }
    if (c.expect) expect(found.map((v) => `${v.path} ${v.message}`).join('\n')).toContain(c.expect);
  });
});
