import type { MediaKind } from '../media/types.js';
import type { ProbeOutcome, ProbeRequest } from '../media/ProbeEstimator.js';
import type { NativeStats } from './nativeAddon.js';
import type { IceGhost } from './IceTombstone.js';
import type { ProbeSender } from './ProbeTrain.js';

// The seam between Canopy and a WebRTC stack. Canopy answers offers (WHIP and WHEP are
// both offer-from-client) and sends and receives whole RTP/RTCP packets; the RTCP it needs
// (sender and receiver reports, NACK, PLI, REMB) it writes itself (TrackSender, RtpReceiver),
// so the engine only moves packets. The per-receiver packet path lives beside this seam in
// src/engine/ so a native data plane can replace it.

export type TrackDirection = 'sendonly' | 'recvonly' | 'inactive';

export interface CodecSpec {
  payloadType: number;
  name: string;
  clockRate: number;
  channels: number;
  fmtp: string;
}

export interface TrackSpec {
  mid: string;
  kind: MediaKind;
  direction: TrackDirection;
  codec: CodecSpec;
  /** For sendonly tracks: our SSRC, CNAME and stream id, announced in a=ssrc/a=msid. */
  ssrc?: number;
  cname?: string;
  msid?: string;
  /**
   * RTX (RFC 4588) for the codec: its payload type (apt = codec.payloadType) and, for sendonly
   * tracks, our RTX SSRC, announced with a=ssrc-group:FID (RFC 5576 §4.2).
   */
  rtx?: { payloadType: number; ssrc?: number };
  /** RTCP feedback for the codec beyond the engine's defaults (video: nack, nack pli, goog-remb), e.g. 'ccm fir'. */
  feedback?: string[];
  /** Leave generic NACK out of the answer (loss repair off): we will not answer it. */
  noNack?: boolean;
}

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface EngineTrack {
  readonly mid: string;
  readonly kind: MediaKind;
  /** Sends one RTP or RTCP packet; false when it could not be queued. */
  send(packet: Uint8Array): boolean;
  readonly open: boolean;
}

export interface RepairOutcome {
  requested: number;
  resent: number;
  rateLimited: number;
  missed: number;
  duplicate: number;
}

export interface PeerHandlers {
  /** Who the peer is: an engine may serve viewers (WHEP) on another data plane than publishers. */
  role?: 'viewer' | 'publisher';
  /**
   * The offer has RTP streams that only their payload type can place (simulcast layers without
   * a=ssrc lines beside other m-sections, RFC 8853 §5.1): a composite engine gives the peer to an
   * engine that routes by payload type (EnginePeer.routesByPayloadType) when it has one.
   */
  payloadTypeRouting?: boolean;
  /** An RTP or RTCP packet arrived on a track (RTCP about several tracks may come on each of them). */
  onPacket?(track: EngineTrack, packet: Buffer): void;
  onTrackOpen?(track: EngineTrack): void;
  /** What the engine's own NACK answers did (fan-out members, FanoutSpec.nack), for the counters. */
  onRepair?(r: RepairOutcome): void;
  onState?(state: PeerState): void;
  /**
   * The viewer's bandwidth estimate (src/media/BandwidthEstimator.ts), for its layer choice and
   * retransmission back-off (docs/abr.md); a few times a second.
   */
  onBandwidth?(e: BandwidthReport): void;
}

/** One estimate as an engine reports it (PeerHandlers.onBandwidth). */
export interface BandwidthReport {
  bps: number;
  /** From transport-cc feedback ('twcc'), the viewer's REMB ('remb') or receiver-report loss alone ('loss'). */
  source: 'twcc' | 'remb' | 'loss';
  /** The link shows congestion (BandwidthEstimator.congested): only then does retransmission back off. */
  congested: boolean;
  /**
   * The estimate was cut for loss or queueing delay in the last 2 s (BandwidthEstimator.cutRecently):
   * no probe train then. Unlike congested, not always set with REMB. Absent: as congested.
   */
  cut?: boolean;
  /** A probe train's verdict, reported at once with the estimate it moved (docs/abr.md "Probing"). */
  probe?: ProbeOutcome;
}

export type { ProbeOutcome, ProbeRequest } from '../media/ProbeEstimator.js';

/** An ICE candidate's kind (RFC 8445 §5.1.1) and transport (RFC 6544 for TCP). */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface IceCandidate {
  type: CandidateType;
  protocol: 'udp' | 'tcp';
  address: string;
  port: number;
}

/** The pair ICE selected (RFC 8445 §8): our candidate and the peer's. */
export interface CandidatePair {
  local: IceCandidate;
  remote: IceCandidate;
}

export interface EnginePeer {
  readonly id: string;
  /** Our side's UDP address and ICE credentials, once answered (for an ICE tombstone). */
  readonly localIce: { address: string; port: number; ufrag: string; pwd: string } | null;
  /**
   * Incoming RTP goes to its m-section by payload type (RFC 8843 §9.1: one payload type per codec
   * in a BUNDLE), so SSRCs the offer did not list (simulcast layers, RFC 8853) reach their track
   * beside other tracks. Absent: by the offer's a=ssrc lines only (libdatachannel 0.24.5).
   */
  readonly routesByPayloadType?: boolean;
  readonly state: PeerState;
  readonly tracks: readonly EngineTrack[];
  /**
   * The candidate pair ICE selected, once connected (null before). Optional: an engine that
   * cannot say leaves it out and the route is unknown.
   */
  selectedPair?(): CandidatePair | null;
  /**
   * Bandwidth probes (docs/abr.md "Probing"): RTX copies of recent media on this sending track's
   * RTX SSRC. The native engine's data plane sends them, numbered for transport-cc; an engine
   * whose per-viewer data plane is JavaScript (node-datachannel) has `sender` (the track's
   * TrackSender) send them and judges a train by the viewer's NACKs (src/media/ProbeLoss.ts), so
   * it needs a sender whose NACKs the viewer negotiated. False when the engine cannot (no
   * transport-cc or RTX negotiated, no sender, probes off, or not supported: then no probe is ever
   * asked for). Optional.
   */
  enableProbes?(track: EngineTrack, ids: { ssrc: number; rtxSsrc: number; rtxPayloadType: number }, sender?: ProbeSender): boolean;
  /**
   * Starts a probe train; its verdict comes with the estimate (BandwidthReport.probe). False: not
   * sent. A request with bps 0 stops the train in flight (true when one was).
   */
  probe?(req: ProbeRequest): boolean;
  /** Applies a remote offer with our tracks (one per offered m-line) and returns the complete answer. */
  answer(offer: string, tracks: TrackSpec[]): Promise<string>;
  /**
   * Closes the connection. With tellPeer (we end a session the peer still uses), the port
   * answers the peer's ICE checks with an error for a while, so it fails at once instead of
   * after consent freshness runs out (see IceTombstone).
   */
  close(opts?: { tellPeer?: boolean }): void;
}

/** One receiver's track in a fan-out group: our SSRC, payload type, RTX and repair towards it. */
export interface FanoutSpec {
  ssrc: number;
  payloadType: number;
  clockRate: number;
  rtx: { ssrc: number; payloadType: number } | null;
  /** Answer this receiver's NACKs (from the group's own history, within the budget). */
  nack: boolean;
  /** Retransmitted bytes allowed per media byte sent (RetransmitBudget). */
  retransmitShare: number;
  /**
   * The stream track's codec, for an engine whose group may leave out temporal layers per
   * member (VP8, VP9, AV1: FanoutMember.setTemporalCap); absent: no temporal drops.
   */
  temporalCodec?: string;
}

export interface FanoutMember {
  /** Leaves the group (idempotent). */
  close(): void;
  /** Changes this member's retransmit share (the back-off when its link is full); optional. */
  setRetransmitShare?(share: number): void;
  /**
   * The highest temporal layer this member gets (null: all), from the next frame on; optional
   * (an engine without it sends every layer). The decision is TemporalCap.ts's.
   */
  setTemporalCap?(cap: number | null): void;
  /**
   * A temporal layer this member's cap allows is still left out, and only a key frame brings it
   * back (AV1: TemporalFilter.waitsForKeyframe); optional (absent: never).
   */
  temporalWaitsForKeyframe?(): boolean;
  /** Frames this member's temporal cap left out so far (the viewer's status); optional. */
  temporalFramesDropped?(): number;
  /**
   * A simulcast viewer's switch (the decision is LayerSwitch's): this member leaves its group for
   * `group` (another of this engine's, or its own right after join) with its rewrite state, and
   * `first` (the target layer's key frame's first packet) is sent to it now; it is sent once
   * even if the group sends it too. The engine keeps the viewer's SSRC, sequence numbers and
   * timestamps continuous, and sends every packet of the old layer handed over before this call
   * first. False when the member or group is gone; optional (absent: no layer groups).
   */
  moveTo?(group: FanoutGroup, first: Uint8Array, captureMs: number, nowMs: number): boolean;
}

/**
 * One-to-many send of one stream track, for an engine that can do it below JavaScript: the
 * caller hands each packet over once, and the engine rewrites it for every member (as
 * TrackSender does), protects and sends it, answers members' NACKs from its own history and
 * writes their sender reports. An engine without one leaves createFanout undefined and the
 * caller keeps its per-viewer TrackSender loop.
 */
export interface FanoutGroup {
  /** Adds a sending track of one of this engine's peers; null when that track cannot join. */
  join(track: EngineTrack, spec: FanoutSpec): FanoutMember | null;
  send(rtp: Uint8Array, captureMs: number, nowMs: number): void;
  /** Bytes sent through the group per temporal layer (index = TID) so far; optional, empty without temporal layers. */
  temporalBytes?(): readonly number[];
  readonly size: number;
  close(): void;
}

export interface RtcEngine {
  createPeer(id: string, handlers: PeerHandlers): EnginePeer;
  /** A fan-out group keeping historyMs of packets for repair; undefined: not supported. */
  createFanout?(historyMs: number, codec?: string): FanoutGroup;
  /** Whether its fan-out members can move between groups (FanoutMember.moveTo: simulcast viewers' layer groups). */
  readonly fanoutMoves?: boolean;
  /** Sends sender reports (RFC 3550 §6.4.1) for a peer's fan-out members; true when it did. */
  sendFanoutReports?(peer: EnginePeer): boolean;
  /** Live peer count, for registries and leak checks. */
  readonly peerCount: number;
  /** Native tracks not yet reported closed. */
  readonly liveTrackCount: number;
  /** Ports held to answer a gone session's ICE checks with an error (IceTombstone). */
  readonly tombstoneCount: number;
  /** Holds a gone session's port (from an earlier life of this node, too) and fails its ICE checks. */
  bury(ghost: IceGhost, holdMs?: number): void;
  /** The native data plane's counters (nativeMetrics.ts); absent or null when viewers are not on it. */
  nativeStats?(): NativeStats | null;
  close(): Promise<void>;
}
