import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/engine/nativeAddon.js';
import { Metrics } from '../../src/metrics.js';
import { MemoryTrimmer } from '../../src/node/MemoryTrimmer.js';

const addon = loadNativeAddon().addon;
const trimmers: MemoryTrimmer[] = [];
afterEach(() => {
  for (const t of trimmers.splice(0)) t.close();
});

describe('MemoryTrimmer', () => {
  it('is off with a zero interval', () => {
    const t = new MemoryTrimmer({ everyMs: 0 });
    trimmers.push(t);
    expect(t.active).toBe(false);
  });

  it.skipIf(!addon)('calls malloc_trim on its timer and reports what it released on /metrics', async () => {
    expect(typeof addon!.mallocTrim).toBe('function');
    const metrics = new Metrics();
    const t = new MemoryTrimmer({ everyMs: 20 }, metrics);
    trimmers.push(t);
    expect(t.active).toBe(true);
    // Freed malloc'd memory for it to find: many ArrayBuffers (malloc'd backing stores), dropped.
    let junk: ArrayBuffer[] | null = Array.from({ length: 20_000 }, () => new ArrayBuffer(3000));
    junk = null;
    void junk;
    while (t.runs < 2) await new Promise((r) => setTimeout(r, 10));
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^canopy_memory_trimmed_bytes_total \d+/m);
    t.close();
    const runs = t.runs;
    await new Promise((r) => setTimeout(r, 60));
    expect(t.runs).toBe(runs);
  });

  it.skipIf(!addon)('trims at once when RSS grows past its threshold, without waiting for its period', async () => {
    const t = new MemoryTrimmer({ everyMs: 3_600_000, growthBytes: 8 << 20, checkMs: 10 });
    trimmers.push(t);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.runs).toBe(0);
    // ~60 MB of malloc'd backing stores, resident (written), then dropped: RSS grows past 8 MiB.
    let junk: Uint8Array[] | null = Array.from({ length: 20_000 }, () => new Uint8Array(3000).fill(1));
    const start = Date.now();
    while (t.runs === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(t.runs).toBeGreaterThanOrEqual(1);
    expect(junk.length).toBe(20_000);
    junk = null;
    void junk;
  });

  it.skipIf(!addon || typeof globalThis.gc !== 'function')('trims at the first check after a major GC, which frees memory without RSS growing', async () => {
    // A collection first, and time for its entry to be delivered: Node hands GC entries to
    // observers a turn or more after the GC, so one from just before the trimmer started (the
    // earlier tests' work left V8 one to do, now and then) reached it as its own.
    globalThis.gc!();
    await new Promise((r) => setTimeout(r, 50));
    const t = new MemoryTrimmer({ everyMs: 3_600_000, growthBytes: 1 << 30, checkMs: 10 });
    trimmers.push(t);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.runs).toBe(0);
    globalThis.gc!(); // a full (mark-sweep-compact) collection: a major GC entry
    const start = Date.now();
    while (t.runs === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(t.runs).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.runs).toBe(1); // once per GC, not on every check after it
  });
});
