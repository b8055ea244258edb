/**
 * The layering of the project (README "Layout and data flow", issue #13), enforced by dependency-cruiser in
 * `npm run deps` (CI and `npm test` run it). Each folder may import only the folders its row names:
 *
 * | folder       | may import                                   |
 * |--------------|----------------------------------------------|
 * | config/      | nothing of the project                       |
 * | model/       | config/ (types)                              |
 * | constructs/  | cdk8s, imports/, model/                      |
 * | charts/      | config/, constructs/, model/                 |
 * | synth/       | model/ (charts are passed in by main.ts)     |
 * | validation/  | model/, config/                              |
 * | tools/       | model/, config/                              |
 * | fast-start/  | anything; nothing imports it                 |
 * | bench/       | anything                                     |
 *
 * and no cycles. main.ts and test/ may import anything (but fast-start/, except the fast-start tests).
 *
 * There are no exceptions: a violation is fixed, not excused.
 */
'use strict';

const PROJECT = ['config', 'model', 'constructs', 'charts', 'synth', 'validation', 'tools', 'fast-start', 'bench', 'imports', 'test'];
/** A path regex for the given top-level folders (and main.ts when `main` is set). */
const folders = (names, main = false) => `^(${names.join('|')})/${main ? '|^main\\.ts$' : ''}`;
const except = (allowed) => PROJECT.filter((f) => !allowed.includes(f));

/** A layer rule: `from` may import only `allowed` of the project (npm packages and node's own modules are fine). */
function layer(name, from, allowed, comment) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: folders(except(allowed), true) } };
}

const RULES = [
  { name: 'no-circular', comment: 'No import cycles.', severity: 'error', from: {}, to: { circular: true } },
  layer('config-layer', '^config/', ['config'], 'config/ (settings model and loader) imports nothing of the project.'),
  layer('model-layer', '^model/', ['model', 'config'], 'model/ may import config/ only.'),
  layer('constructs-layer', '^constructs/', ['constructs', 'imports', 'model'], 'constructs/ know no settings and no environment: cdk8s, imports/ and model/ only.'),
  layer('charts-layer', '^charts/', ['charts', 'config', 'constructs', 'model'], 'charts/ map settings to construct props: config/, constructs/, model/.'),
  layer('synth-layer', '^synth/', ['synth', 'model'], 'synth/ renders what main.ts passes in: model/ only.'),
  layer('validation-layer', '^validation/', ['validation', 'model', 'config'], 'validation/ reads objects and settings: model/, config/.'),
  layer('tools-layer', '^tools/', ['tools', 'model', 'config'], 'tools/ read dist/ and settings: model/, config/.'),
  {
    name: 'fast-start-is-optional',
    comment: 'fast-start/ is an optional speed-up: nothing imports it (bench/, which measures it, and its own tests aside).',
    severity: 'error',
    from: { pathNot: ['^fast-start/', '^bench/', '^test/fast-start/'] },
    to: { path: '^fast-start/' },
  },
  { name: 'not-to-unresolvable', comment: 'Every import resolves (a typo or a deleted module).', severity: 'error', from: {}, to: { couldNotResolve: true } },
];

module.exports = {
  forbidden: RULES,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.build|coverage)/' },
    tsPreCompilationDeps: true,
    // typescript 7 (the Go compiler) has no JavaScript API for dependency-cruiser to parse with: swc parses.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json'] },
    // Not `exports`-aware deep imports of some packages resolve by path.
    combinedDependencies: false,
  },
};
