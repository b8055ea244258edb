/**
 * Rules about workloads operators run from the output's custom resources and about the clients of those
 * workloads, each reading the operator facts in model/operators/: NetworkPolicies operators add on their own,
 * probes an operator does not generate, spread constraints that select no pod, superuser credentials,
 * storage without retention, and clients synced before the operator has created what they read.
 */
import { arr } from '../../model/shape';
import { formatSelector, matchesSelector, type LabelSelector } from '../../model/selectors';
import { containersOf, type ContainerSpec, type PodSpec } from '../../model/workloads';
import { esNames } from '../../model/operators/eck';
import { PROBED_HEALTH_EXTENSIONS } from '../../model/operators/opentelemetry-operator';
import { finding, type Rule, type RuleContext } from '../rule';
import type { Finding, KubeObject, SourcedObject } from '../types';

type Spec = Record<string, any>;
const specOf = (o: KubeObject): Spec => (o.spec ?? {}) as Spec;
const nsOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';
const id = (o: KubeObject): string => `${o.kind} ${nsOf(o)}/${o.metadata.name}`;
const WAVE = 'argocd.argoproj.io/sync-wave';

/** Secret names a pod spec reads (volumes, env, envFrom), with the path of each reference. */
function secretRefs(spec: PodSpec, specPath: string): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  arr(spec.volumes).forEach((v, i) => {
    const secret = (v as { secret?: { secretName?: string } }).secret;
    if (secret?.secretName) out.push({ name: secret.secretName, path: `${specPath}.volumes[${i}].secret.secretName` });
  });
  const envRefs = (c: Pick<ContainerSpec, 'env' | 'envFrom'>, at: string) => {
    arr(c.env).forEach((e, ei) => {
      const ref = (e.valueFrom as { secretKeyRef?: { name?: string } } | undefined)?.secretKeyRef;
      if (ref?.name) out.push({ name: ref.name, path: `${at}.env[${ei}].valueFrom.secretKeyRef.name` });
    });
    arr(c.envFrom).forEach((e, ei) => {
      if (e.secretRef?.name) out.push({ name: e.secretRef.name, path: `${at}.envFrom[${ei}].secretRef.name` });
    });
  };
  for (const kind of ['initContainers', 'containers'] as const) arr(spec[kind]).forEach((c, ci) => envRefs(c, `${specPath}.${kind}[${ci}]`));
  // Custom resources that describe one container at the top of their spec (OpenTelemetryCollector).
  envRefs(spec as Pick<ContainerSpec, 'env' | 'envFrom'>, specPath);
  return out;
}

/** Pod specs of the output's workloads and of CRs that embed one (OpenTelemetryCollector), with paths. */
function podSpecs(ctx: RuleContext): Array<{ source: SourcedObject; spec: PodSpec; path: string }> {
  const out: Array<{ source: SourcedObject; spec: PodSpec; path: string }> = ctx.pods.map((t) => ({ source: t.source, spec: t.spec, path: t.specPath }));
  for (const s of ctx.objects) {
    if (s.object.kind === 'OpenTelemetryCollector') out.push({ source: s, spec: specOf(s.object) as PodSpec, path: 'spec' });
  }
  return out;
}

function elasticsearches(ctx: RuleContext): SourcedObject[] {
  return ctx.objects.filter((s) => s.object.kind === 'Elasticsearch' && s.object.apiVersion.startsWith('elasticsearch.k8s.elastic.co/'));
}

function waveOf(o: KubeObject): number {
  const w = Number(o.metadata.annotations?.[WAVE] ?? 0);
  return Number.isFinite(w) ? w : 0;
}

/** Topology spread constraints of a CR's pods, by kind (where each operator reads them). */
function crSpreadConstraints(s: SourcedObject): Array<{ path: string; constraints: Spec[] }> {
  const o = s.object;
  if (o.kind === 'OpenTelemetryCollector') return [{ path: 'spec.topologySpreadConstraints', constraints: arr(specOf(o).topologySpreadConstraints) }];
  if (o.kind === 'Elasticsearch') return arr(specOf(o).nodeSets as Spec[]).map((n, i) => ({ path: `spec.nodeSets[${i}].podTemplate.spec.topologySpreadConstraints`, constraints: arr(n.podTemplate?.spec?.topologySpreadConstraints) }));
  return [];
}

/** Rules on operator-run workloads and their clients. */
export const operatorWorkloadRules: readonly Rule[] = [
  {
    id: 'netpol/operator-open-policy',
    description: 'No operator adds a NetworkPolicy that admits every pod (e.g. the OpenTelemetry operator\'s operand.networkpolicy, on by default since v0.158.0).',
    fix: 'Turn the operator\'s policy off on the custom resource (OpenTelemetryCollector: spec.networkPolicy.enabled: false) and allow only the clients with the project\'s own NetworkPolicies.',
    check: (ctx) => ctx.cluster.operatorPolicies.flatMap((p) => {
      const rules = arr((p.object.spec as Spec | undefined)?.ingress as Spec[] | undefined);
      const open = rules.filter((r) => arr(r.from).length === 0);
      if (open.length === 0) return [];
      const ports = open.flatMap((r) => arr(r.ports as Spec[]).map((x) => x.port)).join(', ') || 'every port';
      const cr = ctx.objects.find((s) => id(s.object) === p.madeBy) ?? p;
      return [finding(cr, 'spec.networkPolicy.enabled', `${p.madeBy} makes its operator create NetworkPolicy ${nsOf(p.object)}/${p.object.metadata.name}, which admits every pod of every namespace on ${ports}, overriding the project's policies`)];
    }),
  },
  {
    id: 'policy/operator-probes',
    description: 'Collectors run by the OpenTelemetry operator get liveness/readiness probes (it generates them only for the v1 health_check extension).',
    fix: 'Enable the health_check extension in the collector configuration, or run the distribution as a Deployment with its own probes (Jaeger v2: constructs/jaeger-v2.ts).',
    check: (ctx) => ctx.objects.filter((s) => s.object.kind === 'OpenTelemetryCollector').flatMap((s) => {
      const enabled = arr(specOf(s.object).config?.service?.extensions as string[] | undefined).map((e) => String(e).split('/')[0]);
      return enabled.some((e) => PROBED_HEALTH_EXTENSIONS.includes(e)) ? [] : [finding(s, 'spec.config.service.extensions', `the operator generates no probes for ${id(s.object)}: none of [${enabled.join(', ')}] is one of [${PROBED_HEALTH_EXTENSIONS.join(', ')}], so its pods are Ready while broken and never restarted when hung`)];
    }),
  },
  {
    id: 'xref/topology-spread-selector',
    description: 'Every topologySpreadConstraints labelSelector matches the pods it constrains (the pod template\'s labels, or the labels the operator puts on a custom resource\'s pods).',
    fix: 'Select on labels the pods carry: the template\'s selector labels, or the labels the operator guarantees (model/operators/).',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const t of ctx.pods) {
        arr(t.spec.topologySpreadConstraints as Spec[] | undefined).forEach((c, i) => {
          if (c.labelSelector && !matchesSelector(c.labelSelector as LabelSelector, t.labels)) out.push(finding(t.source, `${t.specPath}.topologySpreadConstraints[${i}].labelSelector`, `labelSelector ${formatSelector(c.labelSelector)} does not match the pods' own labels, so the spread constrains nothing`));
        });
      }
      for (const s of ctx.objects) {
        const pods = ctx.cluster.pods.filter((p) => p.origin === s && !p.template);
        if (pods.length === 0) continue;
        for (const { path, constraints } of crSpreadConstraints(s)) {
          constraints.forEach((c, i) => {
            if (c.labelSelector && !pods.some((p) => matchesSelector(c.labelSelector as LabelSelector, p.labels))) out.push(finding(s, `${path}[${i}].labelSelector`, `labelSelector ${formatSelector(c.labelSelector)} matches none of the pods the operator makes for ${id(s.object)}, so the spread constrains nothing`));
          });
        }
      }
      return out;
    },
  },
  {
    id: 'policy/es-superuser',
    description: 'No client logs in to Elasticsearch as the `elastic` superuser (ECK\'s <cluster>-es-elastic-user Secret).',
    fix: 'Give the client a file-realm user whose role is limited to its own indices (constructs/elasticsearch-user.ts) and reference that user\'s Secret.',
    check: (ctx) => {
      const superuser = new Map(elasticsearches(ctx).map((s) => [`${nsOf(s.object)}/${esNames(s.object.metadata.name ?? '').elasticUserSecret.name}`, id(s.object)]));
      return podSpecs(ctx).flatMap(({ source, spec, path }) => secretRefs(spec, path)
        .filter((r) => superuser.has(`${nsOf(source.object)}/${r.name}`))
        .map((r) => finding(source, r.path, `reads Secret ${r.name}, the superuser password of ${superuser.get(`${nsOf(source.object)}/${r.name}`)}`)));
    },
  },
  {
    id: 'policy/elasticsearch-retention',
    description: 'Every Elasticsearch has retention: a CronJob in its namespace that cleans its indices (Jaeger es-index-cleaner) calls its HTTP Service.',
    fix: 'Add an index-cleaner CronJob (constructs/jaeger-index-cleaner.ts) with the days kept from settings.',
    check: (ctx) => elasticsearches(ctx).flatMap((s) => {
      const host = esNames(s.object.metadata.name ?? '').httpService;
      const cleaned = ctx.pods.some((t) => t.source.object.kind === 'CronJob' && nsOf(t.source.object) === nsOf(s.object)
        && containersOf(t).some(({ container }) => [...arr(container.args as string[] | undefined), ...arr(container.command as string[] | undefined)].some((a) => String(a).includes(`//${host}.`) || String(a).includes(`//${host}:`))));
      return cleaned ? [] : [finding(s, 'spec', `${id(s.object)} has no retention: no CronJob in namespace "${nsOf(s.object)}" cleans indices through ${host}, so indices grow until Elasticsearch turns read-only`)];
    }),
  },
  {
    id: 'gitops/wave-after-operator',
    description: 'A workload that reads a Secret an operator creates from a custom resource is synced in a later Argo CD wave than that resource (the wave waits for it to be healthy).',
    fix: 'Give the workload (or the custom resource) an argocd.argoproj.io/sync-wave that orders it after the resource (synth/sync-waves.ts).',
    check: (ctx) => {
      const crs = new Map(ctx.objects.map((s) => [id(s.object), s]));
      const out: Finding[] = [];
      for (const { source, spec, path } of podSpecs(ctx)) {
        for (const r of secretRefs(spec, path)) {
          const maker = ctx.cluster.secrets.get(`${nsOf(source.object)}/${r.name}`);
          const cr = maker ? crs.get(maker) : undefined;
          if (!cr || cr === source || cr.object.kind === 'ExternalSecret' || cr.object.kind === 'Certificate') continue;
          if (waveOf(source.object) <= waveOf(cr.object)) out.push(finding(source, r.path, `reads Secret ${r.name}, which ${maker} creates, but is synced in wave ${waveOf(source.object)}, not after that resource's wave ${waveOf(cr.object)}: it starts before the Secret exists`));
        }
      }
      return out;
    },
  },
];
