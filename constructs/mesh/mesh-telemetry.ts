/**
 * Access logs and tracing for a namespace through the Istio Telemetry API.
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 */
import { Construct } from 'constructs';
import type { ITelemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import { ModelObject } from '../model-object';

/** Props of {@link MeshTelemetry}. */
export interface MeshTelemetryProps {
  readonly namespace: string;
  /** Access log provider (mesh config); Istio ships `envoy`. */
  readonly accessLogProvider: string;
  /** Tracing provider (mesh config `extensionProviders`, e.g. an OpenTelemetry collector). */
  readonly tracingProvider: string;
  /** Share of requests traced, 0-100. */
  readonly samplingPercent: number;
  /** @default 'mesh-default' */
  readonly name?: string;
}

/** One Telemetry object for the namespace: access logs to one provider, traces to another. */
export class MeshTelemetry extends Construct {
  readonly resource: ModelObject;
  constructor(scope: Construct, id: string, props: MeshTelemetryProps) {
    super(scope, id);
    if (!(props.samplingPercent >= 0 && props.samplingPercent <= 100)) {
      throw new Error(`MeshTelemetry: samplingPercent must be between 0 and 100, got ${props.samplingPercent}`);
    }
    this.resource = new ModelObject<ITelemetry>(this, 'Resource', {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: props.name ?? 'mesh-default', namespace: props.namespace },
      spec: {
        accessLogging: [{ providers: [{ name: props.accessLogProvider }] }],
        tracing: [{ providers: [{ name: props.tracingProvider }], randomSamplingPercentage: props.samplingPercent }],
      },
    });
  }
}
