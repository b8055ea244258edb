/** `npm run failover` / `npm run failback` as commands: help, refusals (exit 1, nothing changed), edits on a copy. */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listEnvironments, loadSettings } from '../../config/load';
import { REPO_ROOT } from '../../config/paths';
import { copyEnvironments } from '../helpers';

const dir = copyEnvironments();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (script: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tools', 'dr', script), ...args], {
  cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, FINBOT_CONFIG_DIR: dir },
});
const settingsText = () => listEnvironments(dir).map((e) => ['platform', 'data'].map((s) => readFileSync(join(dir, e, `${s}.yaml`), 'utf8')).join('')).join('');
// The standby member of the first pair, read from the settings.
const standby = listEnvironments(dir).find((e) => loadSettings(e, dir).platform.dr?.role === 'standby')!;
const active = loadSettings(standby, dir).platform.dr!.peer;
const single = listEnvironments(dir).find((e) => !loadSettings(e, dir).platform.dr);

describe('npm run failover / failback', { timeout: 120_000 }, () => {
  it('--help prints only the help', () => {
    for (const script of ['failover.ts', 'failback.ts']) {
      const r = cli(script, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\S.*\n[\s\S]*Usage: npm run fail(over|back)/);
      expect(r.stderr).toBe('');
    }
  });

  it('refuses unsafe or unknown requests with one clear message and changes nothing', () => {
    const before = settingsText();
    const cases: Array<[string[], string]> = [
      [['no-such-env', '--replica-lag-seconds', '1'], 'error: unknown environment "no-such-env"'],
      [[standby], 'error: give --replica-lag-seconds N'],
      [[standby, '--replica-lag-seconds', String(loadSettings(standby, dir).data.postgres.backup.rpoMinutes * 60 + 1)], 'is above the RPO'],
      [[active, '--replica-lag-seconds', '1'], `error: ${active} is already the active region`],
      ...(single ? [[[single, '--replica-lag-seconds', '1'], `error: ${single} is not part of a disaster-recovery pair`] as [string[], string]] : []),
    ];
    for (const [args, message] of cases) {
      const r = cli('failover.ts', ...args, '--no-synth');
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(2);
    }
    expect(cli('failover.ts', standby, '--bogus').status).toBe(2);
    expect(settingsText()).toBe(before);
  });

  it('fails over and back on a copy of the settings, printing the numbered checklist', () => {
    const before = settingsText();
    const r = cli('failover.ts', standby, '--replica-lag-seconds', '10', '--peer-reachable', '--no-synth');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Failover checklist');
    expect(r.stdout).toMatch(/\n {2}1\. Incident: /);
    expect(loadSettings(standby, dir).platform.dr?.role).toBe('active');
    expect(loadSettings(active, dir).platform.dr?.role).toBe('standby');
    const back = cli('failback.ts', '--replica-lag-seconds', '10', '--no-synth');
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toContain('Failback checklist');
    expect(settingsText()).toBe(before);
  });
});
