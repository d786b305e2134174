import { describe, expect, it } from 'vitest';
import { FanoutPacer } from '../../src/media/FanoutPacer.js';
import { Metrics } from '../../src/metrics.js';
import type { StreamConsumer } from '../../src/media/types.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';

const turn = () => new Promise((r) => setImmediate(r));

/** A consumer that records what it got and takes `costMs` per packet, like a native send. */
function consumer(name: string, log: string[], costMs: number): StreamConsumer {
  return {
    kind: 'viewer',
    onPacket: ({ rtp }) => {
      const t = performance.now();
      while (performance.now() - t < costMs) {
        // busy, like a send
      }
      log.push(`${name}:${rtp[0]}`);
    },
    onEnded: () => undefined,
  };
}

function setup(sliceMs: number, n: number, costMs: number, maxDelayMs?: number) {
  const m = new Metrics();
  const counters = { deferred: m.counter('d', 'd'), flushed: m.counter('f', 'f') };
  const pacer = new FanoutPacer({ sliceMs, counters, ...(maxDelayMs !== undefined ? { maxDelayMs } : {}) });
  const log: string[] = [];
  const set = new Set<StreamConsumer>(Array.from({ length: n }, (_, i) => consumer(`c${i}`, log, costMs)));
  return { pacer, log, set, counters };
}

describe('fan-out pacer', () => {
  it('sends a burst at once when pacing is off', () => {
    const { pacer, log, set } = setup(0, 5, 0);
    pacer.deliver(set, mediaPacket(0, new Uint8Array([1]), 0, true));
    expect(log).toHaveLength(5);
  });

  it('stops a turn after its slice and finishes the burst on later turns, in order for every consumer', async () => {
    const { pacer, log, set, counters } = setup(4, 10, 1);
    pacer.deliver(set, mediaPacket(0, new Uint8Array([1]), 0, true));
    pacer.deliver(set, mediaPacket(0, new Uint8Array([2]), 0, true));
    const first = log.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(10);
    expect(pacer.waiting).toBe(2);
    for (let i = 0; i < 50 && pacer.waiting > 0; i++) await turn();
    expect(pacer.waiting).toBe(0);
    expect(log).toHaveLength(20);
    for (let i = 0; i < 10; i++) expect(log.filter((x) => x.startsWith(`c${i}:`))).toEqual([`c${i}:1`, `c${i}:2`]);
    expect(counters.deferred.get()).toBe(2);
  });

  it('skips a consumer that leaves in the middle of a burst', async () => {
    const { pacer, log, set } = setup(2, 10, 1);
    pacer.deliver(set, mediaPacket(0, new Uint8Array([7]), 0, true));
    const last = [...set][9]!;
    set.delete(last);
    for (let i = 0; i < 50 && pacer.waiting > 0; i++) await turn();
    expect(log).toHaveLength(9);
    expect(log).not.toContain('c9:7');
  });

  it('sends everything at once when a packet has waited past its limit', async () => {
    const { pacer, log, set, counters } = setup(1, 10, 1, 5);
    pacer.deliver(set, mediaPacket(0, new Uint8Array([1]), 0, true));
    expect(pacer.waiting).toBe(1);
    const t = performance.now();
    while (performance.now() - t < 10) {
      // the node is too busy to turn the loop
    }
    pacer.deliver(set, mediaPacket(0, new Uint8Array([2]), 0, true));
    expect(pacer.waiting).toBe(0);
    expect(log).toHaveLength(20);
    expect(counters.flushed.get()).toBe(1);
  });
});
