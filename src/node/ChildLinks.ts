import { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { StreamHub } from '../media/StreamHub.js';
import type { Link } from '../link/Link.js';
import type { Hello } from '../link/LinkServer.js';
import { Downlink } from '../tree/Downlink.js';
import type { LinkMediaMode, PipeHost } from '../pipe/PipeHost.js';
import type { StatusBoard } from './StatusBoard.js';

export interface ChildLinksOptions {
  hub: StreamHub;
  board: StatusBoard;
  counters: NodeCounters;
  logger: Logger;
  /** Whether a time-shifted request for startMs is older than this node's window B. */
  bypassAt: (startMs: number) => boolean;
  maxSubscriptions: number;
  /** This node's pipe socket and --link-media, when it has a bound one (docs/pipe.md). */
  pipe: () => { host: PipeHost; mode: LinkMediaMode } | null;
}

/**
 * The links this node accepted (LinkServer): child relays and siblings pulling from us. Each
 * gets a Downlink serving its subscriptions and a place on the status board; the children
 * (not the siblings) also hear of our path changes and, when we drain, GoAway.
 */
export class ChildLinks {
  readonly downlinks = new Set<Downlink>();
  /** Accepted links whose far end is our child in the tree (not a sibling pulling from us). */
  private readonly children = new Set<Link>();

  constructor(private readonly opts: ChildLinksOptions) {}

  /** A link passed the handshake (LinkServer 'link'). */
  accept(link: Link, hello: Hello): void {
    const role = hello.role === 2 ? 'sibling' : 'child';
    this.opts.board.addLink(link, role);
    if (role === 'child') {
      this.children.add(link);
      link.once('close', () => this.children.delete(link));
    }
    const d = new Downlink(link, {
      hub: this.opts.hub,
      counters: this.opts.counters,
      logger: this.opts.logger,
      bypassAt: this.opts.bypassAt,
      maxSubscriptions: this.opts.maxSubscriptions,
      pipe: this.opts.pipe(),
    });
    this.downlinks.add(d);
    link.once('close', (code: ErrorCode) => {
      this.downlinks.delete(d);
      if (code !== ErrorCode.LINK_CLOSED && code !== ErrorCode.SHUTDOWN) this.opts.counters.linkErrors.inc({ code: String(code) });
    });
  }

  /** Stream subscriptions held by child and sibling links. */
  subscriptions(): number {
    let n = 0;
    for (const d of this.downlinks) n += d.subs.size;
    return n;
  }

  /** Asks every child to move to another parent within deadlineMs (they move make-before-break). */
  goAway(reason: string, deadlineMs: number): void {
    for (const link of this.children) link.send({ goAway: { reason, deadlineMs } });
  }

  /** Our level or path changed (a failover): tell our children, who tell theirs. */
  pathChanged(level: number, path: string[]): void {
    for (const link of this.children) link.send({ pathUpdate: { level, path } });
  }
}
