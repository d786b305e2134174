import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { assertViewerCanPlay, chooseViewerCodec } from '../codecs.js';
import type { EnginePeer, EngineTrack, PeerState, RtcEngine, TrackSpec } from '../engine/engine.js';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { Lease } from '../media/StreamHub.js';
import type { FeedConsumer } from '../media/types.js';
import { buildSenderReport, isRtcp, parseRtcpFeedback, randomSsrc, RtpRewriter } from '../rtp.js';
import { parseSdp } from '../sdp.js';

export interface SessionTimers {
  /** Close a session whose PeerConnection has not connected by then. */
  connectTimeoutMs: number;
  /** Close a session whose PeerConnection stays disconnected (ICE consent lost, RFC 7675) this long. */
  disconnectGraceMs: number;
}

interface OutTrack {
  trackId: number;
  mid: string;
  kind: 'audio' | 'video';
  rewriter: RtpRewriter;
  engine: EngineTrack | null;
  lastCaptureMs: number;
}

const SR_INTERVAL_MS = 1000;

/**
 * One WHEP viewer: a PeerConnection fed from one feed lease. Each viewer gets its own
 * rewritten copy of every packet (SSRC, payload type, no header extensions).
 *
 * Events: 'close' (reason).
 */
export class ViewerSession extends EventEmitter implements FeedConsumer {
  readonly kind = 'viewer';
  readonly id = randomUUID();
  closed = false;
  connected = false;
  private peer: EnginePeer | null = null;
  private readonly out = new Map<number, OutTrack>();
  private readonly byMid = new Map<string, OutTrack>();
  private timers: NodeJS.Timeout[] = [];
  private disconnectTimer: NodeJS.Timeout | null = null;
  private srTimer: NodeJS.Timeout | null = null;
  readonly log: Logger;

  constructor(
    readonly stream: string,
    private readonly lease: Lease,
    private readonly opts: { engine: RtcEngine; logger: Logger; counters: NodeCounters; timers: SessionTimers },
  ) {
    super();
    this.log = opts.logger.child({ session: this.id, stream, kind: 'viewer' });
  }

  get etag(): string {
    return `"${this.id}"`;
  }

  /** Negotiates with the viewer's offer and returns the answer. On failure the session is closed. */
  async start(offer: string): Promise<string> {
    try {
      const sdp = parseSdp(offer);
      assertViewerCanPlay(sdp, this.lease.info.tracks);
      const specs: TrackSpec[] = [];
      const used = new Set<string>();
      const cname = `canopy-${this.id.slice(0, 8)}`;
      for (const t of this.lease.info.tracks) {
        for (const m of sdp.media) {
          if (used.has(m.mid) || (m.direction !== 'recvonly' && m.direction !== 'sendrecv')) continue;
          const c = chooseViewerCodec(m, t);
          if (!c) continue;
          used.add(m.mid);
          const ssrc = randomSsrc();
          const o: OutTrack = { trackId: t.id, mid: m.mid, kind: t.kind, rewriter: new RtpRewriter(ssrc, c.payloadType, t.clockRate), engine: null, lastCaptureMs: 0 };
          this.out.set(t.id, o);
          this.byMid.set(m.mid, o);
          specs.push({ mid: m.mid, kind: t.kind, direction: 'sendonly', codec: { ...c, fmtp: c.fmtp }, ssrc, cname, msid: this.stream });
          break;
        }
      }
      if (specs.length === 0) {
        const want = this.lease.info.tracks.map((t) => t.codec).join(', ');
        throw new CanopyError(ErrorCode.BAD_REQUEST, `the offer has no receiving m-line with a codec of this stream (${want})`);
      }
      for (const m of sdp.media) {
        if (used.has(m.mid) || (m.kind !== 'audio' && m.kind !== 'video') || m.codecs.length === 0) continue;
        specs.push({ mid: m.mid, kind: m.kind, direction: 'inactive', codec: m.codecs[0]! });
      }
      this.peer = this.opts.engine.createPeer(`whep-${this.id}`, {
        onState: (s) => this.onState(s),
        onTrackOpen: (t) => this.onTrackOpen(t),
        onPacket: (t, p) => this.onRtcp(t, p),
      });
      const answer = await this.peer.answer(offer, specs);
      for (const t of this.peer.tracks) this.bind(t);
      this.timers.push(setTimeout(() => this.connected || this.close('connect timeout'), this.opts.timers.connectTimeoutMs));
      this.opts.counters.sessions.inc({ kind: 'viewer' });
      this.lease.attach(this);
      return answer;
    } catch (err) {
      this.close(`negotiation failed: ${(err as Error).message}`);
      throw err;
    }
  }

  private bind(t: EngineTrack): void {
    const o = this.byMid.get(t.mid);
    if (o) o.engine = t;
  }

  private onState(s: PeerState): void {
    if (this.closed) return;
    this.log.debug({ state: s }, 'peer state');
    if (s === 'connected') {
      this.connected = true;
      if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
      this.disconnectTimer = null;
      this.srTimer ??= setInterval(() => this.sendSenderReports(), SR_INTERVAL_MS);
    } else if (s === 'disconnected') {
      this.disconnectTimer ??= setTimeout(() => this.close('peer disconnected'), this.opts.timers.disconnectGraceMs);
    } else if (s === 'failed' || s === 'closed') {
      this.close(`peer ${s}`);
    }
  }

  private onTrackOpen(t: EngineTrack): void {
    const o = this.byMid.get(t.mid);
    // A joining viewer needs a keyframe: some publishers send one only on request.
    if (o?.kind === 'video') this.lease.feed.requestKeyframe(o.trackId);
  }

  private onRtcp(t: EngineTrack, packet: Buffer): void {
    if (!isRtcp(packet)) return;
    const fb = parseRtcpFeedback(packet);
    const o = this.byMid.get(t.mid);
    if ((fb.pli || fb.fir) && o) this.lease.feed.requestKeyframe(o.trackId);
  }

  onPacket(track: number, rtp: Uint8Array, captureMs: number): void {
    const o = this.out.get(track);
    if (!o?.engine?.open) return;
    const out = o.rewriter.rewrite(rtp, Date.now());
    if (!out) {
      this.opts.counters.packetsDropped.inc({ reason: 'malformed' });
      return;
    }
    o.lastCaptureMs = captureMs;
    if (o.engine.send(out)) {
      this.opts.counters.packetsOut.add();
      this.opts.counters.bytesOut.add(out.length);
    } else {
      this.opts.counters.packetsDropped.inc({ reason: 'engine_queue' });
    }
  }

  /**
   * Our own sender reports: the engine swallows the publisher's, so we map each track's
   * rewritten RTP time to the origin's capture clock, which keeps audio and video in sync
   * (RFC 3550 §6.4.1).
   */
  private sendSenderReports(): void {
    for (const o of this.out.values()) {
      const r = o.rewriter;
      if (!o.engine?.open || r.packets === 0) continue;
      o.engine.send(buildSenderReport(r.ssrc, o.lastCaptureMs, r.lastTimestamp, r.packets, r.octets));
    }
  }

  onEnded(_code: ErrorCode, reason: string): void {
    this.close(`stream ended: ${reason}`);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    if (this.srTimer) clearInterval(this.srTimer);
    this.lease.release();
    this.peer?.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
