import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Synthesizing full environments and validating schemas takes a few seconds on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // In CI also write a machine-readable result, from which .ci/run prints a plain summary line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    coverage: { exclude: ['imports/**', 'dist/**'] },
  },
});
