// When to probe before a viewer moves up a simulcast layer, and at what rate (issue 20,
// docs/abr.md "Probing"): the deciding half of bandwidth probing, used by LayerChooser
// (LayerChoice.ts). The model is libwebrtc's ProbeController: probe when more rate is wanted
// (there: a higher allocation; here: the layer above), at a bit more than that rate; after a
// probe that passed, probe the next step at once ("further probing"); never while the link is
// congested; within a budget. The engines send the trains (RTX copies of recent media, RFC 4588,
// or padding-only RTP, RFC 3550 §5.1, on the RTX SSRC) and measure them: the native data plane
// numbers them for transport-cc (ProbeEstimator.ts); node-datachannel cannot, and judges them by
// the viewer's NACKs (ProbeLoss.ts), with the same abort rule (PROBE_POLICY.abort).
//
// Trains, not single clusters: a policer is a token bucket, and nftables' `limit rate over N
// kbytes/second` without `burst` holds one second of tokens (N kbytes; the kernel's
// nft_limit_init: tokens_max = unit x (rate + burst) / rate). A viewer on a layer under its cap
// keeps that bucket full, so a 50 ms cluster at any rate passes untouched and says nothing about
// the cap. A train at rate r drains a one-second bucket of a cap c in c / (r - c) seconds; at
// 1.5 x the layer's rate L for 1.5 s it does so whenever L >= 1.11 c (the bench's 700 kbit/s top
// layer against 500 kbit/s: 0.9 s; its 350 kbit/s mid layer against 300 kbit/s: 1.3 s), where
// 1.2 x L would need 1.4 s and 2.3 s. The first cluster the viewer then receives slower than sent
// fails the train and stops it, so a capped link loses only about a cluster and a feedback
// interval's excess. A layer within 11 % over a cap can pass and then fail after the move: the
// move down that follows counts as a failed train (onMoveDown).

import type { ProbeAbort, ProbeOutcome, ProbeRequest } from './ProbeEstimator.js';

export interface ProbePolicy {
  /**
   * A train for a layer of rate r is sent at r x this (libwebrtc probes over its target: 1.x its
   * allocation, 2-6 x at the start; 1.5 here so a train drains a policer's one-second bucket).
   */
  rateFactor: number;
  /**
   * It passes when every cluster reached r / this: the layer then fits under the estimate the
   * probe leaves (the layer choice moves down when a layer exceeds 0.9 x the estimate).
   */
  passShare: number;
  /** A train's length and its clusters' (libwebrtc: clusters of >= 15 ms and >= 5 packets). */
  trainMs: number;
  clusterMs: number;
  /** No train sooner than this after the last verdict. */
  minGapMs: number;
  /**
   * After a failed train, the next one waits this long, doubling with each failure in a row for
   * the same layer (within sameShare of its rate) while neither the estimate nor the rate the
   * failures measured rises by more than sameShare, up to maxRetryMs; a failure for another
   * layer, or after such a rise, starts again at retryMs. maxRetryMs bounds how long a lifted cap
   * goes unnoticed (issue 20: back on the top layer within 15 s of the lift; docs/abr.md): a
   * viewer two layers under the top needs two trains and two keyframes after the lift, one a
   * layer under it one of each, so the hold for a train for the top layer may be longer
   * (maxRetryTopMs). Simulated worst cases, the lift at any moment of the hold
   * (test/unit/probe-sim.test.ts): 8 s two layers under the top is back in 12.6 s, 10 s a
   * layer under it in 11.8 s, before the keyframe the switch waits for (about 1 s in the bench).
   */
  retryMs: number;
  maxRetryMs: number;
  maxRetryTopMs: number;
  sameShare: number;
  /**
   * No train while this many failed in the last minute (a failed move up counts as one), whatever
   * else asks. Failures only: a failed train (or move up) costs the viewer media, a passed one
   * does not. Counting every train, a viewer whose trains had failed under a cap found the budget
   * spent when the cap lifted, and waited for it with nothing else to learn the lift from (its
   * estimate held by the last failure, docs/abr.md "Measured: back on the top layer after the lift").
   */
  perMinute: number;
  /** And at most this many trains of any verdict a minute (a safety net: passes that lead to no move up). */
  trainsPerMinute: number;
  /**
   * When the data plane stops a train on the viewer's feedback, before JavaScript sees it
   * (native/src/probe.h): a drained policer drops the media with the train, so every feedback
   * interval the train runs on costs the viewer packets. `lost` of the last `window` packets
   * rather than the first loss: random loss on a lossy hop would stop nearly every train on one
   * lost packet (a 1.5 s train at 1 Mbit/s is ~190 packets: 85 % of them at 1 % loss), where 4 of
   * 16 stop 0.06 % at 1 % and 4 % at 3 % (docs/abr.md); a policer drops about every other packet
   * once drained, so 4 of 16 come a few packets after the first.
   */
  abort: Readonly<ProbeAbort>;
  /** A passed train allows the move up this long. */
  passValidMs: number;
  /**
   * Below the top layer, probe the layer above at least this often, whatever the estimate says
   * (libwebrtc's periodic probing in ALR, every 5 s: a forwarder below its top layer sends less
   * than it could, and its estimate above what it sends is a guess that climbs only 8 %/s).
   */
  periodicMs: number;
}

export const PROBE_POLICY: Readonly<ProbePolicy> = Object.freeze({
  rateFactor: 1.5,
  passShare: 0.9,
  trainMs: 1500,
  clusterMs: 50,
  minGapMs: 1000,
  retryMs: 4000,
  maxRetryMs: 8000,
  maxRetryTopMs: 10_000,
  sameShare: 0.2,
  perMinute: 8,
  trainsPerMinute: 20,
  abort: Object.freeze({ lost: 4, window: 16, ratio: 0.67, spanMs: 150 }),
  passValidMs: 3000,
  periodicMs: 5000,
});

/** A train whose verdict has not come this long after it should have ended is forgotten. */
const VERDICT_GRACE_MS = 4000;

/** Failed trains in a row for one layer under one estimate: what the back-off doubles on. */
interface Streak {
  /** The layer (LayerChooser's index, lowest 0; null: not given, the rate tells layers apart) and its rate. */
  layer: number | null;
  layerBps: number;
  /** The layer is the stream's top one (its hold may be longer: maxRetryTopMs). */
  top: boolean;
  /** The estimate the last of them left: the larger of the estimate it was asked at and its measured rate (NaN: not given). */
  estimateBps: number;
  /** The highest rate they measured (null: none). */
  capBps: number | null;
  failures: number;
  lastAt: number;
}

/**
 * Whether two trains were for the same layer: by its index when both name one. A layer's rate as
 * the chooser measures it (one second of packets) swings by 20-40 % from one second to the next,
 * with a keyframe in the window or not (the origin asks each layer for one every 2 s), so
 * comparing rates took the same layer for another every other train: each failure began a new
 * streak at retryMs, the capped viewer probed every ~5 s instead of 8-10, and used up the budget
 * a lifted cap needed (docs/abr.md "Measured: back on the top layer after the lift").
 */
function sameLayer(a: { layer: number | null; layerBps: number }, layer: number | null, layerBps: number, share: number): boolean {
  if (a.layer !== null && layer !== null) return a.layer === layer;
  return !differs(a.layerBps, layerBps, share);
}

/** Whether a and b differ by more than share of the larger (NaN or null on either side: no). */
function differs(a: number | null, b: number | null, share: number): boolean {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) > share * Math.max(a, b);
}

/**
 * Whether `now` is clearly over `then` (by more than share of it; NaN or null: no). Only a rise
 * ends a streak: an estimate or a measured cap that fell says the link carries less, which is no
 * reason to probe sooner (and the first failure of a streak always lowers the estimate: the
 * failed train caps it, docs/abr.md "Probing").
 */
function rose(then: number | null, now: number | null, share: number): boolean {
  if (then === null || now === null || !Number.isFinite(then) || !Number.isFinite(now)) return false;
  return now > then * (1 + share);
}

/** One viewer's probing: the budget, the train in flight, the last verdict. */
export class ProbeControl {
  private nextId = 1;
  private inFlight: { id: number; layer: number | null; layerBps: number; estimateBps: number; top: boolean; startedAt: number } | null = null;
  private passedFor: { layer: number | null; layerBps: number; top: boolean; at: number } | null = null;
  private nextAllowedAt = -Infinity;
  private lastTrainAt = -Infinity;
  private streak: Streak | null = null;
  /** When each failed train began (the budget: failures cost the viewer media, passes do not), and when each train began. */
  private readonly failedStarts: number[] = [];
  private readonly starts: number[] = [];
  /** The last train failed: the estimate is capped at its result, so it is retried on a timer. */
  failed = false;
  /** The last train passed: the next layer up may be probed at once (libwebrtc's further probing). */
  passedLast = false;
  /** The last verdict: for which layer rate, passed or not, the rate it measured, when (for state and the abr bench's trace). */
  private lastVerdict: { layerBps: number; passed: boolean; bps: number | null; aborted: string | null; at: number } | null = null;
  /** Trains asked for, passed, failed; of those failed, stopped early by the data plane (and of those, for a slow receive rate). */
  readonly counts = { trains: 0, passed: 0, failed: 0, aborted: 0, abortedSlow: 0 };

  constructor(
    private readonly send: (req: ProbeRequest) => boolean,
    readonly policy: ProbePolicy = PROBE_POLICY,
  ) {}

  /** The hold after a streak's failures (retryMs, doubling, up to maxRetryMs or maxRetryTopMs). */
  private holdFor(s: Streak): number {
    const p = this.policy;
    return Math.min(s.top ? p.maxRetryTopMs : p.maxRetryMs, p.retryMs * 2 ** Math.max(0, s.failures - 1));
  }

  /** The wait after the last failure now (0: none failing). */
  get retryMs(): number {
    return this.failed && this.streak ? this.holdFor(this.streak) : 0;
  }

  /**
   * The layer above and the estimate now (LayerChooser, on every update). A streak is over when
   * the layer above clearly changed, or the estimate clearly rose: the stream or the link is not
   * what the failures measured, so the next train waits only retryMs after the last failure.
   */
  observe(layerBps: number, estimateBps: number, layer: number | null = null): void {
    const s = this.streak;
    if (!s) return;
    const share = this.policy.sameShare;
    if (sameLayer(s, layer, layerBps, share) && !rose(s.estimateBps, estimateBps, share)) return;
    this.streak = null;
    if (this.failed) this.nextAllowedAt = Math.min(this.nextAllowedAt, s.lastAt + this.policy.retryMs);
  }

  /** One more failure for a layer: the streak goes on (same layer, estimate and cap) or starts again. */
  private fail(layer: number | null, layerBps: number, top: boolean, estimateBps: number, capBps: number | null, nowMs: number): void {
    const s = this.streak;
    const share = this.policy.sameShare;
    // A failure's measured rate is compared with the most the streak has seen, measured or left as
    // the estimate: it restarts the streak only when it is clearly over all of that.
    const seen = s === null ? null : Math.max(s.capBps ?? 0, Number.isFinite(s.estimateBps) ? s.estimateBps : 0) || null;
    const same = s !== null && sameLayer(s, layer, layerBps, share) && !rose(s.estimateBps, estimateBps, share) && !rose(seen, capBps, share);
    this.streak = {
      layer,
      layerBps,
      top,
      estimateBps,
      // The highest rate the streak's failures measured: one failed train's rate under a policer
      // is noisy (what the bucket held as it drained; bench run abrlift-4 under 300 kbit/s: 268,
      // then 343 kbit/s), so compared with the last failure's alone, an ordinary one restarted
      // the streak; a cap that really rose measures over all of them.
      capBps: same && s.capBps !== null ? Math.max(s.capBps, capBps ?? 0) : capBps,
      failures: same ? s.failures + 1 : 1,
      lastAt: nowMs,
    };
    this.failed = true;
    this.passedLast = false;
    this.nextAllowedAt = Math.max(this.nextAllowedAt, nowMs + this.holdFor(this.streak));
  }

  get probing(): boolean {
    return this.inFlight !== null;
  }

  /**
   * Whether a train has shown, within passValidMs, that this layer fits (by its index when both
   * name one: its measured rate swings with keyframes, see sameLayer; else a layer of this rate).
   */
  passed(layerBps: number, nowMs: number, layer: number | null = null): boolean {
    const p = this.passedFor;
    if (p === null || nowMs - p.at > this.policy.passValidMs) return false;
    return p.layer !== null && layer !== null ? p.layer === layer : p.layerBps >= layerBps * 0.95;
  }

  /** Whether a train should be asked for now: a failure's retry, the step after a pass, or the periodic one. */
  due(nowMs: number): boolean {
    return nowMs >= this.nextAllowedAt && (this.failed || this.passedLast || nowMs - this.lastTrainAt >= this.policy.periodicMs);
  }

  /**
   * Sends a train for a layer of layerBps when the budget allows: none in flight, not congested,
   * the gap since the last verdict (longer after failures), at most perMinute failed trains and
   * trainsPerMinute trains in the last minute. True when one went out. estimateBps: the estimate now (a clear rise ends a
   * back-off streak); top: the layer is the stream's top one; layer: its index (LayerChooser's,
   * lowest 0), which tells layers apart better than their measured rates.
   */
  request(layerBps: number, nowMs: number, congested: boolean, estimateBps = NaN, top = false, layer: number | null = null): boolean {
    const p = this.policy;
    if (this.inFlight) {
      if (nowMs - this.inFlight.startedAt < p.trainMs + VERDICT_GRACE_MS) return false;
      this.inFlight = null; // no verdict came (the engine stopped reporting): forget it
    }
    this.observe(layerBps, estimateBps, layer);
    if (congested || !(layerBps > 0) || nowMs < this.nextAllowedAt) return false;
    while (this.failedStarts.length > 0 && nowMs - this.failedStarts[0]! >= 60_000) this.failedStarts.shift();
    while (this.starts.length > 0 && nowMs - this.starts[0]! >= 60_000) this.starts.shift();
    if (this.failedStarts.length >= p.perMinute || this.starts.length >= p.trainsPerMinute) return false;
    const req: ProbeRequest = {
      id: this.nextId++,
      bps: Math.round(layerBps * p.rateFactor),
      durationMs: p.trainMs,
      clusterMs: p.clusterMs,
      passBps: Math.round(layerBps / p.passShare),
      abort: { ...p.abort },
    };
    if (!this.send(req)) {
      // Not sent (the track is not open yet, the engine refused): try again after a gap.
      this.nextAllowedAt = nowMs + p.minGapMs;
      return false;
    }
    this.starts.push(nowMs);
    this.lastTrainAt = nowMs;
    this.counts.trains++;
    this.passedLast = false;
    this.inFlight = { id: req.id, layer, layerBps, estimateBps, top, startedAt: nowMs };
    return true;
  }

  /** A train's verdict (BandwidthReport.probe). */
  onOutcome(o: ProbeOutcome, nowMs: number): void {
    const t = this.inFlight;
    if (!t || o.id !== t.id) return;
    this.inFlight = null;
    this.lastVerdict = { layerBps: t.layerBps, passed: o.passed, bps: o.bps, aborted: o.aborted ?? null, at: nowMs };
    if (o.passed) {
      this.counts.passed++;
      this.passedFor = { layer: t.layer, layerBps: t.layerBps, top: t.top, at: nowMs };
      this.failed = false;
      this.passedLast = true;
      this.streak = null;
      this.nextAllowedAt = nowMs + this.policy.minGapMs;
      return;
    }
    this.counts.failed++;
    if (o.aborted) this.counts.aborted++;
    if (o.aborted === 'slow') this.counts.abortedSlow++;
    this.passedFor = null;
    this.nextAllowedAt = -Infinity;
    this.failedStarts.push(t.startedAt);
    // The streak's estimate is the one the failure left: a train that failed under a policer
    // measures what the bucket still held as it drained, often over the estimate it was asked at
    // (bench: asked at 304, measured 388 kbit/s under a 300 kbit/s cap), and the estimate becomes
    // that (PeerBandwidth.verdict). Compared with the estimate before the train, that was a "rise"
    // that ended the streak the failure had just begun: the next train 4 s later, again and again.
    const left = o.bps !== null && o.bps > t.estimateBps ? o.bps : t.estimateBps;
    this.fail(t.layer, t.layerBps, t.top, left, o.bps, nowMs);
  }

  /**
   * The viewer moved down: no further probing on the strength of an earlier pass; and when that
   * was soon after a move up (the layer did not fit after all, though a train passed: a deeper
   * bucket than the train drained), count it as a failed train.
   */
  onMoveDown(failedUp: boolean, nowMs: number): void {
    const up = this.passedFor;
    this.passedLast = false;
    this.passedFor = null;
    if (!failedUp) return;
    this.failedStarts.push(nowMs);
    // The layer it left is the one that failed (the streak's, when no pass named it).
    const layer = up ? up.layer : (this.streak?.layer ?? null);
    const layerBps = up?.layerBps ?? this.streak?.layerBps ?? NaN;
    this.fail(layer, layerBps, up?.top ?? this.streak?.top ?? false, this.streak?.estimateBps ?? NaN, null, nowMs);
  }

  /** State for /api/state and the abr bench: counts, the back-off, when the next train may go, the budget used, the last verdict. */
  describe(nowMs = Date.now()): Record<string, unknown> {
    const v = this.lastVerdict;
    return {
      ...this.counts,
      probing: this.probing,
      retryMs: this.retryMs,
      streak: this.streak?.failures ?? 0,
      waitMs: Number.isFinite(this.nextAllowedAt) ? Math.max(0, Math.round(this.nextAllowedAt - nowMs)) : 0,
      failedLastMinute: this.failedStarts.filter((t) => nowMs - t < 60_000).length,
      ...(v
        ? {
            last: {
              layerBps: Math.round(v.layerBps),
              passed: v.passed,
              bps: v.bps,
              ...(v.aborted ? { aborted: v.aborted } : {}),
              agoMs: Math.round(nowMs - v.at),
            },
          }
        : {}),
    };
  }
}
