import { parseRtpHeader } from '../rtp.js';
import type { MediaPacket } from './MediaPacket.js';
import type { StreamConsumer } from './types.js';

/** A packet held in the buffer: the feed's own packet object, kept by reference. */
export type BufferedPacket = MediaPacket;

export interface TimeBufferOptions {
  windowMs: number;
  maxBytes: number;
  /** The track whose keyframes start GOPs; null for a stream without video. */
  videoTrack: number | null;
}

/** A growable ring: O(1) amortised push and shift, indexed access. */
class Ring<T> {
  private items: Array<T | undefined> = new Array(64);
  private head = 0;
  length = 0;

  push(v: T): void {
    if (this.length === this.items.length) {
      const old = this.items;
      this.items = new Array(old.length * 2);
      for (let i = 0; i < this.length; i++) this.items[i] = old[(this.head + i) & (old.length - 1)];
      this.head = 0;
    }
    this.items[(this.head + this.length) & (this.items.length - 1)] = v;
    this.length++;
  }

  shift(): T {
    const v = this.items[this.head]!;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.length--;
    return v;
  }

  at(i: number): T {
    return this.items[(this.head + i) & (this.items.length - 1)]!;
  }

  clear(): void {
    this.items = new Array(64);
    this.head = 0;
    this.length = 0;
  }
}

/**
 * The last windowMs (at most maxBytes) of one stream's packets, in memory, indexed by capture
 * time, so a viewer can start from a recent past time (patent claims 9, 10). Evicts whole
 * GOPs from the front, so with video the buffer always starts at a keyframe.
 *
 * Packets get consecutive sequence numbers that survive eviction and clear(): a cursor is
 * just a sequence number, and a cursor behind the front has been overtaken.
 */
export class TimeBuffer implements StreamConsumer {
  readonly kind = 'buffer';
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  bytes = 0;
  private readonly ring = new Ring<BufferedPacket>();
  /** Sequence numbers of GOP starts, ascending. */
  private readonly gops = new Ring<number>();
  private first = 0;
  private lastGopTs = -1;

  constructor(private readonly opts: TimeBufferOptions) {}

  get packets(): number {
    return this.ring.length;
  }

  /** Sequence number of the oldest packet held. */
  get firstSeq(): number {
    return this.first;
  }

  /** Sequence number the next stored packet will get. */
  get endSeq(): number {
    return this.first + this.ring.length;
  }

  /** The packet with sequence number seq, if still held. */
  packetAt(seq: number): BufferedPacket | undefined {
    return seq >= this.first && seq < this.endSeq ? this.ring.at(seq - this.first) : undefined;
  }

  /** A consumer of its stream: keeps every packet. */
  onPacket(p: MediaPacket): void {
    this.push(p);
  }

  /** The stream ended: nothing more is kept, and readers stop. */
  onEnded(): void {
    this.close();
  }

  /** Stores the given packet, not a copy: the caller must not reuse its array. */
  push(p: MediaPacket): void {
    if (this.closed) return;
    const { track, rtp, captureMs, keyframe } = p;
    const video = this.opts.videoTrack;
    let gop = false;
    if (video !== null && keyframe && track === video) {
      // H.264 sends SPS/PPS and the IDR in separate keyframe packets of one frame: the GOP
      // starts at the first of them, or eviction could keep an IDR without its parameter sets.
      const ts = parseRtpHeader(rtp)?.timestamp ?? -1;
      gop = ts !== this.lastGopTs || this.ring.length === 0;
      this.lastGopTs = ts;
    }
    // Nothing before the first keyframe is playable.
    if (video !== null && this.ring.length === 0 && !gop) return;
    if (gop) this.gops.push(this.endSeq);
    this.ring.push(p);
    this.bytes += rtp.byteLength;
    this.evict(captureMs - this.opts.windowMs);
  }

  private evict(cutoffMs: number): void {
    if (this.opts.videoTrack === null) {
      while (this.ring.length > 0 && (this.ring.at(0).captureMs < cutoffMs || this.bytes > this.opts.maxBytes)) this.dropFront(1);
      return;
    }
    // A GOP goes by age once the next one starts at or before the cutoff, so the buffer keeps
    // the keyframe at or before newest - windowMs; the byte cap may take the last GOP too.
    while (this.gops.length > 0) {
      const next = this.gops.length > 1 ? this.gops.at(1) : this.endSeq;
      const old = this.gops.length > 1 && this.ring.at(next - this.first).captureMs <= cutoffMs;
      if (!old && this.bytes <= this.opts.maxBytes) return;
      this.gops.shift();
      this.dropFront(next - this.first);
    }
  }

  private dropFront(n: number): void {
    for (let i = 0; i < n; i++) this.bytes -= this.ring.shift().rtp.byteLength;
    this.first += n;
  }

  range(): { startMs: number; endMs: number } | null {
    if (this.ring.length === 0) return null;
    return { startMs: this.ring.at(0).captureMs, endMs: this.ring.at(this.ring.length - 1).captureMs };
  }

  /** Time actually held; less than windowMs when the byte cap binds. */
  get effectiveWindowMs(): number {
    const r = this.range();
    return r ? r.endMs - r.startMs : 0;
  }

  /** Whether playback from startMs can begin here: a keyframe at or before it (any packet without video). */
  covers(startMs: number): boolean {
    if (this.ring.length === 0) return false;
    if (this.opts.videoTrack === null) return startMs >= this.ring.at(0).captureMs;
    return this.gops.length > 0 && this.ring.at(this.gops.at(0) - this.first).captureMs <= startMs;
  }

  /** A cursor at the keyframe at or before startMs (without video: the first packet at or after it). */
  cursor(startMs: number): TimeBufferCursor | null {
    if (!this.covers(startMs)) return null;
    if (this.opts.videoTrack === null) {
      let lo = 0;
      let hi = this.ring.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.ring.at(mid).captureMs < startMs) lo = mid + 1;
        else hi = mid;
      }
      return new TimeBufferCursor(this, this.first + lo);
    }
    let lo = 0;
    let hi = this.gops.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.ring.at(this.gops.at(mid) - this.first).captureMs <= startMs) lo = mid;
      else hi = mid - 1;
    }
    return new TimeBufferCursor(this, this.gops.at(lo));
  }

  /** Drops everything; cursors continue with the packets pushed after. */
  clear(): void {
    this.first = this.endSeq;
    this.ring.clear();
    this.gops.clear();
    this.bytes = 0;
    this.lastGopTs = -1;
  }

  close(): void {
    if (this.closed) return;
    this.clear();
    this.#closed = true;
  }
}

/** Reads a TimeBuffer forward from a keyframe; sees packets pushed after it was made. */
export class TimeBufferCursor {
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  /** Set when eviction overtook the cursor and it jumped to the oldest keyframe. */
  skipped = false;

  constructor(
    private readonly buffer: TimeBuffer,
    private seq: number,
  ) {}

  /** The next packet, or null when caught up with the newest. */
  next(): BufferedPacket | null {
    if (this.closed || this.buffer.closed) return null;
    if (this.seq < this.buffer.firstSeq) {
      // The buffer starts at a keyframe (with video), so the front is a place to resume.
      this.seq = this.buffer.firstSeq;
      this.skipped = true;
    }
    const p = this.buffer.packetAt(this.seq);
    if (!p) return null;
    this.seq++;
    return p;
  }

  close(): void {
    this.#closed = true;
  }
}
