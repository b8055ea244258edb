/**
 * What prometheus-operator (v0.93) does with the Prometheus, Alertmanager and monitor objects the output
 * renders: the pods and Services it makes, their labels and ports, where it reads the Alertmanager
 * configuration from, and which files it mounts. Read in prometheus-operator/prometheus-operator at tag
 * v0.93.0 unless said otherwise. Constructs, validation (model/cluster-model.ts) and the tools read these
 * facts here; none keeps its own copy.
 */

/** The release every fact below was read in (cdk8s.yaml imports, /work/shared/crds/SOURCES.md). */
import type { DerivedObjects } from './derived';

export const PROMETHEUS_OPERATOR_RELEASE = 'v0.93.0';

/**
 * Labels on every pod of a Prometheus `<name>` (pkg/prometheus/server/operator.go `makeSelectorLabels`:
 * managed-by, `app.kubernetes.io/name: prometheus`, instance, `operator.prometheus.io/name`, `prometheus`;
 * the StatefulSet adds `operator.prometheus.io/shard`, pkg/prometheus/server/statefulset.go).
 */
export function prometheusPodLabels(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': name,
    'operator.prometheus.io/name': name,
    prometheus: name,
  };
}

/** The subset of {@link prometheusPodLabels} that names *a* Prometheus of the operator, whatever its name. */
export const PROMETHEUS_APP_LABELS = { 'app.kubernetes.io/name': 'prometheus' } as const;

/** Governing Service of every Prometheus StatefulSet (pkg/prometheus/server/statefulset.go `governingServiceName`). */
export const PROMETHEUS_OPERATED_SERVICE = 'prometheus-operated';
/** Prometheus' web port and its container port name (pkg/prometheus/server/statefulset.go). */
export const PROMETHEUS_WEB_PORT = { name: 'web', port: 9090 } as const;

/**
 * Labels on every pod of an Alertmanager `<name>` (pkg/alertmanager/operator.go `makeSelectorLabels`:
 * `app.kubernetes.io/name: alertmanager`, managed-by, instance and `alertmanager: <name>`).
 */
export function alertmanagerPodLabels(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'alertmanager',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': name,
    alertmanager: name,
  };
}

/** Governing Service of every Alertmanager StatefulSet (pkg/alertmanager/statefulset.go `defaultOperatedServiceName`). */
export const ALERTMANAGER_OPERATED_SERVICE = 'alertmanager-operated';
/**
 * Alertmanager ports (pkg/alertmanager/statefulset.go: `alertmanagerWebPort` 9093 with `defaultPortName`
 * "web", `alertmanagerMeshPort` 9094 as `tcp-mesh` and `udp-mesh` on `alertmanager-operated`).
 */
export const ALERTMANAGER_PORTS = { web: 9093, webName: 'web', mesh: 9094 } as const;

/** The Alertmanager container of its pods (pkg/alertmanager/statefulset.go `makeStatefulSetSpec`, `Name: "alertmanager"`, v0.93.0). */
export const ALERTMANAGER_CONTAINER = 'alertmanager';

/**
 * The Secret the operator reads `alertmanager.yaml` from: `spec.configSecret`, or `alertmanager-<name>` when
 * unset (pkg/alertmanager/statefulset.go `defaultConfigSecretName`). A missing Secret or key makes the operator
 * fall back to a configuration whose only receiver is `null` (pkg/alertmanager/operator.go
 * `defaultAlertmanagerConfiguration`, `loadConfigurationFromSecret`): alerts then reach no one.
 */
export function alertmanagerConfigSecretName(name: string, configSecret?: string): string {
  return configSecret !== undefined && configSecret !== '' ? configSecret : `alertmanager-${name}`;
}

/** Key of the configuration in that Secret (pkg/alertmanager/statefulset.go `alertmanagerConfigFile`). */
export const ALERTMANAGER_CONFIG_KEY = 'alertmanager.yaml';

/**
 * With neither `alertmanagerConfigSelector` nor `alertmanagerConfiguration` set, the operator uses the config
 * Secret's `alertmanager.yaml` as it is (pkg/alertmanager/operator.go `provisionAlertmanagerConfiguration`):
 * no AlertmanagerConfig is read, so no `namespace` matcher (`alertmanagerConfigMatcherStrategy`, default
 * `OnNamespace`, pkg/apis/monitoring/v1/alertmanager_types.go) is added to its routes. With a selector,
 * every selected AlertmanagerConfig's routes only see alerts whose `namespace` label is the object's own
 * namespace unless the strategy is `None`.
 */
export function alertmanagerReadsSecretAsIs(spec: { alertmanagerConfigSelector?: unknown; alertmanagerConfiguration?: unknown }): boolean {
  return spec.alertmanagerConfigSelector === undefined && spec.alertmanagerConfiguration === undefined;
}

/** Default of `spec.alertmanagerConfigMatcherStrategy.type` (pkg/apis/monitoring/v1/alertmanager_types.go, `+kubebuilder:default`). */
export const DEFAULT_ALERTMANAGER_CONFIG_MATCHER_STRATEGY = 'OnNamespace';

/**
 * Each name in an Alertmanager's `spec.secrets` is mounted read-only at `/etc/alertmanager/secrets/<name>/`
 * in the Alertmanager and config-reloader containers, and the reloader watches it
 * (pkg/alertmanager/statefulset.go `secretsDir`).
 */
export function alertmanagerSecretPath(secretName: string, key: string): string {
  return `/etc/alertmanager/secrets/${secretName}/${key}`;
}

/**
 * Whether an Alertmanager pod mounts a Kubernetes API token: the StatefulSet copies
 * `spec.automountServiceAccountToken` into the pod template as is (pkg/alertmanager/statefulset.go; upstream
 * test `TestAutomountServiceAccountToken` in statefulset_test.go), so unset means the ServiceAccount's
 * setting, which defaults to mounting. Neither Alertmanager nor the config-reloader calls the API (the
 * reloader watches mounted files).
 */
export function alertmanagerMountsToken(spec: { automountServiceAccountToken?: boolean }, serviceAccountAutomount?: boolean): boolean {
  return spec.automountServiceAccountToken ?? serviceAccountAutomount ?? true;
}

/**
 * The kubelet Service prometheus-operator keeps in `kube-system` when started with
 * `--kubelet-service=kube-system/kubelet` (pkg/kubelet/controller.go: labels `app.kubernetes.io/name: kubelet`,
 * `k8s-app: kubelet`; port `https-metrics` 10250).
 */
export const KUBELET_SERVICE = {
  namespace: 'kube-system',
  name: 'kubelet',
  labels: { 'app.kubernetes.io/name': 'kubelet', 'k8s-app': 'kubelet' },
  port: { name: 'https-metrics', port: 10250 },
} as const;

/** Where the operator mounts the ServiceAccount token in a Prometheus pod (the Kubernetes default path). */
export const SERVICE_ACCOUNT_TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * What Prometheus' Kubernetes service discovery with `serviceDiscoveryRole: EndpointSlice` lists and watches
 * in each namespace a ServiceMonitor or PodMonitor targets: EndpointSlices, Services and Pods (prometheus
 * `discovery/kubernetes/kubernetes.go`, role endpointslice; role pod for PodMonitors). kube-prometheus grants
 * the same per namespace (jsonnet/kube-prometheus/components/prometheus.libsonnet `roleSpecificNamespaces`).
 */
export const PROMETHEUS_DISCOVERY_RULES: ReadonlyArray<{ readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly verbs: readonly string[] }> = [
  { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
];

/**
 * What Prometheus needs cluster-wide: `nodes/metrics` to scrape the kubelets (the kubelet authorizes
 * /metrics/cadvisor as `nodes/metrics`), and the non-resource URL /metrics.
 */
export const PROMETHEUS_CLUSTER_RULES: ReadonlyArray<{ readonly apiGroups?: readonly string[]; readonly resources?: readonly string[]; readonly nonResourceURLs?: readonly string[]; readonly verbs: readonly string[] }> = [
  { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
  { nonResourceURLs: ['/metrics'], verbs: ['get'] },
];

/**
 * Resources of the `config-reloader` sidecar the operator adds to every Prometheus and Alertmanager pod: the
 * operator's `--config-reloader-cpu-request/limit` and `--config-reloader-memory-request/limit` defaults, 10m
 * and 50Mi each (cmd/operator/main.go `defaultReloaderCPU`, `defaultReloaderMemory`; pkg/operator/config.go
 * `DefaultConfig`).
 */
export const CONFIG_RELOADER_RESOURCES = { requests: { cpu: '10m', memory: '50Mi' }, limits: { cpu: '10m', memory: '50Mi' } } as const;

/**
 * Pods a Prometheus or Alertmanager CR runs: `replicas` (default 1), and for Prometheus one StatefulSet per
 * shard (`shards`, default 1; pkg/prometheus/server/operator.go).
 */
export function monitoringPodCount(kind: 'Prometheus' | 'Alertmanager', spec: { replicas?: number; shards?: number }): number {
  return (spec.replicas ?? 1) * (kind === 'Prometheus' ? spec.shards ?? 1 : 1);
}

/**
 * Pods and Services of a Prometheus `<name>`: {@link monitoringPodCount} pods labelled
 * {@link prometheusPodLabels} with the `web` port, behind the governing Service {@link PROMETHEUS_OPERATED_SERVICE}
 * (selector `app.kubernetes.io/name: prometheus`, port `web`; pkg/prometheus/server/statefulset.go
 * `makeStatefulSetService`).
 */
export function prometheusDerived(name: string, spec: { replicas?: number; shards?: number } = {}): DerivedObjects {
  const web = { port: PROMETHEUS_WEB_PORT.port, name: PROMETHEUS_WEB_PORT.name };
  return {
    pods: [{ what: 'Prometheus server', labels: prometheusPodLabels(name), ports: [web], replicas: monitoringPodCount('Prometheus', spec) }],
    services: [{ name: PROMETHEUS_OPERATED_SERVICE, selector: { ...PROMETHEUS_APP_LABELS }, ports: [{ ...web, targetPort: PROMETHEUS_WEB_PORT.name }] }],
    secrets: [],
  };
}

/**
 * Pods and Services of an Alertmanager `<name>`: `replicas` pods labelled {@link alertmanagerPodLabels} with the
 * web port and the mesh port (TCP and UDP), behind {@link ALERTMANAGER_OPERATED_SERVICE} (selector
 * `app.kubernetes.io/name: alertmanager`; pkg/alertmanager/statefulset.go `makeStatefulSetService`).
 */
export function alertmanagerDerived(name: string, spec: { replicas?: number } = {}): DerivedObjects {
  return {
    pods: [{
      what: 'Alertmanager',
      labels: alertmanagerPodLabels(name),
      ports: [{ port: ALERTMANAGER_PORTS.web, name: ALERTMANAGER_PORTS.webName }, { port: ALERTMANAGER_PORTS.mesh, name: 'mesh-tcp' }, { port: ALERTMANAGER_PORTS.mesh, name: 'mesh-udp', protocol: 'UDP' }],
      replicas: monitoringPodCount('Alertmanager', spec),
    }],
    services: [{ name: ALERTMANAGER_OPERATED_SERVICE, selector: { 'app.kubernetes.io/name': 'alertmanager' }, ports: [{ port: ALERTMANAGER_PORTS.web, name: ALERTMANAGER_PORTS.webName, targetPort: ALERTMANAGER_PORTS.webName }] }],
    secrets: [],
  };
}

/**
 * The namespaces a ServiceMonitor or PodMonitor discovers its targets in: every namespace with `any: true`,
 * else `matchNames`, and the monitor's own namespace when `matchNames` is absent or empty
 * (pkg/prometheus/promcfg.go `getNamespacesFromNamespaceSelector`, v0.93.0; a Prometheus with
 * `ignoreNamespaceSelectors`, which this project never sets, always uses the monitor's own).
 */
export function monitorNamespaces(selector: { readonly any?: boolean; readonly matchNames?: readonly string[] } | undefined, monitorNamespace: string): 'all' | readonly string[] {
  if (selector?.any === true) return 'all';
  return selector?.matchNames?.length ? selector.matchNames : [monitorNamespace];
}
