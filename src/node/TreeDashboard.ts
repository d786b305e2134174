import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { canopy } from '../gen/link.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { RetryLaterError, sendJson, sendText } from '../http/http.js';
import type { NodeStatus } from '../tree/UpstreamLink.js';
import type { Logger } from '../log.js';
import { MAX_SUBTREE } from './StatusBoard.js';

type StatusProps = canopy.link.v1.NodeStatus.$Properties;
const Source = canopy.link.v1.Flow.Source;

/** The dashboard's static files: src/dashboard/ (copied to dist/src/dashboard/ by scripts/build.mjs). */
const ASSET_DIR = new URL('../dashboard/', import.meta.url);
const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};
/**
 * The page runs only what the node serves and talks only to the node: no inline script, no
 * other origin, not framed by another site.
 */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** How often connected dashboards get the tree (when it changed; a heartbeat comment otherwise). */
export const TICK_MS = 1000;
/** A comment line at least this often keeps proxies and the browser from timing the stream out. */
export const HEARTBEAT_MS = 15_000;
/** How long a node that vanished (its link went down, its reports stopped) stays on the picture, marked failed. */
export const FAILED_KEEP_MS = 30_000;
/** Dashboards one node streams to at once (each gets the whole tree every second). */
export const MAX_SSE_CLIENTS = 16;
/** A dashboard that has this much unsent data is too slow to follow: it is dropped. */
export const MAX_SSE_BACKLOG_BYTES = 1024 * 1024;
/** Descendants shown (reported by several children, they may be more than one report holds). */
export const MAX_SHOWN = 4 * MAX_SUBTREE;
/** Nodes kept, failed ones included (those shown, plus as many recently failed). */
const MAX_KNOWN = 2 * MAX_SHOWN + 1;

export type FlowSource = 'publisher' | 'parent' | 'sibling' | 'local';

export interface DashFlow {
  stream: string;
  source: FlowSource;
  from: string;
  /** Time-shift: the creation time it plays from (epoch ms); null: live. */
  startMs: number | null;
  bps: number;
  viewers: number;
  children: number;
  /** Simulcast: the layers this copy pulls. */
  layers: string[];
}

export interface DashNode {
  id: string;
  level: number;
  parent: string | null;
  viewers: number;
  /** Of its viewers, those through a TURN relay and those on TCP (ICE-TCP). */
  viewersTurn: number;
  viewersTcp: number;
  childLinks: number;
  egressBps: number;
  cpu: number;
  capacity: number;
  /** Window B in memory and its node budget (0: none). */
  cacheBytes: number;
  cacheBudgetBytes: number;
  region: string;
  state: 'up' | 'draining' | 'failed';
  /** When it was last seen (failed nodes), epoch ms. */
  failedAt?: number;
  /** The node serving this dashboard. */
  self?: true;
  flows: DashFlow[];
}

export interface TreeSnapshot {
  /** The node serving it. */
  node: string;
  /** Server time of the snapshot (epoch ms): failed nodes' ages are relative to it. */
  at: number;
  /** Some descendants were left out of the reports (size limits). */
  truncated: boolean;
  failedKeepMs: number;
  nodes: DashNode[];
}

export interface TreeDashboardOptions {
  nodeId: string;
  self: () => StatusProps;
  subtree: (limits: { nodes: number; bytes: number }) => { nodes: NodeStatus[]; truncated: boolean };
  logger: Logger;
}

const SOURCE_NAMES: Record<number, FlowSource> = {
  [Source.SOURCE_PUBLISHER]: 'publisher',
  [Source.SOURCE_PARENT]: 'parent',
  [Source.SOURCE_SIBLING]: 'sibling',
  [Source.SOURCE_LOCAL]: 'local',
};

function toDashNode(s: StatusProps): DashNode {
  return {
    id: s.nodeId ?? '',
    level: s.level ?? 0,
    parent: s.parentId || null,
    viewers: s.viewers ?? 0,
    viewersTurn: s.viewersTurn ?? 0,
    viewersTcp: s.viewersTcp ?? 0,
    childLinks: s.childLinks ?? 0,
    egressBps: s.egressBps ?? 0,
    cpu: s.cpu ?? 0,
    capacity: s.capacity ?? 0,
    cacheBytes: s.cacheBytes ?? 0,
    cacheBudgetBytes: s.cacheBudgetBytes ?? 0,
    region: s.region ?? '',
    state: s.draining ? 'draining' : 'up',
    flows: (s.flows ?? []).map((f) => ({
      stream: f.stream ?? '',
      source: SOURCE_NAMES[f.source ?? 0] ?? 'parent',
      from: f.from ?? '',
      // proto3 optional: absent decodes as null or undefined.
      startMs: typeof f.startMs === 'number' ? f.startMs : null,
      bps: f.bitrateBps ?? 0,
      viewers: f.viewers ?? 0,
      children: f.children ?? 0,
      layers: f.layers ?? [],
    })),
  };
}

/**
 * The live tree dashboard a node serves on its admin listener (docs/dashboard.md): the page
 * (GET /dashboard/, static files), the tree as JSON (GET /api/tree) and as Server-Sent Events
 * (GET /api/tree/events: the whole tree on connect, then whenever it changed, at most every
 * TICK_MS). The tree is this node and every descendant its children report (StatusBoard);
 * a node that drops out of the reports stays FAILED_KEEP_MS, marked failed. The admin gate
 * vets every request before it gets here.
 */
export class TreeDashboard {
  /** Connected event streams (the registry tests check is empty after close). */
  readonly clients = new Set<ServerResponse>();
  private readonly known = new Map<string, DashNode>();
  private readonly timer: NodeJS.Timeout;
  private lastBody = '';
  private lastSentAt = 0;
  private readonly assets = new Map<string, Buffer>();
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: TreeDashboardOptions) {
    this.log = opts.logger.child({ component: 'dashboard' });
    // Always ticking, so a node that failed while nobody watched is still shown failed for a while.
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  /** The tree now: this node, its reported subtree, and the recently failed. */
  snapshot(): TreeSnapshot {
    const now = Date.now();
    const self = { ...toDashNode(this.opts.self()), self: true as const };
    const { nodes, truncated } = this.opts.subtree({ nodes: MAX_SHOWN, bytes: Infinity });
    const current = new Map<string, DashNode>([[self.id, self]]);
    for (const s of nodes) if (s.nodeId && !current.has(s.nodeId)) current.set(s.nodeId, toDashNode(s));
    for (const [id, n] of this.known) {
      if (current.has(id)) continue;
      const failedAt = n.failedAt ?? now;
      if (now - failedAt > FAILED_KEEP_MS) this.known.delete(id);
      else this.known.set(id, { ...n, state: 'failed', failedAt, viewers: 0, flows: [] });
    }
    for (const [id, n] of current) {
      this.known.delete(id); // re-inserted last: the oldest failed come first when the cap bites
      this.known.set(id, n);
    }
    for (const [id, n] of this.known) {
      if (this.known.size <= MAX_KNOWN) break;
      if (n.state === 'failed') this.known.delete(id);
    }
    return { node: this.opts.nodeId, at: now, truncated, failedKeepMs: FAILED_KEEP_MS, nodes: [...this.known.values()] };
  }

  /** Admin routes (MediaNode.addAdminRoutes): true when handled. */
  route(req: IncomingMessage, res: ServerResponse, path: readonly string[], url: URL): boolean {
    const m = req.method ?? 'GET';
    if (path[0] === 'dashboard') {
      if (m !== 'GET' && m !== 'HEAD') {
        sendText(res, 405, 'use GET', { Allow: 'GET, HEAD' });
        return true;
      }
      if (path.length === 1 && !url.pathname.endsWith('/')) {
        // Relative asset URLs need the trailing slash; the fragment (#token=...) survives a redirect.
        res.writeHead(302, { Location: `dashboard/${url.search}`, 'Cache-Control': 'no-store' });
        res.end();
        return true;
      }
      const file = path.length === 1 ? 'index.html' : path.length === 2 ? path[1]! : '';
      if (!Object.hasOwn(ASSETS, file)) throw new CanopyError(ErrorCode.NOT_FOUND, 'no such dashboard file');
      const body = this.asset(file);
      res.writeHead(200, { 'Content-Type': ASSETS[file]!, 'Content-Length': body.length, ...PAGE_HEADERS });
      res.end(m === 'HEAD' ? undefined : body);
      return true;
    }
    if (path[0] !== 'api' || path[1] !== 'tree') return false;
    if (path.length === 2 && m === 'GET') {
      sendJson(res, 200, this.snapshot());
      return true;
    }
    if (path.length === 3 && path[2] === 'events' && m === 'GET') {
      this.subscribe(req, res);
      return true;
    }
    return false;
  }

  private asset(file: string): Buffer {
    let body = this.assets.get(file);
    if (!body) {
      body = readFileSync(fileURLToPath(new URL(file, ASSET_DIR)));
      this.assets.set(file, body);
    }
    return body;
  }

  /** An event stream (text/event-stream, HTML Living Standard §9.2): the tree now, then as it changes. */
  private subscribe(req: IncomingMessage, res: ServerResponse): void {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'this node is closing');
    if (this.clients.size >= MAX_SSE_CLIENTS) throw new RetryLaterError(`this node streams to ${MAX_SSE_CLIENTS} dashboards at most`, 5);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // Proxies (nginx) must pass events on as they come.
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    this.clients.add(res);
    res.once('close', () => this.clients.delete(res));
    const snap = this.snapshot();
    res.write(`retry: 2000\n\n${this.event(snap)}`);
    this.log.debug({ clients: this.clients.size }, 'dashboard connected');
  }

  private event(snap: TreeSnapshot): string {
    return `event: tree\ndata: ${JSON.stringify(snap)}\n\n`;
  }

  private tick(): void {
    const snap = this.snapshot();
    if (this.clients.size === 0) return;
    // Compared without the time: an unchanged tree goes out only as a heartbeat (unless a
    // node is failed: the page counts how long it has been gone).
    const body = JSON.stringify({ ...snap, at: 0 });
    const now = Date.now();
    let text: string | null = null;
    if (body !== this.lastBody || snap.nodes.some((n) => n.state === 'failed')) text = this.event(snap);
    else if (now - this.lastSentAt >= HEARTBEAT_MS) text = ': heartbeat\n\n';
    if (text === null) return;
    this.lastBody = body;
    this.lastSentAt = now;
    for (const res of this.clients) {
      if (res.writableLength > MAX_SSE_BACKLOG_BYTES) {
        this.log.debug('dashboard too slow to follow: dropped');
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(text);
    }
  }

  /** Ends every event stream (the node is closing); idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
