import { parseRtpHeader } from '../rtp.js';
import type { BudgetMember, CacheBudget } from './CacheBudget.js';
import { mediaPacket, type MediaPacket } from './MediaPacket.js';
import { MAX_SLAB_PACKET, SlabPool } from './SlabPool.js';
import type { StreamConsumer } from './types.js';

/** A packet read from the buffer: a copy of what was stored, owned by the reader. */
export type BufferedPacket = MediaPacket;

/** A packet as held: its bytes live in a slab (slabNo >= 0) or, when large, an array of its own (-1). */
interface Stored {
  readonly track: number;
  readonly captureMs: number;
  readonly keyframe: boolean;
  readonly data: Uint8Array;
  readonly offset: number;
  readonly length: number;
  readonly slabNo: number;
}

export interface TimeBufferOptions {
  windowMs: number;
  maxBytes: number;
  /** The track whose keyframes start GOPs; null for a stream without video. */
  videoTrack: number | null;
  /**
   * Simulcast: the other layer tracks of the video's group, whose keyframes start a GOP too. A
   * relay pulls only the layers watched below it (LayerDemand), maybe not the top one.
   */
  layerTracks?: readonly number[];
  /** The node-wide budget of every stream's window B (CacheBudget); absent: only this buffer's own caps. */
  budget?: CacheBudget | null;
  /** The stream's name (the budget's metrics and request counts). */
  stream?: string;
  /** Consumers of the live stream here now: the budget evicts streams with fewer first. */
  demand?: () => number;
  /** Where the packets' slabs come from and go back to: the budget's (node-wide) unless given; else its own. */
  slabs?: SlabPool;
}

/**
 * What one stored packet costs beyond its RTP bytes: its record (V8's heap, ~100 bytes), its
 * share of the slabs' unused tails and the heap's slack. Measured with
 * `node --expose-gc --import tsx scripts/bench/window-b-packet.ts` (400,000 packets of 700-1,000
 * bytes, node 20, x64): 276 bytes of RSS per packet in slabs, against 487 with an ArrayBuffer per
 * packet (the 480 this was before slabs). At the bench stream's ~670-byte average packet the
 * budget still counts it: 40% more than the media before, 30% now.
 */
export const PACKET_OVERHEAD_BYTES = 288;

/** Without video the budget takes about this much media at a time, and leaves the newest this much. */
const AUDIO_CHUNK_MS = 1000;

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
export class TimeBuffer implements StreamConsumer, BudgetMember {
  readonly kind = 'buffer';
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  /** RTP bytes held (what --cache-max-bytes caps). */
  bytes = 0;
  /**
   * Capture time up to which media this buffer held was evicted for memory (the node budget or
   * --cache-max-bytes), not for age: a time-shift request before it goes upstream as one older
   * than window B does (RelayPlanner, bufferUpstream.evictedHere).
   */
  evictedUntilMs = -Infinity;
  private readonly ring = new Ring<Stored>();
  private readonly pool: SlabPool;
  /** Slabs holding packets, oldest first: numbers firstSlabNo, firstSlabNo + 1, ...; the last is being filled. */
  private readonly slabs = new Ring<Uint8Array>();
  private firstSlabNo = 0;
  private slabUsed = 0;
  /** Sequence numbers of GOP starts, ascending. */
  private readonly gops = new Ring<number>();
  private first = 0;
  private lastGopTs = -1;

  constructor(private readonly opts: TimeBufferOptions) {
    this.pool = opts.slabs ?? opts.budget?.slabs ?? new SlabPool(4);
    opts.budget?.join(this);
  }

  get stream(): string {
    return this.opts.stream ?? '';
  }

  /** What the node budget counts for this buffer: RTP bytes plus each packet's bookkeeping. */
  get chargedBytes(): number {
    return this.bytes + this.ring.length * PACKET_OVERHEAD_BYTES;
  }

  demand(): number {
    return this.opts.demand?.() ?? 0;
  }

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

  /** A copy of the packet with sequence number seq, if still held (the reader owns it: slabs are reused). */
  packetAt(seq: number): BufferedPacket | undefined {
    if (seq < this.first || seq >= this.endSeq) return undefined;
    const s = this.ring.at(seq - this.first);
    const rtp = Buffer.allocUnsafeSlow(s.length);
    rtp.set(s.data.subarray(s.offset, s.offset + s.length));
    return mediaPacket(s.track, rtp, s.captureMs, s.keyframe);
  }

  /** A consumer of its stream: keeps every packet. */
  onPacket(p: MediaPacket): void {
    this.push(p);
  }

  /** The stream ended: nothing more is kept, and readers stop. */
  onEnded(): void {
    this.close();
  }

  /**
   * Stores a copy of the packet, in a slab (SlabPool): never the feed's own array, which may be a
   * view into a link frame or a socket read holding many packets of many streams (one retained
   * packet would pin all of that), and whose memory eviction could not give back until a major GC.
   */
  push(p: MediaPacket): void {
    if (this.closed) return;
    const { track, rtp, captureMs, keyframe } = p;
    const video = this.opts.videoTrack;
    let gop = false;
    if (video !== null && keyframe && (track === video || this.opts.layerTracks?.includes(track))) {
      // H.264 sends SPS/PPS and the IDR in separate keyframe packets of one frame: the GOP
      // starts at the first of them, or eviction could keep an IDR without its parameter sets.
      const ts = parseRtpHeader(rtp)?.timestamp ?? -1;
      gop = ts !== this.lastGopTs || this.ring.length === 0;
      this.lastGopTs = ts;
    }
    // Nothing before the first keyframe is playable.
    if (video !== null && this.ring.length === 0 && !gop) return;
    if (gop) this.gops.push(this.endSeq);
    const before = this.chargedBytes;
    this.ring.push(this.store(track, rtp, captureMs, keyframe));
    this.bytes += rtp.byteLength;
    this.evict(captureMs - this.opts.windowMs);
    const budget = this.opts.budget;
    if (budget) {
      budget.adjust(this.chargedBytes - before);
      budget.settle();
    }
  }

  private store(track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean): Stored {
    const length = rtp.byteLength;
    if (length > MAX_SLAB_PACKET) {
      const own = Buffer.allocUnsafeSlow(length);
      own.set(rtp);
      return { track, captureMs, keyframe, data: own, offset: 0, length, slabNo: -1 };
    }
    let slab = this.slabs.length > 0 ? this.slabs.at(this.slabs.length - 1) : null;
    if (!slab || this.slabUsed + length > slab.byteLength) {
      slab = this.pool.take();
      this.slabs.push(slab);
      this.slabUsed = 0;
    }
    const offset = this.slabUsed;
    slab.set(rtp, offset);
    this.slabUsed += length;
    return { track, captureMs, keyframe, data: slab, offset, length, slabNo: this.firstSlabNo + this.slabs.length - 1 };
  }

  private evict(cutoffMs: number): void {
    if (this.opts.videoTrack === null) {
      while (this.ring.length > 0 && (this.ring.at(0).captureMs < cutoffMs || this.bytes > this.opts.maxBytes)) {
        if (this.ring.at(0).captureMs >= cutoffMs) this.markEvicted(1);
        this.dropFront(1);
      }
      return;
    }
    // A GOP goes by age once the next one starts at or before the cutoff, so the buffer keeps
    // the keyframe at or before newest - windowMs; the byte cap may take the last GOP too.
    while (this.gops.length > 0) {
      const next = this.gops.length > 1 ? this.gops.at(1) : this.endSeq;
      const old = this.gops.length > 1 && this.ring.at(next - this.first).captureMs <= cutoffMs;
      if (!old && this.bytes <= this.opts.maxBytes) return;
      if (!old) this.markEvicted(next - this.first);
      this.gops.shift();
      this.dropFront(next - this.first);
    }
  }

  /** The first n packets go for memory, not age: remember up to where (see evictedUntilMs). */
  private markEvicted(n: number): void {
    const last = this.ring.at(n - 1).captureMs;
    // The media from the last evicted packet's time up to the new front is partly gone too.
    const front = n < this.ring.length ? this.ring.at(n).captureMs : last + 1;
    this.evictedUntilMs = Math.max(this.evictedUntilMs, front);
  }

  private dropFront(n: number): void {
    for (let i = 0; i < n; i++) this.bytes -= this.ring.shift().length;
    this.first += n;
    // Slabs before the one the oldest packet left is in go back to the pool; the slab being filled stays.
    let keep = this.firstSlabNo + this.slabs.length - 1;
    for (let i = 0; i < this.ring.length; i++) {
      const no = this.ring.at(i).slabNo;
      if (no >= 0) {
        keep = Math.min(keep, no);
        break;
      }
    }
    while (this.firstSlabNo < keep) {
      this.pool.give(this.slabs.shift());
      this.firstSlabNo++;
    }
  }

  /** Whether media at startMs was held here and evicted for memory (not for age): ask upstream, bypassing. */
  evicted(startMs: number): boolean {
    return startMs < this.evictedUntilMs && !this.covers(startMs);
  }

  /** Whether the latest move of the buffer's front was for memory (not age). */
  get frontEvictedForMemory(): boolean {
    if (this.evictedUntilMs === -Infinity) return false;
    return this.ring.length === 0 || this.evictedUntilMs >= this.ring.at(0).captureMs;
  }

  // The budget's side (BudgetMember).

  oldestEvictableMs(): number | null {
    if (this.ring.length === 0) return null;
    if (this.opts.videoTrack === null) {
      const front = this.ring.at(0).captureMs;
      return front < this.ring.at(this.ring.length - 1).captureMs - AUDIO_CHUNK_MS ? front : null;
    }
    return this.gops.length > 1 ? this.ring.at(0).captureMs : null;
  }

  newestMs(): number | null {
    return this.ring.length ? this.ring.at(this.ring.length - 1).captureMs : null;
  }

  /** Called by the budget (which accounts the bytes freed itself). */
  evictOldest(): number {
    if (this.oldestEvictableMs() === null) return 0;
    let n: number;
    if (this.opts.videoTrack === null) {
      const newest = this.ring.at(this.ring.length - 1).captureMs;
      const until = Math.min(this.ring.at(0).captureMs + AUDIO_CHUNK_MS, newest - AUDIO_CHUNK_MS);
      n = 0;
      while (n < this.ring.length && this.ring.at(n).captureMs < until) n++;
      if (n === 0) return 0;
    } else {
      n = this.gops.at(1) - this.first;
      this.gops.shift();
    }
    return this.dropForBudget(n);
  }

  evictAll(): number {
    if (this.ring.length === 0) return 0;
    const freed = this.dropForBudget(this.ring.length);
    this.gops.clear();
    this.lastGopTs = -1;
    return freed;
  }

  private dropForBudget(n: number): number {
    const before = this.chargedBytes;
    this.markEvicted(n);
    this.dropFront(n);
    const freed = before - this.chargedBytes;
    this.opts.budget?.adjust(-freed);
    return freed;
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
    this.opts.budget?.adjust(-this.chargedBytes);
    this.first = this.endSeq;
    this.ring.clear();
    this.gops.clear();
    this.bytes = 0;
    this.lastGopTs = -1;
    while (this.slabs.length > 0) this.pool.give(this.slabs.shift());
    this.firstSlabNo = 0;
    this.slabUsed = 0;
  }

  close(): void {
    if (this.closed) return;
    this.clear();
    this.#closed = true;
    this.opts.budget?.leave(this);
  }
}

/**
 * Reads a TimeBuffer forward from a keyframe; sees packets pushed after it was made. It holds a
 * sequence number, never packets: eviction frees what it would read next, and a reader pins
 * nothing (its replay holds the one packet it is about to send).
 */
export class TimeBufferCursor {
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  /** Set when eviction overtook the cursor and it jumped to the oldest keyframe. */
  skipped = false;
  /**
   * Instead of jumping, stop (next() gives null and `lost` is set) when what it would read next
   * was evicted for memory rather than age: a relay's replay then re-pulls from upstream at the
   * position reached (ReplaySource, RelayPlanner), the viewer's time intact.
   */
  stopWhenEvicted = false;
  lost = false;

  constructor(
    private readonly buffer: TimeBuffer,
    private seq: number,
  ) {}

  /** The next packet, or null when caught up with the newest. */
  next(): BufferedPacket | null {
    if (this.closed || this.buffer.closed || this.lost) return null;
    if (this.seq < this.buffer.firstSeq && this.stopWhenEvicted && this.buffer.frontEvictedForMemory) {
      this.lost = true;
      return null;
    }
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
