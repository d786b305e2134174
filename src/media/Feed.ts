import { EventEmitter } from 'node:events';
import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { FanoutPacer } from './FanoutPacer.js';
import { TimeBuffer } from './TimeBuffer.js';
import type { FeedConsumer, FeedSink, FeedSource, StreamInfo } from './types.js';

export type FeedState = 'idle' | 'connecting' | 'ready' | 'closing' | 'closed';

/** Opens the upstream of a feed: resolves once upstream has accepted, with the stream's description. */
export type FeedOpener = (feed: Feed) => Promise<{ source: FeedSource; info: StreamInfo }>;

export interface FeedOptions {
  opener?: FeedOpener;
  startTimeoutMs: number;
  idleCloseAfterMs: number;
  keyframeDebounceMs: number;
  /** How long a feed that lost its upstream keeps trying to re-pull before it ends. */
  recoverForMs: number;
  /** Live feeds keep this much recent media in memory (window B), within maxBytes. */
  buffer?: { windowMs: number; maxBytes: number };
  /** Time-shift: the creation time (epoch ms) of the first data wanted; null for live. */
  startMs?: number | null;
  /** Time-shift: skip local and sibling lookups (the request is older than window B). */
  bypass?: boolean;
  logger: Logger;
  counters: NodeCounters;
  /** Splits a burst's fan-out across event-loop turns (one pacer per node); absent: all at once. */
  pacer?: FanoutPacer;
}

/**
 * One stream at one node: its upstream (a publisher, or a subscription on a link), its
 * consumers, and a reference count. Pulls on demand and shares one upstream subscription
 * among all consumers (patent [0081], [0087]); closes the upstream after an idle wait when
 * the last reference goes (claims 4 and 8).
 *
 *   idle --ready()--> connecting --upstream ok--> ready --refs=0, idle timer--> closing --> closed
 *                        |  ^                       |
 *                        |  +------source lost------+  (re-pull while referenced)
 *                        +--error / start timeout--> closed
 */
export class Feed extends EventEmitter implements FeedSink {
  state: FeedState = 'idle';
  info: StreamInfo | null = null;
  source: FeedSource | null = null;
  refs = 0;
  readonly consumers = new Set<FeedConsumer>();
  readonly log: Logger;
  private opening: Promise<StreamInfo> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private recoverTimer: NodeJS.Timeout | null = null;
  private readonly lastKeyframeRequest = new Map<number, number>();
  private pinned = false;
  /** The recent-media buffer of a live feed (null for time-shifted feeds). */
  buffer: TimeBuffer | null = null;
  /** Called with every packet delivered (the origin's archive writer). */
  recorder: ((track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean) => void) | null = null;
  readonly startMs: number | null;
  readonly bypass: boolean;
  readonly createdAt = Date.now();
  /** Capture times of the first and latest packet delivered (time-shift position). */
  firstCaptureMs: number | null = null;
  lastCaptureMs: number | null = null;

  constructor(
    readonly name: string,
    private readonly opts: FeedOptions,
  ) {
    super();
    this.startMs = opts.startMs ?? null;
    this.bypass = opts.bypass ?? false;
    this.log = opts.logger.child(this.startMs === null ? { stream: name } : { stream: name, start: this.startMs });
  }

  get live(): boolean {
    return this.startMs === null;
  }

  /** Time-shift: where (re)opening plays from: the start, or after a lost upstream, where playback was. */
  get resumeFromMs(): number {
    return this.lastCaptureMs ?? this.startMs ?? Date.now();
  }

  get closed(): boolean {
    return this.state === 'closing' || this.state === 'closed';
  }

  get pendingTimers(): number {
    return (this.idleTimer ? 1 : 0) + (this.recoverTimer ? 1 : 0);
  }

  /** A local publisher feeds this stream: it is ready at once and never idles out. */
  publish(source: FeedSource, info: StreamInfo): void {
    this.pinned = true;
    this.source = source;
    this.info = info;
    this.createBuffer(info);
    this.setState('ready');
  }

  private createBuffer(info: StreamInfo): void {
    const b = this.opts.buffer;
    if (!b || !this.live || this.buffer || b.windowMs === 0) return;
    const video = info.tracks.find((t) => t.kind === 'video');
    this.buffer = new TimeBuffer({ windowMs: b.windowMs, maxBytes: b.maxBytes, videoTrack: video ? video.id : null });
  }

  /**
   * Swaps in a new publisher when its tracks match, so consumers continue (their RTP
   * rewriters keep sequence numbers continuous). Returns false when the tracks differ.
   */
  replacePublisher(source: FeedSource, info: StreamInfo): boolean {
    const old = this.info;
    const same =
      old !== null &&
      old.tracks.length === info.tracks.length &&
      old.tracks.every((t, i) => {
        const n = info.tracks[i]!;
        return t.kind === n.kind && t.codec === n.codec && t.payloadType === n.payloadType && t.fmtp === n.fmtp;
      });
    if (!same || this.closed) return false;
    this.source = source;
    this.lastKeyframeRequest.clear();
    for (const t of info.tracks) if (t.kind === 'video') this.requestKeyframe(t.id);
    return true;
  }

  retain(): void {
    this.refs++;
    this.clearIdle();
  }

  release(): void {
    if (this.refs === 0) return;
    this.refs--;
    if (this.refs === 0 && this.state === 'ready') this.scheduleIdle();
  }

  /** Resolves when upstream delivers; concurrent callers share one in-flight subscribe. */
  ready(): Promise<StreamInfo> {
    switch (this.state) {
      case 'ready':
        return Promise.resolve(this.info!);
      case 'idle':
        this.opening = this.open();
        return this.opening;
      case 'connecting':
        return this.opening!;
      default:
        return Promise.reject(new CanopyError(ErrorCode.UNAVAILABLE, `stream ${this.name} is closing`));
    }
  }

  attach(consumer: FeedConsumer): void {
    if (this.closed) {
      consumer.onEnded(ErrorCode.STREAM_ENDED, 'stream closed');
      return;
    }
    this.consumers.add(consumer);
  }

  detach(consumer: FeedConsumer): void {
    this.consumers.delete(consumer);
  }

  deliver(track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean): void {
    this.opts.counters.packetsIn.add();
    this.opts.counters.bytesIn.add(rtp.length);
    this.firstCaptureMs ??= captureMs;
    this.lastCaptureMs = captureMs;
    this.buffer?.push(track, rtp, captureMs, keyframe);
    this.recorder?.(track, rtp, captureMs, keyframe);
    if (this.opts.pacer) this.opts.pacer.deliver(this.consumers, track, rtp, captureMs, keyframe);
    else for (const c of this.consumers) c.onPacket(track, rtp, captureMs, keyframe);
  }

  requestKeyframe(track: number): void {
    const now = Date.now();
    const last = this.lastKeyframeRequest.get(track) ?? -Infinity;
    // Debounced at each hop: many viewers losing the same frame must cost the publisher one PLI.
    if (now - last < this.opts.keyframeDebounceMs || !this.source || this.state !== 'ready') {
      this.opts.counters.keyframeRequests.inc({ result: 'debounced' });
      return;
    }
    this.lastKeyframeRequest.set(track, now);
    this.opts.counters.keyframeRequests.inc({ result: 'forwarded' });
    this.source.requestKeyframe(track);
  }

  end(code: ErrorCode, reason: string): void {
    if (this.closed) return;
    this.log.info({ code, reason }, 'stream ended');
    this.close(reason, code);
  }

  sourceLost(reason: string): void {
    if (this.closed || this.state !== 'ready' || this.pinned) return;
    this.log.warn({ reason }, 'upstream lost');
    this.opts.counters.subscriptionsClosed.inc();
    this.source = null;
    if (this.refs === 0) return this.close(`upstream lost: ${reason}`);
    this.recover(Date.now() + this.opts.recoverForMs, 250);
  }

  private recover(deadline: number, delayMs: number): void {
    this.setState('connecting');
    this.opening = this.open();
    this.opening.catch((err: unknown) => {
      if (this.closed) return;
      const e = toCanopyError(err);
      if (e.code === ErrorCode.NOT_FOUND || Date.now() + delayMs > deadline || this.refs === 0) {
        return this.end(e.code === ErrorCode.NOT_FOUND ? ErrorCode.STREAM_ENDED : e.code, e.message);
      }
      this.setState('idle');
      this.recoverTimer = setTimeout(() => {
        this.recoverTimer = null;
        if (!this.closed) this.recover(deadline, Math.min(delayMs * 2, 5000));
      }, delayMs);
    });
  }

  private async open(): Promise<StreamInfo> {
    const opener = this.opts.opener;
    if (!opener) throw new CanopyError(ErrorCode.NOT_FOUND, `stream ${this.name} not found`);
    const recovering = this.info !== null;
    this.setState('connecting');
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new CanopyError(ErrorCode.TIMEOUT, `upstream did not deliver ${this.name} within ${this.opts.startTimeoutMs} ms`));
      }, this.opts.startTimeoutMs);
    });
    const attempt = opener(this);
    // A source that arrives after the timeout or after close is nobody's: stop it.
    attempt.then(
      ({ source }) => {
        if (timedOut || this.closed) source.close('abandoned');
      },
      () => undefined,
    );
    try {
      const { source, info } = await Promise.race([attempt, timeout]);
      if (this.closed) throw new CanopyError(ErrorCode.UNAVAILABLE, `stream ${this.name} closed while connecting`);
      if (recovering && !this.replaceable(info)) {
        source.close('tracks changed');
        throw new CanopyError(ErrorCode.STREAM_ENDED, 'stream restarted with different tracks');
      }
      this.source = source;
      this.info = info;
      this.createBuffer(info);
      this.opts.counters.subscriptionsOpened.inc();
      this.setState('ready');
      this.log.info({ upstream: source.kind, peer: source.peer }, 'upstream ready');
      // Consumers that stayed attached through a source change need a keyframe to resume.
      if (recovering) for (const t of info.tracks) if (t.kind === 'video') this.requestKeyframe(t.id);
      if (this.refs === 0) this.scheduleIdle();
      return info;
    } catch (err) {
      const e = toCanopyError(err);
      if (!recovering) this.close(`open failed: ${e.message}`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private replaceable(info: StreamInfo): boolean {
    const old = this.info!;
    return old.tracks.length === info.tracks.length && old.tracks.every((t, i) => t.codec === info.tracks[i]!.codec && t.kind === info.tracks[i]!.kind);
  }

  private scheduleIdle(): void {
    if (this.pinned || this.closed) return;
    this.clearIdle();
    if (this.opts.idleCloseAfterMs === 0) return this.close('idle');
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.refs === 0) this.close('idle');
    }, this.opts.idleCloseAfterMs);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private setState(s: FeedState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  close(reason: string, code: ErrorCode = ErrorCode.STREAM_ENDED): void {
    if (this.closed) return;
    this.setState('closing');
    this.clearIdle();
    if (this.recoverTimer) clearTimeout(this.recoverTimer);
    this.recoverTimer = null;
    for (const c of [...this.consumers]) c.onEnded(code, reason);
    this.consumers.clear();
    if (this.source) {
      if (!this.pinned) this.opts.counters.subscriptionsClosed.inc();
      this.source.close(reason);
      this.source = null;
    }
    this.buffer?.close();
    this.buffer = null;
    this.recorder = null;
    this.setState('closed');
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
