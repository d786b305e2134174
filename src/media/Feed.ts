import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import { TypedEmitter } from '../events.js';
import { FaultLog } from '../faults.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { FanoutPacer } from './FanoutPacer.js';
import type { CacheBudget } from './CacheBudget.js';
import { TimeBuffer } from './TimeBuffer.js';
import { KeyframeLimiter, type KeyframeCause } from './KeyframeLimiter.js';
import type { RtpHistory, RtpHistoryOptions } from './RtpHistory.js';
import type { MediaPacket } from './MediaPacket.js';
import { StreamFanout, type AttachOptions } from './StreamFanout.js';
import { LayerDemand } from './LayerDemand.js';
import type { ConsumerKind, FeedSink, FeedSource, Quality, StreamConsumer, StreamInfo } from './types.js';

export type FeedState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'closing' | 'closed';

/** A feed's events: its state, its upstream lost and media resumed (after frozenMs), and its end. */
export interface FeedEvents {
  state: [state: FeedState];
  lost: [reason: string];
  resumed: [frozenMs: number];
  close: [reason: string];
  /** captureMs of the first packet (time-shift: where playback really starts). */
  'first-media': [captureMs: number];
}

/** Where a feed's media comes from once its planner found it. */
export interface Upstream {
  source: FeedSource;
  info: StreamInfo;
}

/** Finds the upstream of a feed: each role's planner (origin, relay) tries its steps in order. */
export type FeedPlanner = (feed: Feed) => Promise<Upstream>;

export interface FeedOptions {
  plan?: FeedPlanner;
  startTimeoutMs: number;
  idleCloseAfterMs: number;
  keyframeDebounceMs: number;
  /** Loss repair: a published feed (the origin's) sends its publisher at most one keyframe request per this interval. */
  keyframeMinIntervalMs?: number;
  /** Loss repair: each track's retransmission history (none: no repair). */
  history?: RtpHistoryOptions;
  /**
   * Grace after losing the upstream: a relay's feed keeps its consumers and re-pulls this long
   * before it ends; a publisher's feed waits this long for the publisher to come back.
   */
  recoverForMs: number;
  /**
   * Live feeds keep this much recent media in memory (window B), within maxBytes and the node's
   * budget; memoryWindowMs (an origin with an archive) holds less than windowMs in memory.
   */
  buffer?: { windowMs: number; maxBytes: number; memoryWindowMs?: number; budget?: CacheBudget | null };
  /** Time-shift: the creation time (epoch ms) of the first data wanted; null for live. */
  startMs?: number | null;
  /** Time-shift: skip local and sibling lookups (the request is older than window B). */
  bypass?: boolean;
  logger: Logger;
  counters: NodeCounters;
  /** Splits a burst's fan-out across event-loop turns (one pacer per node); absent: all at once. */
  pacer?: FanoutPacer;
}

/** Re-pull delays after a lost upstream: at once (another parent may be up), then backing off. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2000;
/** Retry interval while upstream answers "not yet" (an origin restarting, a publisher reconnecting). */
const NOT_YET_RETRY_MS = 500;

/**
 * One stream at one node: its upstream (a publisher, or a subscription on a link), its
 * consumers, and a reference count. Pulls on demand and shares one upstream subscription
 * among all consumers (patent [0081], [0087]); closes the upstream after an idle wait when
 * the last reference goes (claims 4 and 8).
 *
 *   idle --ready()--> connecting --upstream ok--> ready --refs=0, idle timer--> closing --> closed
 *                      |     ^                      |
 *                      |     +---retry timer---- waiting <--source lost (refs>0, within grace)
 *                      +--error / start timeout--> closed
 *
 * There is at most one attempt in flight: every waiter shares it, and a request that arrives
 * during the retry wait starts the retry at once instead of a second attempt. Whenever the
 * source changes, the previous one is closed.
 *
 * Delivery (histories, the consumers, the buffer and the recorder as consumers) is the feed's
 * StreamFanout; the feed decides when there is a stream to deliver.
 * Events: 'first-media' (captureMs of the first packet; time-shift: where playback really starts).
 */
export class Feed extends TypedEmitter<FeedEvents> implements FeedSink {
  state: FeedState = 'idle';
  info: StreamInfo | null = null;
  source: FeedSource | null = null;
  refs = 0;
  readonly log: Logger;
  private readonly fanout: StreamFanout;
  /** Per-layer pull on demand: which simulcast layers this node needs from upstream (docs/abr.md). */
  readonly layers: LayerDemand;
  /** The top-layer reference held for each attached consumer that does not choose layers itself. */
  private readonly layerHolds = new Map<StreamConsumer, () => void>();
  private attempt: Promise<StreamInfo> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private recoverDeadline = 0;
  private retryDelayMs = RETRY_FIRST_MS;
  /** When the upstream was lost (0: not frozen): the freeze lasts until the next keyframe. */
  private lostAt = 0;
  /** Loss repair (docs/repair.md): keyframe requests upstream, and one retransmission history per track. */
  private readonly keyframes: KeyframeLimiter;
  private pinned = false;
  /** The recent-media buffer of a live feed (window B), one of its consumers; null for time-shifted feeds. */
  private timeBuffer: TimeBuffer | null = null;
  readonly startMs: number | null;
  readonly bypass: boolean;
  readonly createdAt = Date.now();
  /** Set while the publisher is away and the stream waits for it (cleared by the next packet). */
  pausedReason: string | null = null;
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
    this.keyframes = new KeyframeLimiter({ intervalMs: opts.keyframeDebounceMs, counters: opts.counters, forward: (t) => this.forwardKeyframeRequest(t) });
    this.fanout = new StreamFanout({ log: this.log, counters: opts.counters, pacer: opts.pacer, history: opts.history, dropRepeats: this.live });
    this.listenerFaults = new FaultLog(this.log, opts.counters.consumerErrors);
    this.layers = new LayerDemand({ lingerMs: opts.idleCloseAfterMs, onChange: (l) => this.source?.setLayers?.(l) });
  }

  /** FeedSink: the layers a new upstream subscription asks for. */
  wantedLayers(): Quality[] {
    return this.layers.wanted;
  }

  /** Whether the stream has simulcast layers (TrackInfo.layer). */
  get layered(): boolean {
    return this.info?.tracks.some((t) => t.layer) ?? false;
  }

  protected override faultFields(): Record<string, unknown> {
    return { stream: this.name };
  }

  /** The egress: viewers and child links (the buffer and the recorder are stores, not in here). */
  get consumers(): ReadonlySet<StreamConsumer> {
    return this.fanout.consumers;
  }

  /** The recent-media buffer (window B) of a live feed; null for time-shifted feeds and once closed. */
  get buffer(): TimeBuffer | null {
    return this.timeBuffer;
  }

  /** RTP bytes delivered to this feed (the dashboard's per-copy bitrate: StatusBoard; canopy_stream_bytes_total{direction="in"}). */
  get bytesReceived(): number {
    return this.fanout.bytesReceived;
  }

  /** Per-stream figures (canopy_stream_*): packets that arrived, and packets and bytes handed to the egress. */
  get packetsIn(): number {
    return this.fanout.packetsIn;
  }

  get packetsOut(): number {
    return this.fanout.packetsOut;
  }

  get bytesOut(): number {
    return this.fanout.bytesOut;
  }

  /** The node's counters, for this feed's sources (a replay's stalls). */
  get counters(): NodeCounters {
    return this.opts.counters;
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

  /** Whether this feed is fed by a local publisher (origin), present or awaited. */
  get published(): boolean {
    return this.pinned;
  }

  get pendingTimers(): number {
    return (this.idleTimer ? 1 : 0) + (this.retryTimer ? 1 : 0) + (this.graceTimer ? 1 : 0) + this.keyframes.pending + this.layers.pendingTimers;
  }

  /** A local publisher feeds this stream: it is ready at once and never idles out. */
  publish(source: FeedSource, info: StreamInfo): void {
    this.pinned = true;
    if (this.opts.keyframeMinIntervalMs !== undefined) this.keyframes.intervalMs = this.opts.keyframeMinIntervalMs;
    this.adopt(source);
    this.info = info;
    this.createBuffer(info);
    this.setState('ready');
  }

  private createBuffer(info: StreamInfo): void {
    const b = this.opts.buffer;
    if (!b || !this.live || this.timeBuffer || b.windowMs === 0) return;
    const video = info.tracks.find((t) => t.kind === 'video');
    this.timeBuffer = new TimeBuffer({
      windowMs: b.memoryWindowMs ?? b.windowMs,
      maxBytes: b.maxBytes,
      videoTrack: video ? video.id : null,
      layerTracks: info.tracks.filter((t) => t.layer && video?.layer && t.layer.group === video.layer.group).map((t) => t.id),
      budget: b.budget,
      stream: this.name,
      demand: () => this.consumers.size,
    });
    this.fanout.attach(this.timeBuffer, { store: true });
  }

  /**
   * Swaps in a new publisher when its tracks match, so consumers continue (their RTP
   * rewriters keep sequence numbers continuous); this is also how a publisher that dropped
   * comes back within the grace. Returns false when the tracks differ.
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
    this.clearGrace();
    this.adopt(source);
    this.setState('ready');
    this.keyframes.reset();
    for (const t of info.tracks) if (t.kind === 'video') this.requestKeyframe(t.id, 'resync');
    return true;
  }

  /**
   * Moves a ready feed to another upstream of the same stream (a better parent), make before
   * break: the new subscription already delivers, the old one is closed. The packets are the
   * origin's own (same SSRC and sequence numbers), so viewers need no keyframe.
   */
  switchSource(up: Upstream): boolean {
    if (this.state !== 'ready' || this.pinned || !this.replaceable(up.info)) {
      up.source.close('not needed');
      return false;
    }
    this.adopt(up.source);
    this.log.info({ upstream: up.source.kind, peer: up.source.peer }, 'upstream moved');
    return true;
  }

  /** Makes source the feed's source; the one it replaces is closed. */
  private adopt(source: FeedSource): void {
    const old = this.source;
    this.source = source;
    // What is wanted may have changed while the subscription was being made.
    source.setLayers?.(this.layers.wanted);
    if (old && old !== source) {
      if (!this.pinned) this.opts.counters.subscriptionsClosed.inc();
      old.close('replaced');
    }
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

  /** Resolves when upstream delivers; concurrent callers share the one attempt in flight. */
  ready(): Promise<StreamInfo> {
    switch (this.state) {
      case 'ready':
        return Promise.resolve(this.info!);
      case 'closing':
      case 'closed':
        return Promise.reject(new CanopyError(ErrorCode.UNAVAILABLE, `stream ${this.name} is closing`));
      case 'waiting':
        // A publisher's feed in its grace: the stream exists and resumes when the publisher returns.
        if (this.pinned) return Promise.resolve(this.info!);
        // A request during the retry wait retries now, sharing that one attempt.
        return this.startAttempt();
      default:
        return this.attempt ?? this.startAttempt();
    }
  }

  /**
   * Adds a consumer of this stream: a viewer or a child link (egress), or with `store` one of
   * this node's stores (the origin's recorder). A consumer that comes after the end is told at once.
   */
  attach(consumer: StreamConsumer, opts?: AttachOptions): void {
    this.fanout.attach(consumer, opts);
    // A consumer that does not choose layers (HLS) gets the top one, as before layers existed.
    if (!opts?.store && !consumer.layerAware && this.layered && !this.layerHolds.has(consumer)) this.layerHolds.set(consumer, this.layers.want('high'));
    if (this.pausedReason !== null && !this.closed) consumer.onPaused?.(this.pausedReason);
  }

  detach(consumer: StreamConsumer): void {
    this.fanout.detach(consumer);
    this.layerHolds.get(consumer)?.();
    this.layerHolds.delete(consumer);
  }

  /** Whether a consumer of this kind is attached (the origin gives a stream one recorder). */
  has(kind: ConsumerKind): boolean {
    return this.fanout.find(kind) !== undefined;
  }

  deliver(p: MediaPacket): void {
    if (!this.fanout.admit(p)) return;
    if (this.pausedReason !== null) {
      this.pausedReason = null;
      this.log.info('publisher back: media flows again');
      this.fanout.resumed();
    }
    if (this.firstCaptureMs === null) {
      this.firstCaptureMs = p.captureMs;
      this.emit('first-media', p.captureMs);
    }
    this.lastCaptureMs = p.captureMs;
    if (this.lostAt !== 0 && (p.keyframe || !this.hasVideo)) this.resumed();
    this.fanout.send(p);
  }

  /** A track's retransmission history at this node (created on first use); null without repair. */
  history(track: number): RtpHistory | null {
    return this.fanout.history(track);
  }

  /** Asks upstream for a keyframe, through the limiter: many viewers losing the same frame cost the publisher one PLI. */
  requestKeyframe(track: number, cause: KeyframeCause = 'child'): void {
    this.keyframes.request(track, cause);
  }

  private forwardKeyframeRequest(track: number): boolean {
    if (!this.source || this.state !== 'ready') return false;
    this.source.requestKeyframe(track);
    return true;
  }

  private get hasVideo(): boolean {
    return this.info?.tracks.some((t) => t.kind === 'video') ?? false;
  }

  private resumed(): void {
    const frozenMs = Date.now() - this.lostAt;
    this.lostAt = 0;
    this.log.info({ frozenMs }, 'media resumed');
    this.safeEmit('resumed', frozenMs);
  }

  /**
   * The publisher is away and the stream waits for it: consumers are told (viewers get an RTCP
   * BYE and a session status saying so; child links pass it down), and stay attached.
   */
  paused(reason: string): void {
    if (this.closed || this.pausedReason !== null) return;
    this.pausedReason = reason;
    for (const c of [...this.consumers]) {
      try {
        c.onPaused?.(reason);
      } catch (err) {
        this.log.error({ err }, 'consumer failed on pause');
      }
    }
  }

  end(code: ErrorCode, reason: string): void {
    if (this.closed) return;
    this.log.info({ code, reason }, 'stream ended');
    this.close(reason, code);
  }

  /**
   * The upstream went away without ending the stream (a link lost, a publisher gone). A relay's
   * feed re-pulls at once, while its consumers stay attached, for up to the grace; a
   * publisher's feed waits that long for the publisher to come back. `from` names the source
   * that was lost: a source already replaced is ignored.
   */
  sourceLost(reason: string, from?: FeedSource): void {
    if (this.closed || this.state !== 'ready' || (from && from !== this.source)) return;
    this.source = null;
    this.lostAt = Date.now();
    this.safeEmit('lost', reason);
    if (this.pinned) {
      const grace = this.opts.recoverForMs;
      if (grace <= 0) return this.end(ErrorCode.STREAM_ENDED, reason);
      this.log.info({ reason, graceMs: grace }, 'publisher gone; waiting for it to return');
      this.setState('waiting');
      this.paused(reason);
      this.graceTimer = setTimeout(() => {
        this.graceTimer = null;
        this.end(ErrorCode.STREAM_ENDED, `publisher did not return within ${grace} ms (${reason})`);
      }, grace);
      return;
    }
    this.log.warn({ reason }, 'upstream lost');
    this.opts.counters.subscriptionsClosed.inc();
    if (this.refs === 0) return this.close(`upstream lost: ${reason}`);
    this.recoverDeadline = Date.now() + this.opts.recoverForMs;
    this.retryDelayMs = RETRY_FIRST_MS;
    void this.startAttempt();
  }

  /** Starts the one attempt every waiter shares (cancelling a pending retry). */
  private startAttempt(): Promise<StreamInfo> {
    this.clearRetry();
    const p = this.attemptOnce();
    this.attempt = p;
    const done = (): void => {
      if (this.attempt === p) this.attempt = null;
    };
    p.then(done, done);
    return p;
  }

  private async attemptOnce(): Promise<StreamInfo> {
    const recovering = this.info !== null;
    this.setState('connecting');
    try {
      const plan = this.opts.plan;
      if (!plan) throw new CanopyError(ErrorCode.NOT_FOUND, `stream ${this.name} not found`);
      const { source, info } = await this.withStartTimeout(plan(this));
      if (this.closed) throw new CanopyError(ErrorCode.UNAVAILABLE, `stream ${this.name} closed while connecting`);
      if (recovering && !this.replaceable(info)) {
        source.close('tracks changed');
        throw new CanopyError(ErrorCode.STREAM_ENDED, 'stream restarted with different tracks');
      }
      this.adopt(source);
      this.info = info;
      this.createBuffer(info);
      this.opts.counters.subscriptionsOpened.inc();
      this.retryDelayMs = RETRY_FIRST_MS;
      this.setState('ready');
      this.log.info({ upstream: source.kind, peer: source.peer }, recovering ? 'pull resumed' : 'pull started');
      // Consumers that stayed attached through a source change need a keyframe to resume.
      if (recovering) for (const t of info.tracks) if (t.kind === 'video') this.requestKeyframe(t.id, 'resync');
      if (this.refs === 0) this.scheduleIdle();
      return info;
    } catch (err) {
      const e = toCanopyError(err);
      if (this.closed) throw e;
      if (!recovering) this.close(`open failed: ${e.message}`);
      else this.recoveryFailed(e);
      throw e;
    }
  }

  /** Races a planner attempt against --start-timeout; a source that arrives too late is stopped. */
  private withStartTimeout(attempt: Promise<Upstream>): Promise<Upstream> {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    attempt.then(
      ({ source }) => {
        if (timedOut || this.closed) source.close('abandoned');
      },
      () => undefined,
    );
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new CanopyError(ErrorCode.TIMEOUT, `upstream did not deliver ${this.name} within ${this.opts.startTimeoutMs} ms`));
      }, this.opts.startTimeoutMs);
    });
    return Promise.race([attempt, timeout]).finally(() => clearTimeout(timer));
  }

  /** A re-pull failed: retry while someone watches and the grace lasts; else end the stream. */
  private recoveryFailed(e: CanopyError): void {
    const gone = e.code === ErrorCode.NOT_FOUND || e.code === ErrorCode.STREAM_ENDED || e.code === ErrorCode.PUBLISHER_REPLACED;
    const left = this.recoverDeadline - Date.now();
    if (gone || this.refs === 0 || left <= 0) {
      return this.end(gone && e.code === ErrorCode.NOT_FOUND ? ErrorCode.STREAM_ENDED : e.code, e.message);
    }
    const delay = Math.min(e.code === ErrorCode.NOT_YET ? NOT_YET_RETRY_MS : this.retryDelayMs, left);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
    this.log.debug({ err: e.message, retryInMs: delay }, 're-pull failed');
    this.setState('waiting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) void this.startAttempt();
    }, delay);
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

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }

  private setState(s: FeedState): void {
    if (this.state === s) return;
    this.state = s;
    this.safeEmit('state', s);
  }

  close(reason: string, code: ErrorCode = ErrorCode.STREAM_ENDED): void {
    if (this.closed) return;
    this.setState('closing');
    this.clearIdle();
    this.clearRetry();
    this.clearGrace();
    // Every consumer (viewers, child links, the buffer, the recorder) is told, once.
    this.fanout.end(code, reason);
    this.timeBuffer = null;
    if (this.source) {
      if (!this.pinned) {
        this.opts.counters.subscriptionsClosed.inc();
        this.log.info({ reason, upstream: this.source.kind, peer: this.source.peer }, 'pull stopped');
      }
      this.source.close(reason);
      this.source = null;
    }
    this.keyframes.close();
    this.layers.close();
    this.layerHolds.clear();
    this.setState('closed');
    this.log.info(`closed: ${reason}`);
    this.safeEmit('close', reason);
  }
}
