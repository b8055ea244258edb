/** The tool commands as users run them: help, output, exit codes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';
import { copyEnvironments } from '../helpers';

const work = mkdtempSync(join(tmpdir(), 'finbot-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(script: string, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, script === 'bench-scale' ? 'bench/bench-scale.ts' : `tools/${script}/cli.ts`), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

// Commands that re-synthesize run the validation too (synth checks before writing): slow on a loaded machine.
describe('tool commands', { timeout: 180_000 }, () => {
  it.each(['diff', 'capacity', 'diagram', 'bench-scale'])('%s --help explains usage', (script) => {
    const r = run(script, ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: npm run /);
  });

  it('diff: a changed image in a copy of HEAD\'s dist/ against HEAD, as text, Markdown and JSON', () => {
    // A copy of dist/ as committed at HEAD, so the test holds whatever the working tree has (a release or a
    // setting change in progress).
    const dist = join(work, 'dist');
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'HEAD', 'dist'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const f of files) {
      mkdirSync(dirname(join(work, f)), { recursive: true });
      writeFileSync(join(work, f), execFileSync('git', ['show', `HEAD:${f}`], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
    }
    const file = join(dist, 'staging', 'apps.yaml');
    const docs = readFileSync(file, 'utf8').split(/^---$/m);
    // The first Deployment's first image, whatever the tag (a version, a git SHA, a digest).
    const at = docs.findIndex((d) => /^kind: Deployment$/m.test(d));
    expect(at).toBeGreaterThanOrEqual(0);
    const name = /^  name: (.+)$/m.exec(docs[at])![1];
    const image = /^ {10}image: (.+)$/m.exec(docs[at])![1];
    const container = /^ {10}name: (.+)$/m.exec(docs[at])![1];
    docs[at] = docs[at].replace(`image: ${image}`, 'image: docker.io/finbot/changed:v9.9.9');
    writeFileSync(file, docs.join('---'));
    const text = run('diff', ['HEAD', '--dist', dist]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`~ Deployment staging/${name}: image ${container}: ${image} → docker.io/finbot/changed:v9.9.9`);
    expect(text.stdout).toMatch(/staging: 0 added, 0 removed, 1 changed, \d+ unchanged/);
    expect(text.stdout).toMatch(/production: 0 added, 0 removed, 0 changed, \d+ unchanged/);
    const md = run('diff', ['--dist', dist, '--markdown', '--exit-code']);
    expect(md.status).toBe(1);
    expect(md.stdout).toContain(`| changed | Deployment | \`staging/${name}\` |`);
    const json = JSON.parse(run('diff', ['--dist', dist, '--json']).stdout);
    expect(json.find((d: any) => d.environment === 'staging').changes[0]).toMatchObject({ change: 'changed', kind: 'Deployment', name });
    expect(run('diff', ['no-such-revision']).stderr).toContain('"no-such-revision" is not a git revision');
  });

  it('capacity: a table per environment; --strict fails when the maximum does not fit', () => {
    const ok = run('capacity', []);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('production: node group 3–20 nodes');
    expect(ok.stdout).not.toContain('DOES NOT FIT');
    const config = copyEnvironments();
    try {
      // Tiny nodes: staging's node group (cluster.yaml, 2–6 nodes) cannot hold the maximum.
      writeFileSync(join(config, 'staging', 'capacity.yaml'), 'nodeAllocatable: { cpu: 100m, memory: 256Mi }\n');
      const warn = run('capacity', ['staging', '--config', config]);
      expect(warn.status).toBe(0);
      expect(warn.stdout).toContain('WARNING: staging: at maximum replicas the pods request');
      expect(run('capacity', ['staging', '--config', config, '--strict']).status).toBe(1);
      const json = JSON.parse(run('capacity', ['staging', '--config', config, '--json']).stdout);
      expect(json[0].environment).toBe('staging');
      expect(json[0].warnings.length).toBeGreaterThan(0);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  it('diagram: --check passes on the committed diagrams and fails on a stale one', () => {
    expect(run('diagram', ['--check']).status).toBe(0);
    const out = join(work, 'diagrams');
    expect(run('diagram', ['--out', out]).status).toBe(0);
    writeFileSync(join(out, 'staging.svg'), '<svg/>');
    const stale = run('diagram', ['--check', '--out', out]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('staging.svg');
  });
});
