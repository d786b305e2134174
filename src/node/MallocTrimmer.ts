import { loadNativeAddon } from '../engine/nativeAddon.js';

/** How often glibc is asked to give its free pages back. */
export const MALLOC_TRIM_EVERY_MS = 10_000;

/**
 * Asks glibc every 10 s to give the pages it holds free back to the OS (malloc_trim(3), through
 * the native addon; native/src/memory.cc says why). Without the addon (not built, or not glibc)
 * it does nothing. One call costs about a millisecond on a node holding a few hundred MiB
 * (docs/scale.md, "Memory").
 */
export class MallocTrimmer {
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  /** Calls made, and how long they took in all (ms). */
  calls = 0;
  totalMs = 0;
  private readonly timer: NodeJS.Timeout | null;
  private readonly trim: (() => boolean | null) | null;

  constructor(everyMs = MALLOC_TRIM_EVERY_MS, trim: (() => boolean | null) | null = loadNativeAddon().addon?.mallocTrim ?? null) {
    this.trim = trim;
    this.timer = trim && everyMs > 0 ? setInterval(() => this.run(), everyMs).unref() : null;
  }

  /** Whether there is a malloc_trim to call here. */
  get available(): boolean {
    return this.trim !== null;
  }

  run(): void {
    if (!this.trim || this.closed) return;
    const t = performance.now();
    this.trim();
    this.totalMs += performance.now() - t;
    this.calls++;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.timer) clearInterval(this.timer);
  }
}
