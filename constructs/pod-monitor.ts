/**
 * A prometheus-operator PodMonitor (monitoring.coreos.com/v1), typed with the kubernetes-models interface.
 * Emitted as a plain ApiObject: importing the model class would pull its ajv validators into the esbuild
 * bundle of `npm run synth`, which cannot load them as ESM; schema validity is checked by the environment
 * invariants test (validation/schema.ts) instead.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitor
 */
import type { Construct } from 'constructs';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PlainApiObject } from './kube-objects';

/** Props of {@link PodMonitorObject}: the PodMonitor without apiVersion/kind. */
export type PodMonitorProps = Omit<IPodMonitor, 'apiVersion' | 'kind'>;

/** A PodMonitor. */
export class PodMonitorObject extends PlainApiObject {
  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    if (!props.spec.podMetricsEndpoints?.length) {
      throw new Error(`PodMonitor ${props.metadata?.name ?? id}: podMetricsEndpoints is empty; name at least one port to scrape`);
    }
    super(scope, id, { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', ...props } as never);
  }
}
