import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RtcEngine } from '../src/engine/engine.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import { bearerToken, mediaType, readBody, STREAM_NAME } from '../src/http/http.js';
import type { Logger } from '../src/log.js';
import { commonNodeOptions, engineFromConfig } from '../src/node/engineFromConfig.js';
import { MediaNode, signalingRoute } from '../src/node/MediaNode.js';
import type { DrainOutcome } from '../src/node/DrainGate.js';
import { outOfRange } from '../src/node/timeshiftStart.js';
import { MAX_SDP_BYTES } from '../src/sdp.js';
import { ArchiveStore } from '../src/media/ArchiveStore.js';
import type { ArchiveReader } from '../src/media/ArchiveReader.js';
import type { Feed } from '../src/media/Feed.js';
import { ReplaySource } from '../src/media/ReplaySource.js';
import type { FeedSource, StreamInfo } from '../src/media/types.js';
import type { OriginConfig } from './config.js';
import { PublisherSession } from './PublisherSession.js';

/**
 * The origin (level 0): WHIP ingest, and the root of the relay tree. It sends a stream to a
 * level-1 relay only once that relay subscribes (patent [0043], [0081]).
 */
export class OriginServer extends EventEmitter {
  readonly node: MediaNode;
  readonly engine: RtcEngine;
  readonly publishers = new Map<string, PublisherSession>();
  readonly archive: ArchiveStore | null;
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
    this.node = new MediaNode({
      ...commonNodeOptions(config),
      role: 'origin',
      engine: this.engine,
      logger: this.log,
      serveViewers: config.serveViewers,
      level: () => 0,
      timeshiftFallback: (feed) => this.fromArchive(feed),
    });
    this.archive = config.dataDir
      ? new ArchiveStore({ dir: config.dataDir, windowMs: config.archiveWindow, maxBytes: config.archiveMaxBytes, logger: this.log.child({ component: 'archive' }) })
      : null;
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

  /** A time-shifted request beyond this node's buffer: play it from the archive (window A). */
  private async fromArchive(feed: Feed): Promise<{ source: FeedSource; info: StreamInfo }> {
    const startMs = feed.resumeFromMs;
    const archive = this.archive;
    const reader = archive?.openReader(feed.name, startMs) ?? null;
    if (!archive || !reader) {
      const ranges = [archive?.range(feed.name), this.node.bufferRange(feed.name)].filter((r) => r);
      const range = ranges.length ? { startMs: Math.min(...ranges.map((r) => r!.startMs)), endMs: Math.max(...ranges.map((r) => r!.endMs)) } : null;
      throw outOfRange(feed.name, startMs, range);
    }
    const info = reader.info;
    let first: ArchiveReader | null = reader;
    const replay = new ReplaySource({
      kind: 'archive',
      peer: this.config.id,
      startMs,
      // The first iterator is the reader opened above; rewinds open new ones.
      seek: (t) => {
        const r = first ?? archive.openReader(feed.name, t);
        first = null;
        return r;
      },
      logger: feed.log,
    });
    replay.start(feed);
    return { source: replay, info };
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
    session.once('close', () => {
      if (this.publishers.get(stream) === session) this.publishers.delete(stream);
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

  /** Graceful drain on SIGTERM (src/node/DrainGate.ts); the caller closes afterwards. */
  drain(timeoutMs: number): Promise<DrainOutcome> {
    return this.node.drain(timeoutMs);
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
