import { retransmitShareFor, type EstimateSource } from '../media/BandwidthEstimator.js';
import type { BandwidthReport } from '../engine/engine.js';

/** The sent rate is sampled over at least this long. */
const SAMPLE_MS = 500;
/** EWMA weight of each sample (the rate follows the last second or two). */
const WEIGHT = 0.5;
/** A share change smaller than this is not handed down (each is a call into the engine). */
const SHARE_STEP = 0.01;

export interface ViewerEstimate {
  bps: number;
  source: EstimateSource;
  /** What we sent this viewer, bits/s (media, not retransmissions), when the estimate came. */
  sentBps: number;
  /** The engine saw congestion (loss over 10 % or queueing delay): only then may the share fall. */
  congested: boolean;
  /** The retransmit share in force (the configured one, or less while the link is full). */
  retransmitShare: number;
  /** Date.now() of the estimate. */
  at: number;
}

/**
 * One viewer's estimate as its session keeps it: the last estimate from the engine
 * (PeerHandlers.onBandwidth), the rate we send it, and the retransmission back-off that follows
 * from the two (retransmitShareFor, src/media/BandwidthEstimator.ts) handed to `apply`.
 */
export class ViewerBandwidth {
  private bytes = 0;
  private sampleAt: number;
  private sampleBytes = 0;
  private sentBps = 0;
  private share: number;
  private last: ViewerEstimate | null = null;

  constructor(
    private readonly baseShare: number,
    private readonly apply: (share: number) => void,
    nowMs: number,
    /** Bytes the engine's fan-out groups sent this viewer (those packets never pass onMedia). */
    private readonly fannedOutBytes: () => number = () => 0,
  ) {
    this.share = baseShare;
    this.sampleAt = nowMs;
  }

  /** Media bytes sent to this viewer (each packet's RTP size). */
  onMedia(bytes: number): void {
    this.bytes += bytes;
  }

  onEstimate(e: BandwidthReport, nowMs: number): void {
    const dt = nowMs - this.sampleAt;
    if (dt >= SAMPLE_MS) {
      const bytes = this.bytes + this.fannedOutBytes();
      const sample = ((bytes - this.sampleBytes) * 8 * 1000) / dt;
      this.sentBps = this.sentBps === 0 ? sample : this.sentBps + WEIGHT * (sample - this.sentBps);
      this.sampleAt = nowMs;
      this.sampleBytes = bytes;
    }
    const share = retransmitShareFor(this.baseShare, this.sentBps, e.bps, e.congested);
    if (Math.abs(share - this.share) >= SHARE_STEP || (share === this.baseShare && this.share !== this.baseShare)) {
      this.share = share;
      this.apply(share);
    }
    this.last = {
      bps: e.bps,
      source: e.source,
      congested: e.congested,
      sentBps: Math.round(this.sentBps),
      retransmitShare: Math.round(this.share * 1000) / 1000,
      at: nowMs,
    };
  }

  /** The last estimate (null before any). */
  get estimate(): ViewerEstimate | null {
    return this.last;
  }
}
