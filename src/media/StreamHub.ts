import { EventEmitter } from 'node:events';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { FanoutPacer } from './FanoutPacer.js';
import { CacheBudget } from './CacheBudget.js';
import { Feed } from './Feed.js';
import { SlabPool } from './SlabPool.js';
import type { RtpHistoryOptions } from './RtpHistory.js';
import type { StreamConsumer, FeedSource, StreamInfo } from './types.js';
import type { UpstreamPlanner } from './UpstreamPlanner.js';

export interface WindowBOptions {
  /** Window B: how far back a request is served from this tree's buffers rather than the origin's archive. */
  windowMs: number;
  /** --cache-max-bytes: each stream's buffer. */
  maxBytes: number;
  /** --cache-max-total-bytes: all buffers of this node together. */
  totalBytes?: number;
  /** What a buffer keeps in memory when less than windowMs (an origin with an archive). */
  memoryWindowMs?: number;
}

export interface StreamHubOptions {
  /** Where this node gets a stream it does not have (live or time-shifted). */
  planner?: UpstreamPlanner;
  /** Live feeds' recent-media buffer (window B); totalBytes: the node budget of all of them (CacheBudget). */
  buffer?: WindowBOptions;
  startTimeoutMs: number;
  idleCloseAfterMs: number;
  keyframeDebounceMs?: number;
  /** Loss repair (docs/repair.md): the origin's keyframe limit for published feeds, and the histories. */
  keyframeMinIntervalMs?: number;
  history?: RtpHistoryOptions;
  /** The node's fan-out pacer, shared by its feeds. */
  pacer?: FanoutPacer;
  /** How long a feed that lost its upstream keeps its consumers (a publisher's: waits for it); --reconnect-grace. */
  recoverForMs: number;
  logger: Logger;
  counters: NodeCounters;
}

/** A reference on a feed, held by one consumer. release() is idempotent. */
export class Lease {
  private consumer: StreamConsumer | null = null;
  private released = false;

  constructor(
    readonly feed: Feed,
    readonly info: StreamInfo,
  ) {}

  attach(consumer: StreamConsumer): void {
    if (this.released) throw new CanopyError(ErrorCode.INTERNAL, 'lease already released');
    this.consumer = consumer;
    this.feed.attach(consumer);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.consumer) this.feed.detach(this.consumer);
    this.consumer = null;
    this.feed.release();
  }
}

export interface TimeShift {
  startMs: number;
  bypass: boolean;
}

/** A relay's keyframe requests upstream for one track: at most one per this interval (no option sets it). */
const KEYFRAME_DEBOUNCE_MS = 300;
/** Free slabs kept for the histories' reuse when there is no window-B budget (whose pool they share otherwise). */
const HISTORY_FREE_SLABS = 64;

/** Time-shifted requests this close in start time, and this close in arrival, share one feed. */
const TIMESHIFT_SHARE_MS = 1000;

/**
 * The streams a node carries: live feeds by name, time-shifted feeds by name, start and
 * arrival. Closing feeds leave the map at once, so a new request re-opens.
 */
export interface StreamHubEvents {
  /** A feed was made (pulled or published). */
  feed: [feed: Feed];
}

export class StreamHub extends EventEmitter<StreamHubEvents> {
  readonly feeds = new Map<string, Feed>();
  private closed = false;
  private timeshiftSeq = 0;
  /** The node-wide memory budget of window B (null: none configured). */
  readonly budget: CacheBudget | null;
  /** Loss repair's histories at this node copy their packets into slabs from here: the budget's, if any. */
  private readonly historySlabs: SlabPool;

  constructor(private readonly opts: StreamHubOptions) {
    super();
    const total = opts.buffer?.totalBytes;
    this.budget = total ? new CacheBudget({ maxBytes: total, logger: opts.logger.child({ component: 'cache' }) }) : null;
    this.historySlabs = this.budget?.slabs ?? new SlabPool(HISTORY_FREE_SLABS);
  }

  /** The live feed of a stream. */
  get(name: string): Feed | undefined {
    return this.feeds.get(name);
  }

  /** Takes a reference on a stream (live, or from a past time), pulling it if this node lacks it. */
  async acquire(name: string, at?: TimeShift): Promise<Lease> {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'node is shutting down');
    if (at) this.budget?.noteRequest(name);
    let feed = at ? this.findTimeshift(name, at) : this.feeds.get(name);
    if (!feed) {
      if (!this.opts.planner) throw new CanopyError(ErrorCode.NOT_FOUND, `stream ${name} not found`);
      feed = at ? this.createFeed(`${name}@${at.startMs}#${++this.timeshiftSeq}`, name, true, at) : this.createFeed(name, name, true);
    }
    feed.retain();
    try {
      return new Lease(feed, await feed.ready());
    } catch (err) {
      feed.release();
      throw err;
    }
  }

  /** A local publisher's stream (origin). A new publisher on a live name takes it over. */
  publish(name: string, source: FeedSource, info: StreamInfo): Feed {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'node is shutting down');
    const existing = this.feeds.get(name);
    if (existing?.replacePublisher(source, info)) return existing;
    existing?.end(ErrorCode.PUBLISHER_REPLACED, 'publisher replaced with different tracks');
    const feed = this.createFeed(name, name, false);
    feed.publish(source, info);
    return feed;
  }

  private findTimeshift(name: string, at: TimeShift): Feed | undefined {
    const now = Date.now();
    for (const f of this.feeds.values()) {
      if (f.name !== name || f.startMs === null || f.closed || f.bypass !== at.bypass) continue;
      if (Math.abs(f.startMs - at.startMs) <= TIMESHIFT_SHARE_MS && now - f.createdAt <= TIMESHIFT_SHARE_MS) return f;
    }
    return undefined;
  }

  private createFeed(key: string, name: string, planned: boolean, at?: TimeShift): Feed {
    const planner = this.opts.planner;
    const feed = new Feed(name, {
      plan: planned && planner ? (f) => planner.open(f) : undefined,
      buffer: this.opts.buffer && { ...this.opts.buffer, budget: this.budget },
      startMs: at?.startMs ?? null,
      bypass: at?.bypass ?? false,
      startTimeoutMs: this.opts.startTimeoutMs,
      idleCloseAfterMs: this.opts.idleCloseAfterMs,
      keyframeDebounceMs: this.opts.keyframeDebounceMs ?? KEYFRAME_DEBOUNCE_MS,
      keyframeMinIntervalMs: this.opts.keyframeMinIntervalMs,
      history: this.opts.history && { ...this.opts.history, slabs: this.historySlabs },
      pacer: this.opts.pacer,
      recoverForMs: this.opts.recoverForMs,
      logger: this.opts.logger,
      counters: this.opts.counters,
    });
    this.feeds.set(key, feed);
    feed.on('state', (s: string) => {
      if ((s === 'closing' || s === 'closed') && this.feeds.get(key) === feed) this.feeds.delete(key);
    });
    this.emit('feed', feed);
    return feed;
  }

  get timerCount(): number {
    let n = 0;
    for (const f of this.feeds.values()) n += f.pendingTimers;
    return n;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of [...this.feeds.values()]) f.close(reason, ErrorCode.SHUTDOWN);
  }
}
