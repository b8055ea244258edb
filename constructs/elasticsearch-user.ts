/**
 * An Elasticsearch file-realm user with one role, delivered as the `kubernetes.io/basic-auth` Secret ECK
 * reads (`username`, `password`, `roles`, plus the `roles.yml` that defines the role): an External Secrets
 * `ExternalSecret` renders it from a password kept in the secret store, so no credential is in the
 * repository. Reference the Secret from the Elasticsearch's `userSecrets`.
 * @see https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-users-and-roles.html
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/security-privileges.html
 * @see https://external-secrets.io/latest/guides/templating/
 */
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { labels } from './labels';
import { ModelObject } from './model-object';
import { FILE_REALM_BASIC_AUTH, ROLES_FILE_KEY } from '../model/operators/eck';

/** Index privileges on index name patterns. */
export interface ElasticsearchIndexPrivileges {
  readonly names: readonly string[];
  readonly privileges: readonly string[];
}

/** An Elasticsearch role (file-based roles format). */
export interface ElasticsearchRole {
  /** Role name, e.g. `jaeger_writer`. */
  readonly name: string;
  /** Cluster privileges, e.g. `monitor`. */
  readonly cluster: readonly string[];
  readonly indices: readonly ElasticsearchIndexPrivileges[];
}

/** Props of {@link ElasticsearchUser}. */
export interface ElasticsearchUserProps {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** Namespace of the Elasticsearch cluster (and of the secret store). */
  readonly namespace: string;
  /** Environment name (labels). */
  readonly environment: string;
  /** Elasticsearch user name. */
  readonly username: string;
  /** The user's only role. */
  readonly role: ElasticsearchRole;
  /** SecretStore (in `namespace`) the password comes from. */
  readonly secretStoreName: string;
  /** Where the password is in the store: key and property. */
  readonly password: { readonly remoteKey: string; readonly property: string };
  /** How often the store is re-read. @default '1h' */
  readonly refreshInterval?: string;
}

const IDENTIFIER = /^[a-z][a-z0-9_-]*$/;

/** A file-realm user for ECK, its password from the secret store. */
export class ElasticsearchUser extends Construct {
  /** The Secret ECK and the clients read. */
  readonly secretName: string;
  readonly username: string;
  /** Key of the password in the Secret. */
  readonly passwordKey = FILE_REALM_BASIC_AUTH.passwordKey;

  constructor(scope: Construct, id: string, props: ElasticsearchUserProps) {
    super(scope, id);
    for (const [what, v] of [['username', props.username], ['role.name', props.role.name]] as const) {
      if (!IDENTIFIER.test(v)) throw new Error(`ElasticsearchUser ${props.name}: ${what} "${v}" must be lower-case letters, digits, "_" or "-", starting with a letter`);
    }
    if (props.role.cluster.includes('all') || props.role.indices.some((i) => i.privileges.includes('all'))) {
      throw new Error(`ElasticsearchUser ${props.name}: role ${props.role.name} grants "all"; list the privileges the client needs`);
    }
    if (props.role.indices.some((i) => i.names.some((n) => n === '*' || n.startsWith('.')))) {
      throw new Error(`ElasticsearchUser ${props.name}: role ${props.role.name} names every index or a system index; name the client's own indices, e.g. "jaeger-*"`);
    }
    this.secretName = props.name;
    this.username = props.username;
    const rolesYml = dump({ [props.role.name]: { cluster: [...props.role.cluster], indices: props.role.indices.map((i) => ({ names: [...i.names], privileges: [...i.privileges] })) } }, { lineWidth: -1 });
    new ModelObject<IExternalSecret>(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace, labels: labels({ name: props.name, component: 'tracing', environment: props.environment, finbotApp: false }) },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { name: props.secretStoreName, kind: 'SecretStore' },
        target: {
          name: props.name,
          creationPolicy: 'Owner',
          template: {
            type: FILE_REALM_BASIC_AUTH.type,
            engineVersion: 'v2',
            data: {
              [FILE_REALM_BASIC_AUTH.usernameKey]: props.username,
              [FILE_REALM_BASIC_AUTH.passwordKey]: '{{ .password }}',
              [FILE_REALM_BASIC_AUTH.rolesKey]: props.role.name,
              [ROLES_FILE_KEY]: rolesYml,
            },
          },
        },
        data: [{ secretKey: 'password', remoteRef: { key: props.password.remoteKey, property: props.password.property } }],
      },
    });
  }
}
