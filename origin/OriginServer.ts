import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RtcEngine } from '../src/engine/engine.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import { bearerToken, mediaType, readBody, STREAM_NAME } from '../src/http/http.js';
import type { Logger } from '../src/log.js';
import { commonNodeOptions, engineFromConfig } from '../src/node/engineFromConfig.js';
import { MediaNode, signalingRoute } from '../src/node/MediaNode.js';
import { MAX_SDP_BYTES } from '../src/sdp.js';
import { ArchiveStore } from '../src/media/ArchiveStore.js';
import { join } from 'node:path';
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
  readonly publishers = new Map<string, PublisherSession>();
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
    this.node = new MediaNode({
      ...commonNodeOptions(config),
      role: 'origin',
      engine: this.engine,
      logger: this.log,
      serveViewers: config.serveViewers,
      level: () => 0,
      planner: this.planner,
    });
    if (this.archive) {
      const a = this.archive;
      const m = this.node.metrics;
      m.gauge('archive_bytes', 'Bytes in the stream archive', () => a.stats().bytes);
      m.gauge('archive_write_errors', 'Archive write errors (disk full or failing) since start', () => a.stats().writeErrors);
      m.gauge('archive_dropped_packets', 'Packets the archive could not keep up with and dropped', () => a.stats().droppedPackets);
    }
    this.node.addRoutes((req, res, path) => this.route(req, res, path));
    this.node.metrics.gauge('publishers', 'WHIP publishers connected', () => this.publishers.size);
  }

  async listen(): Promise<void> {
    // Broadcasters of an earlier life of this origin still send to their old ports: fail their
    // ICE checks so they republish at once (RFC 7675 consent would take ~30 s).
    for (const ghost of this.ledger?.takeOrphans() ?? []) this.engine.bury(ghost, ORPHAN_TOMBSTONE_MS);
    await this.archive?.open();
    await this.node.listen();
    if (this.config.keyframeInterval > 0) {
      // Regular keyframes are the archive's and buffers' seek points: a time-shifted viewer
      // starts at the keyframe at or before its start time.
      this.keyframeTimer = setInterval(() => {
        for (const p of this.publishers.values()) for (const t of p.info?.tracks ?? []) if (t.kind === 'video') p.feed?.requestKeyframe(t.id);
      }, this.config.keyframeInterval);
    }
  }

  get url(): string {
    return this.node.url;
  }

  get linkUrl(): string {
    return this.node.linkUrl;
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string[]): Promise<boolean> {
    if (path[0] !== 'whip') return false;
    return signalingRoute(req, res, path, {
      post: (stream) => this.whipPost(req, res, stream),
      session: (id) => [...this.publishers.values()].find((p) => p.id === id),
      authorize: () => this.authorize(req),
    });
  }

  /** RFC 9725 §4.5: Bearer token authentication, on the endpoint and its sessions. */
  private authorize(req: IncomingMessage): void {
    if (this.config.publishToken && bearerToken(req) !== this.config.publishToken) {
      throw new CanopyError(ErrorCode.UNAUTHORIZED, 'missing or wrong Bearer token');
    }
  }

  private async whipPost(req: IncomingMessage, res: ServerResponse, stream: string): Promise<void> {
    this.authorize(req);
    if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
    if (mediaType(req) !== 'application/sdp') throw new CanopyError(ErrorCode.UNSUPPORTED_MEDIA, 'Content-Type must be application/sdp');
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'origin shutting down');
    const offer = await readBody(req, MAX_SDP_BYTES);
    const session = new PublisherSession(stream, {
      engine: this.engine,
      logger: this.log,
      counters: this.node.counters,
      timers: commonNodeOptions(this.config).sessionTimers,
      videoBitrate: this.config.publishBitrate,
    });
    const { answer, info } = await session.start(offer);
    // Policy: a new publisher on a live name replaces the old one (a broadcaster
    // reconnecting after a network drop must not wait for the old session to time out).
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
    res.writeHead(201, {
      'Content-Type': 'application/sdp',
      Location: this.node.location(req, `/whip/${encodeURIComponent(stream)}/${session.id}`),
      ETag: session.etag,
    });
    res.end(answer);
  }

  registries(): Record<string, number> {
    return { ...this.node.registries(), publishers: this.publishers.size };
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    for (const p of [...this.publishers.values()]) p.close(reason);
    await this.node.close(reason);
    await this.archive?.close();
    await this.engine.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
