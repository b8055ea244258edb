/**
 * What the official Vault Helm chart (https://github.com/hashicorp/vault-helm, tag v0.34.1, appVersion
 * 2.0.4) makes from its values, and what the Vault server does at start. Constructs, the cluster model and
 * the docs read these facts.
 */

import type { DerivedObjects } from './derived';

export const VAULT_HELM_RELEASE = 'v0.34.1';
/** Where Argo CD fetches the chart. */
export const VAULT_HELM_REPO = 'https://helm.releases.hashicorp.com';
export const VAULT_HELM_CHART = 'vault';

/**
 * The chart renders `server.ha.raft.config` (HA + raft mode) into ConfigMap `<release>-config`, key
 * `extraconfig-from-values.hcl` (templates/server-config-configmap.yaml): any other object named
 * `<release>-config` in the namespace clashes with it (Helm refuses to install, or two owners fight).
 * The container copies it to /tmp/storageconfig.hcl, replaces HOST_IP, POD_IP, HOSTNAME, API_ADDR,
 * TRANSIT_ADDR and RAFT_ADDR by the pod's values, and starts `vault server -config=/tmp/storageconfig.hcl`
 * (templates/_helpers.tpl `vault.args`): so /tmp must be writable.
 */
export function vaultHelmConfigMapName(release: string): string {
  return `${release}-config`;
}
export const VAULT_HELM_CONFIG_SUBSTITUTIONS = ['HOST_IP', 'POD_IP', 'HOSTNAME', 'API_ADDR', 'TRANSIT_ADDR', 'RAFT_ADDR'] as const;
/** The path the chart writes the rendered config to before starting Vault. */
export const VAULT_HELM_RENDERED_CONFIG = '/tmp/storageconfig.hcl';

/**
 * Objects the chart names after the release (templates/server-statefulset.yaml, server-service.yaml,
 * server-headless-service.yaml, server-ha-active-service.yaml): StatefulSet `<release>` whose pods are
 * `<release>-<i>`, headless Service `<release>-internal` (the StatefulSet's serviceName), Services
 * `<release>`, `<release>-active` (selects `vault-active: "true"`, a label Vault's kubernetes service
 * registration sets on the active node) and `<release>-standby`; ServiceAccount `<release>`.
 */
export function vaultHelmNames(release: string) {
  return {
    statefulSet: release,
    serviceAccount: release,
    internalService: `${release}-internal`,
    service: release,
    activeService: `${release}-active`,
    pod: (i: number) => `${release}-${i}`,
  };
}

/**
 * Pod labels of the server (server-statefulset.yaml template metadata): app.kubernetes.io/name: vault,
 * app.kubernetes.io/instance: <release>, component: server.
 */
export function vaultServerPodLabels(release: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': release, component: 'server' };
}

/** Ports: API 8200, cluster (request forwarding, raft) 8201 (server-service.yaml `https-internal`). */
export const VAULT_PORTS = { api: 8200, cluster: 8201 } as const;

/**
 * `server.extraVolumes` entries of type secret are mounted at /vault/userconfig/<name>
 * (templates/_helpers.tpl `vault.volumes` / `vault.mounts`).
 */
export function vaultUserconfigPath(volume: string): string {
  return `/vault/userconfig/${volume}`;
}

/**
 * Each node's cluster address: the chart sets VAULT_CLUSTER_ADDR to https://$(HOSTNAME).<release>-internal:8201
 * (server-statefulset.yaml), i.e. the node's own name, never the shared load-balancer name.
 */
export function vaultClusterAddrTemplate(release: string): string {
  return `https://HOSTNAME.${release}-internal:${VAULT_PORTS.cluster}`;
}

/**
 * mlock: unless `disable_mlock = true`, Vault calls mlockall at start and exits with "Failed to lock
 * memory" when it lacks IPC_LOCK (hashicorp/vault command/server.go), which the restricted Pod Security
 * Standard forbids. With mlock off, memory can be swapped: the nodes must run without swap.
 */
export const VAULT_NEEDS_DISABLE_MLOCK_UNDER_RESTRICTED = true;

/**
 * The Vault pods call the Kubernetes API: the Kubernetes auth method validates login tokens with the
 * TokenReview API using the pod's own ServiceAccount token when no token_reviewer_jwt is configured
 * (hashicorp/vault-plugin-auth-kubernetes path_config.go `localJWTPath`
 * /var/run/secrets/kubernetes.io/serviceaccount/token), and `service_registration "kubernetes"` labels the
 * pods (vault-active, vault-sealed) through the API (the chart's `<release>-discovery-role`). So the token
 * stays mounted on Vault, and nowhere else in the vault namespace.
 */
export const VAULT_PODS_CALL_KUBE_API = true;

/** The image of the chart's appVersion. */
export const VAULT_APP_VERSION = '2.0.4';

/** Whether an Argo CD Application source installs the vault-helm chart. */
export function isVaultHelmSource(source: { repoURL?: string; chart?: string } | undefined): boolean {
  return source?.repoURL === VAULT_HELM_REPO && source?.chart === VAULT_HELM_CHART;
}

/**
 * What vault-helm makes in HA mode (the pods and Services above), for the Application's destination
 * namespace. `vault-active` selects the active node only (label set by service registration).
 */
export function vaultHelmDerived(release: string, replicas?: number): DerivedObjects {
  const n = vaultHelmNames(release);
  const labels = vaultServerPodLabels(release);
  const ports = [{ port: VAULT_PORTS.api, name: 'https' }, { port: VAULT_PORTS.cluster, name: 'https-internal' }];
  return {
    pods: [{ what: 'Vault server (vault-helm)', labels: { ...labels, 'vault-active': 'true' }, ports, ...(replicas !== undefined ? { replicas } : {}) }],
    services: [
      { name: n.service, selector: labels, ports },
      { name: n.activeService, selector: { ...labels, 'vault-active': 'true' }, ports },
      { name: n.internalService, selector: labels, ports },
    ],
    secrets: [],
  };
}

/** An object a Helm chart renders, as far as an Argo CD project's white lists look at it. */
export interface ChartObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/**
 * The objects vault-helm v0.34.1 renders for the values the output sets (server.ha.enabled with raft storage,
 * server.authDelegator.enabled, injector.enabled false; serviceAccount.create, serviceAccount.serviceDiscovery
 * and ha.disruptionBudget at their default, true), read in the chart's templates at tag v0.34.1:
 * server-statefulset.yaml, server-service.yaml, server-ha-active-service.yaml, server-ha-standby-service.yaml,
 * server-headless-service.yaml, server-config-configmap.yaml, server-serviceaccount.yaml,
 * server-discovery-role.yaml, server-discovery-rolebinding.yaml, server-disruptionbudget.yaml and
 * server-clusterrolebinding.yaml (`<fullname>-server-binding`, cluster-scoped). `vault.fullname` is the release
 * name when it contains the chart name, as `vault` does. The Helm test Pod (tests/server-test.yaml,
 * `helm.sh/hook: test`) is not applied by Argo CD. The project that syncs the chart must admit each of these.
 */
export function vaultHelmObjects(release: string, namespace: string): ChartObject[] {
  const n = vaultHelmNames(release);
  const ns = (kind: string, name: string, apiVersion = 'v1'): ChartObject => ({ apiVersion, kind, metadata: { name, namespace } });
  return [
    ns('StatefulSet', n.statefulSet, 'apps/v1'),
    ns('Service', n.service),
    ns('Service', n.activeService),
    ns('Service', `${release}-standby`),
    ns('Service', n.internalService),
    ns('ConfigMap', vaultHelmConfigMapName(release)),
    ns('ServiceAccount', n.serviceAccount),
    ns('Role', `${release}-discovery-role`, 'rbac.authorization.k8s.io/v1'),
    ns('RoleBinding', `${release}-discovery-rolebinding`, 'rbac.authorization.k8s.io/v1'),
    ns('PodDisruptionBudget', release, 'policy/v1'),
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${release}-server-binding` } },
  ];
}

/**
 * Server pods in HA mode: `server.ha.replicas` when it is a number, else 3 (templates/_helpers.tpl
 * `vault.replicas`; values.yaml `server.ha.replicas: 3`).
 */
export function vaultHelmHaReplicas(values: { server?: { ha?: { replicas?: unknown } } } | undefined): number {
  const r = values?.server?.ha?.replicas;
  return typeof r === 'number' ? r : 3;
}
