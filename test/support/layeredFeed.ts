import { Feed } from '../../src/media/Feed.js';
import type { FeedSource, Quality, StreamInfo } from '../../src/media/types.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';

/**
 * A published feed 'sim' with one VP8 simulcast group: tracks 0 (high), 1 (mid) and 2 (low).
 * `asked`: the tracks keyframes were asked of; `set`: the layer sets the feed asked for.
 */
export function layeredFeed(): { feed: Feed; asked: number[]; set: Quality[][] } {
  const asked: number[] = [];
  const set: Quality[][] = [];
  const feed = new Feed('sim', {
    startTimeoutMs: 1000,
    idleCloseAfterMs: 0,
    keyframeDebounceMs: 0,
    recoverForMs: 0,
    logger: silentLogger(),
    counters: nodeCounters(new Metrics()),
  });
  const source: FeedSource = { kind: 'publisher', peer: 'p', requestKeyframe: (t) => asked.push(t), setLayers: (l) => set.push(l), close: () => undefined };
  const video = { kind: 'video' as const, codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' };
  const info: StreamInfo = {
    name: 'sim',
    createdMs: 0,
    tracks: [
      { id: 0, ...video, layer: { rid: 'f', quality: 'high', group: 0 } },
      { id: 1, ...video, layer: { rid: 'h', quality: 'mid', group: 0 } },
      { id: 2, ...video, layer: { rid: 'q', quality: 'low', group: 0 } },
    ],
  };
  feed.publish(source, info);
  return { feed, asked, set };
}
