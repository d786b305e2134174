import { EventEmitter } from 'node:events';
import type { canopy } from '../gen/link.js';
import type { Link } from '../link/Link.js';
import type { NodeStatus } from '../link/UpstreamLink.js';

type StatusProps = canopy.link.v1.NodeStatus.$Properties;

/** The most nodes one subtree report carries (a frame holds ~64 KiB; a status is ~100 bytes). */
export const MAX_SUBTREE = 256;
/** The most stream names one status lists. */
const MAX_CARRYING = 64;
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
    childLinks: number;
    bytesOut: number;
    streams: string[];
    parentId: string | null;
    draining: boolean;
  };
  /** Where viewers reach this node ('' when unknown). */
  publicUrl: () => string;
  region?: string;
  classes?: readonly string[];
  capacity?: number;
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
export class StatusBoard extends EventEmitter {
  private readonly children = new Map<Link, Child>();
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private lastBytes = 0;
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
    this.lastCpu = cpu;
    this.lastAt = now;
    this.lastBytes = s.bytesOut;
    this.cached = {
      nodeId: this.opts.nodeId,
      level: s.level ?? 0,
      viewers: s.viewers,
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
    };
    this.cachedAt = now;
    return this.cached;
  }

  /** A link accepted from a child (or a sibling pulling from us): listen to its reports. */
  addLink(link: Link, role: 'child' | 'sibling'): void {
    const c: Child = { link, role, status: null, subtree: [], truncated: false };
    this.children.set(link, c);
    link.on('ping', (p: canopy.link.v1.Ping) => {
      if (p.status) c.status = p.status as NodeStatus;
      if (p.hasSubtree) {
        c.subtree = (p.subtree ?? []) as NodeStatus[];
        c.truncated = p.subtreeTruncated ?? false;
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

  /** Every descendant we know of, nearest first (children, then their subtrees), capped. */
  subtree(): { nodes: NodeStatus[]; truncated: boolean } {
    const nodes: NodeStatus[] = [];
    let truncated = false;
    const kids = [...this.children.values()].filter((c) => c.role === 'child' && c.status);
    for (const c of kids) nodes.push(c.status!);
    for (const c of kids) {
      truncated ||= c.truncated;
      for (const d of c.subtree) {
        if (nodes.length >= MAX_SUBTREE) return { nodes, truncated: true };
        nodes.push(d);
      }
    }
    return { nodes: nodes.slice(0, MAX_SUBTREE), truncated: truncated || nodes.length > MAX_SUBTREE };
  }

  /** What our pings to one parent carry: our status, and every few seconds our subtree. */
  uplinkReporter(): () => Omit<canopy.link.v1.Ping.$Properties, 'sentMs'> {
    let sentAt = -Infinity;
    return () => {
      const now = Date.now();
      if (now - sentAt < SUBTREE_EVERY_MS) return { status: this.self() };
      sentAt = now;
      const { nodes, truncated } = this.subtree();
      return { status: this.self(), hasSubtree: true, subtree: nodes, subtreeTruncated: truncated };
    };
  }
}
