import { EventEmitter } from 'node:events';
import { canopy } from '../gen/link.js';
import type { Link } from '../link/Link.js';
import type { NodeStatus } from '../tree/UpstreamLink.js';
import type { SourceKind } from '../media/types.js';
import { ByteRate } from './ByteRate.js';

type StatusProps = canopy.link.v1.NodeStatus.$Properties;
type FlowProps = canopy.link.v1.Flow.$Properties;
const Source = canopy.link.v1.Flow.Source;

/** The most nodes one subtree report carries (a frame holds ~64 KiB; a status is ~100 bytes). */
export const MAX_SUBTREE = 256;
/** The most stream names one status lists. */
const MAX_CARRYING = 64;
/** The most flows (stream copies) one status lists, live ones first. */
export const MAX_FLOWS = 32;
/** Longest node id, stream name, region and URL kept from a peer's report (longer: dropped or cut). */
export const MAX_ID_CHARS = 128;
const MAX_URL_CHARS = 512;
const MAX_CLASSES = 16;
/**
 * Default byte budget of one subtree report (encoded statuses): the rest of a ping's frame
 * (maxFrameBytes, 64 KiB by default) stays free for the sender's own status and peers.
 */
export const DEFAULT_SUBTREE_BYTES = 32 * 1024;
/** A subtree whose shape changed (a node came, left, began draining, a copy started) goes up this soon, not after SUBTREE_EVERY_MS. */
const SUBTREE_CHANGED_MS = 1000;
/** A flow's bitrate is taken over at least this long. */
const FLOW_RATE_WINDOW_MS = 2000;
/**
 * Subtree and sibling tables ride on pings only this often: statuses go every heartbeat
 * (cheap, and what parent choice needs); the tables are larger.
 */
const SUBTREE_EVERY_MS = 5000;
export const PEERS_EVERY_MS = 2000;
/** The most siblings one peers table lists (the least loaded first). */
const MAX_PEERS = 64;

export interface StatusBoardOptions {
  nodeId: string;
  /** This node's own figures, sampled when a status is built. */
  sample: () => {
    level: number | null;
    viewers: number;
    /** Of the viewers, those through a TURN relay and those on TCP (IceRoute.ts). */
    viewersTurn?: number;
    viewersTcp?: number;
    childLinks: number;
    bytesOut: number;
    streams: string[];
    parentId: string | null;
    draining: boolean;
    /** The stream copies it carries, live and time-shifted (the dashboard's edges). */
    flows?: FlowSample[];
    /** Window B's memory now and its budget (CacheBudget). */
    cache?: { bytes: number; budgetBytes: number };
  };
  /** Where viewers reach this node ('' when unknown). */
  publicUrl: () => string;
  region?: string;
  classes?: readonly string[];
  capacity?: number;
  /** Byte budget of the subtree this node reports upstream (DEFAULT_SUBTREE_BYTES). */
  subtreeBytes?: number;
}

/** One stream copy, as MediaNode samples it: `key` identifies it between samples (its Feed). */
export interface FlowSample {
  key: object;
  stream: string;
  source: SourceKind;
  /** The peer it comes from (parent or sibling id). */
  from: string;
  startMs: number | null;
  viewers: number;
  children: number;
  /** RTP bytes received so far (a counter: the rate is taken between samples). */
  bytes: number;
  /** Simulcast: the layers this copy pulls (LayerDemand); absent without layers. */
  layers?: string[];
}

const SOURCES: Record<SourceKind, canopy.link.v1.Flow.Source> = {
  publisher: Source.SOURCE_PUBLISHER,
  origin: Source.SOURCE_PARENT,
  parent: Source.SOURCE_PARENT,
  sibling: Source.SOURCE_SIBLING,
  buffer: Source.SOURCE_LOCAL,
  archive: Source.SOURCE_LOCAL,
};

/**
 * A peer's report, made safe to keep and pass on (hostile input: a child may send anything a
 * frame can hold): lists cut to their named limits, over-long strings cut, a status without a
 * usable node id dropped (null).
 */
export function sanitizeStatus(s: NodeStatus): NodeStatus | null {
  if (typeof s.nodeId !== 'string' || s.nodeId.length === 0 || s.nodeId.length > MAX_ID_CHARS) return null;
  if (s.parentId.length > MAX_ID_CHARS) s.parentId = '';
  if (s.publicUrl.length > MAX_URL_CHARS) s.publicUrl = '';
  if (s.region.length > MAX_ID_CHARS) s.region = s.region.slice(0, MAX_ID_CHARS);
  if (s.carrying.length > MAX_CARRYING) s.carrying = s.carrying.slice(0, MAX_CARRYING);
  if (s.carrying.some((c) => c.length > MAX_ID_CHARS)) s.carrying = s.carrying.filter((c) => c.length <= MAX_ID_CHARS);
  if (s.classes.length > MAX_CLASSES || s.classes.some((c) => c.length > MAX_ID_CHARS))
    s.classes = s.classes.slice(0, MAX_CLASSES).filter((c) => c.length <= MAX_ID_CHARS);
  const flows = s.flows ?? [];
  const fits = (f: FlowProps): boolean => (f.stream ?? '').length <= MAX_ID_CHARS && (f.from ?? '').length <= MAX_ID_CHARS;
  if (flows.length > MAX_FLOWS || !flows.every(fits)) s.flows = flows.slice(0, MAX_FLOWS).filter(fits);
  // Doubles may arrive as NaN or infinities: load comparisons and the dashboard need numbers.
  if (!Number.isFinite(s.cpu)) s.cpu = 0;
  if (!Number.isFinite(s.egressBps)) s.egressBps = 0;
  if (!Number.isFinite(s.cacheBytes) || s.cacheBytes < 0) s.cacheBytes = 0;
  if (!Number.isFinite(s.cacheBudgetBytes) || s.cacheBudgetBytes < 0) s.cacheBudgetBytes = 0;
  for (const f of s.flows ?? []) {
    if (!Number.isFinite(f.bitrateBps ?? 0)) f.bitrateBps = 0;
    if (f.startMs != null && !Number.isFinite(f.startMs)) f.startMs = null;
  }
  return s;
}

/** Sanitized statuses, at most `max`, one per node id (the first, nearest, wins). */
function sanitizeList(list: readonly NodeStatus[] | null | undefined, max: number): NodeStatus[] {
  const out: NodeStatus[] = [];
  const seen = new Set<string>();
  for (const raw of list ?? []) {
    if (out.length >= max) break;
    const s = sanitizeStatus(raw);
    if (!s || seen.has(s.nodeId)) continue;
    seen.add(s.nodeId);
    out.push(s);
  }
  return out;
}

function encodedBytes(s: StatusProps): number {
  return canopy.link.v1.NodeStatus.encode(s).finish().length;
}

interface Child {
  link: Link;
  role: 'child' | 'sibling';
  status: NodeStatus | null;
  subtree: NodeStatus[];
  truncated: boolean;
}

/**
 * What this node knows of loads around it (patent [0033]: choosing relays by load): its own
 * status, sent on every ping; its children's statuses and subtrees, learned from their pings
 * and passed up, so every ancestor (and the origin's dashboard) sees its whole subtree; and,
 * for each child, its siblings in the tree, sent down so relays can direct viewers among them.
 *
 * Events: 'change' (a child's report arrived or a child left).
 */
export interface StatusBoardEvents {
  /** A child's report arrived or a child left. */
  change: [];
}

export class StatusBoard extends EventEmitter<StatusBoardEvents> {
  private readonly children = new Map<Link, Child>();
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private lastBytes = 0;
  /** Each flow's bitrate (by its key, the feed). */
  private readonly flowRates = new WeakMap<object, ByteRate>();
  private cached: StatusProps | null = null;
  private cachedAt = 0;

  constructor(private readonly opts: StatusBoardOptions) {
    super();
  }

  /** This node's status, sampled at most every 200 ms (CPU and egress are rates since the last sample). */
  self(): StatusProps {
    const now = performance.now();
    if (this.cached && now - this.cachedAt < 200) return this.cached;
    const s = this.opts.sample();
    const cpu = process.cpuUsage();
    const wallUs = Math.max(1, (now - this.lastAt) * 1000);
    const cpuShare = (cpu.user - this.lastCpu.user + cpu.system - this.lastCpu.system) / wallUs;
    const egress = ((s.bytesOut - this.lastBytes) * 8 * 1000) / Math.max(1, now - this.lastAt);
    const flows: FlowProps[] = [];
    for (const f of s.flows ?? []) {
      // Over at least FLOW_RATE_WINDOW_MS: self() is sampled at several phases (pings, the dashboard).
      let rate = this.flowRates.get(f.key);
      if (!rate) this.flowRates.set(f.key, (rate = new ByteRate(FLOW_RATE_WINDOW_MS, now, f.bytes)));
      else rate.update(f.bytes, now);
      flows.push({
        stream: f.stream,
        source: SOURCES[f.source],
        from: f.from,
        ...(f.startMs === null ? {} : { startMs: f.startMs }),
        bitrateBps: rate.bps,
        viewers: f.viewers,
        children: f.children,
        ...(f.layers ? { layers: f.layers } : {}),
      });
    }
    // Live copies first: the cap cuts time-shifted sessions before live streams.
    flows.sort((a, b) => Number(a.startMs != null) - Number(b.startMs != null));
    this.lastCpu = cpu;
    this.lastAt = now;
    this.lastBytes = s.bytesOut;
    this.cached = {
      nodeId: this.opts.nodeId,
      level: s.level ?? 0,
      viewers: s.viewers,
      viewersTurn: s.viewersTurn ?? 0,
      viewersTcp: s.viewersTcp ?? 0,
      childLinks: s.childLinks,
      egressBps: Math.round(egress),
      cpu: Math.round(cpuShare * 1000) / 1000,
      streams: s.streams.length,
      publicUrl: this.opts.publicUrl(),
      region: this.opts.region ?? '',
      classes: [...(this.opts.classes ?? [])],
      draining: s.draining,
      parentId: s.parentId ?? '',
      carrying: s.streams.slice(0, MAX_CARRYING),
      capacity: this.opts.capacity ?? 0,
      flows: flows.slice(0, MAX_FLOWS),
      cacheBytes: s.cache?.bytes ?? 0,
      cacheBudgetBytes: s.cache?.budgetBytes ?? 0,
    };
    this.cachedAt = now;
    return this.cached;
  }

  /** A link accepted from a child (or a sibling pulling from us): listen to its reports. */
  addLink(link: Link, role: 'child' | 'sibling'): void {
    const c: Child = { link, role, status: null, subtree: [], truncated: false };
    this.children.set(link, c);
    link.on('ping', (p: canopy.link.v1.Ping) => {
      // A report is kept only within its limits (sanitizeStatus), whatever the child sent.
      if (p.status) c.status = sanitizeStatus(p.status as NodeStatus) ?? c.status;
      if (p.hasSubtree) {
        const list = (p.subtree ?? []) as NodeStatus[];
        c.subtree = sanitizeList(list, MAX_SUBTREE);
        c.truncated = (p.subtreeTruncated ?? false) || list.length > MAX_SUBTREE;
      }
      this.emit('change');
    });
    link.once('close', () => {
      this.children.delete(link);
      this.emit('change');
    });
    // A child hears our status on every ping, and its siblings' every few seconds.
    let peersSentAt = -Infinity;
    link.pingExtras = () => {
      const now = Date.now();
      if (role !== 'child' || now - peersSentAt < PEERS_EVERY_MS) return { status: this.self() };
      peersSentAt = now;
      const peers = this.childStatuses()
        .filter((x) => x !== c.status)
        .sort((a, b) => a.viewers - b.viewers)
        .slice(0, MAX_PEERS);
      return { status: this.self(), hasPeers: true, peers };
    };
  }

  /** Our direct children's latest statuses (children in the tree, not siblings pulling from us). */
  childStatuses(): NodeStatus[] {
    const out: NodeStatus[] = [];
    for (const c of this.children.values()) if (c.role === 'child' && c.status) out.push(c.status);
    return out;
  }

  /**
   * Every descendant we know of, nearest first (children, then their subtrees), one entry per
   * node id, capped (by default at MAX_SUBTREE nodes and the byte budget of one report; the
   * dashboard, which sends no frame, takes more: it may know several children's full reports).
   */
  subtree(limits: { nodes: number; bytes: number } = { nodes: MAX_SUBTREE, bytes: this.opts.subtreeBytes ?? DEFAULT_SUBTREE_BYTES }): {
    nodes: NodeStatus[];
    truncated: boolean;
  } {
    const budget = limits.bytes;
    const nodes: NodeStatus[] = [];
    const seen = new Set<string>([this.opts.nodeId]);
    let bytes = 0;
    let truncated = false;
    const add = (s: NodeStatus): boolean => {
      if (seen.has(s.nodeId)) return true;
      if (nodes.length >= limits.nodes) return false;
      const size = Number.isFinite(budget) ? encodedBytes(s) + 4 : 0; // + the field's tag and length
      if (bytes + size > budget) return false;
      seen.add(s.nodeId);
      nodes.push(s);
      bytes += size;
      return true;
    };
    const kids = [...this.children.values()].filter((c) => c.role === 'child' && c.status);
    for (const c of kids) if (!add(c.status!)) return { nodes, truncated: true };
    for (const c of kids) {
      truncated ||= c.truncated;
      for (const d of c.subtree) if (!add(d)) return { nodes, truncated: true };
    }
    return { nodes, truncated };
  }

  /** What, in the subtree, the dashboard draws: who is there, under whom, draining, carrying what. */
  private shape(nodes: readonly NodeStatus[]): string {
    return nodes
      .map(
        (n) =>
          `${n.nodeId}<${n.parentId}${n.draining ? '!' : ''}[${(n.flows ?? []).map((f) => `${f.stream}:${f.source}:${f.from}:${f.startMs ?? ''}`).join(',')}]`,
      )
      .join(' ');
  }

  /**
   * What our pings to one parent carry: our status, and every few seconds our subtree; sooner
   * (after SUBTREE_CHANGED_MS) when its shape changed, so an ancestor's dashboard shows a node
   * that came, failed or began draining within a second or two.
   */
  uplinkReporter(): () => Omit<canopy.link.v1.Ping.$Properties, 'sentMs'> {
    let sentAt = -Infinity;
    let sentShape = '';
    return () => {
      const now = Date.now();
      if (now - sentAt < SUBTREE_CHANGED_MS) return { status: this.self() };
      const { nodes, truncated } = this.subtree();
      const shape = this.shape(nodes);
      if (now - sentAt < SUBTREE_EVERY_MS && shape === sentShape) return { status: this.self() };
      sentAt = now;
      sentShape = shape;
      return { status: this.self(), hasSubtree: true, subtree: nodes, subtreeTruncated: truncated };
    };
  }
}
