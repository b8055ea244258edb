/**
 * `npm run bench:yaml`: what the project's own YAML writer (synth/yaml-emit.ts) and reader (model/yaml-load.ts)
 * save over js-yaml per run, on the objects of every environment. Each is kept only while it saves at least
 * 10 ms per run (docs/performance.md). Median CPU time of 9 passes after one warm-up pass, as in a run from
 * the startup snapshot (whose warm-up filled the caches); run it with `node --no-opt` as the snapshots are.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { buildEnvironment } from '../charts/environment';
import { listEnvironments, loadSettings } from '../config/load';
import { DIST_DIR, ENVIRONMENTS_DIR } from '../config/paths';
import { loadYamlStream } from '../model/yaml-load';
import { renderObjects } from '../synth/render';
import { DUMP_OPTIONS, dumpYaml } from '../synth/yaml-emit';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('Usage: npm run bench:yaml\nMedian CPU ms per run of the own YAML writer and reader against js-yaml, on every environment (docs/performance.md).\n');
  process.exit(0);
}

const objects = listEnvironments(ENVIRONMENTS_DIR).flatMap((e) => renderObjects(buildEnvironment(loadSettings(e, ENVIRONMENTS_DIR))).flatMap(([, o]) => o));
const texts = readdirSync(DIST_DIR).flatMap((e) => readdirSync(join(DIST_DIR, e)).map((f) => readFileSync(join(DIST_DIR, e, f), 'utf8')));

function median(f: () => void): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = process.cpuUsage();
    f();
    const d = process.cpuUsage(start);
    times.push((d.user + d.system) / 1000);
  }
  return times.sort((a, b) => a - b)[4];
}

const rows: Array<[string, number]> = [
  ['write: synth/yaml-emit.ts', median(() => objects.map((o) => dumpYaml(o)))],
  ['write: js-yaml dump', median(() => objects.map((o) => yaml.dump(o, DUMP_OPTIONS)))],
  ['read: model/yaml-load.ts', median(() => texts.map((t) => loadYamlStream(t)))],
  ['read: js-yaml loadAll', median(() => texts.map((t) => yaml.loadAll(t)))],
];
process.stdout.write(`${objects.length} objects, ${texts.length} files; median CPU ms per run (node ${process.execArgv.join(' ') || 'default flags'})\n`);
for (const [name, ms] of rows) process.stdout.write(`${name.padEnd(28)} ${ms.toFixed(1).padStart(7)}\n`);
