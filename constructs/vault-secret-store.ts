/**
 * A namespaced External Secrets `SecretStore` backed by HashiCorp Vault (KV engine, Kubernetes auth), with
 * the ServiceAccount it logs in as.
 *
 * The ServiceAccount has `automountServiceAccountToken: false`: no pod runs as it. The External Secrets
 * controller requests a short-lived token for it through the TokenRequest API (`serviceAccountRef`) with
 * exactly the audiences listed there (model/operators/external-secrets.ts), and presents that token to
 * Vault's Kubernetes auth method, whose role must be bound to the same audience.
 * @see https://external-secrets.io/latest/provider/hashicorp-vault/
 * @see https://external-secrets.io/latest/api/spec/#external-secrets.io/v1.VaultKubernetesAuth
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { ISecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore';
import { labels } from './labels';
import { ModelObject } from './model-object';
import { SECRET_STORE_NAME } from './secret-names';
import { KubeServiceAccount } from './kube-objects';

/** Props of {@link VaultSecretStore}. */
export interface VaultSecretStoreProps {
  /** Namespace of the store (a SecretStore serves only its own namespace). */
  readonly namespace: string;
  /** Environment name (label). */
  readonly environment: string;
  /** Vault address, https. */
  readonly server: string;
  /** KV mount path. @default 'secret' */
  readonly path?: string;
  /** KV engine version. @default 'v2' */
  readonly kvVersion?: 'v1' | 'v2';
  /** Mount path of the Kubernetes auth method. @default 'kubernetes' */
  readonly kubernetesAuthMount?: string;
  /** Vault role bound to the ServiceAccount (one role per consumer: its policy names only its keys). */
  readonly role: string;
  /**
   * Audience of the token ESO requests; the Vault role must be bound to it (`audience=`). Required: without
   * it the API server's default audience is used and a Vault role with an audience rejects the login.
   */
  readonly audience: string;
  /** Name of the ServiceAccount the controller requests tokens for. */
  readonly serviceAccountName: string;
  /** CA of Vault's certificate from a Secret in the same namespace (e.g. a cert-manager Certificate's `ca.crt`). @default none (public CA) */
  readonly caSecret?: { readonly name: string; readonly key: string };
  /** Store name. @default {@link SECRET_STORE_NAME} */
  readonly name?: string;
}

/** SecretStore `vault-backend` plus its ServiceAccount. */
export class VaultSecretStore extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly store: ModelObject;

  constructor(scope: Construct, id: string, props: VaultSecretStoreProps) {
    super(scope, id);
    if (!props.server.startsWith('https://')) {
      throw new Error(`VaultSecretStore ${props.namespace}: server "${props.server}" must be an https URL: Vault tokens must not travel in clear text`);
    }
    if (!/^[a-z0-9][a-z0-9.:/-]*$/.test(props.audience)) {
      throw new Error(`VaultSecretStore ${props.namespace}: audience "${props.audience}" is not a token audience; use the audience the Vault role is bound to, e.g. vault`);
    }
    this.name = props.name ?? SECRET_STORE_NAME;
    this.namespace = props.namespace;
    const objectLabels = labels({ name: this.name, component: 'secrets', environment: props.environment });
    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.serviceAccountName, namespace: props.namespace, labels: objectLabels },
      // No pod mounts this account: the controller gets tokens through the TokenRequest API.
      automountServiceAccountToken: false,
    });
    this.store = new ModelObject<ISecretStore>(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: this.name, namespace: props.namespace, labels: objectLabels },
      spec: {
        provider: {
          vault: {
            server: props.server,
            path: props.path ?? 'secret',
            version: props.kvVersion ?? 'v2',
            ...(props.caSecret ? { caProvider: { type: 'Secret', name: props.caSecret.name, key: props.caSecret.key } } : {}),
            auth: {
              kubernetes: {
                mountPath: props.kubernetesAuthMount ?? 'kubernetes',
                role: props.role,
                serviceAccountRef: { name: props.serviceAccountName, audiences: [props.audience] },
              },
            },
          },
        },
      },
    });
  }
}
