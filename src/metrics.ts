// Prometheus metrics on prom-client: one Registry per node (several nodes share a process in
// tests and in the demo, so never prom-client's global registry), with the process and Node.js
// runtime metrics in each. The counters bumped per packet stay plain number additions: a
// prom-client `inc()` validates and hashes its labels on every call, which the forwarding path
// must not pay for. prom-client reads our numbers when it is scraped (its `collect` hook).
import { collectDefaultMetrics, Counter as PromCounter, Gauge as PromGauge, Histogram as PromHistogram, Registry, type Metric } from 'prom-client';

export type Labels = Record<string, string>;

/** A label value as Prometheus text would quote it; also our key for a label set. */
function labelKey(labels: Labels): string {
  let k = '';
  for (const name in labels) k += `${name}=${JSON.stringify(labels[name])},`;
  return k;
}

/** A counter whose values live in plain numbers and reach prom-client when scraped. */
export class Counter {
  /** The unlabelled value, kept apart: it is bumped per packet on the forwarding path. */
  private plain = 0;
  private plainUsed = false;
  private readonly values = new Map<string, { labels: Labels; n: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** Adds to the unlabelled series (the hot path: no allocation, no map lookup). */
  add(by = 1): void {
    this.plain += by;
    this.plainUsed = true;
  }

  inc(labels?: Labels, by = 1): void {
    if (!labels) return this.add(by);
    const k = labelKey(labels);
    const v = this.values.get(k);
    if (v) {
      v.n += by;
      return;
    }
    // A label the counter was not declared with is a programming error: say so where it is made,
    // not at the next scrape.
    for (const name in labels) if (!this.labelNames.includes(name)) throw new Error(`${this.name}: label "${name}" is not declared`);
    this.values.set(k, { labels: { ...labels }, n: by });
  }

  /**
   * Shows these label sets at 0 before their first event, so that rate() and alerts see the
   * series from the start (Prometheus' advice for label values known in advance).
   */
  zero(...sets: Labels[]): this {
    for (const labels of sets) this.inc(labels, 0);
    return this;
  }

  get(labels?: Labels): number {
    return labels ? (this.values.get(labelKey(labels))?.n ?? 0) : this.plain;
  }

  /** Copies the numbers into prom-client's metric (at scrape time). */
  copyTo(m: PromCounter): void {
    m.reset();
    // An unlabelled counter always shows (0 before the first event); a labelled one shows its
    // unlabelled series only when something was added to it.
    if (this.plainUsed || this.labelNames.length === 0) m.inc(this.plain);
    for (const { labels, n } of this.values.values()) m.inc(labels, n);
  }
}

export type GaugeValue = number | Array<[Labels, number]>;

/** A cumulative histogram; observed rarely (freezes), so it is prom-client's own. */
export class Histogram {
  constructor(private readonly h: PromHistogram) {}

  observe(v: number): void {
    this.h.observe(v);
  }
}

/**
 * The process-wide runtime metrics (CPU, memory, heap, GC, event-loop lag, handles), made once:
 * they describe the process, not a node, and each set holds a GC observer and an event-loop
 * delay monitor that prom-client never releases, so one set serves every node's registry.
 */
let runtime: Registry | null = null;
/** Sampling period of prom-client's event-loop delay histogram (its default is 10 ms). */
const RUNTIME_LOOP_SAMPLE_MS = 200;
function runtimeMetrics(): Registry {
  if (!runtime) {
    runtime = new Registry();
    // prom-client samples event-loop delay every 10 ms by default: 100 wake-ups a second, which
    // doubled an idle relay's CPU (0.007 → 0.018 cores in `npm run fleet`; each wake-up costs
    // ~95 µs on this VM, docs/scale.md). The node's own EventLoopMonitor (20 ms) already reports
    // stalls in full; prom-client's nodejs_eventloop_lag_* figures only need a coarse sample.
    collectDefaultMetrics({ register: runtime, eventLoopMonitoringPrecision: RUNTIME_LOOP_SAMPLE_MS });
  }
  return runtime;
}

/** The metric objects of the runtime set (getMetricsAsArray types them as their JSON form). */
function runtimeMetricObjects(): Metric[] {
  return runtimeMetrics().getMetricsAsArray() as unknown as Metric[];
}

export class Metrics {
  readonly registry = new Registry();

  constructor(opts: { runtime?: boolean } = {}) {
    if (opts.runtime !== false) for (const m of runtimeMetricObjects()) this.registry.registerMetric(m);
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    const c = new Counter(`canopy_${name}`, help || name, labelNames);
    new PromCounter({
      name: c.name,
      help: c.help,
      labelNames,
      registers: [this.registry],
      collect() {
        c.copyTo(this);
      },
    });
    return c;
  }

  /** A gauge read when scraped: a number, or [labels, value] pairs for a labelled gauge. */
  gauge(name: string, help: string, read: () => GaugeValue, labelNames: readonly string[] = []): void {
    new PromGauge({
      name: `canopy_${name}`,
      help: help || name,
      labelNames,
      registers: [this.registry],
      collect() {
        const v = read();
        this.reset();
        if (typeof v === 'number') this.set(v);
        else for (const [labels, n] of v) this.set(labels, n);
      },
    });
  }

  /** A counter kept elsewhere and read when scraped (a figure that may reset, like a process restart). */
  counterFrom(name: string, help: string, read: () => Array<[Labels, number]>, labelNames: readonly string[]): void {
    new PromCounter({
      name: `canopy_${name}`,
      help: help || name,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, n] of read()) this.inc(labels, n);
      },
    });
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return new Histogram(new PromHistogram({ name: `canopy_${name}`, help: help || name, buckets: [...buckets], registers: [this.registry] }));
  }

  /** The exposition text (prom-client's format: Prometheus text 0.0.4). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The counters every node keeps; one instance per node. */
export function nodeCounters(m: Metrics) {
  return {
    subscriptionsOpened: m.counter('upstream_subscriptions_opened_total', 'Upstream subscriptions opened by this node'),
    subscriptionsClosed: m.counter('upstream_subscriptions_closed_total', 'Upstream subscriptions closed by this node'),
    packetsIn: m.counter('packets_in_total', 'RTP packets received (from a publisher or upstream)'),
    bytesIn: m.counter('bytes_in_total', 'RTP bytes received (from a publisher or upstream)'),
    packetsOut: m.counter('packets_out_total', 'RTP packets sent to viewers and child links'),
    bytesOut: m.counter('bytes_out_total', 'RTP bytes sent to viewers and child links'),
    packetsDropped: m.counter('packets_dropped_total', 'RTP packets dropped (malformed, or a consumer too slow), by reason', ['reason']),
    timeshiftStalls: m
      .counter(
        'timeshift_stalls_total',
        'Time-shifted replays that made no progress for 5 s, by action: rewind (replayed from the last keyframe), end (stalled again: ended)',
        ['action'],
      )
      .zero({ action: 'rewind' }, { action: 'end' }),
    keyframeRequests: m
      .counter(
        'keyframe_requests_total',
        'Keyframe requests sent upstream (result="forwarded") and received requests not sent on their own (result="suppressed")',
        ['result'],
      )
      .zero({ result: 'forwarded' }, { result: 'suppressed' }),
    // Simulcast layers per viewer (docs/abr.md).
    layerSwitches: m
      .counter('layer_switches_total', 'Viewer layer switches completed (at a keyframe of the new layer), by the layer moved to', ['to'])
      .zero({ to: 'high' }, { to: 'mid' }, { to: 'low' }),
    layerFallbacks: m
      .counter('layer_fallbacks_total', 'Viewers moved off their layer other than by choice, by why (layer_stopped: it stopped at the publisher)', ['reason'])
      .zero({ reason: 'layer_stopped' }),
    layerSeconds: m
      .counter('layer_seconds_total', 'Viewer-seconds spent on each simulcast layer', ['layer'])
      .zero({ layer: 'high' }, { layer: 'mid' }, { layer: 'low' }),
    twccStallAdjusted: m
      .counter(
        'twcc_stall_adjusted_total',
        'Publisher transport-cc feedback packets (what="feedback") and arrivals (what="arrivals") whose arrival times were spread over an event-loop stall of the origin, instead of stamped at its end (docs/abr.md)',
        ['what'],
      )
      .zero({ what: 'feedback' }, { what: 'arrivals' }),
    temporalLayerDrops: m
      .counter(
        'temporal_layer_drops_total',
        "Times a viewer's sender began leaving out temporal layers (a switch down waiting for its keyframe), by the highest layer kept",
        ['keep'],
      )
      .zero({ keep: 'tl0' }, { keep: 'tl1' }),
    // Loss repair (docs/repair.md).
    keyframeRequestsReceived: m
      .counter('keyframe_requests_received_total', 'Keyframe requests received, by who asked: viewer, child, timer, resync', ['from'])
      .zero({ from: 'viewer' }, { from: 'child' }, { from: 'timer' }, { from: 'resync' }),
    nacksReceived: m.counter('nacks_received_total', 'Generic NACKs (RFC 4585) received from viewers'),
    retransmitRequests: m.counter('retransmit_requests_total', 'Packets viewers asked to have resent'),
    retransmitted: m.counter('retransmitted_packets_total', 'Packets resent to viewers from a retransmission history'),
    retransmitMisses: m
      .counter('retransmit_misses_total', 'Packets asked for that the history lacks, by reason: too_old, never_received', ['reason'])
      .zero({ reason: 'too_old' }, { reason: 'never_received' }),
    retransmitSkipped: m
      .counter('retransmits_skipped_total', 'Packets asked for but not resent, by reason: rate_limited (per-viewer cap), duplicate (resent moments ago)', [
        'reason',
      ])
      .zero({ reason: 'rate_limited' }, { reason: 'duplicate' }),
    nacksSent: m.counter('nacks_sent_total', 'Generic NACKs sent to publishers'),
    recovered: m.counter('recovered_packets_total', 'Lost publisher packets that arrived after a NACK'),
    unrecovered: m.counter('unrecovered_packets_total', 'Lost publisher packets given up on'),
    sessions: m.counter('sessions_total', 'WebRTC sessions created, by kind', ['kind']).zero({ kind: 'viewer' }, { kind: 'publisher' }),
    linkErrors: m.counter('link_errors_total', 'Relay links closed on an error, by code', ['code']),
    // Faults stay local (src/faults.ts): what one consumer throws is caught and counted there.
    consumerErrors: m
      .counter(
        'consumer_errors_total',
        'Throws caught at one consumer of a stream, by kind: viewer, child, buffer, recorder, listener, link_listener; the stream and its link go on',
        ['kind'],
      )
      .zero({ kind: 'viewer' }, { kind: 'child' }, { kind: 'recorder' }, { kind: 'listener' }),
    siblingPulls: m.counter('sibling_pulls_total', 'Upstream subscriptions opened on a sibling'),
    siblingLateMoves: m.counter('sibling_late_moves_total', 'Pulls moved from the parent to a lower-id sibling whose answer came after the sibling timeout'),
    // Issue 14 (fleet figures): non-media frames on the links this node accepted.
    linkControlIn: m.counter('link_control_frames_received_total', 'Relay-link control frames (all but media) received on accepted links'),
    linkControlOut: m.counter('link_control_frames_sent_total', 'Relay-link control frames (all but media) sent on accepted links'),
  };
}

export type NodeCounters = ReturnType<typeof nodeCounters>;

/** The UDP media pipe's counters (docs/pipe.md); one instance per node, kept by its PipeHost. */
export function pipeCounters(m: Metrics) {
  return {
    packetsSent: m.counter('pipe_packets_sent_total', 'SRTP packets sent on UDP media pipes (media, retransmissions, probes, NACKs)'),
    packetsReceived: m.counter('pipe_packets_received_total', 'Authenticated SRTP packets received on UDP media pipes'),
    dropped: m
      .counter(
        'pipe_packets_dropped_total',
        'Pipe datagrams dropped, by reason: foreign (not from a negotiated peer address), auth, replay, malformed; fragments: packets split across datagrams given up on',
        ['reason'],
      )
      .zero({ reason: 'foreign' }),
    nacksSent: m.counter('pipe_nacks_sent_total', 'Packets asked for again on UDP media pipes (NACKed sequence numbers)'),
    nacksReceived: m.counter('pipe_nacks_received_total', 'Packets a peer asked for again on a UDP media pipe'),
    retransmitted: m.counter('pipe_retransmitted_total', 'Packets resent on a UDP media pipe from a retransmission history'),
    retransmitMisses: m.counter('pipe_retransmit_misses_total', 'Packets a pipe peer asked for that this node no longer has'),
    repaired: m.counter('pipe_repaired_total', 'Packets lost on a UDP media pipe and recovered by a NACK'),
    unrepaired: m.counter('pipe_unrepaired_total', 'Packets lost on a UDP media pipe and given up on'),
    fallbacks: m.counter('pipe_fallbacks_total', 'Links whose media went back to the WebSocket, by reason: silent, handshake, refused, closed', ['reason']),
  };
}

export type PipeCounters = ReturnType<typeof pipeCounters>;
