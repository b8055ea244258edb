/**
 * A blue-green release of one component in GitOps form: both colours are always rendered, a prop names the live
 * one. Two Deployments (`<name>-blue`, `<name>-green`), each with its own image tag, HPA and PDB; the Service
 * `<name>` selects the live colour, `<name>-preview` the idle one. A promotion changes values in the output,
 * never its order (objects come in colour order whichever colour is live).
 * @see https://martinfowler.com/bliki/BlueGreenDeployment.html
 */
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-27';
import {
  appAutoscaler, appDeployment, appDisruptionBudget, appService, appServicePorts, checkWorkloadProps, fixedReplicas,
  type AppPodProps, type AppScalerTarget, type AppScalingProps, type AutoscalingProps,
} from './app-workload';
import { KubeService } from './kube-objects';
import { labels, selectorLabels, type LabelProps } from './labels';

/** A blue-green colour. */
export type Colour = 'blue' | 'green';
/** The colours, in the order their objects are rendered. */
export const COLOURS: readonly Colour[] = ['blue', 'green'];

/** The other colour: the idle one when `c` is live. */
export function otherColour(c: Colour): Colour {
  return c === 'blue' ? 'green' : 'blue';
}

/** Which colour is live, what each runs, and how many pods the idle one keeps. */
export interface BlueGreenRelease {
  /** The live colour: the Service `<name>` selects its pods. */
  readonly activeColour: Colour;
  /** Image tag of each colour (a tag may carry a digest: `v4.1.0@sha256:…`). */
  readonly tags: Readonly<Record<Colour, string>>;
  /**
   * Pods of the idle colour (serving `<name>-preview` and any canary share). With `autoscaling` its HPA keeps
   * between this many and `autoscaling.maxReplicas` (it scales up under a canary share); 0 = scaled to zero, no
   * HPA.
   * @default 0
   */
  readonly idleReplicas?: number;
  /**
   * A blue-green handover in progress: the idle colour keeps at least this many pods (its HPA floor), so that
   * it can take the live colour's traffic at the switch, and the previous colour can take it back after it.
   * @default 0 (no handover: the idle colour runs idleReplicas)
   */
  readonly handoverReplicas?: number;
}

/** Props of {@link BlueGreenDeployment}. */
export interface BlueGreenDeploymentProps extends BlueGreenRelease, AppPodProps, AppScalingProps {
  /**
   * Name of the component: Deployments `<name>-<colour>`, HPAs `<name>-<colour>-hpa`, PDBs `<name>-<colour>`,
   * Services `<name>` and `<name>-preview`; also the container name and the pods' ServiceAccount (which the
   * caller creates).
   */
  readonly name: string;
  /** Role of the component, e.g. `api` (label `app.kubernetes.io/component`). */
  readonly component: string;
  /** Label `app.kubernetes.io/instance`, e.g. the environment's name. */
  readonly environment: string;
  /** Namespace of every object. */
  readonly namespace: string;
}

/** The objects of one colour. */
export interface ColourWorkload {
  readonly colour: Colour;
  /** True for the colour the Service `<name>` selects. */
  readonly live: boolean;
  /** Labels the colour's Deployment, HPA/PDB and Service select on (the stable labels plus the colour). */
  readonly selector: Record<string, string>;
  /** Labels of the colour's pods (selector plus the version). */
  readonly podLabels: Record<string, string>;
  /** `<name>-<colour>`. */
  readonly deployment: k8s.KubeDeployment;
  /** `<name>-<colour>-hpa`; absent for an idle colour scaled to zero, and without `autoscaling`. */
  readonly hpa?: k8s.KubeHorizontalPodAutoscalerV2;
  /** `<name>-<colour>`: every colour has one (even an idle colour with 1 pod: maxUnavailable still lets drains through). */
  readonly pdb: k8s.KubePodDisruptionBudget;
}

/** What one colour should be (the plan step's output). */
interface ColourPlan {
  readonly colour: Colour;
  readonly live: boolean;
  readonly tag: string;
  readonly replicas: number;
  readonly autoscaling?: AutoscalingProps;
}

/**
 * Two colour Deployments of one component with their HPAs and PDBs, the live Service and the preview Service.
 * Objects are created in the order Deployments, Services, then each colour's HPA and PDB.
 */
export class BlueGreenDeployment extends Construct {
  /** Name of the component. */
  readonly name: string;
  /** Namespace of every object. */
  readonly namespace: string;
  /** The live colour. */
  readonly activeColour: Colour;
  /** The idle colour. */
  readonly idleColour: Colour;
  /** Both colours in colour order (blue, green), whichever is live. */
  readonly workloads: readonly ColourWorkload[];
  /** The live colour's objects. */
  readonly live: ColourWorkload;
  /** The idle colour's objects. */
  readonly idle: ColourWorkload;
  /** `<name>` (or, without a port, the headless `<name>-metrics`): selects the live colour. */
  readonly service: k8s.KubeService;
  /** `<name>-preview`: selects the idle colour (smoke tests before promotion). */
  readonly previewService: k8s.KubeService;

  constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id);
    checkBlueGreenProps(props);
    this.name = props.name;
    this.namespace = props.namespace;
    this.activeColour = props.activeColour;
    this.idleColour = otherColour(props.activeColour);

    const plans = planColours(props);
    const deployed = plans.map((plan) => this.deploy(props, plan));
    const liveSelector = deployed.find((d) => d.live)!.selector;
    const idleSelector = deployed.find((d) => !d.live)!.selector;
    this.service = this.liveService(props, liveSelector);
    this.previewService = this.preview(props, idleSelector);
    this.workloads = deployed.map((d, i) => ({ ...d, ...this.scale(props, plans[i], d) }));
    this.live = this.workloads.find((w) => w.live)!;
    this.idle = this.workloads.find((w) => !w.live)!;
  }

  /** The label props of the component, optionally of one colour. */
  private labelProps(props: BlueGreenDeploymentProps, colour?: Colour): LabelProps {
    return { name: props.name, component: props.component, environment: props.environment, colour };
  }

  /** Step: the Deployment `<name>-<colour>`. */
  private deploy(props: BlueGreenDeploymentProps, plan: ColourPlan): Omit<ColourWorkload, 'hpa' | 'pdb'> {
    const labelProps = this.labelProps(props, plan.colour);
    const selector = selectorLabels(labelProps);
    // A tag may carry a digest (v4.1.0@sha256:…): the version label takes the tag part.
    const podLabels = labels({ ...labelProps, version: plan.tag.split('@')[0] });
    const deployment = appDeployment(this, `Deployment-${plan.colour}`, {
      name: `${props.name}-${plan.colour}`,
      component: props.name,
      namespace: props.namespace,
      tag: plan.tag,
      selector,
      podLabels,
      replicas: plan.autoscaling ? undefined : plan.replicas,
      maxPods: plan.autoscaling ? plan.autoscaling.maxReplicas : plan.replicas,
      pod: props,
    });
    return { colour: plan.colour, live: plan.live, selector, podLabels, deployment };
  }

  /** Step: the Service `<name>` on the live colour. */
  private liveService(props: BlueGreenDeploymentProps, selector: Record<string, string>): k8s.KubeService {
    return appService(this, 'Service', { name: props.name, namespace: props.namespace, labels: labels(this.labelProps(props)), selector, pod: props });
  }

  /** Step: the Service `<name>-preview` on the idle colour (same ports, never headless). */
  private preview(props: BlueGreenDeploymentProps, selector: Record<string, string>): k8s.KubeService {
    return new KubeService(this, 'PreviewService', {
      metadata: { name: `${props.name}-preview`, namespace: props.namespace, labels: labels(this.labelProps(props)) },
      spec: { type: 'ClusterIP', selector, ports: appServicePorts(props) },
    });
  }

  /** Step: the HPA (unless the colour has none) and the PDB of one colour. */
  private scale(props: BlueGreenDeploymentProps, plan: ColourPlan, d: Omit<ColourWorkload, 'hpa' | 'pdb'>): Pick<ColourWorkload, 'hpa' | 'pdb'> {
    const target: AppScalerTarget = {
      name: d.deployment.name,
      namespace: props.namespace,
      labels: labels(this.labelProps(props, plan.colour)),
      selector: d.selector,
      container: props.name,
    };
    const hpa = plan.autoscaling ? appAutoscaler(this, `HorizontalPodAutoscaler-${plan.colour}`, target, plan.autoscaling) : undefined;
    const pdb = appDisruptionBudget(this, `PodDisruptionBudget-${plan.colour}`, target, props.maxUnavailable ?? 1);
    return { hpa, pdb };
  }
}

/**
 * Step: what each colour runs, in colour order. The live colour runs the component's scaling; the idle colour
 * keeps idleReplicas pods (more during a handover) and may grow to the same maximum under a canary share.
 */
function planColours(props: BlueGreenDeploymentProps): ColourPlan[] {
  const hpa = props.autoscaling;
  const idleFloor = Math.max(props.idleReplicas ?? 0, props.handoverReplicas ?? 0);
  return COLOURS.map((colour) => colour === props.activeColour
    ? { colour, live: true, tag: props.tags[colour], replicas: fixedReplicas(props), autoscaling: hpa }
    : { colour, live: false, tag: props.tags[colour], replicas: idleFloor, autoscaling: hpa && idleFloor > 0 ? { ...hpa, minReplicas: idleFloor } : undefined });
}

/** Validates the props; each message names the prop, the value and the fix. */
function checkBlueGreenProps(props: BlueGreenDeploymentProps): void {
  const owner = `BlueGreenDeployment: ${props.name}`;
  checkWorkloadProps(owner, props);
  if (!COLOURS.includes(props.activeColour)) {
    throw new Error(`${owner}: activeColour "${props.activeColour}" is not a colour; use one of ${COLOURS.join(', ')}`);
  }
  for (const c of COLOURS) {
    if (!props.tags[c]) throw new Error(`${owner}: tags.${c} is missing; give each colour an image tag`);
  }
  const hpa = props.autoscaling;
  for (const key of ['idleReplicas', 'handoverReplicas'] as const) {
    const n = props[key] ?? 0;
    if (!Number.isInteger(n) || n < 0) throw new Error(`${owner}: ${key} must be a whole number >= 0, got ${n}`);
    if (hpa && n > hpa.maxReplicas) {
      throw new Error(`${owner}: ${key} (${n}) is above autoscaling.maxReplicas (${hpa.maxReplicas}); the idle colour could never run that many, lower ${key}`);
    }
  }
}
