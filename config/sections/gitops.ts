/**
 * gitops.yaml: how Argo CD delivers dist/<env> (repository, revision, sync policy) and what the
 * environment's synthetic monitoring probes from outside.
 *
 * Shared field rules come from `../fields` (schema.ts imports this file; no cycle).
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/
 */
import { z } from 'zod';
import { dnsLabel as dnsLabelOf, promDurationSeconds } from '../fields';

const dnsLabel = dnsLabelOf();

/**
 * The blackbox Probes' scrape timeout in seconds (constructs/blackbox-exporter.ts PROBE_TIMEOUT_SECONDS):
 * Prometheus refuses a scrape config whose timeout exceeds its interval.
 */
export const PROBE_SCRAPE_TIMEOUT_SECONDS = 15;

/** One public endpoint the blackbox exporter probes over HTTPS. */
const probeTarget = z.strictObject({
  /**
   * Which public host of edge.yaml (`hosts.<name>`) to probe; the Probe is `finbot-synthetic-<name>`.
   * The host itself comes from the edge settings, so the two can never disagree.
   */
  name: z.enum(['api', 'web'], { message: 'must be a host of edge.yaml: api or web' }),
  /** Path requested, e.g. /health. */
  path: z.string().startsWith('/', { message: 'must start with "/"' }).default('/'),
});

/** A sync window of the environment's workloads project (Argo CD AppProject `spec.syncWindows`). */
const syncWindow = z.strictObject({
  /** allow: the workloads sync only inside the window; deny: never inside it. */
  kind: z.enum(['allow', 'deny'], { message: 'must be allow or deny' }),
  /** Cron schedule of the window's start (five fields), e.g. "0 8 * * 1-5". */
  schedule: z.string().regex(/^\S+( \S+){4}$/, { message: 'must be a five-field cron schedule such as "0 8 * * 1-5"' }),
  /** Length of the window, e.g. 9h or 90m. */
  duration: z.string().regex(/^[0-9]+(h|m)$/, { message: 'must be a duration in hours or minutes such as 9h or 90m' }),
  /** IANA time zone of the schedule. */
  timeZone: z.string().min(1).default('UTC'),
  /** Whether a person may still sync by hand while the window blocks syncs. */
  manualSync: z.boolean().default(false),
});

/** A project role of the workloads project: SSO groups and what they may do with its Applications. */
const projectRole = z.strictObject({
  /** Role name (lower case), e.g. deployer. */
  name: dnsLabel,
  /** One line for the Argo CD UI. */
  description: z.string().min(1),
  /** SSO groups (the OIDC `groups` claim) holding the role. */
  groups: z.array(z.string().min(1)).min(1, { message: 'give at least one SSO group' }),
  /** What the role may do with the project's Applications. */
  actions: z.array(z.enum(['get', 'sync', 'override', 'action/*'], { message: 'must be get, sync, override or action/*' })).min(1),
});

/** gitops.yaml. */
export const gitopsSchema = z
  .strictObject({
    /** The Git repository holding dist/ (this repository), as Argo CD clones it. */
    repoURL: z.string().regex(/^(https:\/\/[^\s]+|git@[^\s:]+:[^\s]+)$/, { message: 'must be an https:// or git@ repository URL' }),
    /**
     * Branch, tag or commit Argo CD follows: staging follows main; production a reviewed release branch that
     * only the promotion workflow moves (docs/releases.md).
     */
    targetRevision: z.string().min(1).refine((r) => r !== 'HEAD', { message: '"HEAD" follows whatever branch is the default; name the branch, e.g. main' }),
    /** Namespace Argo CD runs in (Applications and AppProjects live there). */
    argocdNamespace: dnsLabel,
    /**
     * Automated sync with prune and self-heal (staging); false = a person presses Sync (production).
     */
    autoSync: z.boolean(),
    /** When the workloads may sync (none: any time). */
    syncWindows: z.array(syncWindow).default([]),
    /** Who may do what with the environment's Applications in the Argo CD UI/CLI (none: only Argo CD admins). */
    projectRoles: z.array(projectRole).default([]),
    /** Synthetic monitoring (Prometheus Probes through a blackbox exporter). */
    probes: z.strictObject({
      /** Probe interval, e.g. 60s. */
      interval: z
        .string()
        .regex(/^[0-9]+(s|m)$/, { message: 'must be a duration in seconds or minutes such as 30s or 1m' })
        .refine((d) => promDurationSeconds(d) >= PROBE_SCRAPE_TIMEOUT_SECONDS, {
          message: `must be at least ${PROBE_SCRAPE_TIMEOUT_SECONDS}s: the probe's scrape timeout is ${PROBE_SCRAPE_TIMEOUT_SECONDS}s and Prometheus refuses a timeout longer than the interval`,
        }),
      /** Public endpoints (hosts from edge.yaml). */
      targets: z.array(probeTarget).min(1, { message: 'give at least one public endpoint to probe' }),
    }),
  })
  .superRefine((g, ctx) => {
    const roles = new Set<string>();
    g.projectRoles.forEach((r, i) => {
      if (roles.has(r.name)) ctx.addIssue({ code: 'custom', path: ['projectRoles', i, 'name'], message: `duplicate role "${r.name}": names must be unique` });
      roles.add(r.name);
    });
    if (g.targetRevision === 'main' && !g.autoSync && g.syncWindows.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['targetRevision'], message: 'an environment with sync windows and manual sync follows a reviewed release branch, not main (see docs/releases.md)' });
    }
    const seen = new Set<string>();
    g.probes.targets.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['probes', 'targets', i, 'name'], message: `duplicate probe name "${t.name}": names must be unique` });
      seen.add(t.name);
    });
  });
/** Validated gitops.yaml. */
export type GitopsSettings = z.infer<typeof gitopsSchema>;
