import { constants as perf, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
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
 * lists (about a millisecond for a few hundred MB here), so it runs on a slow timer, and early
 * when RSS has grown by GROWTH_TRIM_BYTES since the last call (checked every CHECK_MS: reading
 * RSS is one small /proc read). Why: on a busy machine a relay's RSS rose 30 MiB within 4 s and
 * stayed there until the next 30 s trim, which gave 34 MiB back (the 60-minute soak, issue 23:
 * 221 → 251 MiB for 20 s → 213 after the trim): the peak, not the median, is what the budget
 * plus overhead must hold.
 *
 * And at the first check after each major GC of V8's: packet buffers V8 promoted to its old
 * generation come back only then, tens of MiB at once (it starts one when external memory has
 * grown by 64 MiB), and RSS does not grow when they are freed, so the growth rule misses them.
 * In the soak a relay's heap then sat 50 MiB above its level for 30–45 s until the next
 * periodic trim (brk 154 MiB with 84 MiB of ArrayBuffers live).
 */
/** RSS growth since the last trim that triggers one at once (freed bursts do not wait for the timer). */
export const GROWTH_TRIM_BYTES = 16 * 1024 * 1024;
/** How often RSS is compared with its level after the last trim. */
export const CHECK_MS = 2000;

export interface MemoryTrimmerOptions {
  /** Period of the trim (0: never trim). */
  everyMs: number;
  /** RSS growth over its lowest since the last trim that trims at once (default GROWTH_TRIM_BYTES). */
  growthBytes?: number;
  /** How often that growth is checked (default CHECK_MS). */
  checkMs?: number;
}

export class MemoryTrimmer {
  #timer: NodeJS.Timeout | null = null;
  #gcs: PerformanceObserver | null = null;
  #released = 0;
  #runs = 0;

  constructor(opts: MemoryTrimmerOptions, metrics?: Metrics) {
    const { everyMs, growthBytes = GROWTH_TRIM_BYTES, checkMs = CHECK_MS } = opts;
    const trim = loadNativeAddon().addon?.mallocTrim;
    if (!trim || everyMs <= 0) return;
    metrics?.counterFrom(
      'memory_trimmed_bytes_total',
      'Resident bytes returned to the kernel by periodic malloc_trim (native addon)',
      () => [[{}, this.#released]],
      [],
    );
    let sinceMs = 0;
    // The lowest RSS since the last trim: growth is measured from it.
    let low = process.memoryUsage.rss();
    let majorGc = false;
    this.#gcs = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === perf.NODE_PERFORMANCE_GC_MAJOR) majorGc = true;
    });
    this.#gcs.observe({ entryTypes: ['gc'] });
    const tick = Math.min(everyMs, checkMs);
    this.#timer = setInterval(() => {
      sinceMs += tick;
      const before = process.memoryUsage.rss();
      low = Math.min(low, before);
      if (sinceMs < everyMs && before - low < growthBytes && !majorGc) return;
      sinceMs = 0;
      majorGc = false;
      trim();
      this.#runs++;
      low = process.memoryUsage.rss();
      this.#released += Math.max(0, before - low);
    }, tick);
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
    this.#gcs?.disconnect();
    this.#gcs = null;
  }
}
