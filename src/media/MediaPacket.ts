/**
 * One media packet on a node's data path: from the source that made it (a publisher's
 * receiver, an upstream link or pipe, a replay of the buffer or archive) through the feed to
 * every consumer (viewers, child links, the time buffer, the recorder).
 *
 * The one type every stage passes on, instead of each signature spelling out its fields: a field
 * that later work needs on the path (a simulcast layer id, a native engine's buffer handle)
 * is added here, optional, and the stages that do not use it pass it on untouched.
 *
 * A packet is shared, never copied, between the consumers of a feed: nobody writes to it
 * (fields are readonly, and `rtp` is the receiver's own buffer, which consumers only read or
 * copy before rewriting: TrackSender).
 */
export interface MediaPacket {
  /** The feed's track id (an index into StreamInfo.tracks' ids). */
  readonly track: number;
  /** The whole RTP packet as it arrived at the origin (the origin's SSRC and sequence numbers). */
  readonly rtp: Uint8Array;
  /** When the origin received it (epoch ms): time-shift positions, the buffer's window, the archive. */
  readonly captureMs: number;
  /** Whether it starts a keyframe (a point a viewer, the buffer or the archive can start from). */
  readonly keyframe: boolean;
}

/** Makes a packet (the one place sources build one, so that new fields get a default here). */
export function mediaPacket(track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean): MediaPacket {
  return { track, rtp, captureMs, keyframe };
}
