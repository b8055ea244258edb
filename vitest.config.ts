import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Synthesizing full environments and validating schemas takes a few seconds on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: { exclude: ['imports/**', 'dist/**'] },
  },
});
