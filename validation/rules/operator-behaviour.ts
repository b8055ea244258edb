/**
 * What the operators, charts and images really do with the output (model/operators/, cited from upstream):
 * a read-only root under an image that writes its config at start, External Secrets tokens without the
 * audience Vault expects, Vault without disable_mlock under restricted Pod Security, pods under two
 * disruption budgets, one Vault role shared by several namespaces, API tokens in Redis pods, and
 * placeholder values that would reach the cluster.
 */
import type { ModelPod } from '../../model/cluster-model';
import { evaluate, policiesOf, type Endpoint } from '../../model/network-policy';
import { arr } from '../../model/shape';
import { matchesSelector } from '../../model/selectors';
import { operatorRunOf } from '../../model/operators/operator-run';
import { REDIS_CONFIG_GENERATION, REDIS_PODS_CALL_KUBE_API, redisOperatorPdbs } from '../../model/operators/redis-operator';
import { isVaultHelmSource, VAULT_HELM_RENDERED_CONFIG } from '../../model/operators/vault';
import { eachString, finding, type Rule } from '../rule';
import type { Finding, KubeObject, SourcedObject } from '../types';

type Spec = Record<string, any>;
const specOf = (o: KubeObject): Spec => (o.spec ?? {}) as Spec;
const nsOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';
const isKind = (s: SourcedObject, group: string, kind: string) => s.object.kind === kind && s.object.apiVersion.split('/')[0] === group;

/** Values that stand for something real and must never reach a cluster. */
export const PLACEHOLDER_PATTERNS: ReadonlyArray<{ readonly pattern: RegExp; readonly what: string }> = [
  { pattern: /\b123456789012\b/, what: 'the documentation AWS account id 123456789012' },
  { pattern: /arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(0{12}|1{12}|x{12}|X{12}):/, what: 'a placeholder AWS account id' },
  { pattern: /(^|[^a-z0-9-])example\.(com|org|net)\b/, what: 'an example.com/org/net host (RFC 2606)' },
  { pattern: /\b(CHANGE[-_ ]?ME|REPLACE[-_ ]?ME|YOUR[-_ ]ACCOUNT[-_ ]ID)\b/i, what: 'a fill-in marker' },
  { pattern: /<(your|account|account-id|region|cluster)[^>]*>/i, what: 'an angle-bracket fill-in' },
];

/** The Vault server configurations of the output: vault-helm Application values, or a ConfigMap's .hcl. */
function vaultConfigs(objects: readonly SourcedObject[]): Array<{ source: SourcedObject; path: string; hcl: string; values?: Spec }> {
  const out: Array<{ source: SourcedObject; path: string; hcl: string; values?: Spec }> = [];
  for (const s of objects) {
    if (isKind(s, 'argoproj.io', 'Application') && isVaultHelmSource(specOf(s.object).source)) {
      const values = specOf(s.object).source.helm?.valuesObject ?? {};
      const server = values.server ?? {};
      for (const [mode, cfg] of [['ha.raft.config', server.ha?.raft?.config], ['ha.config', server.ha?.config], ['standalone.config', server.standalone?.config]] as const) {
        if (typeof cfg === 'string') out.push({ source: s, path: `spec.source.helm.valuesObject.server.${mode}`, hcl: cfg, values });
      }
    }
    if (s.object.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries((s.object as { data?: Record<string, string> }).data ?? {})) {
        if (k.endsWith('.hcl') && /listener\s+"tcp"/.test(v) && /(storage|seal)\s+"/.test(v)) out.push({ source: s, path: `data.${k}`, hcl: v });
      }
    }
  }
  return out;
}

/** Rules that check the output against the operators' real behaviour (ids `operator/*`, `policy/placeholder-value`). */
export const operatorBehaviourRules: readonly Rule[] = [
  {
    id: 'operator/config-writer-read-only-root',
    description: 'No read-only root filesystem on a container whose image or chart writes its configuration into the root at start (OpsTree Redis without the init-config container; vault-helm without a writable /tmp).',
    fix: 'Let the operator generate the config into a volume (RedisCluster spec.initContainer + operator gate GenerateConfigInInitContainer; vault-helm server.volumes/volumeMounts emptyDir at /tmp), or keep the root writable.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const s of ctx.objects) {
        if (isKind(s, 'redis.redis.opstreelabs.in', 'RedisCluster')) {
          const spec = specOf(s.object);
          for (const role of ['redisLeader', 'redisFollower'] as const) {
            if (spec[role]?.securityContext?.readOnlyRootFilesystem === true && !spec.initContainer) {
              out.push(finding(s, `spec.${role}.securityContext.readOnlyRootFilesystem`,
                `read-only root, but without spec.initContainer the redis image's entrypoint writes ${REDIS_CONFIG_GENERATION.entrypointWrites} into the root at start: the writes fail, Redis starts without cluster mode and password`));
            }
          }
        }
      }
      for (const c of vaultConfigs(ctx.objects)) {
        const server = c.values?.server ?? {};
        const ro = server.statefulSet?.securityContext?.container?.readOnlyRootFilesystem === true;
        const tmpMounted = arr(server.volumeMounts as Spec[] | undefined).some((m) => m.mountPath === '/tmp');
        if (ro && !tmpMounted) {
          out.push(finding(c.source, 'spec.source.helm.valuesObject.server.statefulSet.securityContext.container.readOnlyRootFilesystem',
            `read-only root, but vault-helm copies its config to ${VAULT_HELM_RENDERED_CONFIG} before starting Vault and /tmp is not a volume`));
        }
      }
      return out;
    },
  },
  {
    id: 'operator/secretstore-audience',
    description: 'Every External Secrets SecretStore with Vault Kubernetes auth through serviceAccountRef states the token audience (ESO requests exactly those audiences; the Vault role is bound to one).',
    fix: 'Set spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences to the audience the Vault role is bound to (settings secretStore.audience).',
    check: (ctx) =>
      ctx.objects
        .filter((s) => (s.object.kind === 'SecretStore' || s.object.kind === 'ClusterSecretStore') && s.object.apiVersion.startsWith('external-secrets.io/'))
        .filter((s) => {
          const ref = specOf(s.object).provider?.vault?.auth?.kubernetes?.serviceAccountRef;
          return ref !== undefined && arr(ref.audiences as string[] | undefined).length === 0;
        })
        .map((s) => finding(s, 'spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences',
          'Kubernetes auth without an audience: ESO requests a token for the API server\'s default audience, which a Vault role bound to an audience rejects')),
  },
  {
    id: 'operator/vault-mlock',
    description: 'A Vault server configuration sets disable_mlock = true (the restricted Pod Security Standard forbids IPC_LOCK; without it Vault exits with "Failed to lock memory").',
    fix: 'Add disable_mlock = true to the Vault configuration and run the nodes without swap (docs/secrets.md).',
    check: (ctx) =>
      vaultConfigs(ctx.objects)
        .filter((c) => !/^\s*disable_mlock\s*=\s*true\s*$/m.test(c.hcl))
        .map((c) => finding(c.source, c.path, 'Vault configuration without disable_mlock = true: under restricted Pod Security (no IPC_LOCK) Vault exits at start with "Failed to lock memory"')),
  },
  {
    id: 'operator/pdb-overlap',
    description: 'No pod is selected by two PodDisruptionBudgets, including the ones operators make (the eviction API refuses such pods, so drains stall).',
    fix: 'Keep one budget per pod: disable the operator\'s budgets (e.g. RedisCluster redisLeader/redisFollower.pdb.enabled: false) where the output has its own.',
    check: (ctx) => {
      const budgets: Array<{ source: SourcedObject; path: string; name: string; namespace: string; selector: Spec }> = [];
      for (const s of ctx.objects) {
        if (s.object.kind === 'PodDisruptionBudget') budgets.push({ source: s, path: 'spec.selector', name: `PodDisruptionBudget ${s.object.metadata.name}`, namespace: nsOf(s.object), selector: specOf(s.object).selector ?? {} });
        if (isKind(s, 'redis.redis.opstreelabs.in', 'RedisCluster')) {
          for (const p of redisOperatorPdbs(s.object.metadata.name ?? '', specOf(s.object))) {
            budgets.push({ source: s, path: 'spec', name: `operator-made PodDisruptionBudget ${p.name}`, namespace: nsOf(s.object), selector: { matchLabels: p.matchLabels } });
          }
        }
      }
      const out: Finding[] = [];
      for (const pod of ctx.cluster.pods) {
        const over = budgets.filter((b) => b.namespace === pod.namespace && matchesSelector(b.selector as never, pod.labels));
        if (over.length > 1) {
          const b = over[over.length - 1];
          out.push(finding(b.source, b.path, `${pod.description} is selected by ${over.map((x) => x.name).join(' and ')}: the eviction API refuses pods under more than one budget`));
        }
      }
      return out;
    },
  },
  {
    id: 'operator/vault-role-shared',
    description: 'Each namespace logs in to Vault with a role of its own (a shared role lets every namespace read what any of them may read).',
    fix: 'Give each SecretStore its own Vault role (settings secrets.roles) with a policy naming only its keys.',
    check: (ctx) => {
      const byRole = new Map<string, SourcedObject[]>();
      for (const s of ctx.objects) {
        const role = specOf(s.object).provider?.vault?.auth?.kubernetes?.role;
        if (s.object.kind === 'SecretStore' && typeof role === 'string') byRole.set(`${specOf(s.object).provider.vault.server}|${role}`, [...(byRole.get(`${specOf(s.object).provider.vault.server}|${role}`) ?? []), s]);
      }
      const out: Finding[] = [];
      for (const stores of byRole.values()) {
        const namespaces = [...new Set(stores.map((s) => nsOf(s.object)))];
        if (namespaces.length > 1) {
          for (const s of stores) out.push(finding(s, 'spec.provider.vault.auth.kubernetes.role', `Vault role ${specOf(s.object).provider.vault.auth.kubernetes.role} is shared by the SecretStores of ${namespaces.join(', ')}`));
        }
      }
      return out;
    },
  },
  {
    id: 'operator/redis-api-token',
    description: 'Redis pods (which never call the Kubernetes API) get no ServiceAccount token: the RedisCluster names a ServiceAccount of the output with automountServiceAccountToken: false.',
    fix: 'Create a ServiceAccount with automountServiceAccountToken: false and set RedisCluster spec.serviceAccountName to it.',
    check: (ctx) => {
      if (REDIS_PODS_CALL_KUBE_API) return [];
      const out: Finding[] = [];
      for (const s of ctx.objects.filter((x) => isKind(x, 'redis.redis.opstreelabs.in', 'RedisCluster'))) {
        const saName = specOf(s.object).serviceAccountName;
        const sa = ctx.objects.find((x) => x.object.kind === 'ServiceAccount' && x.object.metadata.name === saName && nsOf(x.object) === nsOf(s.object));
        if (!saName || !sa || (sa.object as { automountServiceAccountToken?: boolean }).automountServiceAccountToken !== false) {
          out.push(finding(s, 'spec.serviceAccountName', `Redis pods would mount a Kubernetes API token (${saName ? `ServiceAccount ${saName} does not set automountServiceAccountToken: false` : 'no serviceAccountName: the namespace default account'}) though nothing in them calls the API`));
        }
      }
      return out;
    },
  },
  {
    id: 'policy/placeholder-value',
    description: 'No placeholder value (documentation account id 123456789012, example.com hosts, CHANGEME markers) anywhere in the output.',
    fix: 'Take the real value from a validated setting, or use a mechanism that needs none in the manifests (e.g. EKS Pod Identity instead of an IRSA role ARN).',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const s of ctx.objects) {
        eachString(s.object, (value, path) => {
          const hit = PLACEHOLDER_PATTERNS.find((p) => p.pattern.test(value));
          if (hit) out.push(finding(s, path(), `${hit.what} in "${value.length > 80 ? `${value.slice(0, 77)}...` : value}"`));
        });
      }
      return out;
    },
  },
];

/**
 * Data stores whose clients must be exactly the pods that use them: the databases and caches of the operator
 * model (model/operators/operator-run.ts), with the port their clients connect to (CloudNativePG `-rw` 5432,
 * Redis `-leader` 6379) and the names of every Service the operator makes for them.
 */
function dataStoreOf(o: KubeObject): { readonly port: number; readonly services: (name: string) => string[] } | undefined {
  const run = operatorRunOf(o);
  if (!run || (run.role !== 'database' && run.role !== 'cache')) return undefined;
  // The Service names of another cluster of the same kind (a replica cluster's origin), from the same model.
  return { port: run.client.port, services: (name) => operatorRunOf({ ...o, metadata: { ...o.metadata, name } })?.derived.services.map((x) => x.name) ?? [] };
}

/** Whether a pod template names one of the Services (env values such as DATABASE_HOST or a URL). */
function podUses(pod: ModelPod, services: readonly string[], namespace: string): boolean {
  const text = JSON.stringify(pod.template?.spec ?? {});
  return services.some((svc) => text.includes(`${svc}.${namespace}`));
}

/** #14: only the pods that use a data store may reach it. */
export const dataClientRule: Rule = {
  id: 'netpol/data-store-clients',
  description: 'A Postgres (CloudNativePG) or Redis (OpsTree) data store admits on its client port only workload pods of other namespaces that use it (name one of its Services); no whole namespace.',
  fix: 'Select the client pods by their labels in the data namespace\'s ingress policy (e.g. app.kubernetes.io/name of finbot-api and finbot-worker) instead of the whole app namespace.',
  check: (ctx) => {
    const policies = policiesOf(ctx.objects);
    const out: Finding[] = [];
    const ep = (p: ModelPod): Endpoint => ({ namespace: p.namespace, namespaceLabels: ctx.cluster.namespaces.get(p.namespace) ?? { 'kubernetes.io/metadata.name': p.namespace }, podLabels: p.labels, ports: p.ports });
    for (const s of ctx.objects) {
      const store = dataStoreOf(s.object);
      if (!store) continue;
      const ns = nsOf(s.object);
      // A CloudNativePG replica cluster (DR) serves the origin's clients once promoted.
      const origin = specOf(s.object).replica?.source as string | undefined;
      const services = [...store.services(s.object.metadata.name ?? ''), ...(origin ? store.services(origin) : [])];
      const dataPods = ctx.cluster.pods.filter((p) => p.origin === s && p.namespace === ns);
      const clients = ctx.cluster.pods.filter((p) => p.template && !p.template.runsToCompletion && p.namespace !== ns);
      for (const client of clients) {
        if (podUses(client, services, ns)) continue;
        const admitted = dataPods.find((d) => evaluate(policies, ep(client), ep(d), { port: store.port, protocol: 'TCP' }).ingress.allowed);
        if (admitted) {
          const v = evaluate(policies, ep(client), ep(admitted), { port: store.port, protocol: 'TCP' });
          out.push(finding(s, 'metadata.name', `${client.description} does not use ${s.object.kind} ${ns}/${s.object.metadata.name} (names none of ${services.join(', ')}) yet ${v.ingress.allowedBy ?? 'a policy'} admits it on ${store.port}`));
        }
      }
    }
    return out;
  },
};

/** Env names that carry a database credential. */
const DB_CREDENTIAL_ENV = /^(DATABASE_URL|DB_URL|DB_PASSWORD|DATABASE_PASSWORD|PGPASSWORD|POSTGRES_PASSWORD)$/;

/** #7: a database password a person copied into Vault, while CloudNativePG maintains it in `<cluster>-app`. */
export const copiedDatabasePasswordRule: Rule = {
  id: 'operator/copied-database-password',
  description: 'When the output has a CloudNativePG Cluster, pods get database credentials from the Secret it maintains (`<cluster>-app`, directly or through an ExternalSecret of the Kubernetes provider), never from a Vault entry a person keeps in step.',
  fix: 'Fill the key from the CNPG `<cluster>-app` Secret (ESO Kubernetes-provider SecretStore, property fqdn-uri or password) instead of a Vault key.',
  check: (ctx) => {
    if (!ctx.objects.some((s) => isKind(s, 'postgresql.cnpg.io', 'Cluster'))) return [];
    const storeProvider = new Map<string, string>();
    for (const s of ctx.objects) {
      if (s.object.kind === 'SecretStore') storeProvider.set(`${nsOf(s.object)}/${s.object.metadata.name}`, Object.keys(specOf(s.object).provider ?? {})[0] ?? '');
    }
    /** `namespace/secret:key` → the ExternalSecret (and path) filling it from Vault. */
    const fromVault = new Map<string, { source: SourcedObject; path: string; key: string }>();
    for (const s of ctx.objects.filter((x) => x.object.kind === 'ExternalSecret')) {
      const spec = specOf(s.object);
      const target = spec.target?.name ?? s.object.metadata.name;
      arr(spec.data as Spec[] | undefined).forEach((d, i) => {
        const store = d.sourceRef?.storeRef?.name ?? spec.secretStoreRef?.name;
        if (storeProvider.get(`${nsOf(s.object)}/${store}`) === 'vault') fromVault.set(`${nsOf(s.object)}/${target}:${d.secretKey}`, { source: s, path: `spec.data[${i}]`, key: d.remoteRef?.key });
      });
    }
    const out: Finding[] = [];
    for (const t of ctx.pods) {
      const ns = nsOf(t.source.object);
      for (const c of [...arr(t.spec.initContainers), ...arr(t.spec.containers)]) {
        for (const e of arr(c.env)) {
          const ref = (e.valueFrom as { secretKeyRef?: { name: string; key: string } } | undefined)?.secretKeyRef;
          const hit = ref && DB_CREDENTIAL_ENV.test(e.name) ? fromVault.get(`${ns}/${ref.name}:${ref.key}`) : undefined;
          if (hit) out.push(finding(hit.source, hit.path, `${e.name} of ${t.source.object.kind} ${ns}/${t.source.object.metadata.name} comes from Vault key ${hit.key}: a copy of the password CloudNativePG generates, kept in step by hand`));
        }
      }
    }
    return out.filter((f, i) => out.findIndex((g) => g.path === f.path && g.source === f.source) === i);
  },
};
