/**
 * kube-state-metrics: turns the state of Kubernetes objects into metrics (`kube_pod_container_status_restarts_total`,
 * `kube_horizontalpodautoscaler_*`, `kube_pod_container_resource_limits`, ...) that the FinBot alerts and the
 * overview dashboard use. One replica, restricted, read-only RBAC limited to the resources it exports,
 * scraped by Prometheus through a ServiceMonitor labelled `app: finbot`.
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/developer/cli-arguments.md
 * @see https://github.com/kubernetes/kube-state-metrics/tree/main/examples/standard
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { KSM_METRICS, KSM_PORTS, KSM_PROBE_PATHS, KSM_USER, KUBE_STATE_METRICS_IMAGE } from '../model/operators/kube-state-metrics';
import type { ContainerResources } from './container-resources';
import { labels, selectorLabels } from './labels';
import { ModelObject } from './model-object';
import { AllowPolicy, CLUSTER_DNS_PEER, DNS_PORTS, type PolicyPeer, ScraperEgressPolicies } from './network-policy';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeClusterRole, KubeClusterRoleBinding, KubeDeployment, KubeService, KubeServiceAccount } from './kube-objects';

export { KUBE_STATE_METRICS_IMAGE };
/** Port of /metrics (the object metrics) and /livez (model/operators/kube-state-metrics.ts). */
export const KSM_METRICS_PORT = KSM_PORTS.metrics;
/** Port of kube-state-metrics' own metrics and /readyz. */
export const KSM_TELEMETRY_PORT = KSM_PORTS.telemetry;
/** Name of the Service port the ServiceMonitor scrapes. */
export const KSM_METRICS_PORT_NAME = 'http-metrics';
/** Ports of the Kubernetes API server (443 on the Service, 6443 on most control planes). */
const KUBE_API_PORTS = [443, 6443] as const;

/**
 * The resources exported (`--resources=`), with their API group: those of the metrics the alerts and the
 * dashboard read ({@link KSM_METRICS}), plus the object state kept for diagnosis. The ClusterRole grants
 * list/watch on exactly these.
 */
export const KSM_RESOURCES: ReadonlyArray<{ readonly resource: string; readonly apiGroup: string }> = [
  { resource: 'pods', apiGroup: '' },
  { resource: 'nodes', apiGroup: '' },
  { resource: 'namespaces', apiGroup: '' },
  { resource: 'persistentvolumeclaims', apiGroup: '' },
  { resource: 'deployments', apiGroup: 'apps' },
  { resource: 'statefulsets', apiGroup: 'apps' },
  { resource: 'jobs', apiGroup: 'batch' },
  { resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling' },
];
for (const [metric, m] of Object.entries(KSM_METRICS)) {
  if (!KSM_RESOURCES.some((r) => r.resource === m.resource && r.apiGroup === m.apiGroup)) throw new Error(`KSM_RESOURCES lacks ${m.resource}, which ${metric} needs`);
}

/** ClusterRole rules: list and watch, one rule per API group, of {@link KSM_RESOURCES} only. */
export function kubeStateMetricsRules(): k8s.PolicyRule[] {
  const groups = [...new Set(KSM_RESOURCES.map((r) => r.apiGroup))];
  return groups.map((g) => ({
    apiGroups: [g],
    resources: KSM_RESOURCES.filter((r) => r.apiGroup === g).map((r) => r.resource),
    verbs: ['list', 'watch'],
  }));
}

/** What the construction steps share. */
interface Step {
  readonly props: KubeStateMetricsProps;
  readonly metadata: { name: string; namespace: string; labels: Record<string, string> };
  readonly objectLabels: Record<string, string>;
  readonly podLabels: Record<string, string>;
}

/** Props of {@link KubeStateMetrics}. */
export interface KubeStateMetricsProps {
  /** Namespace (the monitoring namespace). */
  readonly namespace: string;
  /** Environment name (labels). */
  readonly environment: string;
  /** Image tag, a kube-state-metrics 2.x release such as `v2.17.0`. */
  readonly version: string;
  readonly resources: ContainerResources;
  /**
   * Pods allowed to scrape /metrics (Prometheus, in the same namespace). Each also gets an egress policy to
   * kube-state-metrics, because its namespace denies egress by default.
   */
  readonly scrapers: readonly PolicyPeer[];
  /** @default 'kube-state-metrics' */
  readonly name?: string;
  /** Scrape interval of the ServiceMonitor. @default '30s' */
  readonly interval?: string;
}

/**
 * ServiceAccount, ClusterRole/Binding, Deployment (1 replica), Service, ServiceMonitor and NetworkPolicies of
 * kube-state-metrics. No PodDisruptionBudget: with one replica a PDB that protects it (maxUnavailable 0)
 * blocks every node drain, and a restart only loses a scrape or two of object state.
 */
export class KubeStateMetrics extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels the Deployment, Service and NetworkPolicy select the pods by. */
  readonly selector: Record<string, string>;
  /** The flags passed to kube-state-metrics. */
  readonly args: readonly string[];
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;
  /** Labels of the ServiceMonitor (include `app: finbot`). */
  readonly serviceMonitorLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    if (!/^v2\.[0-9]+\.[0-9]+$/.test(props.version)) {
      throw new Error(`KubeStateMetrics: version "${props.version}" is not a kube-state-metrics 2.x release tag; use e.g. v2.17.0`);
    }
    if (props.scrapers.length === 0) throw new Error('KubeStateMetrics: scrapers is empty; give the Prometheus pods, or nothing can read the metrics');
    this.name = props.name ?? 'kube-state-metrics';
    this.namespace = props.namespace;
    const labelProps = { name: this.name, component: 'metrics', environment: props.environment, finbotApp: false };
    this.selector = selectorLabels(labelProps);
    const objectLabels = labels(labelProps);
    const podLabels = labels({ ...labelProps, version: props.version });
    const metadata = { name: this.name, namespace: this.namespace, labels: objectLabels };

    this.args = [
      `--port=${KSM_METRICS_PORT}`,
      `--telemetry-port=${KSM_TELEMETRY_PORT}`,
      `--resources=${KSM_RESOURCES.map((r) => r.resource).sort().join(',')}`,
    ];

    const steps: Step = { props, metadata, objectLabels, podLabels };
    ({ serviceAccount: this.serviceAccount, clusterRole: this.clusterRole } = this.addRbac(steps));
    this.deployment = this.addDeployment(steps);
    this.service = this.addService(steps);
    this.serviceMonitorLabels = this.addServiceMonitor(steps);
    this.addNetworkPolicies(steps);
  }

  /** ServiceAccount (with a token: kube-state-metrics is an API client) and the list/watch ClusterRole. */
  private addRbac({ metadata, objectLabels }: Step): { serviceAccount: k8s.KubeServiceAccount; clusterRole: k8s.KubeClusterRole } {
    const clusterName = `${this.namespace}-${this.name}`;
    const serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata,
      // kube-state-metrics lists and watches objects through the Kubernetes API with this token.
      automountServiceAccountToken: true,
    });
    const clusterRole = new KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: clusterName, labels: objectLabels },
      rules: kubeStateMetricsRules(),
    });
    new KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: clusterName, labels: objectLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });
    return { serviceAccount, clusterRole };
  }

  /** One replica, restricted, liveness on the metrics server and readiness on the telemetry server. */
  private addDeployment({ props, metadata, podLabels }: Step): k8s.KubeDeployment {
    const r = props.resources;
    return new KubeDeployment(this, 'Deployment', {
      metadata: { ...metadata, labels: podLabels },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        template: {
          metadata: {
            labels: podLabels,
            annotations: {
              // Read by the validation's policy/sa-token rule: this pod is a Kubernetes API client by design.
              'finbot.io/needs-api-token': 'kube-state-metrics lists and watches pods, workloads, HPAs, nodes, namespaces and PVCs through the Kubernetes API',
            },
          },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: restrictedPodSecurityContext(KSM_USER, KSM_USER, null),
            containers: [
              {
                name: 'kube-state-metrics',
                image: `${KUBE_STATE_METRICS_IMAGE}:${props.version}`,
                imagePullPolicy: 'IfNotPresent',
                args: [...this.args],
                ports: [
                  { name: KSM_METRICS_PORT_NAME, containerPort: KSM_METRICS_PORT, protocol: 'TCP' },
                  { name: 'telemetry', containerPort: KSM_TELEMETRY_PORT, protocol: 'TCP' },
                ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
                  limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
                },
                // As the upstream examples: liveness on the metrics server, readiness on the telemetry server.
                livenessProbe: { httpGet: { path: KSM_PROBE_PATHS.liveness, port: k8s.IntOrString.fromString(KSM_METRICS_PORT_NAME) }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                readinessProbe: { httpGet: { path: KSM_PROBE_PATHS.readiness, port: k8s.IntOrString.fromString('telemetry') }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                securityContext: restrictedContainerSecurityContext(),
              },
            ],
          },
        },
      },
    });
  }

  /** The Service the ServiceMonitor selects. */
  private addService({ metadata }: Step): k8s.KubeService {
    return new KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: [{ name: KSM_METRICS_PORT_NAME, port: KSM_METRICS_PORT, targetPort: k8s.IntOrString.fromString(KSM_METRICS_PORT_NAME), protocol: 'TCP', appProtocol: 'http' }],
      },
    });
  }

  /** The ServiceMonitor (labelled `app: finbot`); returns its labels. */
  private addServiceMonitor({ props }: Step): Record<string, string> {
    const serviceMonitorLabels = labels({ name: this.name, component: 'monitoring', environment: props.environment });
    new ModelObject<IServiceMonitor>(this, 'ServiceMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: this.name, namespace: this.namespace, labels: serviceMonitorLabels },
      spec: {
        selector: { matchLabels: { ...this.selector } },
        namespaceSelector: { matchNames: [this.namespace] },
        // The series carry the labels of the objects they describe (namespace, pod, container): keep them
        // instead of letting Prometheus overwrite them with the kube-state-metrics pod's own.
        endpoints: [{ port: KSM_METRICS_PORT_NAME, path: '/metrics', interval: props.interval ?? '30s', scheme: 'http', honorLabels: true }],
      },
    });
    return serviceMonitorLabels;
  }

  /** Ingress from the scrapers only; egress to the API server and DNS; the scrapers' egress to it. */
  private addNetworkPolicies({ props, objectLabels }: Step): void {
    new AllowPolicy(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podLabels: this.selector,
      labels: objectLabels,
      ingress: [{ peers: props.scrapers, ports: [{ port: KSM_METRICS_PORT }] }],
      egress: [
        // The API server is not a pod: no selector can name it, so the rule is limited by port only.
        { peers: [], ports: KUBE_API_PORTS.map((port) => ({ port })) },
        { peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS },
      ],
    });
    new ScraperEgressPolicies(this, 'ScraperEgress', { name: this.name, namespace: this.namespace, scrapers: props.scrapers, targetPodLabels: this.selector, port: KSM_METRICS_PORT, labels: objectLabels });
  }
}
