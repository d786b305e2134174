import type { ErrorCode } from '../errors.js';
import type { MediaPacket } from './MediaPacket.js';

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
  /**
   * A simulcast layer (RFC 8853) of one published video source. The layers of a source are
   * separate tracks of the stream; each carries its own SSRC and sequence numbers. A viewer
   * gets one layer of a group at a time (src/session/LayerSwitch.ts), and a link carries a
   * layer only while something below needs it (LayerDemand.ts). Absent: not a layer.
   */
  layer?: TrackLayer;
}

/** Layer qualities, best first. */
export const QUALITIES = ['high', 'mid', 'low'] as const;
export type Quality = (typeof QUALITIES)[number];

export interface TrackLayer {
  /** The publisher's rid (RFC 8851). */
  rid: string;
  quality: Quality;
  /** The id of the group's top layer: the layers of one source share it. */
  group: number;
}

export function isQuality(q: unknown): q is Quality {
  return typeof q === 'string' && (QUALITIES as readonly string[]).includes(q);
}

export interface StreamInfo {
  name: string;
  createdMs: number;
  tracks: TrackInfo[];
}

/**
 * What a consumer is: its label in canopy_consumer_errors_total{kind} and in logs. Viewers and
 * child links are the stream's egress (Feed.consumers); the buffer and the recorder are the
 * node's own stores; a native fan-out group (src/session/StreamFanouts.ts) sends for its
 * passive viewers. Later consumers add their kind here.
 */
export type ConsumerKind = 'viewer' | 'child' | 'buffer' | 'recorder' | 'fanout';

/**
 * Anything that takes a stream's packets: a WHEP viewer, a child link's copy, the time buffer
 * (window B), the archive recorder, and later an HLS packager or a native fan-out. One
 * interface, so the stream treats them alike: it hands each the same packet object, catches
 * what one throws at that one (src/faults.ts), and tells each once when the stream is over.
 */
export interface StreamConsumer {
  readonly kind: ConsumerKind;
  /** Names this consumer in the log line of its first fault (a session id, a link's peer). */
  readonly label?: string;
  /** One packet, shared with every other consumer: read it, never write it. */
  onPacket(p: MediaPacket): void;
  /** The stream is over for good; the consumer must close (or, a store, stop taking packets). */
  onEnded(code: ErrorCode, reason: string): void;
  /**
   * The publisher left or was lost, and the stream waits for it (--reconnect-grace): no
   * media until it returns (the next packet), or onEnded when it does not.
   */
  onPaused?(reason: string): void;
  /**
   * Whether it takes a stream's layers itself (LayerDemand: a viewer's layer switch, a child
   * link's copy, a layer's HLS packager). Any other egress consumer (a time-shift HLS packager)
   * holds the top layer while attached.
   */
  readonly layerAware?: boolean;
  /**
   * Whether it takes no packets itself: a viewer every one of whose tracks an engine's fan-out
   * group sends (the group, attached as a sender, takes them once for all its members). Read
   * once, at attach. It is still egress: counted, paused and ended like any other.
   */
  readonly passive?: boolean;
  /** The stream flows again after onPaused (its next packet arrived). */
  onResumed?(): void;
  /** Its line in /api/state under its stream (a viewer: its layer and bandwidth estimate; a link: its layers). */
  describe?(): Record<string, unknown>;
}

/** Where a feed's packets come from: a publisher, a link, or this node's own buffer or archive (time-shift). */
export type SourceKind = 'publisher' | 'origin' | 'parent' | 'sibling' | 'buffer' | 'archive';

/** What feeds a Feed: a local publisher, or a subscription on an upstream link. */
export interface FeedSource {
  readonly kind: SourceKind;
  readonly peer: string;
  requestKeyframe(track: number): void;
  /** The layers (qualities) wanted below changed (LayerDemand): an upstream link sends only those. */
  setLayers?(layers: Quality[]): void;
  /** Stops the source (unsubscribe upstream, or end the publisher's session). */
  close(reason: string): void;
}

/** The side of a Feed that a source talks to. */
export interface FeedSink {
  deliver(p: MediaPacket): void;
  /** Upstream ended the stream for good. */
  end(code: ErrorCode, reason: string): void;
  /**
   * Upstream went away without ending the stream (link lost, publisher gone): re-pull, or
   * wait for the publisher, if anyone watches. `from` is the source reporting it.
   */
  sourceLost(reason: string, from?: FeedSource): void;
  /** Upstream says the publisher is away and the stream waits for it (StreamConsumer.onPaused). */
  paused?(reason: string): void;
  /** The layers (qualities) wanted below now, for a new upstream subscription (LayerDemand). */
  wantedLayers?(): Quality[];
}
