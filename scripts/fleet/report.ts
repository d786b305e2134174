/**
 * The fleet's figures from raw samples, and its summary table (pure, unit-tested).
 */

export interface Spread {
  n: number;
  min: number | null;
  median: number | null;
  max: number | null;
}

export function spread(values: readonly number[], digits = 1): Spread {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, min: null, median: null, max: null };
  const r = (x: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const mid = v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  return { n: v.length, min: r(v[0]!), median: r(mid), max: r(v[v.length - 1]!) };
}

/** Per level ("level1", "level2", ...) spread of a per-node value. */
export function byLevel(samples: ReadonlyArray<{ level: number; value: number }>, digits = 1): Record<string, Spread> {
  const levels = [...new Set(samples.map((s) => s.level))].sort((a, b) => a - b);
  return Object.fromEntries(
    levels.map((l) => [
      `level${l}`,
      spread(
        samples.filter((s) => s.level === l).map((s) => s.value),
        digits,
      ),
    ]),
  );
}

export interface LinkRecord {
  /** The upstream the relay pulls the stream from: its parent, or a sibling. */
  from: string;
  to: string;
  kind: string;
  /** Upstream subscriptions the relay opened for the stream during the ramp (re-pulls after one ended included). */
  subscriptions: number;
  /** Upstream subscriptions that ended during the ramp (a pull closed when idle or lost, or moved). */
  ended?: number;
  /** The most upstream subscriptions the relay held at once, at the ramp's snapshots. */
  open_max?: number;
}

/**
 * Pulls per relay: `all_one` when every relay opened exactly one; `one_at_a_time` when none
 * held two at once (a relay that opened two did so after the first ended: `repulls`).
 */
export function linkSummary(links: readonly LinkRecord[]): {
  links: number;
  subscriptions_per_link_max: number | null;
  subscriptions_per_link_min: number | null;
  all_one: boolean;
  one_at_a_time: boolean;
  repulls: number;
  sibling_links: number;
} {
  const subs = links.map((l) => l.subscriptions);
  return {
    links: links.length,
    subscriptions_per_link_max: subs.length ? Math.max(...subs) : null,
    subscriptions_per_link_min: subs.length ? Math.min(...subs) : null,
    all_one: subs.length > 0 && subs.every((s) => s === 1),
    one_at_a_time: links.length > 0 && links.every((l) => (l.open_max ?? l.subscriptions) <= 1),
    repulls: links.reduce((n, l) => n + Math.max(0, l.subscriptions - 1), 0),
    sibling_links: links.filter((l) => l.kind === 'sibling').length,
  };
}

export interface RampStep {
  viewers: number;
  /** Viewers whose PeerConnection is up, as the viewer processes see it. */
  viewers_connected: number;
  /** WHEP sessions the leaves hold at the end of the window. */
  leaf_sessions: number;
  /** Viewers the packets received stand for: packets expected at the viewers / packets into the origin. */
  viewers_receiving: number | null;
  join_failures: number;
  loss_pct: number | null;
  origin_egress_bytes_per_s: number;
  /** Origin egress / the stream's rate into the origin: copies leaving the origin. */
  origin_copies: number | null;
  origin_control_frames_per_s: number;
  relays_carrying: number;
  relays_cpu_cores: number;
  /** CPU of each relay, by level, cores. */
  relay_cpu_cores_by_level: Record<string, Spread>;
  /** Viewers on each leaf. */
  viewers_per_leaf: Spread;
  viewer_processes_cpu_cores: number;
  machine_busy_cores: number;
}

/** How origin egress grows with the audience: the slope of copies over viewers (0 for a tree). */
export function egressGrowth(steps: readonly RampStep[]): {
  first: RampStep | null;
  last: RampStep | null;
  viewers_ratio: number | null;
  egress_ratio: number | null;
} {
  const ok = steps.filter((s) => s.viewers_connected > 0 && s.origin_egress_bytes_per_s > 0);
  const first = ok[0] ?? null;
  const last = ok[ok.length - 1] ?? null;
  return {
    first,
    last,
    viewers_ratio: first && last ? round(last.viewers_connected / first.viewers_connected, 2) : null,
    egress_ratio: first && last ? round(last.origin_egress_bytes_per_s / first.origin_egress_bytes_per_s, 2) : null,
  };
}

function round(v: number, digits: number): number {
  return Math.round(v * 10 ** digits) / 10 ** digits;
}

const fmt = (v: unknown): string => {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Math.abs(v) < 1 ? String(Number(v.toPrecision(2))) : v.toFixed(2);
  return String(v);
};

const fmtSpread = (s: Spread | undefined, unit = ''): string => (s && s.n ? `${fmt(s.median)}${unit} (${fmt(s.min)}–${fmt(s.max)}, n=${s.n})` : '–');

/** The fleet's summary table (markdown). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report is JSON of many shapes, read field by field
export function summaryTable(r: Record<string, any>): string {
  const rows: Array<[string, string]> = [];
  rows.push(['relays / levels / LANs', `${fmt(r.topology?.relays)} / ${fmt(r.topology?.levels)} / ${fmt(r.topology?.lans?.length)}`]);
  for (const s of (r.ramp?.steps ?? []) as RampStep[]) {
    rows.push([
      `origin egress @${s.viewers_connected} viewers (${s.leaf_sessions} sessions)`,
      `${fmt(Math.round(s.origin_egress_bytes_per_s / 1000))} kB/s = ${fmt(s.origin_copies)} copies; ${fmt(s.origin_control_frames_per_s)} control frames/s; loss ${s.loss_pct === null ? '–' : `${s.loss_pct.toFixed(3)}%`}; ${fmt(s.relays_carrying)} relays carry it`,
    ]);
  }
  const l = r.links_summary;
  if (l)
    rows.push([
      'subscriptions per link (ramp)',
      `max ${fmt(l.subscriptions_per_link_max)}, min ${fmt(l.subscriptions_per_link_min)}, all one: ${fmt(l.all_one)}; at most one at a time: ${fmt(l.one_at_a_time)}, re-pulls after a pull ended: ${fmt(l.repulls)} (${fmt(l.links)} links, ${fmt(l.sibling_links)} from a sibling)`,
    ]);
  for (const [level, v] of Object.entries((r.siblings?.by_level ?? {}) as Record<string, { hits: number; queries: number }>)) {
    rows.push([`sibling hits ${level} (ramp)`, `${fmt(v.hits)} of ${fmt(v.queries)} queries`]);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  for (const [level, v] of Object.entries((r.cold_join_ms ?? {}) as Record<string, any>)) {
    if (!v || typeof v !== 'object' || !v.first_packet) continue;
    rows.push([
      `cold join ${level} p50/p95`,
      `first packet ${fmt(v.first_packet.p50)} / ${fmt(v.first_packet.p95)} ms; keyframe ${fmt(v.first_keyframe.p50)} / ${fmt(v.first_keyframe.p95)} ms (n=${fmt(v.samples)})`,
    ]);
  }
  if (r.idle) rows.push(['origin control frames/s, idle', fmt(r.idle.origin_control_frames_per_s)]);
  for (const [lan, v] of Object.entries((r.multicast?.ramp ?? {}) as Record<string, { datagrams: number; per_s: number }>)) {
    if (v.datagrams > 0) rows.push([`multicast datagrams, LAN ${lan} (ramp)`, `${fmt(v.datagrams)} (${fmt(v.per_s)}/s)`]);
  }
  for (const [lan, v] of Object.entries((r.multicast?.cold ?? {}) as Record<string, { datagrams: number }>)) {
    if (v.datagrams > 0) rows.push([`multicast datagrams, LAN ${lan} (cold joins)`, fmt(v.datagrams)]);
  }
  for (const [level, s] of Object.entries((r.memory?.idle_rss_mb ?? {}) as Record<string, Spread>)) rows.push([`RSS MB, no stream, ${level}`, fmtSpread(s)]);
  for (const [level, s] of Object.entries((r.memory?.one_stream_rss_mb ?? {}) as Record<string, Spread>))
    rows.push([`RSS MB, one stream, ${level}`, fmtSpread(s)]);
  if (r.idle?.relay_cpu_cores_each) rows.push(['CPU per idle relay (cores)', fmtSpread(r.idle.relay_cpu_cores_each)]);
  for (const n of (r.streams?.nodes ?? []) as Array<Record<string, number | string>>) {
    rows.push([
      `one more stream at ${n.id} (level ${n.level})`,
      `${fmt(n.cpu_cores_per_stream)} cores, ${fmt(n.rss_mb_per_stream)} MB RSS (${fmt(r.streams.streams)} streams: ${fmt(n.cpu_cores_all)} cores)`,
    ]);
  }
  for (const c of (r.streams?.link_copy_cost ?? []) as Array<Record<string, number | string>>) {
    rows.push([
      `one more link copy at ${c.id} (level ${c.level})`,
      `${fmt(c.cpu_cores_per_copy)} cores (${fmt(c.extra_copies)} more copies: ${fmt(c.cpu_cores_before)} → ${fmt(c.cpu_cores_after)} cores)`,
    ]);
  }
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  return [
    `| ${'figure'.padEnd(w0)} | ${'value'.padEnd(w1)} |`,
    `|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|`,
    ...rows.map(([a, b]) => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} |`),
  ].join('\n');
}
