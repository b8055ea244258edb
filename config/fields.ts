/**
 * The shared field rules of the settings model: every setting that ends up in a Kubernetes name, label,
 * annotation, image reference, port, CIDR, cron schedule, duration, quantity or int32 field is typed by the
 * rule the API server (or the operator that reads it) applies, so that what loads also applies.
 *
 * This module imports nothing of the project (schema.ts and every section import it; no cycle).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
import { z } from 'zod';
import { tryParseQuantity } from './quantity';

/** Largest value of a Kubernetes `int32` field (replicas, ports, HPA bounds, Istio connection pools). */
export const INT32_MAX = 2_147_483_647;

/**
 * A whole number that fits the Kubernetes int32 fields it is written to (the API server refuses larger ones;
 * `maxReplicas: 3000000000` used to load and only fail at apply).
 */
export function int32(min = 0, max = INT32_MAX) {
  return z
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: max === INT32_MAX ? `must be at most ${INT32_MAX} (a Kubernetes int32 field)` : `must be at most ${max}` });
}

/** A TCP/UDP port (1-65535). */
export const port = z
  .number({ message: 'must be a port number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be a port between 1 and 65535' })
  .max(65535, { message: 'must be a port between 1 and 65535' });

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A DNS-1123 label (namespace and most object names): lower case alphanumerics and "-", alphanumeric at both
 * ends, at most `63 - reserved` characters, where `reserved` is the length of the longest prefix plus suffix the
 * output adds to the setting (e.g. `finbot-<name>-metrics`).
 */
export function dnsLabel(reserved = 0, what = 'a DNS-1123 label') {
  const max = 63 - reserved;
  return z.string().superRefine((v, ctx) => {
    if (!DNS1123_LABEL.test(v)) {
      ctx.addIssue({ code: 'custom', message: `"${v}" must be ${what}: lower case letters, digits and "-", starting and ending with a letter or digit` });
    } else if (v.length > max) {
      ctx.addIssue({
        code: 'custom',
        message: reserved > 0
          ? `"${v}" is ${v.length} characters; at most ${max}: the longest name made from it adds ${reserved} characters and Kubernetes allows 63`
          : `"${v}" is ${v.length} characters; a DNS-1123 label has at most 63`,
      });
    }
  });
}

/** A DNS-1035 label (Service names, CloudNativePG cluster names): like a DNS-1123 label, starting with a letter. */
export function dns1035Label(max = 63, why = 'Kubernetes allows 63') {
  return z.string().superRefine((v, ctx) => {
    if (!DNS1035_LABEL.test(v)) {
      ctx.addIssue({ code: 'custom', message: `"${v}" must be a DNS-1035 label: lower case letters, digits and "-", starting with a letter and ending with a letter or digit` });
    } else if (v.length > max) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is ${v.length} characters; at most ${max} (${why})` });
    }
  });
}

/** A DNS-1123 subdomain (StorageClass, IngressClass, ConfigMap names): labels joined by ".", at most 253. */
export const dnsSubdomain = z.string().superRefine((v, ctx) => {
  if (!DNS1123_SUBDOMAIN.test(v) || v.length > 253) {
    ctx.addIssue({ code: 'custom', message: `"${v}" must be a DNS-1123 subdomain such as fast-ssd or nginx: lower case letters, digits, "-" and ".", alphanumeric at both ends, at most 253` });
  }
});

/** Whether a string is a valid label value: at most 63, empty or alphanumeric at both ends, `-_.` inside. */
export function isLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

/** A label value (used as it is, e.g. as `app.kubernetes.io/version`). */
export const labelValue = z.string().refine(isLabelValue, {
  message: 'must be a Kubernetes label value: at most 63 characters, letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
});

/** A DNS host name such as api.finbot.com. */
export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: 'must be a fully qualified host name such as api.finbot.com' });

/**
 * A container registry host as the image reference grammar reads it: DNS components (alphanumeric at both
 * ends) joined by ".", an optional port; it needs a "." or a port (or be `localhost`), or the runtime reads it as
 * the first path component of a docker.io repository.
 * @see https://github.com/distribution/reference/blob/main/reference.go (domainAndPort)
 */
export const registryHost = z.string().superRefine((v, ctx) => {
  const m = /^([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*)(:([0-9]+))?$/.exec(v);
  const portNumber = m?.[6] === undefined ? undefined : Number(m[6]);
  if (!m || (portNumber !== undefined && (portNumber < 1 || portNumber > 65535)) || !(m[1].includes('.') || m[6] !== undefined || m[1] === 'localhost')) {
    ctx.addIssue({ code: 'custom', message: `"${v}" must be a registry host such as docker.io, ghcr.io or registry.example.internal:5000 (a "." or a port 1-65535 is needed)` });
  }
});

/** A repository path of an image reference: lower-case components joined by "/", separators `.`, `_`, `__`, `-`. */
export const imageRepository = z
  .string()
  .max(255, { message: 'must be at most 255 characters' })
  .regex(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/, { message: 'must be a repository path such as finbot/api' });

/** A `sha256:` image digest. */
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * An image tag, optionally pinned by digest (`v4.1.0@sha256:<64 hex>`): the reference grammar's tag
 * (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`), narrowed to what can also be the `app.kubernetes.io/version` label the
 * output gives the pods (at most 63, alphanumeric at both ends); never `latest`.
 */
export const imageTag = z.string().superRefine((v, ctx) => {
  const [tag, digest, ...more] = v.split('@');
  if (more.length > 0 || (digest !== undefined && !DIGEST.test(digest))) {
    ctx.addIssue({ code: 'custom', message: `"${v}" has a malformed digest: write <tag>@sha256:<64 lower-case hex digits>, e.g. v4.1.0@sha256:…` });
    return;
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    ctx.addIssue({ code: 'custom', message: `must be a valid image tag such as v4.0.0 (letters, digits, "_", "." and "-", at most 128; got "${tag}")` });
  } else if (!isLabelValue(tag)) {
    ctx.addIssue({ code: 'custom', message: `"${tag}" becomes the pods' app.kubernetes.io/version label: at most 63 characters, starting and ending with a letter or digit` });
  } else if (tag.toLowerCase() === 'latest') {
    ctx.addIssue({ code: 'custom', message: '"latest" is not allowed: pin an immutable tag such as v4.0.0 (or v4.0.0@sha256:…)' });
  }
});

/** The tag part of an image tag setting (without `@sha256:…`): what labels carry. */
export function tagOf(tagSetting: string): string {
  return tagSetting.split('@')[0];
}

/** Whether a string is a dotted IPv4 address as Go's net.ParseIP reads it (octets 0-255, no leading zeros). */
function isIPv4(a: string): boolean {
  const parts = a.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** Whether a string is an IPv6 address (hex groups, one `::` at most, an IPv4 tail allowed). */
function isIPv6(a: string): boolean {
  const halves = a.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const all = halves.flatMap(groups);
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** An IPv4 or IPv6 CIDR whose address parses (octets 0-255, no leading zeros) and whose prefix fits. */
export const cidr = z.string().superRefine((v, ctx) => {
  const m = /^([^/]+)\/([0-9]{1,3})$/.exec(v);
  const ok = m !== null && ((isIPv4(m[1]) && Number(m[2]) <= 32) || (isIPv6(m[1]) && Number(m[2]) <= 128));
  if (!ok) ctx.addIssue({ code: 'custom', message: `"${v}" must be an IPv4 or IPv6 CIDR such as 173.245.48.0/20 or 2400:cb00::/32 (octets 0-255, prefix up to 32 / 128)` });
});

/** An https URL with a host and an optional port 1-65535, e.g. https://vault.finbot.com:8200. */
export const httpsUrl = z.string().superRefine((v, ctx) => {
  const m = /^https:\/\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(:([0-9]{1,5}))?$/.exec(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'must be an https URL with a host and optional port such as https://vault.finbot.com:8200 (Vault tokens must never travel over plain http)' });
  } else if (m[4] !== undefined && (Number(m[4]) < 1 || Number(m[4]) > 65535)) {
    ctx.addIssue({ code: 'custom', message: `port ${m[4]} is not a port: use 1-65535` });
  }
});

/** `host:port` with a port 1-65535, e.g. consul:8500. */
export const hostPort = z.string().superRefine((v, ctx) => {
  const m = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:([0-9]{1,5})$/.exec(v);
  if (!m) ctx.addIssue({ code: 'custom', message: 'must be host:port such as consul:8500' });
  else if (Number(m[2]) < 1 || Number(m[2]) > 65535) ctx.addIssue({ code: 'custom', message: `port ${m[2]} is not a port: use 1-65535` });
});

/**
 * A Go duration as `time.ParseDuration` reads it (Kubernetes `metav1.Duration`, cluster-autoscaler flags,
 * External Secrets' refreshInterval): one or more `<number><unit>`, units ns, us, µs, ms, s, m, h.
 */
export const goDuration = z
  .string()
  .regex(/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, { message: 'must be a duration such as 90s, 10m or 1h30m (units ns, us, ms, s, m, h)' });

/** Seconds of a Go duration (for comparisons). */
export function goDurationSeconds(d: string): number {
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of d.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

/**
 * A Prometheus duration as prometheus-operator's CRDs accept it: units in the order y, w, d, h, m, s, ms,
 * each at most once (`12h7d` is refused by the API server).
 * @see the Duration pattern of @kubernetes-models/prometheus-operator 6.0.0 _schemas (…MonitoringV1Duration.js), generated from prometheus-operator's CRDs
 */
export const promDuration = z
  .string()
  .regex(/^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/, {
    message: 'must be a Prometheus duration with units in the order y, w, d, h, m, s, ms, each once, such as 30d, 12h or 1d12h',
  })
  .refine((d) => d !== '', { message: 'must not be empty' });

/** Seconds of a Prometheus duration. */
export function promDurationSeconds(d: string): number {
  const unit: Record<string, number> = { y: 31_536_000, w: 604_800, d: 86_400, h: 3600, m: 60, s: 1, ms: 1e-3 };
  let total = 0;
  for (const m of d.matchAll(/([0-9]+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

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

/** Requests and limits of cpu and memory; a limit below its request is refused, naming the limit. */
export const resourcesSchema = z
  .strictObject({
    requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
    limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  })
  .superRefine((r, ctx) => {
    for (const k of ['cpu', 'memory'] as const) {
      const limit = tryParseQuantity(r.limits[k]);
      const request = tryParseQuantity(r.requests[k]);
      if (limit !== undefined && request !== undefined && limit < request) {
        ctx.addIssue({ code: 'custom', path: ['limits', k], message: `limit ${r.limits[k]} is below the request ${r.requests[k]}: raise the limit or lower the request` });
      }
    }
  });
/** Validated requests and limits. */
export type ResourceSettings = z.infer<typeof resourcesSchema>;

/** An AWS region such as us-west-2. */
export const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, { message: 'must be an AWS region such as us-west-2' });

// --- cron: robfig/cron v1.2.0, which CloudNativePG v1.30.0 uses to validate ScheduledBackup.spec.schedule ---

interface CronBounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}
const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** Field bounds of robfig/cron v1.2.0 spec.go: seconds, minutes, hours, day of month, month, day of week. */
const CRON_FIELDS: ReadonlyArray<readonly [string, CronBounds]> = [
  ['seconds', { min: 0, max: 59 }],
  ['minutes', { min: 0, max: 59 }],
  ['hours', { min: 0, max: 23 }],
  ['day of month', { min: 1, max: 31 }],
  ['month', { min: 1, max: 12, names: MONTHS }],
  ['day of week', { min: 0, max: 6, names: DAYS }],
];

function cronInt(expr: string, names?: Readonly<Record<string, number>>): number | string {
  const named = names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  // Go's strconv.Atoi: optional sign, decimal digits.
  if (!/^[+-]?[0-9]+$/.test(expr)) return `Failed to parse int from ${expr}`;
  const n = Number(expr);
  if (n < 0) return `Negative number (${n}) not allowed: ${expr}`;
  return n;
}

/** robfig/cron v1.2.0 getRange: `*`/`?` | number ["-" number] ["/" step]; returns an error text or undefined. */
function cronRangeError(expr: string, r: CronBounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    const s = cronInt(lowAndHigh[0], r.names);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = cronInt(lowAndHigh[1], r.names);
      if (typeof e === 'string') return e;
      end = e;
    } else return `Too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const st = cronInt(rangeAndStep[1]);
    if (typeof st === 'string') return st;
    step = st;
    if (lowAndHigh.length === 1) end = r.max;
  } else if (rangeAndStep.length > 2) return `Too many slashes: ${expr}`;
  if (start < r.min) return `Beginning of range (${start}) below minimum (${r.min}): ${expr}`;
  if (end > r.max) return `End of range (${end}) above maximum (${r.max}): ${expr}`;
  if (start > end) return `Beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `Step of range should be a positive number: ${expr}`;
  return undefined;
}

/**
 * Why robfig/cron v1.2.0's `cron.Parse` (seconds first, day of week optional, descriptors) refuses a schedule, or
 * undefined when it parses. CloudNativePG v1.30.0's ScheduledBackup webhook calls it
 * (internal/webhook/v1/scheduledbackup_webhook.go, robfig/cron v1.2.0 in go.mod).
 * @see https://github.com/robfig/cron/blob/v1.2.0/parser.go
 */
export function robfigCronError(spec: string): string | undefined {
  if (spec.length === 0) return 'Empty spec string';
  if (spec.startsWith('@')) {
    if (['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'].includes(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      return /^([0-9]*(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(spec.slice(7)) && /[0-9]/.test(spec.slice(7)) ? undefined : `Failed to parse duration ${spec}`;
    }
    return `Unrecognized descriptor: ${spec}`;
  }
  const fields = spec.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return `Expected 5 to 6 fields, found ${fields.length}: ${spec}`;
  for (let i = 0; i < fields.length; i++) {
    const [, bounds] = CRON_FIELDS[i];
    for (const expr of fields[i].split(',').filter((e) => e !== '')) {
      const err = cronRangeError(expr, bounds);
      if (err !== undefined) return err;
    }
  }
  return undefined;
}

/**
 * A CloudNativePG backup schedule: six fields, seconds first (robfig/cron with seconds), checked with the
 * parser rules CloudNativePG v1.30.0's webhook applies; five fields parse upstream but only with a warning
 * that they are probably meant as minutes first, so this model asks for six.
 */
export const cnpgSchedule = z.string().superRefine((v, ctx) => {
  const err = robfigCronError(v);
  if (err !== undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is refused by CloudNativePG (robfig/cron: ${err}); write six fields, seconds first, such as "0 0 2 * * *"` });
  } else if (!v.startsWith('@') && v.trim().split(/\s+/).length !== 6) {
    ctx.addIssue({ code: 'custom', message: `"${v}" has ${v.trim().split(/\s+/).length} fields; CloudNativePG reads seconds first: write six fields such as "0 0 2 * * *"` });
  }
});
