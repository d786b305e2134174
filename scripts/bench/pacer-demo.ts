/**
 * `npx tsx scripts/bench/pacer-demo.ts [SLICE_MS] [CONSUMERS]`
 *
 * The fan-out pacer alone, without a network or a machine-sized ramp: every second a burst of
 * 8 packets (a keyframe of the 600 kbit/s fixture) goes to CONSUMERS consumers that each spend
 * 13 µs per packet (a native send, per docs/benchmarks.md), through a FanoutPacer with the given
 * slice (0 = the whole burst in one turn of the loop). Prints the event-loop delay over 8 s.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { FanoutPacer } from '../../src/media/FanoutPacer.js';
import type { StreamConsumer } from '../../src/media/types.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';

const slice = Number(process.argv[2] ?? 5);
const n = Number(process.argv[3] ?? 500);
const SEND_MS = 0.013;
const RESOLUTION_MS = 20;

const consumers = new Set<StreamConsumer>(
  Array.from({ length: n }, () => ({
    kind: 'viewer' as const,
    onPacket: () => {
      const t = performance.now();
      while (performance.now() - t < SEND_MS) {
        // the cost of one send
      }
    },
    onEnded: () => undefined,
  })),
);
const pacer = new FanoutPacer({ sliceMs: slice });
const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
h.enable();
let bursts = 0;
const timer = setInterval(() => {
  for (let i = 0; i < 8; i++) pacer.deliver(consumers, mediaPacket(0, new Uint8Array(1), 0, true));
  bursts++;
}, 1000);
setTimeout(() => {
  clearInterval(timer);
  h.disable();
  const ms = (v: number) => Math.max(0, v / 1e6 - RESOLUTION_MS).toFixed(1);
  console.log(`slice ${slice} ms: ${bursts} bursts of 8 packets to ${n} consumers: event-loop delay p99 ${ms(h.percentile(99))} ms, max ${ms(h.max)} ms`);
  process.exit(0);
}, 8500);
