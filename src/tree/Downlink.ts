import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { Lease, StreamHub } from '../media/StreamHub.js';
import type { MediaPacket } from '../media/MediaPacket.js';
import { isQuality, QUALITIES, type Quality, type StreamConsumer, type StreamInfo } from '../media/types.js';
import { STREAM_NAME } from '../http/http.js';
import { streamInfoToWire, type Frame } from '../link/frame.js';
import type { Link } from '../link/Link.js';
import { DownlinkPipe } from '../pipe/DownlinkPipe.js';
import type { LinkMediaMode, PipeHost } from '../pipe/PipeHost.js';

export interface DownlinkOptions {
  hub: StreamHub;
  counters: NodeCounters;
  logger: Logger;
  /** Cap on subscriptions one link may hold (--max-link-subscriptions). */
  maxSubscriptions: number;
  /** Whether a time-shifted request for startMs is older than this node's window B. */
  bypassAt: (startMs: number) => boolean;
  /** This node's pipe socket and --link-media (docs/pipe.md); absent: media only on the WebSocket. */
  pipe?: { host: PipeHost; mode: LinkMediaMode } | null;
}

/**
 * One copy of a stream (at one start time) sent down this link: a single feed consumer,
 * shared by every subscription on the link that asks for the same thing. Its media frames
 * carry `wireId`, the id of the subscription that created it (proto: SubscribeShared).
 */
class LinkCopy implements StreamConsumer {
  readonly kind = 'child';
  /** It asks its feed for the layers its subscriptions want (LayerDemand), and sends only those. */
  readonly layerAware = true;
  lease: Lease | null = null;
  /** Sub ids sharing this copy. */
  readonly members = new Set<number>();
  /** Each member's layers (Subscribe.layers, then LayerDemand); null: every track (not layered). */
  readonly memberLayers = new Map<number, ReadonlySet<Quality> | null>();
  done = false;
  /** The layers this copy sends (the union of its members'), with the feed reference held on each. */
  private readonly holds = new Map<Quality, () => void>();
  /** Each track's layer quality (undefined: not a layer), by track id. */
  private trackQuality: Array<Quality | undefined> = [];
  /** Packets sent per layer, for /api/state. */
  private readonly sentByQuality = new Map<Quality, number>();

  constructor(
    readonly key: string,
    readonly wireId: number,
    readonly stream: string,
    private readonly owner: Downlink,
  ) {}

  /** Names this copy in the log line of its first fault. */
  get label(): string {
    return `${this.owner.peerId} sub ${this.wireId}`;
  }

  /** The lease is in: learn the stream's layers and take the references the members ask for. */
  bind(lease: Lease): void {
    this.lease = lease;
    this.trackQuality = [];
    for (const t of lease.info.tracks) if (t.layer) this.trackQuality[t.id] = t.layer.quality;
    this.updateLayers();
  }

  /** Recomputes the union of the members' layers and moves the feed references to match. */
  updateLayers(): void {
    const lease = this.lease;
    // A stream without layers needs no layer references (every track flows).
    if (!lease || this.done || !lease.feed.layered) return;
    const want = new Set<Quality>();
    for (const id of this.members) {
      const l = this.memberLayers.get(id);
      for (const q of l === undefined || l === null ? QUALITIES : l) want.add(q);
    }
    for (const q of want) if (!this.holds.has(q)) this.holds.set(q, lease.feed.layers.want(q));
    for (const [q, release] of this.holds)
      if (!want.has(q)) {
        release();
        this.holds.delete(q);
      }
  }

  /** The layers this copy carries down the link now, best first. */
  get layers(): Quality[] {
    return QUALITIES.filter((q) => this.holds.has(q));
  }

  releaseLayers(): void {
    for (const release of this.holds.values()) release();
    this.holds.clear();
  }

  onPacket(p: MediaPacket): void {
    const q = this.trackQuality[p.track];
    if (q !== undefined) {
      if (!this.holds.has(q)) return;
      this.sentByQuality.set(q, (this.sentByQuality.get(q) ?? 0) + 1);
    }
    this.owner.sendMedia(this.wireId, p);
  }

  describe(): Record<string, unknown> {
    return { link: this.owner.peerId, sub: this.wireId, layers: this.layers, layerPackets: Object.fromEntries(this.sentByQuality) };
  }

  onEnded(code: ErrorCode, reason: string): void {
    this.owner.ended(this, code, reason);
  }

  onPaused(reason: string): void {
    this.owner.paused(this, reason);
  }
}

/**
 * Serves one accepted link (a child relay, or a sibling pulling from us). A link carries one
 * copy of a stream per start time whatever it asks for: each distinct (stream, start, bypass)
 * is one consumer holding one reference on this node's feed, and duplicate subscriptions
 * share it (SubscribeShared), so a link's subscriptions cannot multiply what it is sent.
 */
export class Downlink {
  /** Subscriptions by sub id, each pointing at the copy it shares. */
  readonly subs = new Map<number, LinkCopy>();
  /** Copies by (stream, start, bypass). */
  readonly copies = new Map<string, LinkCopy>();
  private readonly log: Logger;
  /** The link's UDP media pipe, when this node has a pipe socket. */
  readonly pipe: DownlinkPipe | null;

  constructor(
    readonly link: Link,
    private readonly opts: DownlinkOptions,
  ) {
    this.log = opts.logger.child({ downlink: link.peerId });
    this.pipe = opts.pipe
      ? new DownlinkPipe({
          host: opts.pipe.host,
          mode: opts.pipe.mode,
          link,
          logger: this.log,
          history: (subId, track) => this.copyOf(subId)?.lease?.feed.history(track) ?? null,
        })
      : null;
    link.on('frame', (f: Frame) => this.onFrame(f));
    link.once('close', () => {
      this.pipe?.close();
      this.releaseAll();
    });
  }

  /** How this link's media travels now. */
  get mediaPath(): 'ws' | 'udp' {
    return this.pipe?.mediaPath ?? 'ws';
  }

  /** The copy whose media frames carry this sub id. */
  private copyOf(wireId: number): LinkCopy | null {
    for (const c of this.copies.values()) if (c.wireId === wireId) return c;
    return null;
  }

  get peerId(): string {
    return this.link.peerId;
  }

  private onFrame(f: Frame): void {
    if (f.subscribe) {
      const s = f.subscribe;
      return this.subscribe(s.subId ?? 0, s.stream ?? '', s.startMs ?? null, s.bypass ?? false, s.layered ? qualities(s.layers) : null);
    }
    if (f.layerDemand) {
      const id = f.layerDemand.subId ?? 0;
      const copy = this.subs.get(id);
      if (!copy) return;
      copy.memberLayers.set(id, qualities(f.layerDemand.layers));
      copy.updateLayers();
      return;
    }
    if (f.unsubscribe) {
      this.unsubscribe(f.unsubscribe.subId ?? 0);
      return;
    }
    if (f.keyframeRequest) {
      this.subs.get(f.keyframeRequest.subId ?? 0)?.lease?.feed.requestKeyframe(f.keyframeRequest.track ?? 0);
      return;
    }
    if (this.pipe?.onFrame(f)) return;
    throw new CanopyError(ErrorCode.LINK_PROTOCOL, `unexpected ${f.msg} frame from a downstream node`);
  }

  private subscribe(subId: number, stream: string, startMs: number | null, bypass: boolean, layers: ReadonlySet<Quality> | null): void {
    if (this.subs.has(subId) || this.copyOf(subId)) throw new CanopyError(ErrorCode.LINK_PROTOCOL, `sub_id ${subId} already in use`);
    const max = this.opts.maxSubscriptions;
    if (this.subs.size >= max) {
      this.link.send({ subscribeError: { subId, code: ErrorCode.UNAVAILABLE, reason: `too many subscriptions on this link (limit ${max})` } });
      return;
    }
    if (!STREAM_NAME.test(stream)) {
      this.link.send({ subscribeError: { subId, code: ErrorCode.BAD_REQUEST, reason: 'bad stream name' } });
      return;
    }
    const at = startMs === null ? undefined : { startMs, bypass: bypass || this.opts.bypassAt(startMs) };
    const key = `${stream}\n${at ? `${at.startMs}\n${at.bypass}` : 'live'}`;
    const existing = this.copies.get(key);
    if (existing) {
      existing.members.add(subId);
      existing.memberLayers.set(subId, layers);
      existing.updateLayers();
      this.subs.set(subId, existing);
      if (existing.lease) this.answer(existing, subId, existing.lease.info);
      this.log.debug({ subId, stream, sharing: existing.wireId }, 'duplicate subscription shares a copy');
      return;
    }
    const copy = new LinkCopy(key, subId, stream, this);
    copy.members.add(subId);
    copy.memberLayers.set(subId, layers);
    this.copies.set(key, copy);
    this.subs.set(subId, copy);
    this.opts.hub.acquire(stream, at).then(
      (lease) => {
        if (copy.done || this.link.closed) return lease.release();
        copy.bind(lease);
        for (const id of copy.members) this.answer(copy, id, lease.info);
        lease.attach(copy);
        this.log.debug({ subId, stream }, 'subscribed');
      },
      (err: unknown) => {
        if (copy.done) return;
        const e = toCanopyError(err);
        for (const id of copy.members) this.link.send({ subscribeError: { subId: id, code: e.code, reason: e.message } });
        this.dropCopy(copy);
      },
    );
  }

  private answer(copy: LinkCopy, subId: number, info: StreamInfo): void {
    if (subId === copy.wireId) this.link.send({ subscribeOk: { subId, info: streamInfoToWire(info) } });
    else this.link.send({ subscribeShared: { subId, mediaSubId: copy.wireId, info: streamInfoToWire(info) } });
  }

  private unsubscribe(subId: number): void {
    const copy = this.subs.get(subId);
    if (!copy) return;
    this.subs.delete(subId);
    copy.members.delete(subId);
    copy.memberLayers.delete(subId);
    if (copy.members.size === 0) this.dropCopy(copy);
    else copy.updateLayers();
  }

  sendMedia(subId: number, p: MediaPacket): void {
    // On the pipe when it is up and the packet fits; else (and for anything larger) in the WebSocket.
    if (this.pipe?.sendMedia(subId, p) || this.link.sendMedia({ subId, track: p.track, rtp: p.rtp, captureMs: p.captureMs, keyframe: p.keyframe })) {
      this.opts.counters.packetsOut.add();
      this.opts.counters.bytesOut.add(p.rtp.length);
    } else {
      this.opts.counters.packetsDropped.inc({ reason: 'link_backpressure' });
    }
  }

  /** The publisher is away: the subscriptions stay, the child is told (StreamConsumer.onPaused). */
  paused(copy: LinkCopy, reason: string): void {
    if (copy.done) return;
    for (const id of copy.members) this.link.send({ streamEnded: { subId: id, code: ErrorCode.PUBLISHER_AWAY, reason } });
  }

  ended(copy: LinkCopy, code: ErrorCode, reason: string): void {
    if (copy.done) return;
    for (const id of copy.members) this.link.send({ streamEnded: { subId: id, code, reason } });
    this.dropCopy(copy);
  }

  private dropCopy(copy: LinkCopy): void {
    copy.done = true;
    for (const id of copy.members) if (this.subs.get(id) === copy) this.subs.delete(id);
    copy.members.clear();
    copy.memberLayers.clear();
    copy.releaseLayers();
    if (this.copies.get(copy.key) === copy) this.copies.delete(copy.key);
    this.pipe?.forget(copy.wireId);
    copy.lease?.release();
    copy.lease = null;
  }

  /** Per copy: the stream, and the layers it carries down this link now (/api/state, the dashboard). */
  layerState(): Array<{ stream: string; sub: number; layers: Quality[] }> {
    const out: Array<{ stream: string; sub: number; layers: Quality[] }> = [];
    for (const c of this.copies.values()) if (c.lease && c.lease.feed.layered) out.push({ stream: c.stream, sub: c.wireId, layers: c.layers });
    return out;
  }

  private releaseAll(): void {
    for (const copy of [...this.copies.values()]) this.dropCopy(copy);
    this.subs.clear();
  }
}

/** The known qualities of a Subscribe's or LayerDemand's list (unknown names are ignored). */
function qualities(list: readonly string[] | null | undefined): ReadonlySet<Quality> {
  const out = new Set<Quality>();
  for (const q of list ?? []) if (isQuality(q)) out.add(q);
  return out;
}
