import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ClusterAutoscaler, type ClusterAutoscalerProps } from '../../constructs/cluster-autoscaler';

const base: ClusterAutoscalerProps = {
  clusterName: 'c1',
  kubernetesVersion: '1.33',
  imageTag: 'v1.33.0',
  podIdentityRole: 'c1-cluster-autoscaler',
  region: 'us-west-2',
  environment: 'test',
};

function synth(props: Partial<ClusterAutoscalerProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 't');
  new ClusterAutoscaler(chart, 'ca', { ...base, ...props });
  return Testing.synth(chart);
}
const byKind = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

describe('ClusterAutoscaler', () => {
  it('runs the flags of the design document, with the cluster name in the discovery tag and the defaults 10m/10m', () => {
    const [d] = byKind(synth(), 'Deployment');
    expect(d.spec.template.spec.containers[0].command).toEqual([
      './cluster-autoscaler',
      '--v=4',
      '--stderrthreshold=info',
      '--cloud-provider=aws',
      '--skip-nodes-with-local-storage=false',
      '--expander=least-waste',
      '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/c1',
      '--balance-similar-node-groups',
      '--scale-down-enabled=true',
      '--scale-down-delay-after-add=10m',
      '--scale-down-unneeded-time=10m',
    ]);
  });

  it('takes the scale-down timings from props', () => {
    const [d] = byKind(synth({ scaleDownDelayAfterAdd: '5m', scaleDownUnneededTime: '1h' }), 'Deployment');
    const cmd: string[] = d.spec.template.spec.containers[0].command;
    expect(cmd).toContain('--scale-down-delay-after-add=5m');
    expect(cmd).toContain('--scale-down-unneeded-time=1h');
  });

  it('uses registry.k8s.io, system-cluster-critical, safe-to-evict false, one replica and the health-check probes', () => {
    const [d] = byKind(synth(), 'Deployment');
    const pod = d.spec.template;
    const c = pod.spec.containers[0];
    expect(d.metadata.namespace).toBe('kube-system');
    expect(d.spec.replicas).toBe(1);
    expect(c.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0');
    expect(pod.spec.priorityClassName).toBe('system-cluster-critical');
    expect(pod.metadata.annotations).toEqual({
      'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
      'finbot.io/needs-api-token': 'cluster-autoscaler watches nodes and pods and patches node groups through the Kubernetes API',
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health-check', port: 8085 });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health-check', port: 8085 });
    expect(c.env).toEqual([{ name: 'AWS_REGION', value: 'us-west-2' }]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '600Mi' }, limits: { cpu: '100m', memory: '600Mi' } });
  });

  it('runs restricted as nobody with a read-only root filesystem and no hostPath CA bundle', () => {
    const [d] = byKind(synth(), 'Deployment');
    const spec = d.spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(spec.volumes.every((v: any) => v.hostPath === undefined)).toBe(true);
  });

  it('gets AWS credentials through EKS Pod Identity: no role ARN or account id, a token (it is an API client), no PDB', () => {
    const objs = synth();
    const [sa] = byKind(objs, 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({ 'finbot.io/pod-identity-role': 'c1-cluster-autoscaler' });
    expect(JSON.stringify(objs)).not.toMatch(/arn:aws|[0-9]{12}/);
    expect(sa.automountServiceAccountToken).toBe(true);
    expect(byKind(objs, 'Deployment')[0].spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(byKind(objs, 'PodDisruptionBudget')).toEqual([]);
  });

  it('binds the upstream least-privilege rules, without the removed extensions group and without secrets', () => {
    const objs = synth();
    const [cr] = byKind(objs, 'ClusterRole');
    const groups = new Set(cr.rules.flatMap((r: any) => r.apiGroups));
    expect(groups.has('extensions')).toBe(false);
    expect(cr.rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    expect(cr.rules).toContainEqual({ apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] });
    expect(cr.rules).toContainEqual({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['cluster-autoscaler'], verbs: ['get', 'update'] });
    expect(cr.rules.every((r: any) => !r.verbs.includes('*') && !r.resources.includes('*'))).toBe(true);
    const [role] = byKind(objs, 'Role');
    expect(role.metadata.namespace).toBe('kube-system');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-autoscaler-status', 'cluster-autoscaler-priority-expander'], verbs: ['delete', 'get', 'update', 'watch'] },
    ]);
    const subject = [{ kind: 'ServiceAccount', name: 'cluster-autoscaler', namespace: 'kube-system' }];
    expect(byKind(objs, 'ClusterRoleBinding')[0]).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'cluster-autoscaler' }, subjects: subject });
    expect(byKind(objs, 'RoleBinding')[0]).toMatchObject({ roleRef: { kind: 'Role', name: 'cluster-autoscaler' }, subjects: subject });
  });

  it('limits its pods to HTTPS out (not the instance metadata endpoint), DNS, and scrapes in', () => {
    const [np] = byKind(synth({ metricsScrapers: [{ namespaceLabels: { name: 'monitoring' }, podLabels: { app: 'prometheus' } }] }), 'NetworkPolicy');
    expect(np.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'cluster-autoscaler', 'app.kubernetes.io/instance': 'test' });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ protocol: 'TCP', port: 443 }] });
    // EKS Pod Identity Agent (link-local, port 80) for the AWS credentials.
    expect(np.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] });
    expect(np.spec.egress[2].ports.map((p: any) => p.port)).toEqual([53, 53]);
    expect(np.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 8085 }] }]);
  });

  it('without scrapers the policy governs egress only', () => {
    const [np] = byKind(synth(), 'NetworkPolicy');
    expect(np.spec.policyTypes).toEqual(['Egress']);
  });

  it('refuses an image whose minor does not match the cluster', () => {
    expect(() => synth({ imageTag: 'v1.21.0' })).toThrow('ClusterAutoscaler: imageTag v1.21.0 is for Kubernetes 1.21 but kubernetesVersion is 1.33; use a v1.33.x release');
  });

  it('refuses a tag that is not a release', () => {
    expect(() => synth({ imageTag: 'latest' })).toThrow('ClusterAutoscaler: imageTag "latest" is not a release tag; use v<minor>.<patch>, e.g. v1.33.0');
  });

  it('refuses an ARN as the Pod Identity role (a name only)', () => {
    expect(() => synth({ podIdentityRole: 'arn:aws:iam::111122223333:role/x' })).toThrow('ClusterAutoscaler: podIdentityRole "arn:aws:iam::111122223333:role/x" is not an IAM role name');
  });

  it('refuses a duration without unit', () => {
    expect(() => synth({ scaleDownUnneededTime: '600' })).toThrow('ClusterAutoscaler: scaleDownUnneededTime "600" is not a duration');
  });
});
