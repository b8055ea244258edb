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
 * TEMPORARY EXCEPTIONS (issue #13): violations that other changes of #13 are removing. Each is one entry of
 * `EXCEPTIONS` below, naming the dependency it allows and why; delete the entry when its violation is gone
 * (`npm run deps` fails on any other violation either way).
 */
'use strict';

const PROJECT = ['config', 'model', 'constructs', 'charts', 'synth', 'validation', 'tools', 'fast-start', 'bench', 'imports', 'test'];
/** A path regex for the given top-level folders (and main.ts when `main` is set). */
const folders = (names, main = false) => `^(${names.join('|')})/${main ? '|^main\\.ts$' : ''}`;
const except = (allowed) => PROJECT.filter((f) => !allowed.includes(f));

/**
 * Temporary exceptions, each with the issue and change that removes it: the dependency from `from` to `to`
 * (path regexes) is not an error of the rules named in `rules`. Everything else from `from` is still checked.
 * DEPCRUISE_NO_EXCEPTIONS=1 npm run deps lists what they hide.
 */
const EXCEPTIONS = process.env.DEPCRUISE_NO_EXCEPTIONS ? [] : [
  // #13: these constructs still take config/ types instead of flat props (FinbotApp is next: its settings prop).
  ...['security-context', 'finbot-app'].map((c) => ({
    rules: ['constructs-layer'], from: `^constructs/${c}\\.ts$`, to: '^config/', why: `#13: constructs/${c}.ts still imports config/ types`,
  })),
];

/** A rule with the exceptions that name it: checked as is everywhere else, and without each excepted target. */
function withExceptions(rule) {
  const ex = EXCEPTIONS.filter((e) => e.rules.includes(rule.name));
  if (ex.length === 0) return [rule];
  const pathNot = [].concat(rule.from.pathNot ?? [], ex.map((e) => e.from));
  return [
    { ...rule, from: { ...rule.from, pathNot } },
    ...ex.map((e) => ({
      ...rule,
      comment: `${rule.comment} [temporary exception: ${e.why}]`,
      from: { ...rule.from, path: e.from },
      to: { ...rule.to, pathNot: [].concat(rule.to.pathNot ?? [], e.to) },
    })),
  ];
}

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
  forbidden: RULES.flatMap(withExceptions),
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
