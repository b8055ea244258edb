/**
 * `npm run bench`: the speed limits of docs/performance.md, in one run, from medians of interleaved runs
 * (so background load hits every row alike):
 *   floor      node -e "require('cdk8s');require('cdk8s-plus-27')"   (loading the libraries)
 *   direct     sh fast-start/run.sh synth    (npm run synth without npm: every environment)   limit 1.5 × floor
 *   validate   sh fast-start/run.sh validate (npm run validate without npm)                   limit 2 × floor
 *   scale-N    direct synth with N extra worker services in every environment, every file written:
 *              200 extra ≤ 0.6 s and linear (the second half of the sizes costs what the first half does)
 * and, to weigh the alternatives: the same synth from the bundle with node's compile cache instead of the
 * startup snapshot (`bundle`), node's start-up alone, and the cdk8s CLI's start without and with
 * NODE_COMPILE_CACHE (`cdk8s --version`). CPU time (user + system, reported by each node process at exit)
 * is printed too: steadier than wall time on a busy machine.
 * NODE_EXTRA_CA_CERTS is removed from the runs' environment: node reads and parses that file at every start,
 * which adds the same time to every row (the sandbox this was written in sets it); --keep-env keeps it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/paths';
import { writeScaleFixture } from './scale-fixture';

const HELP = `Usage: npm run bench [-- --runs N] [--sizes 1,100,200] [--keep-env] [--progress]

Medians of N interleaved runs (default 9) of the floor, direct synth, validate, the scale fixture (extra
worker services per environment, default 1,100,200) and the alternatives; then each limit, met or not.
Exit code 1 when a limit is not met. NODE_EXTRA_CA_CERTS is unset for the runs unless --keep-env.`;

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log(HELP);
  process.exit(0);
}
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const runs = Number(opt('--runs') ?? 9);
const sizes = (opt('--sizes') ?? '1,100,200').split(',').map(Number);
const progress = argv.includes('--progress') || process.stderr.isTTY;
const NODE = process.execPath;
const LAUNCHER = join(REPO_ROOT, 'fast-start', 'run.sh');
const work = mkdtempSync(join(tmpdir(), 'finbot-bench-'));
const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
delete env.NODE_OPTIONS;
const caCerts = env.NODE_EXTRA_CA_CERTS !== undefined && !argv.includes('--keep-env');
if (caCerts) delete env.NODE_EXTRA_CA_CERTS;

// CPU time of every node process, printed at exit (--require: node ignores --import when it starts from a snapshot).
const hook = join(work, 'cpu.cjs');
writeFileSync(hook, "process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\ncpu='+(u.userCPUTime+u.systemCPUTime)+'\\n')})\n");

interface Case {
  readonly label: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env?: () => NodeJS.ProcessEnv;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

let fresh = 0;
function once(c: Case): { ms: number; cpu?: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, { cwd: REPO_ROOT, env: { ...env, ...c.env?.() }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${c.label} failed (exit ${r.status}): ${r.stderr}`);
  const cpu = /cpu=(\d+)/.exec(r.stderr);
  return { ms, cpu: cpu ? Number(cpu[1]) / 1000 : undefined };
}

const blob = (name: string) => join(REPO_ROOT, '.build', `${name}.blob`);
// @ts-expect-error: plain JavaScript module without types
const { SNAPSHOT_NODE_FLAGS: FLAGS } = (await import('../fast-start/snapshot.mjs')) as { SNAPSHOT_NODE_FLAGS: string[] };
// Timed through node directly (as fast-start/run.sh starts it, the launcher costs < 1 ms), so the hook reports CPU time.
const fromSnapshot = (name: string, args: string[] = []) => [...FLAGS, '--require', hook, '--snapshot-blob', blob(name), '--', name, ...args];

try {
  // Bring the caches up to date (slow path) and check that the snapshots are used.
  for (const name of ['synth', 'validate']) {
    const r = spawnSync('sh', [LAUNCHER, name], { cwd: REPO_ROOT, env: { ...env, FINBOT_DIST_DIR: join(work, 'warm') }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${name} failed`);
    if (spawnSync(NODE, [...FLAGS, '--snapshot-blob', blob(name), '--', '--fast-start-probe', name], { env }).status !== 0) throw new Error(`no fresh startup snapshot for ${name}`);
  }
  const fixtures = sizes.map((n) => ({ n, config: writeScaleFixture(n) }));
  const cdk8s = join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s');
  const cases: Case[] = [
    { label: 'node', cmd: NODE, args: ['--require', hook, '-e', ''] },
    { label: 'floor', cmd: NODE, args: ['--require', hook, '-e', "require('cdk8s');require('cdk8s-plus-27')"] },
    { label: 'direct', cmd: NODE, args: fromSnapshot('synth'), env: () => ({ FINBOT_DIST_DIR: join(work, 'dist') }) },
    { label: 'bundle', cmd: NODE, args: ['--require', hook, join(REPO_ROOT, 'fast-start', 'synth.mjs')], env: () => ({ FINBOT_DIST_DIR: join(work, 'dist'), FINBOT_NO_SNAPSHOT: '1' }) },
    { label: 'validate', cmd: NODE, args: fromSnapshot('validate') },
    ...fixtures.map((f) => ({ label: `scale-${f.n}`, cmd: NODE, args: fromSnapshot('synth'), env: () => ({ FINBOT_CONFIG_DIR: f.config, FINBOT_DIST_DIR: join(work, `scale-${fresh++}`) }) })),
    { label: 'cli-start', cmd: NODE, args: ['--require', hook, cdk8s, '--version'] },
    { label: 'cli-start-cc', cmd: NODE, args: ['--require', hook, cdk8s, '--version'], env: () => ({ NODE_COMPILE_CACHE: join(work, 'compile-cache') }) },
  ];
  for (const c of cases) once(c); // warm-up: file cache, compile caches
  const wall = new Map<string, number[]>(cases.map((c) => [c.label, []]));
  const cpu = new Map<string, number[]>(cases.map((c) => [c.label, []]));
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const r = once(c);
      wall.get(c.label)!.push(r.ms);
      if (r.cpu !== undefined) cpu.get(c.label)!.push(r.cpu);
    }
    if (progress) process.stderr.write(`\rbench: round ${i + 1}/${runs}   `);
  }
  if (progress) process.stderr.write('\r\x1b[K');
  const m: Record<string, number> = {};
  const mc: Record<string, number> = {};
  for (const c of cases) {
    const xs = wall.get(c.label)!;
    m[c.label] = median(xs);
    const cs = cpu.get(c.label)!;
    if (cs.length) mc[c.label] = median(cs);
    console.log(`${c.label.padEnd(13)} median ${m[c.label].toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})${cs.length ? `   CPU median ${median(cs).toFixed(0).padStart(5)} ms` : ''}`);
  }
  for (const f of fixtures) rmSync(f.config, { recursive: true, force: true });
  const small = sizes[0];
  const mid = sizes[Math.floor(sizes.length / 2)];
  const large = sizes[sizes.length - 1];
  // Linear: the cost per extra service from the smallest to the middle size and from the middle to the largest agree within 30 %.
  const slopeA = (m[`scale-${mid}`] - m[`scale-${small}`]) / (mid - small);
  const slopeB = (m[`scale-${large}`] - m[`scale-${mid}`]) / (large - mid);
  const limits: Array<[string, boolean, string]> = [
    ['direct synth ≤ 1.5 × floor', m.direct <= 1.5 * m.floor, `${(m.direct / m.floor).toFixed(2)} × (CPU time ${(mc.direct / mc.floor).toFixed(2)} ×)`],
    ['npm run validate ≤ 2 × floor', m.validate <= 2 * m.floor, `${(m.validate / m.floor).toFixed(2)} × (CPU time ${(mc.validate / mc.floor).toFixed(2)} ×)`],
    [`${large} extra services per environment ≤ 0.6 s`, m[`scale-${large}`] <= 600, `${m[`scale-${large}`].toFixed(0)} ms`],
    ['… and linear', sizes.length >= 3 && Math.abs(slopeB - slopeA) <= 0.3 * Math.max(slopeA, slopeB), `${slopeA.toFixed(2)} then ${slopeB.toFixed(2)} ms per extra service per environment`],
  ];
  console.log('');
  for (const [name, ok, value] of limits) console.log(`${ok ? 'met ' : 'OVER'}  ${name.padEnd(40)} ${value}`);
  console.log(`(for comparison: from the bundle with the compile cache, no snapshot: ${(m.bundle / m.floor).toFixed(2)} × floor; cdk8s CLI start ${m['cli-start'].toFixed(0)} ms, with NODE_COMPILE_CACHE ${m['cli-start-cc'].toFixed(0)} ms)`);
  if (caCerts) console.log('NODE_EXTRA_CA_CERTS was unset for the runs (node loads it at every start; --keep-env keeps it)');
  console.log(`node ${process.version}, ${execFileSync('nproc').toString().trim()} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  process.exitCode = limits.every(([, ok]) => ok) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
