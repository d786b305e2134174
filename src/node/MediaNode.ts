import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Authorizer } from '../auth/Authorizer.js';
import type { HostPort } from '../config.js';
import type { CandidatePair, RtcEngine } from '../engine/engine.js';
import { AdminGate } from '../http/admin.js';
import { Admission, type AdmissionLimits } from '../http/Admission.js';
import type { CorsPolicy } from '../http/http.js';
import { HttpRouter, type RouteHandler } from '../http/HttpRouter.js';
import { HttpServer } from '../http/HttpServer.js';
import type { IceServers } from '../auth/IceServers.js';
import { sessionLocation } from '../http/signaling.js';
import type { Downlink } from '../tree/Downlink.js';
import { LinkServer, type Hello } from '../link/LinkServer.js';
import type { Link } from '../link/Link.js';
import type { NodeStatus } from '../tree/UpstreamLink.js';
import type { Logger } from '../log.js';
import { FanoutPacer } from '../media/FanoutPacer.js';
import type { RtpHistoryOptions } from '../media/RtpHistory.js';
import { StreamHub, type WindowBOptions } from '../media/StreamHub.js';
import type { UpstreamPlanner } from '../media/UpstreamPlanner.js';
import { registerNativeMetrics } from '../engine/nativeMetrics.js';
import { Metrics, nodeCounters, pipeCounters, type NodeCounters } from '../metrics.js';
import { PipeHost, type LinkMediaMode } from '../pipe/PipeHost.js';
import type { SessionTimers, ViewerSession } from '../session/ViewerSession.js';
import { parseStart, WhepServer } from '../session/WhepServer.js';
import { iceRoute, IceRouteReport, type IceRoute, type RoutedSession } from '../session/IceRoute.js';
import { isAnyAddress } from '../address.js';
import { HlsServer } from '../hls/HlsServer.js';
import { adminApi } from './AdminApi.js';
import { ChildLinks } from './ChildLinks.js';
import { Director, type RedirectPolicy } from './Director.js';
import { DrainGate, type DrainOutcome } from './DrainGate.js';
import { EventLoopMonitor } from './EventLoopMonitor.js';
import { MemoryTrimmer } from './MemoryTrimmer.js';
import { NodeMetrics } from './NodeMetrics.js';
import { serveNodePage, type NodePageInfo } from './nodePage.js';
import { RegionMap } from './RegionMap.js';
import { StateReport, type StreamState } from './StateReport.js';
import { DEFAULT_SUBTREE_BYTES, StatusBoard } from './StatusBoard.js';
import { TreeDashboard } from './TreeDashboard.js';
import type { TlsIdentity } from '../http/TlsIdentity.js';

export type Role = 'origin' | 'relay';

const NO_ADDRESSES: ReadonlySet<string> = new Set();

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
  /** Period of MemoryTrimmer's malloc_trim (0 or absent: never). */
  mallocTrimMs?: number;
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
  fanoutSliceMs: number;
  /** Streams with their own canopy_stream_* series; the rest are summed as stream="(other)". */
  metricsMaxStreams: number;
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
  redirectLoadMargin: number;
  redirectMinViewers: number;
  /** LL-HLS (docs/hls.md): how long an HLS viewer's hold on a stream outlasts its last request. */
  hls?: { leaseMs: number };
  /** Publisher grace (origin) and upstream-loss grace (relays): how long a feed keeps its consumers. */
  recoverForMs: number;
  /** Extra fields for /api/state's node object (e.g. known siblings). */
  nodeState?: () => Record<string, unknown>;
  /** Who may publish and play here. */
  authorizer: Authorizer;
  security: NodeSecurity;
  /** TURN servers and credentials for the Link headers of each WHIP/WHEP 201 (RFC 9725 §4.6). */
  iceServers?: IceServers | null;
  /** Sessions besides its viewers whose ICE route is reported (the origin's publishers). */
  otherRouted?: () => Iterable<RoutedSession>;
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
  /** https:// and wss:// on both listeners; reloaded on SIGHUP (src/http/TlsIdentity.ts). */
  tls?: TlsIdentity;
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

/**
 * What origin and relays have in common, built and put in order: the HTTP listeners and their
 * routes, the WHEP server, the /relay link endpoint and the links it accepted, the stream hub,
 * and what reports on them. It creates each part, starts them in order (listen), drains and
 * closes them; each part's job is in its own module.
 */
export class MediaNode extends EventEmitter<{ close: [reason: string] }> {
  readonly metrics = new Metrics();
  readonly counters: NodeCounters;
  readonly hub: StreamHub;
  readonly linkServer: LinkServer;
  /** This node's UDP media-pipe socket, shared by all its links (docs/pipe.md). */
  readonly pipeHost: PipeHost;
  /** The listeners (HttpServer.ts) and what answers on them (HttpRouter.ts). */
  readonly http: HttpServer;
  readonly router: HttpRouter;
  readonly whep: WhepServer;
  /** How viewers and publishers reach this node: their selected ICE pairs (IceRoute.ts). */
  readonly ice: IceRouteReport;
  /** Links accepted from child relays and siblings (ChildLinks.ts). */
  readonly childLinks: ChildLinks;
  readonly admission: Admission;
  readonly log: Logger;
  /** Loads around this node: its own, its children's and subtree's. */
  readonly board: StatusBoard;
  readonly pacer: FanoutPacer;
  /** Event-loop delay (issue 14): /metrics over the last 10 s, /api/eventloop?seconds=N. */
  readonly eventLoop = new EventLoopMonitor();
  /** Returns freed allocator pages to the kernel (MemoryTrimmer.ts, issue 23). */
  readonly memoryTrimmer: MemoryTrimmer;
  /** Graceful drain on SIGTERM (DrainGate.ts). */
  readonly drainGate = new DrainGate();
  /** Where viewers should go (redirects) and the directory of relays. */
  readonly director: Director;
  /** The live tree dashboard (/dashboard/, /api/tree, /api/tree/events) on the admin listener. */
  readonly dashboard: TreeDashboard;
  readonly report: StateReport;
  readonly nodeMetrics: NodeMetrics;
  /** LL-HLS viewers (/hls/...): packagers pulled on demand like WebRTC viewers (docs/hls.md). */
  readonly hls: HlsServer;
  /** Random per process start: tells a restarted node from its previous life. */
  readonly instance = randomUUID();
  #closed = false;
  get closed(): boolean {
    return this.#closed;
  }

  constructor(readonly opts: MediaNodeOptions) {
    super();
    this.log = opts.logger.child({ component: 'node' });
    this.counters = nodeCounters(this.metrics);
    const m = this.metrics;
    this.pacer = new FanoutPacer({
      sliceMs: opts.fanoutSliceMs,
      counters: {
        deferred: m.counter('fanout_deferred_total', 'Packets whose fan-out continued on a later event-loop turn (pacing)'),
        flushed: m.counter('fanout_flushed_total', 'Paced packets sent at once because they waited too long (overload)'),
      },
    });
    this.memoryTrimmer = new MemoryTrimmer({ everyMs: opts.mallocTrimMs ?? 0 }, m);
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
    this.ice = new IceRouteReport(
      () => [...this.whep.viewers.values(), ...(opts.otherRouted?.() ?? [])],
      () => this.turnAddresses,
    );
    this.report = new StateReport({
      hub: this.hub,
      planner: opts.planner,
      node: {
        id: opts.id,
        role: opts.role,
        level: opts.level,
        path: () => opts.path?.() ?? [opts.id],
        publicUrl: () => this.publicUrl,
        region: opts.region,
        redirect: opts.redirect ?? [],
        redirects: () => this.director.counts(),
        freezes: () => this.freezes,
        pipe: () => this.pipeHost.describe(),
        extra: () => ({ ice: this.ice.state(), ...opts.nodeState?.() }),
        drain: () => this.drainGate.status(),
      },
    });
    this.board = new StatusBoard({
      nodeId: opts.id,
      publicUrl: () => this.publicUrl,
      region: opts.region,
      classes: opts.classes,
      capacity: opts.capacity,
      sample: () => ({
        level: opts.level(),
        viewers: this.whep.viewers.size,
        ...this.ice.viewerShares(),
        childLinks: this.linkServer.links.size,
        bytesOut: this.counters.bytesOut.get(),
        streams: [...this.hub.feeds.values()].filter((f) => f.live && !f.closed).map((f) => f.name),
        parentId: opts.parentId?.() ?? null,
        draining: this.drainGate.draining,
        flows: this.report.flows(),
        cache: this.hub.budget ? { bytes: this.hub.budget.used, budgetBytes: this.hub.budget.maxBytes } : undefined,
      }),
      subtreeBytes: Math.min(DEFAULT_SUBTREE_BYTES, Math.floor(opts.maxFrameBytes / 2)),
    });
    this.director = new Director({
      policies: (opts.redirect ?? []) as RedirectPolicy[],
      regionMap: opts.regionMap ? RegionMap.load(opts.regionMap) : null,
      loadMargin: opts.redirectLoadMargin,
      minViewers: opts.redirectMinViewers,
      self: () => this.board.self() as NodeStatus,
      candidates: () => [
        ...(opts.peers?.() ?? []).map((status) => ({ status, via: 'peer' as const })),
        ...this.board.childStatuses().map((status) => ({ status, via: 'child' as const })),
      ],
      subtree: () => this.board.subtree().nodes,
      draining: () => this.drainGate.draining,
      redirects: m.counter('redirects_total', 'WHEP viewers sent to another relay (307), by reason', ['reason']),
      logger: this.log,
    });
    this.pipeHost = new PipeHost({
      listen: opts.pipe?.listen ?? { host: opts.listen.host, port: 0 },
      counters: pipeCounters(m),
      logger: opts.logger,
    });
    this.dashboard = new TreeDashboard({
      nodeId: opts.id,
      self: () => this.board.self(),
      subtree: (limits) => this.board.subtree(limits),
      logger: opts.logger,
    });
    this.childLinks = new ChildLinks({
      hub: this.hub,
      board: this.board,
      counters: this.counters,
      logger: this.log,
      bypassAt: (t) => this.bypassAt(t),
      maxSubscriptions: opts.security.maxLinkSubscriptions,
      pipe: () => (this.pipeHost.address ? { host: this.pipeHost, mode: opts.pipe?.mode ?? 'ws' } : null),
    });
    this.linkServer = new LinkServer({
      pipe: () => pipeOffered(this.pipeHost, opts.pipe?.mode ?? 'ws'),
      nodeId: opts.id,
      instance: this.instance,
      level: opts.level,
      path: () => opts.path?.() ?? [opts.id],
      status: () => this.board.self(),
      secret: opts.clusterSecret,
      heartbeatMs: opts.heartbeatMs,
      maxFrameBytes: opts.maxFrameBytes,
      linkCounters: { controlIn: this.counters.linkControlIn, controlOut: this.counters.linkControlOut, faults: this.counters.consumerErrors },
      logger: opts.logger,
    });
    this.linkServer.on('link', (link: Link, hello: Hello) => this.childLinks.accept(link, hello));
    const linksRefused = m.counter('links_refused_total', 'Relay links refused in the handshake, by code', ['code']);
    this.linkServer.on('refused', (code: string) => linksRefused.inc({ code }));
    const sec = opts.security;
    const admissionRefused = m.counter('admission_refused_total', 'New sessions refused with 503, by limit', ['limit']);
    this.admission = new Admission(
      sec.limits,
      () => this.sessionCounts(),
      (limit) => admissionRefused.inc({ limit }),
    );
    this.whep = new WhepServer({
      nodeId: opts.id,
      serveViewers: opts.serveViewers,
      hub: this.hub,
      engine: opts.engine,
      authorizer: opts.authorizer,
      admission: this.admission,
      logger: this.log,
      counters: this.counters,
      timers: opts.sessionTimers,
      repair: opts.repair,
      director: this.director,
      drain: this.drainGate,
      location: (req, path) => this.location(req, path),
      bypassAt: (t) => this.bypassAt(t),
      iceHeaders: (id) => this.iceHeaders(id),
      iceRoute: (p) => this.iceRouteOf(p),
    });
    this.router = new HttpRouter({
      logger: this.log,
      cors: sec.corsOrigins,
      admin: new AdminGate({ token: sec.adminToken, separateListener: sec.adminListen !== undefined, corsOrigins: sec.adminCorsOrigins }),
      errors: m.counter('http_errors_total', 'HTTP requests answered with an error, by status', ['status']),
      health: () =>
        // Draining answers 503 so readiness probes and load balancers stop sending traffic here.
        this.drainGate.draining ? { ok: false, level: opts.level(), ...this.drainGate.status() } : { ok: !this.closed, level: opts.level() },
      // A draining node takes no new publisher; a new viewer is sent to another relay when one
      // is known (WhepServer), else refused too.
      refuse: (req, path) => (this.drainGate.refuses(req, path) && path[0] !== 'whep' ? this.drainGate.refusal() : null),
    });
    this.router.addAdminRoutes((req, res, path, url) => this.dashboard.route(req, res, path, url));
    this.router.addAdminRoutes(adminApi({ nodeId: opts.id, state: () => this.state(), eventLoop: this.eventLoop, director: this.director, metrics: m }));
    // Someone followed this node's link: say what it is.
    const page = (): NodePageInfo => ({ id: opts.id, role: opts.role, level: opts.level(), draining: this.drainGate.draining });
    this.router.addRoutes((req, res, path) => serveNodePage(req, res, path, page));
    this.router.addRoutes(this.whep.route);
    this.hls = new HlsServer({
      hub: this.hub,
      authorizer: opts.authorizer,
      serveViewers: opts.serveViewers,
      bypassAt: (t) => this.bypassAt(t),
      parseStart,
      leaseMs: opts.hls?.leaseMs ?? 12_000,
      startTimeoutMs: opts.startTimeoutMs,
      logger: opts.logger,
      counters: {
        requests: m.counter('hls_requests_total', 'HLS requests that reached this node, by kind (index, playlist, blocking, init, segment, part)', ['kind']),
        parts: m.counter('hls_parts_total', 'LL-HLS parts (and segment ends) this node packaged'),
      },
    });
    this.router.addRoutes((req, res, path, url) => this.hls.route(req, res, path, url));
    m.gauge('hls_sessions', 'HLS packagers running (one per stream, simulcast layer and time-shift start)', () => this.hls.sessions.size);
    this.http = new HttpServer({
      listen: opts.listen,
      adminListen: sec.adminListen,
      tls: sec.tls,
      handle: (req, res, listener) => void this.router.handle(req, res, listener),
      upgrades: { '/relay': (req, socket, head) => this.linkServer.handleUpgrade(req, socket, head) },
      refuseUpgrades: () => this.drainGate.draining,
    });
    this.ice.register(m);
    registerNativeMetrics(m, () => opts.engine.nativeStats?.() ?? null);
    this.nodeMetrics = new NodeMetrics(m, {
      hub: this.hub,
      eventLoop: this.eventLoop,
      maxStreams: opts.metricsMaxStreams,
      viewers: () => this.whep.viewers.values(),
      viewerCount: () => this.whep.viewers.size,
      children: () => this.childLinks.subscriptions(),
      links: () => this.linkServer.links.size,
      pending: () => this.sessionCounts().pending,
      fanoutWaiting: () => this.pacer.waiting,
      linksByMediaPath: () => this.pipeHost.paths(),
    });
  }

  /** Public routes (the origin's WHIP server), tried after the node's own (its page, WHEP). */
  addRoutes(handler: RouteHandler): void {
    this.router.addRoutes(handler);
  }

  /** Routes served behind the admin gate (on the admin listener when there is one), e.g. a dashboard under /dashboard. */
  addAdminRoutes(handler: RouteHandler): void {
    this.router.addAdminRoutes(handler);
  }

  async listen(): Promise<void> {
    // The pipe socket first: a link accepted once the server listens may be offered a pipe.
    if (this.opts.pipe?.bind) await this.pipeHost.listen();
    await this.http.listen();
    this.log.info({ url: this.url, admin: this.adminUrl ?? undefined }, 'listening');
    if (!this.opts.clusterSecret) {
      this.log.warn('INSECURE: relay links are not authenticated (--insecure-no-cluster-secret): anyone who reaches /relay can pull every stream');
    }
  }

  /** Our TURN servers' addresses: a prflx candidate from one is a relayed client (IceRoute.ts). */
  get turnAddresses(): ReadonlySet<string> {
    return this.opts.iceServers?.addresses ?? NO_ADDRESSES;
  }

  /** The Link headers naming our TURN servers for a new WHIP/WHEP session (none without --turn-url). */
  iceHeaders(sessionId: string): Record<string, string[]> {
    return this.opts.iceServers?.headers(sessionId) ?? {};
  }

  /** A session's selected pair, classified with our TURN servers' addresses. */
  iceRouteOf(pair: CandidatePair): IceRoute {
    return iceRoute(pair, this.turnAddresses);
  }

  /** WHEP viewers by session id (WhepServer). */
  get viewers(): ReadonlyMap<string, ViewerSession> {
    return this.whep.viewers;
  }

  /** The accepted links' stream services (ChildLinks). */
  get downlinks(): ReadonlySet<Downlink> {
    return this.childLinks.downlinks;
  }

  get server(): Server {
    return this.http.server;
  }

  /** The admin listener (--admin-listen), if any. */
  get adminServer(): Server | null {
    return this.http.adminServer;
  }

  /** The latest freezes (ms from a lost upstream to the next keyframe), newest last. */
  get freezes(): readonly number[] {
    return this.nodeMetrics.freezes;
  }

  get port(): number {
    return this.http.port;
  }

  get scheme(): 'http' | 'https' {
    return this.http.scheme;
  }

  get url(): string {
    return this.http.url;
  }

  /** The admin listener's URL, when --admin-listen is set. */
  get adminUrl(): string | null {
    return this.http.adminUrl;
  }

  /**
   * Where viewers reach this node, for redirects and the directory: --public-url, else the
   * listen address when it is a specific one (a wildcard address says nothing to others).
   */
  get publicUrl(): string {
    if (this.opts.publicUrl) return this.opts.publicUrl.replace(/\/+$/, '');
    if (isAnyAddress(this.opts.listen.host) || !this.http.listening) return '';
    return this.url;
  }

  get linkUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/relay`;
  }

  /** A session resource's Location (RFC 9725 §4.2) on this node. */
  location(req: IncomingMessage, path: string): string {
    return sessionLocation(req, path, { absolute: this.opts.absoluteLocation ?? false, scheme: this.scheme });
  }

  /** What our pings to one parent carry: our status and our subtree's. */
  uplinkReporter(): ReturnType<StatusBoard['uplinkReporter']> {
    return this.board.uplinkReporter();
  }

  /** Our level or path changed (a failover): tell our children, who tell theirs. */
  pathChanged(): void {
    const level = this.opts.level();
    if (level === null) return;
    this.childLinks.pathChanged(level, this.opts.path?.() ?? [this.opts.id]);
  }

  /** Claim 5: a request older than window B skips every cache on its way to the origin. */
  bypassAt(startMs: number): boolean {
    return Date.now() - startMs > this.opts.buffer.windowMs;
  }

  /** /api/state (StateReport.ts). */
  state(): { node: Record<string, unknown>; streams: StreamState[] } {
    return this.report.state();
  }

  /** Sizes of every registry, for leak checks. */
  registries(): Record<string, number> {
    return {
      feeds: this.hub.feeds.size,
      viewers: this.whep.viewers.size,
      downlinks: this.childLinks.downlinks.size,
      childSubscriptions: this.childLinks.subscriptions(),
      links: this.linkServer.links.size,
      dashboards: this.dashboard.clients.size,
      peers: this.opts.engine.peerCount,
      tracks: this.opts.engine.liveTrackCount,
      timers: this.hub.timerCount,
      pipes: this.pipeHost.peers.size,
      pipeLinks: this.pipeHost.endpoints.size,
      hlsSessions: this.hls.sessions.size,
      // The native data plane's own viewer count (0 on node-datachannel): its state is gone too.
      nativeViewers: this.opts.engine.nativeStats?.()?.viewers ?? 0,
    };
  }

  /** Sessions held and those not yet connected (including requests still negotiating), for admission. */
  private sessionCounts(): { sessions: number; pending: number } {
    const whep = this.whep.counts();
    const other = this.opts.otherSessions?.() ?? { sessions: 0, pending: 0 };
    return { sessions: whep.sessions + other.sessions, pending: whep.pending + other.pending };
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
    const children = (): number => this.childLinks.subscriptions();
    if (first) {
      this.log.info({ viewers: this.whep.viewers.size, children: children(), timeoutMs }, 'draining');
      this.childLinks.goAway('parent draining', timeoutMs);
    }
    const done = this.drainGate.begin(timeoutMs, () => this.whep.viewers.size === 0 && children() === 0);
    if (first) void done.then((outcome) => this.log.info({ outcome, viewers: this.whep.viewers.size, children: children() }, 'drain finished'));
    return done;
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.#closed = true;
    this.drainGate.stop();
    this.dashboard.close();
    this.whep.close(reason);
    this.hls.close(reason);
    this.hub.close(reason);
    this.linkServer.close();
    this.pipeHost.close();
    await this.http.close();
    this.pacer.close();
    this.eventLoop.close();
    this.memoryTrimmer.close();
    // The program's server (OriginServer, RelayServer) logs the one `closed:` line at info.
    this.log.debug(`closed: ${reason}`);
    this.emit('close', reason);
  }
}

/** Whether Welcome tells a child this node takes pipes (authentication is checked per link). */
function pipeOffered(host: PipeHost, mode: LinkMediaMode): boolean {
  return host.address !== null && mode !== 'ws';
}
