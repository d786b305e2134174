import type { MediaKind } from '../media/types.js';
import type { IceGhost } from './IceTombstone.js';

// The seam between Canopy and a WebRTC stack. Canopy answers offers (WHIP and WHEP are
// both offer-from-client), sends and receives whole RTP/RTCP packets, and asks the engine
// for RTCP receiver feedback on published tracks.

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
  /** For recvonly tracks: send receiver reports, PLI on request, and REMB at this bitrate. */
  receiveBitrate?: number;
}

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface EngineTrack {
  readonly mid: string;
  readonly kind: MediaKind;
  /** Sends one RTP or RTCP packet; false when it could not be queued. */
  send(packet: Uint8Array): boolean;
  /** Asks the remote sender for a keyframe (PLI). */
  requestKeyframe(): boolean;
  readonly open: boolean;
}

export interface PeerHandlers {
  /** An RTP packet (or, on tracks without a receive session, an RTCP packet) arrived. */
  onPacket?(track: EngineTrack, packet: Buffer): void;
  onTrackOpen?(track: EngineTrack): void;
  onState?(state: PeerState): void;
}

export interface EnginePeer {
  readonly id: string;
  /** Our side's UDP address and ICE credentials, once answered (for an ICE tombstone). */
  readonly localIce: { address: string; port: number; ufrag: string; pwd: string } | null;
  readonly state: PeerState;
  readonly tracks: readonly EngineTrack[];
  /** Applies a remote offer with our tracks (one per offered m-line) and returns the complete answer. */
  answer(offer: string, tracks: TrackSpec[]): Promise<string>;
  /**
   * Closes the connection. With tellPeer (we end a session the peer still uses), the port
   * answers the peer's ICE checks with an error for a while, so it fails at once instead of
   * after consent freshness runs out (see IceTombstone).
   */
  close(opts?: { tellPeer?: boolean }): void;
}

export interface RtcEngine {
  createPeer(id: string, handlers: PeerHandlers): EnginePeer;
  /** Live peer count, for registries and leak checks. */
  readonly peerCount: number;
  /** Native tracks not yet reported closed. */
  readonly liveTrackCount: number;
  /** Ports held to answer a gone session's ICE checks with an error (IceTombstone). */
  readonly tombstoneCount: number;
  /** Holds a gone session's port (from an earlier life of this node, too) and fails its ICE checks. */
  bury(ghost: IceGhost, holdMs?: number): void;
  close(): Promise<void>;
}
