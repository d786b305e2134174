import type { Feed } from '../media/Feed.js';
import type { StreamHub } from '../media/StreamHub.js';
import type { SourceKind } from '../media/types.js';
import type { UpstreamPlanner } from '../media/UpstreamPlanner.js';
import type { FlowSample } from './StatusBoard.js';

export interface StreamState {
  name: string;
  start: number | null;
  viewers: number;
  children: number;
  upstream: { kind: SourceKind; peer: string; state: string } | null;
  publisher?: true;
  /** Time-shift only. */
  bypass?: boolean;
  servedFrom?: 'buffer' | 'archive';
  position?: number | null;
  firstCaptureMs?: number | null;
  /**
   * Simulcast (docs/abr.md): the stream's layers, those this node pulls from upstream (its
   * LayerDemand) and each child link's layers; each viewer's layer is in viewerList.
   */
  layers?: {
    tracks: Array<{ track: number; rid: string; quality: string }>;
    pulled: string[];
    links: Record<string, unknown>[];
  };
  /** Per viewer (at most MAX_VIEWERS_LISTED): its id, bandwidth estimate and, with simulcast, its layer (ViewerSession.describe). */
  viewerList?: Array<Record<string, unknown>>;
  /** Live only: what the memory buffer covers. */
  buffer?: { startMs: number; endMs: number; windowMs: number; bytes: number; memoryBytes: number } | null;
}

/** What /api/state's node object says, read at each request. */
export interface NodeFacts {
  id: string;
  role: string;
  level: () => number | null;
  /** Node ids from the origin down to this node. */
  path: () => string[];
  /** Where viewers reach this node ('' when unknown). */
  publicUrl: () => string;
  region?: string;
  redirect: readonly string[];
  redirects: () => Record<string, number>;
  freezes: () => readonly number[];
  pipe: () => unknown;
  /** The role's own fields (a relay's parents and siblings). */
  extra?: () => Record<string, unknown>;
  /** Set while draining. */
  drain: () => Record<string, unknown> | null;
}

export interface StateReportOptions {
  hub: StreamHub;
  planner: UpstreamPlanner;
  node: NodeFacts;
}

/** Whether a feed's source is on this node (nothing upstream to report). */
function isLocal(kind: SourceKind): boolean {
  return kind === 'publisher' || kind === 'buffer' || kind === 'archive';
}

/** /api/state lists this many viewers per stream at most (the counts stay exact). */
const MAX_VIEWERS_LISTED = 200;

function viewerList(feed: Feed): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const c of feed.consumers) {
    if (c.kind !== 'viewer' || !c.describe) continue;
    if (out.length >= MAX_VIEWERS_LISTED) break;
    out.push(c.describe());
  }
  return out;
}

function consumerCounts(feed: Feed): { viewers: number; children: number } {
  let viewers = 0;
  for (const c of feed.consumers) if (c.kind === 'viewer') viewers++;
  return { viewers, children: feed.consumers.size - viewers };
}

/**
 * What this node carries, as /api/state reports it (the node, then one entry per stream and
 * start time), and as status reports and the dashboard sample it (flows).
 */
export class StateReport {
  constructor(private readonly opts: StateReportOptions) {}

  state(): { node: Record<string, unknown>; streams: StreamState[] } {
    const streams: StreamState[] = [];
    for (const feed of this.opts.hub.feeds.values()) {
      const { viewers, children } = consumerCounts(feed);
      const src = feed.source;
      let upstream: StreamState['upstream'] = null;
      if (src && !isLocal(src.kind)) upstream = { kind: src.kind, peer: src.peer, state: feed.state };
      else if (!src && feed.state === 'connecting') {
        const hint = this.opts.planner.pending?.(feed);
        if (hint) upstream = { ...hint, state: feed.state };
      }
      const s: StreamState = { name: feed.name, start: feed.startMs, viewers, children, upstream };
      if (src?.kind === 'publisher') s.publisher = true;
      if (feed.layered) {
        const links: Record<string, unknown>[] = [];
        for (const c of feed.consumers) if (c.describe && c.kind !== 'viewer') links.push(c.describe());
        s.layers = {
          tracks: (feed.info?.tracks ?? []).flatMap((t) => (t.layer ? [{ track: t.id, rid: t.layer.rid, quality: t.layer.quality }] : [])),
          pulled: feed.layers.wanted,
          links,
        };
      }
      if (viewers > 0) s.viewerList = viewerList(feed);
      if (feed.startMs !== null) {
        s.bypass = feed.bypass;
        if (src?.kind === 'buffer' || src?.kind === 'archive') s.servedFrom = src.kind;
        s.position = feed.lastCaptureMs;
        s.firstCaptureMs = feed.firstCaptureMs;
      } else if (feed.buffer) {
        const r = feed.buffer.range();
        s.buffer = r
          ? { startMs: r.startMs, endMs: r.endMs, windowMs: feed.buffer.effectiveWindowMs, bytes: feed.buffer.bytes, memoryBytes: feed.buffer.chargedBytes }
          : null;
      }
      streams.push(s);
    }
    return { node: this.node(), streams };
  }

  private node(): Record<string, unknown> {
    const n = this.opts.node;
    return {
      id: n.id,
      role: n.role,
      level: n.level(),
      path: n.path(),
      publicUrl: n.publicUrl() || null,
      region: n.region ?? null,
      redirect: n.redirect,
      redirects: n.redirects(),
      freezesMs: [...n.freezes()],
      windowB: this.opts.hub.budget?.describe() ?? null,
      pipe: n.pipe(),
      ...n.extra?.(),
      ...n.drain(),
    };
  }

  /** The stream copies this node carries and where each comes from (status reports, the dashboard). */
  flows(): FlowSample[] {
    const out: FlowSample[] = [];
    for (const feed of this.opts.hub.feeds.values()) {
      const src = feed.source;
      if (!src || feed.closed) continue;
      const { viewers, children } = consumerCounts(feed);
      out.push({
        key: feed,
        stream: feed.name,
        source: src.kind,
        from: isLocal(src.kind) ? '' : src.peer,
        startMs: feed.startMs,
        viewers,
        children,
        bytes: feed.bytesReceived,
        ...(feed.layered ? { layers: feed.layers.wanted } : {}),
      });
    }
    return out;
  }
}
