import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../config/schema';
import { chartObjects, find, settingsOf } from '../helpers';

describe('cluster chart (production): design document values', () => {
  const objs = chartObjects('production', 'cluster');

  it('cluster-autoscaler flags exactly as the design document, for finbot-cluster', () => {
    const d = find(objs, 'Deployment', 'cluster-autoscaler', 'kube-system');
    const c = d.spec.template.spec.containers[0];
    expect(c.name).toBe('cluster-autoscaler');
    expect(c.command).toEqual([
      './cluster-autoscaler',
      '--v=4',
      '--stderrthreshold=info',
      '--cloud-provider=aws',
      '--skip-nodes-with-local-storage=false',
      '--expander=least-waste',
      '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/finbot-cluster',
      '--balance-similar-node-groups',
      '--scale-down-enabled=true',
      '--scale-down-delay-after-add=10m',
      '--scale-down-unneeded-time=10m',
    ]);
    // registry.k8s.io at the cluster's minor, not the frozen k8s.gcr.io v1.21.0 of the document
    expect(c.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0');
    expect(c.env).toEqual([{ name: 'AWS_REGION', value: 'us-west-2' }]);
  });

  it('EKS Pod Identity: the role named in the settings, no role ARN and no account id on the ServiceAccount', () => {
    const sa = find(objs, 'ServiceAccount', 'cluster-autoscaler', 'kube-system');
    expect(sa.metadata.annotations['finbot.io/pod-identity-role']).toBe(settingsOf('production').cluster.autoscaler.podIdentityRole);
    expect(JSON.stringify(objs)).not.toMatch(/arn:aws/);
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBeUndefined();
  });

  it('Prometheus in the monitoring namespace may scrape it', () => {
    const np = find(objs, 'NetworkPolicy', 'cluster-autoscaler', 'kube-system');
    expect(np.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { name: 'monitoring', 'finbot.io/environment': 'production' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    }]);
  });

  it('fast-ssd: encrypted gp3 through the EBS CSI driver, Retain, WaitForFirstConsumer, expandable', () => {
    const sc = find(objs, 'StorageClass', 'fast-ssd');
    expect(sc.provisioner).toBe('ebs.csi.aws.com');
    expect(sc.parameters).toEqual({ type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4', iops: '3000', throughput: '125' });
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.allowVolumeExpansion).toBe(true);
  });

  it('staging discovers its own cluster\'s node groups', () => {
    const d = find(chartObjects('staging', 'cluster'), 'Deployment', 'cluster-autoscaler', 'kube-system');
    expect(d.spec.template.spec.containers[0].command).toContain('--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/finbot-staging-cluster');
  });

  it('fewer minimum nodes than zones is refused by the settings model, naming cluster.nodeGroups.minSize', () => {
    const s = settingsOf('production');
    s.cluster.nodeGroups.minSize = s.platform.zones.length - 1;
    const r = settingsSchema.safeParse(s);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('cluster.nodeGroups.minSize');
  });
});
