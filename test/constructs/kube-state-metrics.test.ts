import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { KSM_RESOURCES, KubeStateMetrics, type KubeStateMetricsProps } from '../../constructs/kube-state-metrics';

const prometheus = { 'app.kubernetes.io/name': 'prometheus', prometheus: 'p' };
const resources = { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } };

function build(props: Partial<KubeStateMetricsProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 't');
  new KubeStateMetrics(chart, 'k', { namespace: 'monitoring', environment: 'test', version: 'v2.17.0', resources, scrapers: [{ podLabels: prometheus }], ...props });
  return Testing.synth(chart);
}
const one = (objs: any[], kind: string, name?: string) => {
  const found = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0];
};
const selector = { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': 'test' };

describe('KubeStateMetrics', () => {
  it('Deployment: one replica of the pinned registry.k8s.io image, limited --resources, ports 8080/8081', () => {
    const d = one(build(), 'Deployment');
    expect(d.metadata).toMatchObject({ name: 'kube-state-metrics', namespace: 'monitoring' });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector).toEqual({ matchLabels: selector });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0');
    expect(c.args).toEqual([
      '--port=8080',
      '--telemetry-port=8081',
      '--resources=deployments,horizontalpodautoscalers,jobs,namespaces,nodes,persistentvolumeclaims,pods,statefulsets',
    ]);
    expect(c.ports).toEqual([
      { name: 'http-metrics', containerPort: 8080, protocol: 'TCP' },
      { name: 'telemetry', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(c.resources).toEqual(resources);
  });

  it('liveness /livez on the metrics port, readiness /readyz on the telemetry port', () => {
    const c = one(build(), 'Deployment').spec.template.spec.containers[0];
    expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http-metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'telemetry' });
  });

  it('restricted: uid/gid 65534, seccomp RuntimeDefault, read-only root, no escalation, drop ALL', () => {
    const spec = one(build(), 'Deployment').spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
  });

  it('mounts its API token on purpose, with the annotation the sa-token rule reads', () => {
    const objs = build();
    const tpl = one(objs, 'Deployment').spec.template;
    expect(tpl.spec.serviceAccountName).toBe('kube-state-metrics');
    expect(tpl.spec.automountServiceAccountToken).toBe(true);
    expect(tpl.metadata.annotations['finbot.io/needs-api-token']).toMatch(/Kubernetes API/);
    expect(one(objs, 'ServiceAccount').automountServiceAccountToken).toBe(true);
  });

  it('ClusterRole: list/watch of exactly the exported resources, bound to its ServiceAccount', () => {
    const objs = build();
    const role = one(objs, 'ClusterRole');
    expect(role.metadata.name).toBe('monitoring-kube-state-metrics');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces', 'persistentvolumeclaims'], verbs: ['list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'watch'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list', 'watch'] },
    ]);
    // RBAC and --resources name the same set.
    const granted = role.rules.flatMap((r: any) => r.resources).sort();
    const flag = one(objs, 'Deployment').spec.template.spec.containers[0].args.find((a: string) => a.startsWith('--resources='));
    expect(flag.slice('--resources='.length).split(',')).toEqual(granted);
    expect(granted).toEqual(KSM_RESOURCES.map((r) => r.resource).sort());
    const binding = one(objs, 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'monitoring-kube-state-metrics' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: 'monitoring' }]);
  });

  it('Service with the named metrics port; ServiceMonitor labelled app: finbot, honorLabels', () => {
    const objs = build();
    const svc = one(objs, 'Service');
    expect(svc.spec.selector).toEqual(selector);
    expect(svc.spec.ports).toEqual([{ name: 'http-metrics', port: 8080, targetPort: 'http-metrics', protocol: 'TCP', appProtocol: 'http' }]);
    const sm = one(objs, 'ServiceMonitor');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.namespace).toBe('monitoring');
    expect(sm.metadata.labels.app).toBe('finbot');
    expect(sm.spec.selector).toEqual({ matchLabels: selector });
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['monitoring'] });
    expect(sm.spec.endpoints).toEqual([{ port: 'http-metrics', path: '/metrics', interval: '30s', scheme: 'http', honorLabels: true }]);
    // The pods themselves are not FinBot workloads.
    expect(one(objs, 'Deployment').spec.template.metadata.labels.app).toBeUndefined();
  });

  it('no PodDisruptionBudget with one replica', () => {
    expect(build().filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });

  it('NetworkPolicy: Prometheus in on 8080 only; out to the API server (443/6443) and DNS', () => {
    const np = one(build(), 'NetworkPolicy', 'kube-state-metrics').spec;
    expect(np.podSelector).toEqual({ matchLabels: selector });
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([{ from: [{ podSelector: { matchLabels: prometheus } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(np.egress[0]).toEqual({ to: [], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
    expect(np.egress[1].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(np.egress).toHaveLength(2);
  });

  it('the scrapers get egress to it on 8080 (their namespace denies egress by default)', () => {
    const np = one(build(), 'NetworkPolicy', 'allow-egress-to-kube-state-metrics').spec;
    expect(np.podSelector).toEqual({ matchLabels: prometheus });
    expect(np.egress).toEqual([{ to: [{ podSelector: { matchLabels: selector } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });

  it('rejects a tag that is not a 2.x release', () => {
    for (const version of ['latest', 'v1.9.8', '2.17.0', 'v2.17']) {
      expect(() => build({ version }), version).toThrow(`KubeStateMetrics: version "${version}" is not a kube-state-metrics 2.x release tag; use e.g. v2.17.0`);
    }
  });

  it('rejects an empty scraper list', () => {
    expect(() => build({ scrapers: [] })).toThrow('KubeStateMetrics: scrapers is empty; give the Prometheus pods, or nothing can read the metrics');
  });
});
