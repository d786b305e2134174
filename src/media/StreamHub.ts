import { EventEmitter } from 'node:events';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import { Feed, type FeedOpener } from './Feed.js';
import type { FeedConsumer, FeedSource, StreamInfo } from './types.js';

export interface StreamHubOptions {
  /** How this node pulls a stream it does not have; absent at the origin. */
  opener?: FeedOpener;
  startTimeoutMs: number;
  idleCloseAfterMs: number;
  keyframeDebounceMs?: number;
  recoverForMs?: number;
  logger: Logger;
  counters: NodeCounters;
}

/** A reference on a feed, held by one consumer. release() is idempotent. */
export class Lease {
  private consumer: FeedConsumer | null = null;
  private released = false;

  constructor(
    readonly feed: Feed,
    readonly info: StreamInfo,
  ) {}

  attach(consumer: FeedConsumer): void {
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

/** The streams a node carries, by name. Closing feeds leave the map at once, so a new request re-opens. */
export class StreamHub extends EventEmitter {
  readonly feeds = new Map<string, Feed>();
  private closed = false;

  constructor(private readonly opts: StreamHubOptions) {
    super();
  }

  get(name: string): Feed | undefined {
    return this.feeds.get(name);
  }

  /** Takes a reference on a stream, pulling it upstream if this node lacks it. */
  async acquire(name: string): Promise<Lease> {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'node is shutting down');
    let feed = this.feeds.get(name);
    if (!feed) {
      if (!this.opts.opener) throw new CanopyError(ErrorCode.NOT_FOUND, `stream ${name} not found`);
      feed = this.createFeed(name, this.opts.opener);
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
    const feed = this.createFeed(name, undefined);
    feed.publish(source, info);
    return feed;
  }

  private createFeed(name: string, opener: FeedOpener | undefined): Feed {
    const feed = new Feed(name, {
      opener,
      startTimeoutMs: this.opts.startTimeoutMs,
      idleCloseAfterMs: this.opts.idleCloseAfterMs,
      keyframeDebounceMs: this.opts.keyframeDebounceMs ?? 300,
      recoverForMs: this.opts.recoverForMs ?? 30_000,
      logger: this.opts.logger,
      counters: this.opts.counters,
    });
    this.feeds.set(name, feed);
    feed.on('state', (s: string) => {
      if ((s === 'closing' || s === 'closed') && this.feeds.get(name) === feed) this.feeds.delete(name);
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
