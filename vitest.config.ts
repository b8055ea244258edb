import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests that start processes (node, sh, npm, the cdk8s CLI, dependency-cruiser): their own project,
 * so `vitest run --project unit` is the fast, pure set. test/test-projects.test.ts checks that every test file
 * that imports node:child_process is listed here (git-only ones aside).
 */
export const PROCESS_TESTS = [
  'test/fast-start/snapshot.test.ts',
  'test/synth.test.ts',
  'test/tools/cli.test.ts',
  'test/tools/release-commands.test.ts',
  'test/validation/environments.test.ts',
  'test/layers.test.ts',
  'test/environments/alerting-tools.test.ts',
  'test/help.test.ts',
  'test/synth/write-dist.test.ts',
  'test/tools/promote-env.test.ts',
  'test/tools/dr-cli.test.ts',
];

export default defineConfig({
  plugins: [
    {
      // How a module is transformed also depends on tsconfig.json (vite's esbuild step reads its compiler
      // options), which vitest's on-disk module cache (below) does not hash: put its text in every entry's key.
      name: 'finbot-module-cache-key',
      configureVitest({ experimental_defineCacheKeyGenerator }) {
        const tsconfig = readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8');
        experimental_defineCacheKeyGenerator(() => tsconfig);
      },
    },
  ],
  test: {
    // Synthesizing full environments and validating schemas takes a few seconds on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Builds the compiled schema validators once, before any worker starts (validation/schema.ts).
    globalSetup: ['test/global-setup.ts'],
    // In CI also write a machine-readable result, from which .ci/run prints a plain summary line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    // vitest's default is one worker per core but one; on 2 cores that is one worker, and the suite runs in
    // series while a process test's worker only waits for its child. Two workers keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    coverage: { exclude: ['imports/**', 'dist/**'] },
    // vitest's cache of transformed modules on disk (node_modules/.experimental-vitest-cache): a file's entry is
    // named by the sha1 of its path, its source, vitest's version, the resolved config and tsconfig.json (the
    // plugin above), and the whole cache is dropped when the lockfile changes; an entry without vitest's
    // trailer is transformed again. Transforming the
    // TypeScript sources (imports/ alone is 13 MB) is otherwise a third of the unit project's time.
    experimental: { fsModuleCache: true },
    projects: [
      // Pure tests share one module graph per worker (isolate: false): loading cdk8s, the charts and the
      // compiled validators once per worker instead of once per file is most of the unit project's time.
      // A unit test therefore must not leave module state behind (no vi.mock; caches must stay valid).
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: PROCESS_TESTS, isolate: false } },
      // A process test waits for node to start several times: on a busy shared machine that can exceed the
      // unit timeout without anything being wrong; the limit still catches a hang.
      { extends: true, test: { name: 'processes', include: PROCESS_TESTS, testTimeout: 120_000 } },
    ],
  },
});
