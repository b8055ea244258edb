/**
 * An External Secrets `SecretStore` with the Kubernetes provider: lets ExternalSecrets of one namespace read
 * named Secrets of another namespace of the same cluster (e.g. the `<cluster>-app` Secret CloudNativePG
 * maintains), with a ServiceAccount that may `get` exactly those Secrets and nothing else.
 *
 * The ServiceAccount has `automountServiceAccountToken: false`: no pod runs as it; the ESO controller
 * requests tokens for it through the TokenRequest API (model/operators/external-secrets.ts).
 * @see https://external-secrets.io/latest/provider/kubernetes/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { ISecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore';
import { KUBE_ROOT_CA, KUBERNETES_PROVIDER_API_URL } from '../model/operators/external-secrets';
import { KubeRole, KubeRoleBinding, KubeServiceAccount } from './kube-objects';
import { labels } from './labels';
import { ModelObject } from './model-object';

/** Props of {@link KubernetesSecretStore}. */
export interface KubernetesSecretStoreProps {
  /** Store name (ExternalSecrets reference it). */
  readonly name: string;
  /** Namespace of the store and of the ExternalSecrets that use it. */
  readonly namespace: string;
  /** Namespace whose Secrets are read. */
  readonly remoteNamespace: string;
  /** The only Secrets of `remoteNamespace` the store may read. */
  readonly secretNames: readonly string[];
  /** ServiceAccount (in `namespace`) ESO authenticates as. */
  readonly serviceAccountName: string;
  /** Environment name (label). */
  readonly environment: string;
}

/** SecretStore (Kubernetes provider) + ServiceAccount + a Role in the remote namespace for `get` on named Secrets. */
export class KubernetesSecretStore extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly role: k8s.KubeRole;
  readonly store: ModelObject;

  constructor(scope: Construct, id: string, props: KubernetesSecretStoreProps) {
    super(scope, id);
    if (props.secretNames.length === 0) {
      throw new Error(`KubernetesSecretStore ${props.name}: secretNames is empty; name the Secrets of ${props.remoteNamespace} it may read (it never gets list or read-all)`);
    }
    if (props.remoteNamespace === props.namespace) {
      throw new Error(`KubernetesSecretStore ${props.name}: remoteNamespace is the store's own namespace ${props.namespace}; reference the Secret directly instead`);
    }
    this.name = props.name;
    this.namespace = props.namespace;
    const objectLabels = labels({ name: props.name, component: 'secrets', environment: props.environment });
    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.serviceAccountName, namespace: props.namespace, labels: objectLabels },
      automountServiceAccountToken: false,
    });
    const roleName = `${props.namespace}-${props.name}`;
    this.role = new KubeRole(this, 'Role', {
      metadata: { name: roleName, namespace: props.remoteNamespace, labels: objectLabels },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [...props.secretNames], verbs: ['get'] }],
    });
    new KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: roleName, namespace: props.remoteNamespace, labels: objectLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace }],
    });
    this.store = new ModelObject<ISecretStore>(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: props.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        provider: {
          kubernetes: {
            remoteNamespace: props.remoteNamespace,
            server: { url: KUBERNETES_PROVIDER_API_URL, caProvider: { type: 'ConfigMap', name: KUBE_ROOT_CA.name, key: KUBE_ROOT_CA.key } },
            auth: { serviceAccount: { name: props.serviceAccountName } },
          },
        },
      },
    });
  }
}
