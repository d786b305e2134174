/** Seconds of allowance the bucket holds: enough for a burst (a lost keyframe's packets). */
const BURST_S = 1;
/** The bucket never holds less than this, so a new or slow viewer can still repair a packet or two. */
const MIN_BUCKET_BYTES = 8 * 1200;
/** The measured bitrate follows the last few seconds (EWMA weight of each 1 s sample). */
const RATE_WEIGHT = 0.3;
const RATE_SAMPLE_MS = 1000;

/**
 * The per-viewer cap on retransmissions (docs/repair.md): a token bucket in bytes, refilled at
 * `share` times the bitrate actually sent to that viewer, so a client that NACKs everything
 * (broken or hostile) costs at most (1 + share) viewers' worth of egress. Cf. libwebrtc, which
 * also caps its RTX rate by the media rate.
 */
export class RetransmitBudget {
  private tokens = MIN_BUCKET_BYTES;
  private refilledAt: number;
  private rateBps = 0;
  private sampleAt: number;
  private sampleBytes = 0;

  /**
   * @param share  retransmitted bytes allowed per media byte sent (--retransmit-share)
   * @param sent   bytes of media sent to this viewer so far (read when sampling the rate)
   */
  constructor(
    private share: number,
    private readonly sent: () => number,
    nowMs: number,
  ) {
    this.refilledAt = nowMs;
    this.sampleAt = nowMs;
  }

  /** Media bitrate sent to this viewer, bytes per second (0 until measured). */
  get bytesPerSecond(): number {
    return this.rateBps;
  }

  /** A new share (the back-off while the viewer's link is full, src/media/BandwidthEstimator.ts). */
  setShare(share: number): void {
    if (share >= 0) this.share = share;
  }

  /** Takes `bytes` from the bucket if they are there. */
  take(bytes: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < bytes) return false;
    this.tokens -= bytes;
    return true;
  }

  private refill(nowMs: number): void {
    const dt = nowMs - this.sampleAt;
    if (dt >= RATE_SAMPLE_MS || this.rateBps === 0) {
      const total = this.sent();
      if (dt > 0) {
        const sample = ((total - this.sampleBytes) * 1000) / dt;
        // The first sample (or one from a viewer that just started) is taken as it is.
        this.rateBps = this.rateBps === 0 ? sample : this.rateBps + RATE_WEIGHT * (sample - this.rateBps);
      }
      if (dt >= RATE_SAMPLE_MS) {
        this.sampleAt = nowMs;
        this.sampleBytes = total;
      }
    }
    const allowance = this.rateBps * this.share;
    const cap = Math.max(MIN_BUCKET_BYTES, allowance * BURST_S);
    this.tokens = Math.min(cap, this.tokens + (allowance * (nowMs - this.refilledAt)) / 1000);
    this.refilledAt = nowMs;
  }
}
