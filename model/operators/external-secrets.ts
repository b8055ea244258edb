/**
 * What External Secrets Operator v2.9.0 (https://github.com/external-secrets/external-secrets) does with a
 * SecretStore and ExternalSecret (external-secrets.io/v1).
 */

export const EXTERNAL_SECRETS_RELEASE = 'v2.9.0';

/**
 * Vault Kubernetes auth with `serviceAccountRef`: the controller asks the TokenRequest API for a token of
 * that ServiceAccount with audiences exactly `serviceAccountRef.audiences` and 600 s lifetime
 * (providers/v1/vault/auth_kubernetes.go `setKubernetesAuthToken` → providers/v1/vault/auth.go
 * `createServiceAccountToken(..., nil, 600)`). Without audiences the API server's default audience is used,
 * which a Vault role with `audience` set rejects. So every such store must state the audience the Vault
 * role is bound to.
 */
export const VAULT_KUBERNETES_AUTH_TOKEN = { expirationSeconds: 600, audienceField: 'spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences' } as const;

/**
 * The Kubernetes provider (providers/v1/kubernetes/auth.go → runtime/esutils/k8s_rest_config.go
 * `BuildRESTConfigFromKubernetesConnection`): needs `server.url` (the CRD defaults it to kubernetes.default)
 * and a CA (`server.caProvider`), and with `auth.serviceAccount` requests a token for that ServiceAccount in
 * the store's namespace; reads Secrets of `remoteNamespace` with that identity, so RBAC `get` on exactly the
 * Secret read is all it needs.
 */
export const KUBERNETES_PROVIDER_API_URL = 'https://kubernetes.default.svc';

/** The ConfigMap with the cluster CA that Kubernetes publishes in every namespace. */
export const KUBE_ROOT_CA = { name: 'kube-root-ca.crt', key: 'ca.crt' } as const;

/** The Secret an ExternalSecret writes: `spec.target.name`, default the ExternalSecret's name (apis/externalsecrets/v1/externalsecret_types.go). */
export function externalSecretTarget(name: string, spec: { target?: { name?: string } } | undefined): string {
  return spec?.target?.name ?? name;
}
