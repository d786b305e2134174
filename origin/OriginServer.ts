import { EventEmitter } from 'node:events';
import { Authorizer } from '../src/auth/Authorizer.js';
import type { RtcEngine } from '../src/engine/engine.js';
import type { Logger } from '../src/log.js';
import { commonNodeOptions, engineFromConfig } from '../src/node/engineFromConfig.js';
import { MediaNode } from '../src/node/MediaNode.js';
import { ArchiveExport } from '../src/export/ArchiveExport.js';
import { parseStart } from '../src/session/WhepServer.js';
import { ArchiveStore } from '../src/media/ArchiveStore.js';
import { join } from 'node:path';
import type { DrainOutcome } from '../src/node/DrainGate.js';
import type { OriginConfig } from './config.js';
import { OriginPlanner } from './OriginPlanner.js';
import { SessionLedger } from './SessionLedger.js';
import type { PublisherSession } from './PublisherSession.js';
import { WhipServer } from './WhipServer.js';
import type { TlsIdentity } from '../src/http/TlsIdentity.js';

/** How long a restarted origin fails the ICE checks of the sessions its earlier life left. */
const ORPHAN_TOMBSTONE_MS = 30_000;

/**
 * The origin (level 0): WHIP ingest, and the root of the relay tree. It sends a stream to a
 * level-1 relay only once that relay subscribes (patent [0043], [0081]).
 */
export interface OriginServerEvents {
  close: [reason: string];
}

export class OriginServer extends EventEmitter<OriginServerEvents> {
  readonly node: MediaNode;
  readonly engine: RtcEngine;
  /** WHIP ingest: the publishers (WhipServer.ts). */
  readonly whip: WhipServer;
  readonly authorizer: Authorizer;
  readonly archive: ArchiveStore | null;
  readonly planner: OriginPlanner;
  /** Live WHIP sessions' ports and ICE credentials on disk (with --data-dir), for after a crash. */
  readonly ledger: SessionLedger | null;
  readonly startedAt = Date.now();
  private keyframeTimer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  private readonly tls: TlsIdentity | null;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }

  constructor(
    readonly config: OriginConfig,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ node: config.id });
    this.engine = engineFromConfig(config, this.log);
    this.authorizer = Authorizer.create(config, 'origin', this.log);
    this.archive = config.dataDir
      ? new ArchiveStore({
          dir: config.dataDir,
          windowMs: config.archiveWindow,
          maxBytes: config.archiveMaxBytes,
          logger: this.log.child({ component: 'archive' }),
        })
      : null;
    this.ledger = config.dataDir ? new SessionLedger(join(config.dataDir, 'whip-sessions.json'), this.log) : null;
    this.planner = new OriginPlanner({
      nodeId: config.id,
      hub: () => this.node.hub,
      archive: this.archive,
      startedAt: this.startedAt,
      startupGraceMs: config.startupGrace,
    });
    // Node options are built once: they hold the TLS files, read at start and on SIGHUP only.
    const common = commonNodeOptions(config);
    this.tls = common.security.tls ?? null;
    this.node = new MediaNode({
      ...common,
      // With an archive, window B's requests read it (through the page cache): no second copy in memory.
      buffer: this.archive ? { ...common.buffer, memoryWindowMs: Math.min(config.archiveMemoryWindow, config.cacheWindow) } : common.buffer,
      repair: { ...common.repair, keyframeMinIntervalMs: config.keyframeMinInterval },
      role: 'origin',
      engine: this.engine,
      logger: this.log,
      serveViewers: config.serveViewers,
      level: () => 0,
      authorizer: this.authorizer,
      otherSessions: () => this.whip.counts(),
      otherRouted: () => [...this.whip.publishers.values(), ...this.whip.pendingPublishers],
      planner: this.planner,
    });
    if (this.archive) {
      const a = this.archive;
      const m = this.node.metrics;
      m.gauge('archive_bytes', 'Bytes in the stream archive', () => a.stats().bytes);
      m.gauge('archive_write_errors', 'Archive write errors (disk full or failing) since start', () => a.stats().writeErrors);
      m.gauge('archive_dropped_packets', 'Packets the archive could not keep up with and dropped', () => a.stats().droppedPackets);
    }
    this.whip = new WhipServer({
      hub: this.node.hub,
      engine: this.engine,
      authorizer: this.authorizer,
      admission: this.node.admission,
      logger: this.log,
      counters: this.node.counters,
      timers: common.sessionTimers,
      publisherReplace: config.publisherReplace,
      videoBitrate: config.publishBitrate,
      transportCc: config.publishTransportCc,
      lossRepair: config.lossRepair,
      archive: this.archive,
      ledger: this.ledger,
      location: (req, path) => this.node.location(req, path),
      iceHeaders: (id) => this.node.iceHeaders(id),
      iceRoute: (p) => this.node.iceRouteOf(p),
    });
    this.node.addRoutes(this.whip.route);
    // GET /archive/{stream}.mp4 (docs/export.md).
    const exports = new ArchiveExport({
      archive: this.archive,
      authorizer: this.authorizer,
      adminToken: this.node.opts.security.adminToken,
      parseStart,
      logger: this.log,
    });
    this.node.addRoutes((req, res, path, url) => exports.route(req, res, path, url));
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

  /** The live publisher of each stream (WhipServer). */
  get publishers(): ReadonlyMap<string, PublisherSession> {
    return this.whip.publishers;
  }

  /** Publishers waiting for their media to take over a live stream (WhipServer). */
  get pendingPublishers(): ReadonlySet<PublisherSession> {
    return this.whip.pendingPublishers;
  }

  /** SIGHUP: re-reads the TLS certificate and key; new connections get the new pair. */
  reload(): void {
    if (!this.tls) return;
    this.tls.reload();
    this.log.info({ cert: this.tls.files.cert }, 'TLS certificate reloaded');
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
    this.#closed = true;
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    this.whip.close(reason);
    await this.node.close(reason);
    await this.archive?.close();
    await this.engine.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
