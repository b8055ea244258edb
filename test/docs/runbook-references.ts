/**
 * What a runbook names, read from its Markdown, and the check that each of it exists in the output of every
 * environment (issue #19: runbooks named `deploy/finbot-api`, which blue-green no longer renders, and hardcoded
 * production's namespaces).
 *
 * Read from code spans and code blocks: `npm run X` (a package.json script), `kubectl … -n NS` (a namespace of
 * every environment, or a namespace placeholder of docs/runbooks/README.md resolved per environment),
 * `kind/name` and `get KIND NAME` (an object of the output, or one the operators make from it as the cluster
 * model knows it), `-l key=value` (a pod with that label), `kubectl cnpg … NAME` (a CloudNativePG Cluster),
 * repository paths (`config/environments/<env>/…` for every environment); from prose, a kind followed by
 * backticked names ("NetworkPolicy `allow-x`", "ExternalSecrets `a` / `b`"); relative Markdown links.
 */
import type { ClusterModel } from '../../model/cluster-model';
import type { KubeObject } from '../../model/kube-object';
import { BARMAN_CLOUD_PLUGIN, BARMAN_SIDECAR_CONTAINER } from '../../model/operators/barman-cloud';
import { ALERTMANAGER_CONTAINER } from '../../model/operators/prometheus-operator';
import { containersOf, podTemplates } from '../../model/workloads';

/** One thing a runbook names. */
export type Reference =
  | { readonly type: 'script'; readonly name: string; readonly line: number }
  | { readonly type: 'namespace'; readonly namespace: string; readonly line: number }
  | { readonly type: 'object'; readonly resource: string; readonly name: string; readonly namespace?: string; readonly line: number }
  | { readonly type: 'selector'; readonly label: string; readonly value: string; readonly namespace?: string; readonly line: number }
  | { readonly type: 'file'; readonly path: string; readonly line: number }
  | { readonly type: 'container'; readonly name: string; readonly namespace?: string; readonly line: number }
  | { readonly type: 'setting'; readonly path: string; readonly line: number };

/** What one environment's output holds. */
export interface EnvironmentView {
  readonly name: string;
  readonly objects: readonly KubeObject[];
  readonly cluster: ClusterModel;
  /** Placeholder (`<app-ns>`) → this environment's namespace. */
  readonly placeholders: ReadonlyMap<string, string>;
}

/** Everything a runbook may name. */
export interface World {
  readonly scripts: ReadonlySet<string>;
  readonly environments: readonly EnvironmentView[];
  /** Does this repository path exist (relative to the repository root, or to docs/runbooks/ when `relative`)? */
  readonly fileExists: (path: string, relative: boolean) => boolean;
  /** Every settings path (segments; `*` for a key of a record), from config/settings.schema.json. */
  readonly settingsPaths: readonly (readonly string[])[];
}

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; additionalProperties?: JsonSchema | boolean; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[] };

/** Every path of a JSON schema's properties, as segments (`*` for the keys of a record). */
export function schemaPaths(schema: JsonSchema, prefix: readonly string[] = [], out: string[][] = [], depth = 0): string[][] {
  if (depth > 20) return out;
  for (const [k, v] of Object.entries(schema.properties ?? {})) {
    out.push([...prefix, k]);
    schemaPaths(v, [...prefix, k], out, depth + 1);
  }
  if (schema.items) schemaPaths(schema.items, prefix, out, depth + 1);
  if (typeof schema.additionalProperties === 'object') schemaPaths(schema.additionalProperties, [...prefix, '*'], out, depth + 1);
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) schemaPaths(alt, prefix, out, depth + 1);
  return out;
}

/** Is the dotted reference a run of segments of some settings path (placeholders and `*` match any key)? */
function isSettingsPath(ref: string, paths: readonly (readonly string[])[]): boolean {
  const segs = ref.split('.');
  const eq = (a: string, b: string) => a === b || a === '*' || /^<[^>]+>$/.test(b);
  return paths.some((p) => p.length >= segs.length && segs.every((s, j) => eq(p[p.length - segs.length + j], s)));
}

/** Placeholders that stand for "whatever the alert's labels say", not a fixed namespace. */
export const GENERIC_NAMESPACE = '<namespace>';

/** kubectl resource names (plural, singular, short, or `plural.group`) → Kind, for kinds the runbooks use. */
const RESOURCE_KINDS: Readonly<Record<string, string>> = {
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  cj: 'CronJob', cronjob: 'CronJob', cronjobs: 'CronJob',
  job: 'Job', jobs: 'Job',
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  svc: 'Service', service: 'Service', services: 'Service',
  secret: 'Secret', secrets: 'Secret',
  cm: 'ConfigMap', configmap: 'ConfigMap', configmaps: 'ConfigMap',
  sa: 'ServiceAccount', serviceaccount: 'ServiceAccount', serviceaccounts: 'ServiceAccount',
  pvc: 'PersistentVolumeClaim', persistentvolumeclaim: 'PersistentVolumeClaim', persistentvolumeclaims: 'PersistentVolumeClaim',
  hpa: 'HorizontalPodAutoscaler', horizontalpodautoscaler: 'HorizontalPodAutoscaler', horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  pdb: 'PodDisruptionBudget', poddisruptionbudget: 'PodDisruptionBudget', poddisruptionbudgets: 'PodDisruptionBudget',
  netpol: 'NetworkPolicy', networkpolicy: 'NetworkPolicy', networkpolicies: 'NetworkPolicy',
  events: 'Event', event: 'Event', ev: 'Event',
  cluster: 'Cluster', clusters: 'Cluster', 'clusters.postgresql.cnpg.io': 'Cluster',
  backup: 'Backup', backups: 'Backup', 'backups.postgresql.cnpg.io': 'Backup',
  scheduledbackup: 'ScheduledBackup', scheduledbackups: 'ScheduledBackup',
  objectstore: 'ObjectStore', objectstores: 'ObjectStore', 'objectstores.barmancloud.cnpg.io': 'ObjectStore',
  rediscluster: 'RedisCluster', redisclusters: 'RedisCluster',
  certificate: 'Certificate', certificates: 'Certificate',
  certificaterequest: 'CertificateRequest', certificaterequests: 'CertificateRequest',
  order: 'Order', orders: 'Order', challenge: 'Challenge', challenges: 'Challenge',
  externalsecret: 'ExternalSecret', externalsecrets: 'ExternalSecret',
  secretstore: 'SecretStore', secretstores: 'SecretStore',
  elasticsearch: 'Elasticsearch', elasticsearches: 'Elasticsearch',
  probe: 'Probe', probes: 'Probe',
  servicemonitor: 'ServiceMonitor', servicemonitors: 'ServiceMonitor',
  podmonitor: 'PodMonitor', podmonitors: 'PodMonitor',
  prometheusrule: 'PrometheusRule', prometheusrules: 'PrometheusRule',
  gateway: 'Gateway', gateways: 'Gateway', httproute: 'HTTPRoute', httproutes: 'HTTPRoute',
  application: 'Application', applications: 'Application', 'applications.argoproj.io': 'Application',
};

/** Kinds the cluster makes at run time (Backups, Jobs of CronJobs, pods, ACME orders): valid types, names only as placeholders. */
const RUNTIME_KINDS = new Set(['Job', 'Pod', 'Event', 'Backup', 'CertificateRequest', 'Order', 'Challenge', 'PersistentVolumeClaim', 'StatefulSet']);

const isPlaceholder = (s: string) => /^<[^>]+>$/.test(s) || s.includes('<') || s.includes('$');

/** The code spans and code blocks of a Markdown text, with their line numbers. */
export function codeSpans(markdown: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  const lines = markdown.split('\n');
  let fence: string[] | undefined;
  let fenceLine = 0;
  lines.forEach((l, i) => {
    if (/^\s*```/.test(l)) {
      if (fence) {
        for (const [j, f] of fence.entries()) out.push({ text: f, line: fenceLine + j + 1 });
        fence = undefined;
      } else {
        fence = [];
        fenceLine = i + 1;
      }
      return;
    }
    if (fence) return void fence.push(l);
    for (const m of l.matchAll(/`([^`]+)`/g)) out.push({ text: m[1], line: i + 1 });
  });
  return out;
}

/** The words of a shell command up to the first pipe, `&&` or `;`; quotes removed. */
function words(command: string): string[] {
  return command.split(/\s*(?:\|\|?|&&|;)\s*/)[0].trim().split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ''));
}

function kubectlReferences(command: string, line: number): Reference[] {
  const w = words(command.slice(command.indexOf('kubectl')));
  const out: Reference[] = [];
  let namespace: string | undefined;
  const positional: string[] = [];
  for (let i = 1; i < w.length; i++) {
    const a = w[i];
    if (a === '-n' || a === '--namespace') namespace = w[++i];
    else if (a.startsWith('--namespace=')) namespace = a.slice('--namespace='.length);
    else if (a === '-l' || a === '--selector') {
      const [label, value] = (w[++i] ?? '').split('=');
      if (label && value !== undefined) out.push({ type: 'selector', label, value, line });
    } else if (a.startsWith('--from=')) {
      const [resource, name] = a.slice('--from='.length).split('/');
      out.push({ type: 'object', resource, name, line });
    } else if (a === '-c' || a === '--container') out.push({ type: 'container', name: w[++i] ?? '', line });
    else if (a === '-o' || a === '--sort-by' || a === '--since' || a === '--tail') i++;
    else if (!a.startsWith('-')) positional.push(a);
  }
  if (namespace !== undefined) out.push({ type: 'namespace', namespace, line });
  const [verb, ...args] = positional;
  if (verb === 'cnpg') {
    // kubectl cnpg status|backup|destroy|promote NAME …: the NAME of a CloudNativePG Cluster.
    if (args[1] !== undefined) out.push({ type: 'object', resource: 'cluster', name: args[1], line });
  } else if (verb === 'get' || verb === 'describe' || verb === 'delete' || verb === 'edit') {
    const [types, ...names] = args;
    if (types?.includes('/')) for (const a of args) pushSlash(a);
    else if (types !== undefined) {
      for (const t of types.split(',')) {
        if (names.length === 0) out.push({ type: 'object', resource: t, name: '<any>', line });
        for (const n of names) out.push({ type: 'object', resource: t, name: n, line });
      }
    }
  } else {
    // logs, rollout …, top, port-forward, exec, create job NAME: every TYPE/NAME argument.
    for (const a of args) if (a.includes('/')) pushSlash(a);
  }
  for (const r of out) if (r.type !== 'namespace' && namespace !== undefined) (r as { namespace?: string }).namespace = namespace;
  return out;

  function pushSlash(a: string) {
    const [resource, name] = a.split('/');
    if (resource && name !== undefined) out.push({ type: 'object', resource, name, line });
  }
}

const PATH = /^(?:config|docs|model|tools|charts|constructs|validation|synth|dist|test|fast-start|bench|\.ci|\.github)\/[\w.<>/-]*[\w>]$/;

/** Kinds as prose names them, singular and plural ("NetworkPolicy `a`", "ExternalSecrets `b` / `c`"). */
function proseKinds(world: World): Map<string, string> {
  const kinds = new Set(world.environments.flatMap((e) => e.objects.map((o) => o.kind)));
  kinds.add('Secret');
  kinds.add('Service');
  const out = new Map<string, string>();
  for (const k of kinds) {
    out.set(k, k);
    out.set(k.endsWith('y') ? `${k.slice(0, -1)}ies` : k.endsWith('s') ? `${k}es` : `${k}s`, k);
  }
  return out;
}

/** Everything a runbook names (see the file comment). */
export function runbookReferences(markdown: string, world: World): Reference[] {
  const out: Reference[] = [];
  // The design document's side of a departures table names what the design document had, not this repository.
  markdown = markdown.replace(/^## Departures from the design document[\s\S]*?(?=^## |(?![\s\S]))/m, (sec) => sec.replace(/^\|[^|\n]*\|/gm, (cell) => cell.replace(/`[^`]*`/g, '')));
  for (const { text, line } of codeSpans(markdown)) {
    for (const m of text.matchAll(/\bnpm run ([\w:-]+)/g)) out.push({ type: 'script', name: m[1], line });
    if (/\bkubectl\b/.test(text)) out.push(...kubectlReferences(text, line));
    const path = text.replace(/[#:].*$/, '');
    if (PATH.test(path)) out.push({ type: 'file', path, line });
    // A settings field (`alerts.errorRateRatio`, `backups.redis.maxAgeHours`): its first segment is a settings key.
    const setting = /^[a-z][A-Za-z0-9]*(?:\.(?:[a-z][A-Za-z0-9]*|<[a-z-]+>))+$/.exec(text)?.[0];
    if (setting && !/\.(?:ya?ml|json|md|ts)$/.test(setting) && world.settingsPaths.some((p) => p.includes(setting.split('.')[0]))) out.push({ type: 'setting', path: setting, line });
  }
  // Prose: "Kind `name`", "Kinds `a` / `b`", "Kind `a` or `b`" (outside code blocks).
  const kinds = proseKinds(world);
  const prose = markdown.replace(/```[\s\S]*?```/g, (b) => b.replace(/[^\n]/g, ' '));
  prose.split('\n').forEach((l, i) => {
    for (const m of l.matchAll(/\b([A-Z][A-Za-z]+)((?:\s*(?:,|\/|and|or)?\s*`[^`]+`)+)/g)) {
      const kind = kinds.get(m[1]);
      if (!kind) continue;
      for (const n of m[2].matchAll(/`([^`]+)`/g)) {
        const name = n[1].includes('/') ? n[1].split('/')[1] : n[1];
        const namespace = n[1].includes('/') ? n[1].split('/')[0] : undefined;
        if (/^[a-z0-9][a-z0-9.-]*$/.test(name)) out.push({ type: 'object', resource: kind, name, namespace, line: i + 1 });
      }
    }
    for (const m of l.matchAll(/\]\(([^)#:]+\.md)(?:#[^)]*)?\)/g)) out.push({ type: 'file', path: m[1], line: i + 1 });
  });
  return out;
}

function kindOf(resource: string, world: World): string | undefined {
  const lower = resource.toLowerCase();
  if (RESOURCE_KINDS[lower]) return RESOURCE_KINDS[lower];
  // A kind of the output by its own name (prose) or lower-case plural.
  for (const e of world.environments) for (const o of e.objects) if (o.kind === resource || o.kind.toLowerCase() === lower || `${o.kind.toLowerCase()}s` === lower) return o.kind;
  return resource === 'Secret' || resource === 'Service' ? resource : undefined;
}

/** The namespace a reference means in one environment: a literal, or a placeholder of the table. */
function resolveNamespace(ns: string | undefined, env: EnvironmentView): string | undefined {
  if (ns === undefined || ns === GENERIC_NAMESPACE) return undefined;
  return env.placeholders.get(ns) ?? ns;
}

function exists(kind: string, name: string, namespace: string | undefined, env: EnvironmentView): boolean {
  const inNs = (ns: string | undefined) => namespace === undefined || ns === namespace;
  if (kind === 'Secret') return [...env.cluster.secrets.keys()].some((k) => k.endsWith(`/${name}`) && inNs(k.split('/')[0]));
  if (kind === 'Service') return env.cluster.services.some((s) => s.name === name && inNs(s.namespace));
  return env.objects.some((o) => o.kind === kind && o.metadata?.name === name && inNs(o.metadata?.namespace));
}

/** Containers of the pods of a namespace: the workloads' templates and what operators put in their pods. */
function containersIn(env: EnvironmentView, ns: string | undefined): Set<string> {
  const objects = env.objects.filter((o) => ns === undefined || o.metadata?.namespace === ns);
  const out = new Set(podTemplates(objects.map((object) => ({ object, file: env.name }))).flatMap((t) => containersOf(t).map((c) => c.container.name)));
  for (const o of objects) {
    if (o.kind === 'Alertmanager') out.add(ALERTMANAGER_CONTAINER);
    const plugins = (o.spec as { plugins?: Array<{ name?: string }> } | undefined)?.plugins ?? [];
    if (o.kind === 'Cluster' && plugins.some((p) => p.name === BARMAN_CLOUD_PLUGIN)) out.add(BARMAN_SIDECAR_CONTAINER);
  }
  return out;
}

/** The problems of a runbook's references, one line each naming the runbook line and the environment. */
export function checkReferences(file: string, refs: readonly Reference[], world: World): string[] {
  const problems: string[] = [];
  const at = (r: Reference) => `${file}:${r.line}`;
  for (const r of refs) {
    if (r.type === 'script') {
      if (!world.scripts.has(r.name)) problems.push(`${at(r)}: npm run ${r.name}: package.json has no script "${r.name}"`);
      continue;
    }
    if (r.type === 'setting') {
      if (!isSettingsPath(r.path, world.settingsPaths)) problems.push(`${at(r)}: ${r.path}: no such setting (config/settings.schema.json)`);
      continue;
    }
    if (r.type === 'file') {
      const relative = !PATH.test(r.path);
      // dist/.synth.lock, dist/.tmp-<pid>/: files synth makes while it runs.
      if (/^dist\/\./.test(r.path)) continue;
      // docs/<folder>/… of an upstream repository (e.g. CloudNativePG's docs/src/…), not of this one.
      const top = r.path.split('/').slice(0, 2).join('/');
      if (r.path.startsWith('docs/') && r.path.split('/').length > 2 && !world.fileExists(top, false)) continue;
      const paths = r.path.includes('<env>') ? world.environments.map((e) => r.path.replace('<env>', e.name)) : [r.path];
      const missing = paths.filter((p) => !isPlaceholder(p) && !world.fileExists(p, relative));
      // Settings files exist for every environment; an output file may belong to some (data-dr.yaml: production).
      const wrong = r.path.startsWith('dist/') && missing.length < paths.length ? [] : missing;
      for (const p of wrong) problems.push(`${at(r)}: ${p}: no such file in the repository`);
      continue;
    }
    for (const env of world.environments) {
      const ns = resolveNamespace(r.namespace, env);
      if (r.type === 'namespace' || r.namespace !== undefined) {
        const given = r.type === 'namespace' ? r.namespace : r.namespace!;
        const placeholder = world.environments.flatMap((e) => [...e.placeholders].filter(([, v]) => v === given).map(([k]) => k))[0];
        if (given.startsWith('<') && given !== GENERIC_NAMESPACE && !env.placeholders.has(given)) {
          problems.push(`${at(r)}: namespace placeholder ${given} is not in the table of docs/runbooks/README.md`);
        } else if (placeholder !== undefined) {
          problems.push(`${at(r)}: namespace "${given}" is written out; name it ${placeholder} (docs/runbooks/README.md), it differs per environment`);
        } else if (ns !== undefined && !env.cluster.namespaces.has(ns)) {
          problems.push(`${at(r)}: namespace "${ns}" does not exist in ${env.name}`);
        }
      }
      if (r.type === 'container' && !isPlaceholder(r.name) && !containersIn(env, ns).has(r.name)) {
        problems.push(`${at(r)}: no container "${r.name}"${ns ? ` in ${ns}` : ''} in ${env.name}`);
      }
      if (r.type === 'selector') {
        if (!env.cluster.pods.some((p) => p.labels[r.label] === r.value && (ns === undefined || p.namespace === ns))) {
          problems.push(`${at(r)}: no pod labelled ${r.label}=${r.value}${ns ? ` in ${ns}` : ''} in ${env.name}`);
        }
      }
      if (r.type === 'object') {
        const kind = kindOf(r.resource, world);
        if (!kind) {
          problems.push(`${at(r)}: "${r.resource}" is no kind the output or its operators have`);
          continue;
        }
        // Name placeholders of the table (`<postgres-cluster>`, `<postgres-cluster>-daily`) resolve per environment.
        const name = r.name.replace(/<[a-z-]+>/g, (p) => env.placeholders.get(p) ?? p);
        if (name === '<any>' || isPlaceholder(name) || RUNTIME_KINDS.has(kind)) continue;
        if (!exists(kind, name, ns, env)) problems.push(`${at(r)}: ${kind} ${ns ? `${ns}/` : ''}${name} does not exist in ${env.name}`);
      }
    }
  }
  return [...new Set(problems)];
}
