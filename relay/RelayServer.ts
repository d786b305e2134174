import { EventEmitter } from 'node:events';
import { Authorizer } from '../src/auth/Authorizer.js';
import { defaultLanGroup, SiblingDiscovery } from '../src/discovery/SiblingDiscovery.js';
import type { RtcEngine } from '../src/engine/engine.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import { commonNodeOptions, engineFromConfig, linkCa } from '../src/node/engineFromConfig.js';
import { MediaNode } from '../src/node/MediaNode.js';
import { parseStart } from '../src/session/WhepServer.js';
import { ArchiveExport } from '../src/export/ArchiveExport.js';
import type { DrainOutcome } from '../src/node/DrainGate.js';
import type { RelayConfig } from './config.js';
import { ParentSet, type Parent } from './ParentSet.js';
import { RelayPlanner } from './RelayPlanner.js';
import { SiblingPool } from './SiblingPool.js';
import type { TlsIdentity } from '../src/http/TlsIdentity.js';

/**
 * A relay (level >= 1): serves WHEP viewers and child relays, and pulls each stream only while
 * someone consumes it (patent claims 1, 4; [0081], [0087]): first from a sibling that has it
 * (claims 3, 7), else from its current parent. It keeps a link to every configured parent and
 * fails over between them; its level is its current parent's + 1, learned on the link.
 */
export interface RelayServerEvents {
  close: [reason: string];
}

export class RelayServer extends EventEmitter<RelayServerEvents> {
  readonly node: MediaNode;
  readonly engine: RtcEngine;
  readonly parents: ParentSet;
  readonly planner: RelayPlanner;
  readonly discovery: SiblingDiscovery | null;
  /** Links to the siblings we pull from. */
  readonly siblings: SiblingPool;
  private readonly log: Logger;
  private readonly tls: TlsIdentity | null;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }

  constructor(
    readonly config: RelayConfig,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ node: config.id });
    this.engine = engineFromConfig(config, this.log);
    const ca = linkCa(config);
    this.parents = new ParentSet({
      parents: config.parent,
      nodeId: config.id,
      secret: config.clusterSecret,
      ca,
      maxFrameBytes: config.maxFrameBytes,
      connectTimeoutMs: config.startTimeout,
      returnAfterMs: config.parentReturnAfter,
      pipe: () => ({ host: this.node.pipeHost, mode: config.linkMedia }),
      reporter: () => {
        let report: (() => ReturnType<ReturnType<MediaNode['uplinkReporter']>>) | null = null;
        return () => (report ??= this.node.uplinkReporter())();
      },
      logger: this.log,
    });
    this.siblings = new SiblingPool({
      nodeId: config.id,
      secret: config.clusterSecret,
      ca,
      maxFrameBytes: config.maxFrameBytes,
      connectTimeoutMs: config.startTimeout,
      pipe: () => ({ host: this.node.pipeHost, mode: config.linkMedia }),
      logger: this.log,
    });
    this.planner = new RelayPlanner({
      nodeId: config.id,
      hub: () => this.node.hub,
      parents: this.parents,
      discovery: () => this.discovery,
      siblings: this.siblings,
      counters: () => this.node.counters,
      logger: this.log,
    });
    // Node options are built once: they hold the TLS files, read at start and on SIGHUP only.
    const common = commonNodeOptions(config);
    this.tls = common.security.tls ?? null;
    this.node = new MediaNode({
      ...common,
      // The pipe socket is wanted when any link may use it: --link-media, or a parent's #media=.
      pipe: { ...common.pipe, bind: config.linkMedia !== 'ws' || config.parent.some((p) => p.media !== undefined && p.media !== 'ws') },
      role: 'relay',
      engine: this.engine,
      logger: this.log,
      serveViewers: true,
      authorizer: Authorizer.create(config, 'relay', this.log),
      planner: this.planner,
      level: () => this.level,
      path: () => this.parents.path,
      parentId: () => this.parents.current?.link.welcome?.nodeId ?? null,
      peers: () => this.parents.peers,
      nodeState: () => ({
        parent: this.parents.current
          ? { url: this.parents.current.url, id: this.parents.current.link.welcome?.nodeId ?? null, priority: this.parents.current.priority }
          : null,
        parents: this.parents.describe(),
        failovers: this.parents.failovers,
        siblings: this.discovery ? [...this.discovery.siblings].map(([id, s]) => ({ id, link: s.linkUrl, lastSeenMs: Date.now() - s.lastSeen })) : [],
      }),
    });
    // GET /archive/{stream}.mp4 goes up to the origin's archive (docs/export.md).
    const exports = new ArchiveExport({
      archive: null,
      upstream: async () => httpBase((this.parents.current ?? (await this.parents.whenCurrent(config.startTimeout))).url),
      authorizer: this.node.opts.authorizer,
      adminToken: this.node.opts.security.adminToken,
      parseStart,
      logger: this.log,
    });
    this.node.addRoutes((req, res, path, url) => exports.route(req, res, path, url));
    const m = this.node.metrics;
    m.gauge('level', 'This node level in the tree (-1 while unknown)', () => this.level ?? -1);
    m.gauge('parent_failovers_total', 'Moves away from a parent that failed (link lost, a loop, or it asked us to go)', () => this.parents.failovers);
    m.gauge('parent_priority', 'Priority of the current parent (lower is preferred; -1: none)', () => this.parents.current?.priority ?? -1);
    // Unauthenticated discovery would let any host on the LAN steer pulls: none without a secret.
    this.discovery = config.siblings && config.clusterSecret ? this.createDiscovery(config.clusterSecret) : null;
    // Pulls open now, on parent and sibling links: a relay holds one per stream it carries
    // (StreamHub keeps one feed per name, a feed one source), so more than the streams carried
    // is a leak. canopy_upstream_subscriptions_opened_total also counts re-pulls after a pull
    // ended (docs/scale.md, "pulls opened per relay").
    this.node.metrics.gauge(
      'upstream_subscriptions',
      'Upstream subscriptions open now, on parent and sibling links',
      () => this.parents.subscriptionCount + this.siblings.subscriptionCount,
    );
    if (config.siblings && !config.clusterSecret) {
      this.log.warn('no cluster secret: sibling discovery is off, every stream comes from the parent (--insecure-no-cluster-secret)');
    }
    this.parents.on('change', (p: Parent | null, previous: Parent | null, reason: string) => this.onParentChange(p, previous, reason));
    this.parents.on('path', () => this.node.pathChanged());
  }

  private createDiscovery(secret: string): SiblingDiscovery {
    const m = this.node.metrics;
    return new SiblingDiscovery({
      nodeId: this.config.id,
      interfaceAddress: this.config.lanInterface ?? this.config.iceBind ?? this.config.iceAddress,
      secret,
      timeoutMs: this.config.siblingTimeout,
      lookup: (stream, startMs) => this.planner.localStatus(stream, startMs),
      onLateRival: (stream, rival) => void this.planner.lateRival(stream, rival),
      counters: {
        queries: m.counter('sibling_queries_total', 'Sibling multicast queries sent on a local miss'),
        hits: m.counter('sibling_hits_total', 'Sibling queries answered by a sibling we then pulled from'),
        misses: m.counter('sibling_misses_total', 'Sibling queries that ended in a pull from the parent'),
        dropped: m.counter('sibling_datagrams_dropped_total', 'Discovery datagrams dropped, by reason', ['reason']),
      },
      logger: this.log,
    });
  }

  /**
   * The current parent changed: our level and path may have changed (children learn them),
   * the sibling group is the new parent's, and pulls still on another parent move over.
   */
  private onParentChange(p: Parent | null, previous: Parent | null, reason: string): void {
    if (this.closed) return;
    this.node.pathChanged();
    if (!p) return;
    if (previous && previous !== p) this.log.info({ from: previous.url, to: p.url, reason }, 'parent changed');
    void this.joinSiblingGroup(p);
    // Pulls on a parent that still works (a return to a preferred one, or a draining parent)
    // move make-before-break; pulls on a dead parent re-pull by themselves (Feed.sourceLost).
    void this.planner.migrate(reason);
  }

  private async joinSiblingGroup(p: Parent): Promise<void> {
    const w = p.link.welcome;
    if (!this.discovery || this.closed || !w) return;
    const g = this.config.lanGroup;
    try {
      await this.discovery.start({
        parentId: w.nodeId,
        parentInstance: w.instance ?? '',
        group: g ? { address: g.host, port: g.port } : defaultLanGroup(w.nodeId),
        linkUrl: this.node.linkUrl,
      });
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'cannot join the sibling group; pulling from the parent only');
    }
  }

  /** The current parent's level + 1, once a parent link is up. */
  get level(): number | null {
    return this.parents.level;
  }

  /** Starts listening and connecting upstream; resolves once listening. */
  async listen(): Promise<void> {
    await this.node.listen();
    this.parents.start();
  }

  /** Resolves once a parent link is up and the level known; rejects if the relay closes first. */
  whenLinked(): Promise<number> {
    if (this.level !== null) return Promise.resolve(this.level);
    if (this.closed) return Promise.reject(new CanopyError(ErrorCode.SHUTDOWN, 'relay closed before a parent link came up'));
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.parents.off('change', check);
        this.off('close', closed);
      };
      const check = (): void => {
        if (this.level === null) return;
        done();
        resolve(this.level);
      };
      const closed = (reason: string): void => {
        done();
        reject(new CanopyError(ErrorCode.SHUTDOWN, `relay closed before a parent link came up (${reason})`));
      };
      this.parents.on('change', check);
      this.on('close', closed);
    });
  }

  get url(): string {
    return this.node.url;
  }

  get linkUrl(): string {
    return this.node.linkUrl;
  }

  registries(): Record<string, number> {
    return {
      ...this.node.registries(),
      upstreamSubscriptions: this.parents.subscriptionCount,
      siblingSubscriptions: this.siblings.subscriptionCount,
      decisions: this.planner.decisionCount,
    };
  }

  /** Graceful drain on SIGTERM (src/node/DrainGate.ts); the caller closes afterwards. */
  /** SIGHUP: re-reads the TLS certificate and key; new connections get the new pair. */
  reload(): void {
    if (!this.tls) return;
    this.tls.reload();
    this.log.info({ cert: this.tls.files.cert }, 'TLS certificate reloaded');
  }

  drain(timeoutMs: number): Promise<DrainOutcome> {
    return this.node.drain(timeoutMs);
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.#closed = true;
    await this.node.close(reason);
    this.discovery?.close();
    this.siblings.close();
    this.parents.close();
    await this.engine.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}

/** A parent's link URL (ws[s]://host:port/relay) as the http(s) base of its HTTP API. */
function httpBase(linkUrl: string | undefined): string | null {
  if (!linkUrl) return null;
  try {
    const u = new URL(linkUrl);
    return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`;
  } catch {
    return null;
  }
}
