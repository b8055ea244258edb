/**
 * Argo CD delivery: a sync applies every object after what it waits for; data is never pruned; the
 * repository cannot widen its own permissions; the health customisations the output needs are shipped.
 */
import { HEALTH_CUSTOMIZATIONS } from '../../model/argocd-health-customizations';
import { orderFindings } from '../../model/argocd-sync';
import { globRegExp } from '../../model/dist-files';
import { healthCustomizationKey, KEEP_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../../model/operators/argocd';
import { groupKind, STATEFUL_KINDS } from '../../model/sync-order';
import { finding, type Rule, type RuleContext } from '../rule';
import type { Finding, SourcedObject } from '../types';

/** The folder and the name of a manifest file (`a/b/c.yaml` → `a/b`, `c.yaml`). */
function splitFile(file: string): { dir: string; name: string } {
  const slash = file.lastIndexOf('/');
  return { dir: slash < 0 ? '' : file.slice(0, slash), name: file.slice(slash + 1) };
}

/** Per validation run (its context; two rules ask for it): each Application and the objects it applies. */
const applied = new WeakMap<RuleContext, Array<{ app: SourcedObject; objects: SourcedObject[] }>>();

/** Each Application of the output and the objects it applies (by its directory include/exclude over the files). */
export function applicationObjects(ctx: RuleContext): Array<{ app: SourcedObject; objects: SourcedObject[] }> {
  const known = applied.get(ctx);
  if (known) return known;
  const apps = ctx.objects.filter((s) => s.object.kind === 'Application' && s.object.apiVersion.startsWith('argoproj.io/'));
  const files = apps.length > 0 ? ctx.objects.map((s) => splitFile(s.file)) : [];
  const result = apps.map((app) => {
    const source = (app.object.spec as any)?.source ?? {};
    // An Application of a Helm chart (vault-helm) applies the chart's objects, none of dist/.
    if (source.chart !== undefined || source.path === undefined) return { app, objects: [] };
    const include = source.directory?.include ? globRegExp(source.directory.include) : undefined;
    const exclude = source.directory?.exclude ? globRegExp(source.directory.exclude) : undefined;
    const path = String(source.path ?? '').replace(/\/$/, '');
    const objects = ctx.objects.filter((_, i) => {
      const { dir, name } = files[i];
      if (!dir.endsWith(path)) return false;
      if (include && !include.test(name)) return false;
      return !(exclude && exclude.test(name));
    });
    return { app, objects };
  });
  applied.set(ctx, result);
  return result;
}

export const argocdRules: readonly Rule[] = [
  {
    id: 'argocd/sync-order',
    description: 'Within each Argo CD Application, every object is in a later sync wave than what it waits for (Secrets its pods read, data stores they connect to, the store of an ExternalSecret, the issuer and route of a Certificate, the target of an HPA).',
    fix: 'Add the kind and what it waits for to WAITS_FOR in model/sync-order.ts (waves are computed from it), or give the object an explicit argocd.argoproj.io/sync-wave.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const { objects } of applicationObjects(ctx)) {
        const byObject = new Map(objects.map((s) => [s.object, s]));
        for (const f of orderFindings(objects.map((s) => s.object))) out.push(finding(byObject.get(f.object)!, 'metadata.annotations.argocd.argoproj.io/sync-wave', f.message));
      }
      return out;
    },
  },
  {
    id: 'argocd/prune-protection',
    description: 'Stateful objects (databases, caches, search and metrics storage, StorageClasses) and every Namespace carry argocd.argoproj.io/sync-options Prune=false and Delete=false.',
    fix: 'Add the kind to STATEFUL_KINDS in model/sync-order.ts (synth then annotates it).',
    check: (ctx) =>
      ctx.objects
        .filter((s) => STATEFUL_KINDS.has(groupKind(s.object.apiVersion, s.object.kind)) || s.object.kind === 'Namespace')
        .filter((s) => {
          const options = (s.object.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((x) => x.trim());
          return !KEEP_OPTIONS.every((k) => options.includes(k));
        })
        .map((s) => finding(s, `metadata.annotations.${SYNC_OPTIONS_ANNOTATION}`, `${s.object.kind} ${s.object.metadata.name} can be pruned or deleted with its Application: it needs ${KEEP_OPTIONS.join(',')}`)),
  },
  {
    id: 'argocd/admin-owned-projects',
    description: 'No Application applies an AppProject; no project admits AppProjects or every object of a cluster-scoped kind (entries name their object).',
    fix: 'Keep AppProjects in argocd-admin.yaml (applied by a cluster admin) and derive cluster-scoped white lists by name (charts/argocd-admin-chart.ts).',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const { app, objects } of applicationObjects(ctx)) {
        for (const s of objects.filter((x) => x.object.kind === 'AppProject')) {
          out.push(finding(s, 'kind', `AppProject ${s.object.metadata.name} is applied by Application ${app.object.metadata.name}: whoever can write to the repository could widen it`));
        }
      }
      for (const s of ctx.objects.filter((x) => x.object.kind === 'AppProject')) {
        const spec = (s.object.spec ?? {}) as Record<string, any>;
        (spec.namespaceResourceWhitelist ?? []).forEach((g: any, i: number) => {
          if (g.kind === 'AppProject' || g.kind === '*') out.push(finding(s, `spec.namespaceResourceWhitelist[${i}]`, `project ${s.object.metadata.name} admits ${g.kind === '*' ? 'every kind' : 'AppProjects'}`));
        });
        (spec.clusterResourceWhitelist ?? []).forEach((g: any, i: number) => {
          if (!g.name || g.name === '*') out.push(finding(s, `spec.clusterResourceWhitelist[${i}]`, `project ${s.object.metadata.name} admits every ${g.group ? `${g.group}/` : ''}${g.kind}: name the object`));
        });
      }
      return out;
    },
  },
  {
    id: 'argocd/health-customizations',
    description: 'The output ships (argocd-cm in argocd-admin.yaml) the Argo CD health customisation of every kind it contains that needs one.',
    fix: 'Keep the ConfigMap argocd-cm of charts/argocd-admin-chart.ts with the keys of model/argocd-health-customizations.ts.',
    check: (ctx) => {
      const cm = ctx.objects.find((s) => s.object.kind === 'ConfigMap' && s.object.metadata.name === 'argocd-cm');
      const data = ((cm?.object as any)?.data ?? {}) as Record<string, string>;
      const out: Finding[] = [];
      for (const c of HEALTH_CUSTOMIZATIONS) {
        const user = ctx.objects.find((s) => groupKind(s.object.apiVersion, s.object.kind) === c.groupKind);
        if (user && data[healthCustomizationKey(c.groupKind)] !== c.lua) {
          out.push(finding(user, 'kind', `${c.groupKind} needs the argocd-cm key ${healthCustomizationKey(c.groupKind)}: ${c.why}`));
        }
      }
      return out;
    },
  },
];
