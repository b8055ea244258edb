import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEnvironments, loadSettings } from '../../config/load';
import { REPO_ROOT } from '../../config/paths';
import { otherColour } from '../../config/sections/release';
import { applyEdits, CommandError, NO_CLUSTER, planFinish, planPrepare, planPromote, planSetImage, writeEdits, type ClusterView } from '../../tools/release/release-commands';
import { copyEnvironments, ENVIRONMENTS } from '../helpers';

let dir: string;
// The committed settings may be anywhere in a release (a handover between prepare and finish, either colour
// live, any tags): each test starts where a release starts, with any handover ended by the command itself
// (promote --finish), and reads the colours and tags instead of assuming today's.
beforeEach(() => {
  dir = copyEnvironments();
  for (const env of listEnvironments(dir)) {
    if (loadSettings(env, dir).release.api.handoverReplicas > 0) writeEdits(env, dir, planFinish(loadSettings(env, dir)).edits);
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const settings = (env = 'production') => loadSettings(env, dir);
const file = (env: string, section: string) => readFileSync(join(dir, env, `${section}.yaml`), 'utf8');

describe('planSetImage', () => {
  it('api: the tag goes to the idle colour in release.yaml', () => {
    const plan = planSetImage(settings(), 'api', 'v4.1.0');
    expect(plan.edits).toEqual([{ section: 'release', path: ['api', 'colours', idle(), 'tag'], value: 'v4.1.0' }]);
    expect(plan.summary).toContain(`api ${idle()} (idle, behind finbot-api-preview) now runs v4.1.0`);
    expect(plan.summary).toContain(`finbot-api still serves ${live()} ${settings().release.api.colours[live()].tag}`);
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

/** A cluster where every Deployment has this many ready pods. */
const clusterWith = (ready: number): ClusterView => ({ readyReplicas: () => ready });
const live = (env = 'production') => settings(env).release.api.active;
const idle = (env = 'production') => otherColour(live(env));

describe('promote in three steps: prepare (scale up), switch, finish', () => {
  it('prepare: the idle colour keeps as many pods as the live colour runs (read from the cluster)', () => {
    const plan = planPrepare(settings(), clusterWith(7));
    expect(plan.edits).toEqual([{ section: 'release', path: ['api', 'handoverReplicas'], value: '7' }]);
    expect(plan.summary).toContain(`finbot-api-${idle()} has 7 ready pods`);
  });

  it('prepare: --replicas when the cluster cannot be read; refused without either, above maxReplicas, or twice', () => {
    expect(planPrepare(settings(), NO_CLUSTER, 5).edits[0].value).toBe('5');
    expect(() => planPrepare(settings(), NO_CLUSTER)).toThrow('no cluster access');
    const max = settings().apps.api.autoscaling!.maxReplicas;
    expect(() => planPrepare(settings(), NO_CLUSTER, max + 1)).toThrow(`above the api's maxReplicas ${max}`);
    const s = settings();
    s.release.api.handoverReplicas = 4;
    expect(() => planPrepare(s, clusterWith(4))).toThrow('a handover is already in progress');
  });

  it('prepare never asks for fewer than idleReplicas', () => {
    const s = settings();
    expect(planPrepare(s, clusterWith(1)).edits[0].value).toBe(String(Math.max(1, s.release.api.idleReplicas)));
  });

  it('switch: refused before prepare, and while the idle colour is not ready', () => {
    expect(() => planPromote(settings(), clusterWith(50))).toThrow(`refusing to switch finbot-api to ${idle()}`);
    const s = settings();
    s.release.api.handoverReplicas = 6;
    expect(() => planPromote(s, clusterWith(4))).toThrow(`finbot-api-${idle()} has 4 ready pods of the 6`);
    expect(() => planPromote(s, NO_CLUSTER)).toThrow('--confirm-ready');
  });

  it('switch: flips the active colour once ready (or confirmed); the old colour keeps the handover pods', () => {
    const s = settings();
    s.release.api.handoverReplicas = 6;
    const plan = planPromote(s, clusterWith(6));
    expect(plan.edits).toEqual([{ section: 'release', path: ['api', 'active'], value: idle() }]);
    expect(plan.summary).toContain(`stays behind finbot-api-preview with 6 pods`);
    expect(planPromote(s, NO_CLUSTER, true).edits).toEqual(plan.edits);
  });

  it('switch ends a running canary', () => {
    const s = settings();
    s.release.api.handoverReplicas = 3;
    s.release.api.canaryPercent = 20;
    expect(planPromote(s, clusterWith(3)).edits).toEqual([
      { section: 'release', path: ['api', 'active'], value: idle() },
      { section: 'release', path: ['api', 'canaryPercent'], value: '0' },
    ]);
  });

  it('finish: the previous colour shrinks to idleReplicas; refused without a handover', () => {
    const s = settings();
    expect(() => planFinish(s)).toThrow('no handover in progress');
    s.release.api.handoverReplicas = 6;
    expect(planFinish(s).edits).toEqual([{ section: 'release', path: ['api', 'handoverReplicas'], value: '0' }]);
  });

  it('the rendered idle colour: its HPA floor is the handover while one runs, idleReplicas otherwise', async () => {
    const { buildEnvironment } = await import('../../charts/environment');
    const { renderObjects } = await import('../../synth/render');
    const hpaOfIdle = (s: ReturnType<typeof settings>) => renderObjects(buildEnvironment(s)).flatMap(([, o]) => o)
      .find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === `finbot-api-${otherColour(s.release.api.active)}-hpa`) as any;
    const s = settings();
    expect(hpaOfIdle(s).spec.minReplicas).toBe(s.release.api.idleReplicas);
    writeEdits('production', dir, planPrepare(s, clusterWith(9)).edits);
    expect(hpaOfIdle(settings()).spec.minReplicas).toBe(9);
  });
});

describe('writing the edits', () => {
  it('set-image, prepare, switch, finish: the idle colour goes live with the new tag, comments stay', () => {
    const [from, to] = [live(), idle()];
    const tagBefore = settings().release.api.colours[from].tag;
    writeEdits('production', dir, planSetImage(settings(), 'api', 'v4.1.0').edits);
    writeEdits('production', dir, planPrepare(settings(), clusterWith(5)).edits);
    writeEdits('production', dir, planPromote(settings(), clusterWith(5)).edits);
    writeEdits('production', dir, planFinish(settings()).edits);
    const r = settings().release.api;
    expect(r.active).toBe(to);
    expect(r.colours[to].tag).toBe('v4.1.0');
    expect(r.colours[from].tag).toBe(tagBefore);
    expect(r.handoverReplicas).toBe(0);
    expect(file('production', 'release')).toContain('# The colour the live Service finbot-api selects');
    expect(file('production', 'release').split('\n')[0]).toBe('# yaml-language-server: $schema=../../settings.schema.json#/properties/release');
  });

  it('set-image writes a digest-pinned tag (api colour and web), read back as the same string', () => {
    const pinned = `v4.1.0@sha256:${'cd'.repeat(32)}`;
    writeEdits('production', dir, planSetImage(settings(), 'api', pinned).edits);
    writeEdits('production', dir, planSetImage(settings(), 'web', pinned).edits);
    expect(settings().release.api.colours[idle()].tag).toBe(pinned);
    expect(settings().apps.web.image.tag).toBe(pinned);
  });

  it('switching twice during a handover rolls back to the same file (a canary running before stays ended)', () => {
    writeEdits('staging', dir, planPrepare(settings('staging'), clusterWith(2)).edits);
    const before = applyEdits({ release: file('staging', 'release') }, [{ section: 'release', path: ['api', 'canaryPercent'], value: '0' }]).release;
    writeEdits('staging', dir, planPromote(settings('staging'), clusterWith(2)).edits);
    writeEdits('staging', dir, planPromote(settings('staging'), clusterWith(2)).edits);
    expect(file('staging', 'release')).toBe(before);
  });

  it('writes nothing when the result would be invalid', () => {
    const before = file('production', 'release');
    const noIdle = before.replace(/idleReplicas: \d+/, 'idleReplicas: 0');
    expect(noIdle).not.toBe(before);
    writeFileSync(join(dir, 'production', 'release.yaml'), noIdle);
    expect(() => writeEdits('production', dir, [{ section: 'release', path: ['api', 'canaryPercent'], value: '10' }]))
      .toThrow('the change would make the settings invalid: production:');
    expect(file('production', 'release')).toBe(noIdle);
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
    expect(env.stderr).toContain(`error: unknown environment "prod"; known environments: ${ENVIRONMENTS.join(', ')}`);
    const ok = cli('set-image.ts', 'staging', 'web', 'v4.2.0', '--no-synth');
    expect(ok.status).toBe(0);
    expect(settings('staging').apps.web.image.tag).toBe('v4.2.0');
  });

  it('promote: --help, usage errors, the three steps through the CLI (no cluster access)', () => {
    expect(cli('promote.ts', '--help').stdout).toContain('Usage: npm run promote -- <env> --prepare [--replicas N]');
    expect(cli('promote.ts').status).toBe(2);
    expect(cli('promote.ts', 'staging', '--replicas', '3').status).toBe(2);
    const to = idle('staging');
    const refused = cli('promote.ts', 'staging', '--no-synth', '--no-cluster');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--prepare');
    expect(cli('promote.ts', 'staging', '--prepare', '--replicas', '2', '--no-synth', '--no-cluster').status).toBe(0);
    expect(cli('promote.ts', 'staging', '--no-synth', '--no-cluster').status).toBe(1);
    expect(cli('promote.ts', 'staging', '--confirm-ready', '--no-synth', '--no-cluster').status).toBe(0);
    expect(settings('staging').release.api.active).toBe(to);
    expect(cli('promote.ts', 'staging', '--finish', '--no-synth').status).toBe(0);
    expect(settings('staging').release.api.handoverReplicas).toBe(0);
  });
});
