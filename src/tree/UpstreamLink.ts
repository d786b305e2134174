import { EventEmitter } from 'node:events';
import { CanopyError, ErrorCode, errorName } from '../errors.js';
import type { Logger } from '../log.js';
import { mediaPacket, type MediaPacket } from '../media/MediaPacket.js';
import type { FeedSink, FeedSource, Quality, SourceKind, StreamInfo } from '../media/types.js';
import type { canopy } from '../gen/link.js';
import { connectLink, type Welcome } from '../link/connect.js';
import { streamInfoFromWire, type Frame } from '../link/frame.js';
import type { Link } from '../link/Link.js';
import type { LinkMediaMode, PipeHost } from '../pipe/PipeHost.js';
import { UplinkPipe } from '../pipe/UplinkPipe.js';

export interface UpstreamLinkOptions {
  url: string;
  nodeId: string;
  role: 'child' | 'sibling';
  secret?: string;
  /** Extra CA certificates (PEM) trusted for a wss:// upstream. */
  ca?: string | Buffer;
  maxFrameBytes: number;
  connectTimeoutMs: number;
  /** Reconnect after a loss; siblings' links are not kept when unused. */
  reconnect: boolean;
  maxBackoffMs?: number;
  /** What our pings upstream carry (our status, our subtree). */
  pingExtras?: () => Omit<canopy.link.v1.Ping.$Properties, 'sentMs'>;
  /** This node's pipe socket and how this link's media should travel (docs/pipe.md). */
  pipe?: () => { host: PipeHost; mode: LinkMediaMode } | null;
  logger: Logger;
}

export type NodeStatus = canopy.link.v1.NodeStatus;

interface Pending {
  resolve: (v: { source: FeedSource; info: StreamInfo }) => void;
  reject: (err: CanopyError) => void;
  sink: FeedSink;
  stream: string;
  layers: string | null;
}

/** One stream pulled over an upstream link; the feed's source until it closes it. */
export class UpstreamSubscription implements FeedSource {
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  constructor(
    readonly kind: SourceKind,
    readonly peer: string,
    readonly subId: number,
    readonly sink: FeedSink,
    private readonly owner: UpstreamLink,
    private readonly link: Link,
    /** The sub id whose Media frames feed this one (itself, unless the upstream shares a copy: SubscribeShared). */
    readonly mediaSubId = subId,
    /** The layers asked for in the Subscribe (null: not layered). */
    private sentLayers: string | null = null,
  ) {}

  requestKeyframe(track: number): void {
    if (!this.closed) this.link.send({ keyframeRequest: { subId: this.subId, track } });
  }

  /** The layers below changed: tell the parent, which then sends only those (LayerDemand). */
  setLayers(layers: Quality[]): void {
    const key = layers.join(',');
    if (this.closed || this.sentLayers === null || key === this.sentLayers) return;
    this.sentLayers = key;
    this.link.send({ layerDemand: { subId: this.subId, layers } });
  }

  /** The layers this subscription asks its parent for (null: every track, an unlayered subscription). */
  get layers(): string[] | null {
    return this.sentLayers === null ? null : this.sentLayers ? this.sentLayers.split(',') : [];
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    this.owner.forget(this);
    this.link.send({ unsubscribe: { subId: this.subId } });
  }

  /** Upstream ended it, or its link went: it is over, with nothing left to unsubscribe. */
  ended(): void {
    this.#closed = true;
  }
}

export type UpstreamState = 'connecting' | 'up' | 'down' | 'closed';

/**
 * This node's link to one upstream node (its parent, or a sibling): connects and reconnects,
 * learns the upstream's level from Welcome, and carries any number of subscriptions.
 *
 * Events: 'up' (welcome), 'down' (reason), 'path' (level, path), 'status' (NodeStatus),
 * 'goaway' (reason), 'close'.
 */
export interface UpstreamLinkEvents {
  up: [welcome: Welcome];
  down: [reason: string];
  path: [level: number, path: string[]];
  status: [status: NodeStatus | null];
  goaway: [reason: string];
  close: [reason: string];
}

export class UpstreamLink extends EventEmitter<UpstreamLinkEvents> {
  state: UpstreamState = 'down';
  link: Link | null = null;
  welcome: Welcome | null = null;
  /** Upstream's path from the origin down to it (inclusive), from Welcome and PathUpdate. */
  path: string[] = [];
  /** Upstream's latest status (Welcome, then its pings). */
  status: NodeStatus | null = null;
  /** Upstream's other children, from its pings (our siblings in the tree). */
  peers: NodeStatus[] = [];
  /** Upstream asked us to move away (it is draining); cleared when the link reconnects. */
  goingAway = false;
  /** When the link last came up (0 while down). */
  upSince = 0;
  private nextSubId = 1;
  private readonly pending = new Map<number, Pending>();
  readonly active = new Map<number, UpstreamSubscription>();
  /** Subscriptions fed by another sub id's Media frames (SubscribeShared), by that sub id. */
  private readonly shared = new Map<number, Set<UpstreamSubscription>>();
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs = 250;
  private readonly log: Logger;
  /** The link's UDP media pipe (made when the link first comes up on a node with a pipe socket). */
  pipe: UplinkPipe | null = null;

  constructor(readonly opts: UpstreamLinkOptions) {
    super();
    this.log = opts.logger.child({ component: 'upstream', url: opts.url });
  }

  private makePipe(): UplinkPipe | null {
    if (this.pipe || this.closed) return this.pipe;
    const p = this.opts.pipe?.();
    if (!p?.host.address) return null;
    this.pipe = new UplinkPipe({
      host: p.host,
      mode: p.mode,
      logger: this.log,
      deliver: (subId, packet) => this.deliverMedia(subId, packet),
    });
    return this.pipe;
  }

  /** How this link's media travels now. */
  get mediaPath(): 'ws' | 'udp' {
    return this.pipe?.mediaPath ?? 'ws';
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Upstream's level (origin = 0), once known. */
  get upstreamLevel(): number | null {
    return this.welcome ? this.welcome.level : null;
  }

  /** The link's measured round-trip time (ms; 0 until the first pong). */
  get rttMs(): number {
    return this.link?.rttMs ?? 0;
  }

  get subscriptionCount(): number {
    return this.active.size + this.pending.size;
  }

  start(): void {
    if (this.state !== 'down') return;
    this.state = 'connecting';
    connectLink({
      url: this.opts.url,
      nodeId: this.opts.nodeId,
      role: this.opts.role,
      secret: this.opts.secret,
      ca: this.opts.ca,
      maxFrameBytes: this.opts.maxFrameBytes,
      timeoutMs: this.opts.connectTimeoutMs,
      logger: this.opts.logger,
    }).then(
      ({ link, welcome }) => {
        if (this.closed) return link.close(ErrorCode.SHUTDOWN, 'closed while connecting');
        if ((welcome.path ?? []).includes(this.opts.nodeId)) {
          // The upstream pulls, directly or not, from us: linking to it would make a loop.
          link.close(ErrorCode.LINK_LOOP, 'that node is our descendant');
          this.state = 'down';
          this.emit('down', 'loop: the upstream is our descendant');
          this.scheduleRetry();
          return;
        }
        this.link = link;
        this.welcome = welcome;
        this.path = [...(welcome.path ?? [])];
        this.status = (welcome.status as NodeStatus | null | undefined) ?? null;
        this.peers = [];
        this.goingAway = false;
        this.upSince = Date.now();
        this.state = 'up';
        this.backoffMs = 250;
        if (this.opts.pingExtras) link.pingExtras = this.opts.pingExtras;
        link.on('frame', (f: Frame) => this.onFrame(link, f));
        link.on('ping', (p: canopy.link.v1.Ping) => {
          if (p.status) this.status = p.status as NodeStatus;
          if (p.hasPeers) this.peers = (p.peers ?? []) as NodeStatus[];
          this.emit('status', this.status);
        });
        link.once('close', (code: ErrorCode, reason: string) => this.onLinkClose(code, reason));
        this.log.info({ peer: welcome.nodeId, upstreamLevel: welcome.level }, 'link up');
        this.makePipe()?.attach(link, welcome);
        this.emit('up', welcome);
      },
      (err: CanopyError) => {
        if (this.closed) return;
        this.log.warn({ code: errorName(err.code), err: err.message }, 'link failed');
        this.state = 'down';
        this.emit('down', err.message);
        this.scheduleRetry();
      },
    );
  }

  private scheduleRetry(): void {
    if (!this.opts.reconnect || this.closed || this.retryTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.maxBackoffMs ?? 5000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start();
    }, delay);
  }

  private whenUp(): Promise<Link> {
    if (this.state === 'up' && this.link) return Promise.resolve(this.link);
    if (this.closed) return Promise.reject(new CanopyError(ErrorCode.SHUTDOWN, 'upstream link closed'));
    if (this.state === 'down') this.start();
    return new Promise((resolve, reject) => {
      const onUp = (): void => {
        cleanup();
        resolve(this.link!);
      };
      const onDown = (reason: string): void => {
        cleanup();
        reject(new CanopyError(ErrorCode.UNAVAILABLE, `upstream ${this.opts.url} unreachable: ${reason}`));
      };
      const cleanup = (): void => {
        this.off('up', onUp);
        this.off('down', onDown);
        this.off('close', onDown);
      };
      this.on('up', onUp);
      this.on('down', onDown);
      this.on('close', onDown);
    });
  }

  /** Subscribes to a stream upstream; the returned source stops it. */
  async subscribe(stream: string, sink: FeedSink, opts: { startMs?: number; bypass?: boolean } = {}): Promise<{ source: FeedSource; info: StreamInfo }> {
    const link = await this.whenUp();
    const subId = this.nextSubId++;
    // Layers on demand (docs/abr.md): only the layers wanted below now; LayerDemand changes them.
    const layers = sink.wantedLayers?.() ?? null;
    return new Promise((resolve, reject) => {
      this.pending.set(subId, { resolve, reject, sink, stream, layers: layers ? layers.join(',') : null });
      link.send({ subscribe: { subId, stream, startMs: opts.startMs, bypass: opts.bypass ?? false, layered: layers !== null, layers: layers ?? [] } });
    });
  }

  /** @internal */
  forget(sub: UpstreamSubscription): void {
    this.active.delete(sub.subId);
    this.unshare(sub);
  }

  private unshare(sub: UpstreamSubscription): void {
    const set = this.shared.get(sub.mediaSubId);
    if (!set?.delete(sub)) return;
    if (set.size === 0) this.shared.delete(sub.mediaSubId);
  }

  /** One packet for the subscriptions fed by sub id `id`, from a Media frame or the pipe. */
  private deliverMedia(id: number, packet: MediaPacket): void {
    const sub = this.active.get(id);
    if (sub) sub.sink.deliver(packet);
    const sharing = this.shared.get(id);
    if (sharing) for (const s of sharing) s.sink.deliver(packet);
  }

  private onFrame(link: Link, f: Frame): void {
    if (f.media) {
      this.deliverMedia(f.media.subId ?? 0, mediaPacket(f.media.track ?? 0, f.media.rtp ?? EMPTY, f.media.captureMs ?? 0, f.media.keyframe ?? false));
      return;
    }
    if (this.pipe?.onFrame(f)) return;
    // SubscribeShared: the upstream already sends this stream on this link for another of our
    // subscriptions, whose Media frames then feed this one too.
    const ok = f.subscribeOk ?? f.subscribeShared;
    if (ok) {
      const subId = ok.subId ?? 0;
      const p = this.pending.get(subId);
      if (!p) {
        link.send({ unsubscribe: { subId } });
        return;
      }
      this.pending.delete(subId);
      const info = streamInfoFromWire(ok.info!);
      const kind: SourceKind = this.opts.role === 'sibling' ? 'sibling' : this.welcome?.level === 0 ? 'origin' : 'parent';
      const mediaSubId = f.subscribeShared ? (f.subscribeShared.mediaSubId ?? 0) : subId;
      const sub = new UpstreamSubscription(kind, link.peerId, subId, p.sink, this, link, mediaSubId, p.layers);
      this.active.set(subId, sub);
      if (mediaSubId !== subId) {
        let set = this.shared.get(mediaSubId);
        if (!set) this.shared.set(mediaSubId, (set = new Set()));
        set.add(sub);
      }
      p.resolve({ source: sub, info });
      return;
    }
    if (f.subscribeError) {
      const p = this.pending.get(f.subscribeError.subId ?? 0);
      if (!p) return;
      this.pending.delete(f.subscribeError.subId ?? 0);
      const code = (f.subscribeError.code ?? ErrorCode.INTERNAL) as ErrorCode;
      p.reject(new CanopyError(code, f.subscribeError.reason || errorName(code)));
      return;
    }
    if (f.streamEnded) {
      const sub = this.active.get(f.streamEnded.subId ?? 0);
      if (!sub) return;
      // Not an end: the publisher is away and the origin waits for it (Feed.paused).
      if (f.streamEnded.code === ErrorCode.PUBLISHER_AWAY) return sub.sink.paused?.(f.streamEnded.reason || 'the publisher is away');
      sub.ended();
      this.active.delete(sub.subId);
      this.unshare(sub);
      const code = (f.streamEnded.code ?? ErrorCode.STREAM_ENDED) as ErrorCode;
      const reason = f.streamEnded.reason || 'stream ended';
      // Only the publisher leaving ends a stream; an upstream that merely stops carrying
      // it (shutdown, lost its own upstream) makes us pull it from elsewhere.
      if (code === ErrorCode.STREAM_ENDED || code === ErrorCode.PUBLISHER_REPLACED) sub.sink.end(code, reason);
      else sub.sink.sourceLost(`${errorName(code)}: ${reason}`, sub);
      return;
    }
    if (f.pathUpdate && this.welcome) {
      this.welcome.level = f.pathUpdate.level ?? 0;
      this.path = [...(f.pathUpdate.path ?? [])];
      this.emit('path', this.welcome.level, this.path);
      return;
    }
    if (f.goAway) {
      this.goingAway = true;
      this.log.info({ reason: f.goAway.reason }, 'upstream asks us to move');
      this.emit('goaway', f.goAway.reason ?? '');
      return;
    }
    throw new CanopyError(ErrorCode.LINK_PROTOCOL, `unexpected ${f.msg} frame from upstream`);
  }

  private onLinkClose(code: ErrorCode, reason: string): void {
    this.link = null;
    this.pipe?.detach(`link down: ${reason}`);
    this.upSince = 0;
    if (!this.closed) this.state = 'down';
    const err = new CanopyError(ErrorCode.UNAVAILABLE, `upstream link lost: ${reason}`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    const subs = [...this.active.values()];
    this.active.clear();
    this.shared.clear();
    for (const s of subs) {
      s.ended();
      s.sink.sourceLost(reason, s);
    }
    if (this.closed) return;
    this.log.warn({ code: errorName(code), reason }, 'link down');
    this.emit('down', reason);
    this.scheduleRetry();
  }

  close(): void {
    if (this.closed) return;
    this.state = 'closed';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pipe?.close();
    this.link?.close(ErrorCode.SHUTDOWN, 'node shutting down');
    this.log.info('closed: shutdown');
    this.emit('close', 'shutdown');
  }
}

const EMPTY = new Uint8Array(0);
