import type { Labels, Metrics } from '../metrics.js';
import { ByteRate } from './ByteRate.js';

/** What a feed offers the per-stream metrics (Feed.ts keeps these as plain numbers). */
export interface StreamFeedFigures {
  readonly name: string;
  readonly live: boolean;
  readonly createdAt: number;
  readonly packetsIn: number;
  readonly bytesReceived: number;
  readonly packetsOut: number;
  readonly bytesOut: number;
}

export interface StreamMetricsOptions {
  /** Streams with their own series; the rest are summed under stream="(other)". */
  maxStreams: number;
  feeds: () => Iterable<StreamFeedFigures>;
  /** The stream of each viewer session on this node. */
  viewers: () => Iterable<{ readonly stream: string }>;
  now?: () => number;
}

/** The series label for the streams beyond the cap. */
export const OTHER_STREAMS = '(other)';

/** A bitrate is measured over at least this long (a scrape sooner reuses the last one). */
const RATE_MIN_INTERVAL_MS = 1000;
/** Scrapes this close together read one snapshot (each metric's collect asks for it). */
const SNAPSHOT_TTL_MS = 100;

interface Row {
  viewers: number;
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  bpsIn: number;
  bpsOut: number;
}

interface Sample {
  in: ByteRate;
  out: ByteRate;
}

const emptyRow = (): Row => ({ viewers: 0, packetsIn: 0, bytesIn: 0, packetsOut: 0, bytesOut: 0, bpsIn: 0, bpsOut: 0 });

/**
 * Per-stream figures on /metrics: viewers, bitrate and packets by stream, computed when scraped
 * from the feeds' plain counters (nothing per packet here). Label cardinality is bounded: the
 * `maxStreams` streams with the most viewers (then the most bytes sent, then by name) get their
 * own series, the others are summed under stream="(other)", so a node carrying thousands of
 * streams, or a client inventing names, cannot blow up the scrape or the Prometheus server.
 *
 * A stream's counters start from 0 when the stream (re)opens on this node and go when it
 * closes, as a process restart would; Prometheus' rate() treats that as a counter reset.
 */
export class StreamMetrics {
  private readonly samples = new WeakMap<object, Sample>();
  private snap: { at: number; rows: Map<string, Row> } | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: StreamMetricsOptions) {
    this.now = opts.now ?? Date.now;
  }

  register(m: Metrics): void {
    const each = (pick: (r: Row) => number) => (): Array<[Labels, number]> => [...this.rows()].map(([stream, r]) => [{ stream }, pick(r)]);
    const byDirection = (pickIn: (r: Row) => number, pickOut: (r: Row) => number) => (): Array<[Labels, number]> =>
      [...this.rows()].flatMap(([stream, r]): Array<[Labels, number]> => [
        [{ stream, direction: 'in' }, pickIn(r)],
        [{ stream, direction: 'out' }, pickOut(r)],
      ]);
    m.gauge(
      'stream_viewers',
      'WHEP viewers of each stream on this node (stream="(other)": the streams beyond --metrics-max-streams)',
      each((r) => r.viewers),
      ['stream'],
    );
    m.gauge(
      'stream_bitrate_bps',
      'RTP bitrate of each stream, bit/s over the last scrape interval (at least 1 s): in = arriving at this node, out = sent to its viewers and child links together',
      byDirection(
        (r) => r.bpsIn,
        (r) => r.bpsOut,
      ),
      ['stream', 'direction'],
    );
    m.counterFrom(
      'stream_packets_total',
      'RTP packets of each stream: in = arriving at this node, out = handed to its viewers and child links (one per consumer); from 0 when the stream opens here',
      byDirection(
        (r) => r.packetsIn,
        (r) => r.packetsOut,
      ),
      ['stream', 'direction'],
    );
    m.counterFrom(
      'stream_bytes_total',
      'RTP bytes of each stream: in = arriving at this node, out = handed to its viewers and child links; from 0 when the stream opens here',
      byDirection(
        (r) => r.bytesIn,
        (r) => r.bytesOut,
      ),
      ['stream', 'direction'],
    );
  }

  /** The rows by stream label, the cap applied; one snapshot serves all metrics of a scrape. */
  rows(): Map<string, Row> {
    const now = this.now();
    if (this.snap && now - this.snap.at < SNAPSHOT_TTL_MS && now >= this.snap.at) return this.snap.rows;
    const all = new Map<string, Row>();
    const row = (name: string): Row => {
      let r = all.get(name);
      if (!r) all.set(name, (r = emptyRow()));
      return r;
    };
    for (const f of this.opts.feeds()) {
      const r = row(f.name);
      const s = this.rates(f);
      const bpsIn = s.in.update(f.bytesReceived, now);
      const bpsOut = s.out.update(f.bytesOut, now);
      // A time-shifted session replays what the stream already received: it counts as out only.
      if (f.live) {
        r.packetsIn += f.packetsIn;
        r.bytesIn += f.bytesReceived;
        r.bpsIn += bpsIn;
      }
      r.packetsOut += f.packetsOut;
      r.bytesOut += f.bytesOut;
      r.bpsOut += bpsOut;
    }
    for (const v of this.opts.viewers()) row(v.stream).viewers++;
    const rows = this.cap(all);
    this.snap = { at: now, rows };
    return rows;
  }

  private cap(all: Map<string, Row>): Map<string, Row> {
    const max = this.opts.maxStreams;
    if (all.size <= max) return all;
    const ranked = [...all].sort(([an, a], [bn, b]) => b.viewers - a.viewers || b.bytesOut - a.bytesOut || (an < bn ? -1 : an > bn ? 1 : 0));
    const out = new Map<string, Row>(ranked.slice(0, max));
    const other = emptyRow();
    for (const [, r] of ranked.slice(max)) for (const k of Object.keys(other) as Array<keyof Row>) other[k] += r[k];
    // A stream literally named "(other)" cannot exist (STREAM_NAME allows no parentheses).
    out.set(OTHER_STREAMS, other);
    return out;
  }

  /** The feed's bitrates, in and out, each over an interval of at least RATE_MIN_INTERVAL_MS since the feed opened. */
  private rates(f: StreamFeedFigures): Sample {
    let s = this.samples.get(f);
    if (!s) this.samples.set(f, (s = { in: new ByteRate(RATE_MIN_INTERVAL_MS, f.createdAt), out: new ByteRate(RATE_MIN_INTERVAL_MS, f.createdAt) }));
    return s;
  }
}
