import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, find, ofKind, settingsOf, synthObjects } from '../helpers';

const prod = () => synthObjects('production');
/** The live colour's Deployment name (release.yaml), e.g. finbot-api-blue: the design values are asserted on it. */
const liveApi = (env = 'production') => `finbot-api-${settingsOf(env).release.api.active}`;

describe.each(ENVIRONMENTS)('apps chart (%s): settings to objects', (env) => {
  const objs = () => synthObjects(env);
  const api = () => settingsOf(env).apps.api;
  const ns = () => settingsOf(env).platform.namespaces.app;

  it('finbot-api container of the live colour: image of the live colour, resources, probes from apps.yaml', () => {
    const release = settingsOf(env).release.api;
    const c = find(objs(), 'Deployment', liveApi(env), ns()).spec.template.spec.containers[0];
    const s = api();
    expect(c.name).toBe('finbot-api');
    expect(c.image).toBe(`${s.image.registry}/${s.image.repository}:${release.colours[release.active].tag}`);
    expect(c.resources).toEqual(s.resources);
    for (const [probe, p] of [[c.livenessProbe, s.livenessProbe], [c.readinessProbe, s.readinessProbe]] as const) {
      expect(probe.httpGet).toEqual({ path: p.path, port: s.port });
      expect(probe.initialDelaySeconds).toBe(p.initialDelaySeconds);
      expect(probe.periodSeconds).toBe(p.periodSeconds);
    }
  });

  it("the live colour's HPA: bounds, behaviour and targets from apps.yaml, measured on the app container only", () => {
    const hpa = find(objs(), 'HorizontalPodAutoscaler', `${liveApi(env)}-hpa`, ns());
    const a = api().autoscaling!;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: liveApi(env) });
    expect(hpa.spec.minReplicas).toBe(a.minReplicas);
    expect(hpa.spec.maxReplicas).toBe(a.maxReplicas);
    // ContainerResource: with the Istio sidecar a Resource target would average the app and istio-proxy.
    const target = (name: string, averageUtilization: number) => ({ type: 'ContainerResource', containerResource: { name, container: 'finbot-api', target: { type: 'Utilization', averageUtilization } } });
    expect(hpa.spec.metrics).toEqual([
      target('cpu', a.cpuUtilization),
      ...(a.memoryUtilization !== undefined ? [target('memory', a.memoryUtilization)] : []),
    ]);
    expect(hpa.spec.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: a.scaleDown.stabilizationWindowSeconds, policies: [{ type: 'Percent', value: a.scaleDown.percentPerMinute, periodSeconds: 60 }] },
      scaleUp: { stabilizationWindowSeconds: a.scaleUp.stabilizationWindowSeconds, policies: [{ type: 'Percent', value: a.scaleUp.percentPerMinute, periodSeconds: 60 }] },
    });
  });

  it('every HPA of the output targets its Deployment\'s app container, never a pod-wide Resource average', () => {
    for (const hpa of ofKind(objs(), 'HorizontalPodAutoscaler')) {
      const deployment = find(objs(), 'Deployment', hpa.spec.scaleTargetRef.name, hpa.metadata.namespace);
      const app = deployment.spec.template.spec.containers[0].name;
      for (const m of hpa.spec.metrics) expect(m, hpa.metadata.name).toMatchObject({ type: 'ContainerResource', containerResource: { container: app } });
    }
  });
});

describe('apps chart: production', () => {
  it('web and worker have their own HPA and PDB; worker has no traffic Service', () => {
    const objs = prod();
    for (const name of [liveApi(), 'finbot-web', 'finbot-worker']) {
      expect(find(objs, 'HorizontalPodAutoscaler', `${name}-hpa`).spec.maxReplicas).toBeGreaterThan(1);
      expect(find(objs, 'PodDisruptionBudget', name).spec.maxUnavailable).toBe(1);
    }
    for (const name of ['finbot-api', 'finbot-web', 'finbot-worker']) {
      expect(find(objs, 'ServiceAccount', name).automountServiceAccountToken).toBe(false);
    }
    // finbot-api-colours comes from the mesh chart (the Service the colour subsets belong to).
    expect(ofKind(objs, 'Service').filter((s) => s.metadata.namespace === 'production').map((s) => s.metadata.name).sort())
      .toEqual(['finbot-api', 'finbot-api-colours', 'finbot-api-preview', 'finbot-web', 'finbot-worker-metrics']);
    expect(find(objs, 'Service', 'finbot-api').spec.ports[0]).toMatchObject({ name: 'http', port: 3001, targetPort: 'http' });
  });

  it('finbot-network-policy: the design document rule set', () => {
    const np = find(prod(), 'NetworkPolicy', 'finbot-network-policy', 'production');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'finbot' } });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx', 'finbot.io/environment': 'production' } } }], ports: [{ protocol: 'TCP', port: 3001 }] }]);
    expect(np.spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { name: 'database', 'finbot.io/environment': 'production' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { to: [{ namespaceSelector: { matchLabels: { name: 'cache', 'finbot.io/environment': 'production' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
    ]);
  });

  it('adds what the design document forgot: default deny, DNS, web from ingress, web/worker to api, Prometheus', () => {
    const objs = prod();
    expect(find(objs, 'NetworkPolicy', 'default-deny-all', 'production').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = find(objs, 'NetworkPolicy', 'allow-dns-egress', 'production');
    expect(dns.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(find(objs, 'NetworkPolicy', 'allow-web-from-ingress').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    const api = find(objs, 'NetworkPolicy', 'allow-api-from-web-and-workers');
    expect(api.spec.ingress[0].from.map((f: any) => f.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['finbot-web', 'finbot-worker']);
    const scrape = find(objs, 'NetworkPolicy', 'allow-prometheus-scrape');
    expect(scrape.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ name: 'monitoring', 'finbot.io/environment': 'production' });
    expect(scrape.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
  });
});

describe('platform chart', () => {
  it('namespaces with Pod Security Standards labels and the labels policies select', () => {
    const objs = prod();
    const app = find(objs, 'Namespace', 'production');
    expect(app.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'istio-injection': 'enabled',
    });
    expect(find(objs, 'Namespace', 'monitoring').metadata.labels.name).toBe('monitoring');
    expect(find(objs, 'Namespace', 'ingress-nginx').metadata.labels.name).toBe('ingress-nginx');
    expect(find(objs, 'Namespace', 'database').metadata.labels.name).toBe('database');
    expect(find(objs, 'Namespace', 'cache').metadata.labels.name).toBe('cache');
  });

  it('every namespaceSelector in the output selects a namespace the output creates', () => {
    for (const env of ENVIRONMENTS) {
      const objs = synthObjects(env);
      // Operators' namespaces are created when the operators are installed, not by this output.
      const operatorNamespaces: string[] = Object.values(settingsOf(env).data.operatorNamespaces);
      const nsLabels = ofKind(objs, 'Namespace').map((n) => ({ ...n.metadata.labels, 'kubernetes.io/metadata.name': n.metadata.name }));
      const selectors = ofKind(objs, 'NetworkPolicy').flatMap((np) => [...(np.spec.ingress ?? []).flatMap((r: any) => r.from), ...(np.spec.egress ?? []).flatMap((r: any) => r.to)])
        .map((p: any) => p.namespaceSelector?.matchLabels).filter(Boolean);
      for (const sel of selectors) {
        // created by Kubernetes itself / by the Istio installation / by the operators' installations
        if (['kube-system', 'istio-system'].includes(sel['kubernetes.io/metadata.name'])) continue;
        if (operatorNamespaces.includes(sel['kubernetes.io/metadata.name'])) continue;
        if (Object.values(settingsOf(env).observability.operatorNamespaces).includes(sel['kubernetes.io/metadata.name'])) continue;
        if (sel['kubernetes.io/metadata.name'] === settingsOf(env).secrets.secretStore.controllerNamespace) continue;
        expect(nsLabels.some((l) => Object.entries(sel).every(([k, v]) => l[k] === v)), `${env}: ${JSON.stringify(sel)}`).toBe(true);
      }
    }
  });
});

describe('staging is smaller and separate', () => {
  // Read from both environments' settings: a setting change keeps this green as long as staging stays no bigger
  // than production and keeps its own namespaces and environment label.
  it('api HPA maximum and web minimum from its settings, never above production\'s; its own namespaces', () => {
    const [stg, prd] = [settingsOf('staging'), settingsOf('production')];
    const objs = synthObjects('staging');
    const ns = stg.platform.namespaces.app;
    const apiMax = find(objs, 'HorizontalPodAutoscaler', `${liveApi('staging')}-hpa`, ns).spec.maxReplicas;
    expect(apiMax).toBe(stg.apps.api.autoscaling!.maxReplicas);
    expect(apiMax).toBeLessThanOrEqual(prd.apps.api.autoscaling!.maxReplicas);
    const webMin = find(objs, 'HorizontalPodAutoscaler', 'finbot-web-hpa', ns).spec.minReplicas;
    expect(webMin).toBe(stg.apps.web.autoscaling!.minReplicas);
    expect(webMin).toBeLessThanOrEqual(prd.apps.web.autoscaling!.minReplicas);
    const namespaces = ofKind(objs, 'Namespace').map((n) => n.metadata.name);
    for (const n of [stg.platform.namespaces.app, stg.platform.namespaces.database, stg.platform.namespaces.cache]) expect(namespaces).toContain(n);
    expect(stg.platform.namespaces.app).not.toBe(prd.platform.namespaces.app);
    const np = find(objs, 'NetworkPolicy', 'finbot-network-policy', ns);
    expect(np.spec.egress[0].to[0].namespaceSelector.matchLabels['finbot.io/environment']).toBe('staging');
  });
});
