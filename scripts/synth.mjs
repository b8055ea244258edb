// Runs the synth app fast: bundles main.ts and everything it imports (except the jsii libraries) with
// esbuild into .build/main.js when any source is newer than the bundle, then runs the bundle in this
// process. This is cdk8s.yaml's `app:` and `npm run synth`; arguments pass through to main.ts.
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, '.build', 'main.mjs');
const SOURCES = ['main.ts', 'charts', 'constructs', 'config', 'imports', 'lib', 'package-lock.json'];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith('.yaml') || path.endsWith('.json') && !path.endsWith('lock.json') ? 0 : st.mtimeMs;
  let max = 0;
  for (const e of readdirSync(path)) if (e !== 'environments' && e !== 'schemas') max = Math.max(max, newest(join(path, e)));
  return max;
}

/** Builds the bundle if it is missing or older than a source file. */
export async function ensureBundle() {
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : -1;
  const src = Math.max(...SOURCES.filter((s) => existsSync(join(root, s))).map((s) => newest(join(root, s))));
  if (built >= src) return bundle;
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'main.ts')],
    outfile: `${bundle}.${process.pid}.tmp`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['cdk8s', 'cdk8s-plus-27', 'constructs'],
    logLevel: 'error',
    legalComments: 'none',
    // CommonJS dependencies of the kubernetes-models validators require() Node built-ins (punycode):
    // an ESM bundle needs a real `require` for that.
    banner: { js: "import { createRequire as __finbotCreateRequire } from 'node:module'; const require = __finbotCreateRequire(import.meta.url);" },
  });
  // Parallel synths (tests) may build at once: each writes its own file and renames it into place.
  renameSync(`${bundle}.${process.pid}.tmp`, bundle);
  return bundle;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = await ensureBundle();
  await import(pathToFileURL(file).href);
}
