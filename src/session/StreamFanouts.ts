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
  /** Frames this member's cap left out so far (undefined: the engine does not say). */
  temporalFramesDropped?(): number | undefined;
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
  /** The last packet the group sent (a member moving in on it was not in the group for it). */
  last: MediaPacket | null = null;

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
    this.last = p;
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

/** The entry of a stream track, created (not yet attached) when there is none; null: no fan-out on this engine. */
function entryOf(engine: RtcEngine, feed: Feed, trackId: number, spec: FanoutSpec, counters: FanoutCounters): { e: Entry; fresh: boolean } | null {
  if (!engine.createFanout) return null;
  let feeds = registry.get(engine);
  if (!feeds) registry.set(engine, (feeds = new WeakMap()));
  let tracks = feeds.get(feed);
  if (!tracks) feeds.set(feed, (tracks = new Map()));
  const entry = tracks.get(trackId);
  if (entry) return { e: entry, fresh: false };
  const e = new Entry(engine.createFanout(FANOUT_HISTORY_MS, spec.temporalCodec), trackId, counters);
  tracks.set(trackId, e);
  return { e, fresh: true };
}

/** A member came: the group is attached to its feed with its first. */
function enterEntry(feed: Feed, e: Entry, fresh: boolean): void {
  if (fresh) feed.attach(e, { sender: true });
  e.members++;
}

/** A member left (or a join failed, members 0): the group goes with its last. */
function leaveEntry(engine: RtcEngine, feed: Feed, trackId: number, e: Entry, attached: boolean): void {
  if (attached) e.members--;
  if (e.members > 0) return;
  if (attached) feed.detach(e);
  e.group.close();
  const map = registry.get(engine)?.get(feed);
  if (map?.get(trackId) === e) map.delete(trackId);
}

export function joinFanout(engine: RtcEngine, feed: Feed, trackId: number, track: EngineTrack, spec: FanoutSpec, counters: FanoutCounters): FanoutTap | null {
  const got = entryOf(engine, feed, trackId, spec, counters);
  if (!got) return null;
  const { e, fresh } = got;
  const member: FanoutMember | null = e.group.join(track, spec);
  if (!member) {
    leaveEntry(engine, feed, trackId, e, false);
    return null;
  }
  enterEntry(feed, e, fresh);
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
    temporalFramesDropped() {
      return closed || !temporal ? undefined : member.temporalFramesDropped?.();
    },
    close() {
      if (closed) return;
      closed = true;
      member.close();
      leaveEntry(engine, feed, trackId, e, true);
    },
  };
}

/** A simulcast viewer's video in its stream's per-layer fan-out groups (LayerFanout). */
export interface LayerFanoutTap extends FanoutTap {
  /** The layer track whose group the member is in (-1: none yet). */
  readonly layer: number;
  /**
   * The viewer's layer became p's track (LayerSwitch decided: p is the first packet of its key
   * frame): the member moves into that layer's group (created while some viewer is on the layer)
   * with its rewrite state, starting with p. False when it could not (the viewer is going): the
   * tap is closed then.
   */
  enter(p: MediaPacket): boolean;
}

/**
 * One simulcast viewer's video as a member of the group of the layer it is on: one group per
 * (stream track, layer) at a node, refcounted like any stream track's, so JavaScript hands each
 * packet of a layer to the engine once however many viewers are on it (issue 19). The member
 * is made at the viewer's first layer and moved at each switch (FanoutMember.moveTo); the
 * decision stays LayerSwitch's. Null when the engine cannot move members (node-datachannel:
 * the viewer's TrackSender sends).
 */
export function layerFanout(engine: RtcEngine, feed: Feed, track: () => EngineTrack | null, spec: FanoutSpec, counters: FanoutCounters): LayerFanoutTap | null {
  if (!engine.createFanout || !engine.fanoutMoves) return null;
  let member: FanoutMember | null = null;
  let entry: Entry | null = null;
  let layer = -1;
  let closed = false;
  let cap: number | null = null;
  let share: number | null = null;
  // Bytes of the groups left before (sent to this member) and at entering the current one.
  let bytesBefore = 0;
  let bytesAtEnter = 0;
  let tidBefore: number[] = [];
  let tidAtEnter: readonly number[] = [];
  const temporal = spec.temporalCodec !== undefined && hasTemporalLayers(spec.temporalCodec);
  const groupTid = (): readonly number[] => entry?.group.temporalBytes?.() ?? [];
  const tidNow = (): number[] => {
    const cur = groupTid();
    const n = Math.max(cur.length, tidBefore.length);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((tidBefore[i] ?? 0) + Math.max(0, (cur[i] ?? 0) - (tidAtEnter[i] ?? 0)));
    return out;
  };
  const tap: LayerFanoutTap = {
    temporal,
    get layer() {
      return layer;
    },
    get bytesSent() {
      return bytesBefore + (entry ? entry.bytes - bytesAtEnter : 0);
    },
    setRetransmitShare(s) {
      share = s;
      if (!closed) member?.setRetransmitShare?.(s);
    },
    setTemporalCap(c) {
      cap = c;
      if (!closed && temporal) member?.setTemporalCap?.(c);
    },
    temporalWaitsForKeyframe() {
      return !closed && temporal && !!member?.temporalWaitsForKeyframe?.();
    },
    temporalBytes() {
      return closed || !temporal ? [] : tidNow();
    },
    temporalFramesDropped() {
      return closed || !temporal ? undefined : member?.temporalFramesDropped?.();
    },
    enter(p) {
      if (closed) return false;
      if (p.track === layer) return true;
      const got = entryOf(engine, feed, p.track, spec, counters);
      if (!got) return false;
      const { e, fresh } = got;
      const now = Date.now();
      let m = member;
      if (!m) {
        const t = track();
        m = t ? e.group.join(t, spec) : null;
        if (m && !m.moveTo) {
          m.close();
          m = null;
        }
        if (!m) {
          leaveEntry(engine, feed, p.track, e, false);
          tap.close();
          return false;
        }
        // The member starts on p too: the group may have sent it before the member was in it.
        if (!m.moveTo!(e.group, p.rtp, p.captureMs, now)) {
          m.close();
          leaveEntry(engine, feed, p.track, e, false);
          tap.close();
          return false;
        }
        member = m;
        if (share !== null) m.setRetransmitShare?.(share);
        if (cap !== null && temporal) m.setTemporalCap?.(cap);
      } else if (!m.moveTo!(e.group, p.rtp, p.captureMs, now)) {
        leaveEntry(engine, feed, p.track, e, false);
        tap.close();
        return false;
      }
      if (temporal) tidBefore = tidNow();
      if (entry) {
        bytesBefore += entry.bytes - bytesAtEnter;
        leaveEntry(engine, feed, layer, entry, true);
      }
      enterEntry(feed, e, fresh);
      entry = e;
      layer = p.track;
      bytesAtEnter = e.bytes;
      tidAtEnter = groupTid();
      // p went to this member by the move when the group had sent it already (otherwise the
      // group sends it, and counts it, next).
      if (e.last === p) {
        bytesBefore += p.rtp.length;
        counters.packetsOut.add();
        counters.bytesOut.add(p.rtp.length);
      }
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      member?.close();
      member = null;
      if (entry) leaveEntry(engine, feed, layer, entry, true);
      entry = null;
    },
  };
  return tap;
}
