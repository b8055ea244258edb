/**
 * Argo CD sync waves and prune protection for every object in dist/, applied once at render time by
 * `renderObjects` (synth/render.ts): chart authors do nothing.
 *
 * - Waves come from what each kind waits for (`WAITS_FOR` in model/sync-order.ts): everything an object needs
 *   to become healthy is in an earlier wave, and each kind is as late as what waits for it allows. A kind that
 *   is not listed gets {@link DEFAULT_SYNC_WAVE}; an object that already carries the annotation keeps it (the
 *   escape hatch for a special case).
 * - Stateful objects (databases, caches, search and metrics storage) and every Namespace carry
 *   `argocd.argoproj.io/sync-options: Prune=false,Delete=false`: renaming or removing one in settings, or
 *   deleting the Application, never deletes data; an operator removes them by hand.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources
 */
import { needsResolver } from '../model/argocd-sync';
import type { KubeObject } from '../model/kube-object';
import { KEEP_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../model/operators/argocd';
import { computeWaves, groupKind, STATEFUL_KINDS, WAITS_FOR } from '../model/sync-order';

export { STATEFUL_KINDS } from '../model/sync-order';

export { groupKind } from '../model/sync-order';

/** The annotation Argo CD orders a sync by (lowest wave first; each wave must be healthy before the next). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Wave of a kind that is not listed: with the workloads. */
export const DEFAULT_SYNC_WAVE = 0;

/** Wave by `<group>/<Kind>` (core group: just `<Kind>`), computed from model/sync-order.ts. */
export const SYNC_WAVES: Readonly<Record<string, number>> = computeWaves(WAITS_FOR);

/** The wave of a kind: its entry in {@link SYNC_WAVES}, else {@link DEFAULT_SYNC_WAVE}. */
export function syncWaveOf(apiVersion: string, kind: string): number {
  return SYNC_WAVES[groupKind(apiVersion, kind)] ?? DEFAULT_SYNC_WAVE;
}

/**
 * Whether an object must never be pruned or deleted with its Application: the stateful kinds and every
 * Namespace (deleting one deletes everything in it, including Helm releases installed outside dist/: Vault,
 * the ingress controller).
 */
export function isProtected(o: KubeObject): boolean {
  const gk = groupKind(o.apiVersion, o.kind);
  return STATEFUL_KINDS.has(gk) || gk === 'Namespace';
}

function withKeepOptions(annotations: Record<string, string>): Record<string, string> {
  const existing = (annotations[SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const merged = [...existing.filter((s) => !KEEP_OPTIONS.some((k) => s.split('=')[0] === k.split('=')[0])), ...KEEP_OPTIONS];
  return { ...annotations, [SYNC_OPTIONS_ANNOTATION]: merged.join(',') };
}

/**
 * Returns the objects with `argocd.argoproj.io/sync-wave` set on each and the keep options on the protected
 * ones (a copy; the input is not changed). A wave an object already has is kept.
 */
export function withSyncWaves(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    let annotations = o.metadata.annotations ?? {};
    if (annotations[SYNC_WAVE_ANNOTATION] === undefined) annotations = { ...annotations, [SYNC_WAVE_ANNOTATION]: String(syncWaveOf(o.apiVersion, o.kind)) };
    if (isProtected(o)) annotations = withKeepOptions(annotations);
    return annotations === o.metadata.annotations ? o : { ...o, metadata: { ...o.metadata, annotations } };
  });
}

/**
 * Moves objects that the kind table placed too early after what they actually wait for (read from their
 * content by `needsOf` in model/argocd-sync.ts: the Secrets their pods read, the data stores they connect to,
 * ...): an object's wave becomes at least one more than the wave of each of its needs. The kind table covers the
 * usual cases; this covers the object that is special (e.g. a Deployment that needs Elasticsearch at start).
 * Works on every object of an environment at once (needs cross files); hooks are left alone. Returns copies.
 */
export function afterWhatTheyNeed(files: ReadonlyArray<readonly [string, readonly KubeObject[]]>): Array<[string, KubeObject[]]> {
  const all = files.flatMap(([, objects]) => objects);
  const needs = needsResolver(all);
  const hook = (o: KubeObject) => o.metadata.annotations?.['argocd.argoproj.io/hook'] !== undefined;
  const wave = new Map<KubeObject, number>(all.map((o) => [o, Number(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? DEFAULT_SYNC_WAVE)]));
  const needed = new Map<KubeObject, KubeObject[]>(all.filter((o) => !hook(o)).map((o) => [o, needs(o).map((n) => n.object).filter((n) => !hook(n))]));
  // Longest-path relaxation; a cycle of needs (never in a sane output) stops after as many rounds as objects.
  for (let round = 0, changed = true; changed && round <= all.length; round++) {
    changed = false;
    for (const [o, ns] of needed) {
      const min = Math.max(...ns.map((n) => wave.get(n)! + 1), -Infinity);
      if (min > wave.get(o)!) {
        wave.set(o, min);
        changed = true;
      }
    }
  }
  return files.map(([file, objects]) => [file, objects.map((o) => {
    const w = String(wave.get(o));
    return o.metadata.annotations?.[SYNC_WAVE_ANNOTATION] === w ? o : { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [SYNC_WAVE_ANNOTATION]: w } } };
  })]);
}
