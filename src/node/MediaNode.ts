import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostPort } from '../config.js';
import type { RtcEngine } from '../engine/engine.js';
import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import { mediaType, readBody, sendError, sendJson, sendText, setCors, STREAM_NAME } from '../http/http.js';
import { Downlink } from '../link/Downlink.js';
import type { Link } from '../link/Link.js';
import { LinkServer } from '../link/LinkServer.js';
import type { Logger } from '../log.js';
import { Metrics, nodeCounters, type NodeCounters } from '../metrics.js';
import type { Feed, FeedOpener } from '../media/Feed.js';
import { FanoutPacer } from '../media/FanoutPacer.js';
import { ReplaySource } from '../media/ReplaySource.js';
import { StreamHub } from '../media/StreamHub.js';
import type { FeedSource, SourceKind, StreamInfo } from '../media/types.js';
import { MAX_SDP_BYTES, parseSdp } from '../sdp.js';
import { ViewerSession, type SessionTimers } from '../session/ViewerSession.js';
import { EventLoopMonitor } from './EventLoopMonitor.js';

export type Role = 'origin' | 'relay';

export interface MediaNodeOptions {
  id: string;
  role: Role;
  listen: HostPort;
  engine: RtcEngine;
  logger: Logger;
  /** Whether WHEP viewers may play here (relays always; the origin only with --serve-viewers). */
  serveViewers: boolean;
  clusterSecret?: string;
  heartbeatMs: number;
  maxFrameBytes: number;
  startTimeoutMs: number;
  idleCloseAfterMs: number;
  sessionTimers: SessionTimers;
  /** Session URLs as absolute URLs on the Host the client used (a redirected client must not resolve them against the front). */
  absoluteLocation?: boolean;
  /** Window B and the memory cap of each live stream's buffer. */
  buffer: { windowMs: number; maxBytes: number };
  /** Longest run of fan-out sends per event-loop turn, ms (0: a burst goes out at once). */
  fanoutSliceMs?: number;
  opener?: FeedOpener;
  /** A time-shifted request this node's buffer cannot serve: the archive (origin) or upstream (relay). */
  timeshiftFallback?: FeedOpener;
  level: () => number | null;
  /** Where this node pulls from, for /api/state while a pull is in flight. */
  upstreamHint?: () => { kind: SourceKind; peer: string } | null;
  parentUrl?: string;
  /** Extra fields for /api/state's node object (e.g. known siblings). */
  nodeState?: () => Record<string, unknown>;
}

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
  /** Live only: what the memory buffer covers. */
  buffer?: { startMs: number; endMs: number; windowMs: number; bytes: number } | null;
}

/** A WHEP `start` parameter: epoch milliseconds or ISO 8601; null when absent (live). */
export function parseStart(text: string | null): number | null {
  if (text === null || text === '') return null;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'start must be epoch milliseconds or an ISO 8601 time');
  return ms;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, path: string[]) => Promise<boolean> | boolean;

/**
 * What origin and relays have in common: the HTTP server (WHEP, state, metrics, health),
 * the /relay link endpoint serving downstream nodes, the stream hub, and the viewers.
 */
export class MediaNode extends EventEmitter {
  readonly metrics = new Metrics();
  readonly counters: NodeCounters;
  readonly hub: StreamHub;
  readonly pacer: FanoutPacer;
  readonly linkServer: LinkServer;
  readonly downlinks = new Set<Downlink>();
  readonly viewers = new Map<string, ViewerSession>();
  readonly server: Server;
  readonly log: Logger;
  private readonly routes: RouteHandler[] = [];
  /** Random per process start: tells a restarted node from its previous life. */
  readonly instance = randomUUID();
  /** Event-loop delay (issue 14): /metrics over the last 10 s, /api/eventloop?seconds=N. */
  readonly eventLoop = new EventLoopMonitor();
  closed = false;

  constructor(readonly opts: MediaNodeOptions) {
    super();
    this.log = opts.logger.child({ component: 'node' });
    this.counters = nodeCounters(this.metrics);
    this.pacer = new FanoutPacer({
      sliceMs: opts.fanoutSliceMs ?? 0,
      counters: {
        deferred: this.metrics.counter('fanout_deferred_total', 'Packets whose fan-out continued on a later event-loop turn (pacing)'),
        flushed: this.metrics.counter('fanout_flushed_total', 'Paced packets sent at once because they waited too long (overload)'),
      },
    });
    this.hub = new StreamHub({
      pacer: this.pacer,
      opener: opts.opener,
      timeshiftOpener: (feed) => this.openTimeshift(feed),
      buffer: opts.buffer,
      startTimeoutMs: opts.startTimeoutMs,
      idleCloseAfterMs: opts.idleCloseAfterMs,
      logger: opts.logger.child({ component: 'hub' }),
      counters: this.counters,
    });
    this.linkServer = new LinkServer({
      nodeId: opts.id,
      instance: this.instance,
      level: opts.level,
      secret: opts.clusterSecret,
      heartbeatMs: opts.heartbeatMs,
      maxFrameBytes: opts.maxFrameBytes,
      linkCounters: { controlIn: this.counters.linkControlIn, controlOut: this.counters.linkControlOut },
      logger: opts.logger,
    });
    this.linkServer.on('link', (link: Link) => this.onLink(link));
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname === '/relay') this.linkServer.handleUpgrade(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
    this.metrics.gauge('viewers', 'WHEP viewers connected to this node', () => this.viewers.size);
    this.metrics.gauge('children', 'Downstream subscriptions (child and sibling relays) on this node', () => this.countChildren());
    this.metrics.gauge('streams', 'Streams this node carries', () => this.hub.feeds.size);
    this.metrics.gauge('links', 'Accepted relay links', () => this.linkServer.links.size);
    this.metrics.gauge('fanout_waiting', 'Packets whose fan-out waits for the next event-loop turn', () => this.pacer.waiting);
    this.metrics.gauge('event_loop_delay_seconds', 'Event-loop delay over the last 10 s (quantile 1 = max)', () => {
      const w = this.eventLoop.window(10);
      return [
        [{ quantile: '0.5' }, (w.p50Ms ?? 0) / 1000],
        [{ quantile: '0.99' }, (w.p99Ms ?? 0) / 1000],
        [{ quantile: '1' }, (w.maxMs ?? 0) / 1000],
      ];
    });
  }

  addRoutes(handler: RouteHandler): void {
    this.routes.push(handler);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.listen.port, this.opts.listen.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.log.info({ url: this.url }, 'listening');
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    const host = this.opts.listen.host === '0.0.0.0' || this.opts.listen.host === '::' ? '127.0.0.1' : this.opts.listen.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  get linkUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/relay`;
  }

  private onLink(link: Link): void {
    const d = new Downlink(link, { hub: this.hub, counters: this.counters, logger: this.log, bypassAt: (t) => this.bypassAt(t) });
    this.downlinks.add(d);
    link.once('close', (code: ErrorCode) => {
      this.downlinks.delete(d);
      if (code !== ErrorCode.LINK_CLOSED && code !== ErrorCode.SHUTDOWN) this.counters.linkErrors.inc({ code: String(code) });
    });
  }

  /** Claim 5: a request older than window B skips every cache on its way to the origin. */
  bypassAt(startMs: number): boolean {
    return Date.now() - startMs > this.opts.buffer.windowMs;
  }

  /** What this node's buffer of a live stream covers, for range errors and /api/state. */
  bufferRange(name: string): { startMs: number; endMs: number } | null {
    return this.hub.get(name)?.buffer?.range() ?? null;
  }

  /** Serves a time-shifted feed from this node's buffer when it covers the start, else falls back. */
  private async openTimeshift(feed: Feed): Promise<{ source: FeedSource; info: StreamInfo }> {
    const startMs = feed.resumeFromMs;
    // Bypass skips the caches on the way up; the origin itself still plays from memory first.
    if (!feed.bypass || this.opts.role === 'origin') {
      const live = this.hub.get(feed.name);
      const buffer = live?.state === 'ready' ? live.buffer : null;
      if (buffer && live?.info && buffer.covers(startMs)) {
        const replay = new ReplaySource({ kind: 'buffer', peer: this.opts.id, startMs, seek: (t) => buffer.cursor(t), logger: feed.log });
        if (replay.valid) {
          replay.start(feed);
          return { source: replay, info: live.info };
        }
      }
    }
    if (this.opts.timeshiftFallback) return this.opts.timeshiftFallback(feed);
    const r = this.bufferRange(feed.name);
    throw new CanopyError(ErrorCode.OUT_OF_RANGE, `start ${startMs} is not available here${r ? `; available ${r.startMs}..${r.endMs} (epoch ms)` : ''}`);
  }

  private countChildren(): number {
    let n = 0;
    for (const d of this.downlinks) n += d.subs.size;
    return n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCors(res);
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      for (const r of this.routes) if (await r(req, res, path)) return;
      if (await this.route(req, res, path)) return;
      sendText(res, 404, 'not found');
    } catch (err) {
      const e = toCanopyError(err);
      if (e.status >= 500 && e.code !== ErrorCode.SHUTDOWN) this.log.error({ err, method: req.method, url: req.url }, 'request failed');
      sendError(res, e);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string[]): Promise<boolean> {
    const m = req.method ?? 'GET';
    if (path.length === 1 && path[0] === 'healthz' && m === 'GET') {
      sendJson(res, this.closed ? 503 : 200, { ok: !this.closed, level: this.opts.level() });
      return true;
    }
    if (path.length === 2 && path[0] === 'api' && path[1] === 'state' && m === 'GET') {
      sendJson(res, 200, this.state());
      return true;
    }
    if (path.length === 2 && path[0] === 'api' && path[1] === 'eventloop' && m === 'GET') {
      const seconds = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('seconds') ?? 10);
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120) throw new CanopyError(ErrorCode.BAD_REQUEST, 'seconds must be an integer from 1 to 120');
      sendJson(res, 200, this.eventLoop.window(seconds));
      return true;
    }
    if (path.length === 1 && path[0] === 'metrics' && m === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(this.metrics.render());
      return true;
    }
    if (path[0] !== 'whep') return false;
    return signalingRoute(req, res, path, {
      post: (stream) => this.whepPost(req, res, stream),
      session: (id) => this.viewers.get(id),
    });
  }

  private async whepPost(req: IncomingMessage, res: ServerResponse, stream: string): Promise<void> {
    if (!this.opts.serveViewers) throw new CanopyError(ErrorCode.FORBIDDEN, 'this node serves relays only; watch from a relay');
    if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
    if (mediaType(req) !== 'application/sdp') throw new CanopyError(ErrorCode.UNSUPPORTED_MEDIA, 'Content-Type must be application/sdp');
    const startMs = parseStart(new URL(req.url ?? '/', 'http://x').searchParams.get('start'));
    if (startMs !== null && startMs > Date.now() + 1000) {
      const r = this.bufferRange(stream);
      throw new CanopyError(ErrorCode.OUT_OF_RANGE, `start ${new Date(startMs).toISOString()} is in the future${r ? `; this node holds ${r.startMs}..${r.endMs} (epoch ms)` : ''}`);
    }
    const offer = await readBody(req, MAX_SDP_BYTES);
    parseSdp(offer); // a malformed offer is a 400 before any upstream pull
    const lease = await this.hub.acquire(stream, startMs === null ? undefined : { startMs, bypass: this.bypassAt(startMs) });
    const session = new ViewerSession(stream, lease, {
      engine: this.opts.engine,
      logger: this.log,
      counters: this.counters,
      timers: this.opts.sessionTimers,
    });
    this.viewers.set(session.id, session);
    session.once('close', () => this.viewers.delete(session.id));
    const answer = await session.start(offer);
    if (session.closed) throw new CanopyError(ErrorCode.UNAVAILABLE, 'session closed during negotiation');
    res.writeHead(201, {
      'Content-Type': 'application/sdp',
      Location: this.location(req, `/whep/${encodeURIComponent(stream)}/${session.id}`),
      ETag: session.etag,
    });
    res.end(answer);
  }

  /** A session resource's Location (RFC 9725 §4.2): relative, or absolute on the Host the client used. */
  location(req: IncomingMessage, path: string): string {
    return this.opts.absoluteLocation && req.headers.host ? `http://${req.headers.host}${path}` : path;
  }

  state(): { node: Record<string, unknown>; streams: StreamState[] } {
    const streams: StreamState[] = [];
    for (const feed of this.hub.feeds.values()) {
      let viewers = 0;
      let children = 0;
      for (const c of feed.consumers) if (c.kind === 'viewer') viewers++;
      else children++;
      const src = feed.source;
      let upstream: StreamState['upstream'] = null;
      const local = src?.kind === 'publisher' || src?.kind === 'buffer' || src?.kind === 'archive';
      if (src && !local) upstream = { kind: src.kind, peer: src.peer, state: feed.state };
      else if (!src && feed.state === 'connecting') {
        const hint = this.opts.upstreamHint?.();
        if (hint) upstream = { ...hint, state: feed.state };
      }
      const s: StreamState = { name: feed.name, start: feed.startMs, viewers, children, upstream };
      if (src?.kind === 'publisher') s.publisher = true;
      if (feed.startMs !== null) {
        s.bypass = feed.bypass;
        if (src?.kind === 'buffer' || src?.kind === 'archive') s.servedFrom = src.kind;
        s.position = feed.lastCaptureMs;
        s.firstCaptureMs = feed.firstCaptureMs;
      } else if (feed.buffer) {
        const r = feed.buffer.range();
        s.buffer = r ? { startMs: r.startMs, endMs: r.endMs, windowMs: feed.buffer.effectiveWindowMs, bytes: feed.buffer.bytes } : null;
      }
      streams.push(s);
    }
    return {
      node: { id: this.opts.id, role: this.opts.role, level: this.opts.level(), parent: this.opts.parentUrl ?? null, ...this.opts.nodeState?.() },
      streams,
    };
  }

  /** Sizes of every registry, for leak checks. */
  registries(): Record<string, number> {
    return {
      feeds: this.hub.feeds.size,
      viewers: this.viewers.size,
      downlinks: this.downlinks.size,
      childSubscriptions: this.countChildren(),
      links: this.linkServer.links.size,
      peers: this.opts.engine.peerCount,
      tracks: this.opts.engine.liveTrackCount,
      timers: this.hub.timerCount,
    };
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const v of [...this.viewers.values()]) v.close(reason);
    this.hub.close(reason);
    this.pacer.close();
    this.linkServer.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.eventLoop.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}

interface SessionLike {
  stream: string;
  etag: string;
  close(reason: string): void;
}

/**
 * A WHIP or WHEP endpoint `/{whip|whep}/{stream}` (POST, OPTIONS) and its session resources
 * `/{whip|whep}/{stream}/{id}` (RFC 9725 §4). `authorize` vets requests on an existing session.
 */
export async function signalingRoute(
  req: IncomingMessage,
  res: ServerResponse,
  path: string[],
  on: { post: (stream: string) => Promise<void>; session: (id: string) => SessionLike | undefined; authorize?: () => void },
): Promise<boolean> {
  const m = req.method ?? 'GET';
  if (path.length === 2) {
    if (m === 'OPTIONS') {
      res.writeHead(204, { 'Accept-Post': 'application/sdp' });
      res.end();
    } else if (m === 'POST') await on.post(path[1]!);
    else sendText(res, 405, 'use POST', { Allow: 'POST, OPTIONS' });
    return true;
  }
  if (path.length !== 3) return false;
  const session = on.session(path[2]!);
  if (m !== 'OPTIONS' && session) on.authorize?.();
  sessionResource(req, res, session, path[1]!);
  return true;
}

/** DELETE / PATCH / OPTIONS on a WHIP or WHEP session resource (RFC 9725 §4.3, §4.4). */
function sessionResource(
  req: IncomingMessage,
  res: ServerResponse,
  session: SessionLike | undefined,
  stream: string,
): void {
  const m = req.method ?? 'GET';
  if (!session || session.stream !== stream) {
    if (m === 'OPTIONS') {
      res.writeHead(204);
      res.end();
    } else sendText(res, 404, 'no such session');
    return;
  }
  if (m === 'DELETE') {
    session.close('deleted by client');
    sendText(res, 200, 'session ended');
  } else if (m === 'OPTIONS') {
    res.writeHead(204, { Allow: 'DELETE, OPTIONS' });
    res.end();
  } else if (m === 'PATCH') {
    // Trickle ICE and ICE restarts are not supported yet; clients send complete offers.
    sendText(res, 405, 'trickle ICE and ICE restart are not supported', { Allow: 'DELETE, OPTIONS' });
  } else sendText(res, 405, 'use DELETE', { Allow: 'DELETE, OPTIONS' });
}
