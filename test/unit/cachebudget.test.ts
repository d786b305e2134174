import { describe, expect, it } from 'vitest';
import { CacheBudget, defaultCacheBudget, DEFAULT_BUDGET_MAX, DEFAULT_BUDGET_MIN } from '../../src/media/CacheBudget.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import { PACKET_OVERHEAD_BYTES, TimeBuffer } from '../../src/media/TimeBuffer.js';
import { Metrics } from '../../src/metrics.js';
import { registerCacheMetrics } from '../../src/node/CacheMetrics.js';

const T0 = 1_700_000_000_000;
const VP8_KEY = [0x10, 0x00, 0x9d, 0x01, 0x2a];
const VP8_DELTA = [0x10, 0x01];

/** One RTP packet of `size` bytes that owns its memory (as a decoded WebRTC packet does). */
function packet(seq: number, ts: number, key: boolean, size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size);
  b.fill(0);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(0x1234, 8);
  b.set(key ? VP8_KEY : VP8_DELTA, 12);
  return b;
}

/** A video stream: one packet per 40 ms frame, a keyframe every gopMs. */
class Stream {
  seq = 0;
  constructor(
    readonly buf: TimeBuffer,
    readonly size = 500,
    readonly gopMs = 1000,
  ) {}

  /** Pushes the frame at time t (ms from T0). */
  frame(t: number): void {
    const key = t % this.gopMs === 0;
    this.buf.push(mediaPacket(0, packet(this.seq++, t * 90, key, this.size), T0 + t, key));
  }
}

function makeBuffer(budget: CacheBudget, stream: string, demand: () => number = () => 0, windowMs = 3_600_000): TimeBuffer {
  return new TimeBuffer({ windowMs, maxBytes: 1e12, videoTrack: 0, budget, stream, demand });
}

/** Runs every stream for durationMs, frames interleaved in time (as a node receives them). */
function run(streams: Stream[], fromMs: number, durationMs: number, each?: () => void): void {
  for (let t = fromMs; t < fromMs + durationMs; t += 40) {
    for (const s of streams) {
      s.frame(t);
      each?.();
    }
  }
}

const gopCharge = (size: number, gopMs = 1000) => (gopMs / 40) * (size + PACKET_OVERHEAD_BYTES);

function warnLogger(): { warns: unknown[]; logger: never } {
  const warns: unknown[] = [];
  const logger = { warn: (...a: unknown[]) => warns.push(a), info() {}, debug() {}, error() {}, child: () => logger };
  return { warns, logger: logger as never };
}

describe('CacheBudget', () => {
  it('charges what buffers hold, RTP bytes plus each packet, and returns it when they evict or close', () => {
    const budget = new CacheBudget({ maxBytes: 1e9 });
    const a = new Stream(makeBuffer(budget, 'a', () => 0, 2000));
    run([a], 0, 5000);
    expect(budget.used).toBe(a.buf.bytes + a.buf.packets * PACKET_OVERHEAD_BYTES);
    expect(budget.used).toBe(a.buf.chargedBytes);
    expect(budget.perStream()).toEqual([['a', a.buf.chargedBytes]]);
    a.buf.close();
    expect(budget.used).toBe(0);
    expect(budget.streams).toBe(0);
  });

  it("evicts the oldest media of the least-watched stream first, keeping each buffer's last GOP", () => {
    const now = T0 + 120_000;
    const budget = new CacheBudget({ maxBytes: 60 * gopCharge(500), now: () => now });
    const idle = new Stream(makeBuffer(budget, 'idle', () => 0));
    const watched = new Stream(makeBuffer(budget, 'watched', () => 3));
    const asked = new Stream(makeBuffer(budget, 'asked', () => 0));
    // 30 s each fits (90 GOPs would not: the budget holds 60).
    run([idle, watched, asked], 0, 20_000);
    expect(budget.evictions).toBe(0);
    budget.noteRequest('asked');
    run([idle, watched, asked], 20_000, 40_000);
    expect(budget.evictions).toBeGreaterThan(0);
    expect(budget.used).toBeLessThanOrEqual(budget.maxBytes);
    const held = (s: Stream) => s.buf.effectiveWindowMs;
    // idle (score 0) < asked (4 × one recent request = 4) ≈ watched (3 consumers): windows
    // roughly in proportion to 1 + score.
    expect(held(idle)).toBeLessThan(held(asked));
    expect(held(idle)).toBeLessThan(held(watched));
    expect(held(idle) * 3).toBeLessThan(held(watched));
    expect(held(watched)).toBeLessThan(held(asked));
    // Oldest first: every buffer is still a contiguous recent window ending at the newest frame.
    for (const s of [idle, watched, asked]) {
      expect(s.buf.range()!.endMs).toBe(T0 + 60_000 - 40);
      expect(s.buf.covers(T0 + 59_000)).toBe(true);
    }
  });

  it('among streams of equal score, takes the oldest media first', () => {
    const budget = new CacheBudget({ maxBytes: 20 * gopCharge(500) });
    const early = new Stream(makeBuffer(budget, 'early'));
    run([early], 0, 10_000);
    const late = new Stream(makeBuffer(budget, 'late'));
    run([early, late], 10_000, 10_000);
    expect(budget.evictions).toBeGreaterThan(0);
    // Both now start at about the same time: early lost its first 10 s and more, late nothing older.
    const a = early.buf.range()!.startMs;
    const b = late.buf.range()!.startMs;
    expect(a).toBeGreaterThanOrEqual(T0 + 10_000);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1000);
  });

  it('keeps each last GOP past the budget by at most an eighth of it, then drops the largest', () => {
    const budget = new CacheBudget({ maxBytes: 8 * gopCharge(500) });
    const streams = Array.from({ length: 20 }, (_, i) => new Stream(makeBuffer(budget, `s${i}`)));
    let peak = 0;
    run(streams, 0, 5000, () => (peak = Math.max(peak, budget.used)));
    // 20 last GOPs would be 2.5 budgets: the hard limit holds (plus the packet being stored).
    expect(peak).toBeLessThanOrEqual(budget.maxBytes * (9 / 8) + 500 + PACKET_OVERHEAD_BYTES);
  });

  it('holds with 50 streams at a low bit rate starting at once: under budget, every stream keeps its latest GOP', () => {
    const { warns, logger } = warnLogger();
    // 50 streams of ~100 kbit/s (500-byte frames at 25 fps), a 2 MiB budget: full after ~17 s.
    const budget = new CacheBudget({ maxBytes: 2 * 1024 * 1024, logger });
    const streams = Array.from({ length: 50 }, (_, i) => new Stream(makeBuffer(budget, `s${i}`, () => i % 3)));
    let peak = 0;
    run(streams, 0, 60_000, () => (peak = Math.max(peak, budget.used)));
    expect(peak).toBeLessThanOrEqual(budget.maxBytes + 500 + PACKET_OVERHEAD_BYTES);
    expect(budget.used).toBeGreaterThan(budget.maxBytes * 0.9);
    let sum = 0;
    for (const s of streams) {
      sum += s.buf.chargedBytes;
      // The latest keyframe is held: a joiner or a rewind can start at once.
      expect(s.buf.covers(T0 + 59_000)).toBe(true);
    }
    expect(sum).toBe(budget.used);
    expect(budget.evictions).toBeGreaterThan(100);
    expect(budget.firstFullAt).not.toBeNull();
    // Logged once, when it first filled.
    expect(warns).toHaveLength(1);
  });

  it('holds with one 10 Mbit/s stream among low-rate ones: the budget binds, every stream keeps its latest GOP', () => {
    const budget = new CacheBudget({ maxBytes: 8 * 1024 * 1024 });
    // 10 Mbit/s: 50 kB per 40 ms frame, as 42 packets of 1,200 bytes; a keyframe every 2 s (a 2.5 MB GOP).
    const hd = makeBuffer(budget, 'hd', () => 1);
    const low = Array.from({ length: 10 }, (_, i) => new Stream(makeBuffer(budget, `low${i}`)));
    let peak = 0;
    let seq = 0;
    for (let t = 0; t < 30_000; t += 40) {
      const key = t % 2000 === 0;
      for (let i = 0; i < 42; i++) {
        hd.push(mediaPacket(0, packet(seq++, t * 90, key && i === 0, 1200), T0 + t, key && i === 0));
        peak = Math.max(peak, budget.used);
      }
      for (const s of low) {
        s.frame(t);
        peak = Math.max(peak, budget.used);
      }
    }
    expect(peak).toBeLessThanOrEqual(budget.maxBytes + 1200 + PACKET_OVERHEAD_BYTES);
    expect(budget.evictions).toBeGreaterThan(0);
    expect(hd.covers(T0 + 29_000)).toBe(true);
    for (const s of low) expect(s.buf.covers(T0 + 29_000)).toBe(true);
    // The high-rate stream holds most of the memory but not the whole budget: older low-rate media is not all gone for it.
    expect(hd.chargedBytes).toBeLessThan(budget.maxBytes);
    expect(hd.effectiveWindowMs).toBeGreaterThanOrEqual(2000);
  });

  it('remembers what it evicted, so a request for it is told apart from one for media never held', () => {
    const budget = new CacheBudget({ maxBytes: 10 * gopCharge(500) });
    const a = new Stream(makeBuffer(budget, 'a'));
    run([a], 0, 30_000);
    const start = a.buf.range()!.startMs;
    expect(start).toBeGreaterThan(T0 + 15_000);
    expect(a.buf.evicted(T0 + 5_000)).toBe(true);
    expect(a.buf.evicted(start - 1)).toBe(true);
    expect(a.buf.evicted(start)).toBe(false);
    expect(a.buf.evicted(T0 + 29_000)).toBe(false);
    // A buffer that never evicted says no for times before it: those were never here.
    const b = makeBuffer(new CacheBudget({ maxBytes: 1e9 }), 'b');
    new Stream(b).frame(0);
    expect(b.evicted(T0 - 10_000)).toBe(false);
  });

  it('moves a cursor the budget overtook forward and holds no evicted packet for it', () => {
    const budget = new CacheBudget({ maxBytes: 10 * gopCharge(500) });
    const a = new Stream(makeBuffer(budget, 'a'));
    run([a], 0, 8_000);
    const c = a.buf.cursor(T0)!;
    const first = c.next()!;
    expect(first.captureMs).toBe(T0);
    run([a], 8_000, 20_000);
    // The cursor is a sequence number: the evicted packets are gone from the ring.
    expect(a.buf.packetAt(0)).toBeUndefined();
    const p = c.next()!;
    expect(c.skipped).toBe(true);
    expect(p.keyframe).toBe(true);
    expect(p.captureMs).toBe(a.buf.range()!.startMs);
  });

  it('counts time-shift requests only for streams it carries, decaying with the half-life', () => {
    let now = T0;
    const budget = new CacheBudget({ maxBytes: 1e9, requestHalfLifeMs: 60_000, now: () => now });
    const buf = makeBuffer(budget, 'a', () => 2);
    budget.noteRequest('a');
    budget.noteRequest('a');
    budget.noteRequest('nobody-carries-this');
    expect(budget.recentRequests('nobody-carries-this')).toBe(0);
    expect(budget.recentRequests('a')).toBe(2);
    expect(budget.score(buf)).toBe(2 + 4 * 2);
    now += 60_000;
    expect(budget.recentRequests('a')).toBeCloseTo(1);
    buf.close();
    expect(budget.recentRequests('a')).toBe(0);
  });

  it('defaults to a quarter of the memory the process may use, within bounds', () => {
    const d = defaultCacheBudget();
    expect(d).toBeGreaterThanOrEqual(DEFAULT_BUDGET_MIN);
    expect(d).toBeLessThanOrEqual(DEFAULT_BUDGET_MAX);
  });

  it('shows bytes per stream and in total against the budget, and evictions, on /metrics', async () => {
    const budget = new CacheBudget({ maxBytes: 10 * gopCharge(500) });
    const m = new Metrics({ runtime: false });
    registerCacheMetrics(m, budget, 2);
    const streams = ['a', 'b', 'c'].map((n, i) => new Stream(makeBuffer(budget, n, () => i)));
    run(streams, 0, 2000);
    let text = await m.render();
    expect(text).toMatch(new RegExp(`^canopy_cache_budget_bytes ${budget.maxBytes}$`, 'm'));
    expect(text).toMatch(new RegExp(`^canopy_cache_bytes_total ${budget.used}$`, 'm'));
    expect(text).toMatch(/^canopy_cache_evictions_total 0$/m);
    // Two streams of their own (--metrics-max-streams 2), the third under "(other)".
    const series = [...text.matchAll(/^canopy_cache_bytes\{stream="([^"]+)"\} (\d+)$/gm)].map((x) => [x[1], Number(x[2])]);
    expect(series).toHaveLength(3);
    expect(series.map(([s]) => s)).toContain('(other)');
    expect(series.reduce((n, [, v]) => n + (v as number), 0)).toBe(budget.used);
    run(streams, 2000, 10_000);
    text = await m.render();
    expect(budget.evictions).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`^canopy_cache_evictions_total ${budget.evictions}$`, 'm'));
    expect(text).toMatch(new RegExp(`^canopy_cache_evicted_bytes_total ${budget.evictedBytes}$`, 'm'));
  });
});
