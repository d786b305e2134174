import { readdirSync } from 'node:fs';
import { buildSync } from 'esbuild';
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

/**
 * The unit files that run in child processes: those loading native code, and the sanitizer run
 * (native-fuzz, ~55 s of the unit files' ~100 s), which balances the two unit pools.
 */
const UNIT_IN_FORKS = ['test/unit/native-fuzz.test.ts', ...unitFilesLoadingNativeCode()];

/**
 * Unit files whose imports reach the native addon or node-datachannel: a worker thread that loaded
 * either aborts the whole process when it exits, so these run in child processes (the forks
 * pool). Found from the import graph (esbuild, vite's own bundler; ~0.6 s) rather than listed,
 * so a new unit file cannot land on a thread by mistake.
 */
function unitFilesLoadingNativeCode(): string[] {
  const files = readdirSync('test/unit')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/unit/${f}`);
  const { metafile } = buildSync({
    entryPoints: files,
    bundle: true,
    platform: 'node',
    format: 'esm',
    metafile: true,
    write: false,
    packages: 'external',
    outdir: 'unused',
    logLevel: 'silent',
  });
  return Object.values(metafile.outputs)
    .filter(
      (o) =>
        o.entryPoint &&
        (Object.keys(o.inputs).some((p) => /^src\/engine\/(nativeAddon|NativeEngine|NdcEngine)\.ts$/.test(p)) ||
          o.imports.some((i) => i.path === 'node-datachannel')),
    )
    .map((o) => o.entryPoint!);
}

export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: {
      // The integration and browser files run one at a time: WebRTC tests share two cores with
      // Chromium and the native engine, and one file at a time keeps their timing honest. Set on
      // the pool, not with fileParallelism: false, which vitest applies to every project's pool
      // alike (the unit project's `fileParallelism: true, maxWorkers: 2` ran one file at a time
      // too, 114 s; docs/testing.md). Each file still gets a fresh child process.
      // The leak test compares heap usage after a forced collection (--expose-gc).
      forks: { maxForks: 1, minForks: 1, execArgv: ['--expose-gc'] },
      // The unit files that load no native code: one at a time on a worker thread, beside the
      // forks pool's one. Each file still gets a fresh thread and module graph (isolate).
      threads: { maxThreads: 1, minThreads: 1 },
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    projects: [
      // Unit tests start no node, browser or namespace: the two unit projects run together first
      // (group 0), one file on each core: those loading native code (and the sanitizer run, the
      // longest) in child processes, the rest on threads.
      { extends: true, test: { name: 'unit', pool: 'threads', include: ['test/unit/**/*.test.ts'], exclude: UNIT_IN_FORKS, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'unit-forks', include: UNIT_IN_FORKS, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: { name: 'default', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      { extends: true, test: { name: 'ndc', include: BOTH_ENGINES, env: { CANOPY_TEST_ENGINE: 'ndc' }, fileParallelism: false, sequence: { groupOrder: 2 } } },
    ],
  },
});
