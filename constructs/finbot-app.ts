/**
 * One FinBot application component: ServiceAccount, Deployment, Service(s), HorizontalPodAutoscaler and
 * PodDisruptionBudget, secure by default (restricted Pod Security Standards).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { AppSettings, AutoscalingSettings, ProbeSettings } from '../config/schema';
import type { Colour } from '../config/sections/release';
import { compareText } from '../model/text-order';
import { labels, selectorLabels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeDeployment, KubeHorizontalPodAutoscalerV2, KubePodDisruptionBudget, KubeService, KubeServiceAccount } from './kube-objects';

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

/** Settings of a component; the image tag may be absent when {@link FinbotAppProps.blueGreen} gives one per colour. */
export type FinbotAppSettings = Omit<AppSettings, 'image'> & {
  readonly image: Omit<AppSettings['image'], 'tag'> & { readonly tag?: string };
};

/**
 * A blue-green release: two Deployments (`<name>-blue`, `<name>-green`), each with its own image tag, HPA and
 * PDB; the Service `<name>` selects the active colour, `<name>-preview` the idle one.
 * @see https://martinfowler.com/bliki/BlueGreenDeployment.html
 */
export interface BlueGreenProps {
  /** The live colour. */
  readonly active: Colour;
  /** Image tag of each colour. */
  readonly tags: Readonly<Record<Colour, string>>;
  /**
   * Pods of the idle colour. With autoscaling its HPA keeps between this many and the component's
   * maxReplicas (it scales up under a canary share); 0 = scaled to zero, no HPA.
   */
  readonly idleReplicas: number;
  /**
   * A blue-green handover in progress: the idle colour keeps at least this many pods (its HPA floor), so that
   * it can take the live colour's traffic at the switch, and the previous colour can take it back after it.
   * @default 0 (no handover: the idle colour runs idleReplicas)
   */
  readonly handoverReplicas?: number;
}

/** The objects of one Deployment of a component (the only one, or one colour of a blue-green pair). */
export interface Workload {
  /** The colour, for a blue-green component. */
  readonly colour?: Colour;
  /** True for the Deployment the component's Service selects. */
  readonly live: boolean;
  /** Labels the Deployment, its HPA/PDB and (for a colour) its Service select on. */
  readonly selector: Record<string, string>;
  /** Labels of the pods (selector plus the version). */
  readonly podLabels: Record<string, string>;
  readonly deployment: k8s.KubeDeployment;
  readonly hpa?: k8s.KubeHorizontalPodAutoscalerV2;
  readonly pdb?: k8s.KubePodDisruptionBudget;
}

/** What one workload should be (internal). */
interface WorkloadPlan {
  readonly colour?: Colour;
  readonly live: boolean;
  readonly tag: string;
  readonly replicas: number;
  readonly autoscaling?: AutoscalingSettings;
  readonly pdb: boolean;
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
  /** Validated settings of the component (for blue-green, those of the live colour). */
  readonly settings: FinbotAppSettings;
  /**
   * Release the component blue-green: two colour Deployments, a live and a preview Service.
   * @default - one Deployment named `name`, updated in place (RollingUpdate)
   */
  readonly blueGreen?: BlueGreenProps;
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
  /** Labels of the live pods (all of them, including the version). */
  readonly podLabels: Record<string, string>;
  /**
   * The stable labels every pod of the component carries (all colours): NetworkPolicies and
   * AuthorizationPolicies select on them. Deployments and Services may add the colour.
   */
  readonly selector: Record<string, string>;
  /** HTTP port, if the component serves traffic. */
  readonly port?: number;
  /** Prometheus metrics port. */
  readonly metricsPort: number;
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The live Deployment (for blue-green, the active colour's). */
  readonly deployment: k8s.KubeDeployment;
  /** The Service scraped by Prometheus and (with a port) called by clients; selects the live pods. */
  readonly service: k8s.KubeService;
  /** HPA of the live Deployment. */
  readonly hpa?: k8s.KubeHorizontalPodAutoscalerV2;
  /** PDB of the live Deployment. */
  readonly pdb?: k8s.KubePodDisruptionBudget;
  /**
   * Every Deployment: one, or both colours in colour order (blue, green) whichever is live, so that a promotion
   * changes values in the output, never its order.
   */
  readonly workloads: readonly Workload[];
  /** Blue-green only: `<name>-preview`, selecting the idle colour (smoke tests before promotion). */
  readonly previewService?: k8s.KubeService;
  /** Blue-green only: the live and the idle colour. */
  readonly activeColour?: Colour;
  readonly idleColour?: Colour;

  constructor(scope: Construct, id: string, props: FinbotAppProps) {
    super(scope, id);
    const s = props.settings;
    const hpa = s.autoscaling;
    const bg = props.blueGreen;
    if (hpa && hpa.minReplicas > hpa.maxReplicas) {
      throw new Error(`${props.name}: autoscaling.minReplicas (${hpa.minReplicas}) is above maxReplicas (${hpa.maxReplicas}); lower minReplicas or raise maxReplicas`);
    }
    if (s.port !== undefined && s.port === s.metricsPort) {
      throw new Error(`${props.name}: port and metricsPort are both ${s.port}; give metrics a port of its own`);
    }
    if (!bg && s.image.tag === undefined) {
      throw new Error(`${props.name}: settings.image.tag is missing; give a tag, or blueGreen.tags for a blue-green release`);
    }
    if (bg && s.image.tag !== undefined) {
      throw new Error(`${props.name}: settings.image.tag (${s.image.tag}) and blueGreen.tags are both given; each colour has its own tag, remove settings.image.tag`);
    }
    if (bg && (!Number.isInteger(bg.idleReplicas) || bg.idleReplicas < 0)) {
      throw new Error(`${props.name}: blueGreen.idleReplicas must be a whole number >= 0, got ${bg.idleReplicas}`);
    }
    if (bg && hpa && (bg.handoverReplicas ?? 0) > hpa.maxReplicas) {
      throw new Error(`${props.name}: blueGreen.handoverReplicas (${bg.handoverReplicas}) is above autoscaling.maxReplicas (${hpa.maxReplicas}); the colour could never run that many`);
    }
    if (bg && hpa && bg.idleReplicas > hpa.maxReplicas) {
      throw new Error(`${props.name}: blueGreen.idleReplicas (${bg.idleReplicas}) is above autoscaling.maxReplicas (${hpa.maxReplicas}); lower idleReplicas`);
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.port = s.port;
    this.metricsPort = s.metricsPort;
    const labelProps = { name: props.name, component: props.component, environment: props.environment };
    const objectLabels = labels(labelProps);
    this.selector = selectorLabels(labelProps);
    const metadata = { name: props.name, namespace: props.namespace, labels: objectLabels };

    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata,
      automountServiceAccountToken: false,
    });

    const idle: Colour | undefined = bg ? (bg.active === 'blue' ? 'green' : 'blue') : undefined;
    const idleFloor = bg ? Math.max(bg.idleReplicas, bg.handoverReplicas ?? 0) : 0;
    // Blue-green: every colour gets a PDB (even the idle one with 1 pod: maxUnavailable still lets drains through).
    const plans: WorkloadPlan[] = bg && idle
      ? [
        { colour: bg.active, live: true, tag: bg.tags[bg.active], replicas: s.replicas, autoscaling: hpa, pdb: true },
        {
          colour: idle,
          live: false,
          tag: bg.tags[idle],
          replicas: idleFloor,
          // The idle colour keeps idleReplicas pods (more during a handover) and may grow to the same maximum
          // under a canary share.
          autoscaling: hpa && idleFloor > 0 ? { ...hpa, minReplicas: idleFloor } : undefined,
          pdb: true,
        },
      ]
      : [{ live: true, tag: s.image.tag!, replicas: s.replicas, autoscaling: hpa, pdb: (hpa ? hpa.minReplicas : s.replicas) >= 2 }];
    plans.sort((a, b) => compareText(a.colour ?? '', b.colour ?? ''));
    this.activeColour = bg?.active;
    this.idleColour = idle;
    // Objects are created in the order Deployments, Services, HPAs, PDBs (stable output order).
    const deployed = plans.map((plan) => ({ plan, ...this.deploy(props, plan) }));
    const liveDeployed = deployed.find((d) => d.plan.live)!;
    const ports: k8s.ServicePort[] = [
      ...(s.port !== undefined ? [{ name: HTTP_PORT_NAME, port: s.port, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP', appProtocol: 'http' }] : []),
      { name: METRICS_PORT_NAME, port: s.metricsPort, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP', appProtocol: 'http' },
    ];
    this.service = new KubeService(this, 'Service', {
      metadata: { ...metadata, name: s.port !== undefined ? props.name : `${props.name}-metrics` },
      spec: {
        type: 'ClusterIP',
        // A worker's Service exists only to be scraped: headless, no virtual IP.
        ...(s.port === undefined ? { clusterIp: 'None' } : {}),
        selector: liveDeployed.selector,
        ports,
      },
    });
    if (bg) {
      this.previewService = new KubeService(this, 'PreviewService', {
        metadata: { ...metadata, name: `${props.name}-preview` },
        spec: { type: 'ClusterIP', selector: deployed.find((d) => !d.plan.live)!.selector, ports },
      });
    }
    this.workloads = deployed.map(({ plan, ...d }) => ({ ...d, ...this.scale(props, plan, d.selector, d.deployment.name) }));
    const live = this.workloads.find((w) => w.live)!;
    this.deployment = live.deployment;
    this.hpa = live.hpa;
    this.pdb = live.pdb;
    this.podLabels = live.podLabels;
  }

  /** The Deployment of one workload (the only one, or one colour). */
  private deploy(props: FinbotAppProps, w: WorkloadPlan): Omit<Workload, 'hpa' | 'pdb'> {
    const s = props.settings;
    const hpa = w.autoscaling;
    const idSuffix = w.colour !== undefined ? `-${w.colour}` : '';
    const name = `${props.name}${idSuffix}`;
    const labelProps = { name: props.name, component: props.component, environment: props.environment, colour: w.colour };
    const selector = selectorLabels(labelProps);
    const podLabels = labels({ ...labelProps, version: w.tag });
    const metadata = { name, namespace: props.namespace, labels: labels(labelProps) };
    const maxPods = hpa ? hpa.maxReplicas : w.replicas;
    const spreadKeys = props.spreadTopologyKeys ?? [ZONE_KEY, HOST_KEY];

    const deployment = new KubeDeployment(this, `Deployment${idSuffix}`, {
      metadata: { ...metadata, labels: podLabels },
      spec: {
        // With an HPA the replica count belongs to it: a value here would fight it on every sync.
        replicas: hpa ? undefined : w.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: {
            labels: podLabels,
            ...(props.podAnnotations ? { annotations: { ...props.podAnnotations } } : {}),
          },
          spec: {
            serviceAccountName: props.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 30,
            securityContext: restrictedPodSecurityContext(RUN_AS_ID),
            topologySpreadConstraints: spreadKeys.map((topologyKey, i) => ({
              maxSkew: 1,
              topologyKey,
              // Zones are a hard requirement (an outage of one must not take all pods); nodes a preference.
              whenUnsatisfiable: i === 0 && maxPods > 1 ? 'DoNotSchedule' : 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
              matchLabelKeys: ['pod-template-hash'],
            })),
            containers: [
              {
                // The container keeps the component's name in both colours (`kubectl set image ... finbot-api=`).
                name: props.name,
                image: `${s.image.registry}/${s.image.repository}:${w.tag}`,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  ...(s.port !== undefined ? [{ name: HTTP_PORT_NAME, containerPort: s.port, protocol: 'TCP' }] : []),
                  { name: METRICS_PORT_NAME, containerPort: s.metricsPort, protocol: 'TCP' },
                ],
                env: [
                  ...Object.entries({ ...s.env, ...(props.extraEnv ?? {}) })
                    .sort(([a], [b]) => compareText(a, b))
                    .map(([envName, value]) => ({ name: envName, value })),
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
                securityContext: restrictedContainerSecurityContext(),
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

    return { colour: w.colour, live: w.live, selector, podLabels, deployment };
  }

  /** HPA and PDB of one workload. */
  private scale(props: FinbotAppProps, w: WorkloadPlan, selector: Record<string, string>, name: string): Pick<Workload, 'hpa' | 'pdb'> {
    const idSuffix = w.colour !== undefined ? `-${w.colour}` : '';
    const metadata = { name, namespace: props.namespace, labels: labels({ name: props.name, component: props.component, environment: props.environment, colour: w.colour }) };
    const hpa = w.autoscaling ? this.autoscaler(w.autoscaling, metadata, name, idSuffix, props.name) : undefined;
    const pdb = w.pdb
      ? new KubePodDisruptionBudget(this, `PodDisruptionBudget${idSuffix}`, {
        metadata,
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(props.settings.maxUnavailable),
          selector: { matchLabels: selector },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      })
      : undefined;
    return { hpa, pdb };
  }

  private autoscaler(hpa: AutoscalingSettings, metadata: k8s.ObjectMeta, target: string, idSuffix: string, container: string): k8s.KubeHorizontalPodAutoscalerV2 {
    // ContainerResource, not Resource: with an Istio sidecar a Resource target averages the app and istio-proxy
    // containers of each pod, so "70 % CPU" would not mean the app's 70 %. ContainerResource is GA since
    // Kubernetes 1.30 (HPAContainerMetrics) and on by default since 1.27.
    // @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#container-resource-metrics
    const metric = (name: string, averageUtilization: number): k8s.MetricSpecV2 => ({
      type: 'ContainerResource',
      containerResource: { name, container, target: { type: 'Utilization', averageUtilization } },
    });
    return new KubeHorizontalPodAutoscalerV2(this, `HorizontalPodAutoscaler${idSuffix}`, {
      metadata: { ...metadata, name: `${target}-hpa` },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
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
