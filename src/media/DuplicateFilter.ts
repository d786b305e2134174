import { rtpSeq, rtpSsrc } from '../rtp.js';

/**
 * Sequence numbers remembered behind the newest one, per track. A make-before-break parent move
 * overlaps two parents for well under a second (a few hundred packets of video); a packet this
 * far behind is either a duplicate or too late to be of use to a viewer.
 */
export const DUPLICATE_WINDOW = 1024;
/** Tracks a filter keeps state for (a hostile link cannot make it allocate more). */
const MAX_TRACKS = 16;

/** Whether a packet is new, came before, or is too old to tell. */
export type SeqVerdict = 'new' | 'duplicate' | 'late';

/**
 * The window of one track (one SSRC at a time): a bitmap of the last DUPLICATE_WINDOW extended
 * sequence numbers. Sequence arithmetic follows RFC 3550 §A.1: a forward difference of less
 * than half the 16-bit space is new (the cycle count grows on wrap); a packet behind the window
 * is late, unless two of them arrive in sequence, which is a source that restarted its
 * numbering (the "bad_seq" probation of §A.1), and the window starts over there.
 */
export class SeqWindow {
  private readonly seen = new Uint8Array(DUPLICATE_WINDOW);
  private ssrc = -1;
  /** Extended sequence number of the newest packet; -1 before the first. */
  private highest = -1;
  /** §A.1 bad_seq: the sequence number that would confirm a restart. */
  private badSeq = -1;

  check(rtp: Uint8Array): SeqVerdict {
    if (rtp.length < 12) return 'late';
    const ssrc = rtpSsrc(rtp);
    const seq = rtpSeq(rtp);
    if (ssrc !== this.ssrc || this.highest < 0) {
      this.restart(ssrc, seq);
      return 'new';
    }
    // Signed 16-bit distance from the newest packet (RFC 3550 §A.1 modular arithmetic).
    const delta = (((seq - this.highest) & 0xffff) << 16) >> 16;
    if (delta > 0) {
      // Clear the slots the window slides past (all of them after a jump longer than the window).
      for (let i = 1; i <= Math.min(delta, DUPLICATE_WINDOW); i++) this.seen[(this.highest + i) % DUPLICATE_WINDOW] = 0;
      this.highest += delta;
      this.seen[this.highest % DUPLICATE_WINDOW] = 1;
      this.badSeq = -1;
      return 'new';
    }
    if (-delta < DUPLICATE_WINDOW) {
      const slot = (this.highest + delta) % DUPLICATE_WINDOW;
      if (this.seen[slot]) return 'duplicate';
      this.seen[slot] = 1;
      return 'new';
    }
    if (seq === this.badSeq) {
      this.restart(ssrc, seq);
      return 'new';
    }
    this.badSeq = (seq + 1) & 0xffff;
    return 'late';
  }

  private restart(ssrc: number, seq: number): void {
    this.ssrc = ssrc;
    this.seen.fill(0);
    // Start well above 0 so the slot arithmetic never sees a negative number.
    this.highest = 0x10000 * 16 + seq;
    this.seen[this.highest % DUPLICATE_WINDOW] = 1;
    this.badSeq = -1;
  }
}

/**
 * Tells a live feed the packets it already has, per track, whether or not loss repair keeps a
 * history: a packet that came twice (the overlap of a make-before-break parent move, a
 * retransmission that crossed the original) goes no further.
 */
export class DuplicateFilter {
  private readonly windows = new Map<number, SeqWindow>();

  check(track: number, rtp: Uint8Array): SeqVerdict {
    let w = this.windows.get(track);
    if (!w) {
      if (track < 0 || track >= MAX_TRACKS) return 'new';
      this.windows.set(track, (w = new SeqWindow()));
    }
    return w.check(rtp);
  }

  clear(): void {
    this.windows.clear();
  }
}
