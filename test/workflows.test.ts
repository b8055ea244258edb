/**
 * The GitHub Actions workflows stay runnable: every `npm run X` exists in package.json, jobs have a
 * runner, `needs` point at jobs that exist, and actions are pinned to full commit SHAs.
 * (Fails until `set-image`, `promote` and `validate` exist in package.json: intended.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';

const dir = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
const scripts = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; name?: string }
interface Job { 'runs-on'?: string; needs?: string | string[]; steps?: Step[]; if?: string; environment?: string }
interface Workflow { on: unknown; jobs: Record<string, Job> }

const load = (file: string) => yaml.load(readFileSync(join(dir, file), 'utf8')) as Workflow;
const steps = (w: Pick<Workflow, 'jobs'>) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
const runs = (w: Pick<Workflow, 'jobs'>) => steps(w).map((s) => s.run ?? '').join('\n');
/** The shell scripts of one job. */
const jobRuns = (w: Workflow, job: string) => runs({ jobs: { [job]: w.jobs[job] } });

/** `npm run [--silent] name` occurrences in a script. */
function npmRuns(script: string): string[] {
  return [...script.matchAll(/\bnpm run(?: --silent| -s)? ([A-Za-z0-9:_-]+)/g)].map((m) => m[1]);
}

describe('workflows', () => {
  it('exist: ci and release', () => {
    expect(files).toEqual(['ci.yml', 'release.yml']);
  });

  it('npmRuns finds the script names', () => {
    expect(npmRuns('npm run synth\nnpm run --silent set-image -- staging api v1\nnpm ci')).toEqual(['synth', 'set-image']);
  });

  describe.each(files)('%s', (file) => {
    const w = load(file);

    it('every `npm run X` is a script of package.json', () => {
      const missing = [...new Set(npmRuns(runs(w)))].filter((s) => !scripts.includes(s));
      expect(missing, `scripts missing from package.json: ${missing.join(', ')}`).toEqual([]);
    });

    it('every job has runs-on; every needs names an existing job', () => {
      for (const [name, job] of Object.entries(w.jobs)) {
        expect(job['runs-on'], name).toMatch(/^ubuntu-[0-9.]+$/);
        for (const need of [job.needs ?? []].flat()) expect(Object.keys(w.jobs), `${name} needs ${need}`).toContain(need);
      }
    });

    it('every action is pinned to a full commit SHA', () => {
      for (const s of steps(w).filter((x) => x.uses)) {
        expect(s.uses, s.uses).toMatch(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/);
      }
    });

    it('never interpolates expressions into shell scripts (injection)', () => {
      expect(runs(w)).not.toMatch(/\$\{\{/);
    });
  });

  it('ci: on pull requests, installs, type-checks, tests, synthesizes, fails on drift, validates, scans dist/ with Trivy', () => {
    const w = load('ci.yml');
    expect(w.on).toHaveProperty('pull_request');
    const script = runs(w);
    for (const command of ['npm ci', 'npm run typecheck', 'npm test', 'npm run synth', 'git status --porcelain -- dist', 'npm run validate']) {
      expect(script).toContain(command);
    }
    const trivy = steps(w).find((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    expect(trivy?.with).toMatchObject({ 'scan-type': 'config', 'scan-ref': 'dist', 'exit-code': '1' });
  });

  it('release: staging from an image tag, production on v* tags after staging, promotion by blue-green', () => {
    const w = load('release.yml');
    expect(Object.keys(w.on as object).sort()).toEqual(['push', 'repository_dispatch', 'workflow_dispatch']);
    expect((w.on as any).push.tags).toEqual(['v*']);
    expect(jobRuns(w, 'staging')).toContain('npm run set-image -- staging api "$TAG"');
    // set-image bumps the idle colour; staging promotes at once, so the gate can read the live colour's tag
    expect(jobRuns(w, 'staging')).toContain('npm run promote -- staging');
    expect(jobRuns(w, 'staging-gate')).toContain('api.colours[api.active].tag');
    expect(jobRuns(w, 'production')).toContain('npm run set-image -- production api "$TAG"');
    expect(jobRuns(w, 'promote')).toContain('npm run promote -- production');
    expect(w.jobs.production.needs).toBe('staging-gate');
    expect(w.jobs.promote.needs).toBe('production');
    expect(w.jobs.production.environment).toBe('production');
    expect(w.jobs.promote.environment).toBe('production-promotion');
    for (const job of ['staging', 'production', 'promote']) expect(jobRuns(w, job)).toContain('git push origin HEAD:main');
  });
});

describe('workflow permissions', () => {
  it('are read-only by default; only the jobs that push to main may write', () => {
    for (const file of files) {
      const w = yaml.load(readFileSync(join(dir, file), 'utf8')) as { permissions?: Record<string, string>; jobs: Record<string, { permissions?: Record<string, string>; steps?: Array<{ run?: string }> }> };
      expect(w.permissions, file).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(w.jobs)) {
        const pushes = (job.steps ?? []).some((s) => s.run?.includes('git push'));
        expect(job.permissions?.contents ?? 'read', `${file} ${name}`).toBe(pushes ? 'write' : 'read');
      }
    }
  });
});
