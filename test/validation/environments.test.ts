/**
 * The real output of every environment passes every rule, through each entry point: the engine, `npm run
 * validate` on dist/, and `npx cdk8s synth` with the validation plugin of cdk8s.yaml. A broken output fails
 * each of them with a readable report.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';
import { validateObjects } from '../../validation/engine';
import { optionsFor } from '../../validation/run';
import { copyEnvironments, ENVIRONMENTS } from '../helpers';
import { realOutput } from './fixtures';

/** What `npm run validate` runs: the validation's startup snapshot when there is one. */
const LAUNCHER = join(REPO_ROOT, 'fast-start', 'run.sh');
/** The slow path: the ESM bundle (and it builds the snapshot). */
const VALIDATE = join(REPO_ROOT, 'fast-start', 'validate.mjs');
const CDK8S = join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s');

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env }, encoding: 'utf8', timeout: 60_000 });
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'finbot-validate-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(ENVIRONMENTS)('%s', (env) => {
  it('the real output passes every rule', async () => {
    const objects = realOutput(env);
    expect(objects.length).toBeGreaterThan(10);
    expect(await validateObjects(objects, optionsFor(env))).toEqual([]);
  });
});

describe('npm run validate', () => {
  it('passes on the committed dist/ (every environment), exit 0', () => {
    const r = run('sh', [LAUNCHER, 'validate']);
    expect(r.stderr).toBe('');
    for (const env of ENVIRONMENTS) expect(r.stdout).toContain(`ok    ${env}:`);
    expect(r.status).toBe(0);
  });

  it('--help explains usage, exit 0', () => {
    const r = run('sh', [LAUNCHER, 'validate', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run validate');
    expect(r.stdout).toContain('--json');
  });

  it('a broken dist/ fails with exit 1 and a report naming rule, object, file, path and fix; --json is machine-readable', () => {
    const dist = join(work, 'dist');
    cpSync(join(REPO_ROOT, 'dist'), dist, { recursive: true });
    const file = join(dist, 'staging', 'apps.yaml');
    // The first api image in apps.yaml is the blue Deployment's (the api is released blue-green).
    writeFileSync(file, readFileSync(file, 'utf8').replace(/image: docker\.io\/finbot\/api:\S+/, 'image: docker.io/finbot/api:latest'));
    const text = run('sh', [LAUNCHER, 'validate', 'staging'], { FINBOT_DIST_DIR: dist });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('[policy/image-tag] Deployment staging/finbot-api-blue');
    expect(text.stdout).toContain('apps.yaml');
    expect(text.stdout).toContain('at:   spec.template.spec.containers[0].image');
    expect(text.stdout).toContain('fix:  Pin the image');
    const json = run('sh', [LAUNCHER, 'validate', '--json', 'staging'], { FINBOT_DIST_DIR: dist });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; environments: Array<{ environment: string; violations: Array<{ rule: string; object: string }> }> };
    expect(report.ok).toBe(false);
    expect(report.environments[0].violations).toContainEqual(expect.objectContaining({ rule: 'policy/image-tag', object: 'Deployment staging/finbot-api-blue' }));
  });

  it('--rules lists every rule id', () => {
    const r = run('sh', [LAUNCHER, 'validate', '--rules']);
    expect(r.status).toBe(0);
    for (const id of ['schema/unknown-field', 'pss/seccomp', 'policy/sa-token', 'xref/service-selector', 'netpol/reachability']) expect(r.stdout).toContain(id);
  });

  it('an unknown environment is an error naming the folder, exit 2', () => {
    const r = run('sh', [LAUNCHER, 'validate', 'prod']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('prod');
  });

  it('an unknown option is a usage error, exit 2', () => {
    const r = run('sh', [LAUNCHER, 'validate', '--jsn']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--jsn');
  });
});

describe('the startup snapshot of the validation', { timeout: 180_000 }, () => {
  it('reports exactly what the bundle reports, on a broken dist/ too', () => {
    const dist = join(work, 'dist-both');
    cpSync(join(REPO_ROOT, 'dist'), dist, { recursive: true });
    const file = join(dist, 'production', 'apps.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('runAsNonRoot: true', 'runAsNonRoot: false').replace(/image: docker\.io\/finbot\/web:\S+/, 'image: docker.io/finbot/web:latest'));
    for (const env of [{}, { FINBOT_DIST_DIR: dist }] as Array<Record<string, string>>) {
      const fast = run('sh', [LAUNCHER, 'validate', '--json'], env);
      const slow = run(process.execPath, [VALIDATE, '--json'], { ...env, FINBOT_NO_SNAPSHOT: '1' });
      expect(slow.status, slow.stderr).toBe(Object.keys(env).length === 0 ? 0 : 1);
      expect(fast.status).toBe(slow.status);
      expect(fast.stdout).toBe(slow.stdout);
    }
    expect(run('sh', [LAUNCHER, 'validate', '--json'], { FINBOT_DIST_DIR: dist }).stdout).toContain('pss/run-as-non-root');
  });

  it('imports the model of a kind it does not hold at run time (a CronJob, not in dist/)', () => {
    const dist = join(work, 'dist-cronjob');
    cpSync(join(REPO_ROOT, 'dist'), dist, { recursive: true });
    expect(readFileSync(join(REPO_ROOT, 'dist', 'staging', 'apps.yaml'), 'utf8')).not.toContain('kind: CronJob');
    const cronJob = [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: nightly',
      '  namespace: staging',
      'spec:',
      '  schedule: "0 3 * * *"',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          restartPolicy: Never',
      '          containers:',
      '            - name: nightly',
      '              image: docker.io/finbot/worker:v4.0.0',
      '          bogusField: 1',
      '',
    ].join('\n');
    writeFileSync(join(dist, 'staging', 'extra.yaml'), cronJob);
    const r = run('sh', [LAUNCHER, 'validate', '--json', 'staging'], { FINBOT_DIST_DIR: dist });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { environments: Array<{ violations: Array<{ rule: string; object: string; path: string }> }> };
    const cron = report.environments[0].violations.filter((v) => v.object === 'CronJob staging/nightly');
    // Validated against the real CronJob schema (an unknown field found), not reported as an unknown kind.
    expect(cron).toContainEqual(expect.objectContaining({ rule: 'schema/unknown-field', path: 'spec.jobTemplate.spec.template.spec.bogusField' }));
    expect(cron.map((v) => v.rule)).not.toContain('schema/unknown-kind');
  });
});

describe('npx cdk8s synth runs the validation plugin', () => {
  it('passes on the real settings', () => {
    const r = run(CDK8S, ['synth', '--output', join(work, 'cli-ok')], { FINBOT_DIST_DIR: join(work, 'dist-ok') });
    expect(r.stdout).toContain('Validations ended succesfully');
    expect(r.stdout).toContain('production (');
    expect(r.status).toBe(0);
  });

  it('fails with a readable report when the output breaks a rule', () => {
    const config = copyEnvironments();
    try {
      // Valid settings that the validation rejects: a declared connection to a Service that does not exist.
      writeFileSync(join(config, 'staging', 'validation.yaml'), 'connections:\n  - from: staging/finbot-worker\n    to: staging/finbot-billing\n    port: 8080\n');
      const r = run(CDK8S, ['synth', '--output', join(work, 'cli-bad')], { FINBOT_DIST_DIR: join(work, 'dist-bad'), FINBOT_CONFIG_DIR: config });
      const out = `${r.stdout}${r.stderr}`;
      expect(r.status).not.toBe(0);
      expect(out).toContain('xref/service-url');
      expect(out).toContain('staging/finbot-billing');
      // The app runs the same checks before it writes (and refuses); the CLI's plugin would say "Validation failed".
      expect(out).toMatch(/the output fails the checks of npm run validate|Validation failed/);
      expect(out).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});
