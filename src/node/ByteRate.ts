/**
 * A bitrate taken from a byte counter between samples at least `windowMs` apart: video comes in
 * bursts (keyframes) and readers sample at any phase (pings, scrapes, the dashboard), so a
 * shorter window jumps about. Until the first window has passed, the rate is 0.
 */
export class ByteRate {
  /** The latest rate, bit/s. */
  bps = 0;

  constructor(
    private readonly windowMs: number,
    private at: number,
    private bytes = 0,
  ) {}

  /** The counter now reads `bytes`: the rate over the last whole window. */
  update(bytes: number, now: number): number {
    const dt = now - this.at;
    if (dt >= this.windowMs) {
      this.bps = Math.round(((bytes - this.bytes) * 8 * 1000) / dt);
      this.bytes = bytes;
      this.at = now;
    }
    return this.bps;
  }
}
