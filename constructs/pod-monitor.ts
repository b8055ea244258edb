/**
 * A prometheus-operator PodMonitor (monitoring.coreos.com/v1), typed with the kubernetes-models interface and
 * emitted as a plain ApiObject, like every kubernetes-models type (constructs/model-object.ts); the output's
 * schema check (validation/schema.ts) checks it against the pinned CRD.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitor
 */
import type { Construct } from 'constructs';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { labels } from './labels';
import { ModelObject } from './model-object';

/** Props of {@link PodMonitorObject}: the PodMonitor without apiVersion/kind. */
export type PodMonitorProps = Omit<IPodMonitor, 'apiVersion' | 'kind'>;

/** A PodMonitor. */
export class PodMonitorObject extends ModelObject<IPodMonitor> {
  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    if (!props.spec.podMetricsEndpoints?.length) {
      throw new Error(`PodMonitor ${props.metadata?.name ?? id}: podMetricsEndpoints is empty; name at least one port to scrape`);
    }
    super(scope, id, { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', ...props });
  }
}

/** Props of {@link FinbotPodMonitor}. */
export interface FinbotPodMonitorProps {
  /** Name of the PodMonitor (and its `app.kubernetes.io/name` label). */
  readonly name: string;
  /** Namespace of the PodMonitor, and of the pods it scrapes. */
  readonly namespace: string;
  /** `app.kubernetes.io/component` of the monitor, e.g. `database`. */
  readonly component: string;
  /** Environment (`app.kubernetes.io/instance`). */
  readonly environment: string;
  /** The pods to scrape. */
  readonly selector: PodMonitorProps['spec']['selector'];
  /** The ports (and paths, schemes, intervals) to scrape; at least one. */
  readonly podMetricsEndpoints: NonNullable<PodMonitorProps['spec']['podMetricsEndpoints']>;
}

/**
 * A PodMonitor of FinBot: labelled `app: finbot` (the design document's Prometheus selects monitors by it —
 * the monitor, not the pods) with the project's standard labels. Without a namespaceSelector it scrapes pods of
 * its own namespace (`monitorNamespaces` in model/operators/prometheus-operator.ts).
 */
export class FinbotPodMonitor extends PodMonitorObject {
  constructor(scope: Construct, id: string, props: FinbotPodMonitorProps) {
    super(scope, id, {
      metadata: { name: props.name, namespace: props.namespace, labels: labels({ name: props.name, component: props.component, environment: props.environment }) },
      spec: { selector: props.selector, podMetricsEndpoints: props.podMetricsEndpoints },
    });
  }
}
