/**
 * The cdk8s CLI's upgrade check stays quiet wherever the project starts the CLI (issue #19: without
 * CDK8S_CHECK_UPGRADE=false, `cdk8s synth` offline printed a stack trace and "A new version undefined").
 *
 * How the pinned cdk8s-cli decides (read in node_modules/cdk8s-cli/lib/cli/index.js and lib/upgrades.js):
 * the global yargs option `check-upgrade` (default true) is read from argv or, through `.env('CDK8S')`, from
 * CDK8S_CHECK_UPGRADE, in a `.check()` that runs while the arguments are parsed — before the synth command
 * reads cdk8s.yaml and before it starts the app. So neither cdk8s.yaml nor the app can turn it off; each
 * caller must pass `--no-check-upgrade` or CDK8S_CHECK_UPGRADE=false. The check loads
 * http://registry.npmjs.org/cdk8s-cli/latest in a child process whose stderr is inherited (the stack trace
 * offline) and prints the banner whenever the answer differs from the installed version, `undefined` included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';

const cliIndex = readFileSync(join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'lib', 'cli', 'index.js'), 'utf8');
const upgrades = readFileSync(join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'lib', 'upgrades.js'), 'utf8');
const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** Does a command line (or a spawn's source text) turn the check off? */
const quiet = (text: string) => /CDK8S_CHECK_UPGRADE[=:]\s*'?"?false|--no-check-upgrade/.test(text);

/** Files of the project that may start the CLI (sources, scripts, CI), without generated and installed ones. */
function projectFiles(dir = REPO_ROOT, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', 'imports', '.git', '.build', '.cdk8s-out', 'docs'].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) projectFiles(path, out);
    else if (/\.(ts|mjs|cjs|js|sh|ya?ml)$|^run$|^release-drill$/.test(name)) out.push(path);
  }
  return out;
}

/** Places in a text that start the cdk8s CLI: its bin in a spawn, or `cdk8s synth|import` as a shell command line. */
function cliStarts(text: string): string[] {
  return [...text.matchAll(/^.*(?:'\.bin', 'cdk8s'|\.bin\/cdk8s\b|^\s*(?:-\s*)?(?:run:\s*)?(?:npx )?cdk8s (?:synth|import)\b).*$/gm)].map((m) => m[0]);
}

describe('the cdk8s CLI upgrade check', () => {
  it('is decided by the pinned CLI as described above (argv/env, before cdk8s.yaml and the app)', () => {
    expect(cliIndex).toMatch(/option\('check-upgrade', \{[^}]*default: true/);
    expect(cliIndex).toContain(".env('CDK8S')");
    expect(cliIndex).toMatch(/\.check\(argv => \{\s*if \(argv\.checkUpgrade\)/);
    expect(upgrades).toContain('http://registry.npmjs.org/');
    // The banner prints whenever the answer is not the installed version (an unanswered check included).
    expect(upgrades).toMatch(/if \(latest !== pkg\.version\)/);
  });

  it('every npm script that runs the CLI turns it off', () => {
    const running = Object.entries(scripts).filter(([, cmd]) => /(^|\s|&&\s*)cdk8s\s/.test(cmd));
    expect(running.length).toBeGreaterThan(0);
    for (const [name, cmd] of running) expect(quiet(cmd), `npm run ${name}: ${cmd}`).toBe(true);
  });

  it('every file of the project that starts the CLI turns it off', () => {
    for (const file of projectFiles()) {
      const text = readFileSync(file, 'utf8');
      const starts = cliStarts(text).filter((l) => !/^\s*(\*|\/\*|\/\/|#)/.test(l)); // comments and docs aside
      if (starts.length > 0) expect(quiet(text), `${relative(REPO_ROOT, file)}: ${starts[0].trim()}`).toBe(true);
    }
  });

  it('a place that starts the CLI without it is found', () => {
    const text = "execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['synth'], { env: process.env });";
    expect(cliStarts(text)).toHaveLength(1);
    expect(quiet(text)).toBe(false);
    expect(cliStarts('      - run: npx cdk8s synth\n')).toHaveLength(1);
    expect(cliStarts('  it(\'npx cdk8s synth writes the same bytes\', () => {')).toHaveLength(0);
  });

  it('README says how to run the CLI quietly', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm run synth:cli');
    expect(readme).toContain('CDK8S_CHECK_UPGRADE=false');
  });
});
