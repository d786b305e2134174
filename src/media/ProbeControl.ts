// When to probe before a viewer moves up a simulcast layer, and at what rate (issue 20,
// docs/abr.md "Probing"): the deciding half of bandwidth probing, used by LayerChooser
// (LayerChoice.ts). The model is libwebrtc's ProbeController: probe when more rate is wanted
// (there: a higher allocation; here: the layer above), at a bit more than that rate; after a
// probe that passed, probe the next step at once ("further probing"); never while the link is
// congested; within a budget. The engines send the trains (padding-only RTP on the RTX SSRC,
// RFC 3550 §5.1 / RFC 4588, numbered for transport-cc) and measure them (ProbeEstimator.ts).
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

import type { ProbeOutcome, ProbeRequest } from './ProbeEstimator.js';

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
  /** After a failed train, the next one waits this long, doubling with each failure up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  /** At most this many trains a minute, whatever else asks. */
  perMinute: number;
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
  perMinute: 8,
  passValidMs: 3000,
  periodicMs: 5000,
});

/** A train whose verdict has not come this long after it should have ended is forgotten. */
const VERDICT_GRACE_MS = 4000;

/** One viewer's probing: the budget, the train in flight, the last verdict. */
export class ProbeControl {
  private nextId = 1;
  private inFlight: { id: number; layerBps: number; startedAt: number } | null = null;
  private passedFor: { layerBps: number; at: number } | null = null;
  private nextAllowedAt = -Infinity;
  private lastTrainAt = -Infinity;
  private retry: number;
  private readonly starts: number[] = [];
  /** The last train failed: the estimate is capped at its result, so it is retried on a timer. */
  failed = false;
  /** The last train passed: the next layer up may be probed at once (libwebrtc's further probing). */
  passedLast = false;
  readonly counts = { trains: 0, passed: 0, failed: 0 };

  constructor(
    private readonly send: (req: ProbeRequest) => boolean,
    readonly policy: ProbePolicy = PROBE_POLICY,
  ) {
    this.retry = policy.retryMs;
  }

  get probing(): boolean {
    return this.inFlight !== null;
  }

  /** Whether a train has shown, within passValidMs, that a layer of this bit rate fits. */
  passed(layerBps: number, nowMs: number): boolean {
    const p = this.passedFor;
    return p !== null && nowMs - p.at <= this.policy.passValidMs && p.layerBps >= layerBps * 0.95;
  }

  /** Whether a train should be asked for now: a failure's retry, the step after a pass, or the periodic one. */
  due(nowMs: number): boolean {
    return nowMs >= this.nextAllowedAt && (this.failed || this.passedLast || nowMs - this.lastTrainAt >= this.policy.periodicMs);
  }

  /**
   * Sends a train for a layer of layerBps when the budget allows: none in flight, not congested,
   * the gap since the last verdict (longer after failures), at most perMinute a minute. True when
   * one went out.
   */
  request(layerBps: number, nowMs: number, congested: boolean): boolean {
    const p = this.policy;
    if (this.inFlight) {
      if (nowMs - this.inFlight.startedAt < p.trainMs + VERDICT_GRACE_MS) return false;
      this.inFlight = null; // no verdict came (the engine stopped reporting): forget it
    }
    if (congested || !(layerBps > 0) || nowMs < this.nextAllowedAt) return false;
    while (this.starts.length > 0 && nowMs - this.starts[0]! >= 60_000) this.starts.shift();
    if (this.starts.length >= p.perMinute) return false;
    const req: ProbeRequest = {
      id: this.nextId++,
      bps: Math.round(layerBps * p.rateFactor),
      durationMs: p.trainMs,
      clusterMs: p.clusterMs,
      passBps: Math.round(layerBps / p.passShare),
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
    this.inFlight = { id: req.id, layerBps, startedAt: nowMs };
    return true;
  }

  /** A train's verdict (BandwidthReport.probe). */
  onOutcome(o: ProbeOutcome, nowMs: number): void {
    const t = this.inFlight;
    if (!t || o.id !== t.id) return;
    this.inFlight = null;
    if (o.passed) {
      this.counts.passed++;
      this.passedFor = { layerBps: t.layerBps, at: nowMs };
      this.failed = false;
      this.passedLast = true;
      this.retry = this.policy.retryMs;
      this.nextAllowedAt = nowMs + this.policy.minGapMs;
      return;
    }
    this.counts.failed++;
    this.passedFor = null;
    this.failed = true;
    this.passedLast = false;
    this.nextAllowedAt = nowMs + this.retry;
    this.retry = Math.min(this.policy.maxRetryMs, this.retry * 2);
  }

  /**
   * The viewer moved down: no further probing on the strength of an earlier pass; and when that
   * was soon after a move up (the layer did not fit after all, though a train passed: a deeper
   * bucket than the train drained), count it as a failed train.
   */
  onMoveDown(failedUp: boolean, nowMs: number): void {
    this.passedLast = false;
    this.passedFor = null;
    if (!failedUp) return;
    this.failed = true;
    this.nextAllowedAt = Math.max(this.nextAllowedAt, nowMs + this.retry);
    this.retry = Math.min(this.policy.maxRetryMs, this.retry * 2);
  }

  describe(): Record<string, unknown> {
    return { ...this.counts, probing: this.probing, retryMs: this.failed ? this.retry : 0 };
  }
}
