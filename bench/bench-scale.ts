/**
 * `npm run bench:scale` (or `npm run bench -- --scale`): how synth time and memory grow with the number of
 * services. For each size N it generates settings with N extra workers in every environment
 * (bench/scale-fixture.ts), then runs the synth as fast-start/run.sh synth does (node from the startup snapshot; the
 * bundle, fast-start/synth.mjs, if none can be built), all environments, several times, sizes interleaved so background load hits all alike: median wall time, median CPU time (user +
 * system, less sensitive to other processes) and max RSS, both from process.resourceUsage() of the synth
 * process itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/paths';
import { writeScaleFixture } from './scale-fixture';

const HELP = `Synth time and memory against the number of services.

Usage: npm run bench:scale [-- [--sizes 1,10,50,200] [--runs N] [--markdown] [--progress] [--keep-env]]

  --sizes LIST   extra workers per environment to try (default 1,10,50,200; 0 = the real settings)
  --runs N       runs per size (default 7); the median time and the largest max RSS are reported
  --markdown     print the table as Markdown (for docs/performance.md)
  --progress     progress on stderr even when it is not a terminal
  --keep-env     keep NODE_EXTRA_CA_CERTS (removed by default: node parses that file at every start)
  --help         show this help

Every run writes into an empty output folder, so every file is written.`;

interface Sample {
  ms: number;
  cpuMs: number;
  rssMiB: number;
}

// Reports max RSS and CPU time at exit. A file for --require: node ignores --import when it starts from a snapshot.
const RSS_HOOK = "process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\nusage='+u.maxRSS+','+(u.userCPUTime+u.systemCPUTime)+'\\n')})\n";

/** Runs one synth into an empty output folder (every file written), `env` without FINBOT_* set. */
function runSynth(command: string[], configDir: string, distDir: string, env: NodeJS.ProcessEnv): Sample {
  rmSync(distDir, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, command, {
    cwd: REPO_ROOT,
    env: { ...env, FINBOT_CONFIG_DIR: configDir, FINBOT_DIST_DIR: distDir },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
  const [kb, cpuUs] = (/usage=(\d+),(\d+)/.exec(r.stderr) ?? []).slice(1).map(Number);
  return { ms, cpuMs: cpuUs / 1000, rssMiB: kb / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function countObjects(distDir: string): number {
  let n = 0;
  for (const env of readdirSync(distDir)) {
    if (env.startsWith('.')) continue;
    for (const f of readdirSync(join(distDir, env))) n += (readFileSync(join(distDir, env, f), 'utf8').match(/^kind: /gm) ?? []).length;
  }
  return n;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(HELP);
    return 0;
  }
  const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const sizes = (opt('--sizes') ?? '1,10,50,200').split(',').map(Number);
  const runs = Number(opt('--runs') ?? 7);
  const progress = argv.includes('--progress') || process.stderr.isTTY;
  // @ts-expect-error: plain JavaScript module without types
  const { SNAPSHOT_NODE_FLAGS, snapshotIsFresh } = (await import('../fast-start/snapshot.mjs')) as { SNAPSHOT_NODE_FLAGS: string[]; snapshotIsFresh(name: string): boolean };
  // Bring the bundle and the snapshot up to date (the slow path, once).
  const warm = mkdtempSync(join(tmpdir(), 'finbot-bench-scale-warm-'));
  spawnSync('sh', [join(REPO_ROOT, 'fast-start', 'run.sh'), 'synth'], { cwd: REPO_ROOT, env: { ...process.env, FINBOT_DIST_DIR: warm }, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(warm, { recursive: true, force: true });
  const app = { bundle: join(REPO_ROOT, 'fast-start', 'synth.mjs'), snapshot: snapshotIsFresh('synth') ? join(REPO_ROOT, '.build', 'synth.blob') : undefined };
  const hookDir = mkdtempSync(join(tmpdir(), 'finbot-bench-scale-'));
  const hook = join(hookDir, 'usage.cjs');
  writeFileSync(hook, RSS_HOOK);
  const command = app.snapshot ? [...SNAPSHOT_NODE_FLAGS, '--require', hook, '--snapshot-blob', app.snapshot, '--', 'synth'] : ['--require', hook, app.bundle];
  // As in bench/bench.mjs: node parses the NODE_EXTRA_CA_CERTS file at every start, the same for every size.
  const env = { ...process.env };
  const caCerts = env.NODE_EXTRA_CA_CERTS !== undefined && !argv.includes('--keep-env');
  if (caCerts) delete env.NODE_EXTRA_CA_CERTS;
  const run = (config: string, dist: string) => runSynth(command, config, dist, env);
  const rows: Array<{ n: number; objects: number; ms: number; min: number; max: number; cpu: number; rss: number }> = [];
  const fixtures = sizes.map((n) => ({ n, config: writeScaleFixture(n) }));
  try {
    const samples = new Map<number, Sample[]>(sizes.map((n) => [n, []]));
    for (const f of fixtures) run(f.config, `${f.config}-dist`); // warm-up (file cache)
    for (let i = 0; i < runs; i++) {
      for (const f of fixtures) {
        samples.get(f.n)!.push(run(f.config, `${f.config}-dist`));
        if (progress) process.stderr.write(`\rbench:scale: round ${i + 1}/${runs}, ${f.n} workers   `);
      }
    }
    for (const f of fixtures) {
      const xs = samples.get(f.n)!;
      const ms = xs.map((s) => s.ms);
      rows.push({ n: f.n, objects: countObjects(`${f.config}-dist`), ms: median(ms), min: Math.min(...ms), max: Math.max(...ms), cpu: median(xs.map((s) => s.cpuMs)), rss: Math.max(...xs.map((s) => s.rssMiB)) });
    }
  } finally {
    rmSync(hookDir, { recursive: true, force: true });
    for (const f of fixtures) {
      rmSync(f.config, { recursive: true, force: true });
      rmSync(`${f.config}-dist`, { recursive: true, force: true });
    }
  }
  if (progress) process.stderr.write('\r\x1b[K');
  const base = rows[0];
  const last = rows[rows.length - 1];
  const perWorker = rows.length > 1 ? (last.ms - base.ms) / ((last.n - base.n) * 2) : 0;
  const perWorkerCpu = rows.length > 1 ? (last.cpu - base.cpu) / ((last.n - base.n) * 2) : 0;
  if (argv.includes('--markdown')) {
    console.log('| extra workers per env | services in total (2 envs) | objects | median wall time | min–max | median CPU time | max RSS |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.n} | ${2 * (r.n + 3)} | ${r.objects} | ${r.ms.toFixed(0)} ms | ${r.min.toFixed(0)}–${r.max.toFixed(0)} ms | ${r.cpu.toFixed(0)} ms | ${r.rss.toFixed(0)} MB |`);
  } else {
    console.log('extra workers/env  objects  median ms  (min–max)      CPU ms  max RSS MB');
    for (const r of rows) console.log(`${String(r.n).padStart(17)}  ${String(r.objects).padStart(7)}  ${r.ms.toFixed(0).padStart(9)}  (${r.min.toFixed(0)}–${r.max.toFixed(0)})`.padEnd(52) + r.cpu.toFixed(0).padStart(6) + r.rss.toFixed(0).padStart(12));
  }
  if (caCerts) console.log('NODE_EXTRA_CA_CERTS was unset for the runs (node loads it at every start; --keep-env keeps it)');
  console.log(`marginal cost ${perWorker.toFixed(2)} ms wall / ${perWorkerCpu.toFixed(2)} ms CPU per worker service (slope between the smallest and largest size); ${app.snapshot ? 'from the startup snapshot' : 'from the bundle (no snapshot)'}; node ${process.version}, ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} load`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`error: bench:scale: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
