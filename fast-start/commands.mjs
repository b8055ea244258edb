// The bundled commands: what each one bundles (esbuild), which export runs it and which warms it up.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bundle.mjs';
import { sha256 } from './content.mjs';

/** esbuild options shared by the bundles. */
function common(outfile) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    absWorkingDir: ROOT,
    metafile: true,
    write: false,
    outfile,
    legalComments: 'none',
    // Smaller source parses faster. Identifiers are not minified, so functions keep their names except where
    // two modules' top-level names collide. No `keepNames`: it defines `name` on each of ~10,000 functions,
    // a property array each, all of it in the snapshot's heap.
    minifyWhitespace: true,
    minifySyntax: true,
    // re2-wasm (used by some kubernetes-models validators) reads its .wasm next to its own file: it stays
    // in node_modules and is required at run time.
    external: ['re2-wasm'],
    // node's own `punycode` is deprecated (a warning at every start); the npm package of the same name is the replacement.
    alias: { punycode: 'punycode/' },
    // The bundle lives in .build/, one level below the repository root like every source folder.
    define: { 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename', 'import.meta.url': '__import_meta_url' },
    banner: { js: "var __import_meta_url=require('url').pathToFileURL(__filename).href;" },
  };
}

// Only the L1 classes (`k8s.Kube*`) of cdk8s-plus-27 are used; loading its L2 constructs costs time at every
// start. If some code imports anything else from cdk8s-plus-27, the build with this plugin fails and the
// full package is bundled instead.
const k8sOnly = {
  name: 'cdk8s-plus-27-l1-only',
  setup(build) {
    build.onResolve({ filter: /^cdk8s-plus-27$/ }, () => ({ path: 'cdk8s-plus-27', namespace: 'k8s-only' }));
    build.onLoad({ filter: /.*/, namespace: 'k8s-only' }, () => ({
      contents: "import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js'; export { k8s };",
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

/** `apiVersion/Kind` of every object in dist/, sorted (top-level keys of each YAML document). */
function distKinds() {
  const dist = join(ROOT, 'dist');
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
 * The validation's generated entry. A snapshot cannot import ES modules while it is built, and the
 * validation imports the kubernetes-models module of each kind with a computed specifier, which esbuild
 * cannot follow: so the entry imports the modules of the kinds now in dist/ literally and registers them.
 * Other kinds are imported at run time.
 */
function validationEntry() {
  const packages = JSON.parse(readFileSync(join(ROOT, 'validation', 'model-packages.json'), 'utf8'));
  const specifiers = new Set();
  for (const key of [...distKinds(), 'v1/Pod', 'v1/PersistentVolumeClaim']) {
    const kind = key.slice(key.lastIndexOf('/') + 1);
    const apiVersion = key.slice(0, key.lastIndexOf('/'));
    for (const pkg of packages) if (existsSync(join(ROOT, 'node_modules', pkg, apiVersion, `${kind}.js`))) specifiers.add(`${pkg}/${apiVersion}/${kind}`);
  }
  const table = [...specifiers].sort().map((s) => `  ${JSON.stringify(s)}: () => import(${JSON.stringify(s)}),`).join('\n');
  return `import { run, useBundledModels, warmUp } from './fast-start/validation-main.ts';\nuseBundledModels({\n${table}\n});\nexport { run, warmUp };\n`;
}

/**
 * Each command: `entry()` (esbuild entry options and the key of anything generated), `build(esbuild, entry)`,
 * `runExport` (called with the arguments, returns the exit code) and `runsOnLoad` (the bundle runs the
 * command itself when loaded outside a snapshot build: main.ts does).
 */
export const COMMANDS = {
  synth: {
    entry: () => ({ key: 'main.ts', options: { entryPoints: ['main.ts'] } }),
    async build(esbuild, entry) {
      const options = { ...common('.build/synth.cjs'), ...entry.options };
      try {
        const slim = await esbuild.build({ ...options, plugins: [k8sOnly], logLevel: 'silent' });
        // `import * as plus from 'cdk8s-plus-27'; plus.Deployment` only warns ("will always be undefined").
        if (!slim.warnings.some((w) => w.text.includes('k8s-only'))) return slim;
      } catch {
        // needs more than the L1 module
      }
      return esbuild.build({ ...options, logLevel: 'error' });
    },
    runExport: 'cli',
    runsOnLoad: true,
  },
  validate: {
    entry: () => {
      const contents = validationEntry();
      return { key: sha256(contents), options: { stdin: { contents, resolveDir: ROOT, sourcefile: 'validation-entry.ts', loader: 'ts' } } };
    },
    build: (esbuild, entry) => esbuild.build({ ...common('.build/validate.cjs'), ...entry.options, logLevel: 'error' }),
    runExport: 'run',
    runsOnLoad: false,
  },
};
