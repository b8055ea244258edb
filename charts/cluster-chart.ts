/**
 * Cluster-level objects of the environment's own cluster: the cluster-autoscaler (kube-system) and the
 * `fast-ssd` StorageClass the data tier's volumes use.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Settings } from '../config/schema';
import { ClusterAutoscaler } from '../constructs/cluster-autoscaler';
import { EbsStorageClass } from '../constructs/ebs-storage-class';
import { labels } from '../constructs/labels';
import { PROMETHEUS_POD_LABELS } from './apps-chart';
import type { EnvironmentNamespaces } from './platform-chart';

/** Props of {@link ClusterChart}. */
export interface ClusterChartProps {
  readonly settings: Settings;
  readonly namespaces: EnvironmentNamespaces;
}

/** cluster-autoscaler and StorageClass. */
export class ClusterChart extends Chart {
  readonly autoscaler: ClusterAutoscaler;
  readonly storageClass: EbsStorageClass;

  constructor(scope: Construct, id: string, props: ClusterChartProps) {
    super(scope, id);
    const { settings, namespaces } = props;
    const cluster = settings.cluster;
    // nodeGroups.minSize >= the number of zones: checked by the settings model (config/schema.ts).
    this.autoscaler = new ClusterAutoscaler(this, 'ClusterAutoscaler', {
      clusterName: settings.platform.clusterName,
      kubernetesVersion: cluster.kubernetesVersion,
      imageTag: cluster.autoscaler.imageTag,
      podIdentityRole: cluster.autoscaler.podIdentityRole,
      region: settings.platform.region,
      environment: settings.name,
      scaleDownDelayAfterAdd: cluster.autoscaler.scaleDownDelayAfterAdd,
      scaleDownUnneededTime: cluster.autoscaler.scaleDownUnneededTime,
      metricsScrapers: [{ namespaceLabels: namespaces.monitoring.selectorLabels, podLabels: { ...PROMETHEUS_POD_LABELS } }],
    });
    const sc = cluster.storageClass;
    this.storageClass = new EbsStorageClass(this, 'StorageClass', {
      name: sc.name,
      type: sc.type,
      iops: sc.iops,
      throughput: sc.throughput,
      reclaimPolicy: sc.reclaimPolicy,
      fsType: sc.fsType,
      labels: labels({ name: sc.name, component: 'storage', environment: settings.name, finbotApp: false }),
    });
  }
}
