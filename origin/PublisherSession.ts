import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { choosePublishCodec } from '../src/codecs.js';
import type { CandidatePair, EnginePeer, EngineTrack, PeerState, RtcEngine, TrackSpec } from '../src/engine/engine.js';
import type { IceRoute } from '../src/session/IceRoute.js';
import { routeFields } from '../src/session/ViewerSession.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import type { NodeCounters } from '../src/metrics.js';
import type { Feed } from '../src/media/Feed.js';
import { QUALITIES, type FeedSource, type StreamInfo, type TrackInfo } from '../src/media/types.js';
import { isKeyframe } from '../src/media/keyframe.js';
import { mediaPacket } from '../src/media/MediaPacket.js';
import { offeredExtIds, offeredRtx, offersFeedback } from '../src/engine/negotiate.js';
import { TWCC_URI } from '../src/engine/nativeSdp.js';
import { RtpReceiver } from '../src/engine/RtpReceiver.js';
import { TwccRecorder } from '../src/engine/TwccRecorder.js';
import { holdLoopStall } from '../src/engine/LoopStall.js';
import { buildBye } from '../src/rtcp.js';
import { isRtcp, randomSsrc } from '../src/rtp.js';
import { parseSdp } from '../src/sdp.js';
import { addToSection, layerQualities, parseSimulcastOffer, simulcastAnswerLines } from '../src/engine/simulcast.js';
import { SimulcastIngest } from './SimulcastIngest.js';
import type { SessionTimers } from '../src/session/ViewerSession.js';

export interface PublisherSessionOptions {
  engine: RtcEngine;
  logger: Logger;
  counters: NodeCounters;
  timers: SessionTimers;
  /** REMB sent to the publisher (bits per second) when it does not negotiate transport-cc. */
  videoBitrate: number;
  /**
   * Negotiate transport-cc with publishers that offer it and send them transport-wide feedback
   * instead of the fixed REMB (docs/abr.md "Publishers: transport-cc"). Default true.
   */
  transportCc?: boolean;
  /** Negotiate NACK and RTX and ask the publisher for lost packets (docs/repair.md). */
  lossRepair: boolean;
  /** The client's address, for the operator's log. */
  remote?: string;
  /** Classifies the selected candidate pair for the log (knows our TURN servers). */
  iceRoute?: (pair: CandidatePair) => IceRoute;
}

interface InTrack {
  info: TrackInfo;
  engine: EngineTrack | null;
  receiver: RtpReceiver | null;
  /** Negotiated: RTX payload type, and whether the publisher takes NACKs. */
  rtxPayloadType: number | null;
  nack: boolean;
  /** The track's simulcast layers (RFC 8853), when the offer sends them. */
  simulcast: SimulcastIngest | null;
  /** With simulcast: each layer's own track of the stream, by rid (info is the top layer's). */
  layers: Map<string, TrackInfo>;
}

/** Receiver reports, REMB with them (RFC 3550 §6.2: about once a second for one sender). */
const REPORT_INTERVAL_MS = 1000;

/**
 * One WHIP publisher: receives its RTP and feeds the stream's Feed. It is the feed's source,
 * so keyframe requests from anywhere in the tree end here as a PLI. Each track has an
 * RtpReceiver that asks for lost packets and writes our RTCP (reports, REMB, PLI).
 *
 * Events: 'close' (reason), 'media' (its first RTP packet arrived).
 */
export interface PublisherSessionEvents {
  close: [reason: string];
  /** Its first RTP packet arrived. */
  media: [];
}

export class PublisherSession extends EventEmitter<PublisherSessionEvents> implements FeedSource {
  readonly kind = 'publisher';
  readonly id = randomUUID();
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  connected = false;
  /** When the PeerConnection first connected (0: never), for the operator's log. */
  private connectedAt = 0;
  feed: Feed | null = null;
  info: StreamInfo | null = null;
  private pc: EnginePeer | null = null;
  private readonly trackByMid = new Map<string, InTrack>();
  private readonly receiverByTrack = new Map<number, RtpReceiver>();
  private timers: NodeJS.Timeout[] = [];
  private reportTimer: NodeJS.Timeout | null = null;
  private disconnectTimer: NodeJS.Timeout | null = null;
  /** Whether any RTP has arrived (OriginServer's replacement policy waits for it). */
  mediaFlowing = false;
  /** Our SSRC in the RTCP we originate. */
  private readonly rtcpSsrc = randomSsrc();
  /** Transport-wide feedback to the publisher, when it negotiated transport-cc (else REMB). */
  private twcc: TwccRecorder | null = null;
  /** Releases the event-loop stall monitor the TwccRecorder reads (held while it lives). */
  private releaseLoopStall: (() => void) | null = null;
  /** The negotiated transport-cc extension id (0: none). */
  private twccExtId = 0;
  readonly log: Logger;

  constructor(
    readonly stream: string,
    private readonly opts: PublisherSessionOptions,
  ) {
    super();
    this.log = opts.logger.child({ session: this.id, stream, kind: 'publisher', remote: opts.remote });
  }

  /** Our UDP port and ICE credentials (for the session ledger and a tombstone). */
  get ghost(): EnginePeer['localIce'] {
    return this.pc?.localIce ?? null;
  }

  /** The candidate pair ICE selected for this publisher (null before it connects). */
  selectedPair(): CandidatePair | null {
    return this.pc?.selectedPair?.() ?? null;
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
      // Transport-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01) when offered, the
      // extension and `a=rtcp-fb:<pt> transport-cc` for the codec we take: the publisher's own
      // estimator then ramps up with probing, where a fixed REMB only caps a slow loss-based
      // climb. One id for the BUNDLE: the first such section's.
      const twccIds = this.opts.transportCc === false ? new Map<string, number>() : offeredExtIds(offer, TWCC_URI);
      const twccOf = (m: (typeof sdp.media)[number]): number => {
        const c = (m.kind === 'audio' || m.kind === 'video') && (m.direction === 'sendonly' || m.direction === 'sendrecv') ? choosePublishCodec(m) : null;
        return c && offersFeedback(c, 'transport-cc') ? (twccIds.get(m.mid) ?? 0) : 0;
      };
      const twccId = sdp.media.map(twccOf).find((id) => id > 0) ?? 0;
      const twccMids = new Set<string>();
      for (const m of sdp.media) {
        if (m.kind !== 'audio' && m.kind !== 'video') continue;
        const c = m.direction === 'sendonly' || m.direction === 'sendrecv' ? choosePublishCodec(m) : null;
        if (!c) {
          if (m.codecs.length) specs.push({ mid: m.mid, kind: m.kind, direction: 'inactive', codec: m.codecs[0]! });
          continue;
        }
        const base = {
          kind: m.kind as 'audio' | 'video',
          codec: c.name,
          payloadType: c.payloadType,
          clockRate: c.clockRate,
          channels: c.channels,
          fmtp: c.fmtp,
        };
        // Simulcast (RFC 8853) with the rid extension: each layer is a track of its own, best
        // first, sharing the group id of the top one (docs/abr.md).
        const sim = m.kind === 'video' ? parseSimulcastOffer(offer, m.mid) : null;
        const layers = new Map<string, TrackInfo>();
        if (sim?.extIds.rid) {
          const q = layerQualities(sim.rids);
          const group = tracks.length;
          const order = [...q.entries()].sort((a, b) => QUALITIES.indexOf(a[1]) - QUALITIES.indexOf(b[1]));
          for (const [rid, quality] of order) {
            const t: TrackInfo = { id: tracks.length, ...base, layer: { rid, quality, group } };
            tracks.push(t);
            layers.set(rid, t);
          }
        }
        const info: TrackInfo = layers.size ? tracks[tracks.length - layers.size]! : { id: tracks.length, ...base };
        if (!layers.size) tracks.push(info);
        // Browsers send RTX once it is negotiated (RFC 4588 §8.1) and answer NACKs once
        // `nack` is; we answer only what the offer has.
        const repair = this.opts.lossRepair;
        const rtx = repair ? offeredRtx(m, c.payloadType) : null;
        const nack = repair && offersFeedback(c, 'nack');
        this.trackByMid.set(m.mid, { info, engine: null, receiver: null, rtxPayloadType: rtx?.payloadType ?? null, nack, simulcast: null, layers });
        const twcc = twccId > 0 && twccOf(m) === twccId;
        if (twcc) twccMids.add(m.mid);
        const feedback = [...(m.kind === 'audio' && nack ? ['nack'] : []), ...(twcc ? ['transport-cc'] : [])];
        specs.push({
          mid: m.mid,
          kind: m.kind,
          direction: 'recvonly',
          codec: c,
          ...(rtx ? { rtx: { payloadType: rtx.payloadType } } : {}),
          ...(feedback.length ? { feedback } : {}),
        });
      }
      if (tracks.length === 0) {
        throw new CanopyError(ErrorCode.BAD_REQUEST, 'the offer sends no supported codec (opus; VP8, VP9, AV1, H265, or H264 with packetization-mode=1)');
      }
      // Simulcast layers with no a=ssrc beside other m-sections (Chromium and OBS with audio):
      // only an engine that routes by payload type delivers them (docs/abr.md).
      const payloadTypeRouting =
        specs.length > 1 && [...this.trackByMid].some(([mid, e]) => e.layers.size > 0 && (sdp.media.find((m) => m.mid === mid)?.ssrcs.length ?? 0) === 0);
      this.pc = this.opts.engine.createPeer(`whip-${this.id}`, {
        role: 'publisher',
        payloadTypeRouting,
        onState: (s) => this.onState(s),
        onPacket: (t, p) => this.onRtp(t, p),
      });
      if (payloadTypeRouting && this.pc.routesByPayloadType) this.log.info('simulcast beside other tracks: publisher on the native engine');
      let answer = await this.pc.answer(offer, specs);
      // libdatachannel 0.24.5 writes no a=extmap of its own: the offer's id, in each section that had it.
      for (const mid of twccMids) answer = addToSection(answer, mid, [`a=extmap:${twccId} ${TWCC_URI}`]);
      this.twccExtId = twccMids.size ? twccId : 0;
      if (this.twccExtId) {
        // Arrivals stamped here are the JS thread's: a stall of the loop must not read as the
        // publisher's path queueing (docs/abr.md "Publishers: stalls of the origin's loop").
        const stall = holdLoopStall();
        this.releaseLoopStall = stall.release;
        this.twcc = new TwccRecorder({
          extId: this.twccExtId,
          senderSsrc: this.rtcpSsrc,
          send: (rtcp) => this.sendRtcp(rtcp),
          ready: () => [...this.trackByMid.values()].some((e) => e.engine?.open),
          stall: stall.monitor,
          onStallAdjusted: (feedback, arrivals) => {
            if (feedback) this.opts.counters.twccStallAdjusted.inc({ what: 'feedback' }, feedback);
            if (arrivals) this.opts.counters.twccStallAdjusted.inc({ what: 'arrivals' }, arrivals);
          },
        });
      }
      for (const t of this.pc.tracks) {
        const entry = this.trackByMid.get(t.mid);
        if (entry) {
          entry.engine = t;
          entry.receiver = this.receiver(entry, t);
          this.receiverByTrack.set(entry.info.id, entry.receiver);
          answer = this.acceptSimulcast(offer, answer, entry, t, sdp.media.find((m) => m.mid === t.mid)?.ssrcs.length ?? 0);
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

  private receiver(entry: InTrack, t: EngineTrack): RtpReceiver {
    const info = entry.info;
    return new RtpReceiver({
      payloadType: info.payloadType,
      clockRate: info.clockRate,
      rtxPayloadType: entry.rtxPayloadType,
      nack: entry.nack,
      rembBps: info.kind === 'video' && !this.twccExtId ? this.opts.videoBitrate : 0,
      cname: `canopy-${this.id.slice(0, 8)}`,
      out: t,
      counters: this.opts.counters,
      deliver: (rtp, late) => this.deliver(info, rtp, late),
      onNewSource: (ssrc) => this.log.info({ track: info.id, ssrc }, 'publisher SSRC changed'),
    });
  }

  /**
   * Receives the offer's simulcast on a video track: completes the answer (the engine drops the
   * rid, simulcast and extmap lines) and demultiplexes the layers (SimulcastIngest).
   */
  private acceptSimulcast(offer: string, answer: string, entry: InTrack, t: EngineTrack, offeredSsrcs: number): string {
    if (entry.info.kind !== 'video') return answer;
    const s = parseSimulcastOffer(offer, t.mid);
    if (!s) return answer;
    if (!s.extIds.rid || entry.layers.size === 0) {
      this.log.warn({ mid: t.mid, rids: s.rids }, 'simulcast offered without the rid header extension (RFC 8852): answered without simulcast');
      return answer;
    }
    // libdatachannel 0.24.5 routes RTP by the offer's a=ssrc lines and, with one track, sends
    // every packet to it; it reads no rid or mid extension. Unlisted layer SSRCs on a
    // connection with more tracks are dropped natively (docs/abr.md). The native engine
    // routes by payload type and takes them.
    const routed = offeredSsrcs > 0 || (this.pc?.tracks.length ?? 0) === 1 || this.pc?.routesByPayloadType === true;
    if (!routed)
      this.log.warn(
        { mid: t.mid, rids: s.rids },
        'simulcast layers without a=ssrc beside other tracks: node-datachannel (libdatachannel 0.24.5) cannot route them; publish on the native engine (--publisher-engine native)',
      );
    const info = entry.info;
    entry.simulcast = new SimulcastIngest(s, {
      receiver: (rid) =>
        new RtpReceiver({
          payloadType: info.payloadType,
          clockRate: info.clockRate,
          rtxPayloadType: entry.rtxPayloadType,
          nack: entry.nack,
          rembBps: this.twccExtId ? 0 : this.opts.videoBitrate,
          cname: `canopy-${this.id.slice(0, 8)}`,
          out: t,
          counters: this.opts.counters,
          deliver: (rtp, late) => entry.simulcast?.deliverFrom(rid, rtp, late),
          onNewSource: (ssrc) => this.log.info({ track: info.id, rid, ssrc }, 'publisher layer SSRC changed'),
        }),
      deliver: (rid, rtp, late) => {
        const layer = entry.layers.get(rid);
        if (layer) this.deliver(layer, rtp, late);
      },
      isKeyframe: (rtp) => isKeyframe(info.codec, rtp),
      log: this.log.child({ track: info.id }),
    });
    this.log.info({ mid: t.mid, rids: s.rids, dropped: s.dropped, extIds: s.extIds }, 'publisher sends simulcast');
    return addToSection(answer, t.mid, simulcastAnswerLines(s));
  }

  /** Transport-wide RTCP (feedback is about the whole transport): on the first open track. */
  private sendRtcp(rtcp: Buffer): boolean {
    for (const e of this.trackByMid.values()) if (e.engine?.open) return e.engine.send(rtcp);
    return false;
  }

  /**
   * Transport-cc towards the publisher: the extension id, feedback packets sent, arrivals spread
   * over a loop stall, statuses sent as lost and those that came after (null: REMB only).
   */
  transportCcState(): {
    extId: number;
    feedbackSent: number;
    intervalMs: number;
    stallAdjusted: number;
    reportedLost: number;
    arrivedAfterLost: number;
  } | null {
    const t = this.twcc;
    if (!t) return null;
    const { sent: feedbackSent, stallAdjusted, reportedLost, arrivedAfterLost } = t;
    return { extId: this.twccExtId, feedbackSent, intervalMs: Math.round(t.feedbackIntervalMs), stallAdjusted, reportedLost, arrivedAfterLost };
  }

  /** Per track with simulcast: its layers (rid, SSRCs, packets, bit rate). */
  simulcastState(): Array<{ track: number } & ReturnType<SimulcastIngest['state']>> {
    const out: Array<{ track: number } & ReturnType<SimulcastIngest['state']>> = [];
    for (const e of this.trackByMid.values()) if (e.simulcast) out.push({ track: e.info.id, ...e.simulcast.state() });
    return out;
  }

  private onState(s: PeerState): void {
    if (this.closed) return;
    this.log.debug({ state: s }, 'peer state');
    if (s === 'connected') {
      if (!this.connected) {
        this.connectedAt = Date.now();
        this.log.info({ ...routeFields(this.selectedPair(), this.opts.iceRoute), feedback: this.twcc ? 'transport-cc' : 'remb' }, 'publisher connected');
      }
      this.connected = true;
      this.twcc?.start(() => performance.now());
      this.reportTimer ??= setInterval(() => {
        const now = Date.now();
        for (const r of this.receiverByTrack.values()) r.sendReports(now);
        for (const e of this.trackByMid.values()) e.simulcast?.tick(now);
      }, REPORT_INTERVAL_MS);
      if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
      this.disconnectTimer = null;
    } else if (s === 'disconnected') {
      this.disconnectTimer ??= setTimeout(() => this.close('peer disconnected'), this.opts.timers.disconnectGraceMs);
    } else if (s === 'failed' || s === 'closed') {
      this.close(`peer ${s}`);
    }
  }

  private onRtp(t: EngineTrack, packet: Buffer): void {
    const rtcp = isRtcp(packet);
    // Every RTP packet the transport delivered, before any check: the sender's estimate is of the path.
    if (!rtcp) this.twcc?.onRtp(packet, performance.now());
    if (!rtcp && !this.mediaFlowing) {
      // Media, not just RTCP: a pending publisher takes over only once it really sends.
      // Before reading this.feed: a pending publisher is installed by this event's listener.
      this.mediaFlowing = true;
      this.emit('media');
    }
    const entry = this.trackByMid.get(t.mid);
    const feed = this.feed;
    if (!entry?.receiver || !feed || feed.source !== this) return;
    if (rtcp) {
      entry.receiver.onRtcp(packet, Date.now());
      entry.simulcast?.onRtcp(packet, Date.now());
      return;
    }
    if (entry.simulcast) {
      const r = entry.simulcast.onRtp(packet, Date.now());
      if (r !== 'ok') this.opts.counters.packetsDropped.inc({ reason: r });
      return;
    }
    // One SSRC per track (no simulcast): the media payload type, or RTX carrying it.
    const r = entry.receiver.onRtp(packet, Date.now());
    if (r === 'unexpected_payload') this.opts.counters.packetsDropped.inc({ reason: 'unexpected_payload' });
    else if (r === 'duplicate') this.opts.counters.packetsDropped.inc({ reason: 'duplicate' });
  }

  /**
   * A packet for the feed, recovered ones included: the tree forwards them whenever they come
   * (receivers' jitter buffers reorder) and every node's history takes them. A late packet
   * never starts a GOP in the time-shift buffers, which index in arrival order.
   */
  private deliver(info: TrackInfo, rtp: Uint8Array, late: boolean): void {
    const feed = this.feed;
    if (!feed || feed.source !== this) return;
    feed.deliver(mediaPacket(info.id, rtp, Date.now(), !late && info.kind === 'video' && isKeyframe(info.codec, rtp)));
  }

  requestKeyframe(track: number): void {
    for (const e of this.trackByMid.values()) {
      if (!e.simulcast) continue;
      for (const [rid, t] of e.layers) if (t.id === track) return e.simulcast.requestKeyframe(rid);
    }
    this.receiverByTrack.get(track)?.requestKeyframe();
  }

  /**
   * Ends the session. A broadcaster that ends it itself (DELETE) ends the stream; one that is
   * lost (ICE failure, timeout, origin shutdown) leaves the stream waiting for it to come
   * back within --reconnect-grace, viewers attached all over the tree.
   */
  close(reason: string, opts: { byClient?: boolean } = {}): void {
    if (this.closed) return;
    this.#closed = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    if (this.reportTimer) clearInterval(this.reportTimer);
    this.twcc?.close();
    this.releaseLoopStall?.();
    for (const r of this.receiverByTrack.values()) r.close();
    for (const e of this.trackByMid.values()) e.simulcast?.close();
    // Only the feed's current publisher ends it; a replaced one just leaves.
    const feed = this.feed;
    if (feed && feed.source === this && !feed.closed) {
      // A broadcaster that ends its session (DELETE) may well start again (a stream key
      // reused, OBS's Stop then Start): the stream waits --reconnect-grace for it, as for a
      // lost one, and viewers are told the broadcast ended meanwhile instead of being cut off.
      feed.sourceLost(opts.byClient ? 'the broadcaster ended the broadcast' : `the broadcaster's connection was lost (${reason})`, this);
    }
    // A session we end while its client still sends: say so (RTCP BYE), and make its ICE
    // checks fail (the engine's tombstone) so the client notices at once, not after ~30 s.
    if (!opts.byClient && this.connected) {
      const bye = buildBye([this.rtcpSsrc], `canopy: ${reason}`.slice(0, 120));
      for (const e of this.trackByMid.values()) if (e.engine?.open) e.engine.send(bye);
    }
    this.pc?.close({ tellPeer: !opts.byClient });
    // One line for the operator: who left, why, after how long (the `closed:` line, at debug,
    // would repeat it).
    if (this.connectedAt)
      this.log.info({ reason, seconds: Math.round((Date.now() - this.connectedAt) / 1000), byClient: opts.byClient === true }, 'publisher left');
    else this.log.info({ reason }, 'publisher never connected');
    this.log.debug(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
