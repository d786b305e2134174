import type { EngineTrack, FanoutGroup, FanoutMember, FanoutSpec, RtcEngine } from '../engine/engine.js';
import { hasTemporalLayers } from '../engine/TemporalFilter.js';

/** Packets each fan-out group keeps for NACK answers (the default --repair-window). */
export const FANOUT_HISTORY_MS = 1000;

/** A viewer track's place in its stream track's fan-out group. */
export interface FanoutTap {
  /**
   * The feed's packet, as every consumer of the feed is handed it: only the first hand-over of
   * a packet sends it. Returns the members it went to (0 for the repeats), for the counters.
   */
  offer(rtp: Uint8Array, captureMs: number): number;
  /** This member's retransmit share (the back-off while its viewer's link is full). */
  setRetransmitShare(share: number): void;
  /**
   * Whether this member can be sent fewer temporal layers (the engine's group does it and the
   * codec has them: VP8, VP9); then setTemporalCap and temporalBytes work.
   */
  readonly temporal: boolean;
  /** The highest temporal layer this member gets (null: all), from the next frame on (ViewerTemporal.ts decides). */
  setTemporalCap(cap: number | null): void;
  /** Bytes the group was handed per temporal layer (index = TID) so far; shared by its members. */
  temporalBytes(): readonly number[];
  close(): void;
}

interface Entry {
  group: FanoutGroup;
  members: number;
  /** The packet last handed to the group: the feed gives every consumer the same array. */
  last: Uint8Array | null;
}

/**
 * The fan-out groups of an engine, one per stream track (keyed by the feed object, so a feed's
 * groups go with it): each viewer of a feed offers every packet, and the group sends it once
 * for all of them (one call per packet per stream). A group closes with its last member.
 */
const registry = new WeakMap<RtcEngine, WeakMap<object, Map<number, Entry>>>();

export function joinFanout(engine: RtcEngine, feed: object, trackId: number, track: EngineTrack, spec: FanoutSpec): FanoutTap | null {
  if (!engine.createFanout) return null;
  let feeds = registry.get(engine);
  if (!feeds) registry.set(engine, (feeds = new WeakMap()));
  let tracks = feeds.get(feed);
  if (!tracks) feeds.set(feed, (tracks = new Map()));
  let entry = tracks.get(trackId);
  if (!entry) {
    entry = { group: engine.createFanout(FANOUT_HISTORY_MS, spec.temporalCodec), members: 0, last: null };
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
  e.members++;
  const map = tracks;
  let closed = false;
  const temporal = spec.temporalCodec !== undefined && hasTemporalLayers(spec.temporalCodec) && !!member.setTemporalCap && !!e.group.temporalBytes;
  return {
    temporal,
    offer(rtp, captureMs) {
      if (closed || rtp === e.last) return 0;
      e.last = rtp;
      e.group.send(rtp, captureMs, Date.now());
      return e.group.size;
    },
    setRetransmitShare(share) {
      if (!closed) member.setRetransmitShare?.(share);
    },
    setTemporalCap(cap) {
      if (!closed && temporal) member.setTemporalCap?.(cap);
    },
    temporalBytes() {
      return closed || !temporal ? [] : (e.group.temporalBytes?.() ?? []);
    },
    close() {
      if (closed) return;
      closed = true;
      member.close();
      if (--e.members === 0) {
        e.group.close();
        if (map.get(trackId) === e) map.delete(trackId);
      }
    },
  };
}
