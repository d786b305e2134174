/** CANOPY_TEST_ENGINE=native runs a suite's viewers on the native engine (docs/native.md). */
export function testEngineFlags(): string[] {
  const e = process.env.CANOPY_TEST_ENGINE;
  return e ? ['--engine', e] : [];
}
