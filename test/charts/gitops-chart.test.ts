/**
 * gitops.yaml and argocd-admin.yaml: the mapping from gitops settings to the Argo CD objects, and the
 * invariants that keep write access to the repository from being cluster-admin. Values are read from the
 * settings; nothing here pins today's revision, windows or groups.
 */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { HEALTH_CUSTOMIZATIONS } from '../../model/argocd-health-customizations';
import { globRegExp } from '../../model/dist-files';
import { healthCustomizationKey } from '../../model/operators/argocd';
import { isVaultHelmSource, vaultHelmObjects } from '../../model/operators/vault';
import { renderObjects } from '../../synth/render';
import { ENVIRONMENTS, chartObjects, find, settingsOf } from '../helpers';

const key = (g: { group: string; kind: string }) => (g.group ? `${g.group}/${g.kind}` : g.kind);
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const IN_CLUSTER = 'https://kubernetes.default.svc';

describe.each(ENVIRONMENTS)('%s: Argo CD objects', (env) => {
  const settings = settingsOf(env);
  const g = settings.gitops;
  const files = renderObjects(buildEnvironment(settings));
  const admin = files.find(([f]) => f === 'argocd-admin')![1];
  const gitops = files.find(([f]) => f === 'gitops')![1];
  const root = find(admin, 'Application', `finbot-${env}`, g.argocdNamespace);
  const workloads = find(gitops, 'Application', `finbot-${env}-workloads`, g.argocdNamespace);

  it('gitops.yaml holds only Applications (the root project admits nothing else)', () => {
    expect(new Set(gitops.map((o) => o.kind))).toEqual(new Set(['Application']));
  });

  it('root and workloads follow the settings\' repository and revision, sync policy as set, no finalizer', () => {
    for (const app of [root, workloads]) {
      expect(app.spec.source.repoURL).toBe(g.repoURL);
      expect(app.spec.source.targetRevision).toBe(g.targetRevision);
      expect(app.spec.source.path).toBe(`dist/${env}`);
      expect(app.spec.destination.server).toBe(IN_CLUSTER);
      expect(app.spec.syncPolicy.automated).toEqual(g.autoSync ? { prune: true, selfHeal: true } : undefined);
      expect(app.metadata.finalizers).toBeUndefined();
    }
    expect(root.spec.source.directory.include).toBe('gitops.yaml');
    expect(root.spec.project).toBe(`finbot-${env}-gitops`);
    expect(workloads.spec.project).toBe(`finbot-${env}`);
    expect(workloads.spec.destination.namespace).toBe(settings.platform.namespaces.app);
  });

  it('the workloads Application applies every file but gitops.yaml, argocd-admin.yaml and files for another cluster', () => {
    const exclude = globRegExp(workloads.spec.source.directory.exclude);
    const applied = files.map(([f]) => `${f}.yaml`).filter((f) => !exclude.test(f));
    expect(applied).not.toContain('gitops.yaml');
    expect(applied).not.toContain('argocd-admin.yaml');
    expect(applied).toEqual(expect.arrayContaining(['platform.yaml', 'apps.yaml', 'data.yaml', 'checks.yaml']));
  });

  it('no file an Application applies holds an AppProject; the root project admits Applications only', () => {
    const exclude = globRegExp(workloads.spec.source.directory.exclude);
    const appliedObjects = files.filter(([f]) => !exclude.test(`${f}.yaml`) || f === 'gitops').flatMap(([, o]) => o);
    expect(appliedObjects.filter((o) => o.kind === 'AppProject')).toEqual([]);
    const rootProject = find(admin, 'AppProject', `finbot-${env}-gitops`, g.argocdNamespace);
    expect(rootProject.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'Application' }]);
    expect(rootProject.spec.clusterResourceWhitelist).toEqual([]);
    expect(rootProject.spec.destinations).toEqual([{ server: IN_CLUSTER, namespace: g.argocdNamespace }]);
    expect(rootProject.spec.sourceRepos).toEqual([g.repoURL]);
  });

  it('the default project is locked (an Application naming it deploys nothing)', () => {
    const d = find(admin, 'AppProject', 'default', g.argocdNamespace);
    expect(d.spec).toMatchObject({ sourceRepos: [], destinations: [], clusterResourceWhitelist: [], namespaceResourceWhitelist: [] });
  });

  it('the workloads project allows exactly the kinds, cluster-scoped objects (by name) and namespaces of the files it applies', () => {
    const exclude = globRegExp(workloads.spec.source.directory.exclude);
    const applied = files.filter(([f]) => !exclude.test(`${f}.yaml`)).flatMap(([, o]) => o);
    // What a Helm chart an Application of the output installs renders is synced under the same project.
    const charted = applied.filter((o: any) => o.kind === 'Application' && isVaultHelmSource(o.spec?.source))
      .flatMap((a: any) => vaultHelmObjects(a.spec.source.helm.releaseName, a.spec.destination.namespace)) as unknown as typeof applied;
    const others = [...applied, ...charted];
    const p = find(admin, 'AppProject', `finbot-${env}`, g.argocdNamespace);
    const clusterObjects = others.filter((o) => !o.metadata.namespace).map((o) => `${key({ group: groupOf(o.apiVersion), kind: o.kind })}/${o.metadata.name}`);
    expect(p.spec.clusterResourceWhitelist.map((c: any) => `${key(c)}/${c.name}`).sort()).toEqual([...new Set(clusterObjects)].sort());
    const nsKinds = new Set(others.filter((o) => o.metadata.namespace).map((o) => key({ group: groupOf(o.apiVersion), kind: o.kind })));
    expect(p.spec.namespaceResourceWhitelist.map(key).sort()).toEqual([...nsKinds].sort());
    const namespaces = p.spec.destinations.map((d: any) => d.namespace);
    const used = new Set([...others.map((o) => o.metadata.namespace).filter(Boolean), ...others.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)]);
    expect(new Set(namespaces)).toEqual(used);
    expect(p.spec.destinations.every((d: any) => d.server === IN_CLUSTER)).toBe(true);
    // The repository, and the Helm repositories of charts an Application of the output installs (vault-helm).
    const chartRepos = others.filter((o: any) => o.kind === 'Application' && o.spec?.source?.chart).map((o: any) => o.spec.source.repoURL);
    expect(p.spec.sourceRepos).toEqual([g.repoURL, ...[...new Set(chartRepos)].sort()]);
  });

  it('sync windows and project roles come from the settings, on the workloads Application', () => {
    const p = find(admin, 'AppProject', `finbot-${env}`, g.argocdNamespace);
    expect(p.spec.syncWindows ?? []).toEqual(g.syncWindows.map((w) => ({ ...w, applications: [`finbot-${env}-workloads`] })));
    expect((p.spec.roles ?? []).map((r: any) => [r.name, r.groups])).toEqual(g.projectRoles.map((r) => [r.name, r.groups]));
    for (const r of p.spec.roles ?? []) {
      for (const policy of r.policies) expect(policy).toMatch(new RegExp(`^p, proj:finbot-${env}:${r.name}, applications, [a-z/*]+, finbot-${env}/\\*, allow$`));
    }
  });

  it('no Application may prune or delete an object of argocd-admin.yaml', () => {
    for (const o of admin) expect(o.metadata.annotations?.['argocd.argoproj.io/sync-options'], `${o.kind} ${o.metadata.name}`).toBe('Prune=false,Delete=false');
  });

  it('argocd-cm carries exactly the health customisations of the model', () => {
    const cm = find(admin, 'ConfigMap', 'argocd-cm', g.argocdNamespace);
    expect(cm.data).toEqual(Object.fromEntries(HEALTH_CUSTOMIZATIONS.map((c) => [healthCustomizationKey(c.groupKind), c.lua])));
  });
});

describe('production invariants', () => {
  it('a manually synced environment with sync windows follows a reviewed branch, not main (refused at load otherwise)', () => {
    const g = settingsOf('production').gitops;
    if (!g.autoSync && g.syncWindows.length > 0) expect(g.targetRevision).not.toBe('main');
  });
});

describe('admin chart guards', () => {
  it('refuses to synthesize when a chart is added after it', () => {
    const env = buildEnvironment(settingsOf('staging'));
    const late = new Chart(env.app, 'late');
    new k8s.KubeConfigMap(late, 'cm', { metadata: { name: 'x', namespace: 'elsewhere' } });
    expect(() => renderObjects(env)).toThrow("charts late are not in the argocd-admin chart's sources; build it last");
  });

  it('refuses to synthesize when objects are added to a chart after it derived its project scope', () => {
    const env = buildEnvironment(settingsOf('staging'));
    new k8s.KubeConfigMap(env.charts.apps, 'late', { metadata: { name: 'x', namespace: 'elsewhere' } });
    expect(() => renderObjects(env)).toThrow('objects changed after the argocd-admin chart derived its project scope');
  });

  it('each environment of a DR pair renders its own Applications, for its own cluster and folder', () => {
    for (const env of ENVIRONMENTS.filter((e) => settingsOf(e).platform.dr)) {
      const apps = chartObjects(env, 'gitops').filter((o) => o.kind === 'Application');
      expect(apps.length).toBeGreaterThan(0);
      for (const a of apps as any[]) {
        expect(a.spec.destination.server ?? 'https://kubernetes.default.svc').toBe('https://kubernetes.default.svc');
        expect(a.spec.source.path).toBe(`dist/${env}`);
      }
    }
  });
});
