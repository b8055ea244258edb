/**
 * The Vault server's configuration file (vault.hcl) as a ConfigMap: Consul storage, a TLS listener,
 * AWS KMS auto-unseal, the UI and the API/cluster addresses of the design document.
 * @see https://developer.hashicorp.com/vault/docs/configuration
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { labels } from './labels';
import { KubeConfigMap } from './kube-objects';

/** Props of {@link VaultConfig}. */
export interface VaultConfigProps {
  /** Namespace of the Vault server. */
  readonly namespace: string;
  /** Environment name (label). */
  readonly environment: string;
  /** ConfigMap name. @default 'vault-config' */
  readonly name?: string;
  /** Consul address as host:port, e.g. `consul:8500`. */
  readonly consulAddress: string;
  /** Consul key prefix, ending in `/`. @default 'vault/' */
  readonly consulPath?: string;
  /** AWS region of the KMS key. */
  readonly kmsRegion: string;
  /** KMS key alias, id or ARN used to unseal. */
  readonly kmsKeyId: string;
  /** api_addr (https). */
  readonly apiAddr: string;
  /** cluster_addr (https). */
  readonly clusterAddr: string;
  /** Serve the web UI. @default true */
  readonly ui?: boolean;
  /** Listener port. @default 8200 */
  readonly port?: number;
  /** Directory holding vault.crt and vault.key (mounted from a Secret by the Vault server). @default '/vault/tls' */
  readonly tlsDir?: string;
}

/** ConfigMap `vault-config` with one key, `vault.hcl`. */
export class VaultConfig extends Construct {
  /** The rendered vault.hcl. */
  readonly hcl: string;
  readonly configMap: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: VaultConfigProps) {
    super(scope, id);
    for (const [prop, value] of [['apiAddr', props.apiAddr], ['clusterAddr', props.clusterAddr]] as const) {
      if (!value.startsWith('https://')) {
        throw new Error(`VaultConfig: ${prop} "${value}" must start with https:// (the listener serves TLS only); use e.g. https://vault.finbot.com:8200`);
      }
    }
    const consulPath = props.consulPath ?? 'vault/';
    if (!consulPath.endsWith('/')) {
      throw new Error(`VaultConfig: consulPath "${consulPath}" must end with "/" (Consul key prefix), e.g. vault/`);
    }
    const tlsDir = props.tlsDir ?? '/vault/tls';
    const q = (s: string): string => JSON.stringify(s);
    this.hcl = [
      'storage "consul" {',
      `  address = ${q(props.consulAddress)}`,
      `  path    = ${q(consulPath)}`,
      '}',
      '',
      'listener "tcp" {',
      `  address       = ${q(`0.0.0.0:${props.port ?? 8200}`)}`,
      `  tls_cert_file = ${q(`${tlsDir}/vault.crt`)}`,
      `  tls_key_file  = ${q(`${tlsDir}/vault.key`)}`,
      '}',
      '',
      'seal "awskms" {',
      `  region     = ${q(props.kmsRegion)}`,
      `  kms_key_id = ${q(props.kmsKeyId)}`,
      '}',
      '',
      `ui           = ${props.ui ?? true}`,
      `api_addr     = ${q(props.apiAddr)}`,
      `cluster_addr = ${q(props.clusterAddr)}`,
      '',
    ].join('\n');
    this.configMap = new KubeConfigMap(this, 'Resource', {
      metadata: {
        name: props.name ?? 'vault-config',
        namespace: props.namespace,
        labels: labels({ name: 'vault', component: 'secrets', environment: props.environment, finbotApp: false }),
      },
      data: { 'vault.hcl': this.hcl },
    });
  }
}
