/**
 * One Jaeger v2 role as a plain Deployment with its ConfigMap, ServiceAccount (no API token), Service and
 * PodDisruptionBudget, storing traces in Elasticsearch. Two roles, as Jaeger v1's production strategy had:
 * `collector` (OTLP in, spans to storage) and `query` (UI/API).
 *
 * Not an `OpenTelemetryCollector` CR: the OpenTelemetry operator generates probes only for the v1
 * `health_check` extension, which Jaeger v2 does not ship (model/operators/opentelemetry-operator.ts), so
 * its pods would be Ready while Elasticsearch is down and a hung collector would never be restarted. Here
 * the `healthcheckv2` extension's `/status` drives startup, readiness and liveness probes.
 * @see https://www.jaegertracing.io/docs/latest/deployment/configuration/
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { dump } from 'js-yaml';
import { labels, selectorLabels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeConfigMap, KubeDeployment, KubePodDisruptionBudget, KubeService, KubeServiceAccount } from './kube-objects';
import type { ComputeResources } from './elasticsearch';
import { HEALTHCHECK_V2_STATUS_PATH, JAEGER_ENTRYPOINT, JAEGER_IMAGE, JAEGER_PORTS, JAEGER_UID } from '../model/operators/jaeger';

/** What the instance does. */
export type JaegerRole = 'collector' | 'query';

/** The Elasticsearch a Jaeger instance stores in (a {@link FinbotElasticsearch} satisfies it). */
export interface JaegerElasticsearch {
  /** https URL of the cluster's HTTP Service. */
  readonly url: string;
  /** Nodes; sets shards and replicas of new indices. */
  readonly nodeCount: number;
  /** Secret with the cluster's HTTP CA. */
  readonly caSecret: { readonly name: string; readonly key: string };
}

/** The Elasticsearch user a Jaeger instance logs in as (an {@link ElasticsearchUser} satisfies it). */
export interface JaegerElasticsearchUser {
  readonly username: string;
  /** Secret holding the password. */
  readonly secretName: string;
  readonly passwordKey: string;
}

/** Props of {@link JaegerV2}. */
export interface JaegerV2Props {
  /** Name of the Deployment, Service, ConfigMap, ServiceAccount and PDB (`app.kubernetes.io/name`). */
  readonly name: string;
  readonly namespace: string;
  /** Environment name (the `app.kubernetes.io/instance` label). */
  readonly environment: string;
  readonly role: JaegerRole;
  /** jaegertracing/jaeger image tag (2.x). */
  readonly version: string;
  readonly replicas: number;
  readonly resources: ComputeResources;
  /** Trace storage. */
  readonly elasticsearch: JaegerElasticsearch;
  /** Who Jaeger logs in to Elasticsearch as (least privilege: a role limited to Jaeger's indices). */
  readonly user: JaegerElasticsearchUser;
  /** Prefix of Jaeger's index names (`<prefix>-jaeger-span-<date>`). @default 'jaeger' */
  readonly indexPrefix?: string;
}

/** OTLP ports the collector receives on. */
export const OTLP_PORTS = { grpc: JAEGER_PORTS.otlpGrpc, http: JAEGER_PORTS.otlpHttp } as const;
/** Query ports (UI/HTTP API and gRPC API). */
export const QUERY_PORTS = { http: JAEGER_PORTS.queryHttp, grpc: JAEGER_PORTS.queryGrpc } as const;
/** Default prefix of Jaeger's indices. */
export const DEFAULT_INDEX_PREFIX = 'jaeger';

const STORAGE = 'es_main';
const CONFIG_DIR = '/etc/jaeger';
const ES_CA_DIR = '/etc/jaeger/es-ca';
const ES_USER_DIR = '/etc/jaeger/es-user';

/** The OTLP/HTTP endpoint apps export to when the collector is named `name` in `namespace`. */
export function otlpHttpEndpoint(name: string, namespace: string): string {
  return `http://${name}.${namespace}.svc:${OTLP_PORTS.http}`;
}

/** One Jaeger v2 role: ConfigMap, ServiceAccount, Deployment, Service, PDB. */
export class JaegerV2 extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels every pod carries and every selector (Service, PDB, spread, NetworkPolicies) uses. */
  readonly podLabels: Record<string, string>;
  /** The Service. */
  readonly serviceName: string;
  /** For role collector: the OTLP/HTTP endpoint. For query: the UI URL. */
  readonly url: string;
  /** Ports the pods listen on. */
  readonly ports: readonly number[];
  readonly deployment: KubeDeployment;

  constructor(scope: Construct, id: string, props: JaegerV2Props) {
    super(scope, id);
    if (!/^v?2\.\d+\.\d+$/.test(props.version)) {
      throw new Error(`JaegerV2 ${props.name}: version "${props.version}" is not a Jaeger v2 release such as 2.10.0 (Jaeger v1 reached end of life on 2025-12-31)`);
    }
    if (!Number.isInteger(props.replicas) || props.replicas < 1) {
      throw new Error(`JaegerV2 ${props.name}: replicas must be a whole number of at least 1, got ${props.replicas}`);
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.serviceName = props.name;
    const version = props.version.replace(/^v/, '');
    const labelProps = { name: props.name, component: 'tracing', environment: props.environment, finbotApp: false };
    this.podLabels = selectorLabels(labelProps);
    const objectLabels = labels(labelProps);
    const metadata = { name: props.name, namespace: props.namespace, labels: objectLabels };
    this.url = props.role === 'collector'
      ? otlpHttpEndpoint(props.name, props.namespace)
      : `http://${props.name}.${props.namespace}.svc:${QUERY_PORTS.http}`;

    const configMap = new KubeConfigMap(this, 'ConfigMap', { metadata, data: { 'config.yaml': dump(jaegerConfig(props), { noRefs: true, lineWidth: -1 }) } });
    new KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const ports = servicePorts(props.role);
    this.ports = [...ports.map((p) => p.port), JAEGER_PORTS.health];
    this.deployment = this.deploy(props, { ...metadata, labels: labels({ ...labelProps, version }) }, configMap, ports, version);
    new KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.podLabels,
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP', appProtocol: p.appProtocol })),
      },
    });
    if (props.replicas >= 2) {
      new KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.podLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      });
    }
  }

  /** Step: the Deployment; its pods roll when the configuration changes, probes follow healthcheckv2's /status. */
  private deploy(props: JaegerV2Props, metadata: k8s.ObjectMeta, configMap: KubeConfigMap, ports: readonly ServicePort[], version: string): KubeDeployment {
    const es = props.elasticsearch;
    const status: k8s.HttpGetAction = { path: HEALTHCHECK_V2_STATUS_PATH, port: k8s.IntOrString.fromString('health') };
    const r = props.resources;
    return new KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: props.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.podLabels },
        template: {
          metadata: {
            labels: metadata.labels,
            // A changed configuration rolls the pods (the file is read once, at start).
            annotations: { 'finbot.io/config-sha': configDigest(configMap.toJson()) },
          },
          spec: {
            serviceAccountName: props.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(JAEGER_UID),
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: this.podLabels } }],
            containers: [{
              name: 'jaeger',
              image: `${JAEGER_IMAGE}:${version}`,
              imagePullPolicy: 'IfNotPresent',
              command: [JAEGER_ENTRYPOINT],
              args: [`--config=${CONFIG_DIR}/config.yaml`],
              ports: [...ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })), { name: 'health', containerPort: JAEGER_PORTS.health, protocol: 'TCP' }],
              resources: {
                requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
                limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
              },
              // Start: the storage extension pings Elasticsearch; allow it 5 minutes before liveness counts.
              startupProbe: { httpGet: status, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 30 },
              readinessProbe: { httpGet: status, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              livenessProbe: { httpGet: status, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'es-ca', mountPath: ES_CA_DIR, readOnly: true },
                { name: 'es-user', mountPath: ES_USER_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'es-ca', secret: { secretName: es.caSecret.name, items: [{ key: es.caSecret.key, path: 'ca.crt' }] } },
              { name: 'es-user', secret: { secretName: props.user.secretName, items: [{ key: props.user.passwordKey, path: 'password' }] } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
            ],
          },
        },
      },
    });
  }
}

/** A port of the role's Service (and container). */
interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly appProtocol: string;
}

/** The role's Service ports: OTLP in for the collector, the UI/API for query. */
function servicePorts(role: JaegerRole): ServicePort[] {
  return role === 'collector'
    ? [{ name: 'otlp-grpc', port: OTLP_PORTS.grpc, appProtocol: 'grpc' }, { name: 'otlp-http', port: OTLP_PORTS.http, appProtocol: 'http' }]
    : [{ name: 'query-http', port: QUERY_PORTS.http, appProtocol: 'http' }, { name: 'query-grpc', port: QUERY_PORTS.grpc, appProtocol: 'grpc' }];
}

/** Step: the `jaeger_storage` extension: Elasticsearch with the user's password file and the cluster's CA. */
function storageConfig(props: JaegerV2Props) {
  const es = props.elasticsearch;
  const replicas = es.nodeCount > 1 ? 1 : 0;
  return {
    backends: {
      [STORAGE]: {
        elasticsearch: {
          server_urls: [es.url],
          auth: { basic: { username: props.user.username, password_file: `${ES_USER_DIR}/password` } },
          tls: { ca_file: `${ES_CA_DIR}/ca.crt` },
          // Only the collector writes; the query role's user may not manage templates.
          create_mappings: props.role === 'collector',
          indices: {
            index_prefix: props.indexPrefix ?? DEFAULT_INDEX_PREFIX,
            spans: { shards: Math.min(es.nodeCount, 3), replicas },
            services: { shards: 1, replicas },
          },
        },
      },
    },
  };
}

/** Step: Jaeger's configuration file for the role. */
function jaegerConfig(props: JaegerV2Props) {
  const storage = storageConfig(props);
  // Listed first so its endpoint answers (503) while the storage extension still waits for Elasticsearch.
  // A permanent error makes /status answer 500, which fails readiness and, sustained, liveness.
  const health = {
    use_v2: true,
    component_health: { include_permanent_errors: true },
    http: { endpoint: `0.0.0.0:${JAEGER_PORTS.health}`, status: { enabled: true, path: HEALTHCHECK_V2_STATUS_PATH } },
  };
  return props.role === 'collector'
    ? {
      extensions: { healthcheckv2: health, jaeger_storage: storage },
      receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_PORTS.grpc}` }, http: { endpoint: `0.0.0.0:${OTLP_PORTS.http}` } } } },
      processors: { batch: {} },
      exporters: { jaeger_storage_exporter: { trace_storage: STORAGE } },
      service: {
        extensions: ['healthcheckv2', 'jaeger_storage'],
        pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      },
    }
    : {
      extensions: {
        healthcheckv2: health,
        jaeger_storage: storage,
        jaeger_query: { storage: { traces: STORAGE }, http: { endpoint: `0.0.0.0:${QUERY_PORTS.http}` }, grpc: { endpoint: `0.0.0.0:${QUERY_PORTS.grpc}` } },
      },
      // A query-only instance has no trace pipeline of its own; nop keeps the collector config valid.
      receivers: { nop: {} },
      exporters: { nop: {} },
      service: {
        extensions: ['healthcheckv2', 'jaeger_storage', 'jaeger_query'],
        pipelines: { traces: { receivers: ['nop'], exporters: ['nop'] } },
      },
    };
}

/** Short SHA-256 of a JSON value, so a config change changes the pod template. */
function configDigest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
