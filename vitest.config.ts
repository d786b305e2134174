import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // WebRTC tests share two cores with Chromium and the native engine: one file at a time
    // keeps their timing honest.
    fileParallelism: false,
    pool: 'forks',
    // The leak test compares heap usage after a forced collection.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
