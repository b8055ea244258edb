/**
 * One FinBot application component: ServiceAccount, Deployment, Service(s), HorizontalPodAutoscaler and
 * PodDisruptionBudget, secure by default (restricted Pod Security Standards); released in place (RollingUpdate)
 * or blue-green ({@link BlueGreenDeployment}).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-27';
import {
  appAutoscaler, appDeployment, appDisruptionBudget, appService, checkWorkloadProps, fixedReplicas,
  type AppPodProps, type AppScalerTarget, type AppScalingProps,
} from './app-workload';
import { BlueGreenDeployment, type BlueGreenRelease, type Colour } from './blue-green-deployment';
import { KubeServiceAccount } from './kube-objects';
import { labels, selectorLabels, type LabelProps } from './labels';

export { HTTP_PORT_NAME, METRICS_PORT_NAME, RUN_AS_ID, type SecretEnv } from './app-workload';

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
  /** With autoscaling (and, for an idle colour, idleReplicas above 0). */
  readonly hpa?: k8s.KubeHorizontalPodAutoscalerV2;
  /** Every colour has one; a single Deployment once it runs 2+ pods. */
  readonly pdb?: k8s.KubePodDisruptionBudget;
}

/** Props of {@link FinbotApp}. */
export interface FinbotAppProps extends AppPodProps, AppScalingProps {
  /** Object name of the component, e.g. `finbot-api` (Deployment, Service, ServiceAccount, container, ...). */
  readonly name: string;
  /** Role: `api`, `web` or `worker` (label `app.kubernetes.io/component`). */
  readonly component: string;
  /** Label `app.kubernetes.io/instance`, e.g. the environment's name. */
  readonly environment: string;
  /** Namespace to deploy into. */
  readonly namespace: string;
  /**
   * Image tag of the one Deployment (a tag may carry a digest: `v4.1.0@sha256:…`). Required without
   * `blueGreen`; with it each colour has its own tag (`blueGreen.tags`).
   * @default - none
   */
  readonly tag?: string;
  /**
   * Release the component blue-green ({@link BlueGreenDeployment}): two colour Deployments, a live and a
   * preview Service. The scaling props are those of the live colour.
   * @default - one Deployment named `name`, updated in place (RollingUpdate)
   */
  readonly blueGreen?: BlueGreenRelease;
}

/**
 * A FinBot component. With `port` it gets a ClusterIP Service named after it; without one (a worker) it gets
 * only a headless `<name>-metrics` Service for scraping. Object order: ServiceAccount, Deployment(s),
 * Service(s), then each Deployment's HPA and PDB.
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
  /** `<name>`, without an API token; every pod of the component (all colours) runs as it. */
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
  /** Blue-green only: the two colours and their Services. */
  readonly blueGreen?: BlueGreenDeployment;
  /** Blue-green only: `<name>-preview`, selecting the idle colour (smoke tests before promotion). */
  readonly previewService?: k8s.KubeService;
  /** Blue-green only: the live colour. */
  readonly activeColour?: Colour;
  /** Blue-green only: the idle colour. */
  readonly idleColour?: Colour;

  constructor(scope: Construct, id: string, props: FinbotAppProps) {
    super(scope, id);
    checkFinbotAppProps(props);
    this.name = props.name;
    this.namespace = props.namespace;
    this.port = props.port;
    this.metricsPort = props.metricsPort;
    const labelProps = componentLabels(props);
    this.selector = selectorLabels(labelProps);
    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, namespace: props.namespace, labels: labels(labelProps) },
      automountServiceAccountToken: false,
    });

    const { service, workloads, blueGreen } = props.blueGreen
      ? this.blueGreenRelease(props, props.blueGreen)
      : this.rollingRelease(props, props.tag!);
    this.service = service;
    this.workloads = workloads;
    this.blueGreen = blueGreen;
    this.previewService = blueGreen?.previewService;
    this.activeColour = blueGreen?.activeColour;
    this.idleColour = blueGreen?.idleColour;
    const live = workloads.find((w) => w.live)!;
    this.deployment = live.deployment;
    this.hpa = live.hpa;
    this.pdb = live.pdb;
    this.podLabels = live.podLabels;
  }

  /** Step (blue-green): both colours and their Services, by {@link BlueGreenDeployment}. */
  private blueGreenRelease(props: FinbotAppProps, release: BlueGreenRelease) {
    const { blueGreen: _release, tag: _tag, ...app } = props;
    const blueGreen = new BlueGreenDeployment(this, 'BlueGreen', { ...app, ...release });
    return { service: blueGreen.service, workloads: blueGreen.workloads, blueGreen };
  }

  /**
   * Step (in place): one Deployment `name`, its Service, an HPA with `autoscaling`, and a PDB wherever there
   * are 2+ replicas (house style: with one pod there is no availability for a budget to keep).
   */
  private rollingRelease(props: FinbotAppProps, tag: string): { service: k8s.KubeService; workloads: Workload[]; blueGreen?: undefined } {
    const hpa = props.autoscaling;
    const selector = this.selector;
    const objectLabels = labels(componentLabels(props));
    // A tag may carry a digest (v4.1.0@sha256:…): the version label takes the tag part.
    const podLabels = labels({ ...componentLabels(props), version: tag.split('@')[0] });
    const replicas = fixedReplicas(props);
    const deployment = appDeployment(this, 'Deployment', {
      name: props.name,
      component: props.name,
      namespace: props.namespace,
      tag,
      selector,
      podLabels,
      replicas: hpa ? undefined : replicas,
      maxPods: hpa ? hpa.maxReplicas : replicas,
      pod: props,
    });
    const service = appService(this, 'Service', { name: props.name, namespace: props.namespace, labels: objectLabels, selector, pod: props });
    const target: AppScalerTarget = { name: props.name, namespace: props.namespace, labels: objectLabels, selector, container: props.name };
    const autoscaler = hpa ? appAutoscaler(this, 'HorizontalPodAutoscaler', target, hpa) : undefined;
    const pdb = (hpa ? hpa.minReplicas : replicas) >= 2 ? appDisruptionBudget(this, 'PodDisruptionBudget', target, props.maxUnavailable ?? 1) : undefined;
    return { service, workloads: [{ live: true, selector, podLabels, deployment, hpa: autoscaler, pdb }] };
  }
}

/** The label props of the component (no colour, no version). */
function componentLabels(props: FinbotAppProps): LabelProps {
  return { name: props.name, component: props.component, environment: props.environment };
}

/** Validates the props; each message names the prop, the value and the fix. */
function checkFinbotAppProps(props: FinbotAppProps): void {
  const owner = `FinbotApp: ${props.name}`;
  checkWorkloadProps(owner, props);
  if (!props.blueGreen && props.tag === undefined) {
    throw new Error(`${owner}: tag is missing; give a tag, or blueGreen.tags for a blue-green release`);
  }
  if (props.blueGreen && props.tag !== undefined) {
    throw new Error(`${owner}: tag (${props.tag}) and blueGreen.tags are both given; each colour has its own tag, remove tag`);
  }
}
