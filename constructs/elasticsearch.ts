/**
 * An Elasticsearch cluster run by ECK (elasticsearch.k8s.elastic.co/v1 `Elasticsearch`) for trace storage:
 * one node set with persistent volumes, restricted pod security (no mmap, so no privileged sysctl init
 * container), no Kubernetes API token, resources, and the file-realm users and roles its clients log in
 * with. ECK creates TLS, the `elastic` user Secret and a PodDisruptionBudget (model/operators/eck.ts).
 * @see https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-elasticsearch-specification.html
 * @see https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-users-and-roles.html
 */
import { Construct } from 'constructs';
import { ELASTICSEARCH } from './crd-kinds';
import { labels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { PlainApiObject } from './kube-objects';
import { ES_DATA_CLAIM, ES_HTTP_PORT, ES_TRANSPORT_PORT, ES_UID, esNames, esPodLabels } from '../model/operators/eck';

/** CPU and memory amounts. */
export interface ComputeAmounts {
  readonly cpu: string;
  readonly memory: string;
}

/** Requests and limits of a container. */
export interface ComputeResources {
  readonly requests: ComputeAmounts;
  readonly limits: ComputeAmounts;
}

/** Props of {@link FinbotElasticsearch}. */
export interface FinbotElasticsearchProps {
  readonly name: string;
  readonly namespace: string;
  /** Environment name (the `app.kubernetes.io/instance` label). */
  readonly environment: string;
  /** Elasticsearch version, e.g. 8.19.0. */
  readonly version: string;
  /** Nodes (all master+data); 1 or at least 3. */
  readonly nodeCount: number;
  /** Size of each node's data volume, e.g. `20Gi`. */
  readonly storageSize: string;
  /** StorageClass of the data volumes. */
  readonly storageClassName: string;
  readonly resources: ComputeResources;
  /**
   * `kubernetes.io/basic-auth` Secrets (in the namespace) with `username`, `password`, `roles` and the
   * `roles.yml` defining those roles; each becomes a file-realm user and its roles
   * (`spec.auth.fileRealm`/`spec.auth.roles`).
   * @default - none: only ECK's own users
   */
  readonly userSecrets?: readonly string[];
}

/** Elasticsearch CR; exposes what clients need (URL, CA Secret, pod labels). */
export class FinbotElasticsearch extends Construct {
  /** HTTP port (TLS). */
  static readonly HTTP_PORT = ES_HTTP_PORT;
  /** Transport port between nodes. */
  static readonly TRANSPORT_PORT = ES_TRANSPORT_PORT;
  readonly name: string;
  readonly namespace: string;
  readonly nodeCount: number;
  /** https URL of the `<name>-es-http` Service ECK creates. */
  readonly url: string;
  /** Secret (ECK-created) holding the HTTP CA under `ca.crt`. */
  readonly caSecret: { readonly name: string; readonly key: string };
  /** Labels ECK puts on every node pod. */
  readonly podLabels: Record<string, string>;
  /** Name of the data claim template; PVCs are `<claim>-<name>-es-<nodeSet>-<ordinal>`. */
  readonly dataClaim = ES_DATA_CLAIM;

  constructor(scope: Construct, id: string, props: FinbotElasticsearchProps) {
    super(scope, id);
    if (!Number.isInteger(props.nodeCount) || props.nodeCount < 1) {
      throw new Error(`FinbotElasticsearch ${props.name}: nodeCount must be a whole number of at least 1, got ${props.nodeCount}`);
    }
    if (props.nodeCount === 2) {
      throw new Error(`FinbotElasticsearch ${props.name}: 2 master-eligible nodes cannot elect a master when one is down; use 1 or 3`);
    }
    const names = esNames(props.name);
    this.name = props.name;
    this.namespace = props.namespace;
    this.nodeCount = props.nodeCount;
    this.url = `https://${names.httpService}.${props.namespace}.svc:${ES_HTTP_PORT}`;
    this.caSecret = names.httpCaSecret;
    this.podLabels = { ...esPodLabels(props.name) };
    const r = props.resources;
    const users = props.userSecrets ?? [];
    new PlainApiObject(this, 'Resource', {
      ...ELASTICSEARCH,
      metadata: { name: props.name, namespace: props.namespace, labels: labels({ name: props.name, component: 'tracing', environment: props.environment, finbotApp: false }) },
      spec: {
        version: props.version,
        ...(users.length ? { auth: { fileRealm: users.map((secretName) => ({ secretName })), roles: users.map((secretName) => ({ secretName })) } } : {}),
        nodeSets: [{
          name: 'default',
          count: props.nodeCount,
          // Without mmap Elasticsearch needs no vm.max_map_count sysctl, i.e. no privileged init container.
          config: { 'node.store.allow_mmap': false },
          podTemplate: {
            spec: {
              // Elasticsearch never calls the Kubernetes API (ECK's default too; explicit so validation sees it).
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurityContext(ES_UID),
              containers: [{
                name: 'elasticsearch',
                resources: { requests: { ...r.requests }, limits: { ...r.limits } },
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
            metadata: { name: ES_DATA_CLAIM },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: props.storageSize } },
              storageClassName: props.storageClassName,
            },
          }],
        }],
      },
    });
  }
}
