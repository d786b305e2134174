import { EventEmitter } from 'node:events';
import type { ParentEntry } from '../src/config.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import type { canopy } from '../src/gen/link.js';
import type { Logger } from '../src/log.js';
import type { Upstream } from '../src/media/Feed.js';
import type { FeedSink } from '../src/media/types.js';
import { UpstreamLink, type NodeStatus } from '../src/tree/UpstreamLink.js';
import type { LinkMediaMode, PipeHost } from '../src/pipe/PipeHost.js';

export interface ParentSetOptions {
  parents: readonly ParentEntry[];
  nodeId: string;
  secret?: string;
  /** Extra CA certificates for wss:// peers (--tls-ca). */
  ca?: Buffer;
  maxFrameBytes: number;
  connectTimeoutMs: number;
  /** A more preferred parent must have been up this long before we move back to it. */
  returnAfterMs: number;
  /** Makes what our pings to one parent carry (our status and subtree). */
  reporter: () => () => Omit<canopy.link.v1.Ping.$Properties, 'sentMs'>;
  /** The node's pipe socket and --link-media (a parent's #media= overrides the mode). */
  pipe?: () => { host: PipeHost; mode: LinkMediaMode } | null;
  logger: Logger;
}

export interface Parent {
  readonly url: string;
  readonly priority: number;
  /** Position in the configured list. */
  readonly index: number;
  readonly link: UpstreamLink;
}

/** RTTs closer than this are a tie: parent choice then goes by load (no flapping on jitter). */
const RTT_TIE_MS = 5;
const RTT_TIE_RATIO = 1.25;
const CHECK_MS = 1000;

/**
 * A relay's parents (patent [0033] applied to the tree itself): a link to every configured
 * parent is kept up, so a failover needs no connection set-up. New pulls go to the current
 * parent: the most preferred usable one by priority, then measured RTT, then load. When the
 * current parent's link dies, the next one takes over at once; once a more preferred parent
 * has been healthy for --parent-return-after, the relay moves back (hysteresis).
 *
 * A parent is unusable while its link is down, while it asks us to go away (draining), and
 * while its path holds our own id (it is our descendant: a loop).
 *
 * Events: 'change' (current: Parent | null, previous: Parent | null, reason: string), 'path'
 * (our level or path changed while the parent stayed), 'close'.
 */
export interface ParentSetEvents {
  change: [current: Parent | null, previous: Parent | null, reason: string];
  path: [];
  close: [];
}

export class ParentSet extends EventEmitter<ParentSetEvents> {
  readonly parents: Parent[];
  current: Parent | null = null;
  /** Failovers: moves away from a parent that failed (not returns to a better one). */
  failovers = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly log: Logger;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }

  constructor(private readonly opts: ParentSetOptions) {
    super();
    this.log = opts.logger.child({ component: 'parents' });
    this.parents = opts.parents.map((p, index) => {
      const link = new UpstreamLink({
        url: p.url,
        nodeId: opts.nodeId,
        role: 'child',
        secret: opts.secret,
        ca: opts.ca,
        maxFrameBytes: opts.maxFrameBytes,
        connectTimeoutMs: opts.connectTimeoutMs,
        reconnect: true,
        maxBackoffMs: 2000,
        pingExtras: opts.reporter(),
        pipe: () => {
          const pipe = opts.pipe?.();
          return pipe ? { host: pipe.host, mode: p.media ?? pipe.mode } : null;
        },
        logger: opts.logger,
      });
      const parent: Parent = { url: p.url, priority: p.priority, index, link };
      link.on('up', () => this.reconsider('parent up'));
      link.on('down', () => this.reconsider(`parent ${p.url} down`));
      link.on('goaway', () => this.reconsider(`parent ${p.url} asked us to move`));
      link.on('path', () => {
        if (this.current === parent && !this.usable(parent)) this.reconsider(`parent ${p.url} is now our descendant`);
        else if (this.current === parent) this.emit('path');
        else this.reconsider('parent path changed');
      });
      return parent;
    });
    this.timer = setInterval(() => this.reconsider('periodic'), CHECK_MS);
  }

  start(): void {
    for (const p of this.parents) p.link.start();
  }

  /** Our level: the current parent's + 1 (null until a parent is up). */
  get level(): number | null {
    const l = this.current?.link.upstreamLevel;
    return l === null || l === undefined ? null : l + 1;
  }

  /** Node ids from the origin down to us. */
  get path(): string[] {
    return this.current ? [...this.current.link.path, this.opts.nodeId] : [this.opts.nodeId];
  }

  /** Whether a parent can take our pulls now. */
  usable(p: Parent): boolean {
    const l = p.link;
    return l.state === 'up' && !l.goingAway && !l.path.includes(this.opts.nodeId);
  }

  /** Priority, then RTT (ties within a margin), then load. Negative: a is preferred. */
  private compare(a: Parent, b: Parent): number {
    if (a.priority !== b.priority) return a.priority - b.priority;
    const ra = a.link.rttMs;
    const rb = b.link.rttMs;
    if (ra > 0 && rb > 0 && Math.abs(ra - rb) > RTT_TIE_MS && Math.max(ra, rb) / Math.min(ra, rb) > RTT_TIE_RATIO) return ra - rb;
    const la = loadOf(a.link.status);
    const lb = loadOf(b.link.status);
    if (la !== lb) return la - lb;
    const ca = a.link.status?.cpu ?? Infinity;
    const cb = b.link.status?.cpu ?? Infinity;
    if (Math.abs(ca - cb) > 0.05) return ca - cb;
    return a.index - b.index;
  }

  /** The most preferred usable parent. */
  best(): Parent | null {
    let best: Parent | null = null;
    for (const p of this.parents) if (this.usable(p) && (!best || this.compare(p, best) < 0)) best = p;
    return best;
  }

  /**
   * The one place the current parent changes: away from one that is no longer usable (a
   * failover), or back to a more preferred one that has been up for --parent-return-after.
   */
  private reconsider(reason: string): void {
    if (this.closed) return;
    const cur = this.current;
    const best = this.best();
    if (cur && this.usable(cur)) {
      // Only a strictly preferred priority moves established pulls, and only once it has
      // stayed up for the hysteresis time; RTT and load only pick among failover targets.
      if (!best || best === cur || best.priority >= cur.priority) return;
      // With nothing pulled from the current parent, moving costs nothing: no wait.
      if (cur.link.subscriptionCount > 0 && Date.now() - best.link.upSince < this.opts.returnAfterMs) return;
      return this.setCurrent(best, `returning to preferred parent ${best.url}`);
    }
    if (best === cur) return;
    if (cur) this.failovers++;
    this.setCurrent(best, cur ? `failover: ${reason}` : reason);
  }

  private setCurrent(p: Parent | null, reason: string): void {
    const previous = this.current;
    this.current = p;
    this.log.info({ parent: p?.url ?? null, priority: p?.priority ?? null, previous: previous?.url ?? null, reason }, p ? 'parent chosen' : 'no usable parent');
    this.emit('change', p, previous, reason);
  }

  /** Resolves with the current parent, waiting (bounded) for one to come up. */
  whenCurrent(timeoutMs: number): Promise<Parent> {
    this.reconsider('pull');
    if (this.current) return Promise.resolve(this.current);
    if (this.closed) return Promise.reject(new CanopyError(ErrorCode.SHUTDOWN, 'relay shutting down'));
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('change', onChange);
        this.off('close', onClose);
      };
      const onChange = (p: Parent | null): void => {
        if (!p) return;
        done();
        resolve(p);
      };
      const onClose = (): void => {
        done();
        reject(new CanopyError(ErrorCode.SHUTDOWN, 'relay shutting down'));
      };
      const timer = setTimeout(() => {
        done();
        reject(new CanopyError(ErrorCode.UNAVAILABLE, `no parent reachable (${this.parents.map((x) => x.url).join(', ')})`));
      }, timeoutMs);
      this.on('change', onChange);
      this.once('close', onClose);
    });
  }

  /** Subscribes at the current parent. */
  async subscribe(stream: string, sink: FeedSink, at?: { startMs: number; bypass: boolean }): Promise<Upstream> {
    const p = await this.whenCurrent(this.opts.connectTimeoutMs);
    return p.link.subscribe(stream, sink, at);
  }

  /** Our siblings in the tree: the current parent's other children, as it reports them. */
  get peers(): NodeStatus[] {
    return this.current?.link.peers.filter((s) => s.nodeId !== this.opts.nodeId) ?? [];
  }

  get subscriptionCount(): number {
    let n = 0;
    for (const p of this.parents) n += p.link.subscriptionCount;
    return n;
  }

  /** For /api/state. */
  describe(): Array<Record<string, unknown>> {
    return this.parents.map((p) => ({
      url: p.url,
      priority: p.priority,
      id: p.link.welcome?.nodeId ?? null,
      state: p.link.state,
      current: p === this.current,
      usable: this.usable(p),
      level: p.link.upstreamLevel,
      rttMs: p.link.rttMs,
      viewers: p.link.status?.viewers ?? null,
      cpu: p.link.status?.cpu ?? null,
      draining: p.link.goingAway || (p.link.status?.draining ?? false),
      media: p.link.mediaPath,
    }));
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    clearInterval(this.timer);
    for (const p of this.parents) p.link.close();
    this.log.info('closed: shutdown');
    this.emit('close');
  }
}

/**
 * A parent's load as it reports it: what it serves (viewers and child links), as a share of
 * its capacity when it has one; CPU breaks ties. Unknown load counts as the highest.
 */
function loadOf(s: NodeStatus | null): number {
  if (!s) return Number.MAX_SAFE_INTEGER;
  const served = s.viewers + s.childLinks;
  return s.capacity > 0 ? served / s.capacity : served;
}
