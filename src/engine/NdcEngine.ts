import ndc from 'node-datachannel';
import type { Logger } from '../log.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { rewriteCandidates } from '../sdp.js';
import type {
  CandidatePair,
  CandidateType,
  EnginePeer,
  EngineTrack,
  IceCandidate,
  PeerHandlers,
  PeerState,
  ProbeRequest,
  RtcEngine,
  TrackSpec,
} from './engine.js';
import { IceTombstone, type IceGhost } from './IceTombstone.js';
import { RtcpOnce } from './PeerBandwidth.js';
import { MAX_TRAIN_MS, ProbeTrain, type ProbeSender } from './ProbeTrain.js';
import { settleMs } from '../media/ProbeLoss.js';

/** How long a gone session's port answers its client's ICE checks with an error. */
export const TOMBSTONE_MS = 15_000;

export interface NdcEngineOptions {
  /** Address announced in ICE candidates. */
  iceAddress: string;
  /** Local address to bind; defaults to iceAddress. */
  iceBind?: string;
  portRangeBegin?: number;
  portRangeEnd?: number;
  gatherTimeoutMs?: number;
  /**
   * Probe trains before a simulcast viewer moves up (--layer-probes, docs/abr.md "Probing"): RTX
   * copies paced in JavaScript (ProbeTrain), judged by the viewer's NACKs (ProbeLoss). Off by default here.
   */
  probes?: boolean;
  logger: Logger;
}

const DIRECTIONS = { sendonly: 'SendOnly', recvonly: 'RecvOnly', inactive: 'Inactive' } as const;

class NdcTrack implements EngineTrack {
  /** Kept from onOpen/onClosed: asking the native track costs an N-API call per packet. */
  isOpen = false;

  constructor(
    readonly mid: string,
    readonly kind: 'audio' | 'video',
    readonly native: ndc.Track,
  ) {}

  send(packet: Uint8Array): boolean {
    try {
      return this.native.sendMessageBinary(packet as Buffer);
    } catch {
      return false;
    }
  }

  get open(): boolean {
    return this.isOpen;
  }
}

class NdcPeer implements EnginePeer {
  state: PeerState = 'new';
  localIce: EnginePeer['localIce'] = null;
  tracks: NdcTrack[] = [];
  private readonly pc: ndc.PeerConnection;
  private closed = false;
  private rtcpOnce: RtcpOnce | null | undefined;
  /** The sender probe trains go through (enableProbes), the train in flight, and the wait for its verdict after its last packet. */
  private probeSender: ProbeSender | null = null;
  private train: ProbeTrain | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly id: string,
    private readonly engine: NdcEngine,
    private readonly handlers: PeerHandlers,
  ) {
    const o = engine.options;
    this.pc = new ndc.PeerConnection(id, {
      iceServers: [],
      bindAddress: o.iceBind ?? o.iceAddress,
      portRangeBegin: o.portRangeBegin,
      portRangeEnd: o.portRangeEnd,
    });
    this.pc.onStateChange((s) => this.setState(s as PeerState));
    // Tracks for m-lines we did not prepare; hold them (see liveTracks) and leave them unused.
    this.pc.onTrack((t) => this.hold(t));
  }

  private setState(s: PeerState): void {
    if (this.state === 'closed' || s === this.state) return;
    this.state = s;
    this.handlers.onState?.(s);
    if (s === 'closed') this.engine.forget(this);
  }

  private hold(t: ndc.Track): void {
    this.engine.hold(t);
  }

  async answer(offer: string, specs: TrackSpec[]): Promise<string> {
    for (const spec of specs) {
      const media = spec.kind === 'video' ? new ndc.Video(spec.mid, DIRECTIONS[spec.direction]) : new ndc.Audio(spec.mid, DIRECTIONS[spec.direction]);
      const c = spec.codec;
      const name = c.name.toUpperCase();
      // The binding counts an explicit undefined as an argument and then demands a string:
      // pass the profile only when there is one.
      const profile: [string] | [] = c.fmtp ? [c.fmtp] : [];
      if (name === 'VP8') (media as ndc.Video).addVP8Codec(c.payloadType);
      else if (name === 'H264') (media as ndc.Video).addH264Codec(c.payloadType, ...profile);
      else if (name === 'OPUS') (media as ndc.Audio).addOpusCodec(c.payloadType, ...profile);
      else if (spec.kind === 'video') (media as ndc.Video).addVideoCodec(c.payloadType, c.name, ...profile);
      else (media as ndc.Audio).addAudioCodec(c.payloadType, c.name, ...profile);
      for (const fb of spec.feedback ?? []) media.parseSdpLine(`a=rtcp-fb:${c.payloadType} ${fb}`);
      const rtx = spec.rtx;
      if (rtx) media.addRTXCodec(rtx.payloadType, c.payloadType, c.clockRate);
      if (spec.ssrc !== undefined) {
        const cname = spec.cname ?? 'canopy';
        media.addSSRC(spec.ssrc, cname, spec.msid ?? 'canopy', `${spec.kind}-${spec.mid}`);
        if (rtx?.ssrc !== undefined) {
          // libdatachannel 0.24.5 writes no FID group of its own; without it a browser cannot
          // tell which SSRC repairs which (RFC 4588 §8.3, RFC 5576 §4.2). Listing the RTX SSRC
          // also maps it to this track, so the receiver's reports about it arrive here.
          media.addSSRC(rtx.ssrc, cname);
          media.parseSdpLine(`a=ssrc-group:FID ${spec.ssrc} ${rtx.ssrc}`);
        }
      }
      const native = this.pc.addTrack(media);
      const track = new NdcTrack(spec.mid, spec.kind, native);
      this.engine.hold(native, () => (track.isOpen = false));
      // No media handler: with one, libdatachannel would not let us send our own RTCP on a
      // recvonly track, and RTCP would not reach onMessage (see RtpReceiver).
      native.onOpen(() => {
        track.isOpen = true;
        this.handlers.onTrackOpen?.(track);
      });
      const onPacket = this.handlers.onPacket;
      // A viewer's estimate from its REMB and receiver reports (libdatachannel offers no
      // transport-cc: docs/abr.md "Estimate"); each compound packet once, whichever track it came on.
      this.rtcpOnce ??= this.handlers.onBandwidth ? new RtcpOnce(this.handlers, () => this.stopTrain()) : null;
      const once = this.rtcpOnce;
      if (onPacket || once)
        native.onMessage((msg) => {
          once?.offer(msg, Date.now());
          onPacket?.(track, msg);
        });
      this.tracks.push(track);
    }
    try {
      this.pc.setRemoteDescription(offer, 'offer');
    } catch (err) {
      throw new CanopyError(ErrorCode.BAD_REQUEST, `offer rejected: ${(err as Error).message}`);
    }
    await this.gathered();
    const local = this.pc.localDescription();
    if (!local) throw new CanopyError(ErrorCode.INTERNAL, 'no local description');
    this.localIce = localIce(local.sdp, this.engine.options.iceBind ?? this.engine.options.iceAddress);
    let sdp = local.sdp;
    for (const spec of specs) if (spec.noNack) sdp = withoutFeedback(sdp, spec.mid, spec.codec.payloadType, 'nack');
    return rewriteCandidates(sdp, this.engine.options.iceAddress);
  }

  /**
   * Probes through the track's TrackSender (`sender`): libdatachannel 0.24.5 cannot number
   * packets for transport-cc, so the data plane here is that sender, and a train is judged by the
   * viewer's NACKs of the media SSRC (src/media/ProbeLoss.ts). The caller passes a sender only
   * when the viewer negotiated NACK and RTX.
   */
  enableProbes(track: EngineTrack, ids: { ssrc: number; rtxSsrc: number; rtxPayloadType: number }, sender?: ProbeSender): boolean {
    const bw = this.rtcpOnce?.bandwidth;
    if (!this.engine.options.probes || this.closed || !bw || !sender || !this.tracks.includes(track as NdcTrack)) return false;
    bw.watchLoss(ids.ssrc);
    this.probeSender = sender;
    return true;
  }

  probe(req: ProbeRequest): boolean {
    const bw = this.rtcpOnce?.bandwidth;
    const sender = this.probeSender;
    if (this.closed || !bw || !sender || !(req.id > 0)) return false;
    if (req.bps === 0) {
      const had = this.train !== null;
      this.stopTrain();
      bw.cancelLossTrain();
      return had;
    }
    // One train in flight; a train needs media to copy.
    if (this.train || !(req.bps > 0) || !(req.clusterMs > 0) || !(req.durationMs > 0) || req.durationMs > MAX_TRAIN_MS || sender.lastMediaSeq < 0) return false;
    const now = Date.now();
    const train: ProbeTrain = new ProbeTrain(sender, req, now, {
      onSent: (lastSeq, sentBps, at) => {
        bw.onLossTrainSent(lastSeq, sentBps, at);
        // The verdict waits for the NACKs of its last packets (ProbeLoss settleMs).
        this.settleTimer = setTimeout(() => {
          this.settleTimer = null;
          if (this.train !== train) return;
          this.train = null;
          bw.onLossTrainSettled(Date.now());
        }, settleMs(sender.rttMs));
      },
    });
    this.train = train;
    bw.onLossTrainStarted(req, train.firstMediaSeq, () => sender.lastMediaSeq, now);
    return true;
  }

  /** Stops the train in flight and its wait (a failing verdict, probe({ bps: 0 }), close). */
  private stopTrain(): void {
    this.train?.stop();
    this.train = null;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
  }

  selectedPair(): CandidatePair | null {
    if (this.closed) return null;
    let pair: ReturnType<ndc.PeerConnection['getSelectedCandidatePair']>;
    try {
      pair = this.pc.getSelectedCandidatePair();
    } catch {
      return null;
    }
    if (!pair) return null;
    const local = ndcCandidate(pair.local);
    const remote = ndcCandidate(pair.remote);
    return local && remote ? { local, remote } : null;
  }

  private gathered(): Promise<void> {
    // Gathering may complete before a callback could be attached: poll the state.
    const deadline = Date.now() + (this.engine.options.gatherTimeoutMs ?? 5000);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.closed) return reject(new CanopyError(ErrorCode.UNAVAILABLE, 'peer closed while gathering'));
        if (this.pc.gatheringState() === 'complete') return resolve();
        if (Date.now() > deadline) return reject(new CanopyError(ErrorCode.TIMEOUT, 'ICE gathering timed out'));
        setTimeout(check, 5);
      };
      check();
    });
  }

  close(opts: { tellPeer?: boolean } = {}): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTrain();
    for (const t of this.tracks) t.isOpen = false;
    try {
      this.pc.close();
    } catch {
      // already closed natively
    }
    if (opts.tellPeer && this.localIce && this.state === 'connected') this.engine.bury(this.localIce);
    this.setState('closed');
  }
}

const CANDIDATE_TYPES = new Set<string>(['host', 'srflx', 'prflx', 'relay']);

/**
 * libdatachannel's view of a selected candidate ({type: 'host' | 'srflx' | 'prflx' | 'relay',
 * transportType: 'UDP' | 'TCP_active' | ...}) in the engine seam's terms.
 */
function ndcCandidate(c: ndc.SelectedCandidateInfo): IceCandidate | null {
  const type = String(c.type).toLowerCase();
  if (!CANDIDATE_TYPES.has(type)) return null;
  const protocol = /^tcp/i.test(String(c.transportType)) ? 'tcp' : 'udp';
  return { type: type as CandidateType, protocol, address: c.address, port: c.port };
}

/** Our ICE credentials and host candidate port, from our own description (RFC 8839 §5.4). */
function localIce(sdp: string, address: string): EnginePeer['localIce'] {
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
  const pwd = /^a=ice-pwd:(\S+)/m.exec(sdp)?.[1];
  const port = Number(/^a=candidate:\S+ 1 (?:UDP|udp) \d+ \S+ (\d+) typ host/m.exec(sdp)?.[1]);
  return ufrag && pwd && Number.isInteger(port) && port > 0 ? { address, port, ufrag, pwd } : null;
}

/**
 * Removes one RTCP feedback line (`a=rtcp-fb:<pt> <fb>`, exactly) from one m-section:
 * libdatachannel 0.24.5 gives every video codec nack, nack pli and goog-remb.
 */
function withoutFeedback(sdp: string, mid: string, pt: number, fb: string): string {
  return sdp
    .split(/\r?\n(?=m=)/)
    .map((section) => {
      const lines = section.split(/\r?\n/);
      return lines.includes(`a=mid:${mid}`) ? lines.filter((l) => l !== `a=rtcp-fb:${pt} ${fb}`).join('\r\n') : section;
    })
    .join('\r\n');
}

export class NdcEngine implements RtcEngine {
  private readonly peers = new Set<NdcPeer>();
  // A Track collected before its onClosed fires crashes cleanup(): every Track lives here until then.
  private readonly liveTracks = new Set<ndc.Track>();
  private readonly tombstones = new Set<IceTombstone>();
  private closed = false;

  constructor(readonly options: NdcEngineOptions) {}

  createPeer(id: string, handlers: PeerHandlers): EnginePeer {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'engine closed');
    const peer = new NdcPeer(id, this, handlers);
    this.peers.add(peer);
    return peer;
  }

  /** @internal */
  hold(t: ndc.Track, onClosed?: () => void): void {
    this.liveTracks.add(t);
    t.onClosed(() => {
      onClosed?.();
      this.liveTracks.delete(t);
      // A track closed with its PeerConnection keeps its open/message callbacks (and all they
      // capture) until close() is called on it: the native wrapper and those callbacks hold
      // each other, so GC alone never frees a session.
      try {
        t.close();
      } catch {
        // already released
      }
    });
  }

  get liveTrackCount(): number {
    return this.liveTracks.size;
  }

  /** @internal */
  forget(peer: NdcPeer): void {
    this.peers.delete(peer);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  get tombstoneCount(): number {
    return this.tombstones.size;
  }

  bury(ghost: IceGhost, holdMs = TOMBSTONE_MS): void {
    if (this.closed) return;
    const t = new IceTombstone(ghost, this.options.logger);
    this.tombstones.add(t);
    t.once('close', () => this.tombstones.delete(t));
    // The native ICE agent releases the port on its own thread, a moment after close().
    const attempt = async (left: number): Promise<void> => {
      if (t.closed) return;
      if (await t.open(holdMs)) return;
      if (left === 0) return t.close();
      setTimeout(() => void attempt(left - 1), 100);
    };
    void attempt(10);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.peers]) p.close();
    for (const t of [...this.tombstones]) t.close();
  }
}

/**
 * Releases libdatachannel's threads at process exit. cleanup() can block for ~10 s after a
 * failed DTLS handshake, so the caller should arm a process.exit() fallback.
 */
export function shutdownNativeEngine(): void {
  ndc.cleanup();
}
