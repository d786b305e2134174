import type { Decision, LocalStatus, SiblingDiscovery } from '../src/discovery/SiblingDiscovery.js';
import { toCanopyError } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import type { NodeCounters } from '../src/metrics.js';
import { evictedHere, fromBuffer } from '../src/media/bufferUpstream.js';
import type { Feed, Upstream } from '../src/media/Feed.js';
import type { StreamHub } from '../src/media/StreamHub.js';
import type { SourceKind } from '../src/media/types.js';
import type { UpstreamPlanner } from '../src/media/UpstreamPlanner.js';
import type { ParentSet } from './ParentSet.js';
import type { SiblingPool } from './SiblingPool.js';

export interface RelayPlannerOptions {
  nodeId: string;
  hub: () => StreamHub;
  parents: ParentSet;
  discovery: () => SiblingDiscovery | null;
  siblings: SiblingPool;
  counters: () => NodeCounters;
  logger: Logger;
}

/** How this relay gets a live stream it is pulling: the sibling path its copy comes through. */
type PullDecision = { feed: Feed; deciding: true } | { feed: Feed; deciding: false; via: string[] };

/**
 * Where a relay gets a stream (patent claims 1, 3, 5 and 7), in this order:
 * - live: a sibling that carries or fetches it (one copy enters a sibling group), else the
 *   current parent (ParentSet: priority, RTT, load);
 * - time-shifted within window B: this relay's own buffer, a sibling whose buffer covers the
 *   start, else the parent;
 * - time-shifted past window B (bypass), or to media this relay's buffer evicted for memory
 *   (CacheBudget): straight to the parent, and every node on the way does the same until the
 *   origin's archive (claim 5).
 */
export class RelayPlanner implements UpstreamPlanner {
  private readonly decisions = new Map<string, PullDecision>();
  private readonly movingToSibling = new WeakSet<Feed>();
  private readonly log: Logger;

  constructor(private readonly opts: RelayPlannerOptions) {
    this.log = opts.logger.child({ component: 'planner' });
  }

  open(feed: Feed): Promise<Upstream> {
    return feed.live ? this.live(feed) : this.timeshift(feed);
  }

  pending(): { kind: SourceKind; peer: string } | null {
    const p = this.opts.parents.current;
    if (!p) return null;
    return { kind: p.link.upstreamLevel === 0 ? 'origin' : 'parent', peer: p.link.welcome?.nodeId ?? p.url };
  }

  private async live(feed: Feed): Promise<Upstream> {
    const { parents } = this.opts;
    const discovery = this.opts.discovery();
    if (discovery && parents.current) {
      this.decide(feed, { feed, deciding: true });
      const d = await discovery.query(feed.name);
      if (d.from === 'sibling') {
        this.decide(feed, { feed, deciding: false, via: [d.nodeId, ...d.via] });
        d.announce();
        const up = await this.fromSibling(d, feed);
        if (up) return up;
      }
      this.decide(feed, { feed, deciding: false, via: [] });
      if (d.from === 'parent') d.announce();
    } else {
      this.decide(feed, { feed, deciding: false, via: [] });
    }
    return parents.subscribe(feed.name, feed);
  }

  private async timeshift(feed: Feed): Promise<Upstream> {
    const startMs = feed.resumeFromMs;
    // Media this relay's buffer evicted for memory goes up as if older than window B.
    const bypass = feed.bypass || evictedHere(this.opts.hub(), feed.name, startMs);
    if (!bypass) {
      const local = fromBuffer(this.opts.hub(), feed, this.opts.nodeId, { upstreamOnEviction: true });
      if (local) return local;
      const discovery = this.opts.discovery();
      const d = discovery && this.opts.parents.current ? await discovery.query(feed.name, startMs) : null;
      const up = d?.from === 'sibling' ? await this.fromSibling(d, feed, { startMs, bypass: false }) : null;
      if (up) return up;
    }
    return this.opts.parents.subscribe(feed.name, feed, { startMs, bypass });
  }

  /** Subscribes at a sibling; null (and the caller asks the parent) when that fails. */
  private async fromSibling(d: Extract<Decision, { from: 'sibling' }>, feed: Feed, at?: { startMs: number; bypass: boolean }): Promise<Upstream | null> {
    try {
      const up = await this.opts.siblings.link(d.nodeId, d.linkUrl).subscribe(feed.name, feed, at);
      this.opts.counters().siblingPulls.inc();
      return up;
    } catch (err) {
      this.log.warn({ stream: feed.name, sibling: d.nodeId, err: toCanopyError(err).message }, 'sibling pull failed; asking the parent');
      return null;
    }
  }

  private decide(feed: Feed, d: PullDecision): void {
    // A feed that closed while we asked the siblings is gone: record nothing (its close has passed).
    if (feed.closed) return;
    const known = this.decisions.get(feed.name);
    this.decisions.set(feed.name, d);
    if (known?.feed !== feed) feed.once('close', () => this.decisions.get(feed.name)?.feed === feed && this.decisions.delete(feed.name));
  }

  /** What our answers to siblings say about a stream (or, time-shifted, about our buffer of it). */
  localStatus(stream: string, startMs?: number): LocalStatus {
    const feed = this.opts.hub().get(stream);
    if (startMs !== undefined) return feed?.state === 'ready' && feed.buffer?.covers(startMs) ? { state: 'carrying', via: [] } : null;
    const d = this.decisions.get(stream);
    if (!feed || !d || d.feed !== feed) return null;
    if (d.deciding) return { state: 'deciding' };
    if (feed.state === 'ready') return { state: 'carrying', via: d.via };
    if (feed.state === 'connecting' || feed.state === 'waiting') return { state: 'fetching', via: d.via };
    return null;
  }

  /**
   * A lower-id sibling that missed the same stream at the same moment answered too late for
   * the tie-break (SiblingDiscovery.onLateAnswer): it pulls from the parent as we do. Move our
   * pull to it, make before break (the packets are the origin's, so viewers see no gap), and
   * one copy enters the group ([0094]).
   */
  async lateRival(stream: string, rival: { nodeId: string; linkUrl: string; via: string[] }): Promise<void> {
    const feed = this.opts.hub().get(stream);
    if (!feed || !feed.live || feed.closed || this.movingToSibling.has(feed)) return;
    this.movingToSibling.add(feed);
    try {
      // Our own pull still connecting: wait for it (its one shared attempt, bounded by the feed's start timeout).
      if (feed.state === 'connecting') await feed.ready().catch(() => undefined);
      const src = feed.source;
      if (feed.closed || feed.state !== 'ready' || !src || (src.kind !== 'parent' && src.kind !== 'origin')) return;
      const up = await this.opts.siblings.link(rival.nodeId, rival.linkUrl).subscribe(feed.name, feed);
      if (feed.switchSource(up)) {
        this.decisions.set(feed.name, { feed, deciding: false, via: [rival.nodeId, ...rival.via] });
        this.opts.counters().siblingPulls.inc();
        this.opts.counters().siblingLateMoves.inc();
        this.log.info({ stream: feed.name, from: src.peer, to: rival.nodeId }, 'pull moved to a sibling that fetched at the same moment');
      }
    } catch (err) {
      this.log.warn({ stream, sibling: rival.nodeId, err: toCanopyError(err).message }, 'could not move pull to a sibling; keeping the parent');
    } finally {
      this.movingToSibling.delete(feed);
    }
  }

  /**
   * Moves live pulls from other parents to the current one, make before break (a return to a
   * preferred parent, or a parent that asked us to go): the new subscription delivers before
   * the old one closes, and the packets are the same, so viewers see no gap.
   */
  async migrate(reason: string): Promise<void> {
    const cur = this.opts.parents.current;
    if (!cur) return;
    const target = cur.link.welcome?.nodeId;
    const moves: Array<Promise<void>> = [];
    for (const feed of this.opts.hub().feeds.values()) {
      const src = feed.source;
      if (!feed.live || feed.state !== 'ready' || !src || (src.kind !== 'parent' && src.kind !== 'origin') || src.peer === target) continue;
      moves.push(
        cur.link.subscribe(feed.name, feed).then(
          (up) => {
            if (feed.switchSource(up)) this.log.info({ stream: feed.name, from: src.peer, to: target, reason }, 'pull moved');
          },
          (err: unknown) => this.log.warn({ stream: feed.name, to: target, err: toCanopyError(err).message }, 'could not move pull'),
        ),
      );
    }
    await Promise.all(moves);
  }

  get decisionCount(): number {
    return this.decisions.size;
  }
}
