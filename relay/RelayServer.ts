import { EventEmitter } from 'node:events';
import type { RtcEngine } from '../src/engine/engine.js';
import type { Logger } from '../src/log.js';
import { UpstreamLink } from '../src/link/UpstreamLink.js';
import { commonNodeOptions, engineFromConfig } from '../src/node/engineFromConfig.js';
import { MediaNode } from '../src/node/MediaNode.js';
import type { RelayConfig } from './config.js';

/**
 * A relay (level >= 1): serves WHEP viewers and child relays, and pulls each stream from its
 * parent only while someone consumes it (patent claims 1, 4; [0081], [0087]). Its level is
 * its parent's + 1, learned on the link.
 */
export class RelayServer extends EventEmitter {
  readonly node: MediaNode;
  readonly engine: RtcEngine;
  readonly parent: UpstreamLink;
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
      opener: (feed) => this.parent.subscribe(feed.name, feed),
      upstreamHint: () => {
        const level = this.parent.upstreamLevel;
        return { kind: level === 0 ? 'origin' : 'parent', peer: this.parent.welcome?.nodeId ?? this.config.parent };
      },
    });
    this.node.metrics.gauge('level', 'This node level in the tree (-1 while unknown)', () => this.level ?? -1);
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
    return { ...this.node.registries(), upstreamSubscriptions: this.parent.subscriptionCount };
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.node.close(reason);
    this.parent.close();
    await this.engine.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
