import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests import dflc/runtime (the package's self-reference, from generated modules) from the
  // sources, not from a build that may be older than them.
  resolve: { conditions: ['dflc-source'] },
  ssr: { resolve: { conditions: ['dflc-source'], externalConditions: ['dflc-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check-seed.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
