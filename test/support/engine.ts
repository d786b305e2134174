/**
 * The engines of a test's nodes. Unset: the defaults (viewers native where the addon built,
 * docs/native.md; publishers node-datachannel). CANOPY_TEST_ENGINE=ndc (or native) passes
 * `--engine` to every node that test/support starts; vitest.config.ts runs the key files a
 * second time with `ndc`. CANOPY_TEST_PUBLISHER_ENGINE=native (or ndc) passes
 * `--publisher-engine` (WHIP publishers on the native engine, docs/firewalls.md).
 */
export function testEngineFlags(): string[] {
  const e = process.env.CANOPY_TEST_ENGINE;
  const p = process.env.CANOPY_TEST_PUBLISHER_ENGINE;
  return [...(e ? ['--engine', e] : []), ...(p ? ['--publisher-engine', p] : [])];
}
