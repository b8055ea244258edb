/**
 * The Vault server of an environment, delivered the way the official Helm chart reads its configuration:
 * an Argo CD Application for the vault-helm chart whose values carry the server configuration (HA with
 * integrated raft storage, a TLS listener, AWS KMS auto-unseal, `disable_mlock`, each node's own
 * `cluster_addr`) in `server.ha.raft.config`, which the chart renders into its own `<release>-config`
 * ConfigMap and starts `vault server -config=` on (model/operators/vault.ts). The listener's certificate
 * comes from cert-manager: a private CA (self-signed ClusterIssuer → CA Certificate → CA ClusterIssuer) that
 * also issues, in every namespace whose SecretStore talks to Vault, a trust Certificate whose Secret holds the
 * CA (`ca.crt`) for External Secrets.
 * @see https://developer.hashicorp.com/vault/docs/platform/k8s/helm/configuration
 * @see https://developer.hashicorp.com/vault/docs/configuration
 * @see https://cert-manager.io/docs/configuration/ca/
 */
import { Construct } from 'constructs';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import {
  VAULT_HELM_CHART,
  VAULT_HELM_REPO,
  VAULT_PORTS,
  vaultClusterAddrTemplate,
  vaultHelmNames,
  vaultUserconfigPath,
} from '../model/operators/vault';
import { labels } from './labels';
import { ModelObject } from './model-object';

/** Props of {@link VaultServer}. */
export interface VaultServerProps {
  /** Namespace of the Vault server (the Helm release's namespace). */
  readonly namespace: string;
  /** Environment name (label). */
  readonly environment: string;
  /** Helm release name; the chart names its objects after it (vault-0, vault-internal, vault-config, ...). */
  readonly releaseName: string;
  /** vault-helm chart version, e.g. 0.34.1. */
  readonly chartVersion: string;
  /** Vault image repository and tag (docker.io/hashicorp/vault:2.0.4). */
  readonly image: { readonly repository: string; readonly tag: string };
  /** Raft voters (odd). */
  readonly replicas: number;
  /** AWS region of the KMS key. */
  readonly kmsRegion: string;
  /** KMS key alias, id or ARN used to unseal. */
  readonly kmsKeyId: string;
  /** api_addr (https): where clients reach Vault. */
  readonly apiAddr: string;
  /** Serve the web UI. @default true */
  readonly ui?: boolean;
  /** StorageClass of the raft volumes. */
  readonly storageClass: string;
  /** Size of each node's raft volume. @default '10Gi' */
  readonly storageSize?: string;
  /** Argo CD: namespace of the Application and the AppProject it belongs to. */
  readonly argocdNamespace: string;
  readonly argocdProject: string;
  /** Namespace cert-manager keeps ClusterIssuer secrets in (its `--cluster-resource-namespace`). @default 'cert-manager' */
  readonly certManagerNamespace?: string;
  /** Namespaces that get a trust Certificate (Secret {@link VaultServer.trustSecret} with `ca.crt`). @default none */
  readonly trustNamespaces?: readonly string[];
}

/** Vault via the vault-helm chart, with its TLS chain. */
export class VaultServer extends Construct {
  /** The server configuration the chart renders (HCL; HOSTNAME is replaced per pod by the chart). */
  readonly hcl: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** Secret holding the listener certificate (tls.crt, tls.key, ca.crt). */
  readonly tlsSecret: string;
  /** Secret, in every trust namespace, whose `ca.crt` is Vault's CA. */
  readonly trustSecret: string;
  /** In-cluster https address of the active node. */
  readonly activeAddress: string;
  /** Pod labels of the Vault servers (chart-made). */
  readonly podLabels: Record<string, string>;
  readonly application: ModelObject;

  constructor(scope: Construct, id: string, props: VaultServerProps) {
    super(scope, id);
    validate(props);
    this.releaseName = props.releaseName;
    this.namespace = props.namespace;
    this.tlsSecret = `${props.releaseName}-tls`;
    this.trustSecret = `${props.releaseName}-ca-trust`;
    const names = vaultHelmNames(props.releaseName);
    this.activeAddress = `https://${names.activeService}.${props.namespace}.svc:${VAULT_PORTS.api}`;
    this.podLabels = { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': props.releaseName, component: 'server' };
    this.hcl = this.renderConfig(props);
    this.addCertificates(props);
    this.application = this.addApplication(props);
  }

  /** vault.hcl as the chart reads it from `server.ha.raft.config`. */
  private renderConfig(props: VaultServerProps): string {
    const names = vaultHelmNames(props.releaseName);
    const tls = vaultUserconfigPath(this.tlsSecret);
    const q = (s: string): string => JSON.stringify(s);
    const joins = Array.from({ length: props.replicas }, (_, i) => [
      '  retry_join {',
      `    leader_api_addr     = ${q(`https://${names.pod(i)}.${names.internalService}:${VAULT_PORTS.api}`)}`,
      `    leader_ca_cert_file = ${q(`${tls}/ca.crt`)}`,
      '  }',
    ]).flat();
    return [
      `ui            = ${props.ui ?? true}`,
      // Restricted Pod Security forbids IPC_LOCK: without this Vault exits with "Failed to lock memory".
      // Nodes must run without swap (docs/secrets.md).
      'disable_mlock = true',
      `api_addr      = ${q(props.apiAddr)}`,
      // Each node's own address; the chart replaces HOSTNAME with the pod name.
      `cluster_addr  = ${q(vaultClusterAddrTemplate(props.releaseName))}`,
      '',
      'listener "tcp" {',
      `  address         = ${q(`[::]:${VAULT_PORTS.api}`)}`,
      `  cluster_address = ${q(`[::]:${VAULT_PORTS.cluster}`)}`,
      `  tls_cert_file   = ${q(`${tls}/tls.crt`)}`,
      `  tls_key_file    = ${q(`${tls}/tls.key`)}`,
      '}',
      '',
      'storage "raft" {',
      '  path = "/vault/data"',
      ...joins,
      '}',
      '',
      'seal "awskms" {',
      `  region     = ${q(props.kmsRegion)}`,
      `  kms_key_id = ${q(props.kmsKeyId)}`,
      '}',
      '',
      // Labels the active node (vault-active: "true") so that <release>-active routes to it.
      'service_registration "kubernetes" {}',
      '',
    ].join('\n');
  }

  /** Private CA for Vault's listener, the listener certificate and the trust Certificates. */
  private addCertificates(props: VaultServerProps): void {
    const objectLabels = labels({ name: props.releaseName, component: 'secrets', environment: props.environment, finbotApp: false });
    const names = vaultHelmNames(props.releaseName);
    const selfSigned = `${props.releaseName}-${props.environment}-selfsigned`;
    const caIssuer = `${props.releaseName}-${props.environment}-ca`;
    const caSecret = `${props.releaseName}-${props.environment}-ca`;
    new ModelObject<IClusterIssuer>(this, 'SelfSignedIssuer', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: selfSigned, labels: objectLabels }, spec: { selfSigned: {} } });
    new ModelObject<ICertificate>(this, 'CaCertificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: caSecret, namespace: props.certManagerNamespace ?? 'cert-manager', labels: objectLabels },
      spec: {
        isCA: true,
        commonName: `FinBot ${props.environment} Vault CA`,
        secretName: caSecret,
        duration: '87600h',
        privateKey: { algorithm: 'ECDSA', size: 256 },
        issuerRef: { kind: 'ClusterIssuer', name: selfSigned, group: 'cert-manager.io' },
      },
    });
    new ModelObject<IClusterIssuer>(this, 'CaIssuer', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: caIssuer, labels: objectLabels }, spec: { ca: { secretName: caSecret } } });
    const apiHost = new URL(props.apiAddr).hostname;
    const ns = props.namespace;
    new ModelObject<ICertificate>(this, 'TlsCertificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: this.tlsSecret, namespace: ns, labels: objectLabels },
      spec: {
        secretName: this.tlsSecret,
        commonName: apiHost,
        dnsNames: [
          apiHost,
          names.service, `${names.service}.${ns}`, `${names.service}.${ns}.svc`,
          `${names.activeService}.${ns}.svc`,
          `*.${names.internalService}`, `*.${names.internalService}.${ns}.svc`, `*.${names.internalService}.${ns}.svc.cluster.local`,
        ],
        // The chart's probes and CLI inside the pod use https://127.0.0.1:8200.
        ipAddresses: ['127.0.0.1'],
        duration: '2160h',
        renewBefore: '720h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: ['server auth', 'client auth'],
        issuerRef: { kind: 'ClusterIssuer', name: caIssuer, group: 'cert-manager.io' },
      },
    });
    for (const trustNs of props.trustNamespaces ?? []) {
      // Only its ca.crt is used (SecretStore caProvider); the leaf is a by-product of issuing it.
      new ModelObject<ICertificate>(this, `Trust-${trustNs}`, {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: this.trustSecret, namespace: trustNs, labels: objectLabels },
        spec: {
          secretName: this.trustSecret,
          commonName: `vault-trust.${trustNs}`,
          duration: '2160h',
          privateKey: { algorithm: 'ECDSA', size: 256 },
          usages: ['client auth'],
          issuerRef: { kind: 'ClusterIssuer', name: caIssuer, group: 'cert-manager.io' },
        },
      });
    }
  }

  /** The Argo CD Application that installs vault-helm with these values. */
  private addApplication(props: VaultServerProps): ModelObject {
    const tlsPath = vaultUserconfigPath(this.tlsSecret);
    const values = {
      global: { enabled: true, tlsDisable: false },
      injector: { enabled: false },
      server: {
        image: { repository: props.image.repository, tag: props.image.tag },
        ha: { enabled: true, replicas: props.replicas, raft: { enabled: true, setNodeId: true, config: this.hcl } },
        dataStorage: { enabled: true, size: props.storageSize ?? '10Gi', storageClass: props.storageClass },
        extraVolumes: [{ type: 'secret', name: this.tlsSecret }],
        // The chart renders the config to /tmp at start: /tmp is an emptyDir so the root can stay read-only.
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        extraEnvironmentVars: { VAULT_CACERT: `${tlsPath}/ca.crt` },
        // TokenReview for the Kubernetes auth method (system:auth-delegator).
        authDelegator: { enabled: true },
        statefulSet: {
          securityContext: {
            pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          },
        },
      },
      ui: { enabled: props.ui ?? true },
    };
    return new ModelObject<IApplication>(this, 'Application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: `${props.releaseName}-${props.environment}`,
        namespace: props.argocdNamespace,
        labels: labels({ name: props.releaseName, component: 'secrets', environment: props.environment, finbotApp: false }),
      },
      spec: {
        project: props.argocdProject,
        source: {
          repoURL: VAULT_HELM_REPO,
          chart: VAULT_HELM_CHART,
          targetRevision: props.chartVersion,
          helm: { releaseName: props.releaseName, valuesObject: values },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: props.namespace },
        syncPolicy: { syncOptions: ['FailOnSharedResource=true'] },
      },
    });
  }
}

function validate(props: VaultServerProps): void {
  if (!props.apiAddr.startsWith('https://')) {
    throw new Error(`VaultServer: apiAddr "${props.apiAddr}" must start with https:// (the listener serves TLS only); use e.g. https://vault.finbot.com:8200`);
  }
  if (!Number.isInteger(props.replicas) || props.replicas < 1 || props.replicas % 2 === 0) {
    throw new Error(`VaultServer: replicas is ${props.replicas}; raft needs an odd number of voters (1, 3 or 5)`);
  }
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(props.chartVersion)) {
    throw new Error(`VaultServer: chartVersion "${props.chartVersion}" is not a vault-helm release such as 0.34.1`);
  }
  if (props.image.tag === 'latest' || props.image.tag === '') {
    throw new Error(`VaultServer: image tag "${props.image.tag}" is not pinned; use a release such as 2.0.4`);
  }
}
