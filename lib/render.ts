/**
 * Renders an environment to YAML text, one document stream per chart. Replaces `App.synth()` so that
 * file names carry no hash, YAML is written the same way every time, and dependencies are not re-resolved
 * per chart (each chart's own objects are already in construct order).
 */
import type { Construct, IConstruct } from 'constructs';
import * as yaml from 'js-yaml';
import { chartList, type Environment } from '../charts/environment';
import { withSyncWaves } from './sync-waves';

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** Runs every construct's `node.addValidation` checks; throws one error listing all of them. */
export function validateConstructs(root: Construct): void {
  const errors: string[] = [];
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    stack.push(...c.node.children);
  }
  if (errors.length > 0) throw new Error(`validation failed:\n  ${errors.join('\n  ')}`);
}

/** The objects of each chart of an environment, in output order, each with its Argo CD sync wave. */
export function renderObjects(env: Environment): Array<[string, KubeObject[]]> {
  validateConstructs(env.app);
  return chartList(env).map(([file, chart]) => [file, withSyncWaves(chart.toJson() as KubeObject[])]);
}

/** Dumps objects as a YAML document stream (deterministic: same objects, same bytes). */
export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n');
}

/** File name → YAML text of every chart of an environment. */
export function renderEnvironment(env: Environment): Map<string, string> {
  return new Map(renderObjects(env).map(([file, objects]) => [`${file}.yaml`, toYaml(objects)]));
}
