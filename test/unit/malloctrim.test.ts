import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/engine/nativeAddon.js';
import { MallocTrimmer } from '../../src/node/MallocTrimmer.js';

describe('MallocTrimmer', () => {
  it('calls the trim it is given on run() and stops after close()', () => {
    let n = 0;
    const t = new MallocTrimmer(0, () => (n++, true));
    expect(t.available).toBe(true);
    t.run();
    t.run();
    expect(n).toBe(2);
    expect(t.calls).toBe(2);
    t.close();
    t.close();
    t.run();
    expect(n).toBe(2);
  });

  it('does nothing without a malloc_trim (no addon, or not glibc)', () => {
    const t = new MallocTrimmer(10, null);
    expect(t.available).toBe(false);
    t.run();
    expect(t.calls).toBe(0);
    t.close();
  });

  it.skipIf(!loadNativeAddon().addon)('the native addon gives glibc free pages back', () => {
    const trim = loadNativeAddon().addon!.mallocTrim!;
    // Free memory in the middle of the heap: most of many small buffers, a few kept.
    let held: Buffer[] = [];
    for (let i = 0; i < 50_000; i++) held.push(Buffer.allocUnsafeSlow(1000));
    held = held.filter((_, i) => i % 50 === 0);
    // With glibc the addon calls malloc_trim and answers whether it released anything; else null.
    const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
    expect(typeof trim()).toBe(glibc ? 'boolean' : 'object');
    expect(held.length).toBe(1000);
  });
});
