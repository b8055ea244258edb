// `npm run validate`: bundles validation/ with esbuild into .build/validation/ when a source is newer
// than the bundle, then runs validation/cli.ts's main. The cdk8s validation plugin
// (validation/plugin/index.cjs) uses ensureValidationBundle() too. Arguments pass through; --help explains.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.build', 'validation');
const ENTRIES = { cli: 'validation/cli.ts', plugin: 'validation/plugin-core.ts' };
const SOURCES = ['validation', 'config', 'lib', 'package-lock.json'];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith('.ts') || path.endsWith('lock.json') ? st.mtimeMs : 0;
  let max = 0;
  for (const e of readdirSync(path)) if (e !== 'environments' && e !== 'plugin') max = Math.max(max, newest(join(path, e)));
  return max;
}

/** Builds .build/validation/{cli,plugin}.mjs if missing or older than a source; returns their paths. */
export async function ensureValidationBundle() {
  const files = Object.fromEntries(Object.keys(ENTRIES).map((k) => [k, join(outDir, `${k}.mjs`)]));
  const built = Math.min(...Object.values(files).map((f) => (existsSync(f) ? statSync(f).mtimeMs : -1)));
  const src = Math.max(...SOURCES.filter((s) => existsSync(join(root, s))).map((s) => newest(join(root, s))));
  if (built >= src) return files;
  const esbuild = await import('esbuild');
  const tmp = join(outDir, `.tmp-${process.pid}`);
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, join(root, v)])),
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    legalComments: 'none',
  });
  // Parallel runs (tests) may build at once: each builds in its own folder and renames files into place.
  mkdirSync(outDir, { recursive: true });
  for (const k of Object.keys(ENTRIES)) renameSync(join(tmp, `${k}.mjs`), files[k]);
  rmSync(tmp, { recursive: true, force: true });
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { cli } = await ensureValidationBundle();
  const { main } = await import(pathToFileURL(cli).href);
  process.exitCode = await main(process.argv.slice(2), process.env, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
