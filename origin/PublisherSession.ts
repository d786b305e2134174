import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { choosePublishCodec } from '../src/codecs.js';
import type { EnginePeer, EngineTrack, PeerState, RtcEngine, TrackSpec } from '../src/engine/engine.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import type { NodeCounters } from '../src/metrics.js';
import type { Feed } from '../src/media/Feed.js';
import type { FeedSource, StreamInfo, TrackInfo } from '../src/media/types.js';
import { isKeyframe } from '../src/media/keyframe.js';
import { parseRtpHeader, stripHeaderExtension } from '../src/rtp.js';
import { parseSdp } from '../src/sdp.js';
import type { SessionTimers } from '../src/session/ViewerSession.js';

export interface PublisherSessionOptions {
  engine: RtcEngine;
  logger: Logger;
  counters: NodeCounters;
  timers: SessionTimers;
  /** REMB sent to the publisher (bits per second). */
  videoBitrate: number;
}

/**
 * One WHIP publisher: receives its RTP and feeds the stream's Feed. It is the feed's source,
 * so keyframe requests from anywhere in the tree end here as a PLI.
 *
 * Events: 'close' (reason).
 */
export class PublisherSession extends EventEmitter implements FeedSource {
  readonly kind = 'publisher';
  readonly id = randomUUID();
  closed = false;
  connected = false;
  feed: Feed | null = null;
  info: StreamInfo | null = null;
  private pc: EnginePeer | null = null;
  private readonly trackByMid = new Map<string, { info: TrackInfo; engine: EngineTrack | null; ssrc: number }>();
  private readonly engineByTrack = new Map<number, EngineTrack>();
  private timers: NodeJS.Timeout[] = [];
  private disconnectTimer: NodeJS.Timeout | null = null;
  readonly log: Logger;

  constructor(
    readonly stream: string,
    private readonly opts: PublisherSessionOptions,
  ) {
    super();
    this.log = opts.logger.child({ session: this.id, stream, kind: 'publisher' });
  }

  /** FeedSource.peer: the session id. */
  get peer(): string {
    return this.id;
  }

  get etag(): string {
    return `"${this.id}"`;
  }

  /** Negotiates the publisher's offer; returns the answer and the stream description. */
  async start(offer: string): Promise<{ answer: string; info: StreamInfo }> {
    try {
      const sdp = parseSdp(offer);
      const specs: TrackSpec[] = [];
      const tracks: TrackInfo[] = [];
      for (const m of sdp.media) {
        if (m.kind !== 'audio' && m.kind !== 'video') continue;
        const c = m.direction === 'sendonly' || m.direction === 'sendrecv' ? choosePublishCodec(m) : null;
        if (!c) {
          if (m.codecs.length) specs.push({ mid: m.mid, kind: m.kind, direction: 'inactive', codec: m.codecs[0]! });
          continue;
        }
        const info: TrackInfo = { id: tracks.length, kind: m.kind, codec: c.name, payloadType: c.payloadType, clockRate: c.clockRate, channels: c.channels, fmtp: c.fmtp };
        tracks.push(info);
        this.trackByMid.set(m.mid, { info, engine: null, ssrc: -1 });
        specs.push({ mid: m.mid, kind: m.kind, direction: 'recvonly', codec: c, receiveBitrate: m.kind === 'video' ? this.opts.videoBitrate : 0 });
      }
      if (tracks.length === 0) {
        throw new CanopyError(ErrorCode.BAD_REQUEST, 'the offer sends no supported codec (opus; VP8, VP9, AV1, or H264 with packetization-mode=1)');
      }
      this.pc = this.opts.engine.createPeer(`whip-${this.id}`, {
        onState: (s) => this.onState(s),
        onPacket: (t, p) => this.onRtp(t, p),
      });
      const answer = await this.pc.answer(offer, specs);
      for (const t of this.pc.tracks) {
        const entry = this.trackByMid.get(t.mid);
        if (entry) {
          entry.engine = t;
          this.engineByTrack.set(entry.info.id, t);
        }
      }
      this.timers.push(setTimeout(() => this.connected || this.close('connect timeout'), this.opts.timers.connectTimeoutMs));
      this.opts.counters.sessions.inc({ kind: 'publisher' });
      this.info = { name: this.stream, createdMs: Date.now(), tracks };
      return { answer, info: this.info };
    } catch (err) {
      this.close(`negotiation failed: ${(err as Error).message}`);
      throw err;
    }
  }

  private onState(s: PeerState): void {
    if (this.closed) return;
    this.log.debug({ state: s }, 'peer state');
    if (s === 'connected') {
      if (!this.connected) this.log.info('publishing');
      this.connected = true;
      if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
      this.disconnectTimer = null;
    } else if (s === 'disconnected') {
      this.disconnectTimer ??= setTimeout(() => this.close('peer disconnected'), this.opts.timers.disconnectGraceMs);
    } else if (s === 'failed' || s === 'closed') {
      this.close(`peer ${s}`);
    }
  }

  private onRtp(t: EngineTrack, packet: Buffer): void {
    const entry = this.trackByMid.get(t.mid);
    const feed = this.feed;
    if (!entry || !feed || feed.source !== this) return;
    const h = parseRtpHeader(packet);
    // Only the negotiated payload type; one SSRC per track (no simulcast, no RTX negotiated).
    if (!h || h.payloadType !== entry.info.payloadType) {
      this.opts.counters.packetsDropped.inc({ reason: 'unexpected_payload' });
      return;
    }
    if (entry.ssrc !== h.ssrc) {
      if (entry.ssrc !== -1) this.log.info({ track: entry.info.id, ssrc: h.ssrc }, 'publisher SSRC changed');
      entry.ssrc = h.ssrc;
    }
    const rtp = stripHeaderExtension(packet);
    if (rtp) feed.deliver(entry.info.id, rtp, Date.now(), entry.info.kind === 'video' && isKeyframe(entry.info.codec, rtp));
  }

  requestKeyframe(track: number): void {
    this.engineByTrack.get(track)?.requestKeyframe();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    // Only the feed's current publisher ends it; a replaced one just leaves.
    if (this.feed && this.feed.source === this && !this.feed.closed) this.feed.end(ErrorCode.STREAM_ENDED, `publisher left: ${reason}`);
    this.pc?.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
