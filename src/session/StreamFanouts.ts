import type { EngineTrack, FanoutGroup, FanoutMember, FanoutSpec, RtcEngine } from '../engine/engine.js';
import { hasTemporalLayers } from '../engine/TemporalFilter.js';
import type { Feed } from '../media/Feed.js';
import type { MediaPacket } from '../media/MediaPacket.js';
import type { StreamConsumer } from '../media/types.js';
import type { Counter } from '../metrics.js';

/** Packets each fan-out group keeps for NACK answers (the default --repair-window). */
export const FANOUT_HISTORY_MS = 1000;

/** A viewer track's place in its stream track's fan-out group. */
export interface FanoutTap {
  /** RTP bytes the group sent since this member joined (what its viewer was sent of this track). */
  readonly bytesSent: number;
  /** This member's retransmit share (the back-off while its viewer's link is full). */
  setRetransmitShare(share: number): void;
  /**
   * Whether this member can be sent fewer temporal layers (the engine's group does it and the
   * codec has them: VP8, VP9, AV1); then setTemporalCap and temporalBytes work.
   */
  readonly temporal: boolean;
  /** The highest temporal layer this member gets (null: all), from the next frame on (ViewerTemporal.ts decides). */
  setTemporalCap(cap: number | null): void;
  /** A layer the cap allows waits for a key frame (AV1: no switching point in its bitstream). */
  temporalWaitsForKeyframe(): boolean;
  /** Bytes the group was handed per temporal layer (index = TID) so far; shared by its members. */
  temporalBytes(): readonly number[];
  close(): void;
}

/** The node's egress counters, which the group adds to once per packet for all its members. */
export interface FanoutCounters {
  packetsOut: Counter;
  bytesOut: Counter;
}

/**
 * One stream track's group, attached to the feed as its one sender for that track: the feed
 * hands it each packet once, and it hands the packet to the engine once for every member. Its
 * viewers are passive consumers of the feed (no per-packet call each).
 */
class Entry implements StreamConsumer {
  readonly kind = 'fanout';
  readonly layerAware = true;
  members = 0;
  /** RTP bytes sent to each member since the group began. */
  bytes = 0;

  constructor(
    readonly group: FanoutGroup,
    private readonly trackId: number,
    private readonly counters: FanoutCounters,
  ) {}

  get label(): string {
    return `fanout track ${this.trackId}`;
  }

  onPacket(p: MediaPacket): void {
    if (p.track !== this.trackId) return;
    const n = this.group.size;
    this.group.send(p.rtp, p.captureMs, Date.now());
    this.bytes += p.rtp.length;
    this.counters.packetsOut.add(n);
    this.counters.bytesOut.add(n * p.rtp.length);
  }

  /** The members' viewers end with the stream themselves, and their leaving closes the group. */
  onEnded(): void {}
}

/**
 * The fan-out groups of an engine, one per stream track (keyed by the feed, so a feed's groups
 * go with it). A group is attached to its feed as a sender and sends each packet once for all
 * its members (one call per packet per stream); it closes, and leaves the feed, with its last
 * member.
 */
const registry = new WeakMap<RtcEngine, WeakMap<Feed, Map<number, Entry>>>();

export function joinFanout(engine: RtcEngine, feed: Feed, trackId: number, track: EngineTrack, spec: FanoutSpec, counters: FanoutCounters): FanoutTap | null {
  if (!engine.createFanout) return null;
  let feeds = registry.get(engine);
  if (!feeds) registry.set(engine, (feeds = new WeakMap()));
  let tracks = feeds.get(feed);
  if (!tracks) feeds.set(feed, (tracks = new Map()));
  let entry = tracks.get(trackId);
  const fresh = !entry;
  if (!entry) {
    entry = new Entry(engine.createFanout(FANOUT_HISTORY_MS, spec.temporalCodec), trackId, counters);
    tracks.set(trackId, entry);
  }
  const e = entry;
  const member: FanoutMember | null = e.group.join(track, spec);
  if (!member) {
    if (e.members === 0) {
      e.group.close();
      tracks.delete(trackId);
    }
    return null;
  }
  if (fresh) feed.attach(e, { sender: true });
  e.members++;
  const map = tracks;
  const bytesAtJoin = e.bytes;
  let closed = false;
  const temporal = spec.temporalCodec !== undefined && hasTemporalLayers(spec.temporalCodec) && !!member.setTemporalCap && !!e.group.temporalBytes;
  return {
    temporal,
    get bytesSent() {
      return e.bytes - bytesAtJoin;
    },
    setRetransmitShare(share) {
      if (!closed) member.setRetransmitShare?.(share);
    },
    setTemporalCap(cap) {
      if (!closed && temporal) member.setTemporalCap?.(cap);
    },
    temporalWaitsForKeyframe() {
      return !closed && temporal && !!member.temporalWaitsForKeyframe?.();
    },
    temporalBytes() {
      return closed || !temporal ? [] : (e.group.temporalBytes?.() ?? []);
    },
    close() {
      if (closed) return;
      closed = true;
      member.close();
      if (--e.members === 0) {
        feed.detach(e);
        e.group.close();
        if (map.get(trackId) === e) map.delete(trackId);
      }
    },
  };
}
