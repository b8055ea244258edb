/**
 * promote-env: images reach the next environment only as the images running in the previous one. Assertions
 * read the settings (no tag is pinned here): after a promotion <to> runs, or previews, what <from> runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/load';
import { REPO_ROOT } from '../../config/paths';
import { otherColour } from '../../config/sections/release';
import { planPromoteEnv, runningTag } from '../../tools/release/promote-env-plan';
import { CommandError, knownApps, planSetImage, writeEdits } from '../../tools/release/release-commands';
import { copyEnvironments } from '../helpers';

let dir: string;
beforeEach(() => { dir = copyEnvironments(); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const settings = (env: string) => loadSettings(env, dir);
const release = (env: string, app: string, tag: string) => writeEdits(env, dir, planSetImage(settings(env), app, tag).edits);

describe('planPromoteEnv staging -> production', () => {
  it('after a staging release, production previews staging\'s live api and runs its web/worker tags', () => {
    release('staging', 'api', 'v9.9.1');
    writeEdits('staging', dir, [{ section: 'release', path: ['api', 'active'], value: otherColour(settings('staging').release.api.active) }]);
    release('staging', 'web', 'v9.9.2');
    const plan = planPromoteEnv(settings('staging'), settings('production'));
    writeEdits('production', dir, plan.edits);
    const prod = settings('production');
    const staging = settings('staging');
    expect(prod.release.api.colours[otherColour(prod.release.api.active)].tag).toBe(runningTag(staging, 'api'));
    for (const app of knownApps(staging).filter((a) => a !== 'api')) expect(runningTag(prod, app), app).toBe(runningTag(staging, app));
    expect(plan.summary).toContain('promote staging -> production');
  });

  it('is idempotent: a second run has nothing to change', () => {
    release('staging', 'worker', 'v9.9.3');
    writeEdits('production', dir, planPromoteEnv(settings('staging'), settings('production')).edits);
    const again = planPromoteEnv(settings('staging'), settings('production'));
    expect(again.edits).toEqual([]);
  });

  it('never touches the live api colour of the target (it goes live only with promote)', () => {
    release('staging', 'api', 'v9.9.4');
    writeEdits('staging', dir, [{ section: 'release', path: ['api', 'active'], value: otherColour(settings('staging').release.api.active) }]);
    const before = settings('production').release.api;
    const plan = planPromoteEnv(settings('staging'), settings('production'));
    expect(plan.edits.filter((e) => e.section === 'release').every((e) => e.path.join('.') === `api.colours.${otherColour(before.active)}.tag`)).toBe(true);
  });

  it('refuses the same environment twice and an app the target does not have', () => {
    expect(() => planPromoteEnv(settings('staging'), settings('staging'))).toThrow(CommandError);
    const staging = settings('staging');
    const withExtra = { ...staging, apps: { ...staging.apps, extraWorkers: { ...staging.apps.extraWorkers, reports: staging.apps.worker } } } as typeof staging;
    expect(() => planPromoteEnv(withExtra, settings('production'))).toThrow('production has no reports');
  });
});

describe('npm run promote-env', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tools/release/promote-env.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, FINBOT_CONFIG_DIR: dir } });

  it('--help prints only the usage; wrong usage exits 2; a refusal 1 and changes nothing', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run promote-env -- <from> <to>');
    expect(cli('staging').status).toBe(2);
    const before = readFileSync(join(dir, 'staging', 'release.yaml'), 'utf8');
    const r = cli('staging', 'staging', '--no-synth');
    expect(r.status).toBe(1);
    expect(readFileSync(join(dir, 'staging', 'release.yaml'), 'utf8')).toBe(before);
  });

  it('edits only the target\'s settings, keeping comments', () => {
    release('staging', 'web', 'v9.9.5');
    const before = readFileSync(join(dir, 'production', 'apps.yaml'), 'utf8');
    const r = cli('staging', 'production', '--no-synth');
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(join(dir, 'production', 'apps.yaml'), 'utf8');
    expect(after).not.toBe(before);
    expect(after.split('\n').filter((l) => l.trim().startsWith('#'))).toEqual(before.split('\n').filter((l) => l.trim().startsWith('#')));
    expect(settings('production').apps.web.image.tag).toBe('v9.9.5');
  });
});
