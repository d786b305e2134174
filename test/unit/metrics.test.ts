import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics.js';
import { registerNativeMetrics } from '../../src/engine/nativeMetrics.js';
import type { NativeStats } from '../../src/engine/nativeAddon.js';

describe('Metrics on prom-client', () => {
  it('exposes counters added on the hot path and labelled counters, in Prometheus text', async () => {
    const m = new Metrics();
    const plain = m.counter('things_total', 'Things');
    const labelled = m.counter('drops_total', 'Drops', ['reason']);
    plain.add();
    plain.add(41);
    labelled.inc({ reason: 'slow' });
    labelled.inc({ reason: 'slow' }, 2);
    labelled.inc({ reason: 'bad "quote"' });
    const text = await m.render();
    expect(text).toMatch(/^# TYPE canopy_things_total counter$/m);
    expect(text).toMatch(/^canopy_things_total 42$/m);
    expect(text).toMatch(/^canopy_drops_total\{reason="slow"\} 3$/m);
    expect(text).toMatch(/^canopy_drops_total\{reason="bad \\"quote\\""\} 1$/m);
    expect(labelled.get({ reason: 'slow' })).toBe(3);
    expect(plain.get()).toBe(42);
  });

  it('shows an unlabelled counter at 0 before its first event, and a labelled one with no series', async () => {
    const m = new Metrics();
    m.counter('none_total', 'None yet');
    m.counter('by_total', 'By reason', ['reason']);
    const text = await m.render();
    expect(text).toMatch(/^canopy_none_total 0$/m);
    expect(text).toMatch(/^# TYPE canopy_by_total counter$/m);
    expect(text).not.toMatch(/^canopy_by_total[ {]/m);
  });

  it('shows label values known in advance at 0 from the start', async () => {
    const m = new Metrics({ runtime: false });
    m.counter('kinds_total', 'Kinds', ['kind']).zero({ kind: 'a' }, { kind: 'b' }).inc({ kind: 'b' });
    const text = await m.render();
    expect(text).toMatch(/^canopy_kinds_total\{kind="a"\} 0$/m);
    expect(text).toMatch(/^canopy_kinds_total\{kind="b"\} 1$/m);
  });

  it('refuses a label a counter was not declared with, where it is added', () => {
    const m = new Metrics();
    const c = m.counter('x_total', 'X');
    expect(() => c.inc({ reason: 'r' })).toThrow(/label "reason" is not declared/);
  });

  it('reads gauges when scraped, and observes histograms', async () => {
    const m = new Metrics();
    let n = 1;
    m.gauge('level', 'Level', () => n);
    m.gauge('delay_seconds', 'Delay', () => [[{ quantile: '0.5' }, 0.25]], ['quantile']);
    m.histogram('freeze_seconds', 'Freeze', [0.5, 1]).observe(0.7);
    n = 3;
    const text = await m.render();
    expect(text).toMatch(/^canopy_level 3$/m);
    expect(text).toMatch(/^canopy_delay_seconds\{quantile="0.5"\} 0.25$/m);
    expect(text).toMatch(/^canopy_freeze_seconds_bucket\{le="0.5"\} 0$/m);
    expect(text).toMatch(/^canopy_freeze_seconds_bucket\{le="1"\} 1$/m);
    expect(text).toMatch(/^canopy_freeze_seconds_count 1$/m);
  });

  it('keeps each node in its own registry, with the process and Node.js metrics in each', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.counter('only_a_total', 'A').add(5);
    b.counter('only_a_total', 'B').add(7);
    const [ta, tb] = await Promise.all([a.render(), b.render()]);
    expect(ta).toMatch(/^canopy_only_a_total 5$/m);
    expect(tb).toMatch(/^canopy_only_a_total 7$/m);
    for (const text of [ta, tb]) {
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_seconds',
        'nodejs_active_handles_total',
        'nodejs_gc_duration_seconds',
      ]) {
        expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
      }
    }
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('shows the native data plane ICE-TCP counters by event and reason, and nothing when viewers are not on native', async () => {
    const m = new Metrics({ runtime: false });
    let stats: Partial<NativeStats> | null = { tcpAccepted: 5, tcpRejected: 1, tcpClosed: 4, tcpUnbound: 2, tcpBadFrames: 3, tcpDropped: 7, viewers: 1 };
    registerNativeMetrics(m, () => stats as NativeStats | null);
    const text = await m.render();
    expect(text).toMatch(/^canopy_native_ice_tcp_connections_total\{event="accepted"\} 5$/m);
    expect(text).toMatch(/^canopy_native_ice_tcp_connections_total\{event="rejected"\} 1$/m);
    expect(text).toMatch(/^canopy_native_ice_tcp_connections_total\{event="unauthenticated"\} 2$/m);
    expect(text).toMatch(/^canopy_native_ice_tcp_dropped_frames_total\{reason="bad_framing"\} 3$/m);
    expect(text).toMatch(/^canopy_native_ice_tcp_dropped_frames_total\{reason="queue_full"\} 7$/m);
    stats = null;
    expect(await m.render()).not.toMatch(/^canopy_native_ice_tcp_connections_total\{/m);
  });
});
