/**
 * The cluster as `npm run promote` sees it: ready pods of a Deployment, read with kubectl's current context.
 * No kubectl, no context, no access or a timeout all mean "unknown" (never an error): the command then asks
 * the operator for the number instead.
 */
import { spawnSync } from 'node:child_process';
import type { ClusterView } from './release-commands';

/** A view through `kubectl` (or the program named by FINBOT_KUBECTL, for tests). */
export function kubectlView(program: string = process.env.FINBOT_KUBECTL ?? 'kubectl'): ClusterView {
  return {
    readyReplicas(namespace, deployment) {
      const r = spawnSync(program, ['-n', namespace, 'get', 'deployment', deployment, '-o', 'jsonpath={.status.readyReplicas}'], { encoding: 'utf8', timeout: 15_000 });
      if (r.error || r.status !== 0) return undefined;
      const out = r.stdout.trim();
      // A Deployment with no ready pod has no readyReplicas field at all.
      if (out === '') return 0;
      const n = Number(out);
      return Number.isInteger(n) && n >= 0 ? n : undefined;
    },
  };
}
