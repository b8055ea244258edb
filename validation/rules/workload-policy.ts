/**
 * Production policy beyond the Pod Security Standards: resources, probes, pinned images, read-only root
 * filesystems, no ServiceAccount token unless needed, no exposed Services outside the edge, no secret values
 * in the output.
 */
import { arr } from '../../model/shape';
import { finding, type Rule, type RuleContext } from '../rule';
import { SECRET_VALUE_PATTERNS } from '../secret-scan';
import type { Finding, KubeObject } from '../types';
import { containersOf, type ContainerRef } from '../../model/workloads';

/** Annotation (pod template or ServiceAccount) that allows a mounted API token; the value says why. */
export const NEEDS_API_TOKEN_ANNOTATION = 'finbot.io/needs-api-token';
/** Namespace label that marks an edge namespace (NodePort/LoadBalancer Services allowed). */
export const EDGE_LABEL = 'finbot.io/edge';

/** Env var names that hold credentials. */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY|AUTH_?KEY)/i;
/** Names that mention a credential but hold something else (a file, a name, a duration, an id). */
const NOT_A_CREDENTIAL_NAME = /(_FILE|_PATH|_NAME|_TTL|_URL|_URI|_ENDPOINT|_ID|_HEADER|_ISSUER|_EXPIRY|_EXPIRES|_LENGTH|_ALGORITHM|_REF|_DIR|_MOUNT|_KEY_ID|_ENABLED)$/i;
/** Keys of custom resource fields that hold a credential as a literal string (e.g. Grafana's admin_password). */
const CREDENTIAL_KEY = /^(password|passwd|admin_?password|api_?key|access_?key|token|bearer_?token|client_?secret|private_?key)$/i;
/** Values that only point at a credential (env var expansion, Grafana/OTel file or env providers). */
const PLACEHOLDER = /^(\$\(.+\)|\$\{.+\}|\$__(file|env|vault)\{.+\})$/;

/** Why a value looks like a credential, or undefined. */
export function credentialReason(name: string, value: string): string | undefined {
  for (const { what, pattern } of SECRET_VALUE_PATTERNS) if (pattern.test(value)) return `the value looks like a secret (${what})`;
  const literal = value.trim() !== '' && !PLACEHOLDER.test(value.trim()) && !value.startsWith('/') && !/^(true|false|[0-9]+[a-z]?)$/i.test(value);
  if (CREDENTIAL_NAME.test(name) && !NOT_A_CREDENTIAL_NAME.test(name) && literal) return `"${name}" names a credential and has a literal value`;
  return undefined;
}

/** Literal credentials anywhere in a custom resource's spec: [path, reason]. */
function credentialsIn(value: unknown, path: string, out: Array<[string, string]>): void {
  if (Array.isArray(value)) value.forEach((v, i) => credentialsIn(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) credentialsIn(v, path ? `${path}.${k}` : k, out);
  else if (typeof value === 'string') {
    const key = path.slice(path.lastIndexOf('.') + 1);
    const secret = SECRET_VALUE_PATTERNS.find(({ pattern }) => pattern.test(value));
    if (secret) out.push([path, `value looks like a secret (${secret.what})`]);
    else if (CREDENTIAL_KEY.test(key) && value.trim() !== '' && !PLACEHOLDER.test(value.trim())) out.push([path, `"${key}" holds a literal credential`]);
  }
}

/** Where an image reference is at fault: `missing tag`, `latest`, or undefined when pinned. */
export function imageTagProblem(image: string | undefined): string | undefined {
  if (!image) return 'no image';
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return `image "${image}" has no tag (means "latest")`;
  const tag = image.slice(colon + 1);
  if (tag.toLowerCase() === 'latest') return `image "${image}" uses the "latest" tag`;
  return undefined;
}

function perContainer(ctx: RuleContext, check: (c: ContainerRef, runsToCompletion: boolean) => Array<[string, string]>): Finding[] {
  return ctx.pods.flatMap((t) => containersOf(t).flatMap((c) => check(c, t.runsToCompletion).map(([path, msg]) => finding(t.source, path, `container "${c.container.name}": ${msg}`))));
}

/** Namespaces where NodePort/LoadBalancer Services are allowed. */
export function edgeNamespaces(ctx: RuleContext): Set<string> {
  const out = new Set(ctx.options.edgeNamespaces ?? []);
  for (const [name, labels] of ctx.cluster.namespaces) {
    if (labels.name === 'ingress-nginx' || labels[EDGE_LABEL] === 'true' || name === 'ingress-nginx' || name === 'istio-ingress') out.add(name);
  }
  return out;
}

/** Workload policy rules (ids `policy/*`). */
export const workloadPolicyRules: readonly Rule[] = [
  {
    id: 'policy/resources',
    description: 'Every container (init included) requests cpu and memory and has a memory limit.',
    fix: 'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory (from the settings of the component).',
    check: (ctx) =>
      perContainer(ctx, (c) => {
        const r = c.container.resources ?? {};
        const missing = [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'memory']].filter(([k, v]) => r[k as 'requests' | 'limits']?.[v] === undefined).map(([k, v]) => `${k}.${v}`);
        return missing.length ? [[`${c.path}.resources`, `missing resources ${missing.join(', ')}`]] : [];
      }),
  },
  {
    id: 'policy/probes',
    description: 'Every long-running container has a liveness and a readiness probe (Jobs, CronJobs and init containers are exempt).',
    fix: 'Add livenessProbe and readinessProbe (an HTTP health endpoint, or tcpSocket/exec).',
    check: (ctx) =>
      perContainer(ctx, (c, runsToCompletion) => {
        if (runsToCompletion || c.kind !== 'containers') return [];
        const missing = (['livenessProbe', 'readinessProbe'] as const).filter((p) => c.container[p] === undefined);
        return missing.length ? [[c.path, `missing ${missing.join(' and ')}`]] : [];
      }),
  },
  {
    id: 'policy/image-tag',
    description: 'Every image is pinned: a tag other than latest, or a digest.',
    fix: 'Pin the image to an immutable tag such as v4.0.0 (or a @sha256 digest) in the settings.',
    check: (ctx) => perContainer(ctx, (c) => { const p = imageTagProblem(c.container.image); return p ? [[`${c.path}.image`, p]] : []; }),
  },
  {
    id: 'policy/read-only-root-fs',
    description: 'Every container has readOnlyRootFilesystem: true.',
    fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the program writes (e.g. /tmp).',
    check: (ctx) => perContainer(ctx, (c) => ((c.container.securityContext as { readOnlyRootFilesystem?: boolean } | undefined)?.readOnlyRootFilesystem === true ? [] : [[`${c.path}.securityContext.readOnlyRootFilesystem`, 'root filesystem is writable']])),
  },
  {
    id: 'policy/sa-token',
    description: `Pods do not mount a ServiceAccount API token unless the pod template or its ServiceAccount has the annotation ${NEEDS_API_TOKEN_ANNOTATION}: "<reason>".`,
    fix: `Set automountServiceAccountToken: false on the pod or its ServiceAccount; if the program calls the Kubernetes API, annotate the pod template or ServiceAccount with ${NEEDS_API_TOKEN_ANNOTATION}: "<why>".`,
    check: (ctx) =>
      ctx.pods.flatMap((t) => {
        const ns = t.source.object.metadata.namespace ?? 'default';
        const saName = t.spec.serviceAccountName ?? 'default';
        const sa = ctx.objects.find((s) => s.object.kind === 'ServiceAccount' && s.object.metadata.name === saName && (s.object.metadata.namespace ?? 'default') === ns)?.object as (KubeObject & { automountServiceAccountToken?: boolean }) | undefined;
        if (t.spec.automountServiceAccountToken === false) return [];
        if (t.spec.automountServiceAccountToken === undefined && sa?.automountServiceAccountToken === false) return [];
        if (t.annotations[NEEDS_API_TOKEN_ANNOTATION] || sa?.metadata.annotations?.[NEEDS_API_TOKEN_ANNOTATION]) return [];
        return [finding(t.source, `${t.specPath}.automountServiceAccountToken`, `pod mounts the API token of ServiceAccount "${saName}" (automountServiceAccountToken is ${t.spec.automountServiceAccountToken ?? 'not set'} on the pod, ${sa?.automountServiceAccountToken ?? 'not set'} on the ServiceAccount)`)];
      }),
  },
  {
    id: 'policy/service-type',
    description: 'No Service of type NodePort or LoadBalancer outside the edge (the ingress namespace, a namespace labelled finbot.io/edge: "true", or settings validation.edgeNamespaces).',
    fix: 'Use type ClusterIP and expose the Service through the Ingress.',
    check: (ctx) => {
      const edge = edgeNamespaces(ctx);
      return ctx.objects
        .filter((s) => s.object.kind === 'Service' && ['NodePort', 'LoadBalancer'].includes(String((s.object.spec as { type?: string } | undefined)?.type)))
        .filter((s) => !edge.has(s.object.metadata.namespace ?? 'default'))
        .map((s) => finding(s, 'spec.type', `Service of type ${(s.object.spec as { type: string }).type} in namespace "${s.object.metadata.namespace ?? 'default'}", which is not an edge namespace (${[...edge].join(', ') || 'none'})`));
    },
  },
  {
    id: 'policy/secret-values',
    description: 'No secret values in the output: no Secret with data/stringData, no credential-like env values, ConfigMap values or literal passwords in custom resources.',
    fix: 'Store the value in the secret store and deliver it with an ExternalSecret; reference it with secretKeyRef.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const s of ctx.objects) {
        const o = s.object as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
        if (o.kind === 'Secret' && o.apiVersion === 'v1') {
          for (const field of ['data', 'stringData'] as const) {
            const keys = Object.keys(o[field] ?? {});
            if (keys.length) out.push(finding(s, field, `Secret holds values in ${field} (${keys.join(', ')}): they would be committed to git`));
          }
        }
        if (o.apiVersion.includes('.') && !o.apiVersion.includes('k8s.io/') && !o.apiVersion.startsWith('external-secrets.io/') && o.spec) {
          // Custom resources (Grafana, Elasticsearch, collectors, ...) sometimes take passwords inline.
          const found: Array<[string, string]> = [];
          credentialsIn(o.spec, 'spec', found);
          for (const [path, why] of found) out.push(finding(s, path, `${why}: it would be committed to git`));
        }
        if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') {
          for (const [k, v] of Object.entries(o.data ?? {})) {
            const why = SECRET_VALUE_PATTERNS.find(({ pattern }) => pattern.test(String(v)));
            if (why) out.push(finding(s, `data.${k}`, `ConfigMap value looks like a secret (${why.what})`));
          }
        }
      }
      out.push(
        ...perContainer(ctx, (c) =>
          arr(c.container.env).flatMap((e, i) => {
            if (typeof e.value !== 'string') return [];
            const why = credentialReason(e.name, e.value);
            return why ? [[`${c.path}.env[${i}].value`, `env ${e.name}: ${why}`] as [string, string]] : [];
          }),
        ),
      );
      return out;
    },
  },
];
