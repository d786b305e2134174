/** Packets remembered behind the highest index (RFC 3711 §3.3.2 asks for at least 64). */
export const REPLAY_WINDOW = 1024;

/**
 * The receiving side's replay list of one SRTP crypto context (RFC 3711 §3.3.2): the highest
 * packet index authenticated so far and a bitmap of the REPLAY_WINDOW indices behind it. An
 * index is accepted once; one older than the window is rejected. `check` comes before
 * authentication and `commit` after it, so a forged packet cannot move the window.
 */
export class ReplayWindow {
  private highest = -1;
  private readonly seen = new Uint8Array(REPLAY_WINDOW);
  private readonly seenIndex = new Float64Array(REPLAY_WINDOW).fill(-1);

  /**
   * The 48-bit packet index (ROC × 2^16 + SEQ) of a 16-bit sequence number, estimated as the
   * one closest to the highest index seen (RFC 3711 §3.3.1, Appendix A).
   */
  estimate(seq: number): number {
    if (this.highest < 0) return seq;
    const idx = this.highest + ((((seq - this.highest) & 0xffff) << 16) >> 16);
    return idx < 0 ? idx + 0x10000 : idx;
  }

  /** Whether a packet with this index may be authenticated (not replayed, not too old). */
  check(index: number): boolean {
    if (this.highest < 0 || index > this.highest) return true;
    if (index <= this.highest - REPLAY_WINDOW) return false;
    const slot = index % REPLAY_WINDOW;
    return !(this.seen[slot] === 1 && this.seenIndex[slot] === index);
  }

  /** Records an authenticated packet's index. */
  commit(index: number): void {
    const slot = index % REPLAY_WINDOW;
    if (index > this.highest) this.highest = index;
    this.seen[slot] = 1;
    this.seenIndex[slot] = index;
  }
}
