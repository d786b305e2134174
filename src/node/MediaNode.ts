import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Authorizer } from '../auth/Authorizer.js';
import type { HostPort } from '../config.js';
import type { RtcEngine } from '../engine/engine.js';
import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import { AdminGate, type Listener } from '../http/admin.js';
import { Admission, type AdmissionLimits } from '../http/Admission.js';
import {
  clientErrorLevel,
  clientIp,
  errorReason,
  mediaType,
  pathSegments,
  readBody,
  redirectPath,
  requestToken,
  requestUrl,
  RetryLaterError,
  sendError,
  sendJson,
  sendText,
  setCors,
  STREAM_NAME,
  type CorsPolicy,
} from '../http/http.js';
import { LogBudget } from '../http/LogBudget.js';
import { Downlink } from '../link/Downlink.js';
import { PipeHost, type LinkMediaMode } from '../pipe/PipeHost.js';
import { pipeCounters } from '../metrics.js';
import type { Link } from '../link/Link.js';
import { LinkServer, type Hello } from '../link/LinkServer.js';
import type { NodeStatus } from '../link/UpstreamLink.js';
import type { Logger } from '../log.js';
import { Metrics, nodeCounters, type Counter, type NodeCounters } from '../metrics.js';
import { StreamHub, type WindowBOptions } from '../media/StreamHub.js';
import type { Feed } from '../media/Feed.js';
import { FanoutPacer } from '../media/FanoutPacer.js';
import type { RtpHistoryOptions } from '../media/RtpHistory.js';
import type { SourceKind } from '../media/types.js';
import type { UpstreamPlanner } from '../media/UpstreamPlanner.js';
import { MAX_SDP_BYTES, parseSdp } from '../sdp.js';
import { ViewerSession, type SessionTimers } from '../session/ViewerSession.js';
import { Director, type RedirectPolicy } from './Director.js';
import { RegionMap } from './RegionMap.js';
import { DEFAULT_SUBTREE_BYTES, StatusBoard, type FlowSample } from './StatusBoard.js';
import { registerCacheMetrics } from './CacheMetrics.js';
import { StreamMetrics } from './StreamMetrics.js';
import { EventLoopMonitor } from './EventLoopMonitor.js';
import { DrainGate, type DrainOutcome } from './DrainGate.js';
import { nodePage } from './nodePage.js';
import { TreeDashboard } from './TreeDashboard.js';
import { acquireTimeshift, outOfRange } from './timeshiftStart.js';
import { isAnyAddress } from '../address.js';

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
  /** Window B and the memory caps of each live stream's buffer and of all of them (CacheBudget). */
  buffer: WindowBOptions;
  /** Loss repair (docs/repair.md); off when absent. */
  repair?: NodeRepair;
  /** The UDP media pipe (docs/pipe.md): its socket, whether to bind it, and --link-media. */
  pipe?: { listen: HostPort; mode: LinkMediaMode; bind: boolean };
  /** Longest run of fan-out sends per event-loop turn, ms (0: a burst goes out at once). */
  fanoutSliceMs?: number;
  /** Streams with their own canopy_stream_* series; the rest are summed as stream="(other)". */
  metricsMaxStreams?: number;
  /** Where this node gets the streams it does not have: the role's one upstream planner. */
  planner: UpstreamPlanner;
  level: () => number | null;
  /** Node ids from the origin down to this node (relays: through their current parent). */
  path?: () => string[];
  /** The node this one pulls from now (relays). */
  parentId?: () => string | null;
  /** This node's siblings in the tree, as its parent reports them (relays). */
  peers?: () => NodeStatus[];
  /** Where viewers reach this node, its region, the viewer classes it prefers, its size (patent [0033]). */
  publicUrl?: string;
  region?: string;
  classes?: readonly string[];
  capacity?: number;
  /** Rules for sending WHEP viewers to a better relay (307), in order; none by default. */
  redirect?: readonly string[];
  regionMap?: string;
  redirectLoadMargin?: number;
  redirectMinViewers?: number;
  /** Publisher grace (origin) and upstream-loss grace (relays): how long a feed keeps its consumers. */
  recoverForMs?: number;
  /** Extra fields for /api/state's node object (e.g. known siblings). */
  nodeState?: () => Record<string, unknown>;
  /** Who may publish and play here. */
  authorizer: Authorizer;
  security: NodeSecurity;
  /** Sessions this node holds besides its viewers (the origin's publishers), for admission. */
  otherSessions?: () => { sessions: number; pending: number };
}

/** The listener-level security of a node (docs/security.md). */
export interface NodeSecurity {
  /** Origins allowed to call WHIP/WHEP from a browser. */
  corsOrigins: CorsPolicy;
  /** Origins allowed to read admin endpoints from a browser. */
  adminCorsOrigins: readonly string[];
  adminToken?: string;
  adminListen?: HostPort;
  /** https:// and wss:// on both listeners. */
  tls?: { cert: Buffer; key: Buffer };
  limits: AdmissionLimits;
  maxLinkSubscriptions: number;
}

export interface NodeRepair {
  enabled: boolean;
  history: RtpHistoryOptions;
  retransmitShare: number;
  /** Origin: at most one keyframe request to a publisher per stream per this interval. */
  keyframeMinIntervalMs?: number;
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
  buffer?: { startMs: number; endMs: number; windowMs: number; bytes: number; memoryBytes: number } | null;
}

/** Latest instant a Date can hold (ECMA-262 §21.4.1.1): beyond it no time can be formatted. */
const MAX_DATE_MS = 8.64e15;

/** A WHEP `start` parameter: epoch milliseconds or ISO 8601; null when absent (live). */
export function parseStart(text: string | null): number | null {
  if (text === null || text === '') return null;
  const ms = /^\d{1,20}(\.\d{1,6})?$/.test(text) ? Number(text) : text.length <= 64 ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'start must be epoch milliseconds or an ISO 8601 time');
  if (ms < 0 || ms > MAX_DATE_MS) throw new CanopyError(ErrorCode.OUT_OF_RANGE, 'start is out of range (epoch milliseconds from 1970)');
  return ms;
}

/** Query parameter a redirected WHEP request carries (the redirecting node's id). */
export const REDIRECT_MARK = 'canopy_redirected_by';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, path: string[], url: URL) => Promise<boolean> | boolean;

/**
 * What origin and relays have in common: the HTTP server (WHEP, state, metrics, health),
 * the /relay link endpoint serving downstream nodes, the stream hub, and the viewers.
 */
export class MediaNode extends EventEmitter {
  readonly metrics = new Metrics();
  readonly counters: NodeCounters;
  readonly hub: StreamHub;
  readonly linkServer: LinkServer;
  readonly downlinks = new Set<Downlink>();
  /** This node's UDP media-pipe socket, shared by all its links (docs/pipe.md). */
  readonly pipeHost: PipeHost;
  readonly viewers = new Map<string, ViewerSession>();
  readonly server: Server;
  /** The admin listener (--admin-listen), if any. */
  readonly adminServer: Server | null;
  readonly admission: Admission;
  readonly admin: AdminGate;
  readonly log: Logger;
  /** Loads around this node: its own, its children's and subtree's. */
  readonly board: StatusBoard;
  readonly pacer: FanoutPacer;
  /** Event-loop delay (issue 14): /metrics over the last 10 s, /api/eventloop?seconds=N. */
  readonly eventLoop = new EventLoopMonitor();
  /** Graceful drain on SIGTERM (DrainGate.ts). */
  readonly drainGate = new DrainGate();
  /** Where viewers should go (redirects) and the directory of relays. */
  readonly director: Director;
  /** The live tree dashboard (/dashboard/, /api/tree, /api/tree/events) on the admin listener. */
  readonly dashboard: TreeDashboard;
  /** The latest freezes (ms from a lost upstream to the next keyframe), newest last. */
  readonly freezes: number[] = [];
  /** Accepted links whose far end is our child in the tree (not a sibling pulling from us). */
  private readonly childLinks = new Set<Link>();
  private readonly routes: RouteHandler[] = [];
  private readonly adminRoutes: RouteHandler[] = [];
  private readonly refusals: Counter;
  /** Client errors logged per second at most (LogBudget.ts). */
  private readonly clientErrorLog = new LogBudget(20);
  /** Random per process start: tells a restarted node from its previous life. */
  readonly instance = randomUUID();
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
      planner: opts.planner,
      buffer: opts.buffer,
      recoverForMs: opts.recoverForMs,
      history: opts.repair?.enabled ? opts.repair.history : undefined,
      keyframeMinIntervalMs: opts.repair?.keyframeMinIntervalMs,
      startTimeoutMs: opts.startTimeoutMs,
      idleCloseAfterMs: opts.idleCloseAfterMs,
      logger: opts.logger.child({ component: 'hub' }),
      counters: this.counters,
    });
    this.board = new StatusBoard({
      nodeId: opts.id,
      publicUrl: () => this.publicUrl,
      region: opts.region,
      classes: opts.classes,
      capacity: opts.capacity,
      sample: () => ({
        level: opts.level(),
        viewers: this.viewers.size,
        childLinks: this.linkServer.links.size,
        bytesOut: this.counters.bytesOut.get(),
        streams: [...this.hub.feeds.values()].filter((f) => f.live && !f.closed).map((f) => f.name),
        parentId: opts.parentId?.() ?? null,
        draining: this.drainGate.draining,
        flows: this.flows(),
        cache: this.hub.budget ? { bytes: this.hub.budget.used, budgetBytes: this.hub.budget.maxBytes } : undefined,
      }),
      subtreeBytes: Math.min(DEFAULT_SUBTREE_BYTES, Math.floor(opts.maxFrameBytes / 2)),
    });
    this.director = new Director({
      policies: (opts.redirect ?? []) as RedirectPolicy[],
      regionMap: opts.regionMap ? RegionMap.load(opts.regionMap) : null,
      loadMargin: opts.redirectLoadMargin ?? 0.25,
      minViewers: opts.redirectMinViewers ?? 5,
      self: () => this.board.self() as NodeStatus,
      candidates: () => [
        ...(opts.peers?.() ?? []).map((status) => ({ status, via: 'peer' as const })),
        ...this.board.childStatuses().map((status) => ({ status, via: 'child' as const })),
      ],
      subtree: () => this.board.subtree().nodes,
      draining: () => this.drainGate.draining,
      redirects: this.metrics.counter('redirects_total', 'WHEP viewers sent to another relay (307), by reason', ['reason']),
      logger: this.log,
    });
    this.pipeHost = new PipeHost({
      listen: opts.pipe?.listen ?? { host: opts.listen.host, port: 0 },
      counters: pipeCounters(this.metrics),
      logger: opts.logger,
    });
    this.metrics.gauge('links_by_media_path', 'Relay links by side (upstream: we connected; downstream: we accepted) and media path (ws, udp)', () => this.pipeHost.paths(), ['side', 'path']);
    this.dashboard = new TreeDashboard({
      nodeId: opts.id,
      self: () => this.board.self(),
      subtree: (limits) => this.board.subtree(limits),
      logger: opts.logger,
    });
    this.addAdminRoutes((req, res, path, url) => this.dashboard.route(req, res, path, url));
    this.linkServer = new LinkServer({
      pipe: () => pipeOffered(this.pipeHost, this.opts.pipe?.mode ?? 'ws'),
      nodeId: opts.id,
      instance: this.instance,
      level: opts.level,
      path: () => opts.path?.() ?? [opts.id],
      status: () => this.board.self(),
      secret: opts.clusterSecret,
      heartbeatMs: opts.heartbeatMs,
      maxFrameBytes: opts.maxFrameBytes,
      linkCounters: { controlIn: this.counters.linkControlIn, controlOut: this.counters.linkControlOut },
      logger: opts.logger,
    });
    this.linkServer.on('link', (link: Link, hello: Hello) => this.onLink(link, hello));
    const linksRefused = this.metrics.counter('links_refused_total', 'Relay links refused in the handshake, by code', ['code']);
    this.linkServer.on('refused', (code: string) => linksRefused.inc({ code }));
    this.refusals = this.metrics.counter('http_errors_total', 'HTTP requests answered with an error, by status', ['status']);
    const sec = opts.security;
    const admissionRefused = this.metrics.counter('admission_refused_total', 'New sessions refused with 503, by limit', ['limit']);
    this.admission = new Admission(sec.limits, () => this.sessionCounts(), (limit) => admissionRefused.inc({ limit }));
    this.admin = new AdminGate({ token: sec.adminToken, separateListener: sec.adminListen !== undefined, corsOrigins: sec.adminCorsOrigins });
    const make = (listener: Listener): Server =>
      sec.tls
        ? createTlsServer({ cert: sec.tls.cert, key: sec.tls.key }, (req, res) => void this.handle(req, res, listener))
        : createServer((req, res) => void this.handle(req, res, listener));
    this.server = make('public');
    this.server.on('upgrade', (req, socket, head) => {
      let path = '';
      try {
        path = new URL(req.url ?? '/', 'http://x').pathname;
      } catch {
        // not a link
      }
      if (this.drainGate.draining) socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nConnection: close\r\n\r\n');
      else if (path === '/relay') this.linkServer.handleUpgrade(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
    this.adminServer = sec.adminListen ? make('admin') : null;
    const frozen = this.metrics.histogram(
      'freeze_seconds',
      'Time a stream stood still after losing its upstream (failover, publisher gone), to the next keyframe delivered',
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    );
    this.hub.on('feed', (feed: Feed) =>
      feed.on('resumed', (ms: number) => {
        frozen.observe(ms / 1000);
        this.freezes.push(ms);
        if (this.freezes.length > 20) this.freezes.shift();
      }),
    );
    new StreamMetrics({ maxStreams: opts.metricsMaxStreams ?? 50, feeds: () => this.hub.feeds.values(), viewers: () => this.viewers.values() }).register(this.metrics);
    if (this.hub.budget) registerCacheMetrics(this.metrics, this.hub.budget, opts.metricsMaxStreams ?? 50);
    this.metrics.gauge('viewers', 'WHEP viewers connected to this node', () => this.viewers.size);
    this.metrics.gauge('children', 'Downstream subscriptions (child and sibling relays) on this node', () => this.countChildren());
    this.metrics.gauge('streams', 'Streams this node carries', () => this.hub.feeds.size);
    this.metrics.gauge('links', 'Accepted relay links', () => this.linkServer.links.size);
    this.metrics.gauge('sessions_pending', 'WebRTC sessions negotiating or not yet connected', () => this.sessionCounts().pending);
    this.metrics.gauge('fanout_waiting', 'Packets whose fan-out waits for the next event-loop turn', () => this.pacer.waiting);
    this.metrics.gauge('event_loop_delay_seconds', 'Event-loop delay over the last 10 s (quantile 1 = max)', () => {
      const w = this.eventLoop.window(10);
      return [
        [{ quantile: '0.5' }, (w.p50Ms ?? 0) / 1000],
        [{ quantile: '0.99' }, (w.p99Ms ?? 0) / 1000],
        [{ quantile: '1' }, (w.maxMs ?? 0) / 1000],
      ];
    }, ['quantile']);
  }

  addRoutes(handler: RouteHandler): void {
    this.routes.push(handler);
  }

  /** Routes served behind the admin gate (on the admin listener when there is one), e.g. a dashboard under /dashboard. */
  addAdminRoutes(handler: RouteHandler): void {
    this.adminRoutes.push(handler);
  }

  async listen(): Promise<void> {
    const listenOn = (server: Server, at: HostPort): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(at.port, at.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    // The pipe socket first: a link accepted once the server listens may be offered a pipe.
    if (this.opts.pipe?.bind) await this.pipeHost.listen();
    await listenOn(this.server, this.opts.listen);
    if (this.adminServer) await listenOn(this.adminServer, this.opts.security.adminListen!);
    this.log.info({ url: this.url, admin: this.adminUrl ?? undefined }, 'listening');
    if (!this.opts.clusterSecret) {
      this.log.warn('INSECURE: relay links are not authenticated (--insecure-no-cluster-secret): anyone who reaches /relay can pull every stream');
    }
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get scheme(): 'http' | 'https' {
    return this.opts.security.tls ? 'https' : 'http';
  }

  get url(): string {
    return listenerUrl(this.scheme, this.opts.listen.host, this.port);
  }

  /** The admin listener's URL, when --admin-listen is set. */
  get adminUrl(): string | null {
    const a = this.adminServer?.address() as AddressInfo | null | undefined;
    return a ? listenerUrl(this.scheme, this.opts.security.adminListen!.host, a.port) : null;
  }

  /**
   * Where viewers reach this node, for redirects and the directory: --public-url, else the
   * listen address when it is a specific one (a wildcard address says nothing to others).
   */
  get publicUrl(): string {
    if (this.opts.publicUrl) return this.opts.publicUrl.replace(/\/+$/, '');
    const host = this.opts.listen.host;
    if (isAnyAddress(host) || !this.server.listening) return '';
    return this.url;
  }

  get linkUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/relay`;
  }

  /** What our pings to one parent carry: our status and our subtree's. */
  uplinkReporter(): ReturnType<StatusBoard['uplinkReporter']> {
    return this.board.uplinkReporter();
  }

  /** Our level or path changed (a failover): tell our children, who tell theirs. */
  pathChanged(): void {
    const level = this.opts.level();
    if (level === null) return;
    const path = this.opts.path?.() ?? [this.opts.id];
    for (const link of this.childLinks) link.send({ pathUpdate: { level, path } });
  }

  private onLink(link: Link, hello: Hello): void {
    const role = hello.role === 2 ? 'sibling' : 'child';
    this.board.addLink(link, role);
    if (role === 'child') {
      this.childLinks.add(link);
      link.once('close', () => this.childLinks.delete(link));
    }
    const d = new Downlink(link, {
      hub: this.hub,
      counters: this.counters,
      logger: this.log,
      bypassAt: (t) => this.bypassAt(t),
      maxSubscriptions: this.opts.security.maxLinkSubscriptions,
      pipe: this.pipeHost.address ? { host: this.pipeHost, mode: this.opts.pipe?.mode ?? 'ws' } : null,
    });
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

  private countChildren(): number {
    let n = 0;
    for (const d of this.downlinks) n += d.subs.size;
    return n;
  }

  /** Sessions held and those not yet connected (including requests still negotiating), for admission. */
  private sessionCounts(): { sessions: number; pending: number } {
    let pending = 0;
    for (const v of this.viewers.values()) if (!v.connected) pending++;
    const other = this.opts.otherSessions?.() ?? { sessions: 0, pending: 0 };
    return { sessions: this.viewers.size + other.sessions, pending: pending + other.pending };
  }

  /**
   * Counts every error response once it is sent, wherever it came from (a thrown error or a
   * route's own 404/405), and logs a client error (4xx) with its reason: the path only, as the
   * query may carry an access_token.
   */
  private responded(req: IncomingMessage, res: ServerResponse, segments: readonly string[]): void {
    const status = res.statusCode;
    if (status < 400) return;
    this.refusals.inc({ status: String(status) });
    if (status >= 500) return;
    const level = clientErrorLevel(status, segments);
    if (!this.log.isLevelEnabled(level)) return;
    const skipped = this.clientErrorLog.take();
    if (skipped === null) return;
    const ctx = { status, reason: errorReason(res), method: req.method, path: logPath(req), remote: clientIp(req), ...(skipped ? { notLoggedBefore: skipped } : {}) };
    this.log[level](ctx, 'client error');
  }

  private async handle(req: IncomingMessage, res: ServerResponse, listener: Listener): Promise<void> {
    // WHIP/WHEP CORS from the start, so a browser can read even a 400's reason; the admin gate
    // replaces it with its own for admin endpoints.
    if (listener === 'public') setCors(res, req, this.opts.security.corsOrigins);
    let segments: string[] = [];
    res.once('finish', () => this.responded(req, res, segments));
    try {
      const url = requestUrl(req);
      const path = pathSegments(url);
      segments = path;
      const m = req.method ?? 'GET';
      if (path.length === 1 && path[0] === 'healthz' && (m === 'GET' || m === 'HEAD')) {
        // Draining answers 503 so readiness probes and load balancers stop sending traffic here.
        if (this.drainGate.draining) sendJson(res, 503, { ok: false, level: this.opts.level(), ...this.drainGate.status() });
        else sendJson(res, this.closed ? 503 : 200, { ok: !this.closed, level: this.opts.level() });
        return;
      }
      if (this.admin.isAdminPath(path)) {
        if (!this.admin.check(req, res, listener, path)) return;
        for (const r of this.adminRoutes) if (await r(req, res, path, url)) return;
        if (await this.adminRoute(res, path, m, url)) return;
        sendText(res, 404, 'not found');
        return;
      }
      if (listener === 'admin') {
        sendText(res, 404, 'not found (the admin listener serves /api/state, /metrics and /healthz)');
        return;
      }
      // A draining node takes no new publisher; a new viewer is sent to another relay when one
      // is known (whepPost), else refused too.
      if (this.drainGate.refuses(req, path) && path[0] !== 'whep') throw this.drainGate.refusal();
      for (const r of this.routes) if (await r(req, res, path, url)) return;
      if (await this.route(req, res, path, url)) return;
      sendText(res, 404, 'not found');
    } catch (err) {
      const e = toCanopyError(err);
      // A fault of ours is an error; an upstream or dependency that fails, a warning; a refusal
      // by a limit or a shutdown, a debug line. A client's mistake (4xx) is logged once sent
      // (responded), within a budget: hostile clients must not flood the log.
      if (e.status === 500) this.log.error({ err, method: req.method, path: logPath(req) }, 'request failed');
      else if (e.status > 500) {
        const ctx = { status: e.status, reason: e.message, method: req.method, path: logPath(req), ip: clientIp(req) };
        if (e.code !== ErrorCode.SHUTDOWN && !(e instanceof RetryLaterError)) this.log.warn(ctx, 'request failed');
        else this.log.debug(ctx, 'request refused');
      }
      sendError(res, e);
    }
  }

  private async adminRoute(res: ServerResponse, path: string[], m: string, url: URL): Promise<boolean> {
    if (path.length === 2 && path[0] === 'api' && path[1] === 'state' && m === 'GET') {
      sendJson(res, 200, this.state());
      return true;
    }
    if (path.length === 2 && path[0] === 'api' && path[1] === 'eventloop' && m === 'GET') {
      const seconds = Number(url.searchParams.get('seconds') ?? 10);
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120) throw new CanopyError(ErrorCode.BAD_REQUEST, 'seconds must be an integer from 1 to 120');
      sendJson(res, 200, this.eventLoop.window(seconds));
      return true;
    }
    if (path.length === 2 && path[0] === 'api' && path[1] === 'directory' && m === 'GET') {
      const stream = url.searchParams.get('stream');
      sendJson(res, 200, { node: this.opts.id, stream, candidates: this.director.directory(stream) });
      return true;
    }
    if (path.length === 1 && path[0] === 'metrics' && m === 'GET') {
      const text = await this.metrics.render();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType });
      res.end(text);
      return true;
    }
    return false;
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string[], url: URL): Promise<boolean> {
    if (path.length === 0 && req.method === 'GET') {
      // Someone followed this node's link: say what it is (nodePage.ts).
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(nodePage({ id: this.opts.id, role: this.opts.role, level: this.opts.level(), draining: this.drainGate.draining }, req.headers.host));
      return true;
    }
    if (path[0] !== 'whep') return false;
    return signalingRoute(req, res, path, {
      post: (stream) => this.whepPost(req, res, stream, url),
      session: (id) => this.viewers.get(id),
    });
  }

  private async whepPost(req: IncomingMessage, res: ServerResponse, stream: string, url: URL): Promise<void> {
    if (!this.opts.serveViewers) throw new CanopyError(ErrorCode.FORBIDDEN, 'this node serves relays only; watch from a relay');
    if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
    if (mediaType(req) !== 'application/sdp') throw new CanopyError(ErrorCode.UNSUPPORTED_MEDIA, 'Content-Type must be application/sdp');
    const startMs = parseStart(url.searchParams.get('start'));
    if (startMs !== null && startMs > Date.now() + 1000) throw outOfRange(stream, startMs, this.bufferRange(stream), 'is in the future');
    const ip = clientIp(req);
    const ticket = this.admission.admit(ip);
    try {
      let tokenClass: string | null = null;
      const onClaims = (c: Record<string, unknown>): void => {
        if (typeof c.class === 'string') tokenClass = c.class;
      };
      await this.opts.authorizer.authorize({ action: 'play', stream, token: requestToken(req, url), ip, startMs, onClaims });
      if (this.redirect(req, res, url, stream, ip, tokenClass)) return;
      if (this.drainGate.draining) throw this.drainGate.refusal();
      const offer = await readBody(req, MAX_SDP_BYTES);
      parseSdp(offer); // a malformed offer is a 400 before any upstream pull
      // A start before the recording plays from its beginning, with a notice (timeshiftStart.ts).
      const shifted = startMs === null ? null : await acquireTimeshift(this.hub, stream, startMs, (t) => this.bypassAt(t));
      const lease = shifted?.lease ?? (await this.hub.acquire(stream));
      const session = new ViewerSession(stream, lease, {
        engine: this.opts.engine,
        logger: this.log,
        counters: this.counters,
        timers: this.opts.sessionTimers,
        repair: this.opts.repair,
        remote: ip,
      });
      this.viewers.set(session.id, session);
      session.once('close', () => this.viewers.delete(session.id));
      const answer = await session.start(offer);
      if (session.closed) throw new CanopyError(ErrorCode.UNAVAILABLE, 'session closed during negotiation');
      res.writeHead(201, {
        'Content-Type': 'application/sdp',
        Location: this.location(req, `/whep/${encodeURIComponent(stream)}/${session.id}`),
        ETag: session.etag,
        ...(shifted ? { 'Canopy-Start': String(shifted.startMs) } : {}),
        ...(shifted?.notice ? { 'Canopy-Notice': shifted.notice } : {}),
      });
      res.end(answer);
    } finally {
      ticket.release();
    }
  }

  /**
   * Sends a viewer to a better relay when the director says so (patent [0033]; RFC 9725 §4.6:
   * 307 keeps the method and body). The viewer's token goes along in the URL, since browsers
   * drop Authorization on a cross-origin redirect; the mark stops a second redirect.
   */
  private redirect(req: IncomingMessage, res: ServerResponse, url: URL, stream: string, ip: string, tokenClass: string | null): boolean {
    const header = req.headers['canopy-priority'];
    const to = this.director.decide({
      stream,
      clientAddress: ip,
      // A verified token's class claim, else the header (which anyone may send).
      viewerClass: tokenClass ?? ((Array.isArray(header) ? header[0] : header)?.trim() || null),
      redirected: url.searchParams.has(REDIRECT_MARK),
    });
    if (!to) return false;
    const target = new URL(redirectPath(req, url), to.status.publicUrl);
    target.searchParams.set(REDIRECT_MARK, this.opts.id);
    this.log.debug({ stream, to: to.status.nodeId, reason: to.reason }, 'viewer redirected');
    req.resume();
    res.writeHead(307, { Location: target.toString(), 'Cache-Control': 'no-store' });
    res.end();
    return true;
  }

  /** A session resource's Location (RFC 9725 §4.2): relative, or absolute on the Host the client used. */
  location(req: IncomingMessage, path: string): string {
    // A redirected client resolves a relative Location against the front it first asked;
    // name this node in full.
    const absolute = this.opts.absoluteLocation || (req.url ?? '').includes(`${REDIRECT_MARK}=`);
    return absolute && req.headers.host ? `${this.scheme}://${req.headers.host}${path}` : path;
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
        const hint = this.opts.planner.pending?.(feed);
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
        s.buffer = r ? { startMs: r.startMs, endMs: r.endMs, windowMs: feed.buffer.effectiveWindowMs, bytes: feed.buffer.bytes, memoryBytes: feed.buffer.chargedBytes } : null;
      }
      streams.push(s);
    }
    return {
      node: {
        id: this.opts.id,
        role: this.opts.role,
        level: this.opts.level(),
        path: this.opts.path?.() ?? [this.opts.id],
        publicUrl: this.publicUrl || null,
        region: this.opts.region ?? null,
        redirect: this.opts.redirect ?? [],
        redirects: this.director.counts(),
        freezesMs: [...this.freezes],
        windowB: this.hub.budget?.describe() ?? null,
        pipe: this.pipeHost.describe(),
        ...this.opts.nodeState?.(),
        ...this.drainGate.status(),
      },
      streams,
    };
  }

  /** The stream copies this node carries and where each comes from (status reports, the dashboard). */
  private flows(): FlowSample[] {
    const out: FlowSample[] = [];
    for (const feed of this.hub.feeds.values()) {
      const src = feed.source;
      if (!src || feed.closed) continue;
      let viewers = 0;
      for (const c of feed.consumers) if (c.kind === 'viewer') viewers++;
      const local = src.kind === 'publisher' || src.kind === 'buffer' || src.kind === 'archive';
      out.push({
        key: feed,
        stream: feed.name,
        source: src.kind,
        from: local ? '' : src.peer,
        startMs: feed.startMs,
        viewers,
        children: feed.consumers.size - viewers,
        bytes: feed.bytesReceived,
      });
    }
    return out;
  }

  /** Sizes of every registry, for leak checks. */
  registries(): Record<string, number> {
    return {
      feeds: this.hub.feeds.size,
      viewers: this.viewers.size,
      downlinks: this.downlinks.size,
      childSubscriptions: this.countChildren(),
      links: this.linkServer.links.size,
      dashboards: this.dashboard.clients.size,
      peers: this.opts.engine.peerCount,
      tracks: this.opts.engine.liveTrackCount,
      timers: this.hub.timerCount,
      pipes: this.pipeHost.peers.size,
      pipeLinks: this.pipeHost.endpoints.size,
    };
  }

  /**
   * Graceful drain: refuse new sessions and links (viewers go to another relay when one is
   * known), ask child relays to move to another parent (GoAway: they move make-before-break),
   * and keep serving current viewers and children until they have all left ('idle') or
   * timeoutMs passed ('timeout'). The caller closes.
   */
  drain(timeoutMs: number): Promise<DrainOutcome> {
    if (this.closed) return Promise.resolve('closed');
    const first = !this.drainGate.draining;
    if (first) {
      this.log.info({ viewers: this.viewers.size, children: this.countChildren(), timeoutMs }, 'draining');
      for (const link of this.childLinks) link.send({ goAway: { reason: 'parent draining', deadlineMs: timeoutMs } });
    }
    const done = this.drainGate.begin(timeoutMs, () => this.viewers.size === 0 && this.countChildren() === 0);
    if (first) void done.then((outcome) => this.log.info({ outcome, viewers: this.viewers.size, children: this.countChildren() }, 'drain finished'));
    return done;
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.drainGate.stop();
    this.dashboard.close();
    for (const v of [...this.viewers.values()]) v.close(reason);
    this.hub.close(reason);
    this.linkServer.close();
    this.pipeHost.close();
    for (const server of [this.server, this.adminServer]) {
      if (!server) continue;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.pacer.close();
    this.eventLoop.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}

function listenerUrl(scheme: string, listenHost: string, port: number): string {
  const host = isAnyAddress(listenHost) ? '127.0.0.1' : listenHost;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

interface SessionLike {
  stream: string;
  etag: string;
  /** byClient: the client ended the session itself (DELETE, RFC 9725 §4.3). */
  close(reason: string, opts?: { byClient?: boolean }): void;
}

/**
 * A WHIP or WHEP endpoint `/{whip|whep}/{stream}` (POST, OPTIONS) and its session resources
 * `/{whip|whep}/{stream}/{id}` (RFC 9725 §4). `authorize` vets requests on an existing session.
 */
export async function signalingRoute(
  req: IncomingMessage,
  res: ServerResponse,
  path: string[],
  on: { post: (stream: string) => Promise<void>; session: (id: string) => SessionLike | undefined; authorize?: (session: SessionLike) => Promise<void> | void },
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
  if (m !== 'OPTIONS' && session) await on.authorize?.(session);
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
    session.close('deleted by client', { byClient: true });
    sendText(res, 200, 'session ended');
  } else if (m === 'OPTIONS') {
    res.writeHead(204, { Allow: 'DELETE, OPTIONS' });
    res.end();
  } else if (m === 'PATCH') {
    // Trickle ICE and ICE restarts are not supported yet; clients send complete offers.
    sendText(res, 405, 'trickle ICE and ICE restart are not supported', { Allow: 'DELETE, OPTIONS' });
  } else sendText(res, 405, 'use DELETE', { Allow: 'DELETE, OPTIONS' });
}

/** A request's path for the log: the path only, as the query may carry an access_token. */
function logPath(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0]!.slice(0, 200);
}

/** Whether Welcome tells a child this node takes pipes (authentication is checked per link). */
function pipeOffered(host: PipeHost, mode: LinkMediaMode): boolean {
  return host.address !== null && mode !== 'ws';
}
