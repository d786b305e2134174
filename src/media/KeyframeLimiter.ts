import type { NodeCounters } from '../metrics.js';

/** Who asked for a keyframe (the label of canopy_keyframe_requests_received_total). */
export type KeyframeCause = 'viewer' | 'child' | 'timer' | 'resync';

export interface KeyframeLimiterOptions {
  /** At most one request goes upstream per track per interval. */
  intervalMs: number;
  /** Sends one request upstream; false when it could not go (no source right now). */
  forward: (track: number) => boolean;
  counters: NodeCounters;
}

/**
 * Limits the keyframe requests one feed sends upstream: at most one per track per interval,
 * however many viewers and children ask (docs/repair.md). A request inside the interval is not
 * dropped but folded into one request at the interval's end, so a viewer that joins right
 * after someone else's request still gets its keyframe within the interval. At the origin
 * this is what keeps lossy viewers from making the broadcaster send keyframes over and over;
 * at relays the same class is the per-hop debounce.
 */
export class KeyframeLimiter {
  private readonly last = new Map<number, number>();
  private readonly deferred = new Map<number, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: KeyframeLimiterOptions) {}

  /** The interval; the origin sets its own for published feeds (--keyframe-min-interval). */
  get intervalMs(): number {
    return this.opts.intervalMs;
  }

  set intervalMs(ms: number) {
    this.opts.intervalMs = ms;
  }

  request(track: number, cause: KeyframeCause, nowMs = Date.now()): void {
    const c = this.opts.counters;
    c.keyframeRequestsReceived.inc({ from: cause });
    if (this.closed || this.deferred.has(track)) {
      c.keyframeRequests.inc({ result: 'suppressed' });
      return;
    }
    const wait = (this.last.get(track) ?? -Infinity) + this.opts.intervalMs - nowMs;
    if (wait <= 0) {
      if (this.send(track, nowMs)) return;
      c.keyframeRequests.inc({ result: 'suppressed' });
      return;
    }
    c.keyframeRequests.inc({ result: 'suppressed' });
    const timer = setTimeout(() => {
      this.deferred.delete(track);
      this.send(track, Date.now());
    }, wait);
    this.deferred.set(track, timer);
  }

  private send(track: number, nowMs: number): boolean {
    if (this.closed || !this.opts.forward(track)) return false;
    this.last.set(track, nowMs);
    this.opts.counters.keyframeRequests.inc({ result: 'forwarded' });
    return true;
  }

  /** Forgets the past (a new source: its first request must go at once) and drops deferred requests. */
  reset(): void {
    this.last.clear();
    for (const t of this.deferred.values()) clearTimeout(t);
    this.deferred.clear();
  }

  /** Deferred requests waiting for their interval to end. */
  get pending(): number {
    return this.deferred.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reset();
  }
}
