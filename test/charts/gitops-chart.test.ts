import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { renderObjects } from '../../synth/render';
import { ENVIRONMENTS, chartObjects, find, settingsOf, synthObjects } from '../helpers';

const key = (g: { group: string; kind: string }) => (g.group ? `${g.group}/${g.kind}` : g.kind);

describe('gitops chart', () => {
  it('production: app-of-apps from dist/production on main, manual sync', () => {
    const objs = chartObjects('production', 'gitops');
    const root = find(objs, 'Application', 'finbot-production', 'argocd');
    expect(root.spec.project).toBe('finbot-production-gitops');
    expect(root.spec.source).toEqual({ repoURL: 'https://github.com/finbot/finbot-deploy.git', targetRevision: 'main', path: 'dist/production', directory: { recurse: false, include: 'gitops.yaml' } });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    const workloads = find(objs, 'Application', 'finbot-production-workloads', 'argocd');
    expect(workloads.spec.project).toBe('finbot-production');
    // data-dr.yaml is for the DR region's cluster: never applied here.
    expect(workloads.spec.source.directory).toEqual({ recurse: false, exclude: '{gitops.yaml,data-dr.yaml}' });
    expect(workloads.spec.destination.namespace).toBe('production');
    for (const app of [root, workloads]) {
      expect(app.spec.syncPolicy.automated).toBeUndefined();
      expect(app.metadata.finalizers).toBeUndefined();
    }
  });

  it('staging: automated sync with prune and self-heal', () => {
    for (const name of ['finbot-staging', 'finbot-staging-workloads']) {
      expect(find(chartObjects('staging', 'gitops'), 'Application', name).spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
  });

  it('the root project may only manage Argo CD objects in the argocd namespace', () => {
    const p = find(chartObjects('production', 'gitops'), 'AppProject', 'finbot-production-gitops', 'argocd');
    expect(p.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    expect(p.spec.clusterResourceWhitelist).toEqual([]);
    expect(p.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'AppProject' }, { group: 'argoproj.io', kind: 'Application' }]);
    expect(p.spec.sourceRepos).toEqual(['https://github.com/finbot/finbot-deploy.git']);
  });

  it.each(ENVIRONMENTS)('%s: the workloads project allows exactly what the other files contain', (env) => {
    const built = buildEnvironment(settingsOf(env));
    const others = renderObjects(built).filter(([file]) => file !== 'gitops').flatMap(([, o]) => o);
    const p = find(synthObjects(env), 'AppProject', `finbot-${env}`, 'argocd');
    const clusterKinds = new Set(others.filter((o) => !o.metadata.namespace).map((o) => key({ group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', kind: o.kind })));
    const nsKinds = new Set(others.filter((o) => o.metadata.namespace).map((o) => key({ group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', kind: o.kind })));
    expect(p.spec.clusterResourceWhitelist.map(key).sort()).toEqual([...clusterKinds].sort());
    expect(p.spec.namespaceResourceWhitelist.map(key).sort()).toEqual([...nsKinds].sort());
    const s = built.settings.platform.namespaces;
    const namespaces = p.spec.destinations.map((d: any) => d.namespace);
    expect(namespaces).toEqual(expect.arrayContaining([s.app, s.monitoring, s.ingress, s.database, s.cache, 'kube-system']));
    const used = new Set(others.map((o) => o.metadata.namespace).filter(Boolean));
    expect(namespaces.every((n: string) => used.has(n) || others.some((o) => o.kind === 'Namespace' && o.metadata.name === n))).toBe(true);
    expect(p.spec.destinations.every((d: any) => d.server === 'https://kubernetes.default.svc')).toBe(true);
    expect(p.spec.sourceRepos).toEqual(['https://github.com/finbot/finbot-deploy.git']);
  });

  it('refuses to synthesize when a chart is added after the gitops chart', () => {
    const env = buildEnvironment(settingsOf('staging'));
    const late = new Chart(env.app, 'late');
    new k8s.KubeConfigMap(late, 'cm', { metadata: { name: 'x', namespace: 'elsewhere' } });
    expect(() => renderObjects(env)).toThrow("charts late are not in the gitops chart's sources; build the gitops chart last");
  });

  it('refuses to synthesize when objects are added to a chart after the gitops chart derived its scope', () => {
    const env = buildEnvironment(settingsOf('staging'));
    new k8s.KubeConfigMap(env.charts.apps, 'late', { metadata: { name: 'x', namespace: 'elsewhere' } });
    expect(() => renderObjects(env)).toThrow('objects changed after the gitops chart derived its project scope');
  });
});

describe('gitops chart and the DR chart', () => {
  it('staging (no DR) excludes only gitops.yaml; the production project does not admit the DR objects', () => {
    const staging = find(chartObjects('staging', 'gitops'), 'Application', 'finbot-staging-workloads', 'argocd');
    expect(staging.spec.source.directory).toEqual({ recurse: false, exclude: 'gitops.yaml' });
    const drNames = chartObjects('production', 'data-dr').map((o) => o.metadata.name);
    expect(drNames).toContain('finbot-postgres-dr');
  });
});
