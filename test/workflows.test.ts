/**
 * The GitHub Actions workflows, as invariants: runnable (scripts exist, runners, needs, SHA-pinned actions, no
 * expression in a shell script), least privilege (read-only by default; a write token only in the final step
 * that pushes or comments, which runs no project code; no persisted credentials; no npm install scripts), and
 * the promotion model (staging previews before it goes live; production follows the branch the settings name
 * and moves only by an approved job; every pushed commit gets ci.yml's checks; pushes rebase and retry).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/load';
import { REPO_ROOT } from '../config/paths';

const dir = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
const scripts = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; name?: string; env?: Record<string, string>; id?: string }
interface Job { 'runs-on'?: string; needs?: string | string[]; steps?: Step[]; if?: string; environment?: string; uses?: string; with?: Record<string, string>; permissions?: Record<string, string>; outputs?: Record<string, string> }
interface Workflow { on: any; jobs: Record<string, Job>; permissions?: Record<string, string> }

const load = (file: string) => yaml.load(readFileSync(join(dir, file), 'utf8')) as Workflow;
const steps = (w: Pick<Workflow, 'jobs'>) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
const runs = (w: Pick<Workflow, 'jobs'>) => steps(w).map((s) => s.run ?? '').join('\n');
const jobRuns = (w: Workflow, job: string) => runs({ jobs: { [job]: w.jobs[job] } });
const needsOf = (j: Job) => [j.needs ?? []].flat();
const WRITE_TOKEN = /\$\{\{\s*(github\.token|secrets\.)/;
const pushes = (s: Step) => /\bgit push\b|push-with-retry\.sh/.test(s.run ?? '');
const PROJECT_CODE = /\bnpm\b|\bnode\b|\bnpx\b|\btsx\b/;

/** `npm run [--silent] name` occurrences in a script. */
function npmRuns(script: string): string[] {
  return [...script.matchAll(/\bnpm run(?: --silent| -s)? ([A-Za-z0-9:_-]+)/g)].map((m) => m[1]);
}

describe('workflows', () => {
  it('exist: ci, release and review', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml', 'review.yml']));
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

    it('every job has runs-on (or calls a workflow); every needs names an existing job', () => {
      for (const [name, job] of Object.entries(w.jobs)) {
        if (job.uses) expect(job.uses, name).toMatch(/^\.\/\.github\/workflows\/[a-z-]+\.ya?ml$/);
        else expect(job['runs-on'], name).toMatch(/^ubuntu-[0-9.]+$/);
        for (const need of needsOf(job)) expect(Object.keys(w.jobs), `${name} needs ${need}`).toContain(need);
      }
    });

    it('every action is pinned to a full commit SHA', () => {
      for (const s of steps(w).filter((x) => x.uses)) expect(s.uses, s.uses).toMatch(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/);
    });

    it('never interpolates expressions into shell scripts (injection)', () => {
      expect(runs(w)).not.toMatch(/\$\{\{/);
    });

    it('checks out without persisted credentials and installs without npm install scripts', () => {
      for (const s of steps(w).filter((x) => x.uses?.startsWith('actions/checkout@'))) expect(s.with?.['persist-credentials'], file).toBe(false);
      for (const line of runs(w).split('\n').filter((l) => /\bnpm (ci|install)\b/.test(l))) expect(line).toContain('--ignore-scripts');
    });

    it('is read-only by default; a job writes only if one of its steps pushes or comments', () => {
      expect(w.permissions, file).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(w.jobs)) {
        const writes = Object.entries(job.permissions ?? {}).filter(([, v]) => v === 'write').map(([k]) => k);
        const needs = new Set<string>();
        for (const s of job.steps ?? []) {
          if (pushes(s)) needs.add('contents');
          if (/\bgh pr (create|comment)\b/.test(s.run ?? '')) needs.add('pull-requests');
        }
        expect(writes.sort(), `${file} ${name}`).toEqual([...needs].sort());
      }
    });

    it('gives a write token only to the final steps that push or comment, which run no project code', () => {
      for (const [name, job] of Object.entries(w.jobs)) {
        const list = job.steps ?? [];
        list.forEach((s, i) => {
          const token = Object.values(s.env ?? {}).some((v) => WRITE_TOKEN.test(String(v))) || WRITE_TOKEN.test(JSON.stringify(s.with ?? {}));
          if (!token) return;
          expect(PROJECT_CODE.test(s.run ?? ''), `${file} ${name}: step "${s.name}" runs project code with a token`).toBe(false);
          expect(i, `${file} ${name}: the token step "${s.name}" must be last`).toBe(list.length - 1);
        });
      }
    });
  });

  it('ci: on pull requests, main and as a called workflow: installs, type-checks, tests, synthesizes, fails on drift, validates, scans dist/', () => {
    const w = load('ci.yml');
    expect(Object.keys(w.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    expect(w.on.workflow_call.inputs.ref.required).toBe(true);
    const script = runs(w);
    for (const command of ['npm ci', 'npm run typecheck', 'npm test', 'npm run synth', 'git status --porcelain -- dist', 'npm run validate']) expect(script).toContain(command);
    const trivy = steps(w).find((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    expect(trivy?.with).toMatchObject({ 'scan-type': 'config', 'scan-ref': 'dist', 'exit-code': '1' });
    for (const s of steps(w).filter((x) => x.uses?.startsWith('actions/checkout@'))) expect(s.with?.ref).toBe('${{ inputs.ref }}');
  });

  it('review: the markdown diff against the base branch is posted by a job that runs no project code', () => {
    const w = load('review.yml');
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect(jobRuns(w, 'render')).toMatch(/npm run --silent diff -- "origin\/\$BASE_REF" --markdown/);
    expect(w.jobs.render.permissions).toBeUndefined();
    const comment = w.jobs.comment;
    expect(needsOf(comment)).toEqual(['render']);
    expect((comment.steps ?? []).some((s) => s.uses)).toBe(false);
    expect(PROJECT_CODE.test(jobRuns(w, 'comment'))).toBe(false);
    expect(jobRuns(w, 'comment')).toContain('gh pr comment');
  });

  describe('release: the promotion model', () => {
    const w = load('release.yml');
    const pushingJobs = Object.entries(w.jobs).filter(([, j]) => (j.steps ?? []).some(pushes)).map(([n]) => n);
    const production = loadSettings('production').gitops;
    const staging = loadSettings('staging').gitops;

    it('staging: the new tag goes to the idle colour, and goes live only in a later job behind an approval', () => {
      expect(jobRuns(w, 'staging')).toContain('npm run set-image -- staging api "$TAG"');
      expect(jobRuns(w, 'staging')).not.toContain('npm run promote');
      expect(jobRuns(w, 'staging-live')).toContain('sh .github/scripts/promote-step.sh staging');
      expect(w.jobs['staging-live'].if).not.toContain('repository_dispatch');
      expect(w.jobs['staging-live'].environment).toBeTruthy();
      expect(jobRuns(w, 'promote-production')).toContain('sh .github/scripts/promote-step.sh production');
      // The three steps of npm run promote (prepare, switch, finish), without cluster access.
      const step = readFileSync(join(REPO_ROOT, '.github', 'scripts', 'promote-step.sh'), 'utf8');
      for (const flags of ['--prepare --no-cluster --replicas "$REPLICAS"', '--confirm-ready --no-cluster', '--finish']) expect(step).toContain(`npm run promote -- "$env" ${flags}`);
    });

    it('images reach production only through staging: promote-env staging production, as a pull request', () => {
      const script = jobRuns(w, 'production-pr');
      expect(script).toContain('npm run promote-env -- staging production');
      expect(script).toContain('api.colours[api.active].tag');
      expect(script).toContain('gh pr create --base main');
      expect(script).not.toMatch(/HEAD:main|push-with-retry\.sh main/);
      for (const [name, job] of Object.entries(w.jobs)) {
        if (name !== 'production-pr') expect(jobRuns(w, name), name).not.toMatch(/set-image -- production|promote-env/);
        void job;
      }
    });

    it('production follows the branch its settings name; only approved jobs move it, forward only', () => {
      expect(production.targetRevision).not.toBe(staging.targetRevision);
      const movers = Object.entries(w.jobs).filter(([, j]) => (j.steps ?? []).some((s) => (s.run ?? '').includes(`refs/heads/${production.targetRevision}`))).map(([n]) => n);
      expect(movers.length).toBeGreaterThan(0);
      for (const name of movers) {
        expect(w.jobs[name].environment, name).toMatch(/^production/);
        expect(jobRuns(w, name), name).toMatch(/merge-base --is-ancestor|rev-parse HEAD\^/);
      }
      expect(needsOf(w.jobs['advance-production'])).toEqual(['production-diff']);
      expect(jobRuns(w, 'production-diff')).toContain(`npm run --silent diff -- origin/${production.targetRevision} --markdown`);
    });

    it('every job that pushes rebases and retries, and its commit gets ci.yml\'s checks', () => {
      expect(pushingJobs.length).toBeGreaterThan(0);
      const script = readFileSync(join(REPO_ROOT, '.github', 'scripts', 'push-with-retry.sh'), 'utf8');
      expect(script).toContain('git rebase FETCH_HEAD');
      expect(script).toMatch(/while \[ "\$attempt" -le \d+ \]/);
      for (const name of pushingJobs.filter((n) => n !== 'advance-production')) {
        expect(jobRuns(w, name), name).toContain('push-with-retry.sh');
        const checks = Object.entries(w.jobs).find(([, j]) => j.uses === './.github/workflows/ci.yml' && needsOf(j).includes(name));
        expect(checks, `${name}: no ci.yml job checks its commit`).toBeDefined();
        expect(checks![1].with?.ref).toBe(`\${{ needs.${name}.outputs.sha }}`);
        expect(w.jobs[name].outputs?.sha).toBe('${{ steps.push.outputs.sha }}');
      }
    });
  });
});

describe('release commits carry what the release commands regenerate', () => {
  it('every release job that commits dist/<env> also commits docs/diagrams/<env>.svg (npm run diagram -- --check runs in the tests)', () => {
    const adds = runs(load('release.yml')).split('\n').filter((l) => /\bgit add\b.*\bdist\//.test(l));
    expect(adds.length).toBeGreaterThan(0);
    for (const line of adds) {
      for (const [, env] of line.matchAll(/\bdist\/([a-z0-9-]+)/g)) expect(line, line).toContain(`docs/diagrams/${env}.svg`);
    }
  });
});

describe('CI (.ci/run): the release drill is a step', () => {
  const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
  const drill = readFileSync(join(REPO_ROOT, '.ci', 'release-drill'), 'utf8');
  const lines = ci.trimEnd().split('\n');

  it('runs after npm test, on the whole suite, and its failure fails CI', () => {
    const at = lines.findIndex((l) => /^\s*bash \.ci\/release-drill\b/.test(l));
    expect(at, '.ci/run has no line running bash .ci/release-drill').toBeGreaterThan(-1);
    expect(at).toBeGreaterThan(lines.findIndex((l) => /\bnpm test\b/.test(l) && !l.trim().startsWith('#') && !l.includes('step ')));
    expect(lines[at].trim(), 'no arguments (the whole suite), and the exit code is kept').toBe('bash .ci/release-drill || status=$?');
    expect(lines.at(-1)).toBe('exit "$status"');
  });

  it('keeps the "tests: N passed, N failed" summary as the last line printed', () => {
    expect(lines.at(-2)).toBe('echo "$summary"');
    expect(ci).toContain('tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed');
  });

  it('ci.yml runs it too, after the verify job, with the alerting tools the suite needs', () => {
    const w = load('ci.yml');
    const [name, job] = Object.entries(w.jobs).find(([, j]) => (j.steps ?? []).some((s) => /^bash \.ci\/release-drill$/.test(s.run ?? ''))) ?? [];
    expect(name, 'no ci.yml job runs bash .ci/release-drill').toBeDefined();
    expect(needsOf(job!)).toContain('verify');
    const order = (job!.steps ?? []).map((s) => s.run ?? '');
    expect(order.findIndex((r) => r.includes('npm run tools:install'))).toBeLessThan(order.findIndex((r) => r.includes('release-drill')));
    expect(order.findIndex((r) => r.startsWith('npm ci'))).toBeLessThan(order.findIndex((r) => r.includes('release-drill')));
  });

  it('the drill releases staging and production, runs a canary, digests and setting changes, then tsc and vitest', () => {
    for (const command of [
      /set-image -- staging api "\$tag"/, /promote -- staging --prepare/, /promote -- staging --confirm-ready/, /promote -- staging --finish/,
      /set-image -- staging api "[^"]*@sha256:/, /canaryPercent 10/, /promote-env -- staging production/,
      /promote -- production --prepare/, /promote -- production --confirm-ready/, /bump_max_replicas production api \d+/,
      /npm run --silent synth/, /npm run --silent diagram/, /npx tsc --noEmit/, /npx vitest run "\$@"/,
    ]) expect(drill).toMatch(command);
    expect(drill).not.toMatch(/\|\| true/);
  });
});
