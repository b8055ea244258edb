/**
 * A Prometheus blackbox exporter that probes public HTTPS endpoints from inside the cluster, and the
 * prometheus-operator Probe objects that make Prometheus ask it to (the design document's "Synthetic
 * Monitoring"). The prober can reach only port 443 of public addresses.
 * @see https://github.com/prometheus/blackbox_exporter/blob/master/CONFIGURATION.md
 * @see https://prometheus-operator.dev/docs/developer/blackbox-exporter/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { dump } from 'js-yaml';
import type { IProbe } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe';
import { labels, selectorLabels } from './labels';
import { ModelObject } from './model-object';
import { AllowPolicy, CLUSTER_DNS_PEER, DNS_PORTS, type PolicyPeer, ScraperEgressPolicies } from './network-policy';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeConfigMap, KubeDeployment, KubePodDisruptionBudget, KubeService, KubeServiceAccount } from './kube-objects';

/** Pinned image. */
export const BLACKBOX_EXPORTER_IMAGE = 'docker.io/prom/blackbox-exporter:v0.28.0';
/** HTTP port of /probe, /metrics and /-/healthy. */
export const BLACKBOX_PORT = 9115;
/** The module every Probe uses: HTTPS only, certificate verified, 2xx after redirects. */
export const BLACKBOX_MODULE = 'https_2xx';
/** Private, shared and link-local ranges: the prober has no business there (and 169.254.169.254 is IMDS). */
export const NON_PUBLIC_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] as const;
const NOBODY = 65534;
/** Scrape timeout of a Probe: above the module's 10s so that a slow endpoint reports failure, not a scrape error. */
const PROBE_TIMEOUT_SECONDS = 15;
/** The `job` label of every probe series (the Probe's `spec.jobName`); the probe alerts select on it. */
export const PROBE_JOB_NAME = 'finbot-synthetic';
const CONFIG_DIR = '/etc/blackbox_exporter';

/** Props of {@link BlackboxExporter}. */
export interface BlackboxExporterProps {
  /** Namespace (the monitoring namespace, next to Prometheus). */
  readonly namespace: string;
  /** Environment name (labels). */
  readonly environment: string;
  /** Pods allowed to call /probe and scrape /metrics (Prometheus). */
  readonly scrapers: readonly PolicyPeer[];
  /** @default 'blackbox-exporter' */
  readonly name?: string;
  /** Replicas; a PDB is added from 2 on. @default 2 */
  readonly replicas?: number;
  /** Pinned image. @default {@link BLACKBOX_EXPORTER_IMAGE} */
  readonly image?: string;
  /**
   * Lowest TLS version the probed endpoints must accept and the probe offers: the edge pins TLS 1.3, so a
   * probe that negotiates anything older fails. @default 'TLS13'
   */
  readonly minTlsVersion?: 'TLS12' | 'TLS13';
  /**
   * Response headers each probed answer must carry (name → regular expression), e.g. the edge's HSTS.
   * @default Strict-Transport-Security with a max-age
   */
  readonly requiredHeaders?: Readonly<Record<string, string>>;
}

/** The blackbox exporter: ConfigMap, ServiceAccount, Deployment, Service, PDB and NetworkPolicy. */
export class BlackboxExporter extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** `host:port` of the Service, as a Probe's prober URL. */
  readonly address: string;
  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: BlackboxExporterProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`BlackboxExporter: replicas must be a whole number >= 1, got ${replicas}`);
    if (props.scrapers.length === 0) throw new Error('BlackboxExporter: scrapers is empty; give the Prometheus pods, or nothing can use the prober');
    this.name = props.name ?? 'blackbox-exporter';
    this.namespace = props.namespace;
    this.address = `${this.name}.${this.namespace}.svc:${BLACKBOX_PORT}`;
    const image = props.image ?? BLACKBOX_EXPORTER_IMAGE;
    const labelProps = { name: this.name, component: 'synthetic-monitoring', environment: props.environment };
    const selector = selectorLabels(labelProps);
    const objectLabels = labels(labelProps);
    const podLabels = labels({ ...labelProps, version: image.split(':').pop() });
    const metadata = { name: this.name, namespace: this.namespace, labels: objectLabels };

    const configMap = new KubeConfigMap(this, 'ConfigMap', { metadata, data: { 'config.yml': dump(blackboxConfig(props), { noRefs: true, lineWidth: -1 }) } });
    new KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });

    this.deployment = this.deploy(replicas, image, { ...metadata, labels: podLabels }, selector, configMap);
    this.service = new KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: BLACKBOX_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP', appProtocol: 'http' }],
      },
    });
    if (replicas >= 2) {
      new KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      });
    }
    new AllowPolicy(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podLabels: selector,
      labels: objectLabels,
      ingress: [{ peers: props.scrapers, ports: [{ port: BLACKBOX_PORT }] }],
      egress: [
        { peers: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...NON_PUBLIC_CIDRS] } }], ports: [{ port: 443 }] },
        { peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS },
      ],
    });
    new ScraperEgressPolicies(this, 'ScraperEgress', { name: this.name, namespace: this.namespace, scrapers: props.scrapers, targetPodLabels: selector, port: BLACKBOX_PORT, labels: objectLabels });
  }

  /** Step: the exporter's Deployment, spread over zones, reading its modules from the ConfigMap. */
  private deploy(replicas: number, image: string, metadata: { name: string; namespace: string; labels: Record<string, string> }, selector: Record<string, string>, configMap: KubeConfigMap): KubeDeployment {
    const probe: k8s.Probe = { httpGet: { path: '/-/healthy', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
    return new KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: metadata.labels },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(NOBODY, NOBODY, null),
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }],
            containers: [
              {
                name: 'blackbox-exporter',
                image,
                imagePullPolicy: 'IfNotPresent',
                args: [`--config.file=${CONFIG_DIR}/config.yml`, `--web.listen-address=:${BLACKBOX_PORT}`],
                ports: [{ name: 'http', containerPort: BLACKBOX_PORT, protocol: 'TCP' }],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('25m'), memory: k8s.Quantity.fromString('32Mi') },
                  limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi') },
                },
                livenessProbe: probe,
                readinessProbe: probe,
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: configMap.name } }],
          },
        },
      },
    });
  }
}

/** Step: the exporter's one module: HTTPS only, TLS at least `minTlsVersion`, the required headers present. */
function blackboxConfig(props: BlackboxExporterProps) {
  return {
    modules: {
      [BLACKBOX_MODULE]: {
        prober: 'http',
        timeout: '10s',
        http: {
          preferred_ip_protocol: 'ip4',
          ip_protocol_fallback: true,
          follow_redirects: true,
          fail_if_not_ssl: true,
          tls_config: { insecure_skip_verify: false, min_version: props.minTlsVersion ?? 'TLS13' },
          // The edge's security headers are part of what is monitored: a route that lost them fails the probe.
          fail_if_header_not_matches: Object.entries(props.requiredHeaders ?? { 'Strict-Transport-Security': 'max-age=[1-9][0-9]*' })
            .map(([header, regexp]) => ({ header, regexp, allow_missing: false })),
        },
      },
    },
  };
}

/** One public endpoint. */
export interface HttpsProbeTarget {
  /** Short name; the Probe is `finbot-synthetic-<name>`. */
  readonly name: string;
  /** Public host, e.g. api.finbot.com. */
  readonly host: string;
  /** Path, e.g. /health. */
  readonly path: string;
}

/** Props of {@link HttpsProbe}. */
export interface HttpsProbeProps {
  /** The prober that runs the check. */
  readonly prober: BlackboxExporter;
  readonly target: HttpsProbeTarget;
  /** Environment name (labels, and the `environment` label of the probe's series). */
  readonly environment: string;
  /** Probe interval. @default '60s' */
  readonly interval?: string;
}

/** A prometheus-operator Probe of one public HTTPS endpoint, labelled `app: finbot` for the Prometheus probeSelector. */
export class HttpsProbe extends Construct {
  readonly name: string;
  /** The URL probed. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: HttpsProbeProps) {
    super(scope, id);
    const { target } = props;
    if (!target.path.startsWith('/')) throw new Error(`HttpsProbe ${target.name}: path "${target.path}" must start with "/"`);
    const interval = props.interval ?? '60s';
    const m = /^([0-9]+)(s|m)$/.exec(interval);
    if (!m || Number(m[1]) * (m[2] === 'm' ? 60 : 1) < PROBE_TIMEOUT_SECONDS) {
      throw new Error(`HttpsProbe ${target.name}: interval "${interval}" must be a duration of at least ${PROBE_TIMEOUT_SECONDS}s (the scrape timeout), e.g. 60s`);
    }
    this.name = `finbot-synthetic-${target.name}`;
    this.url = `https://${target.host}${target.path}`;
    new ModelObject<IProbe>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Probe',
      metadata: {
        name: this.name,
        namespace: props.prober.namespace,
        labels: labels({ name: this.name, component: 'synthetic-monitoring', environment: props.environment }),
      },
      spec: {
        jobName: PROBE_JOB_NAME,
        interval,
        scrapeTimeout: `${PROBE_TIMEOUT_SECONDS}s`,
        module: BLACKBOX_MODULE,
        prober: { url: props.prober.address, scheme: 'http', path: '/probe' },
        targets: { staticConfig: { static: [this.url], labels: { environment: props.environment, endpoint: target.name } } },
      },
    });
  }
}
