/** Pods as the model sees them: one per workload template or operator-made pod set, with labels and ports. */
import type { SourcedObject } from './kube-object';
import type { Labels } from './selectors';
import type { PodTemplate } from './workloads';

/** A port a pod listens on. */
export interface PodPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

/** A pod of the cluster (one per workload template; replicas do not matter here). */
export interface ModelPod {
  /** e.g. `Deployment production/finbot-api` or `Cluster database/finbot-postgres (CloudNativePG instance)`. */
  readonly description: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports: readonly PodPort[];
  /** The object it comes from (a workload, a custom resource), absent for modelled outside pods. */
  readonly origin?: SourcedObject;
  /** The pod template, for pods of workloads. */
  readonly template?: PodTemplate;
}
