/**
 * Pods of the output: the pod templates of workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, Pod) with the path to each, and the containers inside them.
 */
import { arr } from './shape';
import type { Labels } from './selectors';
import type { KubeObject, SourcedObject } from './kube-object';

/** Kinds whose pods come from `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

/** A container as far as the rules look at it (the rest stays `unknown`). */
export interface ContainerSpec {
  readonly name: string;
  readonly image?: string;
  readonly ports?: ReadonlyArray<{ containerPort: number; name?: string; protocol?: string; hostPort?: number }>;
  readonly env?: ReadonlyArray<{ name: string; value?: string; valueFrom?: Record<string, unknown> }>;
  readonly envFrom?: ReadonlyArray<{ secretRef?: { name: string; optional?: boolean }; configMapRef?: { name: string; optional?: boolean } }>;
  readonly securityContext?: Record<string, unknown>;
  readonly resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readonly livenessProbe?: unknown;
  readonly readinessProbe?: unknown;
  readonly [k: string]: unknown;
}

/** A pod spec as far as the rules look at it. */
export interface PodSpec {
  readonly containers?: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly ephemeralContainers?: readonly ContainerSpec[];
  readonly volumes?: ReadonlyArray<Record<string, unknown> & { name: string }>;
  readonly securityContext?: Record<string, unknown>;
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly imagePullSecrets?: ReadonlyArray<{ name: string }>;
  readonly [k: string]: unknown;
}

/** One pod template of the output. */
export interface PodTemplate {
  /** The workload that owns it. */
  readonly source: SourcedObject;
  /** JSON path of the template's pod spec inside the workload, e.g. `spec.template.spec`. */
  readonly specPath: string;
  /** Pod labels. */
  readonly labels: Labels;
  /** Pod annotations. */
  readonly annotations: Labels;
  /** The pod spec. */
  readonly spec: PodSpec;
  /** The workload is a Job or CronJob (runs to completion). */
  readonly runsToCompletion: boolean;
}

/** A container with the path to it. */
export interface ContainerRef {
  readonly container: ContainerSpec;
  /** e.g. `spec.template.spec.initContainers[0]`. */
  readonly path: string;
  readonly kind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

function template(source: SourcedObject, meta: { labels?: Labels; annotations?: Labels } | undefined, spec: unknown, specPath: string, runsToCompletion: boolean): PodTemplate | undefined {
  if (!spec || typeof spec !== 'object') return undefined;
  return { source, specPath, labels: meta?.labels ?? {}, annotations: meta?.annotations ?? {}, spec: spec as PodSpec, runsToCompletion };
}

/** The pod template of an object, if it has one. */
export function podTemplateOf(source: SourcedObject): PodTemplate | undefined {
  const o = source.object as KubeObject & { spec?: any };
  if (o.kind === 'Pod') return template(source, o.metadata as { labels?: Labels }, o.spec, 'spec', o.spec?.restartPolicy === 'Never' || o.spec?.restartPolicy === 'OnFailure');
  if (o.kind === 'CronJob') {
    const t = o.spec?.jobTemplate?.spec?.template;
    return template(source, t?.metadata, t?.spec, 'spec.jobTemplate.spec.template.spec', true);
  }
  if (TEMPLATE_KINDS.has(o.kind)) return template(source, o.spec?.template?.metadata, o.spec?.template?.spec, 'spec.template.spec', o.kind === 'Job');
  return undefined;
}

/** Every pod template of the output. */
export function podTemplates(objects: readonly SourcedObject[]): PodTemplate[] {
  return objects.map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined);
}

/** Every container of a pod template (init and ephemeral containers included). */
export function containersOf(t: PodTemplate): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    arr(t.spec[kind]).forEach((container, i) => out.push({ container, kind, path: `${t.specPath}.${kind}[${i}]` }));
  }
  return out;
}
