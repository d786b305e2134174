import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Authorizer } from '../src/auth/Authorizer.js';
import type { RtcEngine } from '../src/engine/engine.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import { clientIp, mediaType, readBody, requestToken, STREAM_NAME } from '../src/http/http.js';
import type { Logger } from '../src/log.js';
import { commonNodeOptions, engineFromConfig } from '../src/node/engineFromConfig.js';
import { MediaNode, signalingRoute } from '../src/node/MediaNode.js';
import { MAX_SDP_BYTES } from '../src/sdp.js';
import { ArchiveStore } from '../src/media/ArchiveStore.js';
import { join } from 'node:path';
import type { StreamInfo } from '../src/media/types.js';
import type { DrainOutcome } from '../src/node/DrainGate.js';
import type { OriginConfig } from './config.js';
import { OriginPlanner } from './OriginPlanner.js';
import { SessionLedger } from './SessionLedger.js';
import { PublisherSession } from './PublisherSession.js';

/** How long a restarted origin fails the ICE checks of the sessions its earlier life left. */
const ORPHAN_TOMBSTONE_MS = 30_000;

/**
 * The origin (level 0): WHIP ingest, and the root of the relay tree. It sends a stream to a
 * level-1 relay only once that relay subscribes (patent [0043], [0081]).
 */
export class OriginServer extends EventEmitter {
  readonly node: MediaNode;
  readonly engine: RtcEngine;
  /** The live publisher of each stream. */
  readonly publishers = new Map<string, PublisherSession>();
  /**
   * Publishers that arrived while their stream was live: each takes over only once its own
   * media flows (--publisher-replace after-media); until then the live one keeps the stream.
   */
  readonly pendingPublishers = new Set<PublisherSession>();
  readonly authorizer: Authorizer;
  readonly archive: ArchiveStore | null;
  readonly planner: OriginPlanner;
  /** Live WHIP sessions' ports and ICE credentials on disk (with --data-dir), for after a crash. */
  readonly ledger: SessionLedger | null;
  readonly startedAt = Date.now();
  private keyframeTimer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  closed = false;

  constructor(
    readonly config: OriginConfig,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ node: config.id });
    this.engine = engineFromConfig(config, this.log);
    this.authorizer = Authorizer.create(config, 'origin', this.log);
    this.archive = config.dataDir
      ? new ArchiveStore({ dir: config.dataDir, windowMs: config.archiveWindow, maxBytes: config.archiveMaxBytes, logger: this.log.child({ component: 'archive' }) })
      : null;
    this.ledger = config.dataDir ? new SessionLedger(join(config.dataDir, 'whip-sessions.json'), this.log) : null;
    this.planner = new OriginPlanner({
      nodeId: config.id,
      hub: () => this.node.hub,
      archive: this.archive,
      startedAt: this.startedAt,
      startupGraceMs: config.startupGrace,
    });
    const common = commonNodeOptions(config);
    this.node = new MediaNode({
      ...common,
      // With an archive, window B's requests read it (through the page cache): no second copy in memory.
      buffer: this.archive ? { ...common.buffer, memoryWindowMs: Math.min(config.archiveMemoryWindow, config.cacheWindow) } : common.buffer,
      repair: { ...commonNodeOptions(config).repair, keyframeMinIntervalMs: config.keyframeMinInterval },
      role: 'origin',
      engine: this.engine,
      logger: this.log,
      serveViewers: config.serveViewers,
      level: () => 0,
      authorizer: this.authorizer,
      otherSessions: () => this.publisherCounts(),
      planner: this.planner,
    });
    if (this.archive) {
      const a = this.archive;
      const m = this.node.metrics;
      m.gauge('archive_bytes', 'Bytes in the stream archive', () => a.stats().bytes);
      m.gauge('archive_write_errors', 'Archive write errors (disk full or failing) since start', () => a.stats().writeErrors);
      m.gauge('archive_dropped_packets', 'Packets the archive could not keep up with and dropped', () => a.stats().droppedPackets);
    }
    this.node.addRoutes((req, res, path, url) => this.route(req, res, path, url));
    this.node.metrics.gauge('publishers', 'WHIP publishers connected', () => this.publishers.size);
  }

  async listen(): Promise<void> {
    // Broadcasters of an earlier life of this origin still send to their old ports: fail their
    // ICE checks so they republish at once (RFC 7675 consent would take ~30 s).
    for (const ghost of this.ledger?.takeOrphans() ?? []) this.engine.bury(ghost, ORPHAN_TOMBSTONE_MS);
    await this.archive?.open();
    await this.node.listen();
    if (!this.authorizer.required('publish')) {
      const where = this.config.allowAnonymousPublish ? 'anyone who reaches this origin (--allow-anonymous-publish)' : 'any local process';
      this.log.warn(`publishing is not authenticated: ${where} can publish or take over a stream; see docs/security.md`);
    }
    if (this.config.keyframeInterval > 0) {
      // Regular keyframes are the archive's and buffers' seek points: a time-shifted viewer
      // starts at the keyframe at or before its start time. They go through the feed's
      // keyframe limiter like everyone's requests (--keyframe-min-interval).
      this.keyframeTimer = setInterval(() => {
        for (const p of this.publishers.values()) for (const t of p.info?.tracks ?? []) if (t.kind === 'video') p.feed?.requestKeyframe(t.id, 'timer');
      }, this.config.keyframeInterval);
    }
  }

  get url(): string {
    return this.node.url;
  }

  get linkUrl(): string {
    return this.node.linkUrl;
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string[], url: URL): Promise<boolean> {
    if (path[0] !== 'whip') return false;
    return signalingRoute(req, res, path, {
      post: (stream) => this.whipPost(req, res, stream, url),
      session: (id) => [...this.publishers.values(), ...this.pendingPublishers].find((p) => p.id === id),
      authorize: (session) => this.authorize(req, url, session.stream),
    });
  }

  /** RFC 9725 §4.5: the publisher's credential, on the endpoint and on its session. */
  private async authorize(req: IncomingMessage, url: URL, stream: string): Promise<void> {
    await this.authorizer.authorize({ action: 'publish', stream, token: requestToken(req, url), ip: clientIp(req) });
  }

  private publisherCounts(): { sessions: number; pending: number } {
    let pending = 0;
    for (const p of this.publishers.values()) if (!p.connected) pending++;
    for (const p of this.pendingPublishers) if (!p.connected) pending++;
    return { sessions: this.publishers.size + this.pendingPublishers.size, pending };
  }

  private async whipPost(req: IncomingMessage, res: ServerResponse, stream: string, url: URL): Promise<void> {
    if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
    if (mediaType(req) !== 'application/sdp') throw new CanopyError(ErrorCode.UNSUPPORTED_MEDIA, 'Content-Type must be application/sdp');
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'origin shutting down');
    const ticket = this.node.admission.admit(clientIp(req));
    try {
      await this.authorize(req, url, stream);
      if (this.config.publisherReplace === 'never' && this.publishers.has(stream)) {
        throw new CanopyError(ErrorCode.CONFLICT, `stream ${stream} is live and this origin never replaces a live publisher`);
      }
      const offer = await readBody(req, MAX_SDP_BYTES);
      const session = new PublisherSession(stream, {
        engine: this.engine,
        logger: this.log,
        counters: this.node.counters,
        timers: commonNodeOptions(this.config).sessionTimers,
        videoBitrate: this.config.publishBitrate,
        lossRepair: this.config.lossRepair,
        remote: clientIp(req),
      });
      const { answer, info } = await session.start(offer);
      if (this.closed) {
        session.close('origin shutting down');
        throw new CanopyError(ErrorCode.SHUTDOWN, 'origin shutting down');
      }
      if (!this.publishers.has(stream)) this.install(stream, session, info);
      else if (this.config.publisherReplace === 'never') {
        session.close('stream went live meanwhile');
        throw new CanopyError(ErrorCode.CONFLICT, `stream ${stream} is live and this origin never replaces a live publisher`);
      } else {
        // A publisher on a live stream takes over only once its own PeerConnection carries
        // media: a stranger's POST, a session that never completes ICE, or one that sends
        // nothing leaves the broadcaster and its viewers untouched.
        this.pendingPublishers.add(session);
        session.once('close', () => this.pendingPublishers.delete(session));
        session.once('media', () => {
          if (session.closed || !this.pendingPublishers.delete(session)) return;
          this.log.info({ stream, session: session.id }, 'new publisher has media: taking over the stream');
          try {
            this.install(stream, session, info);
          } catch (err) {
            // Runs in the engine's packet callback: never let it throw there (the hub may be closing).
            session.close(`cannot take over: ${(err as Error).message}`);
          }
        });
        this.log.info({ stream, session: session.id }, 'publisher waits for its media before replacing the live one');
      }
      res.writeHead(201, {
        'Content-Type': 'application/sdp',
        Location: this.node.location(req, `/whip/${encodeURIComponent(stream)}/${session.id}`),
        ETag: session.etag,
      });
      res.end(answer);
    } finally {
      ticket.release();
    }
  }

  /** Makes a session the stream's publisher; a previous one is closed (its viewers continue when the tracks match). */
  private install(stream: string, session: PublisherSession, info: StreamInfo): void {
    const previous = this.publishers.get(stream);
    const feed = this.node.hub.publish(stream, session, info);
    session.feed = feed;
    if (this.archive && !feed.recorder) {
      const writer = this.archive.writer(stream, info);
      feed.recorder = (t, r, c, k) => writer.write(t, r, c, k);
      feed.once('close', () => void writer.close());
    }
    this.publishers.set(stream, session);
    const ghost = session.ghost;
    if (ghost) this.ledger?.add(session.id, ghost);
    session.once('close', () => {
      if (this.publishers.get(stream) === session) this.publishers.delete(stream);
      // Sessions a shutdown ends stay in the ledger: the next start tells their clients.
      if (!this.closed) this.ledger?.remove(session.id);
    });
    previous?.close('replaced by a new publisher');
  }

  /** Graceful drain on SIGTERM (src/node/DrainGate.ts); the caller closes afterwards. */
  drain(timeoutMs: number): Promise<DrainOutcome> {
    return this.node.drain(timeoutMs);
  }

  registries(): Record<string, number> {
    return { ...this.node.registries(), publishers: this.publishers.size, pendingPublishers: this.pendingPublishers.size };
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    for (const p of [...this.publishers.values(), ...this.pendingPublishers]) p.close(reason);
    await this.node.close(reason);
    await this.archive?.close();
    await this.engine.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
