/** How objects are named in reports and matched by exemptions. */
import type { KubeObject } from './kube-object';

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export function objectId(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

/** Formats a path of keys and indexes as `a.b[0].c`. */
export function jsonPath(...parts: ReadonlyArray<string | number>): string {
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The API group of an apiVersion: `apps` for `apps/v1`, `` for the core group (`v1`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `<group>/<Kind>` of an object, `<Kind>` for the core group: how tables keyed by kind name a kind. */
export function groupKind(apiVersion: string, kind: string): string {
  const group = apiGroup(apiVersion);
  return group ? `${group}/${kind}` : kind;
}
