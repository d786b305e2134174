import { MAX_FRAGMENTS, type PipeMedia } from './packet.js';

/**
 * Packets remembered at once on one pipe (being put together, or delivered within the timeout);
 * past it the oldest is forgotten. Bounds what a pipe holds to 256 × 4 pieces of 1,185 octets.
 */
export const MAX_REASSEMBLIES = 256;
/**
 * A packet still missing pieces this long after its first piece arrived is given up: the pipe's
 * NackRequester stops asking for lost packets after 1 s (docs/pipe.md, "Per-hop repair").
 */
export const REASSEMBLY_TIMEOUT_MS = 1000;

interface Pending {
  subId: number;
  track: number;
  count: number;
  parts: Array<Buffer | undefined>;
  got: number;
  bornMs: number;
}

/**
 * A packet delivered: later copies of its pieces (retransmissions that crossed) are ignored
 * until the timeout. Kept as the first piece's arrival time alone, not its Pending: an object
 * held that long was promoted out of V8's young generation for every packet split in two.
 */
type Done = number;

/** A whole RTP packet put back together, with the fields of its pieces. */
export type Reassembled = Omit<PipeMedia, 'fragment'> & { fragment: null };

/**
 * The receiving side of media split across pipe datagrams (docs/pipe.md, "Size"): holds the
 * pieces of each packet, keyed by the media sequence number of its first piece (a piece's own
 * number less its index), until all have come, in any order, and then hands the packet on once.
 *
 * Each piece is its own SRTP packet, authenticated and checked against the replay list before it
 * gets here, and its own media sequence number, so a lost piece is NACKed and resent like any
 * packet. What this holds is bounded: MAX_FRAGMENTS pieces of a packet, MAX_REASSEMBLIES packets,
 * each for REASSEMBLY_TIMEOUT_MS. Pieces that disagree on the packet they belong to (sub id,
 * track, count) are dropped with the packet.
 */
export class Reassembler {
  private readonly pending = new Map<number, Pending | Done>();
  /** Packets given up on (incomplete in time, evicted, or inconsistent pieces). */
  dropped = 0;

  constructor(private readonly onDrop: (n: number) => void = () => undefined) {}

  /** A piece; returns the whole packet when this was its last missing piece, else null. */
  push(m: PipeMedia, now: number): Reassembled | null {
    const f = m.fragment;
    if (!f || f.count > MAX_FRAGMENTS || f.index >= f.count) return null;
    const key = (m.mseq - f.index) & 0xffff;
    let p = this.pending.get(key);
    if (typeof p === 'number') {
      if (now - p < REASSEMBLY_TIMEOUT_MS) return null;
      // Done so long ago that the key came round again (65,536 packets later).
      this.pending.delete(key);
      p = undefined;
    }
    if (p && (p.count !== f.count || p.subId !== m.subId || p.track !== m.track)) {
      this.pending.delete(key);
      this.drop(1);
      // A key reused after 65,536 packets, or a confused peer: this piece starts over.
      p = undefined;
    }
    if (!p) {
      if (this.pending.size >= MAX_REASSEMBLIES) this.evictOldest();
      p = { subId: m.subId, track: m.track, count: f.count, parts: new Array(f.count), got: 0, bornMs: now };
      this.pending.set(key, p);
    }
    if (p.parts[f.index]) return null;
    p.parts[f.index] = m.rtp;
    if (++p.got < p.count) return null;
    const rtp = Buffer.concat(p.parts as Buffer[]);
    // Same key: the entry keeps its place in the map's order (first arrival), which expire() walks.
    this.pending.set(key, p.bornMs);
    return { ...m, mseq: key, rtp, fragment: null };
  }

  /** Gives up on packets older than the timeout (the host's tick). */
  expire(now: number): void {
    for (const [key, p] of this.pending) {
      const done = typeof p === 'number';
      if (now - (done ? p : p.bornMs) < REASSEMBLY_TIMEOUT_MS) break; // insertion order: the rest are younger
      this.pending.delete(key);
      if (!done) this.drop(1);
    }
  }

  get size(): number {
    return this.pending.size;
  }

  clear(): void {
    this.pending.clear();
  }

  private evictOldest(): void {
    const [key, p] = this.pending.entries().next().value as [number, Pending | Done];
    this.pending.delete(key);
    if (typeof p !== 'number') this.drop(1);
  }

  private drop(n: number): void {
    this.dropped += n;
    this.onDrop(n);
  }
}
