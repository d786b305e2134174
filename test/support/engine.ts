/**
 * The viewers' engine of a test's nodes. Unset: the default (`--engine` in src/options.ts).
 * CANOPY_TEST_ENGINE=native (or ndc) passes `--engine` to every node that test/support starts;
 * vitest.config.ts runs the key files a second time with the other engine.
 */
export function testEngineFlags(): string[] {
  const e = process.env.CANOPY_TEST_ENGINE;
  return e ? ['--engine', e] : [];
}
