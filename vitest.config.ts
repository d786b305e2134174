import { defineConfig } from 'vitest/config';

/**
 * Viewers run on the default engine (native where the addon built, docs/native.md). These files
 * run a second time with node-datachannel serving viewers (project `ndc`), so each engine
 * passes the key behaviours: loss repair and keyframe limits, time-shift, drain,
 * viewer auth, metrics, the dashboard. Kept small for the suite's time budget (docs/testing.md).
 * `CANOPY_TEST_ENGINE=ndc npm test` runs everything on node-datachannel instead.
 */
export const BOTH_ENGINES = [
  'test/integration/repair.test.ts',
  'test/integration/timeshift.test.ts',
  'test/integration/drain.test.ts',
  'test/integration/security.test.ts',
  'test/integration/dashboard.test.ts',
  'test/integration/ondemand.test.ts',
];

export default defineConfig({
  test: {
    // WebRTC tests share two cores with Chromium and the native engine: one file at a time
    // keeps their timing honest.
    fileParallelism: false,
    pool: 'forks',
    // The leak test compares heap usage after a forced collection.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    projects: [
      // Unit tests start no node, browser or namespace: two at a time (one per core) first. Each
      // file costs ~2 s of worker start and imports whatever it does, which one at a time added
      // up to over 3 minutes of the suite (docs/testing.md).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'], sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'ndc', include: BOTH_ENGINES, env: { CANOPY_TEST_ENGINE: 'ndc' }, sequence: { groupOrder: 2 } } },
    ],
  },
});
