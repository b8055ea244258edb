/**
 * The layering of .dependency-cruiser.cjs holds (README "Layout and data flow"): no folder imports one its row
 * does not name, no cycles, nothing imports fast-start/. And the rules can fail: a scratch tree that breaks each
 * of them is reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';

const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');
const BIN = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

function cruise(cwd: string, paths: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, '--config', CONFIG, '--output-type', 'err', ...paths], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

const scratch = mkdtempSync(join(tmpdir(), 'finbot-layers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('the project keeps its layers (npm run deps)', () => {
  const r = cruise(REPO_ROOT, ['main.ts', 'config', 'model', 'constructs', 'charts', 'synth', 'validation', 'tools', 'fast-start', 'bench', 'imports', 'test']);
  expect(`${r.stdout}${r.stderr}`).toContain('no dependency violations found');
  expect(r.status).toBe(0);
});

it('each rule reports a violation', () => {
  const files: Record<string, string> = {
    'tsconfig.json': '{ "compilerOptions": { "module": "preserve", "moduleResolution": "bundler" } }',
    'config/settings.ts': "import { id } from '../model/id';\nexport const s = id;\n",
    'model/id.ts': "import { chart } from '../charts/chart';\nexport const id = chart;\n",
    'charts/chart.ts': "import { v } from '../validation/v';\nexport const chart = v;\n",
    'validation/v.ts': "import { snap } from '../fast-start/snap';\nexport const v = snap;\n",
    'fast-start/snap.ts': 'export const snap = 1;\n',
    'constructs/a.ts': "import { s } from '../config/settings';\nimport { b } from './b';\nexport const a = s + b;\n",
    'constructs/b.ts': "import { a } from './a';\nexport const b = a;\n",
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, f)), { recursive: true });
    writeFileSync(join(scratch, f), text);
  }
  const r = cruise(scratch, ['config', 'model', 'charts', 'validation', 'fast-start', 'constructs'], { DEPCRUISE_NO_EXCEPTIONS: '1' });
  expect(r.status).not.toBe(0);
  for (const rule of ['config-layer', 'model-layer', 'charts-layer', 'validation-layer', 'fast-start-is-optional', 'constructs-layer', 'no-circular']) expect(r.stdout, rule).toContain(`error ${rule}:`);
});
