// Benchmark: median wall time of several runs of
//   floor    node -e "require('cdk8s'); require('cdk8s-plus-27')"   (the cost of loading the libraries)
//   direct   node .build/main.js  (the bundled app, every environment, no CLI)
//   cli      npx cdk8s synth      (what users run; includes the validation plugin of cdk8s.yaml)
//   cli-nov  npx cdk8s synth --no-validate   (the same without the validation plugin)
//   validate npm run validate     (the validation alone, on the synthesized dist/)
//   direct+v the bundled app, then npm run validate
// Ratios: cli/cli-nov and (direct+v)/direct; the goal for validation is < 2.0 (issue #7).
// Usage: npm run bench [-- --runs N] [-- --no-cli]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBundle } from './synth.mjs';
import { ensureValidationBundle } from './validate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('Usage: npm run bench [-- --runs N] [--no-cli]\nReports the median of N runs (default 7) of floor, direct synth, cdk8s CLI synth with and without\nthe validation plugin, and npm run validate; with the ratios of synth with validation to synth without.');
  process.exit(0);
}
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const out = mkdtempSync(join(tmpdir(), 'finbot-bench-'));
const env = { ...process.env, FINBOT_DIST_DIR: join(out, 'dist'), CDK8S_CHECK_UPGRADE: 'false' };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(label, cmd, cmdArgs) {
  const samples = [];
  spawnSync(cmd, cmdArgs, { cwd: root, env, stdio: 'ignore' }); // warm-up (file cache)
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, cmdArgs, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
    samples.push(ms);
    process.stderr.write(`\r${label}: run ${i + 1}/${runs}   `);
  }
  process.stderr.write('\r');
  const m = median(samples);
  console.log(`${label.padEnd(8)} median ${m.toFixed(0).padStart(5)} ms   (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)}, n=${runs})`);
  return m;
}

function report(label, samples) {
  const m = median(samples);
  console.log(`${label.padEnd(8)} median ${m.toFixed(0).padStart(5)} ms   (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)}, n=${samples.length})`);
  return m;
}

/** Times two commands alternately (a, b, a, b, ...) so that load from other processes hits both alike. */
function timePair([labelA, cmdA, argsA], [labelB, cmdB, argsB]) {
  const a = [];
  const b = [];
  const once = (label, cmd, cmdArgs, into) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, cmdArgs, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  spawnSync(cmdA, argsA, { cwd: root, env, stdio: 'ignore' }); // warm-up
  spawnSync(cmdB, argsB, { cwd: root, env, stdio: 'ignore' });
  for (let i = 0; i < runs; i++) {
    once(labelA, cmdA, argsA, a);
    once(labelB, cmdB, argsB, b);
    process.stderr.write(`\r${labelA}/${labelB}: run ${i + 1}/${runs}   `);
  }
  process.stderr.write('\r');
  return [report(labelA, a), report(labelB, b)];
}

try {
  await ensureBundle();
  await ensureValidationBundle();
  const floor = time('floor', process.execPath, ['-e', "require('cdk8s'); require('cdk8s-plus-27')"]);
  const direct = time('direct', process.execPath, [join(root, '.build', 'main.mjs')]);
  console.log(`direct/floor ratio ${(direct / floor).toFixed(2)} (goal <= 1.30)`);
  if (!args.includes('--no-cli')) {
    const cli = time('cli', join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', join(out, 'cli')]);
    console.log(`cli ${cli < 1000 ? 'under' : 'OVER'} 1 s`);
    const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
    const [withV, without] = timePair(['cli', cdk8s, ['synth', '--output', join(out, 'cli')]], ['cli-nov', cdk8s, ['synth', '--no-validate', '--output', join(out, 'cli')]]);
    console.log(`cli/cli-nov ratio ${(withV / without).toFixed(2)} (synth with validation / without; goal < 2.00)`);
  }
  const validate = time('validate', process.execPath, [join(root, 'scripts', 'validate.mjs')]);
  const main = join(root, '.build', 'main.mjs');
  const [d, dv] = timePair(['direct', process.execPath, [main]], ['direct+v', '/bin/sh', ['-c', `"${process.execPath}" "${main}" && "${process.execPath}" "${join(root, 'scripts', 'validate.mjs')}" >/dev/null`]]);
  console.log(`(direct+v)/direct ratio ${(dv / d).toFixed(2)} (goal < 2.00); validate alone ${validate.toFixed(0)} ms`);
  console.log(`node ${process.version}, ${execFileSync('nproc').toString().trim()} cores`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
