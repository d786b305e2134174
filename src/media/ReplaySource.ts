import { performance } from 'node:perf_hooks';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { Counter } from '../metrics.js';
import { mediaPacket, type MediaPacket } from './MediaPacket.js';
import type { FeedSink, FeedSource } from './types.js';

export type ReplayPacket = MediaPacket;

/** A position in recorded media: a buffer cursor or an archive reader. */
export interface ReplayIterator {
  next(): ReplayPacket | null | Promise<ReplayPacket | null>;
  close(): void;
  /** Set when what it would give next is gone (evicted for memory): the replay reports its source lost. */
  readonly lost?: boolean;
}

export interface ReplaySourceOptions {
  kind: 'buffer' | 'archive';
  /** This node's id (a replay pulls from no one). */
  peer: string;
  /** Opens an iterator at the keyframe at or before a time; null when that time is gone. */
  seek: (startMs: number) => ReplayIterator | null;
  startMs: number;
  logger: Logger;
  /** End the feed when no new packet has come for this long (the recording stopped). */
  endAfterIdleMs?: number;
  /** A replay that makes no progress for this long has stalled (default STALL_MS). */
  stallAfterMs?: number;
  /** canopy_timeshift_stalls_total{action}: rewind (first stall), end (stalled again). */
  stalls?: Counter;
  /** Each track's RTP clock rate (StreamInfo), to carry timestamps on across a rewind (default 90 kHz). */
  clockRate?: (track: number) => number;
}

/**
 * One track's RTP numbering as the replay hands it on. A rewind plays packets again that went
 * out already; sent as recorded, their sequence numbers and timestamps would go back, and a
 * receiver drops them as late (the native data plane drops what lies before a receiver's first
 * packet; a browser's jitter buffer drops frames older than the last one decoded), so the
 * keyframe the rewind is for never shows. After a rewind each track goes on from where it was:
 * the next sequence number, and the timestamp advanced by the wall time since (RFC 3550 §5.1).
 */
interface TrackNumbering {
  lastSeq: number;
  lastTs: number;
  lastAt: number;
  seqOffset: number;
  tsOffset: number;
  /** A rewind happened since this track's last packet: the next one sets the offsets. */
  resync: boolean;
}

/** A recording gap longer than this is skipped instead of waited out (a republish later on). */
const MAX_GAP_MS = 2000;
const IDLE_POLL_MS = 200;
/**
 * Every step of a healthy replay (a packet delivered, a wait for the next one's time, which is
 * at most MAX_GAP_MS, a poll at the end of the recording) is progress. None for this long is
 * a stall: the viewer would sit on a frozen picture with the connection up, and nobody would
 * know. A stall rewinds once to the last keyframe; a second one in a row ends the feed with
 * the reason, so the viewer's session ends (RTCP BYE) instead of hanging.
 */
const STALL_MS = 5000;

/**
 * Plays recorded media into a time-shifted feed, paced in real time from the recorded capture
 * times, so the viewer stays behind live by now − start (patent [0061]-[0072]). A keyframe
 * request rewinds to the last keyframe played: a viewer that just connected (and missed the
 * first one) gets a picture at once.
 */
export class ReplaySource implements FeedSource {
  readonly kind: 'buffer' | 'archive';
  readonly peer: string;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  private it: ReplayIterator | null;
  private sink: FeedSink | null = null;
  private pending: ReplayPacket | null = null;
  private t0 = -1;
  private c0 = 0;
  private lastKeyframeMs: number;
  private idleSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The iterator whose pump is running (null: none). */
  private pumping: ReplayIterator | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private progressAt = performance.now();
  /** Set by a stall, cleared by the next packet delivered: a second stall before it ends the feed. */
  private stalledOnce = false;
  private readonly numbering = new Map<number, TrackNumbering>();

  constructor(private readonly opts: ReplaySourceOptions) {
    this.kind = opts.kind;
    this.peer = opts.peer;
    this.lastKeyframeMs = opts.startMs;
    this.it = opts.seek(opts.startMs);
  }

  /** Whether there was anything at the start time. */
  get valid(): boolean {
    return this.it !== null;
  }

  /** Starts playing into the feed; the first packet goes out after the caller attached its consumers. */
  start(sink: FeedSink): void {
    this.sink = sink;
    this.progressAt = performance.now();
    const stallMs = this.opts.stallAfterMs ?? STALL_MS;
    this.watchdog = setInterval(() => this.checkStall(stallMs), Math.max(10, Math.min(1000, stallMs / 4)));
    this.watchdog.unref();
    this.schedule(0);
  }

  requestKeyframe(): void {
    if (this.closed) return;
    this.rewind();
  }

  /** Plays again from the last keyframe played; false when that time is gone. */
  private rewind(): boolean {
    const it = this.opts.seek(this.lastKeyframeMs);
    if (!it) return false;
    this.it?.close();
    this.it = it;
    this.pending = null;
    this.t0 = -1;
    for (const n of this.numbering.values()) n.resync = true;
    this.schedule(0);
    return true;
  }

  /** The packet as handed on: renumbered after a rewind (TrackNumbering), else as recorded. */
  private renumber(p: MediaPacket, now: number): MediaPacket {
    const rtp = p.rtp;
    if (rtp.length < 12) return p;
    const inSeq = (rtp[2]! << 8) | rtp[3]!;
    const inTs = ((rtp[4]! << 24) | (rtp[5]! << 16) | (rtp[6]! << 8) | rtp[7]!) >>> 0;
    let n = this.numbering.get(p.track);
    if (!n) this.numbering.set(p.track, (n = { lastSeq: 0, lastTs: 0, lastAt: now, seqOffset: 0, tsOffset: 0, resync: false }));
    else if (n.resync) {
      const ticks = Math.max(1, Math.round(((now - n.lastAt) * (this.opts.clockRate?.(p.track) ?? 90_000)) / 1000));
      n.seqOffset = (n.lastSeq + 1 - inSeq) & 0xffff;
      n.tsOffset = (n.lastTs + ticks - inTs) >>> 0;
      n.resync = false;
    }
    const seq = (inSeq + n.seqOffset) & 0xffff;
    const ts = (inTs + n.tsOffset) >>> 0;
    n.lastSeq = seq;
    n.lastTs = ts;
    n.lastAt = now;
    if (n.seqOffset === 0 && n.tsOffset === 0) return p;
    // A copy: the recorded packet may be shared (a buffer cursor hands out the buffer's own).
    const out = Buffer.from(rtp);
    out.writeUInt16BE(seq, 2);
    out.writeUInt32BE(ts, 4);
    return mediaPacket(p.track, out, p.captureMs, p.keyframe);
  }

  private checkStall(stallMs: number): void {
    if (this.closed || !this.sink) return;
    const quietMs = performance.now() - this.progressAt;
    if (quietMs < stallMs) return;
    const at = { stalledMs: Math.round(quietMs), positionMs: this.lastKeyframeMs, source: this.kind };
    if (!this.stalledOnce && this.rewind()) {
      this.stalledOnce = true;
      this.progressAt = performance.now();
      this.opts.stalls?.inc({ action: 'rewind' });
      this.opts.logger.warn(at, 'time-shifted replay stalled; replaying from its last keyframe');
      return;
    }
    this.opts.stalls?.inc({ action: 'end' });
    this.opts.logger.warn(at, 'time-shifted replay stalled again; ending it');
    const sink = this.sink;
    this.close();
    sink.end(ErrorCode.STREAM_ENDED, `time-shifted playback stalled (no media for ${Math.round(quietMs / 1000)} s)`);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump();
    }, ms);
  }

  private async pump(): Promise<void> {
    // One pump per iterator: a rewind (a new iterator) starts its own, even while the previous
    // one still awaits a read, and that one leaves when its read comes back. A pump that
    // waited for the older one instead stalled for good when the older one left on seeing
    // the rewind (a viewer's keyframe request during an archive read), or never came back (a
    // read that never answers): a frozen picture on a connected session.
    const it = this.it;
    if (this.closed || !it || !this.sink || this.pumping === it) return;
    this.pumping = it;
    try {
      for (;;) {
        const p = this.pending ?? (await it.next());
        if (this.closed || it !== this.it) return; // closed, or rewound: the new iterator's pump goes on
        this.pending = null;
        const now = performance.now();
        this.progressAt = now;
        if (!p && it.lost) {
          // The buffer evicted what comes next: the feed re-pulls from where it is (upstream).
          const sink = this.sink;
          this.close();
          sink.sourceLost('window B evicted the media being replayed', this);
          return;
        }
        if (!p) {
          this.idleSince ??= now;
          if (now - this.idleSince > (this.opts.endAfterIdleMs ?? 10_000)) {
            this.sink.end(ErrorCode.STREAM_ENDED, 'end of the recording');
            return;
          }
          this.schedule(IDLE_POLL_MS);
          return;
        }
        this.idleSince = null;
        let due = this.t0 + (p.captureMs - this.c0);
        if (this.t0 < 0 || due - now > MAX_GAP_MS) {
          this.t0 = now;
          this.c0 = p.captureMs;
          due = now;
        }
        if (due > now + 1) {
          this.pending = p;
          this.schedule(due - now);
          return;
        }
        if (p.keyframe) this.lastKeyframeMs = p.captureMs;
        this.stalledOnce = false;
        this.sink.deliver(this.renumber(p, now));
      }
    } finally {
      if (this.pumping === it) this.pumping = null;
    }
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.it?.close();
    this.it = null;
    this.opts.logger.debug('closed: replay stopped');
  }
}
