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

/** gitops.yaml. */
export const gitopsSchema = z
  .strictObject({
    /** The Git repository holding dist/ (this repository), as Argo CD clones it. */
    repoURL: z.string().regex(/^(https:\/\/[^\s]+|git@[^\s:]+:[^\s]+)$/, { message: 'must be an https:// or git@ repository URL' }),
    /** Branch, tag or commit Argo CD follows. */
    targetRevision: z.string().min(1).refine((r) => r !== 'HEAD', { message: '"HEAD" follows whatever branch is the default; name the branch, e.g. main' }),
    /** Namespace Argo CD runs in (Applications and AppProjects live there). */
    argocdNamespace: dnsLabel,
    /**
     * Automated sync with prune and self-heal (staging); false = a person presses Sync (production).
     */
    autoSync: z.boolean(),
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
    const seen = new Set<string>();
    g.probes.targets.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['probes', 'targets', i, 'name'], message: `duplicate probe name "${t.name}": names must be unique` });
      seen.add(t.name);
    });
  });
/** Validated gitops.yaml. */
export type GitopsSettings = z.infer<typeof gitopsSchema>;
