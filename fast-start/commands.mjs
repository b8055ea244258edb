// The bundled commands: what each one bundles (esbuild), which export runs it and which warms it up.
import { ROOT } from './bundle.mjs';

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
    // Ajv is imported only to compile the schema validators when their module is missing
    // (validation/schema.ts), once per schema change: it is loaded from node_modules then, and stays out of
    // the bundles, their startup snapshots and the snapshots' start-up check. (The module's file name is the
    // digest of Ajv's version, read from node_modules/ajv/package.json, among others.)
    external: ['ajv', 'ajv/*'],
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

/**
 * Each command: `entry()` (esbuild entry options and the key of anything generated), `build(esbuild, entry)`
 * and `runExport` (called with the arguments, resolves to the exit code).
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
  },
  validate: {
    // The validation loads its schemas (imports/schemas) and compiled validators with readFileSync at run
    // time, not through the module loader, so the plain entry bundles everything it needs.
    entry: () => ({ key: 'fast-start/validation-main.ts', options: { entryPoints: ['fast-start/validation-main.ts'] } }),
    build: (esbuild, entry) => esbuild.build({ ...common('.build/validate.cjs'), ...entry.options, logLevel: 'error' }),
    runExport: 'run',
  },
};
