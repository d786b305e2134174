import type { Feed, Upstream } from './Feed.js';
import { ReplaySource } from './ReplaySource.js';
import type { StreamHub } from './StreamHub.js';

/**
 * The first step of every planner for a time-shifted request: this node's own memory buffer
 * of the live stream (window B), when it holds the start (patent [0061]-[0072]). Null when it
 * does not.
 */
export function fromBuffer(hub: StreamHub, feed: Feed, nodeId: string): Upstream | null {
  const startMs = feed.resumeFromMs;
  const live = hub.get(feed.name);
  const buffer = live && !live.closed ? live.buffer : null;
  if (!buffer || !live?.info || !buffer.covers(startMs)) return null;
  const replay = new ReplaySource({ kind: 'buffer', peer: nodeId, startMs, seek: (t) => buffer.cursor(t), logger: feed.log, stalls: feed.counters.timeshiftStalls });
  if (!replay.valid) return null;
  replay.start(feed);
  return { source: replay, info: live.info };
}
