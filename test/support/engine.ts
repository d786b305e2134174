/**
 * The viewers' engine of a test's nodes. Unset: the default (native where the addon built,
 * docs/native.md). CANOPY_TEST_ENGINE=ndc (or native) passes `--engine` to every node that
 * test/support starts; vitest.config.ts runs the key files a second time with `ndc`.
 */
export function testEngineFlags(): string[] {
  const e = process.env.CANOPY_TEST_ENGINE;
  return e ? ['--engine', e] : [];
}
