import { BandwidthEstimator, type EstimateState, type TwccPacket } from '../media/BandwidthEstimator.js';
import type { PeerHandlers } from './engine.js';
import { parseRtcp } from '../rtcp.js';
import { isRtcp } from '../rtp.js';

/** Estimates go up to the session at most this often, unless they fall by more than DROP_NOW. */
const REPORT_MS = 250;
const DROP_NOW = 0.1;

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
  private seen = false;

  constructor(private readonly handlers: PeerHandlers) {}

  /** Transport-cc feedback, already matched to what we sent (the native data plane does that). */
  onTwcc(packets: readonly TwccPacket[], nowMs: number): void {
    this.estimator.onTwcc(packets, nowMs);
    this.seen = true;
    this.report(nowMs);
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

  private report(nowMs: number): void {
    const on = this.handlers.onBandwidth;
    if (!on) return;
    const bps = this.estimator.bps;
    const congested = this.estimator.congested(nowMs);
    const fell = this.reported > 0 && bps < this.reported * (1 - DROP_NOW);
    if (!fell && congested === this.reportedCongested && nowMs - this.reportedAt < REPORT_MS) return;
    this.reportedAt = nowMs;
    this.reported = bps;
    this.reportedCongested = congested;
    on({ bps, source: this.estimator.source, congested });
  }
}

/**
 * For node-datachannel, which hands one compound RTCP packet to every track it names: feeds each
 * packet to a PeerBandwidth once (the same bytes again within 50 ms are the same packet).
 */
export class RtcpOnce {
  readonly bandwidth: PeerBandwidth;
  private last: Uint8Array | null = null;
  private lastAt = 0;

  constructor(handlers: PeerHandlers) {
    this.bandwidth = new PeerBandwidth(handlers);
  }

  offer(msg: Uint8Array, nowMs: number): void {
    if (!isRtcp(msg)) return;
    if (this.last && nowMs - this.lastAt < 50 && Buffer.compare(this.last, msg) === 0) return;
    this.last = Buffer.from(msg);
    this.lastAt = nowMs;
    this.bandwidth.onRtcp(msg, nowMs);
  }
}
