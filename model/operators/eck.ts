/**
 * What ECK (Elastic Cloud on Kubernetes) makes from an `Elasticsearch` (elasticsearch.k8s.elastic.co/v1), as
 * read in elastic/cloud-on-k8s at the commit the project pins (7b93383d8ec1, main at VERSION 3.6.0-SNAPSHOT;
 * see /work/shared/crds/SOURCES.md). Constructs, the cluster model, the capacity tool and the diagram read
 * these facts from here.
 */
import type { Labels } from '../selectors';
import type { DerivedObjects } from './derived';

/** The commit these facts were read at. */
export const ECK_COMMIT = '7b93383d8ec1';

/**
 * HTTP (REST, TLS by default) and transport ports of every node.
 * @see elastic/cloud-on-k8s pkg/controller/elasticsearch/network/ports.go (7b93383d8ec1): HTTPPort, TransportPort
 */
export const ES_HTTP_PORT = 9200;
/** @see {@link ES_HTTP_PORT} */
export const ES_TRANSPORT_PORT = 9300;

/**
 * Labels ECK puts on every node pod (and selects its Services by).
 * @see elastic/cloud-on-k8s pkg/controller/elasticsearch/label/label.go (7b93383d8ec1): ClusterNameLabelName, Type, NewLabels, NewPodLabels
 * @see elastic/cloud-on-k8s pkg/apis/common/v1/common.go (7b93383d8ec1): TypeLabelName
 */
export function esPodLabels(cluster: string): Labels {
  return { [ES_CLUSTER_NAME_LABEL]: cluster, 'common.k8s.elastic.co/type': 'elasticsearch' };
}

/** The label naming the cluster on every object ECK makes for it (see {@link esPodLabels}). */
export const ES_CLUSTER_NAME_LABEL = 'elasticsearch.k8s.elastic.co/cluster-name';

/**
 * Names ECK gives what it creates for cluster `<c>` (all `<c>-es-<suffix>`): the HTTP Service `<c>-es-http`
 * (9200, the clients' endpoint), the transport Service `<c>-es-transport`, the `elastic` superuser's Secret
 * `<c>-es-elastic-user` (key `elastic`), the public HTTP CA `<c>-es-http-certs-public` (key `ca.crt`), one
 * StatefulSet `<c>-es-<nodeSet>` per node set, and the file-realm/roles Secret `<c>-es-xpack-file-realm`.
 * @see elastic/cloud-on-k8s pkg/apis/elasticsearch/v1/name.go (7b93383d8ec1): HTTPService, TransportService, ElasticUserSecret, StatefulSet, RolesAndFileRealmSecret
 * @see elastic/cloud-on-k8s pkg/controller/common/certificates/secret.go (7b93383d8ec1): PublicCertsSecretName, InternalCertsSecretName
 */
export function esNames(cluster: string) {
  return {
    httpService: `${cluster}-es-http`,
    transportService: `${cluster}-es-transport`,
    elasticUserSecret: { name: `${cluster}-es-elastic-user`, key: 'elastic' },
    httpCaSecret: { name: `${cluster}-es-http-certs-public`, key: 'ca.crt' },
    httpCertsInternalSecret: `${cluster}-es-http-certs-internal`,
    httpCaInternalSecret: `${cluster}-es-http-ca-internal`,
    fileRealmSecret: `${cluster}-es-xpack-file-realm`,
    statefulSet: (nodeSet: string) => `${cluster}-es-${nodeSet}`,
  } as const;
}

/** Secrets ECK creates for a cluster (`namespace/name` is built by the caller). */
export function esCreatedSecrets(cluster: string): string[] {
  const n = esNames(cluster);
  return [n.elasticUserSecret.name, n.httpCaSecret.name, n.httpCaInternalSecret, n.httpCertsInternalSecret];
}

/**
 * PersistentVolumeClaims of a node set come from the StatefulSet's claim templates: `<claim>-<statefulSet>-<ordinal>`,
 * and ECK's default (and the project's) claim template is `elasticsearch-data`.
 * @see elastic/cloud-on-k8s pkg/controller/elasticsearch/volume/names.go (7b93383d8ec1): ElasticsearchDataVolumeName
 */
export const ES_DATA_CLAIM = 'elasticsearch-data';

/** Regular expression matching every data PVC of the cluster's node sets (for `persistentvolumeclaim=~`). */
export function esDataClaimPattern(cluster: string): string {
  return `${ES_DATA_CLAIM}-${cluster}-es-.+`;
}

/**
 * User-provided file-realm users: `spec.auth.fileRealm[].secretName` naming a `kubernetes.io/basic-auth`
 * Secret with `username`, `password` and, optionally, `roles` (comma-separated role names). ECK hashes the
 * password into the file realm; the Secret must exist in the Elasticsearch namespace.
 * @see elastic/cloud-on-k8s pkg/controller/elasticsearch/user/user_provided.go (7b93383d8ec1): realmFromBasicAuthSecret, BasicAuthSecretRolesKey
 */
export const FILE_REALM_BASIC_AUTH = { type: 'kubernetes.io/basic-auth', usernameKey: 'username', passwordKey: 'password', rolesKey: 'roles' } as const;

/**
 * User-provided roles: `spec.auth.roles[].secretName` naming a Secret whose `roles.yml` key holds Elasticsearch
 * role definitions (the file-based roles format).
 * @see elastic/cloud-on-k8s pkg/controller/elasticsearch/user/roles.go (7b93383d8ec1): RolesFile
 * @see elastic/cloud-on-k8s pkg/controller/elasticsearch/user/user_provided.go (7b93383d8ec1): reconcileUserProvidedRoles reads `roles.yml` of each `spec.auth.roles` Secret (other keys are ignored, so one basic-auth Secret can carry its user's role)
 */
export const ROLES_FILE_KEY = 'roles.yml';

/**
 * ECK sets `automountServiceAccountToken: false` on node pods unless the pod template sets it: Elasticsearch
 * does not call the Kubernetes API.
 * @see elastic/cloud-on-k8s pkg/controller/common/defaults/pod_template.go (7b93383d8ec1): setDefaults
 */
export const ES_AUTOMOUNTS_TOKEN_BY_DEFAULT = false;

/**
 * The Elasticsearch image runs as uid/gid 1000.
 * @see elastic/cloud-on-k8s pkg/controller/elasticsearch/nodespec/podspec.go (7b93383d8ec1): defaultFsGroup
 */
export const ES_UID = 1000;

/**
 * Elasticsearch's default disk watermarks (share of a node's disk used): above `low` no new shards are
 * allocated to the node, above `high` shards are moved away, above `floodStage` every index with a shard on
 * the node becomes read-only (`index.blocks.read_only_allow_delete`): Jaeger can no longer write.
 * @see elastic/elasticsearch server/src/main/java/org/elasticsearch/cluster/routing/allocation/DiskThresholdSettings.java: 85%, 90%, 95%
 */
export const ES_DISK_WATERMARKS = { low: 0.85, high: 0.9, floodStage: 0.95 } as const;

/**
 * Pods, Services and Secrets of an `Elasticsearch` `<c>`: the node pods ({@link esPodLabels}, ports 9200
 * `https` and 9300 `transport`), one per `count` of each node set (pkg/apis/elasticsearch/v1/elasticsearch_types.go
 * `NodeSet.Count`); the HTTP Service `<c>-es-http` selecting the node pods and the transport Service
 * `<c>-es-transport` selecting the cluster label (pkg/controller/elasticsearch/services/services.go
 * `NewExternalService`, `NewTransportService`); the Secrets of {@link esCreatedSecrets}.
 */
/** Pods of one node set: its `count` (pkg/apis/elasticsearch/v1/elasticsearch_types.go `NodeSet.Count`, 0 when unset). */
export function esNodeSetPods(set: { count?: number }): number {
  return set.count ?? 0;
}

export function esDerived(cluster: string, spec: { nodeSets?: ReadonlyArray<{ count?: number }> } = {}): DerivedObjects {
  const n = esNames(cluster);
  return {
    pods: [{ what: 'Elasticsearch node', labels: esPodLabels(cluster), ports: [{ port: ES_HTTP_PORT, name: 'https' }, { port: ES_TRANSPORT_PORT, name: 'transport' }], replicas: (spec.nodeSets ?? []).reduce((sum, x) => sum + esNodeSetPods(x), 0) }],
    services: [
      { name: n.httpService, selector: esPodLabels(cluster), ports: [{ port: ES_HTTP_PORT, name: 'https' }] },
      { name: n.transportService, selector: { [ES_CLUSTER_NAME_LABEL]: cluster }, ports: [{ port: ES_TRANSPORT_PORT, name: 'tls-transport' }] },
    ],
    secrets: esCreatedSecrets(cluster),
  };
}
