import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from '../src/auth/Authorizer.js';
import type { CandidatePair, RtcEngine } from '../src/engine/engine.js';
import type { IceRoute } from '../src/session/IceRoute.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import type { Admission } from '../src/http/Admission.js';
import { clientIp, mediaType, readBody, requestToken, STREAM_NAME } from '../src/http/http.js';
import { signalingRoute, type SignalingServer } from '../src/http/signaling.js';
import type { Logger } from '../src/log.js';
import type { ArchiveStore } from '../src/media/ArchiveStore.js';
import type { StreamHub } from '../src/media/StreamHub.js';
import type { StreamInfo } from '../src/media/types.js';
import type { NodeCounters } from '../src/metrics.js';
import { MAX_SDP_BYTES } from '../src/sdp.js';
import type { SessionTimers } from '../src/session/ViewerSession.js';
import type { OriginConfig } from './config.js';
import { PublisherSession } from './PublisherSession.js';
import type { SessionLedger } from './SessionLedger.js';

export interface WhipServerOptions {
  hub: StreamHub;
  engine: RtcEngine;
  authorizer: Authorizer;
  admission: Admission;
  logger: Logger;
  counters: NodeCounters;
  timers: SessionTimers;
  publisherReplace: OriginConfig['publisherReplace'];
  videoBitrate: OriginConfig['publishBitrate'];
  transportCc: OriginConfig['publishTransportCc'];
  lossRepair: boolean;
  /** Where each new publisher's stream is recorded (--data-dir). */
  archive: ArchiveStore | null;
  /** Live WHIP sessions' ports and ICE credentials on disk (with --data-dir), for after a crash. */
  ledger: SessionLedger | null;
  /** A session resource's Location on this node (signaling.ts sessionLocation). */
  location: (req: IncomingMessage, path: string) => string;
  /** Link headers naming the TURN servers for a new session (RFC 9725 §4.6; IceServers.ts). */
  iceHeaders?: (sessionId: string) => Record<string, string[]>;
  /** Classifies a session's selected candidate pair for the log (IceRoute.ts). */
  iceRoute?: (pair: CandidatePair) => IceRoute;
}

/**
 * The origin's WHIP server (RFC 9725), the WHEP server's sibling (src/session/WhepServer.ts):
 * each POST /whip/{stream} is admitted, authorized and answered with a publisher session that
 * becomes the stream's source, at once or, on a live stream, once its own media flows
 * (--publisher-replace). Holds the publishers until they close.
 */
export class WhipServer implements SignalingServer {
  /** The live publisher of each stream. */
  readonly publishers = new Map<string, PublisherSession>();
  /**
   * Publishers that arrived while their stream was live: each takes over only once its own
   * media flows (--publisher-replace after-media); until then the live one keeps the stream.
   */
  readonly pendingPublishers = new Set<PublisherSession>();
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: WhipServerOptions) {
    this.log = opts.logger;
  }

  readonly route = async (req: IncomingMessage, res: ServerResponse, path: string[], url: URL): Promise<boolean> => {
    if (path[0] !== 'whip') return false;
    return signalingRoute(req, res, path, {
      post: (stream) => this.post(req, res, stream, url),
      session: (id) => [...this.publishers.values(), ...this.pendingPublishers].find((p) => p.id === id),
      authorize: (session) => this.authorize(req, url, session.stream),
    });
  };

  /** RFC 9725 §4.5: the publisher's credential, on the endpoint and on its session. */
  private async authorize(req: IncomingMessage, url: URL, stream: string): Promise<void> {
    await this.opts.authorizer.authorize({ action: 'publish', stream, token: requestToken(req, url), ip: clientIp(req) });
  }

  counts(): { sessions: number; pending: number } {
    let pending = 0;
    for (const p of this.publishers.values()) if (!p.connected) pending++;
    for (const p of this.pendingPublishers) if (!p.connected) pending++;
    return { sessions: this.publishers.size + this.pendingPublishers.size, pending };
  }

  private async post(req: IncomingMessage, res: ServerResponse, stream: string, url: URL): Promise<void> {
    const { opts } = this;
    if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
    if (mediaType(req) !== 'application/sdp') throw new CanopyError(ErrorCode.UNSUPPORTED_MEDIA, 'Content-Type must be application/sdp');
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'origin shutting down');
    const ticket = opts.admission.admit(clientIp(req));
    try {
      await this.authorize(req, url, stream);
      if (opts.publisherReplace === 'never' && this.publishers.has(stream)) {
        throw new CanopyError(ErrorCode.CONFLICT, `stream ${stream} is live and this origin never replaces a live publisher`);
      }
      const offer = await readBody(req, MAX_SDP_BYTES);
      const session = new PublisherSession(stream, {
        engine: opts.engine,
        logger: this.log,
        counters: opts.counters,
        timers: opts.timers,
        videoBitrate: opts.videoBitrate,
        transportCc: opts.transportCc,
        lossRepair: opts.lossRepair,
        remote: clientIp(req),
        iceRoute: opts.iceRoute,
      });
      const { answer, info } = await session.start(offer);
      if (this.closed) {
        session.close('origin shutting down');
        throw new CanopyError(ErrorCode.SHUTDOWN, 'origin shutting down');
      }
      if (!this.publishers.has(stream)) this.install(stream, session, info);
      else if (opts.publisherReplace === 'never') {
        session.close('stream went live meanwhile');
        throw new CanopyError(ErrorCode.CONFLICT, `stream ${stream} is live and this origin never replaces a live publisher`);
      } else {
        // A publisher on a live stream takes over only once its own PeerConnection carries
        // media: a stranger's POST, a session that never completes ICE, or one that sends
        // nothing leaves the broadcaster and its viewers untouched.
        this.pendingPublishers.add(session);
        session.once('close', () => this.pendingPublishers.delete(session));
        session.once('media', () => {
          if (session.closed || !this.pendingPublishers.delete(session)) return;
          this.log.info({ stream, session: session.id }, 'new publisher has media: taking over the stream');
          try {
            this.install(stream, session, info);
          } catch (err) {
            // Runs in the engine's packet callback: never let it throw there (the hub may be closing).
            session.close(`cannot take over: ${(err as Error).message}`);
          }
        });
        this.log.info({ stream, session: session.id }, 'publisher waits for its media before replacing the live one');
      }
      res.writeHead(201, {
        'Content-Type': 'application/sdp',
        Location: opts.location(req, `/whip/${encodeURIComponent(stream)}/${session.id}`),
        ETag: session.etag,
        ...opts.iceHeaders?.(session.id),
      });
      res.end(answer);
    } finally {
      ticket.release();
    }
  }

  /** Makes a session the stream's publisher; a previous one is closed (its viewers continue when the tracks match). */
  private install(stream: string, session: PublisherSession, info: StreamInfo): void {
    const { archive, ledger } = this.opts;
    const previous = this.publishers.get(stream);
    const feed = this.opts.hub.publish(stream, session, info);
    session.feed = feed;
    // The recorder is one more consumer of the stream; the feed ends it when the stream ends.
    if (archive && !feed.has('recorder')) feed.attach(archive.writer(stream, info), { store: true });
    this.publishers.set(stream, session);
    const ghost = session.ghost;
    if (ghost) ledger?.add(session.id, ghost);
    session.once('close', () => {
      if (this.publishers.get(stream) === session) this.publishers.delete(stream);
      // Sessions a shutdown ends stay in the ledger: the next start tells their clients.
      if (!this.closed) ledger?.remove(session.id);
    });
    previous?.close('replaced by a new publisher');
  }

  close(reason: string): void {
    this.closed = true;
    for (const p of [...this.publishers.values(), ...this.pendingPublishers]) p.close(reason);
  }
}
