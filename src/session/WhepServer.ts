import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from '../auth/Authorizer.js';
import type { CandidatePair, RtcEngine } from '../engine/engine.js';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Admission } from '../http/Admission.js';
import { clientIp, mediaType, readBody, redirectPath, requestToken, STREAM_NAME } from '../http/http.js';
import { REDIRECT_MARK, signalingRoute, type SignalingServer } from '../http/signaling.js';
import type { Logger } from '../log.js';
import type { StreamHub } from '../media/StreamHub.js';
import { isQuality, type Quality } from '../media/types.js';
import { acquireTimeshift, outOfRange } from '../media/timeshiftStart.js';
import type { NodeCounters } from '../metrics.js';
import { MAX_SDP_BYTES, parseSdp } from '../sdp.js';
import type { IceRoute } from './IceRoute.js';
import { ViewerSession, type SessionTimers, type ViewerRepair } from './ViewerSession.js';

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

/** A WHEP `layer` parameter (docs/abr.md): a pinned simulcast layer, or null for auto. */
export function parseLayer(text: string | null): Quality | null {
  if (text === null || text === '' || text === 'auto') return null;
  if (!isQuality(text)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'layer must be high, mid, low or auto');
  return text;
}

/** What the node's director needs to know about a viewer to choose its relay (node/Director.ts). */
export interface ViewerQuery {
  stream: string;
  clientAddress: string;
  viewerClass: string | null;
  redirected: boolean;
}

export interface WhepServerOptions {
  nodeId: string;
  /** Whether WHEP viewers may play here (relays always; the origin only with --serve-viewers). */
  serveViewers: boolean;
  hub: StreamHub;
  engine: RtcEngine;
  authorizer: Authorizer;
  admission: Admission;
  logger: Logger;
  counters: NodeCounters;
  timers: SessionTimers;
  repair?: ViewerRepair;
  /** Where a viewer should go instead of here (a 307), if anywhere. */
  director: { decide(q: ViewerQuery): { status: { nodeId: string; publicUrl: string }; reason: string } | null };
  /** The node's graceful drain: a new viewer is redirected when it can be, else refused. */
  drain: { readonly draining: boolean; refusal(): Error };
  /** A session resource's Location on this node (signaling.ts sessionLocation). */
  location: (req: IncomingMessage, path: string) => string;
  /** Claim 5: whether a time-shifted request skips every cache on its way to the origin. */
  bypassAt: (startMs: number) => boolean;
  /** Link headers naming the TURN servers for a new session (RFC 9725 §4.6; IceServers.ts). */
  iceHeaders?: (sessionId: string) => Record<string, string[]>;
  /** Classifies a session's selected candidate pair for the log (IceRoute.ts). */
  iceRoute?: (pair: CandidatePair) => IceRoute;
}

/**
 * The WHEP server (RFC 9725): each POST /whep/{stream} is admitted, authorized, perhaps sent to
 * a better relay (307), refused while draining, and answered with a viewer session on the live
 * stream or, with `start`, on its recording (time shift). Holds the viewers until they close.
 */
export class WhepServer implements SignalingServer {
  readonly viewers = new Map<string, ViewerSession>();
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: WhepServerOptions) {
    this.log = opts.logger;
  }

  readonly route = async (req: IncomingMessage, res: ServerResponse, path: string[], url: URL): Promise<boolean> => {
    if (path[0] !== 'whep') return false;
    return signalingRoute(req, res, path, {
      post: (stream) => this.post(req, res, stream, url),
      session: (id) => this.viewers.get(id),
    });
  };

  counts(): { sessions: number; pending: number } {
    let pending = 0;
    for (const v of this.viewers.values()) if (!v.connected) pending++;
    return { sessions: this.viewers.size, pending };
  }

  private async post(req: IncomingMessage, res: ServerResponse, stream: string, url: URL): Promise<void> {
    const { opts } = this;
    if (!opts.serveViewers) throw new CanopyError(ErrorCode.FORBIDDEN, 'this node serves relays only; watch from a relay');
    if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
    if (mediaType(req) !== 'application/sdp') throw new CanopyError(ErrorCode.UNSUPPORTED_MEDIA, 'Content-Type must be application/sdp');
    const startMs = parseStart(url.searchParams.get('start'));
    const layer = parseLayer(url.searchParams.get('layer'));
    if (startMs !== null && startMs > Date.now() + 1000) throw outOfRange(stream, startMs, opts.hub.get(stream)?.buffer?.range() ?? null, 'is in the future');
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'node shutting down');
    const ip = clientIp(req);
    const ticket = opts.admission.admit(ip);
    try {
      let tokenClass: string | null = null;
      const onClaims = (c: Record<string, unknown>): void => {
        if (typeof c.class === 'string') tokenClass = c.class;
      };
      await opts.authorizer.authorize({ action: 'play', stream, token: requestToken(req, url), ip, startMs, onClaims });
      if (this.redirect(req, res, url, stream, ip, tokenClass)) return;
      if (opts.drain.draining) throw opts.drain.refusal();
      const offer = await readBody(req, MAX_SDP_BYTES);
      parseSdp(offer); // a malformed offer is a 400 before any upstream pull
      // A start before the recording plays from its beginning, with a notice (timeshiftStart.ts).
      const shifted = startMs === null ? null : await acquireTimeshift(opts.hub, stream, startMs, opts.bypassAt);
      const lease = shifted?.lease ?? (await opts.hub.acquire(stream));
      const session = new ViewerSession(stream, lease, {
        engine: opts.engine,
        logger: this.log,
        counters: opts.counters,
        timers: opts.timers,
        repair: opts.repair,
        remote: ip,
        iceRoute: opts.iceRoute,
        layer,
        onLayerSwitch: (from, to) => from && opts.counters.layerSwitches.inc({ to }),
        onLayerTime: (q, seconds) => opts.counters.layerSeconds.inc({ layer: q }, seconds),
        onLayerFallback: (reason) => opts.counters.layerFallbacks.inc({ reason: reason.replace(/ /g, '_') }),
      });
      this.viewers.set(session.id, session);
      session.once('close', () => this.viewers.delete(session.id));
      const answer = await session.start(offer);
      if (session.closed) throw new CanopyError(ErrorCode.UNAVAILABLE, 'session closed during negotiation');
      res.writeHead(201, {
        'Content-Type': 'application/sdp',
        Location: opts.location(req, `/whep/${encodeURIComponent(stream)}/${session.id}`),
        ETag: session.etag,
        ...(shifted ? { 'Canopy-Start': String(shifted.startMs) } : {}),
        ...(shifted?.notice ? { 'Canopy-Notice': shifted.notice } : {}),
        ...opts.iceHeaders?.(session.id),
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
    const to = this.opts.director.decide({
      stream,
      clientAddress: ip,
      // A verified token's class claim, else the header (which anyone may send).
      viewerClass: tokenClass ?? ((Array.isArray(header) ? header[0] : header)?.trim() || null),
      redirected: url.searchParams.has(REDIRECT_MARK),
    });
    if (!to) return false;
    const target = new URL(redirectPath(req, url), to.status.publicUrl);
    target.searchParams.set(REDIRECT_MARK, this.opts.nodeId);
    this.log.debug({ stream, to: to.status.nodeId, reason: to.reason }, 'viewer redirected');
    req.resume();
    res.writeHead(307, { Location: target.toString(), 'Cache-Control': 'no-store' });
    res.end();
    return true;
  }

  close(reason: string): void {
    this.closed = true;
    for (const v of [...this.viewers.values()]) v.close(reason);
  }
}
