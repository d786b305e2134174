import { rtpSsrc } from '../rtp.js';
import { readHeaderExtension } from './simulcast.js';
import type { StallClock } from './LoopStall.js';
import { writeTwccFeedback } from './twccFeedback.js';

/** Arrivals kept, by transport-wide sequence number (a power of two: a ring). */
const HISTORY = 1 << 13;
/** A packet this far behind the next one to report is too old to report again (a few seconds of video). */
const MAX_REWIND = 2000;
/** libwebrtc's feedback interval bounds (RemoteEstimatorProxy): 50..250 ms, 100 ms until a rate is known. */
const MIN_INTERVAL_MS = 50;
const MAX_INTERVAL_MS = 250;
const DEFAULT_INTERVAL_MS = 100;
/** Feedback takes at most this share of the received rate (libwebrtc: 5 %), at ~68 bytes a feedback. */
const FEEDBACK_SHARE = 0.05;
const FEEDBACK_BITS = 68 * 8;
/** A stall's burst spread at most this many packets (more: the rest keep their stamps). */
const MAX_BURST = 4096;

export interface TwccRecorderOptions {
  /** The negotiated id of the transport-wide sequence number extension (RFC 8285 §5). */
  extId: number;
  /** Our SSRC as the sender of RTCP. */
  senderSsrc: number;
  /** Sends one RTCP packet (false when nothing could send it). */
  send: (rtcp: Buffer) => boolean;
  /** Whether send can send now (a track is open); until then arrivals wait for the next tick. */
  ready?: () => boolean;
  /** Says whether a stamp may belong to a burst after an event-loop stall (LoopStall); none: stamps as taken. */
  stall?: StallClock;
  /** Counts feedback packets carrying, and arrivals given, times spread over a stall (no per-packet log). */
  onStallAdjusted?: (feedbackPackets: number, arrivals: number) => void;
}

/**
 * The receive side of transport-wide congestion control for one publisher's PeerConnection
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): records the transport-wide sequence
 * number (§2) and arrival time of every RTP packet it receives, whatever its track, layer or
 * payload (RTX and padding probes too), and sends feedback (§3.1) about every 50-250 ms, so the
 * sender's own estimator (Chromium's GCC, with probing) sets its bit rate. We only report; the
 * estimate is the sender's.
 *
 * Late packets (reordered behind ones already reported) make the next feedback start again at
 * them, as libwebrtc does: the sender takes the later report of a packet it thought lost.
 *
 * Stalls. The arrival time is stamped when JavaScript gets the packet, so packets that arrived
 * while the event loop was blocked reach us in one burst after it, all stamped at its end. The
 * draft's receive deltas (§3.1.5) are arrival time differences; the sender's estimator reads
 * them against its send time differences (GoogCC's InterArrivalDelta groups packets sent
 * within 5 ms, and TrendlineEstimator fits the slope of the accumulated delay over ~20 groups).
 * A burst stamped at the stall's end reads as the delay of its first packets growing by the
 * stall (200 ms) then collapsing, which a delay-based estimator takes for queueing on the path.
 * The packets really arrived over the stall, so when the StallClock says a stamp may come from
 * one, the recorder gives the burst's packets, in transport-wide sequence order (the order the
 * sender sent them, the order a FIFO path delivers them), arrival times evenly spread from the
 * last trustworthy arrival (or the stall's start, if later) to the burst's last stamp: the last
 * packet keeps its own, the others move earlier, never later and never before a packet we
 * stamped outside the stall. A burst with no stall (Chromium's pacer sends a few ms bursts)
 * keeps its real stamps: the clock sees no stall. The spread is applied when feedback is built,
 * so a feedback covers a burst as one, and what later joins it starts from there. Nothing else
 * changes: a packet is reported received only if it arrived, and lost only if it did not.
 */
export class TwccRecorder {
  /** Arrival time (µs) by extended sequence number mod HISTORY; NaN when not received. */
  private readonly arrivals = new Float64Array(HISTORY).fill(NaN);
  /** Highest extended sequence number received (-1: none yet). */
  private highest = -1;
  /** The first extended sequence number the next feedback covers. */
  private next = -1;
  private mediaSsrc = 0;
  private feedbackCount = 0;
  private bytes = 0;
  private rateFromMs = NaN;
  private intervalMs = DEFAULT_INTERVAL_MS;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Feedback packets sent (for tests and the operator). */
  sent = 0;
  /** The last arrival recorded (ms): a stall's burst is spread from here (or its start). */
  private lastArrivalMs = -Infinity;
  /** Extended sequence numbers of the packets of the current stall's burst, as they came. */
  private burst: number[] = [];
  /** The current burst spreads over (burstFromMs, burstToMs]. */
  private burstFromMs = NaN;
  private burstToMs = NaN;
  /** The range of extended sequence numbers spread since the last feedback (-1, -2: none), for its count. */
  private spreadLow = -1;
  private spreadHigh = -2;
  /** Arrivals given spread times (for tests and the operator). */
  stallAdjusted = 0;
  /** Statuses sent as not received, and packets that arrived after a feedback said so (what the sender's loss estimate sees). */
  reportedLost = 0;
  arrivedAfterLost = 0;

  constructor(private readonly opts: TwccRecorderOptions) {}

  /** One received RTP packet, at arrivalMs (a sub-millisecond monotonic clock: performance.now()). */
  onRtp(packet: Uint8Array, arrivalMs: number): void {
    if (this.closed) return;
    const ext = readHeaderExtension(packet, this.opts.extId);
    if (!ext || ext.length < 2) return;
    const stallStartMs = this.opts.stall ? this.opts.stall.stallStartFor(arrivalMs) : NaN;
    this.record((ext[0]! << 8) | ext[1]!, arrivalMs, rtpSsrc(packet), packet.length, stallStartMs);
  }

  /**
   * @internal The recording itself (onRtp after reading the extension). stallStartMs: when the
   * stall began that this packet may have arrived during (NaN: the stamp is trustworthy).
   */
  record(seq: number, arrivalMs: number, ssrc: number, bytes: number, stallStartMs = NaN): void {
    this.bytes += bytes;
    if (Number.isNaN(this.rateFromMs)) this.rateFromMs = arrivalMs;
    let ext: number;
    if (this.highest < 0) {
      // Start one wrap up, so that a packet reordered before the first stays positive.
      ext = seq + 0x10000;
      this.highest = ext - 1;
      this.next = ext;
    } else {
      ext = this.highest + ((((seq - this.highest) & 0xffff) << 16) >> 16);
    }
    if (ext > this.highest) {
      // Slots between the old highest and this one are for packets not (yet) received, and this
      // one's slot still holds the packet HISTORY before it: clear it too, or past the first
      // HISTORY packets (about a minute of video) every packet reads as a duplicate and the
      // feedback carries the arrival times of a minute before.
      const from = Math.max(this.highest + 1, ext - HISTORY + 1);
      for (let s = from; s <= ext; s++) this.arrivals[s & (HISTORY - 1)] = NaN;
      this.highest = ext;
      if (ext - this.next >= HISTORY) this.next = ext - HISTORY + 1;
    } else if (this.highest - ext >= HISTORY) {
      return;
    }
    if (!Number.isNaN(this.arrivals[ext & (HISTORY - 1)]!)) return; // a duplicate: keep the first arrival
    this.arrivals[ext & (HISTORY - 1)] = arrivalMs * 1000;
    this.mediaSsrc = ssrc;
    if (ext < this.next) this.arrivedAfterLost++; // a feedback said it was not received
    if (ext < this.next && this.next - ext <= MAX_REWIND) this.next = ext;
    if (Number.isNaN(stallStartMs)) {
      this.spreadBurst();
    } else {
      if (this.burst.length === 0) this.burstFromMs = Math.max(this.lastArrivalMs, stallStartMs);
      this.burstToMs = arrivalMs;
      this.burst.push(ext);
      if (this.burst.length >= MAX_BURST) this.spreadBurst();
    }
    this.lastArrivalMs = Math.max(this.lastArrivalMs, arrivalMs);
  }

  /**
   * Ends the current stall's burst: its packets, in sequence order, get arrival times evenly
   * spaced over (burstFromMs, burstToMs], the k-th of n at from + (to - from)·k/n, so the last
   * keeps its stamp and the gaps are what a steady arrival over the stall would give.
   */
  private spreadBurst(): void {
    const n = this.burst.length;
    if (n === 0) return;
    const seqs = this.burst.sort((a, b) => a - b);
    this.burst = [];
    const from = this.burstFromMs;
    const span = Math.max(0, this.burstToMs - from);
    let adjusted = 0;
    for (let k = 0; k < n; k++) {
      const ext = seqs[k]!;
      if (this.highest - ext >= HISTORY) continue; // overwritten since
      const slot = ext & (HISTORY - 1);
      if (Number.isNaN(this.arrivals[slot]!)) continue;
      const us = (k === n - 1 ? this.burstToMs : from + (span * (k + 1)) / n) * 1000;
      if (us !== this.arrivals[slot]) adjusted++;
      this.arrivals[slot] = us;
    }
    if (adjusted === 0) return;
    this.stallAdjusted += adjusted;
    this.spreadLow = this.spreadLow < 0 ? seqs[0]! : Math.min(this.spreadLow, seqs[0]!);
    this.spreadHigh = Math.max(this.spreadHigh, seqs[n - 1]!);
    this.opts.onStallAdjusted?.(0, adjusted);
  }

  /**
   * The feedback due for everything received since the last one (from the first packet not yet
   * reported, or a late one, to the highest): none when nothing new arrived. Advances the
   * feedback packet count.
   */
  feedback(): Buffer[] {
    const out: Buffer[] = [];
    if (this.closed || this.highest < 0) return out;
    // A burst still coming in is reported as far as it got; what follows starts a new one from it.
    this.spreadBurst();
    if (this.next > this.highest) return out;
    let stallPackets = 0;
    // Each packet covers what the one before could not hold; the highest is always received,
    // so each has a received packet to take its reference time from.
    for (let start = this.next; start <= this.highest;) {
      const span = this.highest - start + 1;
      const arrivalsUs = new Float64Array(span);
      for (let i = 0; i < span; i++) arrivalsUs[i] = this.arrivals[(start + i) & (HISTORY - 1)]!;
      const { packet, count } = writeTwccFeedback({
        senderSsrc: this.opts.senderSsrc,
        mediaSsrc: this.mediaSsrc,
        feedbackCount: this.feedbackCount,
        baseSeq: start & 0xffff,
        arrivalsUs,
      });
      this.feedbackCount = (this.feedbackCount + 1) & 0xff;
      out.push(packet);
      for (let i = 0; i < count; i++) if (Number.isNaN(arrivalsUs[i]!)) this.reportedLost++;
      if (start <= this.spreadHigh && start + count > this.spreadLow) stallPackets++;
      start += count;
    }
    this.next = this.highest + 1;
    this.spreadLow = -1;
    this.spreadHigh = -2;
    if (stallPackets > 0) this.opts.onStallAdjusted?.(stallPackets, 0);
    return out;
  }

  /** Sends the feedback for what arrived since the last, and sets the next interval from the received rate. */
  tick(nowMs: number): void {
    if (this.closed) return;
    this.updateRate(nowMs);
    if (this.opts.ready && !this.opts.ready()) return;
    for (const p of this.feedback()) if (this.opts.send(p)) this.sent++;
  }

  /** The interval from the received rate over about a second: feedback within 5 % of it, 50..250 ms. */
  private updateRate(nowMs: number): void {
    const span = nowMs - this.rateFromMs;
    if (!(span >= 1000)) return;
    const bps = (this.bytes * 8 * 1000) / span;
    this.bytes = 0;
    this.rateFromMs = nowMs;
    const ms = bps > 0 ? (FEEDBACK_BITS * 1000) / (FEEDBACK_SHARE * bps) : MAX_INTERVAL_MS;
    this.intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
  }

  /** Sends feedback every feedbackIntervalMs from now on; now() is the clock given to onRtp. */
  start(now: () => number): void {
    if (this.closed || this.timer) return;
    const loop = (): void => {
      this.timer = setTimeout(() => {
        if (this.closed) return;
        this.tick(now());
        loop();
      }, this.intervalMs);
    };
    loop();
  }

  get feedbackIntervalMs(): number {
    return this.intervalMs;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
