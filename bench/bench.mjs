// Benchmark: median wall time of several runs (interleaved, so background load hits all alike) of
//   node     node -e ""           (Node.js start-up alone, for reference)
//   floor    node -e "require('cdk8s'); require('cdk8s-plus-27')"   (the cost of loading the libraries)
//   l1-floor node -e "require('cdk8s'); require('cdk8s-plus-27/lib/imports/k8s')"   (only what the app uses)
//   direct   sh fast-start/run.sh synth  (npm run synth without npm: node started from the startup snapshot of the
//                                  bundled app, every environment, no CLI)
//   direct-new  the same into a new, empty output folder each time (every file written)
//   bundle   node .build/main.mjs (the same app from the bundle with a V8 code cache: no snapshot)
//   cli      cdk8s synth          (node_modules/.bin/cdk8s; includes the validation plugin of cdk8s.yaml)
//   cli-nov  cdk8s synth --no-validate   (the same without the validation plugin)
//   npx      npx cdk8s synth      (as users type it: npx finds the CLI first; with the validation plugin)
//   npx-nov  npx cdk8s synth --no-validate   (the same without the validation plugin)
//   validate sh fast-start/run.sh validate   (npm run validate without npm: the validation alone, on dist/, from
//                                  its startup snapshot)
// Ratios: direct/floor (goal <= 1.3), cli/cli-nov (validation goal < 2.0), and (direct+validate)/direct
// (two separate node processes, for reference). NODE_EXTRA_CA_CERTS is removed from the runs' environment
// (node parses that file at every start, the same cost in every row) unless --keep-env.
// Usage: npm run bench [-- --runs N] [--no-cli] [--scale ...]   (--scale: see bench/bench-scale.ts)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureApp } from '../fast-start/synth.mjs';
import { ensureValidationBundle, ensureValidationSnapshot } from '../fast-start/validate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(`Usage: npm run bench [-- --runs N] [--no-cli] [--progress] [--keep-env]
       npm run bench -- --scale [bench:scale options]   (same as npm run bench:scale)

Reports the median of N runs (default 9, interleaved) of: node start-up, the floor (loading cdk8s and
cdk8s-plus-27), the L1 floor (cdk8s and cdk8s-plus-27/lib/imports/k8s), direct synth of every environment
(sh fast-start/run.sh synth: from the startup snapshot; direct-new: the same into a new, empty output folder,
so every file is written), the same from the bundle without snapshot (node
.build/main.mjs), npm run validate, and the cdk8s CLI with and without the validation plugin (and both through
npx): wall time, and for plain node processes also CPU time (user + system, from process.resourceUsage()),
steadier on a busy machine.
Progress goes to stderr when it is a terminal or with --progress.
NODE_EXTRA_CA_CERTS is removed from the environment of the runs (node parses that file at every start,
which adds the same time to every row); --keep-env keeps it.`);
  process.exit(0);
}
if (args.includes('--scale')) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'bench-scale.ts'), ...args.filter((a) => a !== '--scale')], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const runs = Number(args[args.indexOf('--runs') + 1]) || 9;
const progress = args.includes('--progress') || process.stderr.isTTY;
const out = mkdtempSync(join(tmpdir(), 'finbot-bench-'));
const env = { ...process.env, FINBOT_DIST_DIR: join(out, 'dist'), CDK8S_CHECK_UPGRADE: 'false' };
// Node reads and parses the file NODE_EXTRA_CA_CERTS names at every start, before any script (~28 ms on
// the sandbox this was written on, which sets it). It adds the same to every row and hides how the rows
// differ, so the runs go without it unless --keep-env.
const caCerts = env.NODE_EXTRA_CA_CERTS !== undefined && !args.includes('--keep-env');
if (caCerts) delete env.NODE_EXTRA_CA_CERTS;
let fresh = 0;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// CPU time (user + system) of a node process, reported by the process itself at exit: steadier than wall
// time when other processes compete for the cores.
const CPU_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\ncpu='+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

function once(label, cmd, cmdArgs, extraEnv = () => ({})) {
  const args = cmd === process.execPath ? ['--import', CPU_HOOK, ...cmdArgs] : cmdArgs;
  const runEnv = { ...env, ...extraEnv() };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, env: runEnv, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  const cpu = /cpu=(\d+)/.exec(r.stderr);
  return { ms, cpuMs: cpu ? Number(cpu[1]) / 1000 : undefined };
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
  if (!(await ensureApp()).snapshot) throw new Error('no startup snapshot could be built: see the note above');
  await ensureValidationBundle();
  // The validation snapshot's warm-up needs the CRD validators compiled: one validation run first.
  spawnSync('sh', [join(root, 'fast-start', 'run.sh'), 'validate'], { cwd: root, stdio: 'ignore' });
  if (!(await ensureValidationSnapshot())) throw new Error('no startup snapshot of the validation could be built: see the note above');
  const cases = [
    ['node', process.execPath, ['-e', '']],
    ['floor', process.execPath, ['-e', "require('cdk8s'); require('cdk8s-plus-27')"]],
    ['l1-floor', process.execPath, ['-e', "require('cdk8s'); require('cdk8s-plus-27/lib/imports/k8s')"]],
    ['direct', 'sh', [join(root, 'fast-start', 'run.sh'), 'synth']],
    // The same into a new, empty output folder every time: every file is written (a re-run leaves
    // environments whose files did not change alone).
    ['direct-new', 'sh', [join(root, 'fast-start', 'run.sh'), 'synth'], () => ({ FINBOT_DIST_DIR: join(out, `new-${fresh++}`) })],
    ['bundle', process.execPath, [join(root, '.build', 'main.mjs')]],
  ];
  cases.push(['validate', 'sh', [join(root, 'fast-start', 'run.sh'), 'validate']]);
  if (!args.includes('--no-cli')) {
    const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
    cases.push(
      ['cli', cdk8s, ['synth', '--output', join(out, 'cli')]],
      ['cli-nov', cdk8s, ['synth', '--no-validate', '--output', join(out, 'cli')]],
      ['npx', 'npx', ['cdk8s', 'synth', '--output', join(out, 'cli')]],
      ['npx-nov', 'npx', ['cdk8s', 'synth', '--no-validate', '--output', join(out, 'cli')]],
    );
  }
  for (const [label, cmd, cmdArgs, extraEnv] of cases) once(label, cmd, cmdArgs, extraEnv); // warm-up: file cache, V8 code cache
  const samples = new Map(cases.map(([label]) => [label, []]));
  const cpuSamples = new Map(cases.map(([label]) => [label, []]));
  for (let i = 0; i < runs; i++) {
    for (const [label, cmd, cmdArgs, extraEnv] of cases) {
      const { ms, cpuMs } = once(label, cmd, cmdArgs, extraEnv);
      samples.get(label).push(ms);
      if (cpuMs !== undefined) cpuSamples.get(label).push(cpuMs);
    }
    if (progress) process.stderr.write(`\rbench: round ${i + 1}/${runs}   `);
  }
  if (progress) process.stderr.write('\r\x1b[K');
  const m = {};
  const c = {};
  for (const [label, xs] of samples) {
    m[label] = median(xs);
    const cpu = cpuSamples.get(label);
    if (cpu.length > 0) c[label] = median(cpu);
    const cpuText = cpu.length > 0 ? `   CPU median ${c[label].toFixed(0).padStart(4)} ms` : '';
    console.log(`${label.padEnd(10)} median ${m[label].toFixed(0).padStart(5)} ms   (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${runs})${cpuText}`);
  }
  console.log(`direct/floor ratio ${(m.direct / m.floor).toFixed(2)} (goal <= 1.30); every file written (direct-new/floor) ${(m['direct-new'] / m.floor).toFixed(2)}; direct/l1-floor ${(m.direct / m['l1-floor']).toFixed(2)}; without the snapshot (bundle/floor) ${(m.bundle / m.floor).toFixed(2)}`);
  console.log(`(direct+validate)/direct ratio ${((m.direct + m.validate) / m.direct).toFixed(2)} (synth, then validate in a second node process; the validation goal is cli/cli-nov)`);
  if (m.cli !== undefined) {
    const under = (label) => `${label} ${m[label] < 1000 ? 'under' : 'OVER'} 1 s`;
    console.log(`${['cli', 'cli-nov', 'npx', 'npx-nov'].map(under).join(', ')}; cli/cli-nov ratio ${(m.cli / m['cli-nov']).toFixed(2)} (goal < 2.00)`);
  }
  if (caCerts) console.log('NODE_EXTRA_CA_CERTS was unset for the runs (node loads it at every start; --keep-env keeps it)');
  console.log(`node ${process.version}, ${execFileSync('nproc').toString().trim()} cores, load average ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
