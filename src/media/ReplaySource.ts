import { performance } from 'node:perf_hooks';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { MediaPacket } from './MediaPacket.js';
import type { FeedSink, FeedSource } from './types.js';

export type ReplayPacket = MediaPacket;

/** A position in recorded media: a buffer cursor or an archive reader. */
export interface ReplayIterator {
  next(): ReplayPacket | null | Promise<ReplayPacket | null>;
  close(): void;
  /** Set when what it would give next is gone (evicted for memory): the replay reports its source lost. */
  readonly lost?: boolean;
}

export interface ReplaySourceOptions {
  kind: 'buffer' | 'archive';
  /** This node's id (a replay pulls from no one). */
  peer: string;
  /** Opens an iterator at the keyframe at or before a time; null when that time is gone. */
  seek: (startMs: number) => ReplayIterator | null;
  startMs: number;
  logger: Logger;
  /** End the feed when no new packet has come for this long (the recording stopped). */
  endAfterIdleMs?: number;
}

/** A recording gap longer than this is skipped instead of waited out (a republish later on). */
const MAX_GAP_MS = 2000;
const IDLE_POLL_MS = 200;

/**
 * Plays recorded media into a time-shifted feed, paced in real time from the recorded capture
 * times, so the viewer stays behind live by now − start (patent [0061]-[0072]). A keyframe
 * request rewinds to the last keyframe played: a viewer that just connected (and missed the
 * first one) gets a picture at once.
 */
export class ReplaySource implements FeedSource {
  readonly kind: 'buffer' | 'archive';
  readonly peer: string;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  private it: ReplayIterator | null;
  private sink: FeedSink | null = null;
  private pending: ReplayPacket | null = null;
  private t0 = -1;
  private c0 = 0;
  private lastKeyframeMs: number;
  private idleSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pumping = false;

  constructor(private readonly opts: ReplaySourceOptions) {
    this.kind = opts.kind;
    this.peer = opts.peer;
    this.lastKeyframeMs = opts.startMs;
    this.it = opts.seek(opts.startMs);
  }

  /** Whether there was anything at the start time. */
  get valid(): boolean {
    return this.it !== null;
  }

  /** Starts playing into the feed; the first packet goes out after the caller attached its consumers. */
  start(sink: FeedSink): void {
    this.sink = sink;
    this.schedule(0);
  }

  requestKeyframe(): void {
    if (this.closed) return;
    const it = this.opts.seek(this.lastKeyframeMs);
    if (!it) return;
    this.it?.close();
    this.it = it;
    this.pending = null;
    this.t0 = -1;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump();
    }, ms);
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.closed || !this.it || !this.sink) return;
    this.pumping = true;
    try {
      for (;;) {
        const it: ReplayIterator = this.it;
        const p = this.pending ?? (await it.next());
        if (this.closed) return;
        // Rewound meanwhile (a keyframe request while an archive read was in flight): that
        // rewind's own pump found this one running and left, so go on with the new iterator.
        if (it !== this.it) continue;
        this.pending = null;
        const now = performance.now();
        if (!p && it.lost) {
          // The buffer evicted what comes next: the feed re-pulls from where it is (upstream).
          const sink = this.sink;
          this.close();
          sink.sourceLost('window B evicted the media being replayed', this);
          return;
        }
        if (!p) {
          this.idleSince ??= now;
          if (now - this.idleSince > (this.opts.endAfterIdleMs ?? 10_000)) {
            this.sink.end(ErrorCode.STREAM_ENDED, 'end of the recording');
            return;
          }
          this.schedule(IDLE_POLL_MS);
          return;
        }
        this.idleSince = null;
        let due = this.t0 + (p.captureMs - this.c0);
        if (this.t0 < 0 || due - now > MAX_GAP_MS) {
          this.t0 = now;
          this.c0 = p.captureMs;
          due = now;
        }
        if (due > now + 1) {
          this.pending = p;
          this.schedule(due - now);
          return;
        }
        if (p.keyframe) this.lastKeyframeMs = p.captureMs;
        this.sink.deliver(p);
      }
    } finally {
      this.pumping = false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.it?.close();
    this.it = null;
    this.opts.logger.debug('closed: replay stopped');
  }
}
