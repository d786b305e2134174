import { EventEmitter } from 'node:events';
import type { Logger } from '../src/log.js';
import { UpstreamLink } from '../src/tree/UpstreamLink.js';
import type { LinkMediaMode, PipeHost } from '../src/pipe/PipeHost.js';

export interface SiblingPoolOptions {
  nodeId: string;
  secret?: string;
  /** Extra CA certificates for wss:// peers (--tls-ca). */
  ca?: Buffer;
  maxFrameBytes: number;
  connectTimeoutMs: number;
  /** The node's pipe socket and --link-media. */
  pipe?: () => { host: PipeHost; mode: LinkMediaMode } | null;
  logger: Logger;
}

/**
 * Links to the siblings this relay pulls from (claims 3, 7), by sibling id. A sibling link
 * lives while it works: when it drops it is forgotten, and the next miss asks the group afresh.
 *
 * Events: 'close'.
 */
export interface SiblingPoolEvents {
  close: [];
}

export class SiblingPool extends EventEmitter<SiblingPoolEvents> {
  readonly links = new Map<string, UpstreamLink>();
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }

  constructor(private readonly opts: SiblingPoolOptions) {
    super();
  }

  /** The link to a sibling, opened on first use (a changed URL replaces the old link). */
  link(id: string, url: string): UpstreamLink {
    let link = this.links.get(id);
    if (link && link.opts.url !== url) {
      link.close();
      link = undefined;
    }
    if (link) return link;
    const l = new UpstreamLink({
      url,
      nodeId: this.opts.nodeId,
      role: 'sibling',
      secret: this.opts.secret,
      ca: this.opts.ca,
      maxFrameBytes: this.opts.maxFrameBytes,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      reconnect: false,
      pipe: this.opts.pipe,
      logger: this.opts.logger,
    });
    l.on('down', () => {
      l.close();
      if (this.links.get(id) === l) this.links.delete(id);
    });
    this.links.set(id, l);
    return l;
  }

  get subscriptionCount(): number {
    let n = 0;
    for (const l of this.links.values()) n += l.subscriptionCount;
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    for (const l of this.links.values()) l.close();
    this.links.clear();
    this.emit('close');
  }
}
