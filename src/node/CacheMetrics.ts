import type { CacheBudget } from '../media/CacheBudget.js';
import type { Labels, Metrics } from '../metrics.js';
import { OTHER_STREAMS } from './StreamMetrics.js';

/**
 * Window B's memory on /metrics (issue 23): bytes per stream and in total against the node
 * budget, and what the budget evicted. Read when scraped. The largest `maxStreams` streams get
 * their own series, the rest are summed under stream="(other)" (bounded cardinality, as for
 * canopy_stream_*).
 */
export function registerCacheMetrics(m: Metrics, budget: CacheBudget, maxStreams: number): void {
  m.gauge('cache_budget_bytes', 'Memory budget of window B for all streams of this node (--cache-max-total-bytes)', () => budget.maxBytes);
  m.gauge(
    'cache_bytes_total',
    'Memory window B holds now, all streams (RTP bytes plus per-packet bookkeeping), against canopy_cache_budget_bytes',
    () => budget.used,
  );
  m.gauge(
    'cache_bytes',
    'Memory window B holds now per stream (stream="(other)": the streams beyond --metrics-max-streams, smallest first)',
    (): Array<[Labels, number]> => {
      const rows = budget.perStream();
      const out: Array<[Labels, number]> = rows.slice(0, maxStreams).map(([stream, n]) => [{ stream }, n]);
      if (rows.length > maxStreams) out.push([{ stream: OTHER_STREAMS }, rows.slice(maxStreams).reduce((s, [, n]) => s + n, 0)]);
      return out;
    },
    ['stream'],
  );
  m.counterFrom('cache_evictions_total', 'GOPs (without video, about a second of media) the window-B budget evicted', () => [[{}, budget.evictions]], []);
  m.counterFrom('cache_evicted_bytes_total', 'Bytes the window-B budget evicted', () => [[{}, budget.evictedBytes]], []);
}
