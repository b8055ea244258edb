/**
 * The one typed settings model of an environment. Production and staging are values of it.
 *
 * Settings live in `config/environments/<env>/<section>.yaml`, one file per top-level section, and are
 * validated once at load (see `load.ts`). Every object is strict: an unknown field is an error.
 * `npm run schema` writes `config/settings.schema.json` from this file for editors.
 */
import { z } from 'zod';
import {
  cpuQuantity,
  dnsLabel as dnsLabelOf,
  hostname,
  imageRepository,
  imageTag,
  int32,
  memoryQuantity,
  awsRegion,
  port as anyPort,
  registryHost,
  resourcesSchema,
  type ResourceSettings,
} from './fields';
import { dataSchema } from './sections/data';
import { clusterSchema } from './sections/cluster';
import { gitopsSchema } from './sections/gitops';
import { secretsSchema } from './sections/secrets';
import { observabilitySchema } from './sections/observability';
import { releaseSchema } from './sections/release';
import { edgeSchema } from './sections/edge';
import { meshSchema } from './sections/mesh';
import { capacitySchema } from './sections/capacity';

export { cpuQuantity, hostname, memoryQuantity, resourcesSchema, type ResourceSettings };

/** A DNS-1123 label: Kubernetes object and namespace names. */
export const dnsLabel = dnsLabelOf();

/**
 * Characters the output adds around an extra worker's name: `finbot-<name>-metrics` (its metrics Service, the
 * longest name made from it; a Service name is a DNS-1035/1123 label of at most 63).
 */
export const EXTRA_WORKER_RESERVED = 'finbot-'.length + '-metrics'.length;

/**
 * Extra worker names that would give objects the fixed components already own (`finbot-api`, `finbot-api-blue`,
 * `finbot-web-metrics`, ...) or names another worker's derived objects take.
 */
export function extraWorkerNameClash(name: string): string | undefined {
  if (['api', 'web', 'worker'].includes(name)) return `"${name}" is a component of apps.yaml already (finbot-${name}); choose another name`;
  const prefix = /^(api|web|worker)-/.exec(name);
  if (prefix) return `"${name}" starts with "${prefix[1]}-": finbot-${name} could collide with the objects of finbot-${prefix[1]} (e.g. finbot-api-preview, finbot-web-metrics); choose another name`;
  const suffix = /-(metrics|hpa)$/.exec(name);
  if (suffix) return `"${name}" ends with "-${suffix[1]}": finbot-${name} could collide with another worker's finbot-<name>-${suffix[1]}; choose another name`;
  return undefined;
}

/** A container image, split so that tags can be bumped and checked: never `latest`. */
export const imageSchema = z.strictObject({
  /** Registry host, e.g. docker.io or 123456789012.dkr.ecr.us-west-2.amazonaws.com. */
  registry: registryHost,
  /** Repository path, e.g. finbot/api. */
  repository: imageRepository,
  /** An immutable tag (never `latest`), optionally pinned by digest: `v4.0.0` or `v4.0.0@sha256:<hex>`. */
  tag: imageTag,
});
export type ImageSettings = z.infer<typeof imageSchema>;

const percent = int32(1, 100);

/** HorizontalPodAutoscaler (autoscaling/v2) bounds and targets. */
export const autoscalingSchema = z.strictObject({
  minReplicas: int32(1),
  maxReplicas: int32(1),
  cpuUtilization: percent,
  memoryUtilization: percent.optional(),
  /** scaleDown: stabilization window (s) and the share of pods that may go per minute. */
  scaleDown: z.strictObject({ stabilizationWindowSeconds: int32(0, 3600), percentPerMinute: percent }),
  /** scaleUp: stabilization window (s) and the share of pods that may be added per minute. */
  scaleUp: z.strictObject({ stabilizationWindowSeconds: int32(0, 3600), percentPerMinute: int32(1, 1000) }),
});
export type AutoscalingSettings = z.infer<typeof autoscalingSchema>;

const probe = z.strictObject({
  path: z.string().startsWith('/'),
  initialDelaySeconds: int32(0),
  periodSeconds: int32(1),
  timeoutSeconds: int32(1).default(1),
  failureThreshold: int32(1).default(3),
});
export type ProbeSettings = z.infer<typeof probe>;

const port = z.number().int().min(1024, { message: 'must be an unprivileged port (1024-65535): pods run as non-root' }).max(65535, { message: 'must be a port between 1024 and 65535' });

/** Settings of a component whose image is `image` (with or without a tag, see {@link apiAppSchema}). */
function appSchemaWith<Image extends z.ZodType>(image: Image) {
  return z.strictObject({
  image,
  /** Replicas of the Deployment; only without `autoscaling` (an HPA owns the count otherwise). */
  replicas: int32(0).optional(),
  resources: resourcesSchema,
  autoscaling: autoscalingSchema.optional(),
  /** Port the container serves HTTP on; absent for a worker without a Service. */
  port: port.optional(),
  /** Port serving Prometheus /metrics (and, for workers, the health endpoints). */
  metricsPort: port,
  livenessProbe: probe,
  readinessProbe: probe,
  /** Extra plain (non-secret) environment variables. */
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).default({}),
  /** PodDisruptionBudget: at most this many pods unavailable during voluntary disruptions. */
  maxUnavailable: int32(1).default(1),
}).superRefine((app, ctx) => {
  const hpa = app.autoscaling;
  if (hpa && app.replicas !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['replicas'],
      message: `replicas ${app.replicas} has no effect: an HPA manages this Deployment (autoscaling.minReplicas ${hpa.minReplicas} .. maxReplicas ${hpa.maxReplicas}); remove replicas, or remove autoscaling to fix the count`,
    });
  }
  if (!hpa && app.replicas === undefined) {
    ctx.addIssue({ code: 'custom', path: ['replicas'], message: 'required field is missing: without autoscaling, give replicas (the Deployment\'s pod count)' });
  }
  if (app.port !== undefined && app.port === app.metricsPort) {
    ctx.addIssue({ code: 'custom', path: ['metricsPort'], message: `metricsPort ${app.metricsPort} is also port: give metrics a port of its own` });
  }
  if (hpa && hpa.minReplicas > hpa.maxReplicas) {
    ctx.addIssue({
      code: 'custom',
      path: ['autoscaling', 'minReplicas'],
      message: `minReplicas ${hpa.minReplicas} is above maxReplicas ${hpa.maxReplicas}`,
    });
  }
});
}
/** Settings of one application component (api, web, worker, or an extra worker). */
export const appSchema = appSchemaWith(imageSchema);
export type AppSettings = z.infer<typeof appSchema>;
/**
 * The api's settings: its image has no tag here because each blue-green colour has its own tag in
 * release.yaml (`api.colours.<colour>.tag`), bumped by `npm run set-image` and made live by `npm run promote`.
 */
export const apiAppSchema = appSchemaWith(imageSchema.omit({ tag: true }));
export type ApiAppSettings = z.infer<typeof apiAppSchema>;

/** platform.yaml: cluster-wide facts and the namespaces the environment owns. */
/** The smallest and largest replica count of an app while its region is the standby. */
const standbySizeSchema = z.strictObject({ minReplicas: int32(1), maxReplicas: int32(1) });

/**
 * The region's role in a disaster-recovery pair. `active` serves the public hosts (edge.yaml `hosts`) with the
 * apps at the sizes of apps.yaml; `standby` serves only its regional `standby.hosts` with the apps at
 * `standby.apps` sizes. `npm run failover` / `failback` switch it together with data.yaml's Postgres primary.
 */
export const drRoleSchema = z.strictObject({
  role: z.enum(['active', 'standby']).describe('active: serves the public hosts at full size; standby: regional hosts only, apps at standby size'),
  peer: dnsLabel.describe('The other environment of the pair (a folder under config/environments)'),
  standby: z.strictObject({
    hosts: z.strictObject({ api: hostname, web: hostname }).describe('Hosts the edge serves while standby (the region\'s own names, for drills and smoke tests)'),
    apps: z.record(dnsLabel, standbySizeSchema).describe('HPA bounds per app (api, web, worker or an extra worker) while standby'),
    alertReceivers: z.array(dnsLabel).min(1).describe('Receivers (observability.yaml alertmanager.receivers) of the application and synthetic-probe alerts while standby, instead of their severity routes: they are expected there (no public traffic; the apps cannot log in to the replica until promotion), so they must not page'),
  }),
});
export type DrRoleSettings = z.infer<typeof drRoleSchema>;

export const platformSchema = z.strictObject({
  /** The cluster this environment runs in (one cluster per environment). */
  clusterName: dnsLabel,
  /** Cloud region. */
  region: awsRegion,
  /** Zones the cluster's node groups span (topology spread uses the zone label). */
  zones: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$/, { message: 'must be an availability zone such as us-west-2a' })).min(1),
  namespaces: z.strictObject({
    /** Where api/web/worker run. */
    app: dnsLabel,
    monitoring: dnsLabel,
    /** The ingress controller's namespace (labelled `name: ingress-nginx` for the design document's policy). */
    ingress: dnsLabel,
    /** Postgres (labelled `name: database`). */
    database: dnsLabel,
    /** Redis (labelled `name: cache`). */
    cache: dnsLabel,
    /** The Vault server (ConfigMap vault-config). */
    vault: dnsLabel,
  }),
  /** Inject Istio sidecars into the app namespace. */
  istioInjection: z.boolean(),
  /** Member of a disaster-recovery pair (docs/disaster-recovery.md); absent: a single-region environment. */
  dr: drRoleSchema.optional(),
}).superRefine((p, ctx) => {
  // Each namespace gets its own Pod Security level, NetworkPolicies and `name:` label: two roles in one
  // namespace would merge both sets of policies (and make one role's label lie).
  const seen = new Map<string, string>();
  for (const [role, ns] of Object.entries(p.namespaces)) {
    const other = seen.get(ns);
    if (other) ctx.addIssue({ code: 'custom', path: ['namespaces', role], message: `"${ns}" is also namespaces.${other}: every role needs a namespace of its own` });
    seen.set(ns, role);
  }
});
export type PlatformSettings = z.infer<typeof platformSchema>;

/** apps.yaml: the three components of the design document and any extra workers. */
export const appsSchema = z.strictObject({
  api: apiAppSchema,
  web: appSchema,
  worker: appSchema,
  /** Additional background workers, keyed by a short name (deployed as finbot-<name>). */
  extraWorkers: z.record(dnsLabelOf(EXTRA_WORKER_RESERVED, 'a DNS-1123 label (it names finbot-<name>)'), appSchema).default({}),
}).superRefine((apps, ctx) => {
  for (const c of ['api', 'web'] as const) {
    if (apps[c].port === undefined) {
      ctx.addIssue({ code: 'custom', path: [c, 'port'], message: `required field is missing: ${c} serves HTTP (edge.yaml routes hosts.${c} to it, the mesh routes to it); give the container port` });
    }
  }
  for (const name of Object.keys(apps.extraWorkers)) {
    const clash = extraWorkerNameClash(name);
    if (clash) ctx.addIssue({ code: 'custom', path: ['extraWorkers', name], message: clash });
  }
});
export type AppsSettings = z.infer<typeof appsSchema>;

const namespacedName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, { message: 'must be "namespace/name"' });

/** validation.yaml: facts the validation (`npm run validate`, `cdk8s synth`) cannot see in the output. */
export const validationSettingsSchema = z.strictObject({
  /** Secrets created outside the output (by hand, by another system), as "namespace/name". */
  externalSecrets: z.array(namespacedName).default([]),
  /** Connections to check for NetworkPolicy reachability besides those derived from the output. */
  connections: z
    .array(
      z.strictObject({
        /** "namespace/workload" of the output, or "peer:<name>" (kube-dns, ingress-controller, prometheus). */
        from: z.string().regex(/^(peer:[a-z0-9-]+|[a-z0-9-]+\/[a-z0-9.-]+)$/, { message: 'must be "namespace/workload" or "peer:<name>"' }),
        /** Destination Service as "namespace/service". */
        to: namespacedName,
        /** Service port number or name. */
        port: z.union([anyPort, z.string().regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, { message: 'must be a port number or an IANA_SVC_NAME such as http (at most 15)' })]),
      }),
    )
    .default([]),
  /** Rules switched off for single objects; every entry needs a reason. */
  exemptions: z
    .array(
      z.strictObject({
        /** Rule id such as policy/probes, or a family prefix such as "pss/". */
        rule: z.string().min(1),
        /** "Kind namespace/name" (cluster-scoped: "Kind name"), as violation reports print it. */
        object: z.string().min(1),
        /** Why this is acceptable. */
        reason: z.string().min(10, { message: 'give a reason (at least 10 characters)' }),
      }),
    )
    .default([]),
  /** Namespaces where NodePort/LoadBalancer Services are allowed besides the ingress namespace. */
  edgeNamespaces: z.array(dnsLabel).default([]),
  /** Namespaces that exist although the output does not create them (e.g. argocd, cert-manager, istio-system). */
  externalNamespaces: z.array(dnsLabel).default([]),
});
export type ValidationSettings = z.infer<typeof validationSettingsSchema>;

/**
 * Every section, keyed by file name (`<section>.yaml`). A later issue adds its own section here and the
 * loader picks its file up by name.
 */
export const sectionSchemas = {
  platform: platformSchema,
  apps: appsSchema,
  data: dataSchema,
  cluster: clusterSchema,
  gitops: gitopsSchema,
  secrets: secretsSchema,
  observability: observabilitySchema,
  release: releaseSchema,
  edge: edgeSchema,
  mesh: meshSchema,
  validation: validationSettingsSchema,
  /** Node size and node group bounds, for `npm run capacity` (config/sections/capacity.ts). */
  capacity: capacitySchema,
} as const;

/** The whole settings model of one environment. */
export const settingsSchema = z
  .strictObject({
    /** Environment name; taken from the folder name, not written in a file. */
    name: dnsLabel,
    ...sectionSchemas,
  })
  .superRefine((s, ctx) => {
    // Rules that span sections: each issue names the file and field to change.
    if (!s.platform.istioInjection) {
      ctx.addIssue({
        code: 'custom',
        path: ['platform', 'istioInjection'],
        message: 'must be true: the mesh (mesh.yaml) enforces STRICT mTLS in the app namespace, and pods without sidecars would refuse all traffic',
      });
    }
    const zones = s.platform.zones.length;
    if (s.cluster.nodeGroups.minSize < zones) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'nodeGroups', 'minSize'],
        message: `minSize ${s.cluster.nodeGroups.minSize} is below the number of zones in platform.yaml (${zones}): zone-spread pods need a node in every zone; raise minSize to at least ${zones}`,
      });
    }
    if (s.edge.hosts.api === s.edge.hosts.web) {
      ctx.addIssue({
        code: 'custom',
        path: ['edge', 'hosts', 'web'],
        message: `"${s.edge.hosts.web}" is also hosts.api: each host routes to one app; give the web frontend a host of its own`,
      });
    }
    const dr = s.platform.dr;
    const rep = s.data.postgres.replication;
    if (dr && !rep) {
      ctx.addIssue({ code: 'custom', path: ['data', 'postgres', 'replication'], message: `required field is missing: platform.yaml dr makes this environment half of a pair with ${dr.peer}; give the Postgres replication with that peer` });
    }
    if (rep && !dr) {
      ctx.addIssue({ code: 'custom', path: ['platform', 'dr'], message: `required field is missing: data.yaml postgres.replication pairs this environment with ${rep.peer.environment}; give platform.yaml dr (role, peer, standby sizes)` });
    }
    if (dr && rep) {
      if (rep.peer.environment !== dr.peer) {
        ctx.addIssue({ code: 'custom', path: ['data', 'postgres', 'replication', 'peer', 'environment'], message: `"${rep.peer.environment}" is not platform.yaml dr.peer "${dr.peer}"; both name the same peer environment` });
      }
      if (dr.peer === s.name) {
        ctx.addIssue({ code: 'custom', path: ['platform', 'dr', 'peer'], message: 'an environment cannot be its own peer; name the other environment of the pair' });
      }
      const primary = rep.primary === s.data.postgres.name;
      if ((dr.role === 'active') !== primary) {
        ctx.addIssue({
          code: 'custom',
          path: ['platform', 'dr', 'role'],
          message: `role ${dr.role} but data.yaml postgres.replication.primary is ${rep.primary} (${primary ? 'this cluster' : 'the peer'}): the active region is the one whose Postgres is the primary; run npm run failover / failback instead of editing one of them`,
        });
      }
      const sized: Record<string, AppSettings> = { api: s.apps.api as AppSettings, web: s.apps.web, worker: s.apps.worker, ...s.apps.extraWorkers };
      for (const [app, size] of Object.entries(dr.standby.apps)) {
        const at = ['platform', 'dr', 'standby', 'apps', app];
        if (!sized[app]) ctx.addIssue({ code: 'custom', path: at, message: `no app "${app}" in apps.yaml; use one of ${Object.keys(sized).join(', ')}` });
        else if (!sized[app].autoscaling) ctx.addIssue({ code: 'custom', path: at, message: `apps.yaml ${app} has no autoscaling; a standby size bounds its HPA` });
        else if (size.minReplicas > size.maxReplicas) ctx.addIssue({ code: 'custom', path: [...at, 'minReplicas'], message: `minReplicas ${size.minReplicas} is above maxReplicas ${size.maxReplicas}` });
      }
      const apiStandby = dr.standby.apps.api;
      if (apiStandby && s.release.api.idleReplicas > apiStandby.maxReplicas) {
        ctx.addIssue({ code: 'custom', path: ['platform', 'dr', 'standby', 'apps', 'api', 'maxReplicas'], message: `maxReplicas ${apiStandby.maxReplicas} is below release.yaml api.idleReplicas ${s.release.api.idleReplicas}` });
      }
      const am = s.observability.alertmanager;
      dr.standby.alertReceivers.forEach((r, i) => {
        const at = ['platform', 'dr', 'standby', 'alertReceivers', i];
        if (!am.receivers.some((x) => x.name === r)) ctx.addIssue({ code: 'custom', path: at, message: `unknown receiver "${r}"; observability.yaml alertmanager.receivers are: ${am.receivers.map((x) => x.name).join(', ')}` });
        else if (r === am.heartbeat.receiver) ctx.addIssue({ code: 'custom', path: at, message: `"${r}" is the heartbeat receiver, which must get only the Watchdog; name a receiver people read (e.g. chat)` });
      });
      for (const k of ['api', 'web'] as const) {
        if (dr.standby.hosts[k] === s.edge.hosts[k] || dr.standby.hosts[k] === s.edge.hosts[k === 'api' ? 'web' : 'api']) {
          ctx.addIssue({ code: 'custom', path: ['platform', 'dr', 'standby', 'hosts', k], message: `"${dr.standby.hosts[k]}" is also a public host in edge.yaml; the standby hosts are the region's own names` });
        }
      }
    }
    const hpa = s.apps.api.autoscaling;
    if (hpa && s.release.api.idleReplicas > hpa.maxReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['release', 'api', 'idleReplicas'],
        message: `idleReplicas ${s.release.api.idleReplicas} is above apps.yaml api.autoscaling.maxReplicas ${hpa.maxReplicas}; lower idleReplicas`,
      });
    }
  });

/** Validated settings of one environment, as charts receive them. */
export type Settings = z.infer<typeof settingsSchema>;

/**
 * The settings as the charts see them: a standby region of a disaster-recovery pair serves its
 * `platform.dr.standby.hosts` instead of the public hosts, with its apps' HPAs bounded by the standby sizes.
 * An active region, and an environment outside a pair, are unchanged. Applied once, at load.
 */
export function withRegionRole(s: Settings): Settings {
  const dr = s.platform.dr;
  if (!dr || dr.role === 'active') return s;
  const size = <A extends { autoscaling?: AutoscalingSettings }>(name: string, app: A): A => {
    const b = dr.standby.apps[name];
    return b && app.autoscaling ? { ...app, autoscaling: { ...app.autoscaling, ...b } } : app;
  };
  return {
    ...s,
    edge: { ...s.edge, hosts: { ...s.edge.hosts, ...dr.standby.hosts } },
    apps: {
      ...s.apps,
      api: size('api', s.apps.api),
      web: size('web', s.apps.web),
      worker: size('worker', s.apps.worker),
      extraWorkers: Object.fromEntries(Object.entries(s.apps.extraWorkers).map(([n, a]) => [n, size(n, a)])),
    },
  };
}
