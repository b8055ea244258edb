/**
 * An Alertmanager run by the prometheus-operator (monitoring.coreos.com/v1 `Alertmanager`), the Service
 * Prometheus sends alerts to (`alertmanager-<name>`, port `web` 9093) and a PodDisruptionBudget.
 * Receivers are configured with AlertmanagerConfig objects or the `alertmanager-<name>` Secret, outside Git.
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Alertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import type { ObservabilityResources } from '../config/sections/observability';
import { labels } from './labels';
import { ModelObject } from './model-object';
import { PROMETHEUS_FS_GROUP, PROMETHEUS_UID, type AlertmanagerEndpoint } from './prometheus';
import { plainResources, restrictedPodSecurityContext } from './security-context';
import { KubePodDisruptionBudget, KubeService } from './kube-objects';

/** Props of {@link FinbotAlertmanager}. */
export interface FinbotAlertmanagerProps {
  /** CR name; the Service is `alertmanager-<name>`. @default 'main' */
  readonly name?: string;
  readonly namespace: string;
  readonly environment: string;
  readonly version: string;
  /** @default 1 */
  readonly replicas?: number;
  readonly resources: ObservabilityResources;
}

/** Alertmanager `main` + Service `alertmanager-main` + PDB. */
export class FinbotAlertmanager extends Construct {
  /** Port of the web API (and the `web` Service port). */
  static readonly WEB_PORT = 9093;
  /** Port of the cluster gossip between replicas (TCP and UDP). */
  static readonly CLUSTER_PORT = 9094;
  readonly name: string;
  readonly namespace: string;
  /** Labels the operator sets on the Alertmanager pods. */
  readonly podLabels: Record<string, string>;
  readonly service: k8s.KubeService;
  /** What a Prometheus `alerting.alertmanagers` entry needs. */
  readonly endpoint: AlertmanagerEndpoint;

  constructor(scope: Construct, id: string, props: FinbotAlertmanagerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new Error(`FinbotAlertmanager: replicas must be a whole number of at least 1, got ${replicas}`);
    }
    if (replicas === 2) {
      throw new Error('FinbotAlertmanager: 2 replicas cannot keep a gossip quorum when one is down; use 1 or 3');
    }
    this.name = props.name ?? 'main';
    this.namespace = props.namespace;
    this.podLabels = { 'app.kubernetes.io/name': 'alertmanager', alertmanager: this.name };
    const serviceName = `alertmanager-${this.name}`;
    const objectLabels = labels({ name: serviceName, component: 'monitoring', environment: props.environment, finbotApp: false });
    const res = props.resources;

    new ModelObject(this, 'Resource', new Alertmanager({
      metadata: { name: this.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        version: props.version,
        replicas,
        securityContext: restrictedPodSecurityContext(PROMETHEUS_UID, PROMETHEUS_FS_GROUP),
        resources: plainResources(res),
      },
    }));
    this.service = new KubeService(this, 'Service', {
      metadata: { name: serviceName, namespace: props.namespace, labels: objectLabels },
      spec: {
        type: 'ClusterIP',
        selector: this.podLabels,
        ports: [{ name: 'web', port: FinbotAlertmanager.WEB_PORT, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' }],
      },
    });
    this.endpoint = { namespace: props.namespace, name: serviceName, port: 'web' };
    if (replicas >= 2) {
      new KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: { name: serviceName, namespace: props.namespace, labels: objectLabels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.podLabels } },
      });
    }
  }
}
