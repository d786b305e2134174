export interface NackRequesterOptions {
  /** Sends one generic NACK (RFC 4585 §6.2.1) for these 16-bit sequence numbers. */
  sendNack: (seqs: number[]) => void;
  /** Lost packets given up on (never arrived after maxNacks NACKs, or after giveUpMs). */
  onGiveUp?: (count: number) => void;
  /** NACKs sent per lost packet at most; 0 turns requesting off (arrivals are still classified). */
  maxNacks: number;
  /** A lost packet is given up this long after its gap was seen (the sender's history is about 1 s). */
  giveUpMs: number;
  /** Retries are about one RTT apart, but never closer than this. */
  minRetryMs: number;
  /** The RTT assumed until a retransmission has been timed. */
  initialRttMs: number;
  /** Gaps wider than this are not asked for (the receiver will need a keyframe anyway). */
  maxMissing: number;
}

/** How an arriving packet relates to what came before. */
export type Arrival = 'new' | 'recovered' | 'late' | 'duplicate' | 'stale';

export const NACK_DEFAULTS: Omit<NackRequesterOptions, 'sendNack' | 'onGiveUp'> = {
  maxNacks: 5,
  giveUpMs: 1000,
  minRetryMs: 20,
  initialRttMs: 100,
  maxMissing: 512,
};

/** Arrivals remembered for duplicate detection: a few seconds of video. */
const RECEIVED_WINDOW = 4096;

interface Missing {
  detectedMs: number;
  sentMs: number;
  tries: number;
}

/**
 * The receiving side of per-hop loss repair for one RTP stream (one SSRC): classifies each
 * arriving sequence number, and asks for the ones that did not come with generic NACKs (RFC
 * 4585 §6.2.1), at once when the gap shows and then about one RTT apart, a bounded number of
 * times, giving up after a bounded time. The RTT comes from timing retransmissions of packets
 * NACKed once (Karn's rule: a packet asked for twice gives an ambiguous sample).
 *
 * Transport-agnostic: a WebRTC publisher track uses it, and so can a UDP relay pipe.
 */
export class NackRequester {
  /** Smoothed RTT (RFC 6298 style, gain 1/8), ms. */
  srttMs: number;
  rttSamples = 0;
  private highest = -1;
  private readonly received = new Float64Array(RECEIVED_WINDOW).fill(-1);
  private readonly missing = new Map<number, Missing>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: NackRequesterOptions) {
    this.srttMs = opts.initialRttMs;
  }

  /** Extended highest sequence number seen (RFC 3550 §A.1: cycles × 2^16 + seq, from the first). */
  get extendedHighest(): number {
    return this.highest;
  }

  /** Lost packets still asked for. */
  get pending(): number {
    return this.missing.size;
  }

  get retryMs(): number {
    return Math.max(this.opts.minRetryMs, this.srttMs * 1.25);
  }

  /**
   * Notes a packet's arrival. `retransmission` marks one that came as a retransmission (RTX):
   * only those time the RTT.
   */
  arrive(seq: number, nowMs: number, retransmission: boolean): Arrival {
    if (this.highest < 0) {
      this.highest = seq;
      this.mark(seq);
      return 'new';
    }
    const ext = this.highest + ((((seq - this.highest) & 0xffff) << 16) >> 16);
    if (ext > this.highest) {
      const gap = ext - this.highest - 1;
      if (gap > 0 && this.opts.maxNacks > 0 && !this.closed) {
        const from = Math.max(this.highest + 1, ext - this.opts.maxMissing);
        if (from > this.highest + 1) this.opts.onGiveUp?.(from - this.highest - 1);
        for (let e = from; e < ext; e++) this.missing.set(e, { detectedMs: nowMs, sentMs: 0, tries: 0 });
        this.highest = ext;
        this.mark(ext);
        this.flush(nowMs);
        return 'new';
      }
      this.highest = ext;
      this.mark(ext);
      return 'new';
    }
    if (ext <= this.highest - RECEIVED_WINDOW || ext < 0) return 'stale';
    if (this.received[ext % RECEIVED_WINDOW] === ext) return 'duplicate';
    this.mark(ext);
    const m = this.missing.get(ext);
    if (!m) return 'late';
    this.missing.delete(ext);
    if (retransmission && m.tries === 1) {
      const rtt = nowMs - m.sentMs;
      this.srttMs = this.rttSamples === 0 ? rtt : this.srttMs + 0.125 * (rtt - this.srttMs);
      this.rttSamples++;
    }
    if (this.missing.size === 0) this.clearTimer();
    return 'recovered';
  }

  /**
   * The sender says it has sent everything up to seq (a UDP relay pipe's keepalive carries its
   * latest): what came after the highest seen, seq included, is missing. It detects a lost last
   * packet before any later packet could show the gap (as a TCP tail-loss probe does, RFC 8985 §7).
   */
  expectUpTo(seq: number, nowMs: number): void {
    if (this.highest < 0 || this.opts.maxNacks === 0 || this.closed) return;
    const ext = this.highest + ((((seq - this.highest) & 0xffff) << 16) >> 16);
    if (ext <= this.highest) return;
    const from = Math.max(this.highest + 1, ext + 1 - this.opts.maxMissing);
    if (from > this.highest + 1) this.opts.onGiveUp?.(from - this.highest - 1);
    for (let e = from; e <= ext; e++) this.missing.set(e, { detectedMs: nowMs, sentMs: 0, tries: 0 });
    this.highest = ext;
    this.flush(nowMs);
  }

  /** Forgets everything (a new SSRC). */
  reset(): void {
    this.highest = -1;
    this.received.fill(-1);
    this.missing.clear();
    this.clearTimer();
  }

  private mark(ext: number): void {
    this.received[ext % RECEIVED_WINDOW] = ext;
  }

  /** Sends the NACKs that are due, gives up on the hopeless, and arms the timer for the next. */
  private flush(nowMs: number): void {
    this.clearTimer();
    if (this.closed) return;
    const retry = this.retryMs;
    const due: number[] = [];
    let gaveUp = 0;
    let next = Infinity;
    for (const [ext, m] of this.missing) {
      const answered = m.tries > 0 && nowMs - m.sentMs < retry;
      if (nowMs - m.detectedMs >= this.opts.giveUpMs || (m.tries >= this.opts.maxNacks && !answered)) {
        this.missing.delete(ext);
        gaveUp++;
        continue;
      }
      if (!answered) {
        due.push(ext & 0xffff);
        m.tries++;
        m.sentMs = nowMs;
      }
      next = Math.min(next, m.sentMs + retry, m.detectedMs + this.opts.giveUpMs);
    }
    if (gaveUp > 0) this.opts.onGiveUp?.(gaveUp);
    if (due.length > 0) this.opts.sendNack(due);
    if (next < Infinity) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.flush(Date.now());
        },
        Math.max(1, next - nowMs),
      );
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.missing.clear();
    this.clearTimer();
  }
}
