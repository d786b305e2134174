import type { NodeStatus } from '../tree/UpstreamLink.js';
import type { Logger } from '../log.js';
import type { Counter } from '../metrics.js';
import type { RegionMap } from './RegionMap.js';

/** The rules a node may direct viewers by (patent [0033]: nearness, load, the user's priority). */
export type RedirectPolicy = 'region' | 'class' | 'load';
export const REDIRECT_POLICIES: readonly RedirectPolicy[] = ['region', 'class', 'load'];

export type CandidateVia = 'self' | 'peer' | 'child' | 'descendant';

export interface Candidate {
  status: NodeStatus;
  via: CandidateVia;
}

export interface ViewerRequest {
  stream: string;
  clientAddress: string;
  /** The viewer's priority class (a token claim or the Canopy-Priority header). */
  viewerClass: string | null;
  /** The request was already redirected once: never send it on again (no ping-pong). */
  redirected: boolean;
}

export interface DirectorOptions {
  policies: readonly RedirectPolicy[];
  regionMap: RegionMap | null;
  /** Move a viewer for load only when this node is this much (a fraction) busier than the best. */
  loadMargin: number;
  /** ...and has at least this many viewers. */
  minViewers: number;
  self: () => NodeStatus;
  /** Relays viewers may be sent to: our siblings in the tree (from our parent) and our children. */
  candidates: () => Candidate[];
  /** Our whole known subtree, for the directory. */
  subtree: () => NodeStatus[];
  draining: () => boolean;
  redirects: Counter;
  logger: Logger;
}

/** Viewers sent to a candidate count against it until fresh reports include them (peers come every 2 s). */
const SENT_FORGET_MS = 3000;

/**
 * Chooses the relay a viewer should talk to (patent [0033], [0078]): any relay may answer a
 * WHEP POST with a 307 to a better one (RFC 9725 §4.6) — nearer to the viewer (its address maps
 * to a region), preferred for its priority class, or less loaded — and answers the directory
 * that a front or a DNS load balancer consults. Each relay's policy is its own (--redirect).
 */
export class Director {
  private readonly sent = new Map<string, { n: number; at: number }>();
  private readonly byReason = new Map<string, number>();

  constructor(private readonly opts: DirectorOptions) {}

  /** Load as a comparable number: the share of capacity when configured, else viewers. */
  private load(s: NodeStatus): number {
    const pending = this.pendingFor(s.nodeId);
    const viewers = s.viewers + pending;
    return s.capacity > 0 ? viewers / s.capacity : viewers;
  }

  private pendingFor(id: string): number {
    const e = this.sent.get(id);
    if (!e) return 0;
    if (Date.now() - e.at > SENT_FORGET_MS) {
      this.sent.delete(id);
      return 0;
    }
    return e.n;
  }

  /** Where a viewer should go instead of here, and why; null to serve it here. */
  decide(req: ViewerRequest): { status: NodeStatus; reason: string } | null {
    const me = this.opts.self();
    const others = this.opts
      .candidates()
      .map((c) => c.status)
      .filter((s) => s.nodeId !== me.nodeId && s.publicUrl && !s.draining && (s.capacity === 0 || s.viewers < s.capacity));
    if (others.length === 0) return null;
    if (this.opts.draining()) return this.send(this.leastLoaded(others), 'draining');
    if (req.redirected) return null;
    const policies = this.opts.policies;
    let pool: NodeStatus[] = [me, ...others];
    if (policies.includes('region') && this.opts.regionMap) {
      const region = this.opts.regionMap.lookup(req.clientAddress);
      const near = region ? pool.filter((s) => s.region === region) : [];
      if (near.length > 0) {
        if (!near.includes(me)) return this.send(this.leastLoaded(near), 'region');
        pool = near;
      }
    }
    if (policies.includes('class') && req.viewerClass) {
      const preferred = pool.filter((s) => s.classes.includes(req.viewerClass!));
      if (preferred.length > 0) {
        if (!preferred.includes(me)) return this.send(this.leastLoaded(preferred), 'class');
        pool = preferred;
      }
    }
    if (policies.includes('load') && me.viewers >= this.opts.minViewers) {
      const best = this.leastLoaded(pool.filter((s) => s !== me));
      if (best && this.load(best) * (1 + this.opts.loadMargin) < this.load(me)) return this.send(best, 'load');
    }
    return null;
  }

  private leastLoaded(list: NodeStatus[]): NodeStatus {
    return list.reduce((a, b) => (this.load(b) < this.load(a) ? b : a));
  }

  private send(status: NodeStatus, reason: string): { status: NodeStatus; reason: string } {
    const e = this.sent.get(status.nodeId);
    this.sent.set(status.nodeId, { n: (e && Date.now() - e.at <= SENT_FORGET_MS ? e.n : 0) + 1, at: Date.now() });
    this.opts.redirects.inc({ reason });
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
    return { status, reason };
  }

  /** Redirects so far, by reason (for /api/state). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.byReason);
  }

  /**
   * The relays a viewer of `stream` could use, best first: those carrying it, then by load;
   * draining ones last. For a front or a DNS load balancer (GET /api/directory).
   */
  directory(stream: string | null): Array<Record<string, unknown>> {
    const seen = new Map<string, { s: NodeStatus; via: CandidateVia }>();
    const add = (s: NodeStatus, via: CandidateVia): void => {
      if (!seen.has(s.nodeId)) seen.set(s.nodeId, { s, via });
    };
    add(this.opts.self(), 'self');
    for (const c of this.opts.candidates()) add(c.status, c.via);
    for (const s of this.opts.subtree()) add(s, 'descendant');
    const carries = (s: NodeStatus): boolean => stream !== null && s.carrying.includes(stream);
    return [...seen.values()]
      .sort((a, b) => Number(a.s.draining) - Number(b.s.draining) || Number(carries(b.s)) - Number(carries(a.s)) || this.load(a.s) - this.load(b.s))
      .map(({ s, via }) => ({
        id: s.nodeId,
        url: s.publicUrl || null,
        level: s.level,
        via,
        region: s.region || null,
        classes: s.classes,
        viewers: s.viewers,
        capacity: s.capacity || null,
        cpu: s.cpu,
        egressBps: s.egressBps,
        draining: s.draining,
        carrying: stream === null ? s.carrying : carries(s),
      }));
  }
}
