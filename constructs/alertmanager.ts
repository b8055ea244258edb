/**
 * An Alertmanager run by the prometheus-operator (monitoring.coreos.com/v1 `Alertmanager`), the Service
 * Prometheus sends alerts to (`alertmanager-<name>`, port `web` 9093) and a PodDisruptionBudget.
 *
 * Its configuration is the `alertmanager.yaml` key of a Secret the caller provides (filled by External Secrets,
 * see charts/observability-chart.ts), named in `spec.configSecret` and mounted through `spec.secrets`, so the
 * receivers' `*_file` credentials resolve. No `alertmanagerConfigSelector`: the operator then uses that file
 * as it is, without the per-namespace matchers it adds to AlertmanagerConfig objects (facts in
 * model/operators/prometheus-operator.ts). The pods mount no Kubernetes API token: neither Alertmanager nor
 * the config reloader calls the API.
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { IAlertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import {
  ALERTMANAGER_CONFIG_KEY, ALERTMANAGER_PORTS, alertmanagerPodLabels, alertmanagerSecretPath,
} from '../model/operators/prometheus-operator';
import type { ContainerResources } from './container-resources';
import { labels } from './labels';
import { ModelObject } from './model-object';
import { PROMETHEUS_FS_GROUP, PROMETHEUS_UID, type AlertmanagerEndpoint } from './prometheus';
import { restrictedPodSecurityContext } from './security-context';
import { KubePodDisruptionBudget, KubeService, KubeServiceAccount } from './kube-objects';

/** Props of {@link FinbotAlertmanager}. */
export interface FinbotAlertmanagerProps {
  /** CR name; the Service is `alertmanager-<name>`. @default 'main' */
  readonly name?: string;
  readonly namespace: string;
  readonly environment: string;
  readonly version: string;
  /** @default 1 */
  readonly replicas?: number;
  readonly resources: ContainerResources;
  /**
   * Name of the Secret with `alertmanager.yaml` and the receivers' credential files (one key each). It is the
   * operator's `configSecret` and is mounted at `/etc/alertmanager/secrets/<name>/`.
   */
  readonly configSecretName: string;
}

/** Alertmanager `main` + Service `alertmanager-main` + ServiceAccount + PDB. */
export class FinbotAlertmanager extends Construct {
  /** Port of the web API (and the `web` Service port). */
  static readonly WEB_PORT = ALERTMANAGER_PORTS.web;
  /** Port of the cluster gossip between replicas (TCP and UDP). */
  static readonly CLUSTER_PORT = ALERTMANAGER_PORTS.mesh;
  readonly name: string;
  readonly namespace: string;
  /** Labels the operator sets on the Alertmanager pods. */
  readonly podLabels: Record<string, string>;
  readonly service: k8s.KubeService;
  /** What a Prometheus `alerting.alertmanagers` entry needs. */
  readonly endpoint: AlertmanagerEndpoint;
  /** The Secret the configuration is read from. */
  readonly configSecretName: string;

  constructor(scope: Construct, id: string, props: FinbotAlertmanagerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new Error(`FinbotAlertmanager: replicas must be a whole number of at least 1, got ${replicas}`);
    }
    if (replicas === 2) {
      throw new Error('FinbotAlertmanager: 2 replicas cannot keep a gossip quorum when one is down; use 1 or 3');
    }
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.configSecretName)) {
      throw new Error(`FinbotAlertmanager: configSecretName "${props.configSecretName}" is not a Secret name; give the Secret External Secrets fills with alertmanager.yaml`);
    }
    this.name = props.name ?? 'main';
    this.namespace = props.namespace;
    this.configSecretName = props.configSecretName;
    const all = alertmanagerPodLabels(this.name);
    this.podLabels = { 'app.kubernetes.io/name': all['app.kubernetes.io/name'], alertmanager: all.alertmanager };
    const serviceName = `alertmanager-${this.name}`;
    const objectLabels = labels({ name: serviceName, component: 'monitoring', environment: props.environment, finbotApp: false });
    const res = props.resources;

    // Its own ServiceAccount, without a token: the `default` one of the namespace is shared.
    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: serviceName, namespace: props.namespace, labels: objectLabels },
      automountServiceAccountToken: false,
    });
    new ModelObject<IAlertmanager>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Alertmanager',
      metadata: { name: this.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        version: props.version,
        replicas,
        serviceAccountName: serviceName,
        automountServiceAccountToken: false,
        configSecret: props.configSecretName,
        secrets: [props.configSecretName],
        securityContext: restrictedPodSecurityContext(PROMETHEUS_UID, PROMETHEUS_FS_GROUP),
        resources: {
          requests: { cpu: res.requests.cpu, memory: res.requests.memory },
          limits: { cpu: res.limits.cpu, memory: res.limits.memory },
        },
      },
    });
    this.service = new KubeService(this, 'Service', {
      metadata: { name: serviceName, namespace: props.namespace, labels: objectLabels },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.podLabels },
        ports: [{ name: ALERTMANAGER_PORTS.webName, port: FinbotAlertmanager.WEB_PORT, targetPort: k8s.IntOrString.fromString(ALERTMANAGER_PORTS.webName), protocol: 'TCP' }],
      },
    });
    this.endpoint = { namespace: props.namespace, name: serviceName, port: ALERTMANAGER_PORTS.webName };
    if (replicas >= 2) {
      new KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: { name: serviceName, namespace: props.namespace, labels: objectLabels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.podLabels } } },
      });
    }
  }

  /** Where a key of the config Secret is mounted in the Alertmanager container (for `*_file` fields). */
  credentialPath(key: string): string {
    if (key === ALERTMANAGER_CONFIG_KEY) throw new Error(`FinbotAlertmanager: "${key}" is the configuration itself, not a credential`);
    return alertmanagerSecretPath(this.configSecretName, key);
  }
}
