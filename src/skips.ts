// Values of a wrapping counter (RTP sequence numbers, VP8 PictureIDs) that a forwarder left out
// on purpose, so that what it sends stays continuous: a value v goes out as v + offset + (the
// number of skips newer than v), where the owner lowers offset by one at each skip. A packet
// sent late (older than a skip) keeps the number it would have had; nothing sent is renumbered.
// As mediasoup's SeqManager does for dropped packets and pictures.

/** Skips further back than this are forgotten (a packet this late is of no use to a receiver). */
export const SKIP_WINDOW = 4096;

export class SkipList {
  private readonly mask: number;
  private readonly half: number;
  /** Skipped values, oldest first (each newer than the one before it). */
  private readonly list: number[] = [];
  /** The newest value seen (-1: none yet). */
  newest = -1;
  /** The newest skip forgotten (-1: none): values up to it can no longer be mapped exactly. */
  private forgotten = -1;

  constructor(
    readonly bits: number,
    private readonly window = Math.min(SKIP_WINDOW, 2 ** (bits - 1) - 1),
  ) {
    this.mask = 2 ** bits - 1;
    this.half = 2 ** (bits - 1);
  }

  /** (a - b) as a signed distance in the counter's space: positive when a is newer. */
  delta(a: number, b: number): number {
    const d = (a - b) & this.mask;
    return d >= this.half ? d - this.mask - 1 : d;
  }

  /** Notes a value seen (sent or skipped); true when it is the newest so far. */
  see(v: number): boolean {
    if (this.newest < 0 || this.delta(v, this.newest) > 0) {
      this.newest = v;
      while (this.list.length > 0 && this.delta(v, this.list[0]!) > this.window) this.forgotten = this.list.shift()!;
      return true;
    }
    return false;
  }

  /**
   * Records v as skipped; only the newest value can be (an older one already has successors
   * numbered after it). Returns whether it was recorded.
   */
  skip(v: number): boolean {
    if (!this.see(v)) return false;
    this.list.push(v);
    return true;
  }

  /** Whether v maps exactly: it is newer than every skip forgotten. */
  exact(v: number): boolean {
    return this.forgotten < 0 || this.delta(v, this.forgotten) > 0;
  }

  /** How many skips are newer than v: what a late value adds back to the offset. */
  newerThan(v: number): number {
    let k = 0;
    for (let i = this.list.length - 1; i >= 0 && this.delta(this.list[i]!, v) > 0; i--) k++;
    return k;
  }

  /** Whether v itself was skipped. */
  has(v: number): boolean {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const d = this.delta(this.list[i]!, v);
      if (d === 0) return true;
      if (d < 0) return false;
    }
    return false;
  }

  /**
   * The input value that went out as `plain` = out - offset (the inverse of v + (skips newer
   * than v)): walking the skips from the newest, each one at or after the candidate moves it
   * one back. -1 when the answer is older than a forgotten skip.
   */
  unmap(plain: number): number {
    let v = plain & this.mask;
    for (let i = this.list.length - 1; i >= 0; i--) {
      if (this.delta(this.list[i]!, v) < 0) break;
      v = (v - 1) & this.mask;
    }
    return this.exact(v) ? v : -1;
  }

  get size(): number {
    return this.list.length;
  }

  clear(): void {
    this.list.length = 0;
    this.newest = -1;
    this.forgotten = -1;
  }
}
