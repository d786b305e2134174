import { describe, expect, it } from 'vitest';
import { BandwidthEstimator, retransmitShareFor, type TwccPacket } from '../../src/media/BandwidthEstimator.js';

// Synthetic transport-cc feedback: a sender, a bottleneck and a receiver that reports every
// 100 ms, all in simulated time. The bottleneck is either a FIFO queue (delay grows, then
// tail drop at maxQueueMs) or a policer (a token bucket that drops, as nftables'
// `limit rate over ... drop`, with no queue).

interface Link {
  /** Capacity in bits/s as a function of time. */
  capacity: (t: number) => number;
  kind: 'queue' | 'policer';
  maxQueueMs?: number;
  /** Random loss share independent of the rate (0..1). */
  randomLoss?: number;
}

interface Sim {
  est: BandwidthEstimator;
  /** [time ms, estimate] every feedback. */
  trace: Array<[number, number]>;
  /** The feedback times at which the estimator called the link congested. */
  congestedAt: number[];
}

const PROPAGATION_MS = 20;
const FEEDBACK_MS = 100;

/** Seeded PRNG (mulberry32) so the random-loss case is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs for durationMs. The sender sends 1,200-byte packets paced at `rate(estimate)` (an elastic
 * sender follows the estimate; a layer sends its own rate whatever the estimate).
 */
function simulate(link: Link, rate: (estimateBps: number, t: number) => number, durationMs: number, est = new BandwidthEstimator()): Sim {
  const random = rng(7);
  const size = 1200;
  const pending: TwccPacket[] = [];
  const trace: Array<[number, number]> = [];
  const congestedAt: number[] = [];
  let seq = 0;
  let nextSend = 0;
  let queueFreeAt = 0;
  let tokens = 0;
  let tokensAt = 0;
  let nextFeedback = FEEDBACK_MS;
  for (let t = 0; t < durationMs; t += 1) {
    while (nextSend <= t) {
      const cap = link.capacity(nextSend);
      let arrival: number | null;
      if (link.kind === 'queue') {
        const start = Math.max(nextSend, queueFreeAt);
        const wait = start - nextSend;
        if (wait > (link.maxQueueMs ?? 300)) arrival = null;
        else {
          queueFreeAt = start + (size * 8 * 1000) / cap;
          arrival = queueFreeAt + PROPAGATION_MS;
        }
      } else {
        // Token bucket in bytes, burst of 10 packets.
        tokens = Math.min(10 * size, tokens + ((nextSend - tokensAt) * cap) / 8 / 1000);
        tokensAt = nextSend;
        if (tokens >= size) {
          tokens -= size;
          arrival = nextSend + PROPAGATION_MS;
        } else arrival = null;
      }
      if (arrival !== null && link.randomLoss && random() < link.randomLoss) arrival = null;
      pending.push({ seq: seq++, sendMs: nextSend, size, arrivalMs: arrival });
      nextSend += (size * 8 * 1000) / Math.max(10_000, rate(est.bps, nextSend));
    }
    if (t >= nextFeedback) {
      nextFeedback += FEEDBACK_MS;
      // The receiver reports what has arrived by now, and as lost what should have.
      const batch: TwccPacket[] = [];
      while (pending.length > 0) {
        const p = pending[0]!;
        const due = p.arrivalMs ?? p.sendMs + PROPAGATION_MS + 50;
        if (due > t - PROPAGATION_MS) break;
        batch.push(pending.shift()!);
      }
      est.onTwcc(batch, t);
      trace.push([t, est.bps]);
      if (est.congested(t)) congestedAt.push(t);
    }
  }
  return { est, trace, congestedAt };
}

const between = (trace: Array<[number, number]>, from: number, to: number): number[] => trace.filter(([t]) => t >= from && t < to).map(([, b]) => b);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('BandwidthEstimator (synthetic transport-cc feedback)', () => {
  it('a 500 kbit/s queue: an elastic sender settles under it within a few seconds', () => {
    const { trace } = simulate({ kind: 'queue', capacity: () => 500_000 }, (e) => e, 20_000);
    const firstUnder = trace.find(([, b]) => b < 500_000);
    expect(firstUnder?.[0]).toBeLessThan(4000);
    const settled = between(trace, 5000, 20_000);
    expect(mean(settled)).toBeLessThan(500_000);
    expect(mean(settled)).toBeGreaterThan(250_000);
  });

  it('a 500 kbit/s policer: a 1.2 Mbit/s layer brings the estimate under the cap within 3 s, without collapsing it', () => {
    const { trace, est } = simulate({ kind: 'policer', capacity: () => 500_000 }, () => 1_200_000, 10_000);
    const firstUnder = trace.find(([, b]) => b < 500_000);
    expect(firstUnder?.[0]).toBeLessThan(3000);
    expect(Math.max(...between(trace, 3000, 10_000))).toBeLessThan(500_000);
    expect(Math.min(...between(trace, 3000, 10_000))).toBeGreaterThan(300_000);
    expect(est.state().loss).toBeGreaterThan(0.3);
  });

  it('the cap lifts: the estimate climbs back over 1.2 Mbit/s within 15 s', () => {
    const liftAt = 10_000;
    const { trace } = simulate({ kind: 'queue', capacity: (t) => (t < liftAt ? 500_000 : 5_000_000) }, (e) => e, 30_000);
    expect(mean(between(trace, 6000, liftAt))).toBeLessThan(500_000);
    const back = trace.find(([t, b]) => t >= liftAt && b > 1_200_000);
    expect(back).toBeDefined();
    expect(back![0] - liftAt).toBeLessThan(15_000);
  });

  it('a policer lifts: a sender that follows the estimate climbs back over 1.2 Mbit/s within 15 s', () => {
    const liftAt = 10_000;
    const { trace } = simulate({ kind: 'policer', capacity: (t) => (t < liftAt ? 500_000 : 5_000_000) }, (e) => e, 30_000);
    // A policer shows no delay, and loss between 2 and 10 % climbs (a forwarder's lossy hop):
    // a sender that follows the estimate sits at the policer's edge, up to ~11 % over the cap,
    // cut each time its loss passes 10 %.
    expect(mean(between(trace, 5000, liftAt))).toBeLessThan(1.12 * 500_000);
    const back = trace.find(([t, b]) => t >= liftAt && b > 1_200_000);
    expect(back).toBeDefined();
    expect(back![0] - liftAt).toBeLessThan(15_000);
    // It climbs: no jump from under the cap to the ceiling in one step.
    const after = between(trace, liftAt, liftAt + 2000);
    expect(Math.max(...after)).toBeLessThan(1_000_000);
  });

  it('random 3 % loss without delay growth does not collapse it', () => {
    const { trace, est } = simulate({ kind: 'queue', capacity: () => 5_000_000, randomLoss: 0.03 }, () => 1_200_000, 20_000);
    expect(Math.min(...between(trace, 2000, 20_000))).toBeGreaterThan(1_200_000);
    expect(est.state().loss).toBeGreaterThan(0.005);
    expect(est.state().usage).toBe('normal');
  });

  it('random 3 % loss under a layer above the start estimate: it climbs over the layer and the link is not congested', () => {
    // A forwarder cannot probe with its own rate: GCC §6's hold between 2 and 10 % would pin the
    // estimate at its 1.5 Mbit/s start, under this 2.5 Mbit/s layer, and back retransmission off.
    const { trace, est } = simulate({ kind: 'queue', capacity: () => 10_000_000, randomLoss: 0.03 }, () => 2_500_000, 20_000);
    expect(Math.min(...between(trace, 10_000, 20_000))).toBeGreaterThan(2_500_000 / 0.9);
    expect(est.state().loss).toBeGreaterThan(0.005);
    expect(est.congested(20_000)).toBe(false);
  });

  it('a policer under the layer is congestion: loss over 10 % marks the link congested', () => {
    const { est } = simulate({ kind: 'policer', capacity: () => 500_000 }, () => 1_200_000, 5000);
    expect(est.congested(5000)).toBe(true);
    expect(est.congested(5000 + 2500)).toBe(false);
  });

  it('a queue that fills is congestion: the delay-based cut marks the link congested, with no loss', () => {
    // A deep queue (2 s) loses nothing in 4 s: the delay-based detector alone calls it.
    const { trace, est, congestedAt } = simulate({ kind: 'queue', capacity: () => 500_000, maxQueueMs: 2000 }, (e) => e, 4000);
    expect(trace.find(([, b]) => b < 500_000)).toBeDefined();
    expect(est.state().loss).toBe(0);
    expect(congestedAt.length).toBeGreaterThan(0);
  });

  it('random 3 % loss on a link with room is never called congestion', () => {
    const { congestedAt } = simulate({ kind: 'queue', capacity: () => 10_000_000, randomLoss: 0.03 }, () => 1_200_000, 20_000);
    expect(congestedAt).toEqual([]);
  });

  it('a transient delay spike cuts it, and it rejoins the rate that keeps arriving within a second', () => {
    // 2 Mbit/s of 1,200-byte packets (one per 4.8 ms) on a link with room; from 3.0 to 3.4 s a
    // queue builds to 120 ms (a burst, a receiver's scheduling jitter) and drains at once.
    const est = new BandwidthEstimator();
    const gap = (1200 * 8 * 1000) / 2_000_000;
    let seq = 0;
    let cutAt = -1;
    let back = -1;
    let before = 0;
    for (let t = 100; t <= 8000; t += 100) {
      const batch: TwccPacket[] = [];
      for (let send = t - 100; send < t; send += gap) {
        const spike = send >= 3000 && send < 3400 ? ((send - 3000) / 400) * 120 : 0;
        batch.push({ seq: seq++, sendMs: send, size: 1200, arrivalMs: send + 20 + spike });
      }
      est.onTwcc(batch, t + 20);
      if (t < 3000) before = est.bps;
      else if (cutAt < 0 && est.bps < 1_800_000) cutAt = t;
      if (cutAt > 0 && back < 0 && est.bps >= 0.95 * 2_000_000) back = t;
    }
    expect(before).toBeGreaterThanOrEqual(0.95 * 2_000_000);
    expect(cutAt).toBeGreaterThan(3000);
    expect(back).toBeGreaterThan(cutAt);
    expect(back - cutAt).toBeLessThanOrEqual(1000);
  });

  it('heavy random loss (20 %) brings it down, but not below what still arrives', () => {
    const { trace } = simulate({ kind: 'queue', capacity: () => 5_000_000, randomLoss: 0.2 }, () => 1_000_000, 10_000);
    const late = between(trace, 5000, 10_000);
    expect(Math.max(...late)).toBeLessThan(1_000_000);
    expect(Math.min(...late)).toBeGreaterThan(0.85 * 0.8 * 1_000_000 * 0.9);
  });

  it('REMB only: the estimate is the REMB, source remb; receiver-report loss lowers it', () => {
    const est = new BandwidthEstimator();
    est.onRemb(800_000, 0);
    expect(est.source).toBe('remb');
    expect(est.bps).toBe(800_000);
    est.onReportLoss(0.01, 1000);
    expect(est.bps).toBe(800_000);
    est.onReportLoss(0.4, 2000);
    expect(est.bps).toBeLessThan(800_000);
    expect(est.source).toBe('remb');
  });

  it('receiver-report loss alone: source loss, decreases above 10 %, grows under 2 %', () => {
    const est = new BandwidthEstimator({ initialBps: 1_000_000 });
    est.onReportLoss(0.3, 0);
    expect(est.source).toBe('loss');
    expect(est.bps).toBe(850_000);
    est.onReportLoss(0.05, 1000);
    expect(est.bps).toBe(850_000);
    est.onReportLoss(0, 2000);
    expect(est.bps).toBeGreaterThan(850_000);
  });

  it('transport-cc takes over from REMB and a packet reported twice counts once', () => {
    const est = new BandwidthEstimator();
    est.onRemb(300_000, 0);
    expect(est.source).toBe('remb');
    const batch: TwccPacket[] = [];
    for (let i = 0; i < 30; i++) batch.push({ seq: i, sendMs: i * 10, size: 1200, arrivalMs: i === 5 ? null : 20 + i * 10 });
    est.onTwcc(batch, 400);
    expect(est.source).toBe('twcc');
    // seq 5 arrives late and is reported again, beside 20 new packets: 1 lost of 50.
    const more: TwccPacket[] = [{ seq: 5, sendMs: 50, size: 1200, arrivalMs: 75 }];
    for (let i = 30; i < 50; i++) more.push({ seq: i, sendMs: i * 10, size: 1200, arrivalMs: 20 + i * 10 });
    est.onTwcc(more, 800);
    expect(est.state().loss).toBeCloseTo(1 / 50, 5);
    // A later REMB does not take the estimate back while feedback flows.
    est.onRemb(100_000, 600);
    expect(est.source).toBe('twcc');
  });
});

describe('retransmitShareFor', () => {
  it('on a congested link: keeps the configured share until 0.8 x the estimate, then falls to 0.05 at the estimate', () => {
    expect(retransmitShareFor(0.25, 500_000, 1_000_000, true)).toBe(0.25);
    expect(retransmitShareFor(0.25, 800_000, 1_000_000, true)).toBe(0.25);
    expect(retransmitShareFor(0.25, 900_000, 1_000_000, true)).toBeCloseTo(0.15, 5);
    expect(retransmitShareFor(0.25, 1_000_000, 1_000_000, true)).toBe(0.05);
    expect(retransmitShareFor(0.25, 3_000_000, 1_000_000, true)).toBe(0.05);
    // No estimate or no measurement: unchanged. A share already below the floor stays.
    expect(retransmitShareFor(0.25, 3_000_000, 0, true)).toBe(0.25);
    expect(retransmitShareFor(0.01, 3_000_000, 1_000_000, true)).toBe(0.01);
  });

  it('without congestion (random loss on a link with room) the configured share applies at any ratio', () => {
    expect(retransmitShareFor(0.25, 3_000_000, 1_000_000, false)).toBe(0.25);
    expect(retransmitShareFor(0.25, 1_000_000, 1_000_000, false)).toBe(0.25);
  });
});
