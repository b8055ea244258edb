/**
 * A dashboard loaded by grafana-operator v5 (grafana.integreatly.org/v1beta1 `GrafanaDashboard`) into the
 * Grafana instances its instanceSelector matches. The retired v4 API (integreatly.org/v1alpha1) of the
 * design document is not served by v5.
 * @see https://grafana.github.io/grafana-operator/docs/dashboards/
 */
import { Construct } from 'constructs';
import { GRAFANA_DASHBOARD } from './crd-kinds';
import { labels } from './labels';
import type { FinbotGrafana } from './grafana';
import { PlainApiObject } from './kube-objects';

/** Props of {@link FinbotGrafanaDashboard}. */
export interface FinbotGrafanaDashboardProps {
  readonly name: string;
  readonly environment: string;
  /** The Grafana to load into (same namespace). */
  readonly grafana: FinbotGrafana;
  /** The dashboard model (Grafana's JSON), with `uid` and `title`. */
  readonly dashboard: { readonly uid: string; readonly title: string };
  /** Template inputs mapped to data source names, e.g. DS_PROMETHEUS → prometheus. @default none */
  readonly datasources?: ReadonlyArray<{ readonly inputName: string; readonly datasourceName: string }>;
  /** Grafana folder. @default 'FinBot' */
  readonly folder?: string;
}

/** GrafanaDashboard with its JSON embedded. */
export class FinbotGrafanaDashboard extends Construct {
  /** The JSON as stored in the CR. */
  readonly json: string;

  constructor(scope: Construct, id: string, props: FinbotGrafanaDashboardProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(props.dashboard.uid)) {
      throw new Error(`FinbotGrafanaDashboard ${props.name}: uid "${props.dashboard.uid}" must be 1-40 letters, digits, "-" or "_" (Grafana's limit)`);
    }
    const json = JSON.stringify(props.dashboard, null, 2);
    for (const ds of props.datasources ?? []) {
      if (!json.includes(`\${${ds.inputName}}`)) {
        throw new Error(`FinbotGrafanaDashboard ${props.name}: datasource input ${ds.inputName} is never used as \${${ds.inputName}} in the dashboard; remove it or use it in the panels`);
      }
    }
    this.json = json;
    new PlainApiObject(this, 'Resource', {
      ...GRAFANA_DASHBOARD,
      metadata: { name: props.name, namespace: props.grafana.namespace, labels: labels({ name: props.name, component: 'dashboards', environment: props.environment }) },
      spec: {
        instanceSelector: { matchLabels: { ...props.grafana.instanceLabels } },
        folder: props.folder ?? 'FinBot',
        ...(props.datasources?.length ? { datasources: props.datasources.map((d) => ({ inputName: d.inputName, datasourceName: d.datasourceName })) } : {}),
        json,
      },
    });
  }
}
