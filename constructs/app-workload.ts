/**
 * The steps that make one FinBot workload, shared by {@link FinbotApp} (one Deployment, updated in place) and
 * {@link BlueGreenDeployment} (one Deployment per colour): the pod template, the Deployment, the Services, the
 * HorizontalPodAutoscaler and the PodDisruptionBudget, each from flat props. Secure by default (restricted Pod
 * Security Standard).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { compareText } from '../model/text-order';
import type { ContainerResources } from './container-resources';
import { KubeDeployment, KubeHorizontalPodAutoscalerV2, KubePodDisruptionBudget, KubeService } from './kube-objects';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';

/** User and group id every FinBot container runs as (the design document's 1000/1000). */
export const RUN_AS_ID = 1000;
/** Name of the HTTP container/Service port. */
export const HTTP_PORT_NAME = 'http';
/** Name of the Prometheus metrics container/Service port (ServiceMonitors refer to it). */
export const METRICS_PORT_NAME = 'http-metrics';

const ZONE_KEY = 'topology.kubernetes.io/zone';
const HOST_KEY = 'kubernetes.io/hostname';

/** An environment variable read from a key of a Secret. */
export interface SecretEnv {
  /** Variable name, e.g. DATABASE_URL. */
  readonly name: string;
  /** Secret name, e.g. finbot-app-secrets. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/**
 * An HTTP GET probe on the container's HTTP port (its metrics port when it serves no HTTP).
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export interface HttpProbe {
  /** Path requested, e.g. `/health`. */
  readonly path: string;
  /** Seconds after the container starts before the first probe. */
  readonly initialDelaySeconds: number;
  /** Seconds between probes. */
  readonly periodSeconds: number;
  /** Seconds before a probe times out. @default 1 */
  readonly timeoutSeconds?: number;
  /** Failed probes in a row that count as a failure. @default 3 */
  readonly failureThreshold?: number;
}

/** A scaling policy of an HPA: the window and the share of pods that may change per minute. */
export interface ScalingPolicy {
  /** Seconds of recommendations the HPA looks back over before it acts. */
  readonly stabilizationWindowSeconds: number;
  /** Percent of the current pods that may be added or removed per minute. */
  readonly percentPerMinute: number;
}

/**
 * HorizontalPodAutoscaler (autoscaling/v2) bounds and targets.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface AutoscalingProps {
  /** Fewest pods. */
  readonly minReplicas: number;
  /** Most pods. */
  readonly maxReplicas: number;
  /** Target CPU utilization of the app container, percent of its request. */
  readonly cpuUtilization: number;
  /** Target memory utilization of the app container, percent of its request. @default - CPU only */
  readonly memoryUtilization?: number;
  /** How fast the HPA removes pods. */
  readonly scaleDown: ScalingPolicy;
  /** How fast the HPA adds pods. */
  readonly scaleUp: ScalingPolicy;
}

/** What every pod of a workload runs: one container, the same in every colour except its image tag. */
export interface AppPodProps {
  /** Image without its tag, e.g. `docker.io/finbot/api`. */
  readonly image: string;
  /** Port the container serves HTTP on. @default - none: a worker, scraped only (headless `<name>-metrics` Service) */
  readonly port?: number;
  /** Port serving Prometheus /metrics (and, without `port`, the probes). */
  readonly metricsPort: number;
  /** Requests and limits of the container. */
  readonly resources: ContainerResources;
  /** Liveness probe. */
  readonly livenessProbe: HttpProbe;
  /** Readiness probe. */
  readonly readinessProbe: HttpProbe;
  /** Plain environment variables (never secrets); rendered sorted by name. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables from Secrets (never values), after the plain ones. @default none */
  readonly secretEnv?: readonly SecretEnv[];
  /** Pod annotations (e.g. Istio settings). @default none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Topology keys to spread pods over, in order of importance. @default zone, then hostname */
  readonly spreadTopologyKeys?: readonly string[];
}

/** How many pods a workload runs and how many may be disrupted. */
export interface AppScalingProps {
  /**
   * Pods without `autoscaling` (with it the HPA owns the count and the Deployment leaves `replicas` out).
   * @default - autoscaling.minReplicas, else 1
   */
  readonly replicas?: number;
  /** An HPA on CPU (and memory) of the app container. @default - none: a fixed `replicas` */
  readonly autoscaling?: AutoscalingProps;
  /** PodDisruptionBudget: at most this many pods unavailable during voluntary disruptions. @default 1 */
  readonly maxUnavailable?: number;
}

/**
 * Checks the props every workload shares; the message names the prop, the value and the fix.
 * @param owner construct and object name for the message, e.g. `FinbotApp: finbot-api`
 */
export function checkWorkloadProps(owner: string, props: AppPodProps & AppScalingProps): void {
  const hpa = props.autoscaling;
  if (hpa && hpa.minReplicas > hpa.maxReplicas) {
    throw new Error(`${owner}: autoscaling.minReplicas (${hpa.minReplicas}) is above maxReplicas (${hpa.maxReplicas}); lower minReplicas or raise maxReplicas`);
  }
  if (props.port !== undefined && props.port === props.metricsPort) {
    throw new Error(`${owner}: port and metricsPort are both ${props.port}; give metrics a port of its own`);
  }
}

/** Pods of a Deployment without an HPA (with one the count is unused: the HPA owns it). */
export function fixedReplicas(props: AppScalingProps): number {
  return props.replicas ?? props.autoscaling?.minReplicas ?? 1;
}

/** One Deployment of a workload (the only one, or one colour). */
export interface AppDeploymentProps {
  /** Object name of the Deployment. */
  readonly name: string;
  /** Container name and ServiceAccount of the pods: the component's name (the same in every colour). */
  readonly component: string;
  /** Namespace of the Deployment. */
  readonly namespace: string;
  /** Image tag; a tag may carry a digest (`v4.1.0@sha256:…`). */
  readonly tag: string;
  /** Labels the Deployment selects its pods by (and the spread constraints count). */
  readonly selector: Record<string, string>;
  /** Labels of the Deployment and its pods (selector plus the version). */
  readonly podLabels: Record<string, string>;
  /** Pods, or `undefined` when an HPA owns the count. */
  readonly replicas?: number;
  /** The most pods the Deployment may run (one pod cannot be spread over zones). */
  readonly maxPods: number;
  /** What the pods run. */
  readonly pod: AppPodProps;
}

/** Step: the Deployment of one workload, updated by RollingUpdate without ever going below its pod count. */
export function appDeployment(scope: Construct, id: string, d: AppDeploymentProps): k8s.KubeDeployment {
  return new KubeDeployment(scope, id, {
    metadata: { name: d.name, namespace: d.namespace, labels: d.podLabels },
    spec: {
      // With an HPA the replica count belongs to it: a value here would fight it on every sync.
      replicas: d.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: d.selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
      template: appPodTemplate(d),
    },
  });
}

/** Step: the pod template of one workload. */
function appPodTemplate(d: AppDeploymentProps): k8s.PodTemplateSpec {
  const p = d.pod;
  const spreadKeys = p.spreadTopologyKeys ?? [ZONE_KEY, HOST_KEY];
  return {
    metadata: {
      labels: d.podLabels,
      ...(p.podAnnotations ? { annotations: { ...p.podAnnotations } } : {}),
    },
    spec: {
      serviceAccountName: d.component,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      securityContext: restrictedPodSecurityContext(RUN_AS_ID),
      topologySpreadConstraints: spreadKeys.map((topologyKey, i) => ({
        maxSkew: 1,
        topologyKey,
        // Zones are a hard requirement (an outage of one must not take all pods); nodes a preference.
        whenUnsatisfiable: i === 0 && d.maxPods > 1 ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: d.selector },
        matchLabelKeys: ['pod-template-hash'],
      })),
      containers: [appContainer(d)],
      volumes: [
        { name: 'tmp', emptyDir: {} },
        { name: 'cache', emptyDir: {} },
      ],
    },
  };
}

/** Step: the app container; its name is the component's in every colour (`kubectl set image ... finbot-api=`). */
function appContainer(d: AppDeploymentProps): k8s.Container {
  const p = d.pod;
  const r = p.resources;
  return {
    name: d.component,
    image: `${p.image}:${d.tag}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [
      ...(p.port !== undefined ? [{ name: HTTP_PORT_NAME, containerPort: p.port, protocol: 'TCP' }] : []),
      { name: METRICS_PORT_NAME, containerPort: p.metricsPort, protocol: 'TCP' },
    ],
    env: [
      ...Object.entries(p.env ?? {})
        .sort(([a], [b]) => compareText(a, b))
        .map(([name, value]) => ({ name, value })),
      ...(p.secretEnv ?? []).map((e) => ({
        name: e.name,
        valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } },
      })),
    ],
    resources: {
      requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
      limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
    },
    livenessProbe: httpProbe(p.livenessProbe, p.port ?? p.metricsPort),
    readinessProbe: httpProbe(p.readinessProbe, p.port ?? p.metricsPort),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'cache', mountPath: '/app/cache' },
    ],
  };
}

function httpProbe(p: HttpProbe, port: number): k8s.Probe {
  return {
    httpGet: { path: p.path, port: k8s.IntOrString.fromNumber(port) },
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds ?? 1,
    failureThreshold: p.failureThreshold ?? 3,
  };
}

/** The Service ports of a workload: HTTP (if it serves it) and metrics, both by container port name. */
export function appServicePorts(pod: Pick<AppPodProps, 'port' | 'metricsPort'>): k8s.ServicePort[] {
  return [
    ...(pod.port !== undefined ? [{ name: HTTP_PORT_NAME, port: pod.port, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP', appProtocol: 'http' }] : []),
    { name: METRICS_PORT_NAME, port: pod.metricsPort, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP', appProtocol: 'http' },
  ];
}

/**
 * Step: the component's Service, scraped by Prometheus and (with a port) called by clients. With `pod.port` it
 * is the ClusterIP Service `name`; without one (a worker) the headless `<name>-metrics`, only for scraping.
 */
export function appService(scope: Construct, id: string, s: {
  readonly name: string; readonly namespace: string; readonly labels: Record<string, string>;
  readonly selector: Record<string, string>; readonly pod: Pick<AppPodProps, 'port' | 'metricsPort'>;
}): k8s.KubeService {
  const serves = s.pod.port !== undefined;
  return new KubeService(scope, id, {
    metadata: { name: serves ? s.name : `${s.name}-metrics`, namespace: s.namespace, labels: s.labels },
    spec: {
      type: 'ClusterIP',
      // A worker's Service exists only to be scraped: headless, no virtual IP.
      ...(serves ? {} : { clusterIp: 'None' }),
      selector: s.selector,
      ports: appServicePorts(s.pod),
    },
  });
}

/** Where an HPA or PDB of a workload goes and what it selects. */
export interface AppScalerTarget {
  /** Object name of the Deployment (the PDB's name; the HPA is `<name>-hpa`). */
  readonly name: string;
  /** Namespace of the Deployment, HPA and PDB. */
  readonly namespace: string;
  /** Labels of the HPA and PDB. */
  readonly labels: Record<string, string>;
  /** Labels of the Deployment's pods the PDB selects. */
  readonly selector: Record<string, string>;
  /** The app container, whose CPU and memory the HPA measures. */
  readonly container: string;
}

/** Step: the HPA `<name>-hpa` of a Deployment. */
export function appAutoscaler(scope: Construct, id: string, t: AppScalerTarget, hpa: AutoscalingProps): k8s.KubeHorizontalPodAutoscalerV2 {
  // ContainerResource, not Resource: with an Istio sidecar a Resource target averages the app and istio-proxy
  // containers of each pod, so "70 % CPU" would not mean the app's 70 %. ContainerResource is GA since
  // Kubernetes 1.30 (HPAContainerMetrics) and on by default since 1.27.
  // @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#container-resource-metrics
  const metric = (name: string, averageUtilization: number): k8s.MetricSpecV2 => ({
    type: 'ContainerResource',
    containerResource: { name, container: t.container, target: { type: 'Utilization', averageUtilization } },
  });
  return new KubeHorizontalPodAutoscalerV2(scope, id, {
    metadata: { name: `${t.name}-hpa`, namespace: t.namespace, labels: t.labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: t.name },
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

/** Step: the PDB of a Deployment; unhealthy pods may always be evicted, so a broken rollout never blocks a drain. */
export function appDisruptionBudget(scope: Construct, id: string, t: AppScalerTarget, maxUnavailable: number): k8s.KubePodDisruptionBudget {
  return new KubePodDisruptionBudget(scope, id, {
    metadata: { name: t.name, namespace: t.namespace, labels: t.labels },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable),
      selector: { matchLabels: t.selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
