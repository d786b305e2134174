import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay over a window of recent seconds, in milliseconds. */
export interface LoopDelayWindow {
  /** Seconds covered (fewer than asked right after start). */
  seconds: number;
  /** Timer samples in the window (about 50 a second). */
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

interface Second {
  at: number;
  maxMs: number;
  /** Delays of this second's samples, rebuilt from the histogram's percentile buckets. */
  values: Float32Array;
}

export interface EventLoopMonitorOptions {
  /**
   * Sampling timer period (perf_hooks resolution), ms. A stall shows in full whatever the
   * period (it delays the next sample); a longer period wakes an idle node less often.
   */
  resolutionMs?: number;
  /** Seconds of history kept for window queries. */
  keepSeconds?: number;
}

/**
 * How long the event loop keeps timers waiting: perf_hooks.monitorEventLoopDelay samples a
 * native timer every `resolutionMs`; a delay is the sampled interval minus that period. All
 * fan-out runs on this thread, so a keyframe burst to many viewers shows up here first.
 *
 * The histogram is rotated every second into a small ring (the last `keepSeconds`), so any
 * reader can ask for the last N seconds without resetting what another reader sees. Each
 * second keeps its samples as rebuilt from the HDR histogram's percentile buckets (exact max,
 * the rest to the bucket's value), about 50 floats a second at the default resolution.
 */
export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram;
  private readonly resolutionMs: number;
  private readonly keep: number;
  private readonly ring: Second[] = [];
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(opts: EventLoopMonitorOptions = {}) {
    this.resolutionMs = opts.resolutionMs ?? 20;
    this.keep = opts.keepSeconds ?? 120;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
    this.timer = setInterval(() => this.rotate(), 1000);
    this.timer.unref();
  }

  private rotate(): void {
    const h = this.histogram;
    const count = h.count;
    if (count > 0) {
      const values = new Float32Array(count);
      let filled = 0;
      let prev = 0;
      for (const [p, v] of h.percentiles) {
        const upTo = Math.min(count, Math.round((p / 100) * count));
        const delay = Math.max(0, v / 1e6 - this.resolutionMs);
        for (; filled < upTo; filled++) values[filled] = delay;
        prev = delay;
      }
      for (; filled < count; filled++) values[filled] = prev;
      this.ring.push({ at: Date.now(), maxMs: Math.max(0, h.max / 1e6 - this.resolutionMs), values });
      if (this.ring.length > this.keep) this.ring.shift();
    }
    h.reset();
  }

  /** p50, p99 and max of the delays sampled over the last `seconds` full seconds. */
  window(seconds: number): LoopDelayWindow {
    const from = Date.now() - seconds * 1000 - 500;
    const secs = this.ring.filter((s) => s.at >= from);
    const n = secs.reduce((a, s) => a + s.values.length, 0);
    if (n === 0) return { seconds: 0, samples: 0, p50Ms: null, p99Ms: null, maxMs: null };
    const all = new Float32Array(n);
    let o = 0;
    for (const s of secs) {
      all.set(s.values, o);
      o += s.values.length;
    }
    all.sort();
    const rank = (p: number) => round(all[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!);
    return { seconds: secs.length, samples: n, p50Ms: rank(50), p99Ms: rank(99), maxMs: round(Math.max(...secs.map((s) => s.maxMs))) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
