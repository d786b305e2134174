import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from '../log.js';
import { CanopyError, ErrorCode } from '../errors.js';
import type {
  CandidatePair,
  CandidateType,
  EnginePeer,
  EngineTrack,
  FanoutGroup,
  FanoutMember,
  FanoutSpec,
  PeerHandlers,
  PeerState,
  ProbeRequest,
  RtcEngine,
  TrackSpec,
} from './engine.js';
import { IceTombstone, type IceGhost } from './IceTombstone.js';
import { loadNativeAddon, type NativeEvent, type NativeServerHandle, type NativeStats } from './nativeAddon.js';
import { buildAnswer, offerTransport, offeredTwccId } from './nativeSdp.js';
import { nativePair, offerCandidates } from './nativePair.js';
import { PeerBandwidth } from './PeerBandwidth.js';
import type { TwccPacket } from '../media/BandwidthEstimator.js';
import type { ProbeCluster } from '../media/ProbeEstimator.js';
import { TOMBSTONE_MS } from './NdcEngine.js';
import { isRtcp } from '../rtp.js';

export interface NativeEngineOptions {
  /** Address announced in the ICE candidate. */
  iceAddress: string;
  /** Local address to bind; defaults to iceAddress. */
  iceBind?: string;
  /** The one UDP port of every viewer (--ice-udp-port); 0: the first free one of portRange, else an ephemeral one. */
  port?: number;
  /**
   * The operator's WebRTC port range (--ice-port-min/--ice-port-max): with port 0 the native
   * port is taken from it, so the firewall rule written for that range covers native viewers too.
   */
  portRange?: [number, number];
  /** The one ICE-TCP port of every viewer (--ice-tcp-port); 0 (default): an ephemeral one; -1: no ICE-TCP. */
  tcpPort?: number;
  /** Data threads (--data-threads); 0: one per core. */
  dataThreads?: number;
  /** RFC 7675 consent timeout (tests shorten it). */
  consentTimeoutMs?: number;
  /** Negotiate transport-wide congestion control with viewers that offer it (default true). */
  transportCc?: boolean;
  /** Probe trains before a simulcast viewer moves up a layer (--layer-probes, on in the config's defaults; unset here: off; docs/abr.md "Probing"). */
  probes?: boolean;
  logger: Logger;
}

/** ICE ufrag/pwd from the ICE character set (RFC 8839 §5.4): base64 without padding. */
function iceToken(bytes: number): string {
  return randomBytes(bytes).toString('base64').replace(/=+$/, '');
}

class NativeTrack implements EngineTrack {
  isOpen = false;
  constructor(
    readonly mid: string,
    readonly kind: 'audio' | 'video',
    readonly sending: boolean,
    readonly peer: NativePeer,
    /** A publisher's track (recvonly): its RTP comes up, and it sends our RTCP about it. */
    readonly receiving = false,
  ) {}

  send(packet: Uint8Array): boolean {
    return this.isOpen && this.peer.sendRaw(packet);
  }

  get open(): boolean {
    return this.isOpen;
  }
}

class NativePeer implements EnginePeer {
  state: PeerState = 'new';
  localIce: EnginePeer['localIce'] = null;
  tracks: NativeTrack[] = [];
  /** The native viewer's id (0 before the answer). */
  native = 0;
  private closed = false;
  /** The viewer's estimate (transport-cc, else REMB or receiver-report loss), when the session wants one. */
  private readonly bandwidth: PeerBandwidth | null;
  private offered: ReadonlyMap<string, CandidateType> = new Map();
  /** A publisher's tracks by the payload types the answer gave them (codec and RTX). */
  private readonly byPayloadType = new Map<number, NativeTrack>();
  readonly routesByPayloadType = true;

  constructor(
    readonly id: string,
    private readonly engine: NativeEngine,
    private readonly handlers: PeerHandlers,
  ) {
    this.bandwidth = handlers.onBandwidth ? new PeerBandwidth(handlers, () => this.native && this.engine.server.probe?.(this.native, 0, 0, 0, 0)) : null;
  }

  /** Whether probes were configured (enableProbes): a track with RTX, transport-cc negotiated. */
  private probes = false;

  enableProbes(track: EngineTrack, ids: { ssrc: number; rtxSsrc: number; rtxPayloadType: number }): boolean {
    const server = this.engine.server;
    if (!this.engine.options.probes || this.closed || !this.bandwidth || !this.native || !server.configureProbe || !this.tracks.includes(track as NativeTrack))
      return false;
    this.probes = server.configureProbe(this.native, ids.ssrc, ids.rtxSsrc, ids.rtxPayloadType);
    return this.probes;
  }

  probe(req: ProbeRequest): boolean {
    const server = this.engine.server;
    if (this.closed || !this.probes || !this.bandwidth || !server.probe || !(req.id > 0)) return false;
    // Train 0 stops the one in flight (native/src/probe.h).
    if (req.bps === 0) return server.probe(this.native, 0, 0, 0, 0);
    const a = req.abort;
    const ok = a
      ? server.probe(this.native, req.id, req.bps, req.durationMs, req.clusterMs, a.lost, a.window, a.ratio, a.spanMs)
      : server.probe(this.native, req.id, req.bps, req.durationMs, req.clusterMs);
    if (!ok) return false;
    this.bandwidth.onTrainStarted(req, Date.now());
    return true;
  }

  async answer(offer: string, specs: TrackSpec[]): Promise<string> {
    if (this.closed) throw new CanopyError(ErrorCode.UNAVAILABLE, 'peer closed');
    const t = offerTransport(offer);
    this.offered = offerCandidates(offer);
    const server = this.engine.server;
    const ufrag = iceToken(6);
    const pwd = iceToken(18);
    // RFC 8842 §5.2: an offer's actpass lets us choose; we take the DTLS server role (passive)
    // so the client, which already has our fingerprint, speaks first. An active offer makes us
    // the server, a passive one the client.
    const dtlsClient = t.setup === 'passive';
    // A publisher (WHIP) sends to us: its SRTP comes up as packets (native/src/ingest.cc).
    const receiving = specs.some((x) => x.direction === 'recvonly');
    // transport-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01) when the offer has it for
    // a section we answer: the data plane then numbers every packet it sends this viewer.
    // Not with a publisher: its feedback would be ours to send, and we send REMB (RtpReceiver).
    const twccId =
      this.engine.options.transportCc === false || receiving
        ? 0
        : offeredTwccId(
            t,
            specs.filter((x) => x.direction !== 'inactive').map((x) => x.mid),
          );
    try {
      this.native = server.addViewer({
        localUfrag: ufrag,
        localPwd: pwd,
        remoteUfrag: t.ufrag,
        fingerprintAlgorithm: t.fingerprintAlgorithm,
        fingerprint: t.fingerprint,
        dtlsClient,
        twccExtId: twccId,
        receiveRtp: receiving,
      });
    } catch (err) {
      throw new CanopyError(ErrorCode.BAD_REQUEST, `offer rejected: ${(err as Error).message}`);
    }
    this.engine.register(this);
    for (const spec of specs) {
      if (!t.sections.some((s) => s.mid === spec.mid)) throw new CanopyError(ErrorCode.BAD_REQUEST, `offer rejected: no m-section with mid ${spec.mid}`);
      const track = new NativeTrack(spec.mid, spec.kind, spec.direction === 'sendonly', this, spec.direction === 'recvonly');
      this.tracks.push(track);
      if (!track.receiving) continue;
      // One payload type per codec in a BUNDLE (RFC 8843 §9.1): it names the m-section. Simulcast
      // layers share their track's; the session tells them apart (SimulcastIngest).
      for (const pt of [spec.codec.payloadType, ...(spec.rtx ? [spec.rtx.payloadType] : [])]) {
        if (this.byPayloadType.has(pt)) throw new CanopyError(ErrorCode.BAD_REQUEST, `offer rejected: payload type ${pt} in two m-sections`);
        this.byPayloadType.set(pt, track);
      }
    }
    const address = this.engine.options.iceAddress;
    this.localIce = { address: this.engine.options.iceBind ?? address, port: server.port, ufrag, pwd };
    this.setState('connecting');
    return buildAnswer(t, specs, {
      ufrag,
      pwd,
      fingerprint: server.fingerprint,
      setup: dtlsClient ? 'active' : 'passive',
      address,
      port: server.port,
      tcpPort: server.tcpPort,
      sessionId: String(BigInt.asUintN(62, randomBytes(8).readBigUInt64BE())),
      twccId,
    });
  }

  selectedPair(): CandidatePair | null {
    if (this.closed || !this.native || !this.localIce || (this.state !== 'connected' && this.state !== 'disconnected')) return null;
    const remote = this.engine.server.viewerAddress(this.native);
    if (!remote) return null;
    // Our side is the candidate of the path's transport: the UDP port, or the ICE-TCP port.
    const port = remote.protocol === 'tcp' ? this.engine.server.tcpPort : this.localIce.port;
    return nativePair({ address: this.engine.options.iceAddress, port }, remote, this.offered);
  }

  /** @internal */
  sendRaw(packet: Uint8Array): boolean {
    if (this.closed) return false;
    // RTP sent per viewer from JavaScript (not through a group): one N-API call per packet each.
    if (!isRtcp(packet)) this.engine.viewerRtpSends++;
    return this.engine.server.send(this.native, packet);
  }

  /** @internal An event from the native side about this viewer. */
  onEvent(e: NativeEvent): void {
    if (this.closed) return;
    switch (e.type) {
      case 1:
        if (this.state !== 'connected') {
          this.engine.options.logger.debug({ peer: this.id, srtp: e.text }, 'native viewer connected');
          this.setState('connected');
          for (const t of this.tracks) {
            if (!(t.sending || t.receiving) || t.isOpen) continue;
            t.isOpen = true;
            this.handlers.onTrackOpen?.(t);
          }
        }
        break;
      case 2:
        this.setState('disconnected');
        break;
      case 3:
        // Fingerprint mismatch, DTLS failure, consent expiry: one line says which.
        this.engine.options.logger.warn({ peer: this.id, reason: e.text }, 'native viewer failed');
        this.setState('failed');
        break;
      case 4: {
        const onPacket = this.handlers.onPacket;
        // RTCP about several tracks comes once: each sending track looks for its own SSRCs.
        if (onPacket && e.data) for (const t of this.tracks) if (t.sending || t.receiving) onPacket(t, e.data);
        const r = e.repair;
        if (r) this.handlers.onRepair?.({ requested: r[0], resent: r[1], rateLimited: r[2], missed: r[3], duplicate: r[4] });
        if (e.data) this.bandwidth?.onRtcp(e.data, Date.now());
        break;
      }
      case 6:
        if (e.data && this.bandwidth) this.bandwidth.onTwcc(decodeTwcc(e.data), Date.now());
        break;
      case 7: {
        // A publisher's RTP, to the track of its payload type (RFC 3550 §5.1); others are dropped
        // as libdatachannel drops them.
        const track = e.data && e.data.length >= 12 ? this.byPayloadType.get(e.data[1]! & 0x7f) : undefined;
        if (track) this.handlers.onPacket?.(track, e.data!);
        break;
      }
      case 8: {
        const c = e.data ? decodeCluster(e.data) : null;
        if (c && this.bandwidth) this.bandwidth.onCluster(c, Date.now());
        break;
      }
      default:
        break;
    }
  }

  private setState(s: PeerState): void {
    if (this.state === 'closed' || s === this.state) return;
    this.state = s;
    this.handlers.onState?.(s);
  }

  close(opts: { tellPeer?: boolean } = {}): void {
    if (this.closed) return;
    const wasConnected = this.state === 'connected' || this.state === 'disconnected';
    this.closed = true;
    for (const t of this.tracks) t.isOpen = false;
    if (this.native) this.engine.server.removeViewer(this.native);
    if (opts.tellPeer && wasConnected && this.localIce) this.engine.server.bury(this.localIce.ufrag, this.localIce.pwd, TOMBSTONE_MS);
    this.engine.forget(this);
    this.setState('closed');
  }
}

/** Event 6's payload: float64 quadruples (sequence, send ms, bytes, arrival ms or NaN), native byte order. */
export function decodeTwcc(data: Buffer): TwccPacket[] {
  const n = Math.floor(data.length / 32);
  const f = new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + n * 32));
  const out: TwccPacket[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const arrival = f[i * 4 + 3]!;
    out[i] = { seq: f[i * 4]!, sendMs: f[i * 4 + 1]!, size: f[i * 4 + 2]!, arrivalMs: Number.isNaN(arrival) ? null : arrival };
  }
  return out;
}

/** Event 8's payload: nine or ten float64s, native byte order (native/src/probe.cc closeCluster). */
export function decodeCluster(data: Buffer): ProbeCluster | null {
  if (data.length < 72) return null;
  const n = data.length >= 80 ? 10 : 9;
  const f = new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + n * 8));
  const aborted = f[9] === 1 ? 'loss' : f[9] === 2 ? 'slow' : null;
  return {
    train: f[0]!,
    cluster: f[1]!,
    firstSeq: f[2]!,
    lastSeq: f[3]!,
    bytes: f[4]!,
    padding: f[5]!,
    startMs: f[6]!,
    endMs: f[7]!,
    last: f[8] === 1,
    ...(aborted && f[8] === 1 ? { aborted } : {}),
  };
}

/** A stream track's native fan-out group (server.groupSend: one N-API call per packet). */
class NativeFanoutGroup implements FanoutGroup {
  readonly id: number;
  readonly members = new Set<FanoutMember>();
  closed = false;

  constructor(
    readonly engine: NativeEngine,
    historyMs: number,
    codec?: string,
  ) {
    this.id = codec ? engine.server.createGroup(historyMs, codec) : engine.server.createGroup(historyMs);
  }

  get size(): number {
    return this.members.size;
  }

  join(track: EngineTrack, spec: FanoutSpec): FanoutMember | null {
    if (this.closed || !(track instanceof NativeTrack) || !track.sending || track.peer.native === 0) return null;
    const viewer = track.peer.native;
    const server = this.engine.server;
    const ok = server.addMember(this.id, viewer, {
      ssrc: spec.ssrc,
      payloadType: spec.payloadType,
      clockRate: spec.clockRate,
      ...(spec.rtx ? { rtxSsrc: spec.rtx.ssrc, rtxPayloadType: spec.rtx.payloadType } : {}),
      nack: spec.nack,
      retransmitShare: spec.retransmitShare,
    });
    if (!ok) return null;
    let gone = false;
    // The group the member is in now: a simulcast viewer's moves between its layers' groups.
    const at: { home: NativeFanoutGroup } = { home: this };
    const member: FanoutMember = {
      close: () => {
        if (gone) return;
        gone = true;
        at.home.members.delete(member);
        if (!at.home.closed) server.removeMember(at.home.id, viewer, spec.ssrc);
      },
      ...(server.moveMember
        ? {
            moveTo: (group: FanoutGroup, first: Uint8Array, captureMs: number, nowMs: number): boolean => {
              if (gone || !(group instanceof NativeFanoutGroup) || group.engine !== this.engine || group.closed) return false;
              if (!server.moveMember?.(group.id, viewer, spec.ssrc, first, captureMs, nowMs)) return false;
              at.home.members.delete(member);
              at.home = group;
              group.members.add(member);
              return true;
            },
          }
        : {}),
      setRetransmitShare: (share: number) => {
        if (!gone && !at.home.closed) server.setRetransmitShare(viewer, spec.ssrc, share);
      },
      ...(server.setTemporalCap
        ? {
            setTemporalCap: (cap: number | null) => {
              if (!gone && !at.home.closed) server.setTemporalCap?.(viewer, spec.ssrc, cap ?? -1);
            },
          }
        : {}),
      ...(server.temporalFramesDropped
        ? { temporalFramesDropped: () => (gone ? 0 : Math.max(0, server.temporalFramesDropped?.(viewer, spec.ssrc) ?? 0)) }
        : {}),
      ...(server.temporalWaitsForKeyframe
        ? { temporalWaitsForKeyframe: () => !gone && !at.home.closed && !!server.temporalWaitsForKeyframe?.(viewer, spec.ssrc) }
        : {}),
    };
    this.members.add(member);
    return member;
  }

  send(rtp: Uint8Array, captureMs: number, nowMs: number): void {
    if (!this.closed) this.engine.server.groupSend(this.id, rtp, captureMs, nowMs);
  }

  temporalBytes(): readonly number[] {
    return (!this.closed && this.engine.server.groupTemporalBytes?.(this.id)) || [];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.server.destroyGroup(this.id);
  }
}

/**
 * WHEP viewers on Canopy's own data plane (native/, docs/native.md): one UDP port for every
 * viewer, ICE-lite, DTLS-SRTP, the send path on native threads. With --publisher-engine native,
 * WHIP publishers too (their SRTP decrypted natively, their packets to the session in JS).
 */
export class NativeEngine implements RtcEngine {
  readonly server: NativeServerHandle;
  private readonly peers = new Set<NativePeer>();
  private readonly byNative = new Map<number, NativePeer>();
  private readonly tombstones = new Set<IceTombstone>();
  private closed = false;
  /**
   * RTP packets JavaScript sent to one viewer each (EngineTrack.send), not through a fan-out
   * group: what issue 19's one call per packet per stream leaves at zero (tests read it).
   */
  viewerRtpSends = 0;

  /** Throws when the addon is missing or the port cannot be bound (the caller falls back). */
  constructor(readonly options: NativeEngineOptions) {
    const { addon, why } = loadNativeAddon();
    if (!addon) throw new Error(why);
    const open = (port: number): NativeServerHandle =>
      new addon.NativeServer(
        {
          bind: options.iceBind ?? options.iceAddress,
          port,
          tcpPort: options.tcpPort ?? 0,
          dataThreads: options.dataThreads || availableParallelism(),
          ...(options.consentTimeoutMs ? { consentTimeoutMs: options.consentTimeoutMs } : {}),
        },
        (events) => this.onEvents(events),
      );
    const range = options.portRange;
    if (options.port || !range) {
      this.server = open(options.port ?? 0);
      return;
    }
    // The first port of the range that binds (another node, or node-datachannel, may hold some).
    for (let port = range[0]; ; port++) {
      try {
        this.server = open(port);
        return;
      } catch (err) {
        if (port >= range[1] || !/in use/i.test((err as Error).message)) throw err;
      }
    }
  }

  /** Whether the addon is there, and why not. */
  static available(): { ok: boolean; why: string } {
    const { addon, why } = loadNativeAddon();
    return { ok: addon !== null, why };
  }

  get port(): number {
    return this.server.port;
  }

  /** The ICE-TCP port, 0 when off. */
  get tcpPort(): number {
    return this.server.tcpPort;
  }

  private onEvents(events: NativeEvent[]): void {
    for (const e of events) {
      const peer = this.byNative.get(e.viewer);
      if (!peer) continue;
      // One viewer's throw stays with that viewer (the batch goes on).
      try {
        peer.onEvent(e);
      } catch (err) {
        this.options.logger.error({ err, peer: peer.id }, 'native event handler threw');
      }
    }
  }

  createPeer(id: string, handlers: PeerHandlers): EnginePeer {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'engine closed');
    const peer = new NativePeer(id, this, handlers);
    this.peers.add(peer);
    return peer;
  }

  get fanoutMoves(): boolean {
    return typeof this.server.moveMember === 'function';
  }

  createFanout(historyMs: number, codec?: string): FanoutGroup {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'engine closed');
    return new NativeFanoutGroup(this, historyMs, codec);
  }

  sendFanoutReports(peer: EnginePeer): boolean {
    if (!(peer instanceof NativePeer) || peer.native === 0) return false;
    this.server.sendReports(peer.native);
    return true;
  }

  /** @internal */
  register(peer: NativePeer): void {
    this.byNative.set(peer.native, peer);
  }

  /** @internal */
  forget(peer: NativePeer): void {
    this.peers.delete(peer);
    this.byNative.delete(peer.native);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /** Native viewers still held by the data plane (the leak check: 0 when all are gone). */
  get nativeViewerCount(): number {
    return this.closed ? 0 : this.server.stats().viewers;
  }

  get liveTrackCount(): number {
    let n = 0;
    for (const p of this.peers) n += p.tracks.length;
    return n;
  }

  get tombstoneCount(): number {
    return this.tombstones.size;
  }

  stats(): NativeStats {
    return this.server.stats();
  }

  nativeStats(): NativeStats | null {
    return this.closed ? null : this.server.stats();
  }

  bury(ghost: IceGhost, holdMs = TOMBSTONE_MS): void {
    if (this.closed) return;
    // Our own shared port: the data plane answers the ghost's checks itself.
    if (ghost.port === this.server.port) return this.server.bury(ghost.ufrag, ghost.pwd, holdMs);
    const t = new IceTombstone(ghost, this.options.logger);
    this.tombstones.add(t);
    t.once('close', () => this.tombstones.delete(t));
    void t.open(holdMs).then((ok) => ok || t.close());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const p of [...this.peers]) p.close();
    for (const t of [...this.tombstones]) t.close();
    this.closed = true;
    this.server.close();
  }
}
