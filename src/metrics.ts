// A small Prometheus text-format registry (exposition format 0.0.4).

type Labels = Record<string, string>;

function labelKey(labels: Labels | undefined): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class Counter {
  private readonly values = new Map<string, number>();
  /** The unlabelled value, kept apart: it is bumped per packet on the forwarding path. */
  private plain = 0;
  private plainUsed = false;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Adds to the unlabelled series (the hot path: no allocation, no map lookup). */
  add(by = 1): void {
    this.plain += by;
    this.plainUsed = true;
  }

  inc(labels?: Labels, by = 1): void {
    if (!labels) return this.add(by);
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  get(labels?: Labels): number {
    return labels ? (this.values.get(labelKey(labels)) ?? 0) : this.plain;
  }

  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.plainUsed || this.values.size === 0) out.push(`${this.name} ${this.plain}`);
    for (const [k, v] of this.values) out.push(`${this.name}${k} ${v}`);
    return out;
  }
}

export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect: () => number | Array<[Labels, number]>,
  ) {}

  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    const v = this.collect();
    if (typeof v === 'number') out.push(`${this.name} ${v}`);
    else for (const [labels, n] of v) out.push(`${this.name}${labelKey(labels)} ${n}`);
    return out;
  }
}

/** A cumulative histogram (Prometheus exposition 0.0.4): bucket counts, sum and count. */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(v: number): void {
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.counts[i]!++;
    this.sum += v;
    this.count++;
  }

  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    out.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return out;
  }
}

export class Metrics {
  private readonly items: Array<Counter | Gauge | Histogram> = [];

  counter(name: string, help: string): Counter {
    const c = new Counter(`canopy_${name}`, help);
    this.items.push(c);
    return c;
  }

  gauge(name: string, help: string, collect: () => number | Array<[Labels, number]>): Gauge {
    const g = new Gauge(`canopy_${name}`, help, collect);
    this.items.push(g);
    return g;
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const h = new Histogram(`canopy_${name}`, help, buckets);
    this.items.push(h);
    return h;
  }

  render(): string {
    return this.items.flatMap((i) => i.render()).join('\n') + '\n';
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
    packetsDropped: m.counter('packets_dropped_total', 'RTP packets dropped (malformed, or a consumer too slow)'),
    keyframeRequests: m.counter('keyframe_requests_total', 'Keyframe requests sent upstream (result="forwarded") and received requests not sent on their own (result="suppressed")'),
    // Loss repair (docs/repair.md).
    keyframeRequestsReceived: m.counter('keyframe_requests_received_total', 'Keyframe requests received, by who asked: viewer, child, timer, resync'),
    nacksReceived: m.counter('nacks_received_total', 'Generic NACKs (RFC 4585) received from viewers'),
    retransmitRequests: m.counter('retransmit_requests_total', 'Packets viewers asked to have resent'),
    retransmitted: m.counter('retransmitted_packets_total', 'Packets resent to viewers from a retransmission history'),
    retransmitMisses: m.counter('retransmit_misses_total', 'Packets asked for that the history lacks, by reason: too_old, never_received'),
    retransmitSkipped: m.counter('retransmits_skipped_total', 'Packets asked for but not resent, by reason: rate_limited (per-viewer cap), duplicate (resent moments ago)'),
    nacksSent: m.counter('nacks_sent_total', 'Generic NACKs sent to publishers'),
    recovered: m.counter('recovered_packets_total', 'Lost publisher packets that arrived after a NACK'),
    unrecovered: m.counter('unrecovered_packets_total', 'Lost publisher packets given up on'),
    sessions: m.counter('sessions_total', 'WebRTC sessions created, by kind'),
    linkErrors: m.counter('link_errors_total', 'Relay links closed on an error, by code'),
    siblingPulls: m.counter('sibling_pulls_total', 'Upstream subscriptions opened on a sibling'),
    siblingLateMoves: m.counter('sibling_late_moves_total', 'Pulls moved from the parent to a lower-id sibling whose answer came after the sibling timeout'),
    // Issue 14 (fleet figures): non-media frames on the links this node accepted.
    linkControlIn: m.counter('link_control_frames_received_total', 'Relay-link control frames (all but media) received on accepted links'),
    linkControlOut: m.counter('link_control_frames_sent_total', 'Relay-link control frames (all but media) sent on accepted links'),
  };
}

export type NodeCounters = ReturnType<typeof nodeCounters>;
