/**
 * The layering of .dependency-cruiser.cjs holds (README "Layout and data flow"): no folder imports one its row
 * does not name, no cycles, nothing imports fast-start/. And the rules can fail: a scratch tree that breaks each
 * of them is reported.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';

const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');
const require = createRequire(import.meta.url);
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
    // The constructs that once had a temporary exception (#13) are checked like every other one.
    'constructs/finbot-app.ts': "import type { s } from '../config/settings';\nexport type App = typeof s;\n",
    'constructs/security-context.ts': "import { s } from '../config/settings';\nexport const c = s;\n",
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, f)), { recursive: true });
    writeFileSync(join(scratch, f), text);
  }
  const r = cruise(scratch, ['config', 'model', 'charts', 'validation', 'fast-start', 'constructs']);
  expect(r.status).not.toBe(0);
  for (const rule of ['config-layer', 'model-layer', 'charts-layer', 'validation-layer', 'fast-start-is-optional', 'constructs-layer', 'no-circular']) expect(r.stdout, rule).toContain(`error ${rule}:`);
  // constructs/ import only cdk8s, imports/ and model/: a settings type is a violation too, in every construct.
  for (const f of ['constructs/a.ts', 'constructs/finbot-app.ts', 'constructs/security-context.ts']) {
    expect(r.stdout, f).toMatch(new RegExp(`error constructs-layer: ${f.replace('.', '\\.')} → config/settings\\.ts`));
  }
});

it('the rules carry no exceptions: each layer rule applies to its whole folder', () => {
  const { forbidden } = require(CONFIG) as { forbidden: Array<{ name: string; from: { path?: string; pathNot?: unknown }; to: { path?: string; pathNot?: unknown } }> };
  const layers = forbidden.filter((r) => r.name.endsWith('-layer'));
  expect(layers.map((r) => r.name)).toEqual(['config-layer', 'model-layer', 'constructs-layer', 'charts-layer', 'synth-layer', 'validation-layer', 'tools-layer']);
  for (const r of layers) {
    expect(r.from.pathNot, r.name).toBeUndefined();
    expect(r.to.pathNot, r.name).toBeUndefined();
  }
  const constructs = forbidden.find((r) => r.name === 'constructs-layer')!;
  expect(constructs.from.path).toBe('^constructs/');
  for (const folder of ['config', 'charts', 'synth', 'validation', 'tools', 'fast-start', 'bench', 'test']) expect(`${folder}/x.ts`).toMatch(new RegExp(constructs.to.path!));
  for (const folder of ['imports', 'model', 'constructs']) expect(`${folder}/x.ts`).not.toMatch(new RegExp(constructs.to.path!));
});
