/**
 * A Prometheus server run by the prometheus-operator (monitoring.coreos.com/v1 `Prometheus`) with its
 * ServiceAccount, least-privilege RBAC and a PodDisruptionBudget. RBAC: a ClusterRole only for what has no
 * namespace (`nodes/metrics` for the kubelets, the `/metrics` URL), and a Role + RoleBinding for service
 * discovery in each namespace it scrapes; no ConfigMap access (the operator mounts rules and configuration as
 * files; Prometheus never reads them through the API).
 * @see https://prometheus-operator.dev/docs/platform/rbac/
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Prometheus
 */
import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { IPrometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { PROMETHEUS_CLUSTER_RULES, PROMETHEUS_DISCOVERY_RULES, PROMETHEUS_OPERATED_SERVICE, PROMETHEUS_WEB_PORT, prometheusPodLabels } from '../model/operators/prometheus-operator';
import type { ContainerResources } from './container-resources';
import { labels } from './labels';
import { ModelObject } from './model-object';
import { restrictedPodSecurityContext } from './security-context';
import { KubeClusterRole, KubeClusterRoleBinding, KubePodDisruptionBudget, KubeRole, KubeRoleBinding, KubeServiceAccount } from './kube-objects';

/** A label selector (matchLabels and/or matchExpressions). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }>;
}

/** Where alerts go: an Alertmanager Service by namespace, name and port name. */
export interface AlertmanagerEndpoint {
  readonly namespace: string;
  readonly name: string;
  readonly port: string;
}

/** Props of {@link FinbotPrometheus}. */
export interface FinbotPrometheusProps {
  /** Object name (the design document: finbot-prometheus). */
  readonly name: string;
  readonly namespace: string;
  readonly environment: string;
  /** Prometheus version, e.g. v3.5.0. */
  readonly version: string;
  /** @default 2 */
  readonly replicas?: number;
  /** @default '30d' */
  readonly retention?: string;
  /** Persistent volume per replica. */
  readonly storage: { readonly size: string; readonly storageClassName: string };
  readonly resources: ContainerResources;
  /**
   * Namespaces whose Services, EndpointSlices and Pods Prometheus discovers (where its ServiceMonitors and
   * PodMonitors point): each gets a Role and RoleBinding. Include its own namespace.
   */
  readonly scrapeNamespaces: readonly string[];
  /** ServiceMonitors to load (by their labels). */
  readonly serviceMonitorSelector: LabelSelector;
  /** Namespaces to look for ServiceMonitors in. @default only the Prometheus namespace */
  readonly serviceMonitorNamespaceSelector?: LabelSelector;
  /** PodMonitors to load. @default none */
  readonly podMonitorSelector?: LabelSelector;
  /** Namespaces to look for PodMonitors in. @default only the Prometheus namespace */
  readonly podMonitorNamespaceSelector?: LabelSelector;
  /** Probes (blackbox synthetic checks) to load. @default none */
  readonly probeSelector?: LabelSelector;
  /** Namespaces to look for Probes in. @default only the Prometheus namespace */
  readonly probeNamespaceSelector?: LabelSelector;
  /** PrometheusRules to load. */
  readonly ruleSelector: LabelSelector;
  /** Namespaces to look for PrometheusRules in. @default only the Prometheus namespace */
  readonly ruleNamespaceSelector?: LabelSelector;
  /** Alertmanagers to send to. @default none */
  readonly alertmanagers?: readonly AlertmanagerEndpoint[];
}

/** User and group of the Prometheus containers (the operator's documented defaults). */
export const PROMETHEUS_UID = 1000;
export const PROMETHEUS_FS_GROUP = 2000;

/** Prometheus CR + ServiceAccount + ClusterRole/Binding + PDB. */
export class FinbotPrometheus extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels the operator puts on every Prometheus pod (NetworkPolicies select on them). */
  readonly podLabels: Record<string, string>;
  /** The Service the operator creates for all replicas (`prometheus-operated`), port 9090. */
  readonly url: string;
  readonly port: number = PROMETHEUS_WEB_PORT.port;
  readonly resource: ModelObject;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly pdb?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: FinbotPrometheusProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    checkPrometheusProps(props, replicas);
    this.name = props.name;
    this.namespace = props.namespace;
    // Two of the labels the operator sets on every pod (model/operators/prometheus-operator.ts): enough to
    // name this Prometheus, stable across operator upgrades.
    const all = prometheusPodLabels(props.name);
    this.podLabels = { 'app.kubernetes.io/name': all['app.kubernetes.io/name'], prometheus: all.prometheus };
    this.url = `http://${PROMETHEUS_OPERATED_SERVICE}.${props.namespace}.svc:${this.port}`;
    const objectLabels = labels({ name: props.name, component: 'monitoring', environment: props.environment, finbotApp: false });
    const metadata = { name: props.name, namespace: props.namespace, labels: objectLabels };

    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', { metadata });
    this.clusterRole = this.rbac(props, objectLabels);
    this.resource = this.prometheus(props, metadata, replicas);
    if (replicas >= 2) {
      this.pdb = new KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.podLabels } },
      });
    }
  }

  /**
   * Step: RBAC of the ServiceAccount: the cluster-wide rules (kubelet metrics, /metrics) and, only in each
   * scraped namespace, the discovery rules (model/operators/prometheus-operator.ts).
   */
  private rbac(props: FinbotPrometheusProps, objectLabels: Record<string, string>): k8s.KubeClusterRole {
    const rbacName = `${props.namespace}-${props.name}`;
    const clusterRole = new KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: rbacName, labels: objectLabels },
      rules: PROMETHEUS_CLUSTER_RULES.map((r) => ({
        ...(r.apiGroups ? { apiGroups: [...r.apiGroups] } : {}),
        ...(r.resources ? { resources: [...r.resources] } : {}),
        ...(r.nonResourceURLs ? { nonResourceUrLs: [...r.nonResourceURLs] } : {}),
        verbs: [...r.verbs],
      })),
    });
    new KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: rbacName, labels: objectLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: rbacName },
      subjects: [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }],
    });
    for (const ns of [...new Set(props.scrapeNamespaces)].sort()) {
      new KubeRole(this, `DiscoveryRole-${ns}`, {
        metadata: { name: rbacName, namespace: ns, labels: objectLabels },
        rules: PROMETHEUS_DISCOVERY_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
      });
      new KubeRoleBinding(this, `DiscoveryRoleBinding-${ns}`, {
        metadata: { name: rbacName, namespace: ns, labels: objectLabels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: rbacName },
        subjects: [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }],
      });
    }
    return clusterRole;
  }

  /** Step: the Prometheus resource (the operator makes the StatefulSet) with its volume claim template. */
  private prometheus(props: FinbotPrometheusProps, metadata: { name: string; namespace: string; labels: Record<string, string> }, replicas: number): ModelObject {
    const res = props.resources;
    const resource = new ModelObject<IPrometheus>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata,
      spec: {
        version: props.version,
        replicas,
        retention: props.retention ?? '30d',
        serviceAccountName: props.name,
        serviceDiscoveryRole: 'EndpointSlice',
        serviceMonitorSelector: clone(props.serviceMonitorSelector),
        ...(props.serviceMonitorNamespaceSelector ? { serviceMonitorNamespaceSelector: clone(props.serviceMonitorNamespaceSelector) } : {}),
        ...(props.podMonitorSelector ? { podMonitorSelector: clone(props.podMonitorSelector) } : {}),
        ...(props.podMonitorNamespaceSelector ? { podMonitorNamespaceSelector: clone(props.podMonitorNamespaceSelector) } : {}),
        ...(props.probeSelector ? { probeSelector: clone(props.probeSelector) } : {}),
        ...(props.probeNamespaceSelector ? { probeNamespaceSelector: clone(props.probeNamespaceSelector) } : {}),
        ruleSelector: clone(props.ruleSelector),
        ...(props.ruleNamespaceSelector ? { ruleNamespaceSelector: clone(props.ruleNamespaceSelector) } : {}),
        ...(props.alertmanagers?.length ? { alerting: { alertmanagers: props.alertmanagers.map((a) => ({ namespace: a.namespace, name: a.name, port: a.port })) } } : {}),
        securityContext: restrictedPodSecurityContext(PROMETHEUS_UID, PROMETHEUS_FS_GROUP),
        resources: {
          requests: { cpu: res.requests.cpu, memory: res.requests.memory },
          limits: { cpu: res.limits.cpu, memory: res.limits.memory },
        },
        // Spread replicas over zones so that one zone outage leaves Prometheus up.
        topologySpreadConstraints: [{
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { ...this.podLabels } },
        }],
      },
    });

    // @kubernetes-models/prometheus-operator 6.0.0 types the embedded claim as kind
    // "EmbeddedPersistentVolumeClaim" of monitoring.coreos.com/v1, which no API server accepts; the CRD
    // itself takes a bare claim spec. So it is added as a patch, outside the typed object (the output's schema
    // check still checks it against the pinned CRD).
    resource.addJsonPatch(JsonPatch.add('/spec/storage', {
      volumeClaimTemplate: {
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: props.storage.size } },
          storageClassName: props.storage.storageClassName,
        },
      },
    }));
    return resource;
  }
}

/** Validates the props; each message names the prop, the value and the fix. */
function checkPrometheusProps(props: FinbotPrometheusProps, replicas: number): void {
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new Error(`FinbotPrometheus ${props.name}: replicas must be a whole number of at least 1, got ${replicas}`);
    }
    if (Object.keys(props.serviceMonitorSelector.matchLabels ?? {}).length === 0 && !props.serviceMonitorSelector.matchExpressions?.length) {
      throw new Error(`FinbotPrometheus ${props.name}: serviceMonitorSelector is empty, which would load every ServiceMonitor in the cluster; select by a label such as { matchLabels: { app: 'finbot' } }`);
    }
    if (!props.scrapeNamespaces.includes(props.namespace)) {
      throw new Error(`FinbotPrometheus ${props.name}: scrapeNamespaces ${JSON.stringify(props.scrapeNamespaces)} lacks its own namespace ${props.namespace}; its monitors of local Services would find nothing`);
    }
}

function clone(s: LabelSelector): { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } {
  return {
    ...(s.matchLabels ? { matchLabels: { ...s.matchLabels } } : {}),
    ...(s.matchExpressions ? { matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values ? { values: [...e.values] } : {}) })) } : {}),
  };
}
