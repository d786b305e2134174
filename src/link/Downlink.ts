import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { Lease, StreamHub } from '../media/StreamHub.js';
import type { FeedConsumer } from '../media/types.js';
import { streamInfoToWire, type Frame } from './frame.js';
import type { Link } from './Link.js';

export interface DownlinkOptions {
  hub: StreamHub;
  counters: NodeCounters;
  logger: Logger;
  maxSubscriptions?: number;
}

class ChildSubscription implements FeedConsumer {
  readonly kind = 'child';
  lease: Lease | null = null;
  done = false;

  constructor(
    readonly subId: number,
    readonly stream: string,
    private readonly owner: Downlink,
  ) {}

  onPacket(track: number, rtp: Uint8Array, captureMs: number): void {
    this.owner.sendMedia(this.subId, track, rtp, captureMs);
  }

  onEnded(code: ErrorCode, reason: string): void {
    this.owner.ended(this, code, reason);
  }
}

/**
 * Serves one accepted link (a child relay, or a sibling pulling from us): each of its
 * subscriptions is a consumer holding one reference on this node's feed.
 */
export class Downlink {
  readonly subs = new Map<number, ChildSubscription>();
  private readonly log: Logger;

  constructor(
    readonly link: Link,
    private readonly opts: DownlinkOptions,
  ) {
    this.log = opts.logger.child({ downlink: link.peerId });
    link.on('frame', (f: Frame) => this.onFrame(f));
    link.once('close', () => this.releaseAll());
  }

  get peerId(): string {
    return this.link.peerId;
  }

  private onFrame(f: Frame): void {
    if (f.subscribe) return this.subscribe(f.subscribe.subId ?? 0, f.subscribe.stream ?? '');
    if (f.unsubscribe) {
      const sub = this.subs.get(f.unsubscribe.subId ?? 0);
      if (sub) this.drop(sub);
      return;
    }
    if (f.keyframeRequest) {
      this.subs.get(f.keyframeRequest.subId ?? 0)?.lease?.feed.requestKeyframe(f.keyframeRequest.track ?? 0);
      return;
    }
    throw new CanopyError(ErrorCode.LINK_PROTOCOL, `unexpected ${f.msg} frame from a downstream node`);
  }

  private subscribe(subId: number, stream: string): void {
    if (this.subs.has(subId)) throw new CanopyError(ErrorCode.LINK_PROTOCOL, `sub_id ${subId} already in use`);
    if (this.subs.size >= (this.opts.maxSubscriptions ?? 1000)) {
      this.link.send({ subscribeError: { subId, code: ErrorCode.UNAVAILABLE, reason: 'too many subscriptions on this link' } });
      return;
    }
    const sub = new ChildSubscription(subId, stream, this);
    this.subs.set(subId, sub);
    this.opts.hub.acquire(stream).then(
      (lease) => {
        if (sub.done || this.link.closed) return lease.release();
        sub.lease = lease;
        this.link.send({ subscribeOk: { subId, info: streamInfoToWire(lease.info) } });
        lease.attach(sub);
        this.log.debug({ subId, stream }, 'subscribed');
      },
      (err: unknown) => {
        const e = toCanopyError(err);
        if (!sub.done) this.link.send({ subscribeError: { subId, code: e.code, reason: e.message } });
        this.drop(sub);
      },
    );
  }

  sendMedia(subId: number, track: number, rtp: Uint8Array, captureMs: number): void {
    if (this.link.sendMedia({ subId, track, rtp, captureMs })) {
      this.opts.counters.packetsOut.inc(undefined, 1);
      this.opts.counters.bytesOut.inc(undefined, rtp.length);
    } else {
      this.opts.counters.packetsDropped.inc({ reason: 'link_backpressure' });
    }
  }

  ended(sub: ChildSubscription, code: ErrorCode, reason: string): void {
    if (sub.done) return;
    this.link.send({ streamEnded: { subId: sub.subId, code, reason } });
    this.drop(sub);
  }

  private drop(sub: ChildSubscription): void {
    sub.done = true;
    this.subs.delete(sub.subId);
    sub.lease?.release();
    sub.lease = null;
  }

  private releaseAll(): void {
    for (const sub of [...this.subs.values()]) this.drop(sub);
  }
}
