/**
 * The design document's `Jaeger` CR (jaegertracing.io/v1, production strategy on Elasticsearch), for
 * clusters that still run the Jaeger operator. Jaeger v1 and the operator reached end of life on
 * 2025-12-31; {@link JaegerV2} is the default.
 * @see https://www.jaegertracing.io/docs/1.76/deployment/operator/
 */
import { Construct } from 'constructs';
import { JAEGER } from './crd-kinds';
import type { ComputeResources } from './elasticsearch';
import { labels } from './labels';
import { PlainApiObject } from './kube-objects';

/** Props of {@link LegacyJaeger}. */
export interface LegacyJaegerProps {
  /** @default 'finbot-jaeger' */
  readonly name?: string;
  readonly namespace: string;
  readonly environment: string;
  readonly elasticsearch: { readonly nodeCount: number; readonly storage: { readonly size: string; readonly storageClassName: string } };
  readonly collector: { readonly replicas: number; readonly resources: ComputeResources };
  readonly query: { readonly replicas: number; readonly resources: ComputeResources };
}

/** Jaeger CR, production strategy. */
export class LegacyJaeger extends Construct {
  constructor(scope: Construct, id: string, props: LegacyJaegerProps) {
    super(scope, id);
    const res = (r: ComputeResources) => ({ requests: { cpu: r.requests.cpu, memory: r.requests.memory }, limits: { cpu: r.limits.cpu, memory: r.limits.memory } });
    new PlainApiObject(this, 'Resource', {
      ...JAEGER,
      metadata: { name: props.name ?? 'finbot-jaeger', namespace: props.namespace, labels: labels({ name: props.name ?? 'finbot-jaeger', component: 'tracing', environment: props.environment, finbotApp: false }) },
      spec: {
        strategy: 'production',
        storage: {
          type: 'elasticsearch',
          elasticsearch: {
            nodeCount: props.elasticsearch.nodeCount,
            storage: { size: props.elasticsearch.storage.size, storageClassName: props.elasticsearch.storage.storageClassName },
          },
        },
        collector: { replicas: props.collector.replicas, resources: res(props.collector.resources) },
        query: { replicas: props.query.replicas, resources: res(props.query.resources) },
      },
    });
  }
}
