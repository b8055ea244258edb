/**
 * An Elasticsearch cluster run by ECK (elasticsearch.k8s.elastic.co/v1 `Elasticsearch`) for trace storage:
 * one node set with persistent volumes, restricted pod security (no mmap, so no privileged sysctl init
 * container), resources. ECK creates TLS, the `elastic` user Secret and a PodDisruptionBudget.
 * @see https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-elasticsearch-specification.html
 */
import { Construct } from 'constructs';
import { ELASTICSEARCH } from './crd-kinds';
import type { ObservabilityResources } from '../config/sections/observability';
import { labels } from './labels';
import { plainResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { PlainApiObject } from './kube-objects';

/** Props of {@link FinbotElasticsearch}. */
export interface FinbotElasticsearchProps {
  readonly name: string;
  readonly namespace: string;
  readonly environment: string;
  /** Elasticsearch version, e.g. 8.19.0. */
  readonly version: string;
  /** Nodes (all master+data). */
  readonly nodeCount: number;
  readonly storage: { readonly size: string; readonly storageClassName: string };
  readonly resources: ObservabilityResources;
}

/** The Elasticsearch image's user and group. */
const ES_UID = 1000;

/** Elasticsearch CR; exposes what clients need (URL, credentials Secret, CA Secret, pod labels). */
export class FinbotElasticsearch extends Construct {
  /** HTTP port (TLS). */
  static readonly HTTP_PORT = 9200;
  /** Transport port between nodes. */
  static readonly TRANSPORT_PORT = 9300;
  readonly name: string;
  readonly namespace: string;
  readonly nodeCount: number;
  /** https URL of the `<name>-es-http` Service ECK creates. */
  readonly url: string;
  /** Secret (ECK-created) holding the `elastic` user's password under key `elastic`. */
  readonly userSecret: { readonly name: string; readonly key: string };
  /** Secret (ECK-created) holding the HTTP CA under `ca.crt`. */
  readonly caSecret: { readonly name: string; readonly key: string };
  /** Labels ECK puts on every node pod. */
  readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: FinbotElasticsearchProps) {
    super(scope, id);
    if (!Number.isInteger(props.nodeCount) || props.nodeCount < 1) {
      throw new Error(`FinbotElasticsearch ${props.name}: nodeCount must be a whole number of at least 1, got ${props.nodeCount}`);
    }
    if (props.nodeCount === 2) {
      throw new Error(`FinbotElasticsearch ${props.name}: 2 master-eligible nodes cannot elect a master when one is down; use 1 or 3`);
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.nodeCount = props.nodeCount;
    this.url = `https://${props.name}-es-http.${props.namespace}.svc:${FinbotElasticsearch.HTTP_PORT}`;
    this.userSecret = { name: `${props.name}-es-elastic-user`, key: 'elastic' };
    this.caSecret = { name: `${props.name}-es-http-certs-public`, key: 'ca.crt' };
    this.podLabels = { 'elasticsearch.k8s.elastic.co/cluster-name': props.name };
    const r = props.resources;
    new PlainApiObject(this, 'Resource', {
      ...ELASTICSEARCH,
      metadata: { name: props.name, namespace: props.namespace, labels: labels({ name: props.name, component: 'tracing', environment: props.environment, finbotApp: false }) },
      spec: {
        version: props.version,
        nodeSets: [{
          name: 'default',
          count: props.nodeCount,
          // Without mmap Elasticsearch needs no vm.max_map_count sysctl, i.e. no privileged init container.
          config: { 'node.store.allow_mmap': false },
          podTemplate: {
            spec: {
              securityContext: restrictedPodSecurityContext(ES_UID),
              containers: [{
                name: 'elasticsearch',
                resources: plainResources(r),
                securityContext: restrictedContainerSecurityContext(),
              }],
              topologySpreadConstraints: [{
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { ...this.podLabels } },
              }],
            },
          },
          volumeClaimTemplates: [{
            metadata: { name: 'elasticsearch-data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: props.storage.size } },
              storageClassName: props.storage.storageClassName,
            },
          }],
        }],
      },
    });
  }
}
