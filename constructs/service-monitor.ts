/**
 * A ServiceMonitor (monitoring.coreos.com/v1) that scrapes the `http-metrics` port of a FinbotApp's
 * Services. Services are selected by the app's stable labels (`app.kubernetes.io/name`/`instance`), not by
 * name, so that every Service of the component (e.g. `finbot-api` and a blue/green `finbot-api-preview`)
 * is found.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
import { Construct } from 'constructs';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { METRICS_PORT_NAME, type FinbotApp } from './finbot-app';
import { labels } from './labels';
import { ModelObject } from './model-object';

/** Props of {@link FinbotServiceMonitor}. */
export interface FinbotServiceMonitorProps {
  /** The component to scrape. */
  readonly app: FinbotApp;
  /** Namespace of the ServiceMonitor (where Prometheus looks for them). */
  readonly namespace: string;
  readonly environment: string;
  /** Scrape interval. @default '30s' */
  readonly interval?: string;
  /** Metrics path. @default '/metrics' */
  readonly path?: string;
}

/** ServiceMonitor `<app>` labelled `app: finbot` (what the design document's Prometheus selects). */
export class FinbotServiceMonitor extends Construct {
  readonly name: string;
  readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: FinbotServiceMonitorProps) {
    super(scope, id);
    const { app } = props;
    const ports = app.service.toJson().spec?.ports ?? [];
    if (!ports.some((p: { name?: string }) => p.name === METRICS_PORT_NAME)) {
      throw new Error(`FinbotServiceMonitor ${app.name}: Service ${app.service.name} has no port named "${METRICS_PORT_NAME}"; ServiceMonitors scrape named ports`);
    }
    const path = props.path ?? '/metrics';
    if (!path.startsWith('/')) throw new Error(`FinbotServiceMonitor ${app.name}: path "${path}" must start with "/"`);
    this.name = app.name;
    this.labels = labels({ name: app.name, component: 'monitoring', environment: props.environment });
    new ModelObject<IServiceMonitor>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: app.name, namespace: props.namespace, labels: this.labels },
      spec: {
        selector: { matchLabels: { ...app.selector } },
        namespaceSelector: { matchNames: [app.namespace] },
        endpoints: [{ port: METRICS_PORT_NAME, path, interval: props.interval ?? '30s', scheme: 'http' }],
      },
    });
  }
}
