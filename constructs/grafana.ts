/**
 * A Grafana instance run by grafana-operator v5 (grafana.integreatly.org/v1beta1 `Grafana`), hardened
 * (restricted Pod Security, resources) and with its data sources provisioned from a ConfigMap, because the
 * GrafanaDatasource CRD is not imported here.
 * @see https://grafana.github.io/grafana-operator/docs/api/#grafana
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import { GRAFANA } from './crd-kinds';
import { GRAFANA_PORTS } from '../model/operators/grafana-operator';
import type { ContainerResources } from './container-resources';
import { labels, selectorLabels } from './labels';
import { plainResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeConfigMap, PlainApiObject } from './kube-objects';

/** A data source Grafana provisions at start. */
export interface GrafanaDataSource {
  /** Display name; dashboards map their inputs to it (e.g. `prometheus`). */
  readonly name: string;
  /** Stable uid dashboards may refer to. */
  readonly uid: string;
  /** Grafana plugin type, e.g. `prometheus`, `jaeger`. */
  readonly type: 'prometheus' | 'jaeger' | 'alertmanager';
  /** In-cluster URL. */
  readonly url: string;
  /** @default false */
  readonly isDefault?: boolean;
}

/** Props of {@link FinbotGrafana}. */
export interface FinbotGrafanaProps {
  /** @default 'finbot-grafana' */
  readonly name?: string;
  readonly namespace: string;
  readonly environment: string;
  /** Grafana version (image tag of docker.io/grafana/grafana). */
  readonly version: string;
  readonly resources: ContainerResources;
  readonly dataSources: readonly GrafanaDataSource[];
}

/** Grafana's container port (grafana-operator's default `server.http_port`). */
export const GRAFANA_PORT = GRAFANA_PORTS.http;
/** Grafana's user/group in the official image. */
const GRAFANA_UID = 472;

/** Grafana CR + data source ConfigMap; dashboards select it by {@link FinbotGrafana.instanceLabels}. */
export class FinbotGrafana extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels on the Grafana CR that GrafanaDashboards' instanceSelector matches. */
  readonly instanceLabels: Record<string, string>;
  /** Labels of the Grafana pods (set in the deployment override). */
  readonly podLabels: Record<string, string>;
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: FinbotGrafanaProps) {
    super(scope, id);
    const uids = props.dataSources.map((d) => d.uid);
    const dupUid = uids.find((u, i) => uids.indexOf(u) !== i);
    if (dupUid) throw new Error(`FinbotGrafana: data source uid "${dupUid}" is used twice; uids must be unique`);
    if (props.dataSources.filter((d) => d.isDefault).length > 1) {
      throw new Error('FinbotGrafana: more than one data source has isDefault: true; Grafana allows exactly one default');
    }
    this.name = props.name ?? 'finbot-grafana';
    this.namespace = props.namespace;
    const labelProps = { name: this.name, component: 'dashboards', environment: props.environment, finbotApp: false };
    const objectLabels = labels(labelProps);
    this.instanceLabels = selectorLabels(labelProps);
    this.podLabels = selectorLabels(labelProps);
    const configMapName = `${this.name}-datasources`;

    new KubeConfigMap(this, 'DataSources', {
      metadata: { name: configMapName, namespace: props.namespace, labels: objectLabels },
      data: {
        'datasources.yaml': dump({
          apiVersion: 1,
          datasources: props.dataSources.map((d) => ({
            name: d.name, uid: d.uid, type: d.type, access: 'proxy', url: d.url, isDefault: d.isDefault ?? false, editable: false,
          })),
        }, { noRefs: true, lineWidth: -1 }),
      },
    });

    const r = props.resources;
    this.resource = new PlainApiObject(this, 'Resource', {
      ...GRAFANA,
      metadata: { name: this.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        version: props.version,
        config: {
          log: { mode: 'console' },
          analytics: { reporting_enabled: 'false', check_for_updates: 'false' },
          security: { cookie_secure: 'true', disable_gravatar: 'true' },
          users: { allow_sign_up: 'false' },
        },
        // Grafana never calls the Kubernetes API, and grafana-operator sets no automount itself
        // (model/operators/grafana-operator.ts): no token in the pod, none on the ServiceAccount it makes.
        serviceAccount: { automountServiceAccountToken: false },
        deployment: {
          spec: {
            template: {
              metadata: { labels: { ...objectLabels } },
              spec: {
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(GRAFANA_UID),
                containers: [{
                  name: 'grafana',
                  resources: plainResources(r),
                  securityContext: restrictedContainerSecurityContext(),
                  volumeMounts: [{ name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true }],
                }],
                volumes: [{ name: 'datasources', configMap: { name: configMapName } }],
              },
            },
          },
        },
      },
    });
  }
}
