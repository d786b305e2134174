import { describe, expect, it } from 'vitest';
import { PeerBandwidth } from '../../src/engine/PeerBandwidth.js';
import type { BandwidthReport } from '../../src/engine/engine.js';
import type { TwccPacket } from '../../src/media/BandwidthEstimator.js';
import { LayerChooser } from '../../src/media/LayerChoice.js';
import { ProbeControl, type ProbePolicy } from '../../src/media/ProbeControl.js';
import type { ProbeRequest } from '../../src/media/ProbeEstimator.js';

// The whole probing loop in simulated time (docs/abr.md "Probing"): a viewer's layer choice
// (LayerChooser + ProbeControl), its estimate (PeerBandwidth: BandwidthEstimator and
// ProbeEstimator), a sender that sends the chosen layer and, during a train, tops it up with
// padding in 50 ms clusters as native/src/probe.cc does, and a policer as nftables' `limit rate
// over N kbytes/second drop` is: a token bucket of one second of tokens, which drops and never
// delays. Feedback every 100 ms. Layers as the bench measures them: 120, 350 and 700 kbit/s.

const LAYERS = [120_000, 350_000, 700_000];
const PROPAGATION_MS = 20;
const FEEDBACK_MS = 100;
const MEDIA_BYTES = 1000;
/** Probe packets are RTX copies of recent media (native/src/probe.cc), as big as the media. */
const PROBE_BYTES = MEDIA_BYTES;

interface Run {
  /** [t, layer] whenever the target layer changed. */
  layers: Array<[number, number]>;
  /** Estimates reported, [t, bps]. */
  estimates: Array<[number, number]>;
  trains: ProbeRequest[];
  trainStarts: number[];
  lost: number;
  /** Media packets lost (not padding). */
  mediaLost: number;
  /** Trains the data plane's rule stopped. */
  aborts: number;
}

/**
 * The data plane's abort rule (native/src/probe.cc probeOnFeedback), loss half: at least `lost`
 * of the last `window` packets of the train reported were lost.
 */
function lossAbort(bits: boolean[], a: { lost: number; window: number }): boolean {
  const recent = bits.slice(-a.window);
  return recent.filter((x) => x).length >= a.lost;
}

function run(opts: {
  capBps: (t: number) => number;
  durationMs: number;
  probes: boolean;
  start?: number;
  /** Apply the data plane's abort rule (ProbeRequest.abort) on each feedback; false: only JavaScript stops trains. */
  nativeAbort?: boolean;
  policy?: ProbePolicy;
  /**
   * The layers' rates as the chooser measures them at a time (default LAYERS): a relay measures
   * each over the last second, which swings with the keyframes in it; what is sent stays LAYERS.
   */
  measured?: (t: number) => number[];
}): Run {
  const layers: Array<[number, number]> = [];
  const estimates: Array<[number, number]> = [];
  const trains: ProbeRequest[] = [];
  const trainStarts: number[] = [];
  // Assigned in callbacks: typed by assertion so control flow does not narrow it to null.
  let train = null as {
    req: ProbeRequest;
    end: number;
    cluster: number;
    clusterStart: number;
    firstSeq: number;
    bytesAtStart: number;
    packets: number;
    trainFirstSeq: number;
    lossBits: boolean[];
  } | null;
  let current = opts.start ?? 1;
  const chooser = new LayerChooser(current, 0);
  let now = 0;
  const pb: PeerBandwidth = new PeerBandwidth(
    {
      onBandwidth: (e: BandwidthReport) => {
        estimates.push([now, e.bps]);
        if (e.probe) chooser.probes?.onOutcome(e.probe, now);
        current = chooser.update(opts.measured?.(now) ?? LAYERS, e.bps, now, e.congested);
      },
    },
    () => {
      if (train) closeCluster(true);
    },
  );
  if (opts.probes)
    chooser.probes = new ProbeControl((req) => {
      trains.push(req);
      trainStarts.push(now);
      train = { req, end: now + req.durationMs, cluster: 0, clusterStart: now, firstSeq: -1, bytesAtStart: 0, packets: 0, trainFirstSeq: seq, lossBits: [] };
      pb.onTrainStarted(req, now);
      return true;
    }, opts.policy);
  let seq = 0;
  let bytes = 0;
  let tokens = 0;
  let tokensAt = 0;
  let mediaDue = 0;
  let lost = 0;
  let mediaLost = 0;
  let aborts = 0;
  const pending: TwccPacket[] = [];
  const closeCluster = (last: boolean, aborted?: 'loss'): void => {
    const t = train!;
    if (t.cluster > 0 && seq > t.firstSeq)
      pb.onCluster(
        {
          train: t.req.id,
          cluster: t.cluster,
          firstSeq: t.firstSeq,
          lastSeq: seq - 1,
          bytes: bytes - t.bytesAtStart,
          padding: t.packets,
          startMs: t.clusterStart,
          endMs: now,
          last,
          ...(aborted ? { aborted } : {}),
        },
        now,
      );
    if (last) train = null;
  };
  const send = (size: number, padding: boolean): void => {
    const cap = opts.capBps(now);
    tokens = Math.min(cap / 8, tokens + ((now - tokensAt) * cap) / 8000); // one second of tokens
    tokensAt = now;
    let arrival: number | null = null;
    if (tokens >= size) {
      tokens -= size;
      arrival = now + PROPAGATION_MS;
    } else {
      lost++;
      if (!padding) mediaLost++;
    }
    pending.push({ seq: seq++, sendMs: now, size, arrivalMs: arrival });
    bytes += size;
  };
  let nextFeedback = FEEDBACK_MS;
  let nextTick = 1000;
  layers.push([0, current]);
  for (now = 0; now < opts.durationMs; now++) {
    mediaDue += LAYERS[current]! / 8000;
    while (mediaDue >= MEDIA_BYTES) {
      send(MEDIA_BYTES, false);
      mediaDue -= MEDIA_BYTES;
    }
    if (train) {
      const t = train;
      if (now >= t.end) closeCluster(true);
      else {
        if (t.cluster === 0 || (now - t.clusterStart >= t.req.clusterMs && seq - t.firstSeq >= 5)) {
          if (t.cluster > 0) closeCluster(false);
          t.cluster++;
          t.clusterStart = now;
          t.firstSeq = seq;
          t.bytesAtStart = bytes;
          t.packets = 0;
        }
        const due = (t.req.bps / 8000) * (now - t.clusterStart);
        for (let i = 0; i < 8 && (bytes - t.bytesAtStart < due + PROBE_BYTES || t.packets === 0); i++) {
          send(PROBE_BYTES, true);
          t.packets++;
        }
      }
    }
    if (now >= nextFeedback) {
      nextFeedback += FEEDBACK_MS;
      const batch: TwccPacket[] = [];
      while (pending.length > 0) {
        const p = pending[0]!;
        if ((p.arrivalMs ?? p.sendMs + PROPAGATION_MS + 30) > now - 5) break;
        batch.push(pending.shift()!);
      }
      // The receive thread sees the feedback first: the abort rule, then JavaScript.
      const t = train;
      const a = t?.req.abort;
      if (opts.nativeAbort && t && a) {
        for (const p of batch) {
          if (p.seq < t.trainFirstSeq) continue;
          t.lossBits.push(p.arrivalMs === null);
          if (lossAbort(t.lossBits, a)) {
            aborts++;
            closeCluster(true, 'loss');
            break;
          }
        }
      }
      pb.onTwcc(batch, now);
    }
    if (now >= nextTick) {
      nextTick += 1000;
      const est = pb.estimator.bps;
      current = chooser.update(opts.measured?.(now) ?? LAYERS, est, now, pb.estimator.congested(now));
    }
    if (layers[layers.length - 1]![1] !== current) layers.push([now, current]);
  }
  return { layers, estimates, trains, trainStarts, lost, mediaLost, aborts };
}

/** Milliseconds spent on layer `l` in [from, to). */
function timeOn(r: Run, l: number, from: number, to: number): number {
  let ms = 0;
  for (let i = 0; i < r.layers.length; i++) {
    const [t, layer] = r.layers[i]!;
    const end = i + 1 < r.layers.length ? r.layers[i + 1]![0] : to;
    if (layer === l) ms += Math.max(0, Math.min(end, to) - Math.max(t, from));
  }
  return ms;
}

describe('probing against a one-second token-bucket policer (simulated)', () => {
  it('under a 500 kbit/s cap, a viewer on the 350 kbit/s layer probes the 700 kbit/s one, never moves to it, and its estimate stays under what that layer needs', () => {
    const r = run({ capBps: () => 500_000, durationMs: 90_000, probes: true });
    expect(timeOn(r, 2, 0, 90_000)).toBe(0);
    expect(timeOn(r, 1, 5000, 90_000)).toBe(85_000);
    expect(r.trains.length).toBeGreaterThan(3);
    expect(r.trains.length).toBeLessThanOrEqual(1.5 * 8);
    // Without probing the estimate climbs past the cap; here failed trains keep it under what
    // the 700 kbit/s layer needs (700 / 0.9), and never under what the 350 kbit/s one needs.
    const late = r.estimates.filter(([t]) => t > 20_000).map(([, b]) => b);
    expect(Math.max(...late)).toBeLessThan(700_000 / 0.9);
    expect(Math.min(...late)).toBeGreaterThan(350_000 / 0.9);
    // What the failed trains cost the media: a few packets a train (NACK repairs those).
    expect(r.mediaLost / r.trains.length).toBeLessThan(10);
  });

  it('without probing the same viewer moves to the 700 kbit/s layer and back (what probing prevents)', () => {
    const r = run({ capBps: () => 500_000, durationMs: 90_000, probes: false });
    expect(timeOn(r, 2, 0, 90_000)).toBeGreaterThan(0);
  });

  it('with the data plane stopping failing trains, the capped viewer still never moves up, and its back-off holds trains for the top layer to 4, 8, 10, 10 s', () => {
    const r = run({ capBps: () => 500_000, durationMs: 90_000, probes: true, nativeAbort: true });
    expect(timeOn(r, 2, 0, 90_000)).toBe(0);
    expect(timeOn(r, 1, 5000, 90_000)).toBe(85_000);
    // Every failed train was stopped by the data plane's rule (none ran to its end).
    expect(r.aborts).toBe(r.trains.length);
    const starts = r.trainStarts;
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // The gap from one start to the next: the train until its abort, then the hold.
    for (const [i, hold] of [4000, 8000, 10_000, 10_000].entries()) {
      expect(gaps[i]!).toBeGreaterThanOrEqual(hold);
      expect(gaps[i]!).toBeLessThan(hold + 1600);
    }
  });

  it('a lifted cap at any moment of the back-off: back on the top layer within 13 s (the switch then waits for a keyframe)', () => {
    for (const [cap, start] of [
      [300_000, 0],
      [500_000, 1],
    ] as const) {
      let worst = 0;
      for (let lift = 40_000; lift < 60_000; lift += 1000) {
        const r = run({ capBps: (t) => (t < lift ? cap : 2_000_000), durationMs: lift + 30_000, probes: true, start, nativeAbort: true });
        expect(timeOn(r, 2, 0, lift)).toBe(0);
        const top = r.layers.find(([t, l]) => t >= lift && l === 2);
        expect(top).toBeDefined();
        worst = Math.max(worst, top![0] - lift);
      }
      expect(worst).toBeLessThan(13_000);
    }
  });

  it("the bench's varying viewer: from the top layer, 300 kbit/s for 40-60 s, then lifted, with the layers' measured rates swinging 30 % from one second to the next: back on the top layer within 13 s", () => {
    // A relay measures a layer over one second; with a keyframe in it (the origin asks each layer
    // for one every 2 s) the rate is 20-40 % over the mean, without one under it. Before the
    // trains named their layer by index, this swing made every other failure a new streak (trains
    // every 5 s under the cap) and a pass for a layer measured lower than now not a pass; the
    // failures spent the per-minute budget, and after the lift the viewer waited for it: back on
    // the top layer 14-32 s after the lift (the bench: 27.6 s in run J, docs/abr.md).
    const measured = (t: number): number[] => {
      const k = Math.floor(t / 1000) % 2 === 0 ? 1.3 : 0.82;
      return LAYERS.map((r) => r * k);
    };
    let worst = 0;
    for (let lift = 80_000; lift < 100_000; lift += 1000) {
      const r = run({
        capBps: (t) => (t < 40_000 || t >= lift ? 2_000_000 : 300_000),
        durationMs: lift + 30_000,
        probes: true,
        start: 2,
        nativeAbort: true,
        measured,
      });
      // Under the cap it left the top layer and never went back to it before the lift.
      const off = r.layers.find(([t, l]) => t >= 40_000 && l < 2);
      expect(off).toBeDefined();
      expect(off![0] - 40_000).toBeLessThan(5000);
      expect(timeOn(r, 2, 45_000, lift)).toBe(0);
      // Failed trains under the cap: the back-off holds them 4, 8, 8 s apart (at most 8 in 40 s).
      expect(r.trainStarts.filter((t) => t >= 40_000 && t < 80_000).length).toBeLessThanOrEqual(8);
      const top = r.layers.find(([t, l]) => t >= lift && l === 2);
      expect(top).toBeDefined();
      worst = Math.max(worst, top![0] - lift);
    }
    expect(worst).toBeLessThan(13_000);
  });

  it('after the cap lifts, probes take it back to the top layer within 15 s', () => {
    const lift = 40_000;
    const r = run({ capBps: (t) => (t < lift ? 300_000 : 2_000_000), durationMs: 70_000, probes: true, start: 0 });
    expect(timeOn(r, 1, 0, lift) + timeOn(r, 2, 0, lift)).toBe(0);
    const top = r.layers.find(([t, l]) => t >= lift && l === 2);
    expect(top).toBeDefined();
    expect(top![0] - lift).toBeLessThan(15_000);
    expect(timeOn(r, 2, top![0], 70_000)).toBe(70_000 - top![0]);
  });
});
