import { BandwidthEstimator, type EstimateState, type TwccPacket } from '../media/BandwidthEstimator.js';
import { ProbeEstimator, type ClusterResult, type ProbeAbortReason, type ProbeCluster } from '../media/ProbeEstimator.js';
import { ProbeLoss } from '../media/ProbeLoss.js';
import type { PeerHandlers, ProbeOutcome, ProbeRequest } from './engine.js';
import { parseRtcp } from '../rtcp.js';
import { isRtcp } from '../rtp.js';

/** Estimates go up to the session at most this often, unless they fall by more than DROP_NOW. */
const REPORT_MS = 250;
const DROP_NOW = 0.1;
/** A cluster counts only when it was sent at this share of the train's rate at least (libwebrtc: 80 % of its bytes). */
const MIN_SENT_SHARE = 0.8;
/** A train with no verdict this long after it should have ended is given up (no cluster or feedback came). */
const TRAIN_GRACE_MS = 3000;

interface Train {
  req: ProbeRequest;
  startedAt: number;
  /** Results of the valid clusters so far, and of the run of slow ones in a row now. */
  results: number[];
  slow: number[];
  clusters: number;
  /** The estimate when the train began. */
  before: number;
}

/**
 * Slow clusters in a row that fail a train without loss: one 50 ms cluster's arrival interval
 * is stretched by a few ms of scheduling on a loaded receiver (measured: a Chromium viewer with
 * no cap failed trains on single clusters at 0.7 x the send rate), where a queue that the train
 * fills stretches every cluster after it.
 */
const SLOW_RUN = 3;
/** A failed train leaves the estimate at most this share of the rate it needed. */
const PASS_MARGIN = 0.9;
/** A slow cluster with this much loss fails the train at once: a policer drops, it does not delay. */
const LOSS_FAILS = 0.05;

/**
 * The engine side of one viewer's estimate: feeds what the engine sees (transport-cc feedback
 * from its data plane, REMB and receiver reports from the viewer's RTCP) to a
 * BandwidthEstimator and reports the result through PeerHandlers.onBandwidth. Both engines use
 * it, so the decisions stay in src/media/BandwidthEstimator.ts.
 */
export class PeerBandwidth {
  readonly estimator = new BandwidthEstimator();
  private reportedAt = -Infinity;
  private reported = 0;
  private reportedCongested = false;
  private reportedCut = false;
  private seen = false;
  /** Probe clusters measured from the same feedback (docs/abr.md "Probing"). */
  readonly probes = new ProbeEstimator();
  private train: Train | null = null;
  /**
   * Trains judged by the viewer's loss (ProbeLoss.ts: an engine without transport-cc, node-
   * datachannel): the media SSRC whose NACKs count, and the train in flight's loss with the
   * newest media sequence number sent (a callback: the engine's sender knows it).
   */
  private lossSsrc = -1;
  private loss: { judge: ProbeLoss; newestSeq: () => number; sentBps: number | null } | null = null;

  /** stopTrain: how the engine stops its data plane's train in flight (after a failed cluster). */
  constructor(
    private readonly handlers: PeerHandlers,
    private readonly stopTrain: () => void = () => {},
  ) {}

  /** Transport-cc feedback, already matched to what we sent (the native data plane does that). */
  onTwcc(packets: readonly TwccPacket[], nowMs: number): void {
    this.estimator.onTwcc(packets, nowMs);
    this.seen = true;
    const outcome = this.judge(this.probes.onTwcc(packets, nowMs), nowMs) ?? this.expire(nowMs);
    this.report(nowMs, outcome);
  }

  /** A probe train the engine has started sending (EnginePeer.probe). */
  onTrainStarted(req: ProbeRequest, nowMs: number): void {
    this.train = { req, startedAt: nowMs, results: [], slow: [], clusters: 0, before: this.estimator.bps };
    this.loss = null;
  }

  /** Trains will be judged by the viewer's NACKs of this media SSRC (onLossTrainStarted). */
  watchLoss(mediaSsrc: number): void {
    this.lossSsrc = mediaSsrc >>> 0;
  }

  /**
   * A train judged by loss has started (no transport-cc: ProbeLoss.ts): its media from
   * firstMediaSeq on. Receiver reports stay out of the estimate's loss rule while it runs and
   * just after (its own loss is the verdict's business, BandwidthEstimator.holdReportLoss).
   */
  onLossTrainStarted(req: ProbeRequest, firstMediaSeq: number, newestSeq: () => number, nowMs: number): void {
    this.onTrainStarted(req, nowMs);
    this.loss = { judge: new ProbeLoss(firstMediaSeq, req.abort), newestSeq, sentBps: null };
    this.estimator.holdReportLoss(true, nowMs);
  }

  /** The loss-judged train sent its last packet, at sentBps over its length; its verdict waits for the NACKs of its last packets (onLossTrainSettled). */
  onLossTrainSent(lastMediaSeq: number, sentBps: number, nowMs: number): void {
    const l = this.loss;
    if (!l) return;
    l.judge.end(lastMediaSeq);
    l.sentBps = sentBps;
    this.estimator.holdReportLoss(false, nowMs);
  }

  /** The loss-judged train was called off (EnginePeer.probe with bps 0): no verdict, and receiver reports count again. */
  cancelLossTrain(): void {
    if (!this.loss) return;
    this.loss = null;
    this.train = null;
    this.estimator.holdReportLoss(false, 0, true);
  }

  /**
   * The wait after the loss-judged train's last packet is over and its rule never fired: it
   * passed, at the rate it was sent at (the link carried all of it), when that reached passBps;
   * a train the sender could not send at that rate (a loaded event loop) says nothing: failed,
   * with no rate, so the estimate stays as it was.
   */
  onLossTrainSettled(nowMs: number): void {
    const l = this.loss;
    const t = this.train;
    if (!l || !t || l.sentBps === null) return;
    const passed = l.sentBps >= t.req.passBps;
    this.report(nowMs, this.verdict(passed, passed ? l.sentBps : null, nowMs));
  }

  /**
   * A cluster the data plane finished sending: its sequence range. The last one of a train the
   * data plane stopped on the viewer's feedback (ProbeRequest.abort) is the verdict at once: the
   * link dropped (or queued) the train's packets, so it cannot carry the rate, whatever the
   * clusters measured before the policer's bucket ran dry.
   */
  onCluster(c: ProbeCluster, nowMs: number): void {
    const t = this.train;
    if (c.aborted && t && c.train === t.req.id) {
      this.probes.onCluster(c, nowMs);
      this.report(nowMs, this.verdict(false, t.slow.length > 0 ? median(t.slow) : null, nowMs, c.aborted));
      return;
    }
    const outcome = this.judge(this.probes.onCluster(c, nowMs), nowMs);
    if (outcome) this.report(nowMs, outcome);
  }

  /**
   * The train's verdict from its clusters' results: failed once the viewer received it under the
   * rate it is for (one slow cluster with loss, or SLOW_RUN in a row; the train stops there, so a
   * link that cannot carry it loses as little as possible), passed when its last cluster is in
   * and it did not fail. The rate reported is the median of the clusters (of the slow run, for a
   * failure): one cluster's rate is noisy.
   */
  private judge(results: readonly ClusterResult[], nowMs: number): ProbeOutcome | null {
    for (const r of results) {
      const t = this.train;
      if (!t || r.train !== t.req.id) continue;
      t.clusters++;
      // A cluster sent well under the rate asked (the data thread was held up: a loaded machine)
      // tests the sender, not the link: it says nothing (libwebrtc's minimum cluster bytes).
      const bps = r.bps !== null && r.sendBps >= MIN_SENT_SHARE * t.req.bps ? r.bps : null;
      if (bps !== null) {
        t.results.push(bps);
        if (bps >= t.req.passBps) t.slow = [];
        else {
          t.slow.push(bps);
          if (r.loss >= LOSS_FAILS || t.slow.length >= SLOW_RUN) {
            this.stopTrain();
            return this.verdict(false, median(t.slow), nowMs);
          }
        }
      }
      if (r.last)
        return t.results.length > 0
          ? this.verdict(t.slow.length === 0 || median(t.results) >= t.req.passBps, median(t.results), nowMs)
          : this.verdict(false, null, nowMs);
    }
    return null;
  }

  private expire(nowMs: number): ProbeOutcome | null {
    const t = this.train;
    if (!t || nowMs - t.startedAt < t.req.durationMs + TRAIN_GRACE_MS) return null;
    return this.verdict(false, null, nowMs);
  }

  private verdict(passed: boolean, bps: number | null, nowMs: number, aborted?: ProbeAbortReason, lost = false): ProbeOutcome {
    const t = this.train!;
    this.train = null;
    if (this.loss) {
      this.loss = null;
      this.estimator.holdReportLoss(false, nowMs);
    }
    // A failed train says the link carries less than passBps; its clusters' rate is a noisy
    // measure of how much less (a few big packets each at a policer), so it lowers the estimate
    // under passBps but not under what the estimate was before the train (measured: set to a
    // single failed train's result, a capped viewer's estimate fell under its own layer and it
    // dropped a layer after most failed trains, 61 % of the time a layer too low).
    // A train the data plane stopped has shown that much even when no cluster was measured yet.
    const floor = Math.min(t.before, PASS_MARGIN * t.req.passBps);
    const applied = passed ? bps : bps !== null ? Math.max(bps, floor) : aborted || lost ? floor : null;
    if (applied !== null) this.estimator.onProbe(passed, applied, nowMs);
    return { id: t.req.id, passed, bps: bps === null ? null : Math.round(bps), clusters: t.clusters, ...(aborted ? { aborted } : {}) };
  }

  /** The viewer's (decrypted) RTCP: REMB and receiver-report loss (worst block). */
  onRtcp(packet: Uint8Array, nowMs: number): void {
    const info = parseRtcp(packet);
    if (!info) return;
    let touched = false;
    if (info.remb !== undefined) {
      this.estimator.onRemb(info.remb, nowMs);
      touched = true;
    }
    const l = this.loss;
    if (l && this.train) {
      for (const n of info.nacks) {
        if (n.mediaSsrc !== this.lossSsrc || !l.judge.onNack(n.seqs, l.newestSeq())) continue;
        // The rule fired: the train stops now if it still runs (aborted), and the link cannot
        // carry the rate either way (the estimate capped as for any failure).
        const running = l.sentBps === null;
        this.stopTrain();
        this.report(nowMs, this.verdict(false, null, nowMs, running ? 'loss' : undefined, true));
        break;
      }
    }
    if (info.reports.length > 0) {
      let worst = 0;
      for (const r of info.reports) worst = Math.max(worst, r.fractionLost / 256);
      this.estimator.onReportLoss(worst, nowMs);
      touched = true;
    }
    if (touched) {
      this.seen = true;
      this.report(nowMs);
    }
  }

  /** The estimate and its parts (null before any feedback). */
  state(): EstimateState | null {
    return this.seen ? this.estimator.state() : null;
  }

  private report(nowMs: number, probe: ProbeOutcome | null = null): void {
    const on = this.handlers.onBandwidth;
    if (!on) return;
    const bps = this.estimator.bps;
    const congested = this.estimator.congested(nowMs);
    const cut = this.estimator.cutRecently(nowMs);
    const fell = this.reported > 0 && bps < this.reported * (1 - DROP_NOW);
    if (!probe && !fell && congested === this.reportedCongested && cut === this.reportedCut && nowMs - this.reportedAt < REPORT_MS) return;
    this.reportedAt = nowMs;
    this.reported = bps;
    this.reportedCongested = congested;
    this.reportedCut = cut;
    on({ bps, source: this.estimator.source, congested, cut, ...(probe ? { probe } : {}) });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * For node-datachannel, which hands one compound RTCP packet to every track it names: feeds each
 * packet to a PeerBandwidth once (the same bytes again within 50 ms are the same packet).
 */
export class RtcpOnce {
  readonly bandwidth: PeerBandwidth;
  private last: Uint8Array | null = null;
  private lastAt = 0;

  constructor(handlers: PeerHandlers, stopTrain?: () => void) {
    this.bandwidth = new PeerBandwidth(handlers, stopTrain);
  }

  offer(msg: Uint8Array, nowMs: number): void {
    if (!isRtcp(msg)) return;
    if (this.last && nowMs - this.lastAt < 50 && Buffer.compare(this.last, msg) === 0) return;
    this.last = Buffer.from(msg);
    this.lastAt = nowMs;
    this.bandwidth.onRtcp(msg, nowMs);
  }
}
