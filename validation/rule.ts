/** The shape of a validation rule and what it gets to look at. */
import type { ClusterModel } from '../model/cluster-model';
import type { Finding, SourcedObject, ValidationOptions } from './types';
import type { PodTemplate } from '../model/workloads';

/** Everything a rule may read: the objects of one environment and facts derived from them. */
export interface RuleContext {
  /** Every object of the environment, in output order. */
  readonly objects: readonly SourcedObject[];
  /** Pod templates of the workloads. */
  readonly pods: readonly PodTemplate[];
  /** Pods, Services, Secrets, ... the output puts on the cluster (operators' objects included). */
  readonly cluster: ClusterModel;
  /** Settings-provided facts. */
  readonly options: ValidationOptions;
}

/** One rule: a stable id, what it checks, general advice, and the check. */
export interface Rule {
  /** Stable id `<family>/<name>`, used in reports, exemptions and docs. */
  readonly id: string;
  /** One line: what the rule checks. */
  readonly description: string;
  /** General advice on fixing a violation. */
  readonly fix: string;
  /** Returns every problem in the context (never throws for bad input). */
  check(ctx: RuleContext): Finding[] | Promise<Finding[]>;
}

/** Helper to make a finding. */
export function finding(source: SourcedObject, path: string, message: string, fix?: string): Finding {
  return fix === undefined ? { source, path, message } : { source, path, message, fix };
}
