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

/**
 * Calls `visit` with every string in `value`, and a function giving that string's path (`spec.env[0].value`).
 * The path is built only when asked for (most strings are looked at and dropped), and only during `visit`.
 */
export function eachString(value: unknown, visit: (text: string, path: () => string) => void): void {
  const at: Array<string | number> = [];
  const path = () => at.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  const walk = (v: unknown): void => {
    if (typeof v === 'string') visit(v, path);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        walk(v[i]);
        at.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        at.push(k);
        walk((v as Record<string, unknown>)[k]);
        at.pop();
      }
    }
  };
  walk(value);
}
