/**
 * Monitoring and observability (design document: Monitoring and Observability): Prometheus
 * `finbot-prometheus`, Alertmanager `main` with its receivers, ServiceMonitors/PodMonitors of every FinBot
 * component and of the Envoy sidecars, alerting rules, Grafana with the FinBot dashboard, tracing on Jaeger v2,
 * and the monitoring namespace's NetworkPolicies.
 *
 * The constructor is a list of named steps: metrics (Prometheus and what it scrapes), alerting (rules,
 * Alertmanager, receivers), tracing ({@link ObservabilityChart.addTracing}, Jaeger and Elasticsearch),
 * dashboards (Grafana), then the NetworkPolicies of each part.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { alertmanagerConfigurationYaml, type AlertReceiverProps } from '../constructs/alertmanager-config';
import { FinbotAlertmanager } from '../constructs/alertmanager';
import { PROBE_JOB_NAME } from '../constructs/blackbox-exporter';
import { FinbotElasticsearch } from '../constructs/elasticsearch';
import { FinbotExternalSecret } from '../constructs/external-secret';
import { FinbotGrafana, GRAFANA_PORT } from '../constructs/grafana';
import { FinbotGrafanaDashboard } from '../constructs/grafana-dashboard';
import { JaegerV2, OTLP_PORTS, QUERY_PORTS } from '../constructs/jaeger-v2';
import { JaegerIndexCleaner } from '../constructs/jaeger-index-cleaner';
import { LegacyJaeger } from '../constructs/jaeger-legacy';
import { ElasticsearchUser, type ElasticsearchRole } from '../constructs/elasticsearch-user';
import { esDataClaimPattern } from '../model/operators/eck';
import { jaegerIndexPattern } from '../model/operators/jaeger';
import { tracingAlertGroups } from './alerts/tracing-alerts';
import { APP_LABEL, APP_LABEL_VALUE } from '../constructs/labels';
import { AllowPolicy, CLUSTER_DNS_PEER, DefaultDenyPolicy, DNS_PORTS, type PolicyRule } from '../constructs/network-policy';
import { FinbotPrometheus } from '../constructs/prometheus';
import { KubeStateMetrics } from '../constructs/kube-state-metrics';
import { ExternalServiceMonitor } from '../constructs/external-service-monitor';
import { FinbotPodMonitor } from '../constructs/pod-monitor';
import { FinbotPrometheusRule } from '../constructs/prometheus-rule';
import { FinbotServiceMonitor } from '../constructs/service-monitor';
import { VaultSecretStore } from '../constructs/vault-secret-store';
import { CERT_MANAGER_METRICS_SERVICE } from '../model/operators/cert-manager';
import { ENVOY_PROMETHEUS_PORT } from '../model/operators/exporter-metrics';
import { ALERTMANAGER_CONFIG_KEY, KUBELET_SERVICE, SERVICE_ACCOUNT_TOKEN_FILE } from '../model/operators/prometheus-operator';
import type { AppsChart } from './apps-chart';
import { alertNamesIn, finbotAlertGroups, STANDBY_EXPECTED_GROUPS, WATCHDOG_ALERT } from './alerts/finbot-alerts';
import { backupJobAlerts } from './alerts/backup-alerts';
import { finbotOverviewDashboard, PROMETHEUS_INPUT } from './dashboards/finbot-overview';
import type { EnvironmentNamespaces } from './platform-chart';

/** The alert rule groups of an environment. */
type AlertGroups = ReturnType<typeof finbotAlertGroups>;

/** Metrics ports outside the app tier that Prometheus scrapes. */
export const SCRAPE_PORTS = {
  /** Istio sidecars (Envoy) in the app namespace. */
  envoy: ENVOY_PROMETHEUS_PORT.port,
  /** CloudNativePG instance exporter. */
  postgres: 9187,
  /** redis_exporter sidecar of the OpsTree RedisCluster. */
  redis: 9121,
} as const;
/** Ports of the Kubernetes API server (443 on the Service, 6443 on most control planes). */
export const KUBE_API_PORTS = [443, 6443] as const;

/** cert-manager controller metrics port (model/operators/cert-manager.ts). */
export const CERT_MANAGER_METRICS_PORT = CERT_MANAGER_METRICS_SERVICE.port.port;
/** The kubelet's HTTPS port (cAdvisor metrics at /metrics/cadvisor). */
export const KUBELET_PORT = KUBELET_SERVICE.port.port;
/** Where prometheus-operator keeps the kubelet Service when it runs with `--kubelet-service=kube-system/kubelet`. */
export const KUBELET_SERVICE_NAMESPACE = KUBELET_SERVICE.namespace;

/** Name of the Jaeger v2 collector Deployment and Service; apps export OTLP to it. */
export const TRACE_COLLECTOR_NAME = 'jaeger-collector';
/** Name of the Jaeger v2 query Deployment and Service; Grafana's Jaeger data source calls it. */
export const TRACE_QUERY_NAME = 'jaeger-query';
/** Name of the Elasticsearch cluster that stores traces. */
export const TRACE_STORAGE_NAME = 'finbot-traces';
/** Jaeger's index prefix (indices `jaeger-jaeger-span-<date>`, ...). */
const TRACE_INDEX_PREFIX = 'jaeger';
/** The Secret External Secrets fills with `alertmanager.yaml` and the receivers' credentials. */
export const ALERTMANAGER_CONFIG_SECRET = 'alertmanager-main-config';

/** Props of {@link ObservabilityChart}. */
export interface ObservabilityChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
  /** The application tier: its components get ServiceMonitors and may send traces. */
  readonly apps: AppsChart;
  /**
   * The SecretStore of the monitoring namespace (secrets chart: its own Vault role): Alertmanager's receivers
   * and Jaeger's Elasticsearch users' passwords.
   */
  readonly monitoringStore: VaultSecretStore;
}

/** Prometheus, Alertmanager, ServiceMonitors, rules, Grafana, tracing and their policies. */
export class ObservabilityChart extends Chart {
  readonly prometheus: FinbotPrometheus;
  readonly alertmanager: FinbotAlertmanager;
  /** The ExternalSecret that renders the Alertmanager configuration and fetches the receivers' credentials. */
  readonly alertmanagerConfig: FinbotExternalSecret;
  readonly serviceMonitors: readonly FinbotServiceMonitor[];
  readonly rules: FinbotPrometheusRule;
  readonly kubeStateMetrics: KubeStateMetrics;
  /** cert-manager controller metrics (certificate expiry). */
  readonly certManagerMonitor: ExternalServiceMonitor;
  /** cAdvisor through the kubelet Service prometheus-operator maintains. */
  readonly cadvisorMonitor: ExternalServiceMonitor;
  /** Envoy's own metrics of every sidecar in the app namespace (port `http-envoy-prom`). */
  readonly envoyMonitor: FinbotPodMonitor;
  readonly elasticsearch: FinbotElasticsearch;
  readonly traceCollector: JaegerV2;
  readonly traceQuery: JaegerV2;
  /** Trace retention: deletes indices older than tracing.retentionDays. */
  readonly traceIndexCleaner: JaegerIndexCleaner;
  readonly grafana: FinbotGrafana;
  readonly dashboard: FinbotGrafanaDashboard;

  constructor(scope: Construct, id: string, props: ObservabilityChartProps) {
    super(scope, id);
    const alertGroups = this.alertGroups(props);
    // Alerting first: Prometheus needs the Alertmanager endpoint.
    ({ alertmanager: this.alertmanager, config: this.alertmanagerConfig } = this.addAlertmanager(props, alertGroups));
    this.prometheus = this.addPrometheus(props);
    ({
      serviceMonitors: this.serviceMonitors, kubeStateMetrics: this.kubeStateMetrics, certManagerMonitor: this.certManagerMonitor,
      cadvisorMonitor: this.cadvisorMonitor, envoyMonitor: this.envoyMonitor,
    } = this.addMonitors(props));
    this.rules = this.addRules(props, alertGroups);
    const tracing = this.addTracing(props);
    this.elasticsearch = tracing.elasticsearch;
    this.traceCollector = tracing.collector;
    this.traceQuery = tracing.query;
    this.traceIndexCleaner = tracing.cleaner;
    ({ grafana: this.grafana, dashboard: this.dashboard } = this.addDashboards(props));
    this.metricsNetworkPolicies(props);
    this.addTracingNetworkPolicies(props);
  }

  /** The namespaces whose monitors and rules Prometheus reads: the ones this environment owns. */
  private ownNamespaces(props: ObservabilityChartProps) {
    const { namespaces } = props;
    return {
      matchExpressions: [{
        key: 'kubernetes.io/metadata.name',
        operator: 'In' as const,
        values: [namespaces.monitoring.name, namespaces.app.name, namespaces.database.name, namespaces.cache.name],
      }],
    };
  }

  /**
   * Alertmanager `main` and where its configuration comes from: a SecretStore of the monitoring namespace
   * (its own Vault role) and an ExternalSecret whose template renders `alertmanager.yaml` next to the
   * receivers' credentials, which the configuration reads as mounted files.
   */
  private addAlertmanager(props: ObservabilityChartProps, alertGroups: AlertGroups): { alertmanager: FinbotAlertmanager; config: FinbotExternalSecret } {
    const { settings, namespaces } = props;
    const am = settings.observability.alertmanager;
    // A standby disaster-recovery region: its application alerts go to dr.standby.alertReceivers only.
    const dr = settings.platform.dr;
    const reroute = dr?.role === 'standby' ? { alertnames: alertNamesIn(alertGroups, STANDBY_EXPECTED_GROUPS), receivers: dr.standby.alertReceivers } : undefined;
    const namespace = namespaces.monitoring.name;
    const environment = settings.name;
    const alertmanager = new FinbotAlertmanager(this, 'Alertmanager', {
      namespace, environment, version: am.version, replicas: am.replicas, resources: am.resources, configSecretName: ALERTMANAGER_CONFIG_SECRET,
    });
    const store = props.monitoringStore;
    const receivers: AlertReceiverProps[] = am.receivers.map((r) => ({ ...r, credentialFile: alertmanager.credentialPath(r.credential) }));
    const config = new FinbotExternalSecret(this, 'AlertmanagerConfig', {
      name: ALERTMANAGER_CONFIG_SECRET,
      store,
      targetName: ALERTMANAGER_CONFIG_SECRET,
      environment,
      refreshInterval: settings.secrets.refreshInterval,
      data: am.receivers.map((r) => ({ secretKey: r.credential, remoteKey: am.credentials.vaultKey, property: r.credential })),
      templateData: {
        [ALERTMANAGER_CONFIG_KEY]: alertmanagerConfigurationYaml({
          receivers,
          severityRoutes: am.routes,
          defaultReceiver: am.defaultReceiver,
          heartbeat: { alertname: WATCHDOG_ALERT, receiver: am.heartbeat.receiver, interval: am.heartbeat.interval },
          ...(reroute ? { reroute } : {}),
        }),
      },
    });
    return { alertmanager, config };
  }

  /** Prometheus `finbot-prometheus`: what it selects, where it discovers targets, where it sends alerts. */
  private addPrometheus(props: ObservabilityChartProps): FinbotPrometheus {
    const { settings, namespaces } = props;
    const o = settings.observability;
    const finbotSelector = { matchLabels: { [APP_LABEL]: APP_LABEL_VALUE } };
    // ServiceMonitors and rules are read from the namespaces this environment owns, never cluster-wide.
    const ownNamespaces = this.ownNamespaces(props);
    return new FinbotPrometheus(this, 'Prometheus', {
      name: 'finbot-prometheus',
      namespace: namespaces.monitoring.name,
      environment: settings.name,
      version: o.prometheus.version,
      replicas: o.prometheus.replicas,
      retention: o.prometheus.retention,
      storage: o.prometheus.storage,
      resources: o.prometheus.resources,
      // Where the monitors point: its own namespace, the app, data and cache namespaces, cert-manager's and
      // kube-system (the kubelet Service). Nothing else: no Role there, no discovery.
      scrapeNamespaces: [
        namespaces.monitoring.name, namespaces.app.name, namespaces.database.name, namespaces.cache.name, o.operatorNamespaces.certManager, KUBELET_SERVICE.namespace,
        // The edge: NGINX Gateway Fabric's data plane and its control plane (their PodMonitors point there).
        ...(settings.edge.implementation === 'nginx-gateway-fabric' ? [namespaces.ingress.name, settings.edge.nginxGatewayFabric.controlPlane.namespace] : []),
      ],
      serviceMonitorSelector: finbotSelector,
      serviceMonitorNamespaceSelector: ownNamespaces,
      // The data chart's PodMonitors (Postgres in the database namespace, Redis in the cache namespace) carry
      // app: finbot like every other monitor; CNPG's deprecated self-made PodMonitor is not used.
      podMonitorSelector: finbotSelector,
      podMonitorNamespaceSelector: ownNamespaces,
      // The blackbox Probes of the public hosts (synthetic monitoring).
      probeSelector: finbotSelector,
      probeNamespaceSelector: ownNamespaces,
      ruleSelector: finbotSelector,
      ruleNamespaceSelector: ownNamespaces,
      alertmanagers: [this.alertmanager.endpoint],
    });
  }

  /** What Prometheus scrapes besides the Probes: the apps, kube-state-metrics, cert-manager, cAdvisor, Envoy. */
  private addMonitors(props: ObservabilityChartProps) {
    const { settings, namespaces, apps } = props;
    const o = settings.observability;
    const namespace = namespaces.monitoring.name;
    const environment = settings.name;
    const serviceMonitors = apps.components.map((app) => new FinbotServiceMonitor(this, `ServiceMonitor-${app.name}`, { app, namespace, environment }));

    // Object-state metrics (restarts, HPA replicas, resource limits) for the alerts and the dashboard.
    const kubeStateMetrics = new KubeStateMetrics(this, 'KubeStateMetrics', {
      namespace,
      environment,
      version: o.kubeStateMetrics.version,
      resources: o.kubeStateMetrics.resources,
      scrapers: [{ podLabels: this.prometheus.podLabels }],
    });

    // cert-manager (installed outside this repository): certmanager_certificate_expiration_timestamp_seconds.
    // honorLabels keeps the Certificate's namespace/name instead of cert-manager's own pod labels.
    const certManager = CERT_MANAGER_METRICS_SERVICE;
    const certManagerMonitor = new ExternalServiceMonitor(this, 'CertManagerMonitor', {
      name: 'cert-manager',
      namespace,
      environment,
      targetNamespace: o.operatorNamespaces.certManager,
      selector: { ...certManager.labels },
      endpoints: [{ port: certManager.port.name, path: certManager.path, interval: '60s', scheme: 'http', honorLabels: true }],
      serviceOwner: 'the cert-manager Helm chart',
    });
    // cAdvisor (container_cpu_usage_seconds_total, container_memory_working_set_bytes) from every kubelet.
    // Prometheus authenticates with its ServiceAccount token (ClusterRole: nodes/metrics); kubelet serving
    // certificates are self-signed on most clusters, so the certificate is not verified (as kube-prometheus).
    const cadvisorMonitor = new ExternalServiceMonitor(this, 'CadvisorMonitor', {
      name: 'kubelet-cadvisor',
      namespace,
      environment,
      targetNamespace: KUBELET_SERVICE.namespace,
      selector: { ...KUBELET_SERVICE.labels },
      endpoints: [{
        port: KUBELET_SERVICE.port.name,
        path: '/metrics/cadvisor',
        interval: '30s',
        scheme: 'https',
        honorLabels: true,
        bearerTokenFile: SERVICE_ACCOUNT_TOKEN_FILE,
        tlsConfig: { insecureSkipVerify: true },
      }],
      serviceOwner: 'prometheus-operator --kubelet-service=kube-system/kubelet',
    });
    // Envoy's own metrics (istio_requests_total per destination Service) from every FinBot sidecar; the port
    // is outside traffic capture, so Prometheus (outside the mesh) scrapes it in plain HTTP.
    const envoyMonitor = new FinbotPodMonitor(this, 'EnvoyMonitor', {
      name: 'istio-sidecars', namespace: namespaces.app.name, component: 'monitoring', environment,
      selector: { matchLabels: { [APP_LABEL]: APP_LABEL_VALUE } },
      podMetricsEndpoints: [{ port: ENVOY_PROMETHEUS_PORT.name, path: ENVOY_PROMETHEUS_PORT.path, interval: '30s', scheme: 'http' }],
    });
    return { serviceMonitors, kubeStateMetrics, certManagerMonitor, cadvisorMonitor, envoyMonitor };
  }

  /** The alerting rules (charts/alerts), thresholds from observability.yaml, RPO from data.yaml, probes from gitops.yaml. */
  private addRules(props: ObservabilityChartProps, groups: AlertGroups): FinbotPrometheusRule {
    const { settings, namespaces } = props;
    return new FinbotPrometheusRule(this, 'Rules', {
      name: 'finbot-alerts',
      namespace: namespaces.monitoring.name,
      environment: settings.name,
      runbookBaseUrl: settings.observability.alerts.runbookBaseUrl,
      groups,
    });
  }

  /** The alert rule groups of this environment (charts/alerts). */
  private alertGroups(props: ObservabilityChartProps): AlertGroups {
    const { settings, namespaces, apps } = props;
    const o = settings.observability;
    const backup = settings.data.postgres.backup;
    return finbotAlertGroups(o.alerts, {
      appNamespace: namespaces.app.name,
      databaseNamespace: namespaces.database.name,
      cacheNamespace: namespaces.cache.name,
      monitoringNamespace: namespaces.monitoring.name,
      httpJobs: [apps.api.service.name, apps.web.service.name],
      rpoMinutes: backup.rpoMinutes,
      archiveTimeoutMinutes: backup.archiveTimeoutMinutes,
      probeJob: PROBE_JOB_NAME,
      probeEndpoints: settings.gitops.probes.targets.map((t) => t.name),
      backups: backupJobAlerts(settings),
    });
  }

  /** Grafana with Prometheus and Jaeger data sources, and the overview dashboard. */
  private addDashboards(props: ObservabilityChartProps): { grafana: FinbotGrafana; dashboard: FinbotGrafanaDashboard } {
    const { settings, namespaces, apps } = props;
    const o = settings.observability;
    const environment = settings.name;
    const grafana = new FinbotGrafana(this, 'Grafana', {
      namespace: namespaces.monitoring.name, environment, version: o.grafana.version, resources: o.grafana.resources,
      dataSources: [
        { name: 'prometheus', uid: 'prometheus', type: 'prometheus', url: this.prometheus.url, isDefault: true },
        { name: 'jaeger', uid: 'jaeger', type: 'jaeger', url: this.traceQuery.url },
      ],
    });
    const dashboard = new FinbotGrafanaDashboard(this, 'OverviewDashboard', {
      name: 'finbot-overview',
      environment,
      grafana,
      datasources: [{ inputName: PROMETHEUS_INPUT, datasourceName: 'prometheus' }],
      dashboard: finbotOverviewDashboard({
        environment, appNamespace: namespaces.app.name, databaseNamespace: namespaces.database.name, cacheNamespace: namespaces.cache.name, apiJob: apps.api.service.name, probeJob: PROBE_JOB_NAME,
      }),
    });
    return { grafana, dashboard };
  }

  /** Default deny, DNS, and the paths of Prometheus, Alertmanager and Grafana. */
  private metricsNetworkPolicies(props: ObservabilityChartProps): void {
    const { namespaces, apps } = props;
    const namespace = namespaces.monitoring.name;
    const prometheusPods = { podLabels: this.prometheus.podLabels };
    const alertmanagerPods = { podLabels: this.alertmanager.podLabels };
    new DefaultDenyPolicy(this, 'DefaultDeny', { namespace });
    new AllowPolicy(this, 'Dns', { name: 'allow-dns-egress', namespace, podLabels: {}, egress: [{ peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS }] });

    const appMetricsPorts = [...new Set(apps.components.map((c) => c.metricsPort))].sort((a, b) => a - b);
    const egress: PolicyRule[] = [
      { peers: [{ namespaceLabels: namespaces.app.selectorLabels }], ports: [...appMetricsPorts, SCRAPE_PORTS.envoy].map((port) => ({ port })) },
      { peers: [{ namespaceLabels: namespaces.database.selectorLabels }], ports: [{ port: SCRAPE_PORTS.postgres }] },
      { peers: [{ namespaceLabels: namespaces.cache.selectorLabels }], ports: [{ port: SCRAPE_PORTS.redis }] },
      { peers: [alertmanagerPods], ports: [{ port: FinbotAlertmanager.WEB_PORT }] },
      // cert-manager's controller metrics.
      { peers: [{ namespaceLabels: { 'kubernetes.io/metadata.name': props.settings.observability.operatorNamespaces.certManager } }], ports: [{ port: CERT_MANAGER_METRICS_PORT }] },
      // The API server is not a pod: no selector can name it, so the rule is limited by port only.
      { peers: [], ports: KUBE_API_PORTS.map((port) => ({ port })) },
      // The kubelets (cAdvisor) listen on the node addresses, which no selector names either.
      { peers: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: KUBELET_PORT }] },
    ];
    new AllowPolicy(this, 'PrometheusEgress', { name: 'allow-prometheus-egress', namespace, podLabels: this.prometheus.podLabels, egress });

    new AllowPolicy(this, 'PrometheusIngress', {
      name: 'allow-prometheus-from-grafana',
      namespace,
      podLabels: this.prometheus.podLabels,
      ingress: [{ peers: [{ podLabels: this.grafana.podLabels }], ports: [{ port: this.prometheus.port }] }],
    });

    new AllowPolicy(this, 'AlertmanagerIngress', {
      name: 'allow-alertmanager-from-prometheus',
      namespace,
      podLabels: this.alertmanager.podLabels,
      ingress: [
        { peers: [prometheusPods], ports: [{ port: FinbotAlertmanager.WEB_PORT }] },
        { peers: [alertmanagerPods], ports: [{ port: FinbotAlertmanager.CLUSTER_PORT }, { port: FinbotAlertmanager.CLUSTER_PORT, protocol: 'UDP' }] },
      ],
      egress: [
        { peers: [alertmanagerPods], ports: [{ port: FinbotAlertmanager.CLUSTER_PORT }, { port: FinbotAlertmanager.CLUSTER_PORT, protocol: 'UDP' }] },
        // Receivers (PagerDuty, Slack, e-mail relays) are outside the cluster and only known by port.
        { peers: [], ports: [{ port: 443 }] },
      ],
    });

    const o = props.settings.observability;
    const operatorNamespace = (name: string) => ({ namespaceLabels: { 'kubernetes.io/metadata.name': name } });
    new AllowPolicy(this, 'GrafanaPolicy', {
      name: 'allow-grafana',
      namespace,
      podLabels: this.grafana.podLabels,
      // grafana-operator calls the Grafana API to load dashboards.
      ingress: [{ peers: [operatorNamespace(o.operatorNamespaces.grafana)], ports: [{ port: GRAFANA_PORT }] }],
      egress: [
        { peers: [prometheusPods], ports: [{ port: this.prometheus.port }] },
        { peers: [{ podLabels: this.traceQuery.podLabels }], ports: [{ port: QUERY_PORTS.http }] },
      ],
    });
  }

  /**
   * Tracing: Jaeger v2 collector and query as plain Deployments with health probes,
   * Elasticsearch by ECK with one least-privilege user per Jaeger role, nightly index cleaning for
   * retention, and the disk-usage alerts of the trace volumes.
   */
  private addTracing(props: ObservabilityChartProps) {
    const { settings, namespaces } = props;
    const t = settings.observability.tracing;
    const environment = settings.name;
    const namespace = namespaces.monitoring.name;
    const indices = [jaegerIndexPattern(TRACE_INDEX_PREFIX)];
    // Each Jaeger role logs in with only what it does (Elasticsearch privileges; `monitor` lets the client
    // ping and read the version at start).
    const roles: Record<'writer' | 'reader' | 'cleaner', ElasticsearchRole> = {
      writer: { name: 'jaeger_writer', cluster: ['monitor', 'manage_index_templates'], indices: [{ names: indices, privileges: ['create_index', 'write', 'view_index_metadata'] }] },
      reader: { name: 'jaeger_reader', cluster: ['monitor'], indices: [{ names: indices, privileges: ['read', 'view_index_metadata'] }] },
      cleaner: { name: 'jaeger_cleaner', cluster: ['monitor'], indices: [{ names: indices, privileges: ['view_index_metadata', 'delete_index'] }] },
    };
    const user = (who: keyof typeof roles) => new ElasticsearchUser(this, `TraceStorageUser-${who}`, {
      name: `${TRACE_STORAGE_NAME}-jaeger-${who}`,
      namespace,
      environment,
      username: `jaeger-${who}`,
      role: roles[who],
      secretStoreName: props.monitoringStore.name,
      password: { remoteKey: t.elasticsearch.usersVaultKey, property: `jaeger-${who}` },
      refreshInterval: settings.secrets.refreshInterval,
    });
    const users = { writer: user('writer'), reader: user('reader'), cleaner: user('cleaner') };
    const elasticsearch = new FinbotElasticsearch(this, 'Elasticsearch', {
      name: TRACE_STORAGE_NAME, namespace, environment,
      version: t.elasticsearch.version, nodeCount: t.elasticsearch.nodeCount,
      storageSize: t.elasticsearch.storage.size, storageClassName: t.elasticsearch.storage.storageClassName,
      resources: t.elasticsearch.resources,
      userSecrets: Object.values(users).map((u) => u.secretName),
    });
    const jaeger = { namespace, environment, version: t.jaegerVersion, elasticsearch, indexPrefix: TRACE_INDEX_PREFIX };
    const collector = new JaegerV2(this, 'TraceCollector', { ...jaeger, name: TRACE_COLLECTOR_NAME, role: 'collector', replicas: t.collector.replicas, resources: t.collector.resources, user: users.writer });
    const query = new JaegerV2(this, 'TraceQuery', { ...jaeger, name: TRACE_QUERY_NAME, role: 'query', replicas: t.query.replicas, resources: t.query.resources, user: users.reader });
    const cleaner = new JaegerIndexCleaner(this, 'TraceIndexCleaner', {
      namespace, environment, jaegerVersion: t.jaegerVersion, retentionDays: t.retentionDays, elasticsearch, user: users.cleaner, indexPrefix: TRACE_INDEX_PREFIX,
    });
    if (t.legacyJaegerOperator) {
      new LegacyJaeger(this, 'LegacyJaeger', {
        namespace, environment,
        elasticsearch: { nodeCount: t.elasticsearch.nodeCount, storage: t.elasticsearch.storage },
        collector: t.collector,
        query: t.query,
      });
    }
    // Disk usage of the Elasticsearch volumes: the kubelet's volume statistics, only those series.
    new ExternalServiceMonitor(this, 'KubeletVolumeStatsMonitor', {
      name: 'kubelet-volume-stats',
      namespace,
      environment,
      targetNamespace: KUBELET_SERVICE_NAMESPACE,
      selector: { ...KUBELET_SERVICE.labels },
      endpoints: [{
        port: KUBELET_SERVICE.port.name,
        path: '/metrics',
        interval: '60s',
        scheme: 'https',
        honorLabels: true,
        bearerTokenFile: SERVICE_ACCOUNT_TOKEN_FILE,
        tlsConfig: { insecureSkipVerify: true },
        metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'kubelet_volume_stats_(used|capacity|available)_bytes', action: 'keep' }],
      }],
      serviceOwner: 'prometheus-operator --kubelet-service=kube-system/kubelet',
    });
    new FinbotPrometheusRule(this, 'TracingRules', {
      name: 'finbot-tracing-alerts',
      namespace,
      environment,
      runbookBaseUrl: settings.observability.alerts.runbookBaseUrl,
      groups: tracingAlertGroups({ namespace, claimPattern: esDataClaimPattern(TRACE_STORAGE_NAME), retentionDays: t.retentionDays, cleanerCronJob: cleaner.name }),
    });
    return { elasticsearch, collector, query, cleaner };
  }

  /**
   * NetworkPolicies of tracing: apps → collector (OTLP), collector/query/cleaner → Elasticsearch, Grafana →
   * query, ECK → Elasticsearch, Elasticsearch nodes among themselves. Every selector is a label set the
   * project writes on its own Deployments or one ECK guarantees (model/operators/eck.ts).
   */
  private addTracingNetworkPolicies(props: ObservabilityChartProps): void {
    const { namespaces } = props;
    const o = props.settings.observability;
    const namespace = namespaces.monitoring.name;
    const es = this.elasticsearch;
    const esPods = { podLabels: es.podLabels };
    const operatorNamespace = (name: string) => ({ namespaceLabels: { 'kubernetes.io/metadata.name': name } });
    const toElasticsearch = { peers: [esPods], ports: [{ port: FinbotElasticsearch.HTTP_PORT }] };
    new AllowPolicy(this, 'TraceCollectorPolicy', {
      name: 'allow-trace-collector',
      namespace,
      podLabels: this.traceCollector.podLabels,
      ingress: [{
        peers: [{ namespaceLabels: namespaces.app.selectorLabels, podLabels: { [APP_LABEL]: APP_LABEL_VALUE } }],
        ports: [{ port: OTLP_PORTS.grpc }, { port: OTLP_PORTS.http }],
      }],
      egress: [toElasticsearch],
    });
    new AllowPolicy(this, 'TraceQueryPolicy', {
      name: 'allow-trace-query',
      namespace,
      podLabels: this.traceQuery.podLabels,
      ingress: [{ peers: [{ podLabels: this.grafana.podLabels }], ports: [{ port: QUERY_PORTS.http }] }],
      egress: [toElasticsearch],
    });
    new AllowPolicy(this, 'TraceIndexCleanerPolicy', {
      name: 'allow-trace-index-cleaner',
      namespace,
      podLabels: this.traceIndexCleaner.podLabels,
      egress: [toElasticsearch],
    });
    const esClients = [this.traceCollector, this.traceQuery, this.traceIndexCleaner].map((c) => ({ podLabels: c.podLabels }));
    new AllowPolicy(this, 'ElasticsearchPolicy', {
      name: 'allow-elasticsearch',
      namespace,
      podLabels: es.podLabels,
      ingress: [
        // ECK manages the cluster through its HTTP API.
        { peers: [...esClients, operatorNamespace(o.operatorNamespaces.elastic)], ports: [{ port: FinbotElasticsearch.HTTP_PORT }] },
        { peers: [esPods], ports: [{ port: FinbotElasticsearch.TRANSPORT_PORT }] },
      ],
      egress: [{ peers: [esPods], ports: [{ port: FinbotElasticsearch.TRANSPORT_PORT }] }],
    });

    // The app namespace denies all egress by default: let FinBot pods send traces to the collector.
    new AllowPolicy(this, 'AppsToCollector', {
      name: 'allow-otlp-to-trace-collector',
      namespace: namespaces.app.name,
      podLabels: { [APP_LABEL]: APP_LABEL_VALUE },
      egress: [{
        peers: [{ namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: this.traceCollector.podLabels }],
        ports: [{ port: OTLP_PORTS.grpc }, { port: OTLP_PORTS.http }],
      }],
    });
  }
}
