/**
 * A ServiceMonitor (labelled `app: finbot`, so `finbot-prometheus` loads it) for a Service this repository
 * does not render: cert-manager's controller in its own namespace, the kubelet Service prometheus-operator
 * maintains in kube-system. The validator cannot see such a Service, so the object carries the documented
 * exemption annotation for `xref/monitor-selector` with the reason.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
import { Construct } from 'constructs';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IEndpoint } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Endpoint';
import { labels } from './labels';
import { ModelObject } from './model-object';

/** Annotation read by validation/exemptions.ts. */
const EXEMPT_ANNOTATION = 'finbot.io/validation-exempt';

/** Props of {@link ExternalServiceMonitor}. */
export interface ExternalServiceMonitorProps {
  readonly name: string;
  /** Where the ServiceMonitor lives (the monitoring namespace). */
  readonly namespace: string;
  readonly environment: string;
  /** Namespace of the scraped Service (outside this repository's output). */
  readonly targetNamespace: string;
  /** Labels of the scraped Service. */
  readonly selector: Record<string, string>;
  /** Scrape endpoints (named Service ports). */
  readonly endpoints: readonly IEndpoint[];
  /** Who creates the Service; becomes the reason of the validation exemption. */
  readonly serviceOwner: string;
}

/** ServiceMonitor of a Service created outside this repository. */
export class ExternalServiceMonitor extends Construct {
  readonly name: string;
  readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: ExternalServiceMonitorProps) {
    super(scope, id);
    if (props.targetNamespace === props.namespace) {
      throw new Error(`ExternalServiceMonitor ${props.name}: targetNamespace ${props.targetNamespace} is the monitor's own namespace; Services rendered here need no external monitor or exemption`);
    }
    if (Object.keys(props.selector).length === 0) {
      throw new Error(`ExternalServiceMonitor ${props.name}: selector is empty, which would scrape every Service of ${props.targetNamespace}`);
    }
    if (props.endpoints.length === 0 || props.endpoints.some((e) => !e.port)) {
      throw new Error(`ExternalServiceMonitor ${props.name}: every endpoint needs a named Service port`);
    }
    this.name = props.name;
    this.labels = labels({ name: props.name, component: 'monitoring', environment: props.environment });
    new ModelObject<IServiceMonitor>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: this.labels,
        annotations: {
          [EXEMPT_ANNOTATION]: `xref/monitor-selector: the Service is created outside this repository (${props.serviceOwner} in ${props.targetNamespace})`,
        },
      },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        namespaceSelector: { matchNames: [props.targetNamespace] },
        endpoints: props.endpoints.map((e) => ({ ...e })),
      },
    });
  }
}
