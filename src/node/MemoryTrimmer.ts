import { loadNativeAddon } from '../engine/nativeAddon.js';
import type { Metrics } from '../metrics.js';

/**
 * Gives the allocator's free pages back to the kernel every `everyMs` (glibc malloc_trim(0),
 * through the native addon). Why: window B, the archive's write queue and the link buffers are
 * malloc'd packet buffers freed out of order; glibc returns only a free top of its heap by
 * itself, so after a burst (a disk that lagged, a stalled link) the freed pages in the middle
 * stay resident and RSS stays at the burst's peak although the node's own accounting (window B,
 * V8's external memory) is back under budget. Measured on an origin with 20 publishers and an
 * archive (issue 23): one call took RSS from 235 to 195 MB.
 *
 * A no-op where the addon did not build or there is no glibc. The call walks the heap's free
 * lists (about a millisecond for a few hundred MB here), so it runs on a slow timer.
 */
export class MemoryTrimmer {
  #timer: NodeJS.Timeout | null = null;
  #released = 0;
  #runs = 0;

  constructor(everyMs: number, metrics?: Metrics) {
    const trim = loadNativeAddon().addon?.mallocTrim;
    if (!trim || everyMs <= 0) return;
    metrics?.counterFrom(
      'memory_trimmed_bytes_total',
      'Resident bytes returned to the kernel by periodic malloc_trim (native addon)',
      () => [[{}, this.#released]],
      [],
    );
    this.#timer = setInterval(() => {
      const before = process.memoryUsage.rss();
      trim();
      this.#runs++;
      this.#released += Math.max(0, before - process.memoryUsage.rss());
    }, everyMs);
    this.#timer.unref();
  }

  /** Whether it trims (the addon is there and the interval is not 0). */
  get active(): boolean {
    return this.#timer !== null;
  }

  get runs(): number {
    return this.#runs;
  }

  /** Resident bytes released so far (RSS before minus after each call, when it fell). */
  get releasedBytes(): number {
    return this.#released;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
