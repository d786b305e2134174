import type { ErrorCode } from '../errors.js';

export type MediaKind = 'audio' | 'video';

export interface TrackInfo {
  id: number;
  kind: MediaKind;
  /** RTP encoding name as in SDP rtpmap: opus, VP8, H264. */
  codec: string;
  /** Payload type of this track's packets on the wire between nodes. */
  payloadType: number;
  clockRate: number;
  channels: number;
  fmtp: string;
}

export interface StreamInfo {
  name: string;
  createdMs: number;
  tracks: TrackInfo[];
}

/** Something that receives a feed's packets: a WHEP viewer or a child relay's subscription. */
export interface FeedConsumer {
  readonly kind: 'viewer' | 'child';
  onPacket(track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean): void;
  /** The feed is over for good; the consumer must close. */
  onEnded(code: ErrorCode, reason: string): void;
  /**
   * The publisher left or was lost, and the stream waits for it (--reconnect-grace): no
   * media until it returns (the next packet), or onEnded when it does not.
   */
  onPaused?(reason: string): void;
}

/** Where a feed's packets come from: a publisher, a link, or this node's own buffer or archive (time-shift). */
export type SourceKind = 'publisher' | 'origin' | 'parent' | 'sibling' | 'buffer' | 'archive';

/** What feeds a Feed: a local publisher, or a subscription on an upstream link. */
export interface FeedSource {
  readonly kind: SourceKind;
  readonly peer: string;
  requestKeyframe(track: number): void;
  /** Stops the source (unsubscribe upstream, or end the publisher's session). */
  close(reason: string): void;
}

/** The side of a Feed that a source talks to. */
export interface FeedSink {
  deliver(track: number, rtp: Uint8Array, captureMs: number, keyframe: boolean): void;
  /** Upstream ended the stream for good. */
  end(code: ErrorCode, reason: string): void;
  /**
   * Upstream went away without ending the stream (link lost, publisher gone): re-pull, or
   * wait for the publisher, if anyone watches. `from` is the source reporting it.
   */
  sourceLost(reason: string, from?: FeedSource): void;
  /** Upstream says the publisher is away and the stream waits for it (FeedConsumer.onPaused). */
  paused?(reason: string): void;
}
