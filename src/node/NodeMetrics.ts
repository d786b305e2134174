import type { Feed } from '../media/Feed.js';
import type { StreamHub } from '../media/StreamHub.js';
import type { Metrics } from '../metrics.js';
import type { EventLoopMonitor } from './EventLoopMonitor.js';
import { registerCacheMetrics } from './CacheMetrics.js';
import { StreamMetrics } from './StreamMetrics.js';

/** Freezes kept for /api/state, newest last. */
const FREEZES_KEPT = 20;

/** What the node's gauges read. */
export interface NodeMetricsSources {
  hub: StreamHub;
  eventLoop: EventLoopMonitor;
  /** Streams with their own canopy_stream_* series; the rest are summed as stream="(other)". */
  maxStreams: number;
  viewers: () => Iterable<{ readonly stream: string; readonly estimate?: { bps: number; source: string } | null }>;
  viewerCount: () => number;
  children: () => number;
  links: () => number;
  pending: () => number;
  fanoutWaiting: () => number;
  linksByMediaPath: () => ReturnType<Parameters<Metrics['gauge']>[2]>;
}

/**
 * The node's gauges (read when /metrics is scraped) and its freeze record: how long each stream
 * stood still after losing its upstream, to the next keyframe delivered.
 */
export class NodeMetrics {
  /** The latest freezes (ms from a lost upstream to the next keyframe), newest last. */
  readonly freezes: number[] = [];

  constructor(metrics: Metrics, s: NodeMetricsSources) {
    const frozen = metrics.histogram(
      'freeze_seconds',
      'Time a stream stood still after losing its upstream (failover, publisher gone), to the next keyframe delivered',
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    );
    s.hub.on('feed', (feed: Feed) =>
      feed.on('resumed', (ms: number) => {
        frozen.observe(ms / 1000);
        this.freezes.push(ms);
        if (this.freezes.length > FREEZES_KEPT) this.freezes.shift();
      }),
    );
    new StreamMetrics({ maxStreams: s.maxStreams, feeds: () => s.hub.feeds.values(), viewers: s.viewers }).register(metrics);
    if (s.hub.budget) registerCacheMetrics(metrics, s.hub.budget, s.maxStreams);
    metrics.gauge('links_by_media_path', 'Relay links by side (upstream: we connected; downstream: we accepted) and media path (ws, udp)', s.linksByMediaPath, [
      'side',
      'path',
    ]);
    metrics.gauge('viewers', 'WHEP viewers connected to this node', s.viewerCount);
    metrics.gauge(
      'viewer_estimate_viewers',
      'WHEP viewers by bandwidth estimate (range: under 300 kbit/s, to 1 Mbit/s, to 3 Mbit/s, above; none: no estimate yet) and its source (twcc, remb, loss)',
      () => estimateDistribution(s.viewers()),
      ['range', 'source'],
    );
    metrics.gauge('children', 'Downstream subscriptions (child and sibling relays) on this node', s.children);
    metrics.gauge('streams', 'Streams this node carries', () => s.hub.feeds.size);
    metrics.gauge('links', 'Accepted relay links', s.links);
    metrics.gauge('sessions_pending', 'WebRTC sessions negotiating or not yet connected', s.pending);
    metrics.gauge('fanout_waiting', 'Packets whose fan-out waits for the next event-loop turn', s.fanoutWaiting);
    metrics.gauge(
      'event_loop_delay_seconds',
      'Event-loop delay over the last 10 s (quantile 1 = max)',
      () => {
        const w = s.eventLoop.window(10);
        return [
          [{ quantile: '0.5' }, (w.p50Ms ?? 0) / 1000],
          [{ quantile: '0.99' }, (w.p99Ms ?? 0) / 1000],
          [{ quantile: '1' }, (w.maxMs ?? 0) / 1000],
        ];
      },
      ['quantile'],
    );
  }
}

/** The estimate ranges of canopy_viewer_estimate_viewers (a fixed set: bounded cardinality). */
const ESTIMATE_RANGES: ReadonlyArray<[string, number]> = [
  ['lt_300k', 300_000],
  ['300k_1m', 1_000_000],
  ['1m_3m', 3_000_000],
  ['ge_3m', Infinity],
];

export function estimateDistribution(
  viewers: Iterable<{ readonly estimate?: { bps: number; source: string } | null }>,
): Array<[Record<string, string>, number]> {
  const counts = new Map<string, number>();
  for (const v of viewers) {
    const e = v.estimate;
    const key = e ? `${ESTIMATE_RANGES.find(([, max]) => e.bps < max)![0]}|${e.source}` : 'none|none';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => {
    const [range, source] = k.split('|') as [string, string];
    return [{ range, source }, n];
  });
}
