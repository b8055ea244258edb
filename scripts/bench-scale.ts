/**
 * `npm run bench:scale` (or `npm run bench -- --scale`): how synth time and memory grow with the number of
 * services. For each size N it generates settings with N extra workers in every environment
 * (lib/scale-fixture.ts), then runs the bundled synth (node .build/main.mjs, all environments) several
 * times: median wall time, and max RSS from process.resourceUsage() of the synth process itself.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/paths';
import { writeScaleFixture } from '../lib/scale-fixture';

const HELP = `Synth time and memory against the number of services.

Usage: npm run bench:scale [-- [--sizes 1,10,50,200] [--runs N] [--markdown] [--progress]]

  --sizes LIST   extra workers per environment to try (default 1,10,50,200; 0 = the real settings)
  --runs N       runs per size (default 7); the median time and the largest max RSS are reported
  --markdown     print the table as Markdown (for docs/tools.md)
  --progress     progress on stderr even when it is not a terminal
  --help         show this help`;

interface Sample {
  ms: number;
  rssMiB: number;
}

const RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss='+process.resourceUsage().maxRSS+'\\n'))`;

function runSynth(configDir: string, distDir: string): Sample {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, join(REPO_ROOT, '.build', 'main.mjs')], {
    cwd: REPO_ROOT,
    env: { ...process.env, FINBOT_CONFIG_DIR: configDir, FINBOT_DIST_DIR: distDir },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
  const kb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]);
  return { ms, rssMiB: kb / 1024 };
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
  const { ensureBundle } = await import('./synth.mjs');
  await ensureBundle();
  const rows: Array<{ n: number; objects: number; ms: number; min: number; max: number; rss: number }> = [];
  for (const n of sizes) {
    const config = writeScaleFixture(n);
    const dist = `${config}-dist`;
    try {
      runSynth(config, dist); // warm-up (file cache)
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        samples.push(runSynth(config, dist));
        if (progress) process.stderr.write(`\rbench:scale: ${n} workers, run ${i + 1}/${runs}   `);
      }
      const ms = samples.map((s) => s.ms);
      rows.push({ n, objects: countObjects(dist), ms: median(ms), min: Math.min(...ms), max: Math.max(...ms), rss: Math.max(...samples.map((s) => s.rssMiB)) });
    } finally {
      rmSync(config, { recursive: true, force: true });
      rmSync(dist, { recursive: true, force: true });
    }
  }
  if (progress) process.stderr.write('\r\x1b[K');
  const base = rows[0];
  const perWorker = rows.length > 1 ? (rows[rows.length - 1].ms - base.ms) / ((rows[rows.length - 1].n - base.n) * 2) : 0;
  if (argv.includes('--markdown')) {
    console.log('| extra workers per env | services in total (2 envs) | objects | median synth | min–max | max RSS |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.n} | ${2 * (r.n + 3)} | ${r.objects} | ${r.ms.toFixed(0)} ms | ${r.min.toFixed(0)}–${r.max.toFixed(0)} ms | ${r.rss.toFixed(0)} MB |`);
  } else {
    console.log('extra workers/env  objects  median ms  (min–max)      max RSS MB');
    for (const r of rows) console.log(`${String(r.n).padStart(17)}  ${String(r.objects).padStart(7)}  ${r.ms.toFixed(0).padStart(9)}  (${r.min.toFixed(0)}–${r.max.toFixed(0)})`.padEnd(52) + r.rss.toFixed(0).padStart(10));
  }
  console.log(`marginal cost ${perWorker.toFixed(2)} ms per worker service (slope between the smallest and largest size); node ${process.version}, ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} load`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`error: bench:scale: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
