/**
 * Jaeger v2 (an OpenTelemetry Collector distribution) run by the OpenTelemetry operator
 * (opentelemetry.io/v1beta1 `OpenTelemetryCollector`), storing traces in Elasticsearch. Two roles, as
 * Jaeger v1's production strategy had: `collector` (OTLP in, spans to storage) and `query` (UI/API).
 * Jaeger v1 and its operator reached end of life on 2025-12-31.
 * @see https://www.jaegertracing.io/docs/latest/deployment/configuration/
 * @see https://github.com/open-telemetry/opentelemetry-operator/blob/main/docs/api/opentelemetrycollectors.md
 */
import { Construct } from 'constructs';
import { OPENTELEMETRY_COLLECTOR } from './crd-kinds';
import type { ObservabilityResources } from '../config/sections/observability';
import type { FinbotElasticsearch } from './elasticsearch';
import { labels } from './labels';
import { plainResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { PlainApiObject } from './kube-objects';

/** What the instance does. */
export type JaegerRole = 'collector' | 'query';

/** Props of {@link JaegerV2}. */
export interface JaegerV2Props {
  /** CR name; the operator names Deployment and Service `<name>-collector`. */
  readonly name: string;
  readonly namespace: string;
  readonly environment: string;
  readonly role: JaegerRole;
  /** jaegertracing/jaeger image tag (2.x). */
  readonly version: string;
  readonly replicas: number;
  readonly resources: ObservabilityResources;
  /** Trace storage. */
  readonly elasticsearch: FinbotElasticsearch;
}

/** OTLP ports the collector receives on. */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;
/** Query ports (UI/HTTP API and gRPC API). */
export const QUERY_PORTS = { http: 16686, grpc: 16685 } as const;
/** healthcheckv2 port. */
const HEALTH_PORT = 13133;
/** The jaeger image's user. */
const JAEGER_UID = 10001;
const STORAGE = 'es_main';

/** The OTLP/HTTP endpoint apps export to when the collector CR is named `name` in `namespace`. */
export function otlpHttpEndpoint(name: string, namespace: string): string {
  return `http://${name}-collector.${namespace}.svc:${OTLP_PORTS.http}`;
}

/** One Jaeger v2 role as an OpenTelemetryCollector. */
export class JaegerV2 extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels the operator sets on the pods (`app.kubernetes.io/name: <name>-collector`). */
  readonly podLabels: Record<string, string>;
  /** Service the operator creates. */
  readonly serviceName: string;
  /** For role collector: the OTLP/HTTP endpoint. For query: the UI URL. */
  readonly url: string;

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
    this.serviceName = `${props.name}-collector`;
    this.podLabels = { 'app.kubernetes.io/name': this.serviceName };
    this.url = props.role === 'collector'
      ? otlpHttpEndpoint(props.name, props.namespace)
      : `http://${this.serviceName}.${props.namespace}.svc:${QUERY_PORTS.http}`;
    const es = props.elasticsearch;
    const storage = {
      backends: {
        [STORAGE]: {
          elasticsearch: {
            server_urls: [es.url],
            auth: { basic: { username: 'elastic', password: '${env:ES_PASSWORD}' } },
            tls: { ca_file: '/es-certs/ca.crt' },
            indices: {
              index_prefix: 'jaeger',
              spans: { shards: Math.min(es.nodeCount, 3), replicas: es.nodeCount > 1 ? 1 : 0 },
              services: { shards: 1, replicas: es.nodeCount > 1 ? 1 : 0 },
            },
          },
        },
      },
    };
    const health = { use_v2: true, http: { endpoint: `0.0.0.0:${HEALTH_PORT}` } };
    const config = props.role === 'collector'
      ? {
        extensions: { jaeger_storage: storage, healthcheckv2: health },
        receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_PORTS.grpc}` }, http: { endpoint: `0.0.0.0:${OTLP_PORTS.http}` } } } },
        processors: { batch: {} },
        exporters: { jaeger_storage_exporter: { trace_storage: STORAGE } },
        service: {
          extensions: ['jaeger_storage', 'healthcheckv2'],
          pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
        },
      }
      : {
        extensions: {
          jaeger_storage: storage,
          jaeger_query: { storage: { traces: STORAGE }, http: { endpoint: `0.0.0.0:${QUERY_PORTS.http}` }, grpc: { endpoint: `0.0.0.0:${QUERY_PORTS.grpc}` } },
          healthcheckv2: health,
        },
        // A query-only instance has no trace pipeline of its own; nop keeps the collector config valid.
        receivers: { nop: {} },
        exporters: { nop: {} },
        service: {
          extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
          pipelines: { traces: { receivers: ['nop'], exporters: ['nop'] } },
        },
      };
    const r = props.resources;
    new PlainApiObject(this, 'Resource', {
      ...OPENTELEMETRY_COLLECTOR,
      metadata: { name: props.name, namespace: props.namespace, labels: labels({ name: props.name, component: 'tracing', environment: props.environment, finbotApp: false }) },
      spec: {
        mode: 'deployment',
        replicas: props.replicas,
        image: `docker.io/jaegertracing/jaeger:${props.version.replace(/^v/, '')}`,
        config,
        ...(props.role === 'query' ? {
          ports: [
            { name: 'query-http', port: QUERY_PORTS.http, protocol: 'TCP' },
            { name: 'query-grpc', port: QUERY_PORTS.grpc, protocol: 'TCP' },
          ],
        } : {}),
        env: [{ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: es.userSecret.name, key: es.userSecret.key } } }],
        volumes: [{ name: 'es-certs', secret: { secretName: es.caSecret.name, items: [{ key: es.caSecret.key, path: 'ca.crt' }] } }],
        volumeMounts: [{ name: 'es-certs', mountPath: '/es-certs', readOnly: true }],
        resources: plainResources(r),
        podSecurityContext: restrictedPodSecurityContext(JAEGER_UID),
        securityContext: restrictedContainerSecurityContext(),
        ...(props.replicas >= 2 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
        topologySpreadConstraints: [{
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { ...this.podLabels } },
        }],
      },
    });
  }
}
