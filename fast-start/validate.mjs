// `npm run validate` (slow path; fast-start/run.sh validate runs the startup snapshot when there is one).
//
// Bundles validation/cli.ts with esbuild into .build/validation/cli.mjs when a source is newer than the
// bundle and runs its main. Then it brings the validation's startup snapshot up to date
// (.build/validate.blob, fast-start/snapshot.mjs): a CommonJS bundle of fast-start/validation-main.ts with
// every dependency inside (Ajv included, for a kind whose validator is not compiled yet). The heap is snapshotted after validating dist/
// once, so a run from it starts with every validator compiled. Arguments pass through; --help explains.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureSnapshot } from './snapshot.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, '.build');
const outDir = join(buildDir, 'validation');
const SOURCES = ['validation', 'config', 'model', 'fast-start', 'package-lock.json'];

/** The newest modification time under a path; settings (read at run time) and the plugin folder left out. */
function newestFile(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of readdirSync(path)) if (e !== 'environments' && e !== 'plugin') max = Math.max(max, newestFile(join(path, e)));
  return max;
}

/** Builds .build/validation/cli.mjs if missing or older than a source; returns its path. */
export async function ensureValidationBundle() {
  const file = join(outDir, 'cli.mjs');
  const built = existsSync(file) ? statSync(file).mtimeMs : -1;
  const src = Math.max(...SOURCES.filter((s) => existsSync(join(root, s))).map((s) => newestFile(join(root, s))));
  if (built >= src) return file;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, 'validation', 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    legalComments: 'none',
    write: false,
    outfile: file,
  });
  // Parallel runs (tests) may build at once: each writes its own file and renames it into place.
  mkdirSync(outDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, file);
  return file;
}

// The snapshot's sources: everything the validation reads at load time or bakes into its caches, including
// the CRD schemas in imports/schemas (settings in config/environments are read at every run).
const SNAPSHOT_SOURCES = ['validation', 'config', 'model', 'fast-start/validation-main.ts', 'fast-start/snapshot-handover.ts', 'imports/schemas', 'package-lock.json', 'fast-start/validate.mjs', 'fast-start/snapshot.mjs'];

/** `apiVersion/Kind` of every object in dist/, sorted (top-level keys of each YAML document). */
function distKinds() {
  const dist = join(root, 'dist');
  const kinds = new Set();
  if (!existsSync(dist)) return [];
  for (const env of readdirSync(dist)) {
    if (env.startsWith('.') || !statSync(join(dist, env)).isDirectory()) continue;
    for (const f of readdirSync(join(dist, env)).filter((n) => n.endsWith('.yaml'))) {
      for (const doc of readFileSync(join(dist, env, f), 'utf8').split(/^---$/m)) {
        const apiVersion = /^apiVersion: *['"]?([^'"\n]+)/m.exec(doc)?.[1];
        const kind = /^kind: *['"]?([^'"\n]+)/m.exec(doc)?.[1];
        if (apiVersion && kind) kinds.add(`${apiVersion}/${kind}`);
      }
    }
  }
  return [...kinds].sort();
}

/**
 * Builds the CommonJS bundle of the snapshot and the snapshot itself when a source, the kinds in dist/ or
 * the compiled CRD validators changed. Run after a validation of dist/ (which compiles those validators:
 * the snapshot's warm-up cannot load Ajv). Returns the snapshot file or undefined.
 */
export async function ensureValidationSnapshot() {
  const sourcesAt = Math.max(...SNAPSHOT_SOURCES.filter((s) => existsSync(join(root, s))).map((s) => newestFile(join(root, s))));
  const kinds = distKinds();
  // The compiled schema validators (validation/schema.ts) the warm-up loads into the heap.
  const crdDir = join(buildDir, 'schema-validators');
  const crdValidators = existsSync(crdDir) ? readdirSync(crdDir).filter((f) => f.endsWith('.cjs')).sort() : [];
  const extra = { kinds, crdValidators };
  const cjsFile = join(outDir, 'snapshot.cjs');
  const bundleStamp = join(outDir, 'snapshot.cjs.json');
  const key = createHash('sha256').update(JSON.stringify({ sourcesAt, kinds, crdValidators })).digest('hex').slice(0, 16);
  let built;
  try {
    built = JSON.parse(readFileSync(bundleStamp, 'utf8')).key;
  } catch {}
  if (built !== key || !existsSync(cjsFile)) {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      stdin: {
        contents: `export { run, warmUp } from './fast-start/validation-main.ts';\n`,
        resolveDir: root,
        sourcefile: 'validation-snapshot-entry.ts',
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
      legalComments: 'none',
      minifyWhitespace: true,
      minifySyntax: true, // no keepNames: see fast-start/synth.mjs
      write: false,
      outfile: cjsFile,
      external: ['re2-wasm'],
      define: { 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename', 'import.meta.url': '__import_meta_url' },
      banner: { js: "var __import_meta_url=require('url').pathToFileURL(__filename).href;" },
    });
    mkdirSync(outDir, { recursive: true });
    for (const [file, content] of [[cjsFile, result.outputFiles[0].contents], [bundleStamp, `${JSON.stringify({ key })}\n`]]) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, content);
      renameSync(tmp, file);
    }
  }
  return ensureSnapshot({
    name: 'validate',
    root,
    buildDir,
    cjsFile,
    sources: SNAPSHOT_SOURCES,
    newest: newestFile,
    slowPath: 'fast-start/validate.mjs',
    mainExport: 'run',
    sourcesAt,
    extra,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cli = await ensureValidationBundle();
  const { main } = await import(pathToFileURL(cli).href);
  process.exitCode = await main(process.argv.slice(2), process.env, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  // After the run: it compiled the CRD validators the snapshot's warm-up needs.
  if (!process.env.FINBOT_NO_SNAPSHOT) await ensureValidationSnapshot();
}
