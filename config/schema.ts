/**
 * The one typed settings model of an environment. Production and staging are values of it.
 *
 * Settings live in `config/environments/<env>/<section>.yaml`, one file per top-level section, and are
 * validated once at load (see `load.ts`). Every object is strict: an unknown field is an error.
 * `npm run schema` writes `config/settings.schema.json` from this file for editors.
 */
import { z } from 'zod';
import { tryParseQuantity } from './quantity';
import { dataSchema } from './sections/data';
import { clusterSchema } from './sections/cluster';
import { gitopsSchema } from './sections/gitops';
import { secretsSchema } from './sections/secrets';
import { observabilitySchema } from './sections/observability';
import { releaseSchema } from './sections/release';
import { edgeSchema } from './sections/edge';
import { meshSchema } from './sections/mesh';
import { capacitySchema } from './sections/capacity';

/** Kubernetes resource quantity for memory/storage (binary or decimal SI suffix), e.g. `256Mi`, `10Gi`. */
export const memoryQuantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, {
    message: 'must be a Kubernetes quantity such as 256Mi, 1Gi or 10Gi (note: "MB"/"GB" are not Kubernetes units; use Mi/Gi)',
  });

/** Kubernetes CPU quantity: whole/decimal cores or millicores, e.g. `250m`, `0.5`, `2`. */
export const cpuQuantity = z
  .string()
  .regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, { message: 'must be a CPU quantity such as 250m, 0.5 or 2' });

/** A DNS-1123 label: Kubernetes object and namespace names. */
export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'must be a DNS-1123 label (lower case letters, digits, "-"; at most 63)' });

/** A DNS host name such as api.finbot.com. */
export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: 'must be a fully qualified host name such as api.finbot.com' });

/** A container image, split so that tags can be bumped and checked: never `latest`. */
export const imageSchema = z.strictObject({
  /** Registry host, e.g. docker.io or 123456789012.dkr.ecr.us-west-2.amazonaws.com. */
  registry: z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?$/, { message: 'must be a registry host such as docker.io' }),
  /** Repository path, e.g. finbot/api. */
  repository: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { message: 'must be a repository path such as finbot/api' }),
  /** An immutable tag (never `latest`). */
  tag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'must be a valid image tag such as v4.0.0' })
    .refine((t) => t.toLowerCase() !== 'latest', { message: '"latest" is not allowed: pin an immutable tag such as v4.0.0' }),
});
export type ImageSettings = z.infer<typeof imageSchema>;

const resourceAmounts = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

/** Requests and limits; limits may not be below requests (checked in `load.ts` with the field path). */
export const resourcesSchema = z.strictObject({ requests: resourceAmounts, limits: resourceAmounts });
export type ResourceSettings = z.infer<typeof resourcesSchema>;

const percent = z.number().int().min(1).max(100);

/** HorizontalPodAutoscaler (autoscaling/v2) bounds and targets. */
export const autoscalingSchema = z.strictObject({
  minReplicas: z.number().int().min(1),
  maxReplicas: z.number().int().min(1),
  cpuUtilization: percent,
  memoryUtilization: percent.optional(),
  /** scaleDown: stabilization window (s) and the share of pods that may go per minute. */
  scaleDown: z.strictObject({ stabilizationWindowSeconds: z.number().int().min(0).max(3600), percentPerMinute: percent }),
  /** scaleUp: stabilization window (s) and the share of pods that may be added per minute. */
  scaleUp: z.strictObject({ stabilizationWindowSeconds: z.number().int().min(0).max(3600), percentPerMinute: z.number().int().min(1).max(1000) }),
});
export type AutoscalingSettings = z.infer<typeof autoscalingSchema>;

const probe = z.strictObject({
  path: z.string().startsWith('/'),
  initialDelaySeconds: z.number().int().min(0),
  periodSeconds: z.number().int().min(1),
  timeoutSeconds: z.number().int().min(1).default(1),
  failureThreshold: z.number().int().min(1).default(3),
});
export type ProbeSettings = z.infer<typeof probe>;

const port = z.number().int().min(1024, { message: 'must be an unprivileged port (1024-65535): pods run as non-root' }).max(65535);

/** Settings of a component whose image is `image` (with or without a tag, see {@link apiAppSchema}). */
function appSchemaWith<Image extends z.ZodType>(image: Image) {
  return z.strictObject({
  image,
  /** Replicas when no HPA is active; with an HPA this is the starting count. */
  replicas: z.number().int().min(0),
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
  maxUnavailable: z.number().int().min(1).default(1),
}).superRefine((app, ctx) => {
  for (const r of ['cpu', 'memory'] as const) {
    const limit = tryParseQuantity(app.resources.limits[r]);
    const request = tryParseQuantity(app.resources.requests[r]);
    if (limit !== undefined && request !== undefined && limit < request) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources', 'limits', r],
        message: `limit ${app.resources.limits[r]} is below the request ${app.resources.requests[r]}: raise the limit or lower the request`,
      });
    }
  }
  const hpa = app.autoscaling;
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
export const platformSchema = z.strictObject({
  /** The cluster this environment runs in (one cluster per environment). */
  clusterName: dnsLabel,
  /** Cloud region. */
  region: z.string().regex(/^[a-z]{2}-[a-z]+-[0-9]$/, { message: 'must be an AWS region such as us-west-2' }),
  /** Zones the cluster's node groups span (topology spread uses the zone label). */
  zones: z.array(z.string()).min(1),
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
});
export type PlatformSettings = z.infer<typeof platformSchema>;

/** apps.yaml: the three components of the design document and any extra workers. */
export const appsSchema = z.strictObject({
  api: apiAppSchema,
  web: appSchema,
  worker: appSchema,
  /** Additional background workers, keyed by a short name (deployed as finbot-<name>). */
  extraWorkers: z.record(dnsLabel, appSchema).default({}),
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
        port: z.union([z.number().int().min(1).max(65535), z.string().min(1)]),
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
export const settingsSchema = z.strictObject({
  /** Environment name; taken from the folder name, not written in a file. */
  name: dnsLabel,
  ...sectionSchemas,
});

/** Validated settings of one environment, as charts receive them. */
export type Settings = z.infer<typeof settingsSchema>;
