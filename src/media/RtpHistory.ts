import { rtpSeq, rtpSsrc } from '../rtp.js';
import { MAX_SLAB_PACKET, SlabPool } from './SlabPool.js';

export interface RtpHistoryOptions {
  /** How long a packet stays retransmittable after it arrived here. */
  windowMs: number;
  /** Bytes held at most; the oldest packets go first when this binds. */
  maxBytes: number;
  /** Where the copies' slabs come from and go back to (the node's, shared with window B); else a small one of its own. */
  slabs?: SlabPool;
}

/** Why a packet asked for is not in the history. */
export type HistoryMiss = 'too_old' | 'never_received';

const INITIAL_SLOTS = 1024;
/** Half the sequence space: beyond it a 16-bit sequence number no longer tells old from new. */
const MAX_SLOTS = 32768;

/**
 * The retransmission history of one track of one stream at one node (docs/repair.md): the last
 * windowMs of packets as they arrived here, at most maxBytes, indexed by their RTP sequence
 * number so a NACK (RFC 4585 §6.2.1) finds its packet in O(1).
 *
 * Packets are copied once into recycled slabs (SlabPool), never kept by reference: held for the
 * window (1 s), the feed's own arrays outlived V8's young generation, were promoted, and became
 * garbage only a major GC returns. V8 starts one when external memory has grown by 64 MiB, so a
 * node with 20 streams carried 40–60 MiB of dead packets above its working set (the 60-minute
 * soak, docs/scale.md). Copied, the feed's arrays die young, and the history makes no garbage.
 * `get` hands out a copy: a resend may wait in a queue, and a slab is reused once its packets
 * leave the window. Sequence numbers are extended past 16 bits (RFC 3550 §A.1) so the window
 * survives wraparound. A late packet (recovered upstream) takes its slot if the window still
 * reaches back to it. A new SSRC (republish, failover) starts over.
 */
export class RtpHistory {
  /** Each slot's copy: a view into a slab, or an array of its own when large. */
  private packets: Array<Uint8Array | undefined> = new Array(INITIAL_SLOTS);
  /** Each slot's slab number (-1: an array of its own). */
  private slabOf = new Int32Array(INITIAL_SLOTS);
  private seqs = new Float64Array(INITIAL_SLOTS).fill(-1);
  private times = new Float64Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private ssrc = -1;
  /** Extended sequence number of the newest packet; -1 when empty. */
  private highest = -1;
  /** Extended sequence number of the oldest slot the window still covers. */
  private oldest = 0;
  /** Packets and bytes held. */
  count = 0;
  bytes = 0;
  /** Slabs in use, oldest first; slab number n is slabs[n - firstSlabNo]. The last one is being filled. */
  private readonly slabs: Uint8Array[] = [];
  /** Packets held in each slab of `slabs`. */
  private readonly slabLive: number[] = [];
  private firstSlabNo = 0;
  private slabUsed = 0;
  private readonly pool: SlabPool;

  constructor(private readonly opts: RtpHistoryOptions) {
    this.pool = opts.slabs ?? new SlabPool(2);
  }

  /** Stores a packet (not a copy: the caller must not change it). Returns whether it was kept. */
  push(rtp: Uint8Array, nowMs: number): boolean {
    if (rtp.length < 12) return false;
    const ssrc = rtpSsrc(rtp);
    if (ssrc !== this.ssrc) {
      this.reset();
      this.ssrc = ssrc;
    }
    const seq = rtpSeq(rtp);
    let ext: number;
    if (this.highest < 0) {
      // Start well above 0 so packets older than the first one still get positive numbers.
      ext = 0x10000 + seq;
      this.highest = ext - 1;
      this.oldest = ext;
    } else {
      ext = this.highest + ((((seq - this.highest) & 0xffff) << 16) >> 16);
    }
    if (ext > this.highest) {
      if (ext - this.oldest >= this.packets.length) this.makeRoom(ext, nowMs);
      this.highest = ext;
    } else if (ext < this.oldest) {
      return false;
    }
    const slot = ext & this.mask;
    if (this.seqs[slot] === ext) return false; // a duplicate
    this.store(slot, rtp);
    this.seqs[slot] = ext;
    this.times[slot] = nowMs;
    this.count++;
    this.bytes += rtp.length;
    this.evict(nowMs);
    return true;
  }

  /**
   * The packet with 16-bit sequence number seq, or why there is none: too_old when it left the
   * window (or preceded it), never_received when the window covers it but it never came here.
   */
  get(seq: number, nowMs: number): Uint8Array | HistoryMiss {
    if (this.highest < 0) return 'never_received';
    const ext = this.highest + ((((seq - this.highest) & 0xffff) << 16) >> 16);
    if (ext > this.highest) return 'never_received';
    if (ext < this.oldest) return 'too_old';
    const slot = ext & this.mask;
    if (this.seqs[slot] !== ext) return 'never_received';
    if (this.times[slot]! < nowMs - this.opts.windowMs) return 'too_old';
    return Buffer.from(this.packets[slot]!);
  }

  /** The SSRC of the packets held (-1 when empty). */
  get sourceSsrc(): number {
    return this.ssrc;
  }

  /** Drops everything. */
  reset(): void {
    this.packets.fill(undefined);
    for (const slab of this.slabs) this.pool.give(slab);
    this.slabs.length = 0;
    this.slabLive.length = 0;
    this.firstSlabNo = 0;
    this.slabUsed = 0;
    this.seqs.fill(-1);
    this.count = 0;
    this.bytes = 0;
    this.highest = -1;
    this.oldest = 0;
    this.ssrc = -1;
  }

  /** Evicts by age and by bytes from the oldest end (empty slots before an evicted packet go with it). */
  private evict(nowMs: number): void {
    const cutoff = nowMs - this.opts.windowMs;
    while (this.count > 0) {
      let e = this.oldest;
      while (this.seqs[e & this.mask] !== e) e++;
      const slot = e & this.mask;
      if (this.bytes <= this.opts.maxBytes && this.times[slot]! >= cutoff) return;
      this.drop(slot);
      this.oldest = e + 1;
    }
    this.oldest = this.highest + 1;
  }

  /** Copies a packet into the slab being filled (a new one when it is full), or an array of its own when large. */
  private store(slot: number, rtp: Uint8Array): void {
    const length = rtp.length;
    if (length > MAX_SLAB_PACKET) {
      // allocUnsafeSlow: an array of its own, never a slice of Node's shared 8 KiB pool.
      const own = Buffer.allocUnsafeSlow(length);
      own.set(rtp);
      this.packets[slot] = own;
      this.slabOf[slot] = -1;
      return;
    }
    let last = this.slabs.length - 1;
    if (last < 0 || this.slabUsed + length > this.slabs[last]!.byteLength) {
      this.slabs.push(this.pool.take());
      this.slabLive.push(0);
      this.slabUsed = 0;
      last++;
    }
    const slab = this.slabs[last]!;
    slab.set(rtp, this.slabUsed);
    this.packets[slot] = slab.subarray(this.slabUsed, this.slabUsed + length);
    this.slabUsed += length;
    this.slabLive[last]!++;
    this.slabOf[slot] = this.firstSlabNo + last;
  }

  private drop(slot: number): void {
    this.bytes -= this.packets[slot]!.length;
    this.packets[slot] = undefined;
    this.seqs[slot] = -1;
    this.count--;
    const no = this.slabOf[slot]!;
    if (no < 0) return;
    this.slabLive[no - this.firstSlabNo]!--;
    // Slabs from the oldest on that hold nothing any more go back, all but the one being filled.
    while (this.slabs.length > 1 && this.slabLive[0] === 0) {
      this.pool.give(this.slabs.shift()!);
      this.slabLive.shift();
      this.firstSlabNo++;
    }
  }

  /**
   * A packet ext is about to need the slot of one the window still holds: grow the ring (up to
   * MAX_SLOTS) when that one is younger than the window, else let the window move on.
   */
  private makeRoom(ext: number, nowMs: number): void {
    const cutoff = nowMs - this.opts.windowMs;
    const size = this.packets.length;
    if (ext - this.highest >= MAX_SLOTS) {
      // A jump beyond what 16 bits can order: nothing held is comparable any more.
      const ssrc = this.ssrc;
      this.reset();
      this.ssrc = ssrc;
      this.highest = ext - 1;
      this.oldest = ext;
      return;
    }
    let young = false;
    for (let e = this.oldest; e <= ext - size; e++) {
      const slot = e & this.mask;
      if (this.seqs[slot] === e && this.times[slot]! >= cutoff) {
        young = true;
        break;
      }
    }
    if (young && size < MAX_SLOTS) {
      this.grow(Math.min(MAX_SLOTS, Math.max(size * 2, 1 << Math.ceil(Math.log2(ext - this.oldest + 1)))));
      if (ext - this.oldest < this.packets.length) return;
    }
    // Whatever still sits where the new packets go leaves the window.
    const from = ext - this.packets.length;
    for (let e = this.oldest; e <= from; e++) {
      const slot = e & this.mask;
      if (this.seqs[slot] === e) this.drop(slot);
    }
    this.oldest = Math.max(this.oldest, from + 1);
  }

  private grow(size: number): void {
    const packets: Array<Uint8Array | undefined> = new Array(size);
    const slabOf = new Int32Array(size);
    const seqs = new Float64Array(size).fill(-1);
    const times = new Float64Array(size);
    const mask = size - 1;
    for (let e = this.oldest; e <= this.highest; e++) {
      const slot = e & this.mask;
      if (this.seqs[slot] !== e) continue;
      packets[e & mask] = this.packets[slot];
      slabOf[e & mask] = this.slabOf[slot]!;
      seqs[e & mask] = e;
      times[e & mask] = this.times[slot]!;
    }
    this.packets = packets;
    this.slabOf = slabOf;
    this.seqs = seqs;
    this.times = times;
    this.mask = mask;
  }
}
