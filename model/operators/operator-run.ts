/**
 * The one place that says which object of the output an operator (or a chart an Argo CD Application
 * installs) turns into running pods, and what those are: for each such object, the operator, its pinned
 * release, what the component is, and the pods and Services of the operator's model file. The cluster model
 * (model/cluster-model.ts), the `netpol/data-store-clients` rule and the diagram read it; each fact lives in
 * its operator's file with its upstream citation.
 */
import type { KubeObject } from '../kube-object';
import { apiGroup } from '../object-id';
import { CNPG_RELEASE, CNPG_SERVICE_SUFFIXES, POSTGRES_PORTS, cnpgClusterDerived } from './cloudnative-pg';
import type { DerivedObjects } from './derived';
import { ECK_COMMIT, ES_HTTP_PORT, esDerived, esNames } from './eck';
import { GRAFANA_OPERATOR_RELEASE, GRAFANA_PORTS, grafanaDerived, grafanaServiceName } from './grafana-operator';
import { NGF_RELEASE, ngfDataPlaneOf, type GatewayLike } from './nginx-gateway-fabric';
import { OPENTELEMETRY_OPERATOR_RELEASE, OTLP_RECEIVER_PORTS, collectorDerived, collectorServiceNames } from './opentelemetry-operator';
import {
  ALERTMANAGER_OPERATED_SERVICE, ALERTMANAGER_PORTS, PROMETHEUS_OPERATED_SERVICE, PROMETHEUS_OPERATOR_RELEASE, PROMETHEUS_WEB_PORT, alertmanagerDerived, prometheusDerived,
} from './prometheus-operator';
import { REDIS_OPERATOR_RELEASE, REDIS_PORTS, redisClusterDerived, redisRoleName } from './redis-operator';
import { VAULT_HELM_RELEASE, VAULT_PORTS, isVaultHelmSource, vaultHelmDerived, vaultHelmHaReplicas, vaultHelmNames } from './vault';

/** What a component run by an operator is for. */
export type OperatorRunRole = 'database' | 'cache' | 'secrets' | 'metrics' | 'alerting' | 'dashboards' | 'trace-store' | 'telemetry-collector' | 'gateway-proxy';

/** Running pods an object of the output leads to, through an operator or a chart. */
export interface OperatorRun {
  /** The operator (or chart) that makes the pods. */
  readonly operator: string;
  /** Its pinned release (or commit) the facts were read at. */
  readonly release: string;
  readonly role: OperatorRunRole;
  /** Namespace the pods and Services are made in (an Application's destination for a chart). */
  readonly namespace: string;
  readonly derived: DerivedObjects;
  /** The Service and port its clients connect to (one of `derived.services`). */
  readonly client: { readonly service: string; readonly port: number };
}

type Spec = Record<string, any>;

/** The operator-run component an object leads to, or undefined when no operator of the model runs pods for it. */
export function operatorRunOf(o: KubeObject): OperatorRun | undefined {
  const ns = o.metadata.namespace ?? 'default';
  const name = o.metadata.name ?? '';
  const spec = (o.spec ?? {}) as Spec;
  const run = (operator: string, release: string, role: OperatorRunRole, derived: DerivedObjects, client: OperatorRun['client'], namespace = ns): OperatorRun => ({ operator, release, role, namespace, derived, client });
  switch (`${apiGroup(o.apiVersion)}/${o.kind}`) {
    case 'postgresql.cnpg.io/Cluster':
      // Applications write through the read-write Service.
      return run('CloudNativePG', CNPG_RELEASE, 'database', cnpgClusterDerived(name, spec.inheritedMetadata?.labels ?? {}, spec.instances ?? 1), { service: `${name}${CNPG_SERVICE_SUFFIXES.readWrite}`, port: POSTGRES_PORTS.postgres });
    case 'redis.redis.opstreelabs.in/RedisCluster':
      return run('redis-operator', REDIS_OPERATOR_RELEASE, 'cache', redisClusterDerived(name, spec), { service: redisRoleName(name, 'leader'), port: REDIS_PORTS.redis });
    case 'elasticsearch.k8s.elastic.co/Elasticsearch':
      return run('ECK', ECK_COMMIT, 'trace-store', esDerived(name, spec), { service: esNames(name).httpService, port: ES_HTTP_PORT });
    case 'monitoring.coreos.com/Prometheus':
      return run('prometheus-operator', PROMETHEUS_OPERATOR_RELEASE, 'metrics', prometheusDerived(name, spec), { service: PROMETHEUS_OPERATED_SERVICE, port: PROMETHEUS_WEB_PORT.port });
    case 'monitoring.coreos.com/Alertmanager':
      return run('prometheus-operator', PROMETHEUS_OPERATOR_RELEASE, 'alerting', alertmanagerDerived(name, spec), { service: ALERTMANAGER_OPERATED_SERVICE, port: ALERTMANAGER_PORTS.web });
    case 'grafana.integreatly.org/Grafana':
      return run('grafana-operator', GRAFANA_OPERATOR_RELEASE, 'dashboards', grafanaDerived(name, spec), { service: grafanaServiceName(name), port: GRAFANA_PORTS.http });
    case 'opentelemetry.io/OpenTelemetryCollector':
      return run('opentelemetry-operator', OPENTELEMETRY_OPERATOR_RELEASE, 'telemetry-collector', collectorDerived(ns, name, o.metadata.labels ?? {}, spec), { service: collectorServiceNames(name).main, port: OTLP_RECEIVER_PORTS.grpc });
    case 'gateway.networking.k8s.io/Gateway': {
      const dp = ngfDataPlaneOf(o as unknown as GatewayLike);
      if (!dp) return undefined;
      return run('NGINX Gateway Fabric', NGF_RELEASE, 'gateway-proxy', {
        pods: [{ what: 'NGINX Gateway Fabric data plane', labels: dp.podLabels, ports: dp.podPorts }],
        services: [{ name: dp.resourceName, selector: dp.selector, ports: dp.servicePorts }],
        secrets: [],
      }, { service: dp.resourceName, port: dp.servicePorts[0]?.port ?? 0 }, dp.namespace);
    }
    case 'argoproj.io/Application':
      // A Helm chart an Application installs makes objects in the destination namespace (model/operators/vault.ts).
      if (!isVaultHelmSource(spec.source)) return undefined;
      const release: string = spec.source.helm?.releaseName ?? name;
      // Clients reach the active node (`<release>-active`, model/operators/vault.ts).
      return run('vault-helm', VAULT_HELM_RELEASE, 'secrets', vaultHelmDerived(release, vaultHelmHaReplicas(spec.source.helm?.valuesObject)), { service: vaultHelmNames(release).activeService, port: VAULT_PORTS.api }, spec.destination?.namespace ?? ns);
    default:
      return undefined;
  }
}
