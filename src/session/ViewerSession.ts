import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { assertViewerCanPlay, chooseViewerCodec } from '../codecs.js';
import type { CandidatePair, EnginePeer, EngineTrack, PeerState, RtcEngine, TrackSpec } from '../engine/engine.js';
import { iceRoute, type IceRoute } from './IceRoute.js';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { Lease } from '../media/StreamHub.js';
import type { MediaPacket } from '../media/MediaPacket.js';
import { isQuality, type Quality, type StreamConsumer, type TrackInfo } from '../media/types.js';
import { LayerSwitch } from './LayerSwitch.js';
import { extraFeedback, offeredRtx, offersFeedback } from '../engine/negotiate.js';
import { TrackSender } from '../engine/TrackSender.js';
import type { FanoutSpec, RepairOutcome } from '../engine/engine.js';
import { joinFanout, layerFanout, type FanoutTap, type LayerFanoutTap } from './StreamFanouts.js';
import { buildBye, parseRtcp } from '../rtcp.js';
import { isRtcp, randomSsrc } from '../rtp.js';
import { parseSdp } from '../sdp.js';
import { ViewerBandwidth, type ViewerEstimate } from './ViewerBandwidth.js';
import { FanoutTemporal, ViewerTemporal } from './ViewerTemporal.js';

export interface SessionTimers {
  /** Close a session whose PeerConnection has not connected by then. */
  connectTimeoutMs: number;
  /** Close a session whose PeerConnection stays disconnected (ICE consent lost, RFC 7675) this long. */
  disconnectGraceMs: number;
}

/** Loss repair towards viewers (docs/repair.md). */
export interface ViewerRepair {
  /** Negotiate NACK and RTX and answer NACKs from the stream's histories. */
  enabled: boolean;
  /** The per-viewer cap: retransmitted bytes per media byte sent to that viewer. */
  retransmitShare: number;
}

interface OutTrack {
  trackId: number;
  mid: string;
  kind: 'audio' | 'video';
  sender: TrackSender;
  /** Whether the viewer offered generic NACK for this track. */
  nack: boolean;
  /** For an engine with fan-out groups: this track's place in its stream track's group. */
  fanout: FanoutSpec;
  tap: FanoutTap | null;
  /** For a simulcast group: which of its layers goes to the viewer (the sender sends one at a time). */
  layers: LayerSwitch | null;
  /**
   * For a simulcast group on an engine whose members move between groups: the member in the
   * group of the layer it is on (StreamFanouts.layerFanout); then the sender sends nothing.
   */
  layerTap: LayerFanoutTap | null;
  /** The layer member's temporal layers (LayerSwitch's TemporalControl then). */
  layerTemporal: FanoutTemporal | null;
}

const SR_INTERVAL_MS = 1000;

/**
 * One WHEP viewer: a PeerConnection fed from one feed lease. Each viewer gets its own
 * rewritten copy of every packet (SSRC, payload type, no header extensions), through one
 * TrackSender per track, which also answers the viewer's NACKs from the feed's history.
 *
 * Events: 'close' (reason).
 */
export interface SessionEvents {
  close: [reason: string];
}

export class ViewerSession extends EventEmitter<SessionEvents> implements StreamConsumer {
  readonly kind = 'viewer';
  /** It takes the layers its LayerSwitch chooses (Feed.layers), not the top one by default. */
  readonly layerAware = true;
  /** Layer switches by feed track id (each layer track of a group maps to its group's switch). */
  private readonly layerOf: Array<LayerSwitch | undefined> = [];
  /** The layer track whose history answers the group sender's NACKs now, by group. */
  private readonly historyFrom = new Map<LayerSwitch, number>();
  readonly id = randomUUID();
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  connected = false;
  /** When the PeerConnection first connected (0: never), for the operator's log. */
  private connectedAt = 0;
  private peer: EnginePeer | null = null;
  /** Senders by feed track id: the per-packet lookup is an array index. */
  private readonly senders: Array<TrackSender | undefined> = [];
  /** Tracks the engine fans out (one hand-over per packet for all viewers), by feed track id. */
  private readonly taps: Array<FanoutTap | undefined> = [];
  /**
   * Every track is fanned out: the feed hands this session no packets (its groups send them).
   * Set before the lease attaches it, and not after.
   */
  passive = false;
  private readonly out: OutTrack[] = [];
  private readonly byMid = new Map<string, OutTrack>();
  private timers: NodeJS.Timeout[] = [];
  private disconnectTimer: NodeJS.Timeout | null = null;
  private srTimer: NodeJS.Timeout | null = null;
  /** The viewer's bandwidth estimate and the retransmission back-off it drives (issue 20). */
  private readonly bandwidth: ViewerBandwidth;
  /** Temporal layer caps for single-layer video under the estimate (ViewerTemporal.ts). */
  private readonly temporal = new ViewerTemporal((trackId) => this.lease.feed.requestKeyframe(trackId, 'viewer'));
  readonly log: Logger;

  constructor(
    readonly stream: string,
    private readonly lease: Lease,
    private readonly opts: {
      engine: RtcEngine;
      logger: Logger;
      counters: NodeCounters;
      timers: SessionTimers;
      repair?: ViewerRepair;
      remote?: string;
      /** Classifies the selected candidate pair for the log (knows our TURN servers). */
      iceRoute?: (pair: CandidatePair) => IceRoute;
      /** ?layer= on the WHEP URL: a pinned simulcast layer; null or absent: auto. */
      layer?: Quality | null;
      /** Metrics of layer switches and time on each layer. */
      onLayerSwitch?: (from: Quality | null, to: Quality) => void;
      onLayerTime?: (q: Quality, seconds: number) => void;
      /** A viewer's layer stopped at the publisher and it fell back (LayerSwitch.onFallback). */
      onLayerFallback?: (reason: string) => void;
    },
  ) {
    super();
    this.log = opts.logger.child({
      session: this.id,
      stream,
      kind: 'viewer',
      remote: opts.remote,
      ...(lease.feed.startMs !== null ? { start: lease.feed.startMs } : {}),
    });
    const base = opts.repair?.enabled ? opts.repair.retransmitShare : 0;
    this.bandwidth = new ViewerBandwidth(
      base,
      (share) => {
        for (const o of this.out) {
          o.sender.setRetransmitShare(share);
          o.tap?.setRetransmitShare(share);
          o.layerTap?.setRetransmitShare(share);
        }
      },
      Date.now(),
      () => {
        let bytes = 0;
        // A capped track's bytes at the share its cap lets through (ViewerTemporal.sentBytes).
        for (const o of this.out) if (o.tap) bytes += this.temporal.sentBytes(o.trackId, o.tap.bytesSent);
        return bytes;
      },
    );
  }

  /** The last bandwidth estimate for this viewer (null before the engine gave one). */
  get estimate(): ViewerEstimate | null {
    return this.bandwidth.estimate;
  }

  /** /api/state's entry for this viewer, and the session resource's GET: its estimate and, with simulcast, its layer. */
  describe(): Record<string, unknown> {
    const e = this.bandwidth.estimate;
    const o = this.out.find((x) => x.layers);
    return {
      id: this.id,
      session: this.id,
      connected: this.connected,
      estimate: e ? { bps: e.bps, source: e.source, congested: e.congested, sentBps: e.sentBps, retransmitShare: e.retransmitShare } : null,
      ...(o?.layers ? o.layers.describe() : this.temporal.size ? { temporal: this.temporal.describe() } : {}),
    };
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
      const all = this.lease.info.tracks;
      for (const t of all) {
        // A simulcast group is one m-line, on its top layer's track; the other layers go through it.
        if (t.layer && t.layer.group !== t.id) continue;
        for (const m of sdp.media) {
          if (used.has(m.mid) || (m.direction !== 'recvonly' && m.direction !== 'sendrecv')) continue;
          const c = chooseViewerCodec(m, t);
          if (!c) continue;
          used.add(m.mid);
          const ssrc = randomSsrc();
          const repair = this.opts.repair?.enabled ? this.opts.repair : null;
          // RTX only for a viewer that offers it for this codec (RFC 4588 §8.1); without it a
          // NACKed packet goes again as it was (same SSRC and sequence number).
          const rtxCodec = repair ? offeredRtx(m, c.payloadType) : null;
          const rtx = rtxCodec ? { ssrc: randomSsrc(), payloadType: rtxCodec.payloadType } : null;
          const sender = new TrackSender({
            ssrc,
            payloadType: c.payloadType,
            clockRate: t.clockRate,
            rtx,
            history: repair ? this.lease.feed.history(t.id) : null,
            retransmitShare: repair?.retransmitShare ?? 0,
            counters: this.opts.counters,
            // A simulcast group's sender may leave out temporal layers while a switch down waits;
            // a single-layer viewer's, under its estimate, where the engine does not fan out.
            ...(t.layer || !this.opts.engine.createFanout ? { temporalCodec: t.codec } : {}),
          });
          const nack = repair !== null && offersFeedback(c, 'nack');
          const fanout: FanoutSpec = {
            ssrc,
            payloadType: c.payloadType,
            clockRate: t.clockRate,
            rtx,
            nack,
            retransmitShare: repair?.retransmitShare ?? 0,
            ...(t.kind === 'video' ? { temporalCodec: t.codec } : {}),
          };
          const group: TrackInfo[] = t.layer ? all.filter((x) => x.layer?.group === t.id) : [];
          // On the native engine a simulcast viewer's video is a member of its layer's group
          // (moved at each switch); elsewhere its TrackSender sends.
          const mid = m.mid;
          const layerTap = group.length
            ? layerFanout(this.opts.engine, this.lease.feed, () => this.peer?.tracks.find((x) => x.mid === mid) ?? null, fanout, this.opts.counters)
            : null;
          const layerTemporal = layerTap?.temporal ? new FanoutTemporal(layerTap, this.opts.counters, Date.now()) : null;
          const layers = group.length
            ? new LayerSwitch({
                feed: this.lease.feed,
                layers: group,
                pinned: this.opts.layer ?? null,
                onSwitch: (from, to) => {
                  if (from) this.log.info({ from, to }, 'layer switched');
                  this.opts.onLayerSwitch?.(from, to);
                },
                onLayerTime: this.opts.onLayerTime,
                onFallback: (from, to, reason) => {
                  this.log.info({ from, to, reason }, 'layer fell back');
                  this.opts.onLayerFallback?.(reason);
                },
                temporal: layerTap ? layerTemporal : sender.temporal,
              })
            : null;
          const o: OutTrack = { trackId: t.id, mid: m.mid, kind: t.kind, sender, nack, fanout, tap: null, layers, layerTap, layerTemporal };
          this.senders[t.id] = sender;
          if (layers)
            for (const id of layers.trackIds) {
              this.senders[id] = sender;
              this.layerOf[id] = layers;
            }
          this.out.push(o);
          this.byMid.set(m.mid, o);
          specs.push({
            mid: m.mid,
            kind: t.kind,
            direction: 'sendonly',
            codec: { ...c, fmtp: c.fmtp },
            ssrc,
            cname,
            msid: this.stream,
            feedback: extraFeedback(c, t.kind),
            ...(rtx ? { rtx } : {}),
            // No NACK in the answer when we will not answer it (RFC 4585 §4.2 lets an answer drop
            // offered feedback). A browser configures its receiver from its own offer and NACKs
            // anyway; those NACKs are counted and ignored.
            ...(repair ? {} : { noNack: true }),
          });
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
        role: 'viewer',
        onState: (s) => this.onState(s),
        onTrackOpen: (t) => this.onTrackOpen(t),
        onPacket: (t, p) => this.onRtcp(t, p),
        onRepair: (r) => this.onRepair(r),
        onBandwidth: (e) => {
          const now = Date.now();
          this.bandwidth.onEstimate(e, now);
          for (const o of this.out) {
            if (e.probe) o.layers?.onProbeOutcome(e.probe, now);
            o.layers?.onEstimate(e.bps, now, e.cut ?? e.congested);
          }
          this.temporal.onEstimate(e.bps);
        },
      });
      const answer = await this.peer.answer(offer, specs);
      for (const t of this.peer.tracks) this.bind(t);
      this.joinFanouts();
      this.watchTemporal();
      this.timers.push(setTimeout(() => this.connected || this.close('connect timeout'), this.opts.timers.connectTimeoutMs));
      this.opts.counters.sessions.inc({ kind: 'viewer' });
      this.lease.attach(this);
      return answer;
    } catch (err) {
      this.close(`negotiation failed: ${(err as Error).message}`);
      throw err;
    }
  }

  /** The candidate pair ICE selected for this viewer (null before it connects). */
  selectedPair(): CandidatePair | null {
    return this.peer?.selectedPair?.() ?? null;
  }

  /** On an engine with fan-out groups, each track joins its stream track's group instead of sending itself. */
  private joinFanouts(): void {
    const engine = this.opts.engine;
    if (!engine.createFanout || !this.peer) return;
    for (const o of this.out) {
      // A simulcast group's video moves between its layers' groups at its viewer's own moments
      // (layerFanout, made in start(), joined at the first layer).
      if (o.layers) continue;
      const t = this.peer.tracks.find((x) => x.mid === o.mid);
      const tap = t ? joinFanout(engine, this.lease.feed, o.trackId, t, o.fanout, this.opts.counters) : null;
      if (!tap) continue;
      o.tap = tap;
      this.taps[o.trackId] = tap;
    }
    this.passive = this.out.length > 0 && this.out.every((o) => o.tap);
  }

  /** Single-layer video with temporal layers: its cap follows the estimate (fanned out: the engine's member; else the sender's filter). */
  private watchTemporal(): void {
    for (const o of this.out) {
      if (o.layers) continue;
      if (o.tap?.temporal) this.temporal.add(new FanoutTemporal(o.tap, this.opts.counters, Date.now()), o.trackId);
      else if (!o.tap && o.sender.temporal) this.temporal.add(o.sender.temporal, o.trackId);
    }
  }

  private bind(t: EngineTrack): void {
    const o = this.byMid.get(t.mid);
    if (o) o.sender.out = t;
  }

  private onState(s: PeerState): void {
    if (this.closed) return;
    this.log.debug({ state: s }, 'peer state');
    if (s === 'connected') {
      if (!this.connected) {
        this.connectedAt = Date.now();
        this.log.info(routeFields(this.selectedPair(), this.opts.iceRoute), 'viewer joined');
      }
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
    // A simulcast viewer's moves up wait for a probe train (docs/abr.md "Probing"), where the
    // engine can send them to this viewer: RTX copies of recent media on the track's RTX SSRC,
    // measured by transport-cc on the native engine. Where the viewer's TrackSender is its data
    // plane (node-datachannel), it sends the trains, and their verdict reads the viewer's NACKs:
    // offered only when those are negotiated and answered.
    const rtx = o?.fanout.rtx;
    const sender = o?.nack && !o.layerTap ? o.sender : undefined;
    if (o?.layers && rtx && this.peer?.enableProbes?.(t, { ssrc: o.sender.ssrc, rtxSsrc: rtx.ssrc, rtxPayloadType: rtx.payloadType }, sender)) {
      const peer = this.peer;
      o.layers.enableProbes((req) => !this.closed && (peer.probe?.(req) ?? false));
    }
    // A joining viewer needs a keyframe: some publishers send one only on request.
    if (o?.kind === 'video') this.lease.feed.requestKeyframe(o.layers ? o.layers.keyframeTrack : o.trackId, 'viewer');
  }

  /**
   * The viewer's RTCP. libdatachannel hands a compound packet to every track whose SSRC it
   * mentions, so each request is matched to our SSRC on the track it came on and handled once.
   */
  private onRtcp(t: EngineTrack, packet: Buffer): void {
    if (!isRtcp(packet)) return;
    const o = this.byMid.get(t.mid);
    const info = parseRtcp(packet);
    if (!o || !info) return;
    const sender = o.sender;
    const now = Date.now();
    for (const nack of info.nacks) {
      if (nack.mediaSsrc !== sender.ssrc) continue;
      this.opts.counters.nacksReceived.add();
      // Repair off, or a viewer that did not negotiate NACK: the request is not answered. A
      // fanned-out track's NACKs were answered by the engine already.
      if (o.nack && !o.tap && !o.layerTap) sender.resend(nack.seqs, now);
    }
    for (const r of info.reports) if (r.ssrc === sender.ssrc) sender.onReportBlock(r.lsr, r.dlsr, now);
    if (o.kind !== 'video') return;
    // A PLI on an SSRC that is not ours (0, or a stale one) still means this track (the engine
    // only delivers it here because the packet names one of our SSRCs).
    const mine = (ssrc: number): boolean => ssrc === sender.ssrc || ssrc === sender.rtxSsrc;
    const foreign = (ssrc: number): boolean => this.out.some((x) => x !== o && (x.sender.ssrc === ssrc || x.sender.rtxSsrc === ssrc));
    const keyframe = info.plis.some((s) => mine(s) || !foreign(s)) || info.firs.some((s) => mine(s) || !foreign(s));
    if (keyframe) this.lease.feed.requestKeyframe(o.layers ? o.layers.keyframeTrack : o.trackId, 'viewer');
  }

  /** Names this viewer in the log line of its first fault. */
  get label(): string {
    return this.id;
  }

  /** The engine's NACK answers for fanned-out tracks, counted as TrackSender.resend counts its own. */
  private onRepair(r: RepairOutcome): void {
    const c = this.opts.counters;
    c.retransmitRequests.add(r.requested);
    if (r.resent) c.retransmitted.add(r.resent);
    if (r.rateLimited) c.retransmitSkipped.inc({ reason: 'rate_limited' }, r.rateLimited);
    if (r.duplicate) c.retransmitSkipped.inc({ reason: 'duplicate' }, r.duplicate);
    if (r.missed) c.retransmitMisses.inc({ reason: 'too_old' }, r.missed);
  }

  onPacket(p: MediaPacket): void {
    if (this.pausedReason !== null) this.pausedReason = null;
    const layers = this.layerOf[p.track];
    if (layers) return this.sendLayer(layers, p);
    // A fanned-out track's packets go out through its group, attached to the feed for all.
    if (this.taps[p.track]) return;
    // What a temporal cap lets through (ViewerTemporal.sentShare), not everything offered.
    this.bandwidth.onMedia(p.rtp.length * this.temporal.sentShare(p.track));
    this.senders[p.track]?.send(p.rtp, p.captureMs, Date.now());
  }

  onResumed(): void {
    this.pausedReason = null;
  }

  /** A packet of a simulcast group: sent when it is of the viewer's layer (LayerSwitch). */
  private sendLayer(layers: LayerSwitch, p: MediaPacket): void {
    const sender = this.senders[p.track];
    // Not before the track opens: the keyframe a layer starts with must reach the viewer.
    if (!sender?.out?.open) return;
    const now = Date.now();
    if (!layers.admit(p, now)) return;
    const o = this.layerOut(layers);
    if (o?.layerTap) {
      // The layer's group sends it; the first packet of a new layer (its key frame: the switch
      // LayerSwitch just made) moves the member into that layer's group.
      if (o.layerTap.layer === p.track || o.layerTap.enter(p)) {
        this.bandwidth.onMedia(p.rtp.length * (o.layerTemporal?.sentShare() ?? 1));
        return;
      }
      // The member could not move (the viewer is going): its own sender takes over.
      this.log.warn({ track: p.track }, 'layer group move failed; sending per viewer');
      o.layerTap = null;
    }
    // NACKs are answered from the history of the layer being sent.
    if (this.historyFrom.get(layers) !== p.track) {
      this.historyFrom.set(layers, p.track);
      if (this.opts.repair?.enabled) sender.useHistory(this.lease.feed.history(p.track));
    }
    // Only what is sent counts as sent: the node may pull other layers for other viewers, and
    // the sender may leave out temporal layers.
    if (sender.send(p.rtp, p.captureMs, now)) this.bandwidth.onMedia(p.rtp.length);
  }

  private layerOut(layers: LayerSwitch): OutTrack | undefined {
    for (const o of this.out) if (o.layers === layers) return o;
    return undefined;
  }

  /** PATCH on the session resource: pins a layer ('auto': the estimate chooses). 4xx for a stream without layers. */
  setLayer(layer: Quality | 'auto'): { layer: Quality | null; target: Quality } {
    const o = this.out.find((x) => x.layers);
    if (!o?.layers) throw new CanopyError(ErrorCode.BAD_REQUEST, 'this stream has no simulcast layers');
    const target = o.layers.pin(layer === 'auto' ? null : layer);
    this.log.info({ layer, target }, 'viewer pinned a layer');
    return { layer: o.layers.current?.quality ?? null, target };
  }

  /** PATCH on the session resource with `{"layer": "high"|"mid"|"low"|"auto"}` (docs/abr.md). */
  patch(body: Record<string, unknown>): object {
    const layer = body.layer;
    if (layer !== 'auto' && !isQuality(layer)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'layer must be high, mid, low or auto');
    return this.setLayer(layer);
  }

  /** Set while the broadcast is paused: the publisher left and the stream waits for it. */
  private pausedReason: string | null = null;

  /**
   * The broadcast ended or broke off, and the stream waits --reconnect-grace for the
   * broadcaster: say so with an RTCP BYE (RFC 3550 §6.6: the source stops sending), and in the
   * session's status (GET on the session resource), but keep the session: media resumes on it
   * when the broadcaster returns.
   */
  onPaused(reason: string): void {
    if (this.closed || this.pausedReason !== null) return;
    this.pausedReason = reason;
    if (this.connected)
      for (const o of this.out.values()) if (o.sender.out?.open) o.sender.out.send(buildBye([o.sender.ssrc], `canopy: ${reason}`.slice(0, 120)));
    this.log.info({ reason }, 'viewer told the broadcast paused');
  }

  /** The session resource's GET (the watch page polls it): playing, or paused with the reason. */
  status(): { state: 'connecting' | 'playing' | 'paused'; reason?: string; stream: string; start?: number; layers?: Record<string, unknown> } {
    const start = this.lease.feed.startMs;
    const o = this.out.find((x) => x.layers);
    const base = { stream: this.stream, ...(start !== null ? { start } : {}), ...(o?.layers ? { layers: o.layers.describe() } : {}) };
    if (this.pausedReason !== null) return { state: 'paused', reason: this.pausedReason, ...base };
    return { state: this.connected ? 'playing' : 'connecting', ...base };
  }

  private sendSenderReports(): void {
    const now = Date.now();
    for (const o of this.out) o.layers?.tick(now);
    this.temporal.tick(now);
    let fanned = false;
    for (const o of this.out) {
      if (o.tap || o.layerTap) fanned = true;
      else o.sender.sendReport(now);
    }
    if (fanned && this.peer) this.opts.engine.sendFanoutReports?.(this.peer);
  }

  onEnded(_code: ErrorCode, reason: string): void {
    this.close(`stream ended: ${reason}`);
  }

  /**
   * Ends the session. One we end while the viewer still watches (the stream ended, shutdown)
   * says so with an RTCP BYE and fails the viewer's ICE checks (the engine's tombstone), so
   * its player learns at once rather than after consent freshness (~30 s) runs out.
   */
  close(reason: string, opts: { byClient?: boolean } = {}): void {
    if (this.closed) return;
    this.#closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    if (this.srTimer) clearInterval(this.srTimer);
    for (const o of this.out) {
      o.tap?.close();
      o.layerTap?.close();
    }
    for (const o of this.out) o.layers?.close();
    this.lease.release();
    if (!opts.byClient && this.connected) {
      for (const o of this.out.values()) if (o.sender.out?.open) o.sender.out.send(buildBye([o.sender.ssrc], `canopy: ${reason}`.slice(0, 120)));
    }
    this.peer?.close({ tellPeer: !opts.byClient });
    // One line for the operator: who left, why, after how long (the `closed:` line, at debug,
    // would repeat it).
    if (this.connectedAt)
      this.log.info({ reason, seconds: Math.round((Date.now() - this.connectedAt) / 1000), byClient: opts.byClient === true }, 'viewer left');
    else this.log.info({ reason }, 'viewer never connected');
    this.log.debug(`closed: ${reason}`);
    this.emit('close', reason);
  }
}

/** The operator log's fields for a session's route: `ice: "host/udp -> prflx/udp"`, turn, tcp. */
export function routeFields(pair: CandidatePair | null, classify: (p: CandidatePair) => IceRoute = (p) => iceRoute(p)): Record<string, unknown> {
  if (!pair) return { ice: 'unknown' };
  const r = classify(pair);
  return { ice: `${r.local} -> ${r.remote}`, turn: r.turn, tcp: r.tcp };
}
