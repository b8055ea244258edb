/**
 * Every rule catches a deliberately broken object. Each case starts from the real production output of
 * every chart (valid: see 'the unbroken fixture passes'), breaks one real object (or connection) and
 * expects the rule to report it; most cases also check what the message names.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../validation/registry';
import type { SourcedObject, ValidationOptions } from '../../validation/types';
import { loadSettings } from '../../config/load';
import { add, apiPod, fullProduction, get, LIVE_API, PRODUCTION_OPTIONS, realOutput, remove, violationsOf } from './fixtures';

/** Production's disaster-recovery peer, its output and settings (the dr/ rules compare the two). */
const PROD = loadSettings('production');
const DR_PEER = PROD.platform.dr!.peer;
const DR = loadSettings(DR_PEER);
const STAGING = loadSettings('staging');
const drPeer = (breakPeer: (objects: SourcedObject[]) => void = () => undefined): ValidationOptions => {
  const objects = realOutput(DR_PEER);
  breakPeer(objects);
  return { peer: { environment: DR_PEER, objects } };
};

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

/** An OpenTelemetryCollector as the design of Jaeger v2 on the operator had it (healthcheckv2, no health_check). */
const otelCollector = (spec: object = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'jaeger', namespace: 'monitoring', labels },
  spec: { config: { extensions: { healthcheckv2: {} }, receivers: { otlp: {} }, exporters: { debug: {} }, service: { extensions: ['healthcheckv2'], pipelines: { traces: { receivers: ['otlp'], exporters: ['debug'] } } } }, ...spec },
});

/** An Ingress to finbot-api (the default edge is NGINX Gateway Fabric: the fixture has no Ingress of its own). */
const ingress = (over: Record<string, any> = {}, backend: Record<string, any> = { name: 'finbot-api', port: { name: 'http' } }, tls?: object) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'legacy', namespace: 'production' },
  spec: { ingressClassName: 'nginx', ...(tls ? { tls: [tls] } : {}), rules: [{ host: 'api.finbot.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: backend } }] } }] },
  ...over,
});

const CASES: readonly Case[] = [
  { rule: 'dr/one-primary', name: 'production names the DR cluster primary: no writable primary, the pair disagrees', options: drPeer(), breakIt: (o) => { get(o, 'Cluster', PROD.data.postgres.name).spec.replica.primary = DR.data.postgres.name; }, expect: '0 writable primaries' },
  { rule: 'dr/one-primary', name: 'production fenced while still the primary', options: drPeer(), breakIt: (o) => { get(o, 'Cluster', PROD.data.postgres.name).metadata.annotations['cnpg.io/fencedInstances'] = '["*"]'; }, expect: '0 writable primaries' },
  { rule: 'dr/one-primary', name: 'the DR cluster promotes itself too: two primaries', options: drPeer(), breakIt: () => undefined, brokenOptions: drPeer((p) => { get(p, 'Cluster', DR.data.postgres.name).spec.replica.primary = DR.data.postgres.name; }), expect: '2 writable primaries' },
  { rule: 'dr/no-cross-environment-references', name: 'the Redis snapshot job uploads into the DR region\'s bucket', options: drPeer(), breakIt: (o) => { get(o, 'CronJob', `${PROD.data.redis.name}-backup`).spec.jobTemplate.spec.template.spec.containers.flatMap((c: any) => c.env ?? []).find((e: any) => e.name === 'BUCKET').value = DR.data.backups.bucket; }, expect: `bucket ${DR.data.backups.bucket} of ${DR_PEER}` },
  { rule: 'dr/no-cross-environment-references', name: 'an HTTPRoute serves a host of the DR region', options: drPeer(), breakIt: (o) => { get(o, 'HTTPRoute', 'finbot-api').spec.hostnames.push(DR.edge.hosts.api); }, expect: `host ${DR.edge.hosts.api} of ${DR_PEER}` },
  { rule: 'dr/no-cross-environment-references', name: 'the Vault config seals with the DR region\'s KMS key', options: drPeer(), breakIt: (o) => { const cm = o.find((s) => JSON.stringify(s.object).includes(`kms_key_id = \\"${PROD.secrets.vault.awskms.kmsKeyId}\\"`))!.object; const text = JSON.stringify(cm).replace(PROD.secrets.vault.awskms.kmsKeyId, DR.secrets.vault.awskms.kmsKeyId); Object.assign(cm, JSON.parse(text)); }, expect: `KMS key ${DR.secrets.vault.awskms.kmsKeyId}` },
  { rule: 'data/own-backup-bucket', name: 'production archives its WAL into staging\'s bucket', breakIt: (o) => { get(o, 'ObjectStore', `${PROD.data.postgres.name}-backup`).spec.configuration.destinationPath = `s3://${STAGING.data.backups.bucket}/postgres`; }, expect: `bucket ${STAGING.data.backups.bucket}, which belongs to environment staging` },
  { rule: 'data/own-backup-bucket', name: 'the Redis snapshot job uploads into the DR region\'s bucket', breakIt: (o) => { get(o, 'CronJob', `${PROD.data.redis.name}-backup`).spec.jobTemplate.spec.template.spec.containers.flatMap((c: any) => c.env ?? []).find((e: any) => e.name === 'BUCKET').value = DR.data.backups.bucket; }, expect: `bucket ${DR.data.backups.bucket}, which belongs to environment ${DR_PEER}` },
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
  { rule: 'policy/secret-values', name: 'password in a URL', breakIt: (o) => { container(o).env.push({ name: 'DATABASE_URL', value: 'postgres://app:s3cret@finbot-postgres-primary-rw.database.svc:5432/app' }); }, expect: 'credentials in a URL' },

  // cross-references
  { rule: 'xref/duplicate-object', name: 'the same Service twice', breakIt: (o) => add(o, structuredClone(get(o, 'Service', 'finbot-api'))), expect: 'also defined in dist/production/apps.yaml' },
  { rule: 'xref/namespace', name: 'object in a namespace nobody creates', breakIt: (o) => { get(o, 'ServiceMonitor', 'finbot-api').metadata.namespace = 'observability'; }, expect: 'observability' },
  { rule: 'xref/namespace', name: 'NetworkPolicy namespaceSelector matching nothing', breakIt: (o) => { get(o, 'NetworkPolicy', 'finbot-network-policy').spec.egress[0].to[0].namespaceSelector.matchLabels.name = 'postgres'; }, expect: 'matches no namespace' },
  { rule: 'xref/service-selector', name: 'selector with a version label', breakIt: (o) => { get(o, 'Service', 'finbot-api').spec.selector['app.kubernetes.io/version'] = 'v3'; }, expect: 'matches no pod' },
  { rule: 'xref/service-target-port', name: 'named targetPort that no container has', breakIt: (o) => { get(o, 'Service', 'finbot-api').spec.ports[0].targetPort = 'https'; }, expect: '"https"' },
  { rule: 'xref/service-target-port', name: 'numeric targetPort that no container has', breakIt: (o) => { get(o, 'Service', 'finbot-web').spec.ports[0].targetPort = 80; } },
  { rule: 'xref/hpa-target', name: 'HPA targets a missing Deployment', breakIt: (o) => { get(o, 'HorizontalPodAutoscaler', `${LIVE_API}-hpa`).spec.scaleTargetRef.name = 'finbot-apis'; }, expect: 'finbot-apis' },
  { rule: 'xref/pdb-selector', name: 'PDB selects nothing', breakIt: (o) => { get(o, 'PodDisruptionBudget', 'finbot-web').spec.selector.matchLabels['app.kubernetes.io/name'] = 'web'; } },
  { rule: 'xref/network-policy-selector', name: 'policy for pods that do not exist', breakIt: (o) => { get(o, 'NetworkPolicy', 'allow-web-from-ingress').spec.podSelector.matchLabels['app.kubernetes.io/name'] = 'finbot-frontend'; } },
  { rule: 'xref/network-policy-selector', name: 'peer selecting no pod (wrong DNS label)', breakIt: (o) => { get(o, 'NetworkPolicy', 'allow-dns-egress', 'production').spec.egress[0].to[0].podSelector.matchLabels['k8s-app'] = 'coredns'; }, expect: 'coredns' },
  { rule: 'xref/monitor-selector', name: 'ServiceMonitor port name that no Service has', breakIt: (o) => { get(o, 'ServiceMonitor', 'finbot-api').spec.endpoints[0].port = 'metrics'; }, expect: '"metrics"' },
  { rule: 'xref/monitor-selector', name: 'ServiceMonitor selecting no Service', breakIt: (o) => { get(o, 'ServiceMonitor', 'finbot-api').spec.selector.matchLabels = { app: 'api' }; } },
  { rule: 'xref/monitor-selector', name: 'PodMonitor selecting no pod', breakIt: (o) => { get(o, 'PodMonitor', 'finbot-postgres-primary').spec.selector.matchLabels = { 'cnpg.io/cluster': 'finbot-postgres' }; } },
  { rule: 'xref/ingress-backend', name: 'Ingress backend Service missing', breakIt: (o) => add(o, ingress({}, { name: 'web', port: { name: 'http' } })), expect: 'production/web' },
  { rule: 'xref/ingress-backend', name: 'Ingress backend port missing', breakIt: (o) => add(o, ingress({}, { name: 'finbot-api', port: { number: 80 } })), expect: 'no port 80' },
  { rule: 'xref/istio-host', name: 'VirtualService host is not a Service', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http[0].route[0].destination.host = 'api'; }, expect: '"api"' },
  { rule: 'xref/istio-host', name: 'VirtualService subset not in a DestinationRule', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http[0].route[0].destination.subset = 'canary'; }, expect: 'canary' },
  { rule: 'xref/istio-host', name: 'DestinationRule subset labels match no pod', breakIt: (o) => { get(o, 'DestinationRule', 'finbot-api-colours').spec.subsets[0].labels = { version: 'v4' }; }, expect: 'match no pod' },
  { rule: 'xref/secret-ref', name: 'secretKeyRef to a Secret nothing produces', breakIt: (o) => { container(o).env.push({ name: 'X', valueFrom: { secretKeyRef: { name: 'finbot-api-secret', key: 'x' } } }); }, expect: 'finbot-api-secret ' },
  { rule: 'xref/secret-ref', name: "CNPG's app Secret used from another namespace", breakIt: (o) => { container(o).env.push({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'finbot-postgres-primary-app', key: 'uri' } } }); }, expect: 'namespace database' },
  { rule: 'xref/secret-ref', name: 'Ingress TLS Secret without issuer or Certificate', breakIt: (o) => add(o, ingress({}, undefined, { hosts: ['api.finbot.com'], secretName: 'finbot-legacy-tls' })), expect: 'finbot-legacy-tls' },
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

  // operator behaviour (model/operators/, upstream-cited): each case puts back a defect the old output had
  { rule: 'operator/config-writer-read-only-root', name: 'RedisCluster: read-only root without the init-config container', breakIt: (o) => { delete get(o, 'RedisCluster', 'finbot-redis-cluster').spec.initContainer; }, expect: '/etc/redis/redis.conf' },
  { rule: 'operator/config-writer-read-only-root', name: 'vault-helm: read-only root without a /tmp volume', breakIt: (o) => { delete get(o, 'Application', 'vault-production').spec.source.helm.valuesObject.server.volumeMounts; }, expect: '/tmp/storageconfig.hcl' },
  { rule: 'operator/secretstore-audience', name: 'Vault Kubernetes auth without audiences', breakIt: (o) => { delete get(o, 'SecretStore', 'vault-backend', 'production').spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences; }, expect: 'default audience' },
  { rule: 'operator/vault-mlock', name: 'vault.hcl without disable_mlock', breakIt: (o) => { const v = get(o, 'Application', 'vault-production').spec.source.helm.valuesObject.server.ha.raft; v.config = v.config.replace('disable_mlock = true\n', ''); }, expect: 'Failed to lock memory' },
  { rule: 'operator/vault-mlock', name: 'a vault-config ConfigMap (the old output) without disable_mlock', breakIt: (o) => add(o, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vault-config', namespace: 'vault' }, data: { 'vault.hcl': 'storage "consul" {}\nlistener "tcp" {}\n' } }), expect: 'disable_mlock' },
  { rule: 'operator/pdb-overlap', name: 'the operator\'s per-role Redis budgets on top of the shard budgets', breakIt: (o) => { const r = get(o, 'RedisCluster', 'finbot-redis-cluster').spec; r.redisLeader.pdb = { enabled: true, maxUnavailable: 1 }; }, expect: 'operator-made PodDisruptionBudget finbot-redis-cluster-leader' },
  { rule: 'operator/vault-role-shared', name: 'one Vault role for every namespace (the old output)', breakIt: (o) => { for (const ns of ['production', 'database', 'cache']) get(o, 'SecretStore', 'vault-backend', ns).spec.provider.vault.auth.kubernetes.role = 'finbot-role'; }, expect: 'finbot-role' },
  { rule: 'operator/redis-api-token', name: 'RedisCluster without its own token-less ServiceAccount', breakIt: (o) => { delete get(o, 'RedisCluster', 'finbot-redis-cluster').spec.serviceAccountName; }, expect: 'no serviceAccountName' },
  { rule: 'policy/placeholder-value', name: 'the old IRSA annotation with account 123456789012', breakIt: (o) => { get(o, 'ServiceAccount', 'cluster-autoscaler', 'kube-system').metadata.annotations = { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/finbot-cluster-cluster-autoscaler' }; }, expect: '123456789012' },
  { rule: 'policy/placeholder-value', name: 'an example.com host', breakIt: (o) => { container(o).env.push({ name: 'API_URL', value: 'https://api.example.com' }); }, expect: 'example.com' },

  { rule: 'netpol/data-store-clients', name: 'the old allow-postgres-from-app: the whole app namespace (finbot-web too)', breakIt: (o) => { get(o, 'NetworkPolicy', 'allow-postgres-from-app', 'database').spec.ingress[0].from = [{ namespaceSelector: { matchLabels: { name: 'production', 'finbot.io/environment': 'production' } } }]; }, expect: 'finbot-web' },
  { rule: 'netpol/data-store-clients', name: 'Redis admitting the whole app namespace', breakIt: (o) => { get(o, 'NetworkPolicy', 'allow-redis-from-app', 'cache').spec.ingress[0].from = [{ namespaceSelector: {} }]; }, expect: 'finbot-web' },

  { rule: 'operator/copied-database-password', name: 'the old finbot-secrets: database-url from Vault finbot/database', breakIt: (o) => { const d = get(o, 'ExternalSecret', 'finbot-secrets').spec.data[0]; delete d.sourceRef; d.remoteRef = { key: 'finbot/database', property: 'url' }; }, expect: 'finbot/database' },

  // reachability
  { rule: 'netpol/reachability', name: 'web → api blocked at api ingress', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-api-from-web-and-workers'), expect: "destination's ingress" },
  { rule: 'netpol/reachability', name: 'web → api blocked at web egress', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-web-and-workers-to-api'), expect: "source's egress" },
  { rule: 'netpol/reachability', name: 'api → Postgres (CNPG) blocked by wrong port', breakIt: (o) => { get(o, 'NetworkPolicy', 'finbot-network-policy').spec.egress[0].ports[0].port = 5433; }, expect: 'finbot-postgres-primary-rw' },
  { rule: 'netpol/reachability', name: 'api → Redis blocked when the cache namespace admits no app traffic', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-redis-from-app', 'cache'), expect: 'finbot-redis-cluster-leader' },
  { rule: 'netpol/reachability', name: 'gateway data plane → web blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-web-from-ingress'), expect: 'NGINX Gateway Fabric data plane' },
  { rule: 'netpol/reachability', name: 'HTTPRoute backend not reachable from the gateway pods (data-plane egress)', breakIt: (o) => { get(o, 'NetworkPolicy', 'finbot-nginx-data-plane').spec.egress[0].ports = [{ protocol: 'TCP', port: 8080 }]; }, expect: 'HTTPRoute backend (Gateway data plane → Service)' },
  { rule: 'netpol/reachability', name: 'ACME HTTP-01 solver not reachable from the gateway', breakIt: (o) => { const p = get(o, 'NetworkPolicy', 'finbot-nginx-data-plane'); p.spec.egress = p.spec.egress.filter((r: any) => r.ports[0].port !== 8089); }, expect: 'ACME HTTP-01 challenge' },
  { rule: 'netpol/reachability', name: 'gateway data plane → NGF control plane blocked', breakIt: (o) => { get(o, 'NetworkPolicy', 'ngf-control-plane', 'nginx-gateway').spec.ingress[0].ports[0].port = 8444; }, expect: 'NGF data plane agent → control plane' },
  { rule: 'xref/service-url', name: 'HTTPRoute backend that is not a Service port', breakIt: (o) => { get(o, 'HTTPRoute', 'finbot-web').spec.rules[0].backendRefs[0].port = 80; }, expect: 'not a port of the Service' },

  // edge
  { rule: 'pss/namespace-restricted', name: 'edge namespace at baseline', breakIt: (o) => { get(o, 'Namespace', 'ingress-nginx').metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'; }, expect: 'ingress-nginx enforces "baseline"' },
  { rule: 'edge/ngf-route-fields', name: 'request timeout on an NGF route rule', breakIt: (o) => { get(o, 'HTTPRoute', 'finbot-api').spec.rules[0].timeouts = { request: '10s' }; }, expect: '"timeouts"' },
  { rule: 'edge/acme-solver-outside-mesh', name: 'solver podTemplate injects the sidecar in the meshed app namespace', breakIt: (o) => {
    const issuer = get(o, 'ClusterIssuer', 'letsencrypt-production');
    issuer.spec.acme.solvers[0].http01.gatewayHTTPRoute.podTemplate.metadata.labels['sidecar.istio.io/inject'] = 'true';
    get(o, 'Certificate', 'finbot-api-tls').metadata.namespace = 'production';
  }, expect: 'sidecar' },
  { rule: 'edge/public-host', name: 'public host missing from the VirtualService', breakIt: (o) => { get(o, 'VirtualService', 'finbot-web').spec.hosts = ['finbot-web.production.svc.cluster.local']; }, expect: 'app.finbot.com' },
  { rule: 'edge/public-host', name: 'upstream-vhost replaces the Host header', breakIt: (o) => add(o, ingress({ metadata: { name: 'old', namespace: 'production', annotations: { 'nginx.ingress.kubernetes.io/upstream-vhost': 'finbot-api.production.svc.cluster.local' } } })), expect: 'upstream-vhost' },
  { rule: 'netpol/reachability', name: 'Prometheus scrape (ServiceMonitor) blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-prometheus-scrape', 'production'), expect: 'ServiceMonitor' },
  { rule: 'netpol/reachability', name: 'Istio sidecar → istiod blocked by the default deny', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-istiod-egress'), expect: 'istiod' },
  { rule: 'netpol/reachability', name: 'app → OTLP collector (env name.namespace.svc:port) blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-otlp-to-trace-collector'), expect: 'env OTEL_EXPORTER_OTLP_ENDPOINT' },
  { rule: 'xref/service-url', name: 'bare name.namespace host of a missing Service', breakIt: (o) => { apiPod(o).containers[0].env.push({ name: 'CACHE_HOST', value: 'finbot-redis.cache' }); }, expect: 'cache/finbot-redis' },
  { rule: 'netpol/reachability', name: 'DNS blocked', breakIt: (o) => remove(o, 'NetworkPolicy', 'allow-dns-egress', 'production'), expect: 'kube-dns' },
  { rule: 'netpol/reachability', name: 'declared worker → OTLP collector blocked', breakIt: (o) => add(o, { apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'otel', namespace: 'monitoring' }, spec: { config: { receivers: {}, exporters: {}, service: { pipelines: {} } } } }), options: { connections: [{ from: 'production/finbot-worker', to: 'monitoring/otel-collector', port: 4317 }] }, expect: 'otel-collector' },
  // traffic safety
  { rule: 'traffic/no-replayed-writes', name: 'catch-all route retries POST on 5xx', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http.at(-1).retries.retryOn = '5xx,connect-failure'; }, expect: 'POST' },
  { rule: 'traffic/no-replayed-writes', name: 'catch-all route without retries (Istio default retries 503)', breakIt: (o) => { delete get(o, 'VirtualService', 'finbot-web').spec.http.at(-1).retries; }, expect: 'default policy' },
  { rule: 'traffic/no-replayed-writes', name: 'idempotent route that also matches POST', breakIt: (o) => { get(o, 'VirtualService', 'finbot-api').spec.http[0].match[0].method.regex = '^(GET|POST)$'; }, expect: 'POST' },
  { rule: 'traffic/hpa-measures-the-app', name: 'Resource CPU target on an injected pod', breakIt: (o) => { const m = get(o, 'HorizontalPodAutoscaler', 'finbot-web-hpa').spec.metrics[0]; m.type = 'Resource'; m.resource = { name: 'cpu', target: m.containerResource.target }; delete m.containerResource; }, expect: 'istio-proxy' },
  // monitoring (each the defect the day-one review found)
  { rule: 'monitoring/alertmanager-config', name: 'Alertmanager main without a configuration Secret (operator falls back to a null receiver)', breakIt: (o) => remove(o, 'ExternalSecret', 'alertmanager-main-config', 'monitoring'), expect: 'alerts reach no one' },
  { rule: 'monitoring/alertmanager-config', name: 'AlertmanagerConfig selector with the default OnNamespace strategy', breakIt: (o) => { get(o, 'Alertmanager', 'main', 'monitoring').spec.alertmanagerConfigSelector = { matchLabels: { app: 'finbot' } }; }, expect: 'matcher strategy OnNamespace' },
  { rule: 'monitoring/alert-absence-guard', name: 'an alert over cert-manager\'s metric without absent()', breakIt: (o) => {
    const rules = get(o, 'PrometheusRule', 'finbot-alerts', 'monitoring').spec.groups.flatMap((g: any) => g.rules);
    rules.find((r: any) => r.alert === 'CertificateExpiringSoon').expr = 'certmanager_certificate_expiration_timestamp_seconds - time() < 1209600';
  }, expect: 'alert CertificateExpiringSoon never fires if its series vanish' },
  { rule: 'monitoring/alert-runbook', name: 'an alert whose runbook_url points outside the repository\'s runbooks', breakIt: (o) => {
    const rules = get(o, 'PrometheusRule', 'finbot-alerts', 'monitoring').spec.groups.flatMap((g: any) => g.rules);
    rules.find((r: any) => r.alert === 'FinbotHighErrorRate').annotations.runbook_url = 'https://wiki.finbot.internal/FinbotHighErrorRate';
  }, expect: 'does not point to docs/runbooks/<file>.md' },
  { rule: 'monitoring/alert-runbook', name: 'an alert without severity and runbook_url', breakIt: (o) => {
    const rules = get(o, 'PrometheusRule', 'finbot-alerts', 'monitoring').spec.groups.flatMap((g: any) => g.rules);
    const r = rules.find((x: any) => x.alert === 'RedisDown');
    delete r.labels.severity;
    delete r.annotations.runbook_url;
  }, expect: 'alert RedisDown has no severity' },
  { rule: 'monitoring/prometheus-rbac', name: 'cluster-wide pod/service discovery and ConfigMap read (the old ClusterRole)', breakIt: (o) => {
    get(o, 'ClusterRole', 'monitoring-finbot-prometheus').rules.push({ apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] }, { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] });
  }, expect: 'may list services, endpoints, pods in every namespace' },
  { rule: 'monitoring/operator-pod-token', name: 'Alertmanager without automountServiceAccountToken: false', breakIt: (o) => {
    delete get(o, 'Alertmanager', 'main', 'monitoring').spec.automountServiceAccountToken;
    get(o, 'ServiceAccount', 'alertmanager-main', 'monitoring').automountServiceAccountToken = true;
  }, expect: 'Alertmanager pods mount the API token' },
  { rule: 'monitoring/operator-pod-token', name: 'Grafana with the operator\'s defaults (token mounted)', breakIt: (o) => {
    const g = get(o, 'Grafana', 'finbot-grafana', 'monitoring');
    delete g.spec.deployment.spec.template.spec.automountServiceAccountToken;
    delete g.spec.serviceAccount;
  }, expect: 'Grafana pods mount the API token' },
  { rule: 'monitoring/upstream-metrics-port', name: 'cert-manager monitor on the pre-v1.21 port name', breakIt: (o) => { get(o, 'ServiceMonitor', 'cert-manager', 'monitoring').spec.endpoints[0].port = 'tcp-prometheus-servicemonitor'; }, expect: 'has no port "tcp-prometheus-servicemonitor" (it is "http-metrics")' },

  // operator-run workloads and their clients (tracing)
  { rule: 'netpol/operator-open-policy', name: 'an OpenTelemetryCollector leaves the operator\'s own NetworkPolicy on (the default)', breakIt: (o) => add(o, otelCollector()), expect: 'admits every pod' },
  { rule: 'policy/operator-probes', name: 'a Jaeger v2 collector CR with only healthcheckv2 gets no probes from the operator', breakIt: (o) => add(o, otelCollector({ networkPolicy: { enabled: false } })), expect: 'generates no probes' },
  { rule: 'xref/topology-spread-selector', name: 'a collector CR labelled app.kubernetes.io/name: jaeger spreads on jaeger-collector (the operator keeps the CR\'s name label)', breakIt: (o) => add(o, otelCollector({ networkPolicy: { enabled: false }, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger-collector' } } }] }, { 'app.kubernetes.io/name': 'jaeger' })), expect: 'matches none of the pods' },
  { rule: 'xref/topology-spread-selector', name: 'a Deployment spreads on labels its pods do not carry', breakIt: (o) => { get(o, 'Deployment', 'jaeger-collector').spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels['app.kubernetes.io/name'] = 'jaeger-collector-collector'; }, expect: 'jaeger-collector-collector' },
  { rule: 'policy/es-superuser', name: 'the collector logs in with the elastic superuser\'s Secret', breakIt: (o) => { get(o, 'Deployment', 'jaeger-collector').spec.template.spec.volumes.find((v: { name: string }) => v.name === 'es-user').secret.secretName = 'finbot-traces-es-elastic-user'; }, expect: 'superuser password of Elasticsearch monitoring/finbot-traces' },
  { rule: 'policy/es-superuser', name: 'a collector CR takes ES_PASSWORD from the superuser Secret (the earlier Jaeger v2 CRs)', breakIt: (o) => add(o, otelCollector({ networkPolicy: { enabled: false }, env: [{ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'finbot-traces-es-elastic-user', key: 'elastic' } } }] })), expect: 'spec.env[0].valueFrom.secretKeyRef.name' },
  { rule: 'netpol/reachability', name: 'declared Grafana (a CR\'s pods) → Jaeger query blocked when the query policy admits no one', breakIt: (o) => { get(o, 'NetworkPolicy', 'allow-trace-query').spec.ingress = []; }, options: { connections: [{ from: 'monitoring/finbot-grafana', to: 'monitoring/jaeger-query', port: 16686 }] }, expect: 'Grafana monitoring/finbot-grafana' },
  { rule: 'policy/elasticsearch-retention', name: 'no index cleaner for the trace storage', breakIt: (o) => remove(o, 'CronJob', 'jaeger-index-cleaner'), expect: 'has no retention' },
  { rule: 'gitops/wave-after-operator', name: 'the Jaeger collector is synced in the wave of the Elasticsearch whose CA Secret it mounts', breakIt: (o) => { get(o, 'Deployment', 'jaeger-collector').metadata.annotations['argocd.argoproj.io/sync-wave'] = get(o, 'Elasticsearch', 'finbot-traces').metadata.annotations['argocd.argoproj.io/sync-wave']; }, expect: 'finbot-traces-es-http-certs-public' },
  // Argo CD delivery (issue #20)
  { rule: 'argocd/sync-order', name: 'Certificates in the old wave -2, before the Ingress answering HTTP-01', breakIt: (o) => { get(o, 'Certificate', 'finbot-api-tls').metadata.annotations['argocd.argoproj.io/sync-wave'] = '-2'; }, expect: 'HTTP-01' },
  { rule: 'argocd/sync-order', name: 'Jaeger collector in the same wave as Elasticsearch', breakIt: (o) => { get(o, 'Deployment', 'jaeger-collector').metadata.annotations['argocd.argoproj.io/sync-wave'] = get(o, 'Elasticsearch', 'finbot-traces').metadata.annotations['argocd.argoproj.io/sync-wave']; }, expect: 'Elasticsearch monitoring/finbot-traces' },
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
