import { afterEach, describe, expect, it } from 'vitest';
import { holdLoopStall, LOOP_SETTLE_MS, LOOP_STALL_MS, LOOP_TICK_MS, LoopStall, loopStallHolders } from '../../src/engine/LoopStall.js';
import { TwccRecorder } from '../../src/engine/TwccRecorder.js';
import { decodeTwccFeedback } from '../support/twccDecode.js';

// Issue 20: arrivals the origin stamps on its JS thread after an event-loop stall are spread over
// the stall (docs/abr.md "Publishers: stalls of the origin's loop"), and only then.

const TWCC_ID = 3;

/** An RTP packet with the transport-wide sequence number (one-byte form, RFC 8285 §4.2). */
function rtp(twccSeq: number): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x90;
  head[1] = 96;
  head.writeUInt16BE(twccSeq, 2);
  head.writeUInt32BE(0xaaaa, 8);
  const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, (TWCC_ID << 4) | 1, twccSeq >> 8, twccSeq & 0xff, 0]);
  return Buffer.concat([head, ext, Buffer.alloc(100)]);
}

/** A LoopStall on a fake clock, and a recorder reading it; tick(to) turns the timer on time up to `to`. */
function fixture() {
  let now = 0;
  const loop = new LoopStall(() => now, LOOP_TICK_MS);
  const counted = { feedback: 0, arrivals: 0 };
  const r = new TwccRecorder({
    extId: TWCC_ID,
    senderSsrc: 1,
    send: () => true,
    stall: loop,
    onStallAdjusted: (f, a) => {
      counted.feedback += f;
      counted.arrivals += a;
    },
  });
  let lastTurn = 0;
  const tick = (to: number): void => {
    for (let t = lastTurn + LOOP_TICK_MS; t <= to; t += LOOP_TICK_MS) {
      now = t;
      loop.turn(t);
      lastTurn = t;
    }
    now = to;
  };
  /** The loop comes back at `at` (the timer turns late, once). */
  const lateTurn = (at: number): void => {
    now = at;
    loop.turn(at);
    lastTurn = at;
  };
  const deliver = (seq: number, at: number): void => {
    now = at;
    r.onRtp(rtp(seq), at);
  };
  /** Arrival (ms) by sequence number from the feedback sent now; null: reported lost. */
  const report = (): Map<number, number | null> => {
    const out = new Map<number, number | null>();
    for (const p of r.feedback()) for (const s of decodeTwccFeedback(p).packets) out.set(s.seq, s.arrivalUs === null ? null : s.arrivalUs / 1000);
    return out;
  };
  return { loop, r, counted, tick, lateTurn, deliver, report };
}

/** The reported arrival, within the 250 µs grid of the feedback (§3.1.5). */
const near = (got: number | null | undefined, want: number): void => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(0.25);
};

describe('LoopStall', () => {
  afterEach(() => expect(loopStallHolders()).toEqual({ holders: 0, running: false }));

  it('sees no stall while the timer turns on time, or late by less than the threshold', () => {
    let now = 0;
    const loop = new LoopStall(() => now, LOOP_TICK_MS);
    for (now = 10; now <= 1000; now += 10) loop.turn(now);
    now = 1000 + LOOP_TICK_MS + LOOP_STALL_MS - 5; // late, under load, but not a stall
    expect(loop.stallStartFor(now)).toBeNaN();
    loop.turn(now);
    expect(loop.stallStartFor(now + 1)).toBeNaN();
    expect(loop.stalls).toBe(0);
  });

  it('says a stamp comes from a stall while the loop catches up and just after, with its start', () => {
    let now = 0;
    const loop = new LoopStall(() => now, LOOP_TICK_MS);
    for (now = 10; now <= 500; now += 10) loop.turn(now);
    // Blocked from just after 500 to 700: a callback runs before the timer's late turn.
    expect(loop.stallStartFor(700)).toBe(500);
    loop.turn(701);
    expect(loop.stalls).toBe(1);
    // Delivered in the moments after the late turn: queued during the stall.
    expect(loop.stallStartFor(701 + LOOP_SETTLE_MS)).toBe(500);
    expect(loop.stallStartFor(701 + LOOP_SETTLE_MS + 1)).toBeNaN();
    loop.turn(711);
    expect(loop.stallStartFor(715)).toBeNaN();
    expect(loop.stalls).toBe(1);
  });

  it('runs the shared timer while held, sees a real block of the loop, and stops with the last holder', async () => {
    const a = holdLoopStall();
    const b = holdLoopStall();
    expect(loopStallHolders()).toEqual({ holders: 2, running: true });
    await new Promise((r) => setTimeout(r, 3 * LOOP_TICK_MS));
    const from = performance.now();
    while (performance.now() - from < 120) {
      // Blocks this thread as a GC or a burst of work would.
    }
    const start = a.monitor.stallStartFor(performance.now());
    expect(start).toBeLessThanOrEqual(from + 1);
    expect(start).toBeGreaterThan(from - 5 * LOOP_TICK_MS);
    a.release();
    a.release(); // once only
    expect(loopStallHolders()).toEqual({ holders: 1, running: true });
    b.release();
  });
});

describe('TwccRecorder across an event-loop stall', () => {
  it('spreads a burst delivered after a 200 ms stall over the stall, in sequence order, the last keeping its stamp', () => {
    const f = fixture();
    // 90 packets a second (three layers at 30 fps): three every 33 ms, 1 ms apart (the pacer).
    let seq = 0;
    for (let t = 100; t < 500; t += 33) {
      f.tick(t);
      for (let k = 0; k < 3; k++) f.deliver(seq++, t + k);
    }
    const lastBefore = 496 + 2; // the last packet before the stall: 100 + 12·33 + 2
    f.tick(500);
    // Stalled from 500 to 700: 18 packets arrived at the socket meanwhile; one of them (the
    // 7th) never did. The callbacks deliver them back to back at 700.1 …, before the timer's
    // late turn (and two after it, within the settle time).
    const burst: number[] = [];
    for (let i = 0; i < 18; i++) burst.push(seq++);
    const lost = burst[6]!;
    const delivered = burst.filter((s) => s !== lost);
    delivered.slice(0, 15).forEach((s, i) => f.deliver(s, 700.1 + i * 0.02));
    f.lateTurn(701);
    f.deliver(delivered[15]!, 702);
    f.deliver(delivered[16]!, 703);
    // Then the loop runs on time again.
    f.tick(733);
    const after = seq;
    for (let k = 0; k < 3; k++) f.deliver(seq++, 733 + k);

    const got = f.report();
    // Before the stall and after it: the stamps as taken.
    for (let s = 0; s < burst[0]!; s++) near(got.get(s), 100 + Math.floor(s / 3) * 33 + (s % 3));
    for (let k = 0; k < 3; k++) near(got.get(after + k), 733 + k);
    // The burst: spread over (500, 703], evenly in sequence order; the lost one stays lost.
    expect(got.get(lost)).toBeNull();
    const from = Math.max(lastBefore, 500);
    delivered.forEach((s, k) => near(got.get(s), from + ((703 - from) * (k + 1)) / delivered.length));
    // No 200 ms jump: the largest gap between received packets is a frame's, not the stall.
    const times = [...got.entries()].filter(([, a]) => a !== null).sort(([a], [b]) => a - b);
    const gaps = times.slice(1).map(([, a], i) => a! - times[i]![1]!);
    expect(Math.max(...gaps)).toBeLessThan(35);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0);
    // All but the last, which keeps its stamp.
    expect(f.counted).toEqual({ feedback: 1, arrivals: delivered.length - 1 });
    expect(f.r.stallAdjusted).toBe(delivered.length - 1);
  });

  it('keeps the real stamps of a pacer burst and of a pause when the loop was not stalled', () => {
    const f = fixture();
    let seq = 0;
    f.tick(100);
    for (let k = 0; k < 3; k++) f.deliver(seq++, 100 + k);
    // The sender paused 200 ms (the loop turning all along), then its pacer sent 20 packets 0.3 ms apart.
    f.tick(300);
    for (let k = 0; k < 20; k++) f.deliver(seq++, 300.5 + k * 0.3);
    const got = f.report();
    for (let k = 0; k < 3; k++) near(got.get(k), 100 + k);
    for (let k = 0; k < 20; k++) near(got.get(3 + k), 300.5 + k * 0.3);
    expect(f.counted).toEqual({ feedback: 0, arrivals: 0 });
  });

  it('reports a burst as far as it got when feedback comes in the middle, and spreads the rest from there', () => {
    const f = fixture();
    f.tick(100);
    f.deliver(0, 100);
    f.tick(110);
    // Stalled 110 → 310; four packets delivered, feedback, then four more, all before the late turn.
    for (let k = 0; k < 4; k++) f.deliver(1 + k, 310 + k * 0.1);
    const first = f.report();
    for (let k = 0; k < 4; k++) near(first.get(1 + k), 110 + (200.3 * (k + 1)) / 4);
    for (let k = 0; k < 4; k++) f.deliver(5 + k, 311 + k * 0.1);
    const second = f.report();
    expect([...second.keys()]).toEqual([5, 6, 7, 8]);
    // From the last arrival stamped (310.3), not from the stall's start: never before what was reported.
    for (let k = 0; k < 4; k++) near(second.get(5 + k), 310.3 + (1 * (k + 1)) / 4);
    expect(f.counted).toEqual({ feedback: 2, arrivals: 6 });
  });

  it('counts the statuses it sent as not received, and the packets that arrived after', () => {
    const r = new TwccRecorder({ extId: TWCC_ID, senderSsrc: 1, send: () => true });
    for (const seq of [0, 1, 3, 5]) r.onRtp(rtp(seq), 100 + seq);
    r.feedback();
    expect([r.reportedLost, r.arrivedAfterLost]).toEqual([2, 0]);
    r.onRtp(rtp(2), 120); // late: reported again from 2, with 4 still missing
    r.feedback();
    expect([r.reportedLost, r.arrivedAfterLost]).toEqual([3, 1]);
  });

  it('reports the arrivals of packets past its history ring, not those of the packets a ring before', () => {
    const r = new TwccRecorder({ extId: TWCC_ID, senderSsrc: 1, send: () => true });
    let got: Array<number | null> = [];
    // 20,000 packets (over two rings of 8,192) at 7 ms, feedback every 10.
    for (let i = 0; i < 20_000; i++) {
      r.onRtp(rtp(i & 0xffff), 1000 + i * 7);
      if (i % 10 === 9) got = r.feedback().flatMap((p) => decodeTwccFeedback(p).packets.map((x) => (x.arrivalUs === null ? null : x.arrivalUs / 1000)));
    }
    expect(got).toEqual(Array.from({ length: 10 }, (_, k) => 1000 + (19_990 + k) * 7));
    expect(r.reportedLost).toBe(0);
  });

  it('records stamps as taken with no stall clock', () => {
    const r = new TwccRecorder({ extId: TWCC_ID, senderSsrc: 1, send: () => true });
    r.onRtp(rtp(0), 100);
    r.onRtp(rtp(1), 300);
    const d = decodeTwccFeedback(r.feedback()[0]!);
    expect(d.packets.map((p) => p.arrivalUs! / 1000)).toEqual([100, 300]);
    expect(r.stallAdjusted).toBe(0);
  });
});
