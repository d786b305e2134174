import { EventEmitter } from 'node:events';
import { defaultLanGroup, SiblingDiscovery, type LocalStatus } from '../src/discovery/SiblingDiscovery.js';
import type { RtcEngine } from '../src/engine/engine.js';
import { toCanopyError } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import type { Welcome } from '../src/link/connect.js';
import { UpstreamLink } from '../src/link/UpstreamLink.js';
import type { Feed } from '../src/media/Feed.js';
import type { FeedSource, StreamInfo } from '../src/media/types.js';
import { commonNodeOptions, engineFromConfig } from '../src/node/engineFromConfig.js';
import { MediaNode } from '../src/node/MediaNode.js';
import type { DrainOutcome } from '../src/node/DrainGate.js';
import type { RelayConfig } from './config.js';

/** How this relay gets a stream it is pulling: the sibling path its copy comes through. */
type PullDecision = { deciding: true } | { deciding: false; via: string[] };

/**
 * A relay (level >= 1): serves WHEP viewers and child relays, and pulls each stream only while
 * someone consumes it (patent claims 1, 4; [0081], [0087]): first from a sibling that has it
 * (claims 3, 7), else from its parent. Its level is its parent's + 1, learned on the link.
 */
export class RelayServer extends EventEmitter {
  readonly node: MediaNode;
  readonly engine: RtcEngine;
  readonly parent: UpstreamLink;
  readonly discovery: SiblingDiscovery | null;
  /** Links to siblings we pull from, by sibling id. */
  readonly siblingLinks = new Map<string, UpstreamLink>();
  private readonly decisions = new Map<string, PullDecision>();
  private readonly log: Logger;
  closed = false;

  constructor(
    readonly config: RelayConfig,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ node: config.id });
    this.engine = engineFromConfig(config, this.log);
    this.parent = new UpstreamLink({
      url: config.parent,
      nodeId: config.id,
      role: 'child',
      secret: config.clusterSecret,
      maxFrameBytes: config.maxFrameBytes,
      connectTimeoutMs: config.startTimeout,
      reconnect: true,
      logger: this.log,
    });
    this.node = new MediaNode({
      ...commonNodeOptions(config),
      role: 'relay',
      engine: this.engine,
      logger: this.log,
      serveViewers: true,
      parentUrl: config.parent,
      level: () => this.level,
      opener: (feed) => this.pull(feed),
      timeshiftFallback: (feed) => this.pullTimeshift(feed),
      upstreamHint: () => {
        const level = this.parent.upstreamLevel;
        return { kind: level === 0 ? 'origin' : 'parent', peer: this.parent.welcome?.nodeId ?? this.config.parent };
      },
      nodeState: () => ({
        siblings: this.discovery
          ? [...this.discovery.siblings].map(([id, s]) => ({ id, link: s.linkUrl, lastSeenMs: Date.now() - s.lastSeen }))
          : [],
      }),
    });
    this.node.metrics.gauge('level', 'This node level in the tree (-1 while unknown)', () => this.level ?? -1);
    this.discovery = config.siblings ? this.createDiscovery() : null;
    if (this.discovery && !config.clusterSecret) {
      this.log.warn('sibling discovery runs without --cluster-secret: any host on the LAN can answer for a stream');
    }
    this.node.hub.on('feed', (feed: Feed) =>
      feed.once('close', () => {
        if (this.node.hub.get(feed.name) === undefined) this.decisions.delete(feed.name);
      }),
    );
    this.parent.on('up', (w: Welcome) => void this.onParentUp(w));
  }

  private createDiscovery(): SiblingDiscovery {
    const m = this.node.metrics;
    return new SiblingDiscovery({
      nodeId: this.config.id,
      interfaceAddress: this.config.lanInterface ?? this.config.iceBind ?? this.config.iceAddress,
      secret: this.config.clusterSecret ?? '',
      timeoutMs: this.config.siblingTimeout,
      lookup: (stream, startMs) => this.localStatus(stream, startMs),
      counters: {
        queries: m.counter('sibling_queries_total', 'Sibling multicast queries sent on a local miss'),
        hits: m.counter('sibling_hits_total', 'Sibling queries answered by a sibling we then pulled from'),
        misses: m.counter('sibling_misses_total', 'Sibling queries that ended in a pull from the parent'),
        dropped: m.counter('sibling_datagrams_dropped_total', 'Discovery datagrams dropped, by reason'),
      },
      logger: this.log,
    });
  }

  private async onParentUp(w: Welcome): Promise<void> {
    if (!this.discovery || this.closed) return;
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

  /** What our answers to siblings say about a stream (or, time-shifted, about our buffer of it). */
  private localStatus(stream: string, startMs?: number): LocalStatus {
    const feed = this.node.hub.get(stream);
    if (startMs !== undefined) return feed?.state === 'ready' && feed.buffer?.covers(startMs) ? { state: 'carrying', via: [] } : null;
    const d = this.decisions.get(stream);
    if (!feed || !d) return null;
    if (d.deciding) return { state: 'deciding' };
    if (feed.state === 'ready') return { state: 'carrying', via: d.via };
    if (feed.state === 'connecting') return { state: 'fetching', via: d.via };
    return null;
  }

  /** The opener of every feed here: a sibling that has the stream, else the parent. */
  private async pull(feed: Feed): Promise<{ source: FeedSource; info: StreamInfo }> {
    const name = feed.name;
    if (this.discovery && this.parent.state === 'up') {
      this.decisions.set(name, { deciding: true });
      const d = await this.discovery.query(name);
      if (d.from === 'sibling') {
        this.decisions.set(name, { deciding: false, via: [d.nodeId, ...d.via] });
        const res = await this.fromSibling(d, feed);
        if (res) return res;
      }
    }
    this.decisions.set(name, { deciding: false, via: [] });
    return this.parent.subscribe(name, feed);
  }

  /**
   * A time-shifted request this relay's buffer cannot serve (claim 5): older than window B, it
   * goes up with the bypass flag and no node on the way looks locally or asks siblings;
   * otherwise a sibling whose buffer covers the start, else the parent's normal lookup.
   */
  private async pullTimeshift(feed: Feed): Promise<{ source: FeedSource; info: StreamInfo }> {
    const startMs = feed.resumeFromMs;
    if (!feed.bypass && this.discovery && this.parent.state === 'up') {
      const d = await this.discovery.query(feed.name, startMs);
      const res = d.from === 'sibling' ? await this.fromSibling(d, feed, { startMs, bypass: false }) : null;
      if (res) return res;
    }
    return this.parent.subscribe(feed.name, feed, { startMs, bypass: feed.bypass });
  }

  /** Subscribes at a sibling; null (and the caller asks the parent) when that fails. */
  private async fromSibling(
    d: { nodeId: string; linkUrl: string },
    feed: Feed,
    at?: { startMs: number; bypass: boolean },
  ): Promise<{ source: FeedSource; info: StreamInfo } | null> {
    try {
      const res = await this.siblingLink(d.nodeId, d.linkUrl).subscribe(feed.name, feed, at);
      this.node.counters.siblingPulls.inc();
      return res;
    } catch (err) {
      this.log.warn({ stream: feed.name, sibling: d.nodeId, err: toCanopyError(err).message }, 'sibling pull failed; asking the parent');
      return null;
    }
  }

  private siblingLink(id: string, url: string): UpstreamLink {
    let link = this.siblingLinks.get(id);
    if (link && link.opts.url !== url) {
      link.close();
      link = undefined;
    }
    if (!link) {
      const l = new UpstreamLink({
        url,
        nodeId: this.config.id,
        role: 'sibling',
        secret: this.config.clusterSecret,
        maxFrameBytes: this.config.maxFrameBytes,
        connectTimeoutMs: this.config.startTimeout,
        reconnect: false,
        logger: this.log,
      });
      // A sibling link lives while it works; the next miss asks the group afresh.
      l.on('down', () => {
        l.close();
        if (this.siblingLinks.get(id) === l) this.siblingLinks.delete(id);
      });
      this.siblingLinks.set(id, l);
      link = l;
    }
    return link;
  }

  /** Parent's level + 1, once the parent link has been up. */
  get level(): number | null {
    const p = this.parent.upstreamLevel;
    return p === null ? null : p + 1;
  }

  /** Starts listening and connecting upstream; resolves once listening. */
  async listen(): Promise<void> {
    await this.node.listen();
    this.parent.start();
  }

  /** Resolves once the parent link is up and the level known. */
  whenLinked(): Promise<number> {
    if (this.level !== null) return Promise.resolve(this.level);
    return new Promise((resolve) => this.parent.once('up', () => resolve(this.level!)));
  }

  get url(): string {
    return this.node.url;
  }

  get linkUrl(): string {
    return this.node.linkUrl;
  }

  registries(): Record<string, number> {
    let siblingSubscriptions = 0;
    for (const l of this.siblingLinks.values()) siblingSubscriptions += l.subscriptionCount;
    return { ...this.node.registries(), upstreamSubscriptions: this.parent.subscriptionCount, siblingSubscriptions, decisions: this.decisions.size };
  }

  /** Graceful drain on SIGTERM (src/node/DrainGate.ts); the caller closes afterwards. */
  drain(timeoutMs: number): Promise<DrainOutcome> {
    return this.node.drain(timeoutMs);
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.node.close(reason);
    this.discovery?.close();
    for (const l of this.siblingLinks.values()) l.close();
    this.siblingLinks.clear();
    this.parent.close();
    await this.engine.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
