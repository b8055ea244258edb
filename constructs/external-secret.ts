/**
 * An External Secrets `ExternalSecret` (external-secrets.io/v1) that copies keys from a Vault store into a
 * Kubernetes Secret the controller owns.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
import { Construct } from 'constructs';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { labels } from './labels';
import { ModelObject } from './model-object';

/** One key of the target Secret and where it comes from. */
export interface ExternalSecretKey {
  /** Key in the Kubernetes Secret, e.g. `database-url`. */
  readonly secretKey: string;
  /** Vault key below the KV mount, e.g. `finbot/database`. */
  readonly remoteKey: string;
  /** Property of the Vault secret, e.g. `url`. */
  readonly property: string;
  /**
   * Another store of the same namespace to read this key from (ESO `data[].sourceRef.storeRef`).
   * @default - the ExternalSecret's store
   */
  readonly store?: { readonly name: string; readonly namespace: string };
}

/** Props of {@link FinbotExternalSecret}. */
export interface FinbotExternalSecretProps {
  /** ExternalSecret name. */
  readonly name: string;
  /** Store to read from; the ExternalSecret is created in the store's namespace. */
  readonly store: { readonly name: string; readonly namespace: string };
  /** Name of the Secret the controller creates (and owns). */
  readonly targetName: string;
  /** Keys of the Secret. */
  readonly data: readonly ExternalSecretKey[];
  /** How often Vault is re-read. @default '1h' */
  readonly refreshInterval?: string;
  /** Environment name (label). */
  readonly environment: string;
  /**
   * Extra keys rendered by the External Secrets template engine (v2, merged with `data`), e.g. a configuration
   * file that references the fetched keys by path. Values are Go templates: `{{` is evaluated. @default none
   */
  readonly templateData?: Readonly<Record<string, string>>;
}

/** ExternalSecret with `creationPolicy: Owner` (the Secret is deleted with it). */
export class FinbotExternalSecret extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Name of the Secret consumers reference. */
  readonly secretName: string;
  /** Keys the Secret will hold. */
  readonly keys: readonly string[];
  readonly resource: ModelObject;

  constructor(scope: Construct, id: string, props: FinbotExternalSecretProps) {
    super(scope, id);
    if (props.data.length === 0) {
      throw new Error(`ExternalSecret ${props.name}: data is empty; list at least one { secretKey, remoteKey, property }`);
    }
    const keys = props.data.map((d) => d.secretKey);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup !== undefined) {
      throw new Error(`ExternalSecret ${props.name}: secretKey "${dup}" appears twice; each key of the target Secret must come from one place`);
    }
    const foreign = props.data.find((d) => d.store && d.store.namespace !== props.store.namespace);
    if (foreign) {
      throw new Error(`ExternalSecret ${props.name}: key "${foreign.secretKey}" reads from store ${foreign.store?.name} in ${foreign.store?.namespace}; a SecretStore serves only its own namespace (${props.store.namespace})`);
    }
    this.name = props.name;
    this.namespace = props.store.namespace;
    this.secretName = props.targetName;
    const templated = Object.keys(props.templateData ?? {});
    const clash = templated.find((k) => keys.includes(k));
    if (clash !== undefined) throw new Error(`ExternalSecret ${props.name}: key "${clash}" is both fetched (data) and templated (templateData); give it one source`);
    this.keys = [...keys, ...templated];
    this.resource = new ModelObject<IExternalSecret>(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: this.namespace, labels: labels({ name: props.name, component: 'secrets', environment: props.environment }) },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { name: props.store.name, kind: 'SecretStore' },
        target: {
          name: props.targetName,
          creationPolicy: 'Owner',
          ...(props.templateData ? { template: { engineVersion: 'v2', mergePolicy: 'Merge', data: { ...props.templateData } } } : {}),
        },
        data: props.data.map((d) => ({
          secretKey: d.secretKey,
          remoteRef: { key: d.remoteKey, property: d.property },
          ...(d.store && d.store.name !== props.store.name ? { sourceRef: { storeRef: { name: d.store.name, kind: 'SecretStore' } } } : {}),
        })),
      },
    });
  }
}
