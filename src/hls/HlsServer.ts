import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from '../auth/Authorizer.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { clientIp, requestToken, sendError, sendText, STREAM_NAME } from '../http/http.js';
import type { Logger } from '../log.js';
import type { Counter } from '../metrics.js';
import type { Lease, StreamHub } from '../media/StreamHub.js';
import { QUALITIES, type Quality, type StreamInfo, type TrackInfo } from '../media/types.js';
import { muxableVideo } from '../mux/Fmp4Muxer.js';
import { describeCodec } from '../codecs.js';
import { acquireTimeshift } from '../media/timeshiftStart.js';
import { HLS_TIMING, HlsPackager, type HlsTiming } from './HlsPackager.js';
import { mediaPlaylist, multivariantPlaylist, renditionOf, type Rendition } from './playlist.js';

export interface HlsServerOptions {
  hub: StreamHub;
  authorizer: Authorizer;
  /** Whether viewers may play here (relays; the origin with --serve-viewers). */
  serveViewers: boolean;
  /** Claim 5: whether a time-shift start skips the caches (older than window B). */
  bypassAt: (startMs: number) => boolean;
  /** WHEP's `start` parser (epoch ms or ISO 8601). */
  parseStart: (text: string | null) => number | null;
  /** An HLS viewer's hold on its stream lasts this long after its last request (--hls-lease). */
  leaseMs: number;
  /** How long a first request waits for the first part (and a blocked one for what it asked). */
  startTimeoutMs: number;
  timing?: HlsTiming;
  logger: Logger;
  /** canopy_hls_requests_total{kind} (index, playlist, blocking, init, segment, part) and canopy_hls_parts_total. */
  counters?: { requests: Counter; parts: Counter };
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * A part or segment of this run that has left the window never comes back (its run's URLs are
 * never reused): the 404 may be cached, so players that fell behind cost the node one request
 * per URL behind a CDN, not one each (an error answered no-store reaches the node every time).
 */
const GONE = 'public, max-age=30';
/** A playlist answered to a blocking request names a point that never changes: cacheable for a few parts. */
const BLOCKING_PLAYLIST = 'public, max-age=6';
/** A plain playlist reload changes every part: a CDN may collapse requests within a second. */
const PLAYLIST = 'public, max-age=1';
const M3U8 = 'application/vnd.apple.mpegurl';

/**
 * One packager run on one feed: the lease it holds (as a viewer does), and its URLs under
 * /hls/{stream}/{gen}/ — gen is new each run, so a CDN's immutable copies of an earlier run's
 * parts can never be served for this one's.
 */
class HlsSession {
  closed = false;
  private timer: NodeJS.Timeout | null = null;
  private inflight = 0;

  constructor(
    readonly gen: string,
    readonly stream: string,
    readonly startMs: number | null,
    readonly lease: Lease,
    readonly packager: HlsPackager,
    private readonly leaseMs: number,
    private readonly onClose: (s: HlsSession, reason: string) => void,
    /** A simulcast layer's run: its layer, and the LayerDemand reference it holds on the feed. */
    readonly layer: { quality: Quality; release: () => void } | null = null,
  ) {}

  get event(): boolean {
    return this.startMs !== null;
  }

  /** A request started: the lease lasts while any is in flight and leaseMs after the last. */
  begin(): void {
    this.inflight++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  end(): void {
    this.inflight = Math.max(0, this.inflight - 1);
    if (this.inflight > 0 || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close('no HLS request within the lease'), this.leaseMs);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.packager.emit('end'); // wake blocked requests: they see closed
    this.packager.close();
    this.layer?.release();
    this.lease.release();
    this.onClose(this, reason);
  }
}

/**
 * LL-HLS at a node (docs/hls.md): GET /hls/{stream}/index.m3u8[?start=T] and the media
 * playlist, init, segments and parts it names. Pulled on demand like WebRTC: the first request
 * takes a lease on the stream's feed (shared with every other consumer at this node, so HLS
 * viewers cost the tree nothing more), and the packager runs while requests keep coming.
 */
export class HlsServer {
  readonly sessions = new Map<string, HlsSession>();
  /** Live runs by stream; time-shift runs by stream@start: the same request shares a run. */
  private readonly byKey = new Map<string, Promise<HlsSession>>();
  private readonly resolved = new Map<string, HlsSession>();
  /** Per stream with simulcast: each layer's rendition as its run found it (kept while a run of the stream lives). */
  private readonly cards = new Map<string, Map<Quality, Rendition & { track: number }>>();
  private readonly timing: HlsTiming;
  private readonly log: Logger;
  closed = false;

  constructor(private readonly opts: HlsServerOptions) {
    this.timing = opts.timing ?? HLS_TIMING;
    this.log = opts.logger.child({ component: 'hls' });
  }

  /** Routes /hls/...; false for other paths. */
  async route(req: IncomingMessage, res: ServerResponse, path: string[], url: URL): Promise<boolean> {
    if (path[0] !== 'hls') return false;
    const m = req.method ?? 'GET';
    if (m === 'OPTIONS') {
      res.writeHead(204, { Allow: 'GET, HEAD, OPTIONS' });
      res.end();
      return true;
    }
    if (m !== 'GET' && m !== 'HEAD') {
      sendText(res, 405, 'use GET', { Allow: 'GET, HEAD, OPTIONS' });
      return true;
    }
    try {
      if (!this.opts.serveViewers) throw new CanopyError(ErrorCode.FORBIDDEN, 'this node serves relays only; watch from a relay');
      const stream = path[1] ?? '';
      if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
      const layer = path.length === 3 ? LAYER_PLAYLIST.exec(path[2]!) : null;
      if (path.length === 3 && path[2] === 'index.m3u8') await this.index(req, res, stream, url);
      else if (layer) await this.layerMedia(req, res, stream, layer[1] as Quality, url);
      else if (path.length === 4) await this.resource(req, res, stream, path[2]!, path[3]!, url);
      else sendText(res, 404, 'not found (HLS: /hls/{stream}/index.m3u8)');
    } catch (err) {
      res.setHeader('Cache-Control', err instanceof GoneError ? GONE : 'no-store');
      sendError(res, err);
    }
    return true;
  }

  private async authorize(req: IncomingMessage, url: URL, stream: string, startMs: number | null): Promise<void> {
    await this.opts.authorizer.authorize({ action: 'play', stream, token: requestToken(req, url), ip: clientIp(req), startMs });
  }

  /** The query the playlist's URIs carry: the viewer's token, if it came in the URL. */
  private tokenQuery(url: URL): string {
    const t = url.searchParams.get('access_token');
    return t ? `access_token=${encodeURIComponent(t)}` : '';
  }

  private count(kind: string): void {
    this.opts.counters?.requests.inc({ kind });
  }

  private async index(req: IncomingMessage, res: ServerResponse, stream: string, url: URL): Promise<void> {
    this.count('index');
    const startMs = this.opts.parseStart(url.searchParams.get('start'));
    if (startMs !== null && startMs > Date.now() + 1000) throw new CanopyError(ErrorCode.OUT_OF_RANGE, 'start is in the future');
    await this.authorize(req, url, stream, startMs);
    if (startMs === null) {
      // What the stream carries decides the playlist: a rendition per simulcast layer, or one.
      // The hold keeps the feed while we look (it is shared with the runs started below).
      const hold = await this.opts.hub.acquire(stream);
      try {
        const layers = layerTracks(hold.info);
        if (layers.length > 1) return await this.layeredIndex(req, res, stream, url, layers);
        return await this.singleIndex(req, res, stream, null, url);
      } finally {
        hold.release();
      }
    }
    return this.singleIndex(req, res, stream, startMs, url);
  }

  /**
   * The multivariant playlist of a stream with simulcast: one EXT-X-STREAM-INF per layer, best
   * first, with the BANDWIDTH, CODECS and RESOLUTION its own packager found in it. A layer's
   * figures come from its run; a layer with no run yet (the first index of a stream not
   * packaged here) gets one, which reads them from its first segment and then stops a lease
   * later unless someone fetches its playlist ({layer}.m3u8). The figures are kept while any
   * run of the stream lives, so later index requests start nothing.
   */
  private async layeredIndex(req: IncomingMessage, res: ServerResponse, stream: string, url: URL, layers: LayerTrack[]): Promise<void> {
    let known = this.cards.get(stream);
    if (!known) this.cards.set(stream, (known = new Map()));
    const cards = known;
    await Promise.all(
      layers.map(async (l) => {
        const running = this.resolved.get(layerKey(stream, l.quality));
        const card = cards.get(l.quality);
        if (card && card.track === l.track.id && !running) return;
        const session = running ?? (await this.session(stream, null, l.quality).catch(() => null));
        if (!session) return;
        // The index's wait does not extend the run (only its own playlist's requests do), except
        // for a run it started: begin() keeps that one alive until it has its first segment.
        const fresh = !running;
        if (fresh) session.begin();
        try {
          if (await this.waitFor(session, () => playable(session.packager), req))
            if (!session.closed) cards.set(l.quality, { ...renditionOf(session.packager, `${l.quality}.m3u8`, true), track: l.track.id });
        } finally {
          if (fresh) session.end();
        }
      }),
    );
    const renditions = layers.flatMap((l) => {
      const c = cards.get(l.quality);
      return c && c.track === l.track.id ? [c] : [];
    });
    // Kept only while a run of the stream lives (each run's close drops them after the last).
    if (![...this.sessions.values()].some((x) => x.stream === stream)) this.cards.delete(stream);
    if (renditions.length === 0) {
      this.log.warn({ stream, layers: layers.map((l) => l.quality) }, 'hls: no layer to package within the start timeout');
      throw new CanopyError(ErrorCode.UNAVAILABLE, 'no media to package yet (waiting for a keyframe)');
    }
    const text = multivariantPlaylist(renditions, this.tokenQuery(url));
    this.send(req, res, text, M3U8, 'public, max-age=2', etagOf(text));
  }

  /** A simulcast layer's media playlist (GET /hls/{stream}/{layer}.m3u8): its run starts on the first request. */
  private async layerMedia(req: IncomingMessage, res: ServerResponse, stream: string, quality: Quality, url: URL): Promise<void> {
    this.count(url.searchParams.has('_HLS_msn') ? 'blocking' : 'playlist');
    await this.authorize(req, url, stream, null);
    const session = await this.session(stream, null, quality);
    session.begin();
    try {
      await this.media(req, res, session, url, `${session.gen}/`);
    } finally {
      session.end();
    }
  }

  private async singleIndex(req: IncomingMessage, res: ServerResponse, stream: string, startMs: number | null, url: URL): Promise<void> {
    const session = await this.session(stream, startMs);
    session.begin();
    try {
      const ready = await this.waitFor(session, () => playable(session.packager), req);
      if (!ready || session.closed) {
        const feed = session.lease.feed;
        this.log.warn(
          {
            stream,
            gen: session.gen,
            ...session.packager.describe(),
            feed: { state: feed.state, packetsIn: feed.packetsIn, consumers: feed.consumers.size, source: feed.source?.kind },
          },
          'hls: no media to package within the start timeout',
        );
        throw new CanopyError(ErrorCode.UNAVAILABLE, 'no media to package yet (waiting for a keyframe)');
      }
      const text = multivariantPlaylist([renditionOf(session.packager, `${session.gen}/media.m3u8`, false)], this.tokenQuery(url));
      this.send(req, res, text, M3U8, 'public, max-age=2', etagOf(text));
    } finally {
      session.end();
    }
  }

  private async session(stream: string, startMs: number | null, layer?: Quality): Promise<HlsSession> {
    const key = layer ? layerKey(stream, layer) : startMs === null ? stream : `${stream}@${startMs}`;
    const existing = this.resolved.get(key);
    // A live run whose stream ended (ENDLIST) gives way to a new one: the stream may be back.
    if (existing && existing.packager.ended && startMs === null) existing.close('stream ended; a new request started a new run');
    let p = this.byKey.get(key);
    if (!p) {
      const forget = (): void => {
        if (this.byKey.get(key) === created) this.byKey.delete(key);
        this.resolved.delete(key);
      };
      const created = this.open(stream, startMs, forget, layer);
      p = created;
      this.byKey.set(key, created);
      created.then((s) => {
        if (!s.closed) this.resolved.set(key, s);
      }, forget);
    }
    return p;
  }

  private async open(stream: string, startMs: number | null, forget: () => void, layer?: Quality): Promise<HlsSession> {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'node is shutting down');
    const gen = randomBytes(6).toString('base64url');
    let made: HlsPackager | null = null;
    // The packager attaches as soon as the lease exists: a time-shifted replay starts with the
    // keyframe at or before T, and acquireTimeshift then waits for the first packet (to name
    // a skipped gap); a packager attached after that wait missed the keyframe and started at
    // the next one (~0.6 s after T with a keyframe a second).
    const attach = (l: Lease): void => {
      try {
        assertPackageable(l.info);
      } catch {
        return; // answered below with the reason
      }
      made = new HlsPackager(l.info, {
        timing: this.timing,
        firstMsn: 0,
        event: startMs !== null,
        logger: this.log.child(layer ? { stream, gen, layer } : { stream, gen }),
        ...(layerTrack ? { videoTrack: layerTrack.id } : {}),
      });
      l.attach(made);
    };
    let layerTrack: TrackInfo | null = null;
    const lease =
      startMs === null ? await this.opts.hub.acquire(stream) : (await acquireTimeshift(this.opts.hub, stream, startMs, this.opts.bypassAt, attach)).lease;
    try {
      assertPackageable(lease.info);
      if (layer) {
        layerTrack = layerTracks(lease.info).find((l) => l.quality === layer)?.track ?? null;
        if (!layerTrack) throw new CanopyError(ErrorCode.NOT_FOUND, `this stream has no ${layer} layer`);
      }
    } catch (err) {
      lease.release();
      throw err;
    }
    // A layer's run pulls its layer (LayerDemand, per-layer pull on demand, docs/abr.md) and
    // holds it until the run stops; every HLS client of the layer shares the run.
    const layerHold = layer ? { quality: layer, release: lease.feed.layers.want(layer) } : null;
    if (startMs === null) attach(lease);
    const pk = made as HlsPackager | null;
    if (!pk) {
      layerHold?.release();
      lease.release();
      throw new CanopyError(ErrorCode.UNAVAILABLE, 'the time-shifted stream could not be packaged');
    }
    const session = new HlsSession(
      gen,
      stream,
      startMs,
      lease,
      pk,
      this.opts.leaseMs,
      (s, reason) => {
        this.sessions.delete(s.gen);
        forget();
        // A layer's figures (the multivariant playlist's) are kept while the stream is packaged here.
        if (![...this.sessions.values()].some((x) => x.stream === stream)) this.cards.delete(stream);
        this.log.info({ stream, gen: s.gen, reason, ...(layer ? { layer } : {}) }, 'hls packager stopped');
      },
      layerHold,
    );
    this.sessions.set(gen, session);
    const packager = pk;
    packager.on('part', () => this.opts.counters?.parts.inc());
    // A live run starts from the feed's last keyframe in window B, so the first part is there
    // at once; the packets the fan-out still brings after are dropped as duplicates.
    const feed = lease.feed;
    // It starts a segment back when window B has one, so the first playlist already lists a
    // complete segment (hls.js rejects a playlist of parts alone: levelEmptyError) and players
    // still start PART-HOLD-BACK from the live edge.
    const now = Date.now();
    const cursor = startMs === null ? (feed.buffer?.cursor(now - PRIME_BACK_MS) ?? feed.buffer?.cursor(now)) : null;
    let primed = 0;
    for (let p = cursor?.next(); p; p = cursor!.next()) {
      packager.onPacket(p);
      primed++;
    }
    cursor?.close();
    // Nothing yet (a fresh pull, or a replay whose first packet has not come): ask for a
    // keyframe. Not when a replay already gave packets: it would rewind to the keyframe played.
    if (primed === 0 && packager.describe()['packets'] === 0)
      for (const t of lease.info.tracks) if (t.kind === 'video' && (!layerTrack || t.id === layerTrack.id)) feed.requestKeyframe(t.id, 'viewer');
    this.log.info({ stream, gen, start: startMs, primed, ...(layer ? { layer } : {}) }, 'hls packager started');
    session.end(); // the lease timer runs from now until the first request takes it
    return session;
  }

  private async resource(req: IncomingMessage, res: ServerResponse, stream: string, gen: string, name: string, url: URL): Promise<void> {
    const session = this.sessions.get(gen);
    if (!session || session.stream !== stream) throw new CanopyError(ErrorCode.NOT_FOUND, 'this HLS playlist has expired; load index.m3u8 again');
    await this.authorize(req, url, stream, session.startMs);
    session.begin();
    try {
      const p = session.packager;
      if (name === 'media.m3u8') {
        this.count(url.searchParams.has('_HLS_msn') ? 'blocking' : 'playlist');
        return await this.media(req, res, session, url);
      }
      if (name === 'init.mp4') {
        this.count('init');
        const init = p.init;
        if (!init) throw new CanopyError(ErrorCode.NOT_FOUND, 'no init segment yet');
        return this.send(req, res, init, 'video/mp4', IMMUTABLE, `"${gen}-init"`);
      }
      const seg = /^s(\d{1,9})\.m4s$/.exec(name);
      if (seg) {
        this.count('segment');
        const msn = Number(seg[1]);
        if (msn > p.nextSegmentMsn + 1) throw new CanopyError(ErrorCode.NOT_FOUND, 'no such segment');
        await this.waitFor(session, () => p.has(msn), req);
        const s = p.segment(msn);
        if (p.gone(msn)) throw new GoneError(`segment ${msn} has left the playlist window; load the playlist again`);
        if (!s?.complete || s.parts.some((x) => !x.bytes)) throw new CanopyError(ErrorCode.NOT_FOUND, 'segment not available');
        return this.send(req, res, Buffer.concat(s.parts.map((x) => x.bytes!)), 'video/mp4', IMMUTABLE, `"${gen}-s${msn}"`);
      }
      const part = /^p(\d{1,9})\.(\d{1,4})\.m4s$/.exec(name);
      if (part) {
        this.count('part');
        const msn = Number(part[1]);
        const i = Number(part[2]);
        // A preload hint's part (the next one) is answered when it is ready (RFC 8216bis §6.2.5.3);
        // anything further ahead is not known.
        if (msn > p.nextSegmentMsn + 1) throw new CanopyError(ErrorCode.NOT_FOUND, 'no such part');
        await this.waitFor(session, () => p.ended || p.has(msn, i), req);
        const x = p.segment(msn)?.parts[i];
        if (p.gone(msn)) throw new GoneError(`part ${msn}.${i} has left the playlist window; load the playlist again`);
        if (!x?.bytes) throw new CanopyError(ErrorCode.NOT_FOUND, 'no such part');
        return this.send(req, res, x.bytes, 'video/mp4', IMMUTABLE, `"${gen}-p${msn}.${i}"`);
      }
      throw new CanopyError(ErrorCode.NOT_FOUND, 'not found');
    } finally {
      session.end();
    }
  }

  /** The media playlist; with _HLS_msn (and _HLS_part), held until that part exists (RFC 8216bis §6.2.5.2). */
  private async media(req: IncomingMessage, res: ServerResponse, session: HlsSession, url: URL, prefix = ''): Promise<void> {
    const p = session.packager;
    const msnText = url.searchParams.get('_HLS_msn');
    const partText = url.searchParams.get('_HLS_part');
    let cache = PLAYLIST;
    if (msnText !== null) {
      if (!/^\d{1,9}$/.test(msnText) || (partText !== null && !/^\d{1,4}$/.test(partText)))
        throw new CanopyError(ErrorCode.BAD_REQUEST, '_HLS_msn and _HLS_part must be integers');
      const msn = Number(msnText);
      const part = partText === null ? undefined : Number(partText);
      // §6.2.5.2: a request more than two segments ahead of the playlist is a 400.
      if (msn > p.lastMsn + 2) throw new CanopyError(ErrorCode.BAD_REQUEST, `_HLS_msn ${msn} is more than two segments past the last (${p.lastMsn})`);
      const ok = await this.waitFor(session, () => p.ended || p.has(msn, part), req);
      if (!ok) throw new CanopyError(ErrorCode.UNAVAILABLE, 'the requested part did not arrive in time');
      cache = BLOCKING_PLAYLIST;
    } else if (partText !== null) throw new CanopyError(ErrorCode.BAD_REQUEST, '_HLS_part needs _HLS_msn');
    else if (!(await this.waitFor(session, () => playable(p), req)))
      throw new CanopyError(ErrorCode.UNAVAILABLE, 'no complete segment yet (waiting for a keyframe)');
    if (session.closed) throw new CanopyError(ErrorCode.NOT_FOUND, 'this HLS playlist has expired; load index.m3u8 again');
    const text = mediaPlaylist(p, this.tokenQuery(url), session.event, prefix);
    this.send(req, res, text, M3U8, cache, etagOf(text));
  }

  /** Resolves true when ready() holds, false after 3 target durations (or the start timeout at first) or when the client left. */
  private waitFor(session: HlsSession, ready: () => boolean, req: IncomingMessage): Promise<boolean> {
    if (ready() || session.closed) return Promise.resolve(ready());
    const p = session.packager;
    const limit = p.lastMsn < 0 ? this.opts.startTimeoutMs : 3 * this.timing.targetDurationS * 1000;
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        clearTimeout(timer);
        p.off('part', check);
        p.off('end', check);
        req.socket?.off('close', gone);
        resolve(v);
      };
      const check = (): void => {
        if (session.closed) done(false);
        else if (ready()) done(true);
      };
      const gone = (): void => done(false);
      const timer = setTimeout(() => done(ready()), limit);
      p.on('part', check);
      p.on('end', check);
      req.socket?.once('close', gone);
    });
  }

  private send(req: IncomingMessage, res: ServerResponse, body: string | Uint8Array, type: string, cache: string, etag: string): void {
    if (res.headersSent) return;
    const headers = { 'Content-Type': type, 'Cache-Control': cache, ETag: etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  close(reason = 'shutdown'): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions.values()]) s.close(reason);
  }
}

/** A 404 for a part or segment that has left the window for good (cacheable: GONE). */
class GoneError extends CanopyError {
  constructor(message: string) {
    super(ErrorCode.NOT_FOUND, message);
  }
}

/** GET /hls/{stream}/{layer}.m3u8: a simulcast layer's media playlist. */
const LAYER_PLAYLIST = new RegExp(`^(${QUALITIES.join('|')})\\.m3u8$`);

const layerKey = (stream: string, q: Quality): string => `${stream}#${q}`;

interface LayerTrack {
  quality: Quality;
  track: TrackInfo;
}

/**
 * The simulcast layers of the stream's first video source, best first (as the tracks are
 * listed); empty without simulcast. A stream with one layer has a single rendition as before.
 */
function layerTracks(info: StreamInfo): LayerTrack[] {
  const first = info.tracks.find((t) => t.kind === 'video');
  const group = first?.layer?.group;
  if (group === undefined) return [];
  return info.tracks.filter((t) => t.kind === 'video' && t.layer?.group === group).map((t) => ({ quality: t.layer!.quality, track: t }));
}

/** Window B is searched this far back for the keyframe a live run starts at (one segment and a bit). */
const PRIME_BACK_MS = 2500;

/**
 * A playlist players can start from: the init segment, the codecs and one complete segment (an
 * EXTINF). hls.js treats a live playlist of parts alone as empty (levelEmptyError) and, after
 * its retries, fails; the first playlist request waits for a segment instead (or the end).
 */
function playable(p: HlsPackager): boolean {
  return p.init !== null && p.codecs !== '' && (p.segments.length > 0 || (p.ended && p.lastMsn >= 0));
}

function etagOf(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64url').slice(0, 16)}"`;
}

/** 406 for a stream HLS cannot carry (RFC 8216bis §3: fMP4 holds H.264, H.265, AV1, VP9 by player support; not VP8). */
export function assertPackageable(info: StreamInfo): void {
  for (const t of info.tracks) {
    if (t.kind === 'video' && !muxableVideo(t.codec)) {
      throw new CanopyError(ErrorCode.NOT_ACCEPTABLE, `this stream's video is ${describeCodec(t)}, which HLS cannot carry; watch it over WebRTC (WHEP)`);
    }
  }
  if (!info.tracks.some((t) => (t.kind === 'video' && muxableVideo(t.codec)) || t.codec.toLowerCase() === 'opus')) {
    throw new CanopyError(ErrorCode.NOT_ACCEPTABLE, 'this stream has no track HLS can carry');
  }
}
