import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { Lease, StreamHub } from '../media/StreamHub.js';
import type { FeedConsumer } from '../media/types.js';
import { STREAM_NAME } from '../http/http.js';
import { streamInfoToWire, type Frame } from './frame.js';
import type { Link } from './Link.js';

export interface DownlinkOptions {
  hub: StreamHub;
  counters: NodeCounters;
  logger: Logger;
  maxSubscriptions?: number;
  /** Whether a time-shifted request for startMs is older than this node's window B. */
  bypassAt: (startMs: number) => boolean;
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

  onPacket(track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean): void {
    this.owner.sendMedia(this.subId, track, rtp, captureMs, keyframe);
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
    if (f.subscribe) {
      const s = f.subscribe;
      return this.subscribe(s.subId ?? 0, s.stream ?? '', s.startMs ?? null, s.bypass ?? false);
    }
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

  private subscribe(subId: number, stream: string, startMs: number | null, bypass: boolean): void {
    if (this.subs.has(subId)) throw new CanopyError(ErrorCode.LINK_PROTOCOL, `sub_id ${subId} already in use`);
    if (this.subs.size >= (this.opts.maxSubscriptions ?? 1000)) {
      this.link.send({ subscribeError: { subId, code: ErrorCode.UNAVAILABLE, reason: 'too many subscriptions on this link' } });
      return;
    }
    if (!STREAM_NAME.test(stream)) {
      this.link.send({ subscribeError: { subId, code: ErrorCode.BAD_REQUEST, reason: 'bad stream name' } });
      return;
    }
    const sub = new ChildSubscription(subId, stream, this);
    this.subs.set(subId, sub);
    const at = startMs === null ? undefined : { startMs, bypass: bypass || this.opts.bypassAt(startMs) };
    this.opts.hub.acquire(stream, at).then(
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

  sendMedia(subId: number, track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean): void {
    if (this.link.sendMedia({ subId, track, rtp, captureMs, keyframe })) {
      this.opts.counters.packetsOut.add();
      this.opts.counters.bytesOut.add(rtp.length);
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
