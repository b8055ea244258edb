/**
 * What `npm run set-image` and `npm run promote` change in the settings, as pure functions over validated
 * settings and YAML text (the CLIs beside it only add argv, files and the re-synthesis).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { parseSettings, readRawSections, SettingsError } from '../../config/load';
import type { Settings } from '../../config/schema';
import { imageTagSchema, otherColour } from '../../config/sections/release';
import { setYamlScalar } from './yaml-edit';

/** A refusal with a message for the user (exit code 1). */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

/** One scalar to set in `config/environments/<env>/<section>.yaml`. */
export interface SettingsEdit {
  readonly section: 'apps' | 'release';
  readonly path: readonly string[];
  readonly value: string;
}

/** Edits and what to tell the user. */
export interface Plan {
  readonly edits: readonly SettingsEdit[];
  readonly summary: string;
}

/** The apps whose image can be set: api, web, worker and every extra worker. */
export function knownApps(settings: Settings): string[] {
  return ['api', 'web', 'worker', ...Object.keys(settings.apps.extraWorkers).sort()];
}

/** Checks an image tag the way the settings do (pinned, never `latest`). */
export function checkTag(tag: string): void {
  const r = imageTagSchema.safeParse(tag);
  if (!r.success) throw new CommandError(`invalid tag "${tag}": ${r.error.issues[0].message}`);
}

/**
 * set-image: web/worker/extra workers get the tag in apps.yaml (rolled out in place); the api gets it on the
 * idle colour in release.yaml, so it reaches finbot-api-preview first and goes live only with `promote`.
 */
export function planSetImage(settings: Settings, app: string, tag: string): Plan {
  const apps = knownApps(settings);
  if (!apps.includes(app)) throw new CommandError(`unknown app "${app}"; known apps: ${apps.join(', ')}`);
  checkTag(tag);
  const env = settings.name;
  if (app === 'api') {
    const release = settings.release.api;
    const idle = otherColour(release.active);
    const hint = release.idleReplicas === 0
      ? ` idleReplicas is 0 in release.yaml: raise it to run and smoke-test ${idle} before promoting.`
      : '';
    return {
      edits: [{ section: 'release', path: ['api', 'colours', idle, 'tag'], value: tag }],
      summary: `${env}: api ${idle} (idle, behind finbot-api-preview) now runs ${tag} (was ${release.colours[idle].tag}); `
        + `finbot-api still serves ${release.active} ${release.colours[release.active].tag}. Smoke-test finbot-api-preview, then: npm run promote -- ${env}.${hint}`,
    };
  }
  const path = ['web', 'worker'].includes(app) ? [app, 'image', 'tag'] : ['extraWorkers', app, 'image', 'tag'];
  const current = app === 'web' || app === 'worker' ? settings.apps[app].image.tag : settings.apps.extraWorkers[app].image.tag;
  return { edits: [{ section: 'apps', path, value: tag }], summary: `${env}: ${app} now runs ${tag} (was ${current}).` };
}

/** What promote knows of the cluster: ready pods of a colour's Deployment, when it could read them. */
export interface ClusterView {
  /** Ready replicas of a Deployment, or undefined when the cluster could not be read. */
  readyReplicas(namespace: string, deployment: string): number | undefined;
}

/** A view that reads nothing (no cluster access): promote then asks for the numbers on the command line. */
export const NO_CLUSTER: ClusterView = { readyReplicas: () => undefined };

function colourDeployment(colour: string): string {
  return `finbot-api-${colour}`;
}

/**
 * promote, step 1 of 3 (`--prepare`): the idle colour is scaled to what the live colour runs now (its HPA
 * floor becomes `handoverReplicas`), so that the switch never moves all traffic onto a colour of idleReplicas
 * pods. The count comes from `--replicas N`, else from the cluster (ready pods of the live colour).
 */
export function planPrepare(settings: Settings, cluster: ClusterView, replicas?: number): Plan {
  const release = settings.release.api;
  const env = settings.name;
  const ns = settings.platform.namespaces.app;
  const live = release.active;
  const idle = otherColour(live);
  const max = settings.apps.api.autoscaling?.maxReplicas ?? settings.apps.api.replicas;
  if (release.handoverReplicas > 0) {
    throw new CommandError(`${env}: a handover is already in progress (handoverReplicas ${release.handoverReplicas}): switch with "npm run promote -- ${env}" or end it with "npm run promote -- ${env} --finish"`);
  }
  const current = replicas ?? cluster.readyReplicas(ns, colourDeployment(live));
  if (current === undefined) {
    throw new CommandError(`${env}: cannot read how many pods ${colourDeployment(live)} runs (no cluster access); look it up (kubectl -n ${ns} get deployment ${colourDeployment(live)}) and pass it: npm run promote -- ${env} --prepare --replicas N`);
  }
  if (!Number.isInteger(current) || current < 1) throw new CommandError(`${env}: --replicas must be a whole number of pods >= 1, got ${current}`);
  if (current > max) throw new CommandError(`${env}: ${current} pods is above the api's maxReplicas ${max}; the idle colour could never run that many`);
  const target = Math.max(current, release.idleReplicas);
  return {
    edits: [{ section: 'release', path: ['api', 'handoverReplicas'], value: String(target) }],
    summary: `${env}: ${idle} ${release.colours[idle].tag} (idle) now keeps at least ${target} pods, as many as ${live} runs. `
      + `Commit and sync, wait until ${colourDeployment(idle)} has ${target} ready pods (kubectl -n ${ns} rollout status deployment ${colourDeployment(idle)}), `
      + `smoke-test finbot-api-preview, then switch: npm run promote -- ${env}.`,
  };
}

/**
 * promote, step 2 of 3 (the switch): the idle colour becomes live (finbot-api selects it); the previous one
 * stays behind finbot-api-preview with the handover's pods, so promoting again rolls back at full capacity. A
 * running canary ends. Refused before `--prepare`, and while the idle colour has fewer ready pods than the
 * handover asks (read from the cluster; without cluster access the operator confirms with `--confirm-ready`).
 */
export function planPromote(settings: Settings, cluster: ClusterView = NO_CLUSTER, confirmedReady = false): Plan {
  const release = settings.release.api;
  const from = release.active;
  const to = otherColour(from);
  const env = settings.name;
  const ns = settings.platform.namespaces.app;
  if (release.handoverReplicas === 0) {
    throw new CommandError(`${env}: refusing to switch finbot-api to ${to}: it runs only its idle pods (idleReplicas ${release.idleReplicas}), and the switch moves all traffic at once. `
      + `First scale it to what ${from} runs: npm run promote -- ${env} --prepare`);
  }
  const ready = cluster.readyReplicas(ns, colourDeployment(to));
  if (ready === undefined && !confirmedReady) {
    throw new CommandError(`${env}: cannot read ${colourDeployment(to)}'s ready pods (no cluster access). Check that it has ${release.handoverReplicas} ready pods `
      + `(kubectl -n ${ns} get deployment ${colourDeployment(to)}) and run again with --confirm-ready`);
  }
  if (ready !== undefined && ready < release.handoverReplicas) {
    throw new CommandError(`${env}: ${colourDeployment(to)} has ${ready} ready pods of the ${release.handoverReplicas} the handover asks for: wait until the synced scale-up is ready, then switch`);
  }
  const edits: SettingsEdit[] = [{ section: 'release', path: ['api', 'active'], value: to }];
  if (release.canaryPercent > 0) edits.push({ section: 'release', path: ['api', 'canaryPercent'], value: '0' });
  const same = release.colours[to].tag === release.colours[from].tag ? ' (same tag as before: nothing new goes live)' : '';
  return {
    edits,
    summary: `${env}: finbot-api now serves ${to} ${release.colours[to].tag}${same}; ${from} ${release.colours[from].tag} stays behind finbot-api-preview with ${release.handoverReplicas} pods, so promoting again rolls back at full capacity.`
      + (release.canaryPercent > 0 ? ` The ${release.canaryPercent}% canary ended (canaryPercent: 0).` : '')
      + ` Once ${to} is confirmed healthy, end the handover (${from} shrinks to ${release.idleReplicas} pods): npm run promote -- ${env} --finish.`,
  };
}

/** promote, step 3 of 3 (`--finish`): the switch is confirmed; the previous colour shrinks to idleReplicas. */
export function planFinish(settings: Settings): Plan {
  const release = settings.release.api;
  const env = settings.name;
  const idle = otherColour(release.active);
  if (release.handoverReplicas === 0) throw new CommandError(`${env}: no handover in progress (handoverReplicas is 0): nothing to finish`);
  return {
    edits: [{ section: 'release', path: ['api', 'handoverReplicas'], value: '0' }],
    summary: `${env}: handover ended; ${idle} ${release.colours[idle].tag} (idle, behind finbot-api-preview) shrinks to ${release.idleReplicas} pods. `
      + `Rolling back now starts with npm run promote -- ${env} --prepare.`,
  };
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
}

/**
 * Applies edits to YAML texts keyed by section; returns the new texts. Checks that each edit landed where
 * intended (the parsed value at the path is the new value).
 */
export function applyEdits(texts: Readonly<Record<string, string>>, edits: readonly SettingsEdit[]): Record<string, string> {
  const out: Record<string, string> = { ...texts };
  for (const e of edits) {
    const text = out[e.section];
    if (text === undefined) throw new CommandError(`no ${e.section}.yaml to edit`);
    out[e.section] = setYamlScalar(text, e.path, e.value);
    const parsed = yaml.load(out[e.section]);
    if (String(valueAt(parsed, e.path)) !== e.value) {
      throw new CommandError(`editing ${e.section}.yaml: ${e.path.join('.')} did not become ${e.value}; edit the file by hand`);
    }
  }
  return out;
}

/** Edits the files of one environment after validating the whole result; nothing is written on any error. */
export function writeEdits(env: string, dir: string, edits: readonly SettingsEdit[]): void {
  const sections = [...new Set(edits.map((e) => e.section))];
  const files = Object.fromEntries(sections.map((s) => [s, join(dir, env, `${s}.yaml`)]));
  const before = Object.fromEntries(sections.map((s) => [s, readFileSync(files[s], 'utf8')]));
  const after = applyEdits(before, edits);
  const raw = readRawSections(env, dir);
  for (const s of sections) raw[s] = yaml.load(after[s]) ?? {};
  try {
    parseSettings(env, raw, dir);
  } catch (err) {
    if (err instanceof SettingsError) throw new CommandError(`the change would make the settings invalid: ${err.message}`);
    throw err;
  }
  for (const s of sections) writeFileSync(files[s], after[s]);
}
