/**
 * The NetworkPolicies of the Vault namespace: default deny, DNS, and exactly what the Vault servers (API
 * 8200 for External Secrets and the snapshot job, 8201 between the raft peers, egress to AWS KMS, the EKS
 * Pod Identity Agent and the Kubernetes API) and the snapshot job (Vault API, S3) need.
 * @see https://developer.hashicorp.com/vault/docs/configuration/listener/tcp
 */
import { Construct } from 'constructs';
import { VAULT_PORTS } from '../model/operators/vault';
import { POD_IDENTITY_AGENT } from './cluster-autoscaler';
import { ANYWHERE, KUBE_API_PORTS, namespaceByName, S3_PORTS } from './data-network-policies';
import { AllowPolicy, CLUSTER_DNS_PEER, DefaultDenyPolicy, DNS_PORTS } from './network-policy';

/** Props of {@link VaultNetworkPolicies}. */
export interface VaultNetworkPoliciesProps {
  readonly namespace: string;
  /** Labels of the Vault server pods (vault-helm). */
  readonly serverPods: Record<string, string>;
  /** Labels of the snapshot backup pods. */
  readonly backupPods: Record<string, string>;
  /** Namespace of the External Secrets controller (it logs in to Vault and reads secrets). */
  readonly externalSecretsNamespace: string;
}

/** Default deny plus Vault's own connections. */
export class VaultNetworkPolicies extends Construct {
  readonly policies: readonly (AllowPolicy | DefaultDenyPolicy)[];

  constructor(scope: Construct, id: string, props: VaultNetworkPoliciesProps) {
    super(scope, id);
    const { namespace } = props;
    const servers = { podLabels: props.serverPods };
    const both = [{ port: VAULT_PORTS.api }, { port: VAULT_PORTS.cluster }];
    this.policies = [
      new DefaultDenyPolicy(this, 'DefaultDeny', { namespace, name: 'default-deny-all' }),
      new AllowPolicy(this, 'Dns', { name: 'allow-dns-egress', namespace, podLabels: {}, egress: [{ peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS }] }),
      new AllowPolicy(this, 'Api', {
        name: 'allow-vault-api',
        namespace,
        podLabels: props.serverPods,
        ingress: [
          { peers: [namespaceByName(props.externalSecretsNamespace), { podLabels: props.backupPods }], ports: [{ port: VAULT_PORTS.api }] },
          // Raft, request forwarding and retry_join between the servers.
          { peers: [servers], ports: both },
        ],
      }),
      new AllowPolicy(this, 'ServerEgress', {
        name: 'allow-vault-egress',
        namespace,
        podLabels: props.serverPods,
        egress: [
          { peers: [servers], ports: both },
          // AWS KMS (auto-unseal) on 443; the Kubernetes API (TokenReview, service registration) on 443/6443.
          { peers: ANYWHERE, ports: KUBE_API_PORTS },
          // AWS credentials for KMS from the EKS Pod Identity Agent on the node.
          { peers: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [{ port: POD_IDENTITY_AGENT.port }] },
        ],
      }),
      new AllowPolicy(this, 'BackupEgress', {
        name: 'allow-vault-backup-egress',
        namespace,
        podLabels: props.backupPods,
        egress: [{ peers: [servers], ports: [{ port: VAULT_PORTS.api }] }, { peers: ANYWHERE, ports: S3_PORTS }],
      }),
    ];
  }
}
