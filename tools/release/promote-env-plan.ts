/**
 * What `npm run promote-env -- <from> <to>` changes: the images that run in <from> go to <to>, the same way
 * a release goes anywhere — the api's live tag of <from> onto the idle colour of <to> (behind
 * finbot-api-preview, live only after `npm run promote -- <to>`), web, worker and every extra worker the tag
 * they run in <from>. Pure: settings in, edits out; the CLI (promote-env.ts) writes, re-synthesizes and says
 * how the reviewable change is opened.
 */
import type { Settings } from '../../config/schema';
import { otherColour } from '../../config/sections/release';
import { CommandError, knownApps, type Plan, planSetImage, type SettingsEdit } from './release-commands';

/** The image tag an app runs in an environment (the api: its live colour's). */
export function runningTag(settings: Settings, app: string): string {
  if (app === 'api') return settings.release.api.colours[settings.release.api.active].tag;
  if (app === 'web' || app === 'worker') return settings.apps[app].image.tag;
  return settings.apps.extraWorkers[app].image.tag;
}

/** Plans the promotion of every image from one environment to the next; refuses what cannot be promoted. */
export function planPromoteEnv(from: Settings, to: Settings): Plan {
  if (from.name === to.name) throw new CommandError(`promote-env needs two different environments, got ${from.name} twice`);
  const missing = knownApps(from).filter((a) => !knownApps(to).includes(a));
  if (missing.length > 0) {
    throw new CommandError(`${to.name} has no ${missing.join(', ')} (extraWorkers in apps.yaml): add them to ${to.name}'s settings in a reviewed change first`);
  }
  const edits: SettingsEdit[] = [];
  const lines: string[] = [];
  for (const app of knownApps(from)) {
    const tag = runningTag(from, app);
    if (app === 'api') {
      const release = to.release.api;
      const idle = otherColour(release.active);
      if (release.colours[release.active].tag === tag) continue; // already live in <to>
      if (release.colours[idle].tag === tag) {
        lines.push(`api ${tag} is already on ${to.name}'s idle colour ${idle}: npm run promote -- ${to.name} after its smoke test`);
        continue;
      }
    } else if (runningTag(to, app) === tag) continue;
    const plan = planSetImage(to, app, tag);
    edits.push(...plan.edits);
    lines.push(plan.summary);
  }
  const summary = edits.length === 0 && lines.length === 0
    ? `${to.name} already runs what ${from.name} runs: nothing to promote.`
    : [`promote ${from.name} -> ${to.name}:`, ...lines.map((l) => `  - ${l}`)].join('\n');
  return { edits, summary };
}
