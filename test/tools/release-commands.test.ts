import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/load';
import { REPO_ROOT } from '../../config/paths';
import { applyEdits, CommandError, planPromote, planSetImage, writeEdits } from '../../tools/release/release-commands';
import { copyEnvironments } from '../helpers';

let dir: string;
beforeEach(() => { dir = copyEnvironments(); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const settings = (env = 'production') => loadSettings(env, dir);
const file = (env: string, section: string) => readFileSync(join(dir, env, `${section}.yaml`), 'utf8');

describe('planSetImage', () => {
  it('api: the tag goes to the idle colour in release.yaml', () => {
    const plan = planSetImage(settings(), 'api', 'v4.1.0');
    expect(plan.edits).toEqual([{ section: 'release', path: ['api', 'colours', 'green', 'tag'], value: 'v4.1.0' }]);
    expect(plan.summary).toContain('api green (idle, behind finbot-api-preview) now runs v4.1.0');
    expect(plan.summary).toContain('npm run promote -- production');
  });

  it('web and worker: the tag in apps.yaml', () => {
    expect(planSetImage(settings(), 'web', 'abc123').edits).toEqual([{ section: 'apps', path: ['web', 'image', 'tag'], value: 'abc123' }]);
    expect(planSetImage(settings(), 'worker', 'v2').edits[0].path).toEqual(['worker', 'image', 'tag']);
  });

  it('refuses an unknown app, latest and an invalid tag', () => {
    expect(() => planSetImage(settings(), 'db', 'v1')).toThrow(new CommandError('unknown app "db"; known apps: api, web, worker'));
    expect(() => planSetImage(settings(), 'api', 'latest')).toThrow('invalid tag "latest": "latest" is not allowed: pin an immutable tag such as v4.0.0');
    expect(() => planSetImage(settings(), 'api', 'v1 beta')).toThrow('invalid tag "v1 beta": must be a valid image tag such as v4.0.0');
  });

  it('accepts a digest wherever a tag goes (tag@sha256:...), as validation recommends digest pinning', () => {
    const pinned = `v4.1.0@sha256:${'ab'.repeat(32)}`;
    expect(planSetImage(settings(), 'api', pinned).edits[0].value).toBe(pinned);
    expect(planSetImage(settings(), 'web', pinned).edits[0].value).toBe(pinned);
    expect(() => planSetImage(settings(), 'web', 'v4.1.0@sha256:abc')).toThrow('malformed digest');
  });
});

describe('planPromote', () => {
  it('flips the active colour', () => {
    const plan = planPromote(settings());
    expect(plan.edits).toEqual([{ section: 'release', path: ['api', 'active'], value: 'green' }]);
    expect(plan.summary).toContain('finbot-api now serves green v4.0.0 (same tag as before: nothing new goes live)');
    expect(plan.summary).toContain('Note: green runs 2 pod(s) and its HPA now wants at least 3');
  });

  it('no capacity note when the idle colour already has the live minimum', () => {
    const s = settings();
    s.release.api.idleReplicas = 3;
    expect(planPromote(s).summary).not.toContain('Note:');
  });

  it('ends a running canary', () => {
    const s = settings();
    s.release.api.canaryPercent = 20;
    expect(planPromote(s).edits).toEqual([
      { section: 'release', path: ['api', 'active'], value: 'green' },
      { section: 'release', path: ['api', 'canaryPercent'], value: '0' },
    ]);
  });

  it('refuses to promote a colour without pods', () => {
    const s = settings();
    s.release.api.idleReplicas = 0;
    expect(() => planPromote(s)).toThrow('production: refusing to promote green: idleReplicas is 0');
  });
});

describe('writing the edits', () => {
  it('set-image then promote: green goes live with the new tag, comments stay', () => {
    writeEdits('production', dir, planSetImage(settings(), 'api', 'v4.1.0').edits);
    writeEdits('production', dir, planPromote(settings()).edits);
    const r = settings().release.api;
    expect(r.active).toBe('green');
    expect(r.colours).toEqual({ blue: { tag: 'v4.0.0' }, green: { tag: 'v4.1.0' } });
    expect(file('production', 'release')).toContain('# The colour the live Service finbot-api selects');
    expect(file('production', 'release').split('\n')[0]).toBe('# yaml-language-server: $schema=../../settings.schema.json#/properties/release');
  });

  it('promote twice rolls back', () => {
    const before = file('staging', 'release');
    writeEdits('staging', dir, planPromote(settings('staging')).edits);
    writeEdits('staging', dir, planPromote(settings('staging')).edits);
    expect(file('staging', 'release')).toBe(before);
  });

  it('writes nothing when the result would be invalid', () => {
    const before = file('production', 'release');
    writeFileSync(join(dir, 'production', 'release.yaml'), before.replace('idleReplicas: 2', 'idleReplicas: 0'));
    expect(() => writeEdits('production', dir, [{ section: 'release', path: ['api', 'canaryPercent'], value: '10' }]))
      .toThrow('the change would make the settings invalid: production:');
    expect(file('production', 'release')).toBe(before.replace('idleReplicas: 2', 'idleReplicas: 0'));
  });

  it('applyEdits checks that the value landed', () => {
    expect(() => applyEdits({ release: 'api:\n  active: blue\n' }, [{ section: 'apps', path: ['a'], value: 'b' }])).toThrow('no apps.yaml to edit');
  });
});

describe('the CLIs', () => {
  const cli = (script: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tools', 'release', script), ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, FINBOT_CONFIG_DIR: dir },
  });

  it('set-image: --help, usage errors (2), refusals (1), success (0)', () => {
    const help = cli('set-image.ts', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run set-image -- <env> <app> <tag> [--no-synth]');
    expect(cli('set-image.ts', 'production').status).toBe(2);
    const bad = cli('set-image.ts', 'production', 'api', 'latest', '--no-synth');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error: invalid tag "latest"');
    const env = cli('set-image.ts', 'prod', 'api', 'v1', '--no-synth');
    expect(env.status).toBe(1);
    expect(env.stderr).toContain('error: unknown environment "prod"; known environments: production, staging');
    const ok = cli('set-image.ts', 'staging', 'web', 'v4.2.0', '--no-synth');
    expect(ok.status).toBe(0);
    expect(settings('staging').apps.web.image.tag).toBe('v4.2.0');
  });

  it('promote: --help and success', () => {
    expect(cli('promote.ts', '--help').stdout).toContain('Usage: npm run promote -- <env> [--no-synth]');
    expect(cli('promote.ts').status).toBe(2);
    const ok = cli('promote.ts', 'staging', '--no-synth');
    expect(ok.status).toBe(0);
    expect(settings('staging').release.api.active).toBe('green');
  });
});
