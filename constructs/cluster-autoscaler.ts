/**
 * The Kubernetes cluster-autoscaler for AWS (Auto Scaling groups found by tag), with its ServiceAccount
 * (AWS credentials through EKS Pod Identity: no role ARN or account id in the manifests), the
 * least-privilege RBAC of the upstream AWS example and a NetworkPolicy for its pods.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { labels, selectorLabels } from './labels';
import { AllowPolicy, CLUSTER_DNS_PEER, DNS_PORTS, type PolicyPeer } from './network-policy';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeClusterRole, KubeClusterRoleBinding, KubeDeployment, KubeRole, KubeRoleBinding, KubeServiceAccount } from './kube-objects';

/** Name of every object of the autoscaler (upstream: the lease and status ConfigMap use it too). */
export const CLUSTER_AUTOSCALER_NAME = 'cluster-autoscaler';
/** Port of /health-check and /metrics. */
export const CLUSTER_AUTOSCALER_PORT = 8085;
/** Upstream image (k8s.gcr.io is frozen; registry.k8s.io is where releases are published). */
export const CLUSTER_AUTOSCALER_IMAGE = 'registry.k8s.io/autoscaling/cluster-autoscaler';
/** The `nobody` user of the distroless image. */
const NOBODY = 65534;
/** The EC2 instance metadata endpoint: Pod Identity makes it unnecessary, and it hands out node credentials. */
const INSTANCE_METADATA_CIDR = '169.254.169.254/32';
/**
 * The EKS Pod Identity Agent (a host-network DaemonSet) serves credentials at http://169.254.170.23/v1/credentials
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI, injected by EKS). The autoscaler's vendored aws-sdk-go reads it since
 * 1.48.7 (kubernetes/autoscaler PR #6379, cluster-autoscaler/cloudprovider/aws/aws-sdk-go, in every release >= 1.28.3).
 */
export const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 } as const;

/** CPU/memory of the container. */
export interface AutoscalerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Props of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps {
  /** EKS cluster name; node groups are discovered by the tag `k8s.io/cluster-autoscaler/<clusterName>`. */
  readonly clusterName: string;
  /** Minor version of the cluster, e.g. `1.33`; the image tag must be a release of the same minor. */
  readonly kubernetesVersion: string;
  /** Image tag, e.g. `v1.33.0`. */
  readonly imageTag: string;
  /**
   * Name of the IAM role the EKS Pod Identity association (made outside the cluster objects) gives the
   * ServiceAccount; written as the informational annotation `finbot.io/pod-identity-role` so that the
   * association to create can be read from the output. Never an ARN.
   * @default - no annotation
   */
  readonly podIdentityRole?: string;
  /** AWS region of the Auto Scaling groups (env AWS_REGION). */
  readonly region: string;
  /** Environment name (label `app.kubernetes.io/instance`). */
  readonly environment: string;
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** --scale-down-delay-after-add. @default '10m' */
  readonly scaleDownDelayAfterAdd?: string;
  /** --scale-down-unneeded-time. @default '10m' */
  readonly scaleDownUnneededTime?: string;
  /** @default the upstream example's 100m CPU and 600Mi memory, requests = limits */
  readonly resources?: AutoscalerResources;
  /**
   * Pods allowed to scrape /metrics on 8085 (Prometheus).
   * @default - nobody: the NetworkPolicy then only governs egress
   */
  readonly metricsScrapers?: readonly PolicyPeer[];
}

const DEFAULT_RESOURCES: AutoscalerResources = { requests: { cpu: '100m', memory: '600Mi' }, limits: { cpu: '100m', memory: '600Mi' } };

/**
 * The ClusterRole of the upstream AWS example, minus the `extensions` API group (removed from Kubernetes in
 * 1.22, so those rules grant nothing), plus its later read-only additions (volumeattachments, DRA objects).
 */
export const CLUSTER_AUTOSCALER_CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['events', 'endpoints'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['update'] },
  { apiGroups: [''], resources: ['endpoints'], resourceNames: [CLUSTER_AUTOSCALER_NAME], verbs: ['get', 'update'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get', 'update'] },
  {
    apiGroups: [''],
    resources: ['namespaces', 'pods', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes'],
    verbs: ['watch', 'list', 'get'],
  },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['watch', 'list'] },
  { apiGroups: ['apps'], resources: ['statefulsets', 'replicasets', 'daemonsets'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities', 'volumeattachments'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: ['resource.k8s.io'], resources: ['deviceclasses', 'resourceslices', 'resourceclaims'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [CLUSTER_AUTOSCALER_NAME], verbs: ['get', 'update'] },
];

/** The namespaced Role of the upstream example: its status and priority-expander ConfigMaps only. */
export const CLUSTER_AUTOSCALER_NAMESPACE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list', 'watch'] },
  { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-autoscaler-status', 'cluster-autoscaler-priority-expander'], verbs: ['delete', 'get', 'update', 'watch'] },
];

const DURATION = /^[0-9]+(s|m|h)$/;

/**
 * cluster-autoscaler: one replica in kube-system, `system-cluster-critical`, never evicted by itself
 * (`safe-to-evict: "false"`), restricted security context.
 */
export class ClusterAutoscaler extends Construct {
  /** The flags passed to ./cluster-autoscaler, in order. */
  readonly args: readonly string[];
  readonly namespace: string;
  /** Labels the Deployment selects its pods by. */
  readonly selector: Record<string, string>;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly role: k8s.KubeRole;
  readonly deployment: k8s.KubeDeployment;
  readonly networkPolicy: AllowPolicy;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    validateProps(props);
    this.namespace = props.namespace ?? 'kube-system';
    const labelProps = { name: CLUSTER_AUTOSCALER_NAME, component: 'cluster-autoscaler', environment: props.environment, finbotApp: false };
    this.selector = selectorLabels(labelProps);
    const objectLabels = labels(labelProps);
    const metadata = { name: CLUSTER_AUTOSCALER_NAME, namespace: this.namespace, labels: objectLabels };
    this.args = autoscalerArgs(props);
    this.serviceAccount = this.addServiceAccount(props, metadata);
    const rbac = this.addRbac(metadata, objectLabels);
    this.clusterRole = rbac.clusterRole;
    this.role = rbac.role;
    this.deployment = this.addDeployment(props, metadata, labels({ ...labelProps, version: props.imageTag }));
    this.networkPolicy = this.addNetworkPolicy(props, objectLabels);
  }

  private addServiceAccount(props: ClusterAutoscalerProps, metadata: { name: string; namespace: string; labels: Record<string, string> }): k8s.KubeServiceAccount {
    if (props.podIdentityRole !== undefined && !/^[A-Za-z0-9+=,.@_-]{1,64}$/.test(props.podIdentityRole)) {
      throw new Error(`ClusterAutoscaler: podIdentityRole "${props.podIdentityRole}" is not an IAM role name; give the role's name (not its ARN), e.g. finbot-cluster-cluster-autoscaler`);
    }
    return new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        ...metadata,
        ...(props.podIdentityRole !== undefined ? { annotations: { 'finbot.io/pod-identity-role': props.podIdentityRole } } : {}),
      },
      // The autoscaler is a Kubernetes API client (it watches pods and nodes, evicts pods, updates its
      // lease and status ConfigMap) and authenticates with this ServiceAccount's token. Its AWS credentials
      // come from the EKS Pod Identity Agent, keyed by this ServiceAccount.
      automountServiceAccountToken: true,
    });
  }

  private addRbac(metadata: { name: string; namespace: string; labels: Record<string, string> }, objectLabels: Record<string, string>) {
    const subject = { kind: 'ServiceAccount', name: CLUSTER_AUTOSCALER_NAME, namespace: metadata.namespace };
    const clusterRole = new KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: CLUSTER_AUTOSCALER_NAME, labels: objectLabels },
      rules: CLUSTER_AUTOSCALER_CLUSTER_RULES.map((r) => ({ ...r })),
    });
    new KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: CLUSTER_AUTOSCALER_NAME, labels: objectLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CLUSTER_AUTOSCALER_NAME },
      subjects: [subject],
    });
    const role = new KubeRole(this, 'Role', { metadata, rules: CLUSTER_AUTOSCALER_NAMESPACE_RULES.map((r) => ({ ...r })) });
    new KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CLUSTER_AUTOSCALER_NAME },
      subjects: [subject],
    });
    return { clusterRole, role };
  }

  private addDeployment(props: ClusterAutoscalerProps, metadata: { name: string; namespace: string }, podLabels: Record<string, string>): k8s.KubeDeployment {
    const res = props.resources ?? DEFAULT_RESOURCES;
    return new KubeDeployment(this, 'Deployment', {
      metadata: { ...metadata, labels: podLabels },
      spec: {
        // One active autoscaler per cluster (it also takes a leader lease); no PDB: see annotation below.
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        template: {
          metadata: {
            labels: podLabels,
            // The autoscaler never removes the node it runs on. A PDB is deliberately absent: with one
            // replica any PDB that protects it (maxUnavailable 0) blocks every node drain forever, and a
            // restart of the autoscaler costs nothing but a short pause in scaling decisions.
            annotations: {
              'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
              // Read by the validation's policy/sa-token rule: this pod is a Kubernetes API client by design.
              'finbot.io/needs-api-token': 'cluster-autoscaler watches nodes and pods and patches node groups through the Kubernetes API',
            },
          },
          spec: {
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: CLUSTER_AUTOSCALER_NAME,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: restrictedPodSecurityContext(NOBODY),
            containers: [
              {
                name: CLUSTER_AUTOSCALER_NAME,
                image: `${CLUSTER_AUTOSCALER_IMAGE}:${props.imageTag}`,
                imagePullPolicy: 'IfNotPresent',
                command: ['./cluster-autoscaler', ...this.args],
                env: [{ name: 'AWS_REGION', value: props.region }],
                ports: [{ name: 'http-metrics', containerPort: CLUSTER_AUTOSCALER_PORT, protocol: 'TCP' }],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(res.requests.cpu), memory: k8s.Quantity.fromString(res.requests.memory) },
                  limits: { cpu: k8s.Quantity.fromString(res.limits.cpu), memory: k8s.Quantity.fromString(res.limits.memory) },
                },
                livenessProbe: healthProbe(30),
                readinessProbe: healthProbe(10),
                securityContext: restrictedContainerSecurityContext(),
                // The image's own CA bundle (distroless) is used: no hostPath mount of the node's bundle.
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
          },
        },
      },
    });
  }

  private addNetworkPolicy(props: ClusterAutoscalerProps, objectLabels: Record<string, string>): AllowPolicy {
    return new AllowPolicy(this, 'NetworkPolicy', {
      name: CLUSTER_AUTOSCALER_NAME,
      namespace: this.namespace,
      podLabels: this.selector,
      labels: objectLabels,
      ...(props.metricsScrapers?.length ? { ingress: [{ peers: props.metricsScrapers, ports: [{ port: CLUSTER_AUTOSCALER_PORT }] }] } : {}),
      egress: [
        // The Kubernetes API server and the AWS APIs (Auto Scaling, EC2, STS; public or VPC endpoints).
        { peers: [{ ipBlock: { cidr: '0.0.0.0/0', except: [INSTANCE_METADATA_CIDR] } }], ports: [{ port: 443 }] },
        // AWS credentials from the EKS Pod Identity Agent on the node.
        { peers: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [{ port: POD_IDENTITY_AGENT.port }] },
        { peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS },
      ],
    });
  }
}

function validateProps(props: ClusterAutoscalerProps): void {
  const minor = /^v(1\.[0-9]+)\.[0-9]+$/.exec(props.imageTag)?.[1];
  if (minor === undefined) {
    throw new Error(`ClusterAutoscaler: imageTag "${props.imageTag}" is not a release tag; use v<minor>.<patch>, e.g. v${props.kubernetesVersion}.0`);
  }
  if (minor !== props.kubernetesVersion) {
    throw new Error(`ClusterAutoscaler: imageTag ${props.imageTag} is for Kubernetes ${minor} but kubernetesVersion is ${props.kubernetesVersion}; use a v${props.kubernetesVersion}.x release (upstream supports only the matching minor)`);
  }
  for (const [name, value] of [['scaleDownDelayAfterAdd', props.scaleDownDelayAfterAdd], ['scaleDownUnneededTime', props.scaleDownUnneededTime]] as const) {
    if (value !== undefined && !DURATION.test(value)) throw new Error(`ClusterAutoscaler: ${name} "${value}" is not a duration; use e.g. 10m, 90s or 1h`);
  }
}

/** The flags of ./cluster-autoscaler, in order. */
function autoscalerArgs(props: ClusterAutoscalerProps): string[] {
  return [
    '--v=4',
    '--stderrthreshold=info',
    '--cloud-provider=aws',
    '--skip-nodes-with-local-storage=false',
    '--expander=least-waste',
    `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${props.clusterName}`,
    '--balance-similar-node-groups',
    '--scale-down-enabled=true',
    `--scale-down-delay-after-add=${props.scaleDownDelayAfterAdd ?? '10m'}`,
    `--scale-down-unneeded-time=${props.scaleDownUnneededTime ?? '10m'}`,
  ];
}

function healthProbe(initialDelaySeconds: number): k8s.Probe {
  return {
    httpGet: { path: '/health-check', port: k8s.IntOrString.fromNumber(CLUSTER_AUTOSCALER_PORT) },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
  };
}
