import type { Feed, Upstream } from './Feed.js';
import { ReplaySource } from './ReplaySource.js';
import type { StreamHub } from './StreamHub.js';

/**
 * The first step of every planner for a time-shifted request: this node's own memory buffer
 * of the live stream (window B), when it holds the start (patent [0061]-[0072]). Null when it
 * does not. upstreamOnEviction (a relay, which has an upstream): when the node budget evicts
 * what the replay would play next, the feed's source is lost and the feed re-pulls from the
 * position reached, which the planner sends up as evicted (evictedHere); without it (the
 * origin without an archive) the replay skips to the oldest keyframe still held.
 */
export function fromBuffer(hub: StreamHub, feed: Feed, nodeId: string, opts: { upstreamOnEviction?: boolean } = {}): Upstream | null {
  const startMs = feed.resumeFromMs;
  const live = hub.get(feed.name);
  const buffer = live && !live.closed ? live.buffer : null;
  if (!buffer || !live?.info || !buffer.covers(startMs)) return null;
  const seek = (t: number) => {
    const c = buffer.cursor(t);
    if (c) c.stopWhenEvicted = opts.upstreamOnEviction ?? false;
    return c;
  };
  const info = live.info;
  const replay = new ReplaySource({
    kind: 'buffer',
    peer: nodeId,
    startMs,
    seek,
    logger: feed.log,
    stalls: feed.counters.timeshiftStalls,
    clockRate: (track) => info.tracks.find((t) => t.id === track)?.clockRate ?? 90_000,
  });
  if (!replay.valid) return null;
  replay.start(feed);
  return { source: replay, info: live.info };
}

/**
 * Whether this node's buffer of the live stream held startMs and evicted it for memory (the
 * node budget or the per-stream cap), not for age. Such a request is treated as one older than
 * window B (claim 5): marked bypass, it goes straight up to the origin's archive instead of
 * asking siblings and each parent's buffer on the way, which hold the same recent media a
 * budget squeezes first.
 */
export function evictedHere(hub: StreamHub, stream: string, startMs: number): boolean {
  const live = hub.get(stream);
  return !!live && !live.closed && !!live.buffer?.evicted(startMs);
}
