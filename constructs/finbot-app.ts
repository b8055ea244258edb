/**
 * One FinBot application component: ServiceAccount, Deployment, Service(s), HorizontalPodAutoscaler and
 * PodDisruptionBudget, secure by default (restricted Pod Security Standards).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { AppSettings, AutoscalingSettings, ProbeSettings } from '../config/schema';
import { labels, selectorLabels } from './labels';

/** User and group id every FinBot container runs as (the design document's 1000/1000). */
export const RUN_AS_ID = 1000;
/** Name of the HTTP container/Service port. */
export const HTTP_PORT_NAME = 'http';
/** Name of the Prometheus metrics container/Service port (ServiceMonitors refer to it). */
export const METRICS_PORT_NAME = 'http-metrics';

/** An environment variable read from a key of a Secret. */
export interface SecretEnv {
  /** Variable name, e.g. DATABASE_URL. */
  readonly name: string;
  /** Secret name, e.g. finbot-app-secrets. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Props of {@link FinbotApp}. */
export interface FinbotAppProps {
  /** Object name of the component, e.g. `finbot-api` (Deployment, Service, ServiceAccount, ...). */
  readonly name: string;
  /** Role: `api`, `web` or `worker`. */
  readonly component: string;
  /** Environment name (label `app.kubernetes.io/instance`). */
  readonly environment: string;
  /** Namespace to deploy into. */
  readonly namespace: string;
  /** Validated settings of the component. */
  readonly settings: AppSettings;
  /** Topology keys to spread pods over, in order of importance. @default zone, then hostname */
  readonly spreadTopologyKeys?: readonly string[];
  /** Environment variables from Secrets (never values). @default none */
  readonly secretEnv?: readonly SecretEnv[];
  /** Extra plain environment variables (e.g. endpoints of other components). @default none */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Pod annotations (e.g. Istio settings). @default none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

const ZONE_KEY = 'topology.kubernetes.io/zone';
const HOST_KEY = 'kubernetes.io/hostname';

/**
 * A FinBot component. With `settings.port` it gets a ClusterIP Service named after it; without one (a
 * worker) it gets only a headless `<name>-metrics` Service for scraping.
 */
export class FinbotApp extends Construct {
  /** Object name shared by Deployment, Service and ServiceAccount. */
  readonly name: string;
  /** Namespace of every object. */
  readonly namespace: string;
  /** Labels of the pods (all of them, including the version). */
  readonly podLabels: Record<string, string>;
  /** The stable labels the Deployment, Service, HPA, PDB and policies select on. */
  readonly selector: Record<string, string>;
  /** HTTP port, if the component serves traffic. */
  readonly port?: number;
  /** Prometheus metrics port. */
  readonly metricsPort: number;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly deployment: k8s.KubeDeployment;
  /** The Service scraped by Prometheus and (with a port) called by clients. */
  readonly service: k8s.KubeService;
  readonly hpa?: k8s.KubeHorizontalPodAutoscalerV2;
  readonly pdb?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: FinbotAppProps) {
    super(scope, id);
    const s = props.settings;
    const hpa = s.autoscaling;
    if (hpa && hpa.minReplicas > hpa.maxReplicas) {
      throw new Error(`${props.name}: autoscaling.minReplicas (${hpa.minReplicas}) is above maxReplicas (${hpa.maxReplicas}); lower minReplicas or raise maxReplicas`);
    }
    if (s.port !== undefined && s.port === s.metricsPort) {
      throw new Error(`${props.name}: port and metricsPort are both ${s.port}; give metrics a port of its own`);
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.port = s.port;
    this.metricsPort = s.metricsPort;
    const labelProps = { name: props.name, component: props.component, environment: props.environment };
    const objectLabels = labels(labelProps);
    this.selector = selectorLabels(labelProps);
    this.podLabels = labels({ ...labelProps, version: s.image.tag });
    const metadata = { name: props.name, namespace: props.namespace, labels: objectLabels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata,
      automountServiceAccountToken: false,
    });

    const maxPods = hpa ? hpa.maxReplicas : s.replicas;
    const minPods = hpa ? hpa.minReplicas : s.replicas;
    const spreadKeys = props.spreadTopologyKeys ?? [ZONE_KEY, HOST_KEY];

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { ...metadata, labels: this.podLabels },
      spec: {
        // With an HPA the replica count belongs to it: a value here would fight it on every sync.
        replicas: hpa ? undefined : s.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: {
            labels: this.podLabels,
            ...(props.podAnnotations ? { annotations: { ...props.podAnnotations } } : {}),
          },
          spec: {
            serviceAccountName: props.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 30,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: RUN_AS_ID,
              runAsGroup: RUN_AS_ID,
              fsGroup: RUN_AS_ID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: spreadKeys.map((topologyKey, i) => ({
              maxSkew: 1,
              topologyKey,
              // Zones are a hard requirement (an outage of one must not take all pods); nodes a preference.
              whenUnsatisfiable: i === 0 && maxPods > 1 ? 'DoNotSchedule' : 'ScheduleAnyway',
              labelSelector: { matchLabels: this.selector },
              matchLabelKeys: ['pod-template-hash'],
            })),
            containers: [
              {
                name: props.name,
                image: `${s.image.registry}/${s.image.repository}:${s.image.tag}`,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  ...(s.port !== undefined ? [{ name: HTTP_PORT_NAME, containerPort: s.port, protocol: 'TCP' }] : []),
                  { name: METRICS_PORT_NAME, containerPort: s.metricsPort, protocol: 'TCP' },
                ],
                env: [
                  ...Object.entries({ ...s.env, ...(props.extraEnv ?? {}) })
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([name, value]) => ({ name, value })),
                  ...(props.secretEnv ?? []).map((e) => ({
                    name: e.name,
                    valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } },
                  })),
                ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(s.resources.requests.cpu), memory: k8s.Quantity.fromString(s.resources.requests.memory) },
                  limits: { cpu: k8s.Quantity.fromString(s.resources.limits.cpu), memory: k8s.Quantity.fromString(s.resources.limits.memory) },
                },
                livenessProbe: httpProbe(s.livenessProbe, s.port ?? s.metricsPort),
                readinessProbe: httpProbe(s.readinessProbe, s.port ?? s.metricsPort),
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'cache', mountPath: '/app/cache' },
                ],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              { name: 'cache', emptyDir: {} },
            ],
          },
        },
      },
    });

    const ports: k8s.ServicePort[] = [
      ...(s.port !== undefined ? [{ name: HTTP_PORT_NAME, port: s.port, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP', appProtocol: 'http' }] : []),
      { name: METRICS_PORT_NAME, port: s.metricsPort, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP', appProtocol: 'http' },
    ];
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { ...metadata, name: s.port !== undefined ? props.name : `${props.name}-metrics` },
      spec: {
        type: 'ClusterIP',
        // A worker's Service exists only to be scraped: headless, no virtual IP.
        ...(s.port === undefined ? { clusterIp: 'None' } : {}),
        selector: this.selector,
        ports,
      },
    });

    if (hpa) this.hpa = this.autoscaler(hpa, metadata);
    if (minPods >= 2) {
      this.pdb = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata,
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(s.maxUnavailable),
          selector: { matchLabels: this.selector },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }
  }

  private autoscaler(hpa: AutoscalingSettings, metadata: k8s.ObjectMeta): k8s.KubeHorizontalPodAutoscalerV2 {
    const metric = (name: string, averageUtilization: number): k8s.MetricSpecV2 => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization } },
    });
    return new k8s.KubeHorizontalPodAutoscalerV2(this, 'HorizontalPodAutoscaler', {
      metadata: { ...metadata, name: `${this.name}-hpa` },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        metrics: [
          metric('cpu', hpa.cpuUtilization),
          ...(hpa.memoryUtilization !== undefined ? [metric('memory', hpa.memoryUtilization)] : []),
        ],
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: hpa.scaleDown.stabilizationWindowSeconds,
            policies: [{ type: 'Percent', value: hpa.scaleDown.percentPerMinute, periodSeconds: 60 }],
          },
          scaleUp: {
            stabilizationWindowSeconds: hpa.scaleUp.stabilizationWindowSeconds,
            policies: [{ type: 'Percent', value: hpa.scaleUp.percentPerMinute, periodSeconds: 60 }],
          },
        },
      },
    });
  }
}

function httpProbe(p: ProbeSettings, port: number): k8s.Probe {
  return {
    httpGet: { path: p.path, port: k8s.IntOrString.fromNumber(port) },
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
  };
}
