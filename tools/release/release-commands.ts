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

/**
 * promote: the idle colour becomes live (finbot-api selects it); the old live colour stays as
 * finbot-api-preview, so promoting again rolls back. A running canary ends (its share would otherwise go to
 * the old version). Refused when the idle colour has no pods: the switch would route to nothing.
 */
export function planPromote(settings: Settings): Plan {
  const release = settings.release.api;
  const from = release.active;
  const to = otherColour(from);
  const env = settings.name;
  if (release.idleReplicas === 0) {
    throw new CommandError(`${env}: refusing to promote ${to}: idleReplicas is 0, so ${to} has no running (or smoke-tested) pods; `
      + 'set idleReplicas in release.yaml, sync, test finbot-api-preview, then promote');
  }
  const edits: SettingsEdit[] = [{ section: 'release', path: ['api', 'active'], value: to }];
  if (release.canaryPercent > 0) edits.push({ section: 'release', path: ['api', 'canaryPercent'], value: '0' });
  const same = release.colours[to].tag === release.colours[from].tag ? ' (same tag as before: nothing new goes live)' : '';
  const liveMin = settings.apps.api.autoscaling?.minReplicas ?? settings.apps.api.replicas ?? 1;
  const capacity = release.idleReplicas < liveMin
    ? ` Note: ${to} runs ${release.idleReplicas} pod(s) and its HPA now wants at least ${liveMin}; until they are ready it serves all traffic with fewer pods (raise idleReplicas or run a canary first to avoid that).`
    : '';
  return {
    edits,
    summary: `${env}: finbot-api now serves ${to} ${release.colours[to].tag}${same}; ${from} ${release.colours[from].tag} stays behind finbot-api-preview for rollback (promote again to roll back).`
      + (release.canaryPercent > 0 ? ` The ${release.canaryPercent}% canary ended (canaryPercent: 0).` : '')
      + capacity,
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
