import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics.js';
import { OTHER_STREAMS, StreamMetrics, type StreamFeedFigures } from '../../src/node/StreamMetrics.js';
import { loadRelayConfig } from '../../relay/config.js';

type FakeFeed = { -readonly [K in keyof StreamFeedFigures]: StreamFeedFigures[K] };

function feed(name: string, bytesIn: number, bytesOut: number, live = true): FakeFeed {
  return { name, live, createdAt: 0, packetsIn: bytesIn / 100, bytesReceived: bytesIn, packetsOut: bytesOut / 100, bytesOut };
}

function series(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(name.length, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('per-stream metrics', () => {
  it('give each stream its own viewers, bitrate, packets and bytes, a time-shifted session counting as out only', async () => {
    let now = 0;
    const feeds = [feed('a', 1000, 3000), feed('a', 5000, 700, false), feed('b', 200, 0)];
    const viewers = [{ stream: 'a' }, { stream: 'a' }, { stream: 'b' }];
    const m = new Metrics({ runtime: false });
    new StreamMetrics({ maxStreams: 50, feeds: () => feeds, viewers: () => viewers, now: () => now }).register(m);
    now = 2000;
    const text = await m.render();
    expect(series(text, 'canopy_stream_viewers')).toEqual(
      new Map([
        ['{stream="a"}', 2],
        ['{stream="b"}', 1],
      ]),
    );
    const bytes = series(text, 'canopy_stream_bytes_total');
    expect(bytes.get('{stream="a",direction="in"}')).toBe(1000);
    expect(bytes.get('{stream="a",direction="out"}')).toBe(3700);
    expect(series(text, 'canopy_stream_packets_total').get('{stream="a",direction="out"}')).toBe(37);
    // 3700 bytes over the 2 s since the feeds opened.
    expect(series(text, 'canopy_stream_bitrate_bps').get('{stream="a",direction="out"}')).toBe(14800);
    // Then over the interval since that scrape.
    feeds[0]!.bytesOut += 1000;
    now = 3000;
    expect(series(await m.render(), 'canopy_stream_bitrate_bps').get('{stream="a",direction="out"}')).toBe(8000);
  });

  it('sum the streams beyond --metrics-max-streams under stream="(other)", keeping those with the most viewers', async () => {
    const feeds = Array.from({ length: 60 }, (_, i) => feed(`s${i}`, 100 * (i + 1), 1000));
    // Stream s<i> has i viewers: s10..s59 keep their series, s0..s9 (45 viewers) are summed.
    const viewers = feeds.flatMap((f, i) => Array.from({ length: i }, () => ({ stream: f.name })));
    const m = new Metrics({ runtime: false });
    new StreamMetrics({ maxStreams: 50, feeds: () => feeds, viewers: () => viewers }).register(m);
    const text = await m.render();
    const v = series(text, 'canopy_stream_viewers');
    expect(v.size).toBe(51);
    expect(v.get(`{stream="${OTHER_STREAMS}"}`)).toBe(45);
    expect(v.get('{stream="s10"}')).toBe(10);
    expect(v.has('{stream="s9"}')).toBe(false);
    expect(series(text, 'canopy_stream_bytes_total').get(`{stream="${OTHER_STREAMS}",direction="in"}`)).toBe(100 * 55);
    expect(series(text, 'canopy_stream_bytes_total').size).toBe(102);
    // The node-wide totals still add up.
    expect([...v.values()].reduce((a, b) => a + b, 0)).toBe(viewers.length);
  });

  it('with a cap of 0 keep only the sum', async () => {
    const m = new Metrics({ runtime: false });
    new StreamMetrics({ maxStreams: 0, feeds: () => [feed('x', 1, 1), feed('y', 2, 2)], viewers: () => [] }).register(m);
    expect(series(await m.render(), 'canopy_stream_viewers')).toEqual(new Map([[`{stream="${OTHER_STREAMS}"}`, 0]]));
  });

  it('take the cap from --metrics-max-streams, 50 by default', () => {
    const base = ['--id', 'r', '--parent', 'ws://127.0.0.1:1/relay', '--ice-address', '127.0.0.1', '--insecure-no-cluster-secret'];
    expect(loadRelayConfig(base, {}).metricsMaxStreams).toBe(50);
    expect(loadRelayConfig([...base, '--metrics-max-streams', '3'], {}).metricsMaxStreams).toBe(3);
  });
});
