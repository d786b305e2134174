/**
 * The ABR bench's per-viewer figures over a window, shared by the Canopy run (abr.ts) and the
 * Janus anchor (janus-abr.ts) so that both are measured alike: a viewer's layer trace (one sample
 * per 500 ms, from whichever server says which layer it forwards), its page's getStats
 * (inbound-rtp video) and presented frames (requestVideoFrameCallback).
 */
import type { Page } from 'playwright-core';
import { frameGaps, pageNow } from '../../test/support/pages.js';
import { viewerStats, type ViewerStats } from '../../test/support/simulcastPage.js';

export type Layer = 'high' | 'mid' | 'low';

/** The fixture (issue 20): the capped viewer's policer and the varying viewer's caps, one per phase (kbit/s). */
export const CAP_KBPS = 500;
export const VARY_KBPS = [2000, 300, 2000];
/** kbit/s → nftables' `limit rate … kbytes/second`, whose kbyte is 1,024 bytes (500 → 61: 499.7 kbit/s). */
export const kbytes = (kbps: number): number => Math.round((kbps * 1000) / 8 / 1024);

export interface Sample {
  t: number;
  layer: Layer | null;
  est: number | null;
  /** The layer it moves to, the chooser's hold before a move up (ms), its probing state (LayerSwitch.describe). */
  target?: Layer | null;
  holdMs?: number | null;
  probes?: Record<string, unknown> | null;
  kbps?: Record<string, number> | null;
}

export const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

/** A viewer's page and its layer trace (bench seconds). */
export class TracedViewer {
  readonly trace: Sample[] = [];
  joinedAt = 0;
  constructor(
    readonly name: string,
    readonly page: Page,
  ) {}

  /** Samples in [from, to). */
  between(from: number, to: number): Sample[] {
    return this.trace.filter((s) => s.t >= from && s.t < to);
  }
}

export interface Window {
  from: number;
  a: ViewerStats;
  pageFrom: number;
}

export async function openWindow(v: TracedViewer, from: number): Promise<Window> {
  return { from, a: (await viewerStats(v.page))!, pageFrom: await pageNow(v.page) };
}

/**
 * The figures from `w` to `to` (bench seconds). capKbps: the viewer's cap (null: none), for
 * settle_s; changedAt: when the cap last changed (or the join); rates: the layers' measured rates
 * (kbit/s), for "under the cap".
 */
export async function closeWindow(v: TracedViewer, w: Window, to: number, capKbps: number | null, changedAt: number, rates: Record<Layer, number>) {
  const b = (await viewerStats(v.page))!;
  const gaps = await frameGaps(v.page, w.pageFrom);
  const secs = Math.max(0.001, to - w.from);
  const samples = v.between(w.from, to);
  const all = v.between(changedAt, to);
  const share: Record<string, number> = {};
  for (const s of samples) share[s.layer ?? 'none'] = (share[s.layer ?? 'none'] ?? 0) + 1;
  for (const k of Object.keys(share)) share[k] = round(share[k]! / Math.max(1, samples.length), 3);
  let switches = 0;
  for (let i = 1; i < all.length; i++) if (all[i]!.layer !== all[i - 1]!.layer) switches++;
  return {
    window_s: round(secs, 1),
    settle_s: capKbps === null ? null : settle(all, changedAt, capKbps, rates),
    first_under_cap_s: capKbps === null ? null : firstUnder(all, changedAt, capKbps, rates),
    fps: round((b.framesDecoded - w.a.framesDecoded) / secs),
    freeze_count: b.freezeCount - w.a.freezeCount,
    total_freezes_s: round(b.totalFreezesDuration - w.a.totalFreezesDuration),
    longest_freeze_ms: Math.round(gaps.longestGapMs),
    layer_share: share,
    switches,
    keyframe_requests_per_min: round(((b.pliCount + b.firCount - w.a.pliCount - w.a.firCount) * 60) / secs),
    nacks_per_min: round(((b.nackCount - w.a.nackCount) * 60) / secs),
    frame_width_end: b.frameWidth,
    // null where the server has no estimate for the viewer (Janus).
    estimate_kbps_end: samples.some((x) => x.est !== null) ? Math.round((samples[samples.length - 1]?.est ?? 0) / 1000) : null,
  };
}

/** Layers whose measured rate is under the cap (kbit/s). */
function under(layer: Layer | null, capKbps: number, rates: Record<Layer, number>): boolean {
  return layer !== null && rates[layer] > 0 && rates[layer] < capKbps;
}

/** Seconds from `from` until the trace is under the cap and stays there; null if it never does. */
export function settle(trace: Sample[], from: number, capKbps: number, rates: Record<Layer, number>): number | null {
  let since: number | null = null;
  for (const s of trace) {
    if (under(s.layer, capKbps, rates)) since ??= s.t;
    else since = null;
  }
  return since === null ? null : round(since - from, 1);
}

export function firstUnder(trace: Sample[], from: number, capKbps: number, rates: Record<Layer, number>): number | null {
  const s = trace.find((x) => under(x.layer, capKbps, rates));
  return s ? round(s.t - from, 1) : null;
}

/** Seconds from `from` until the trace is on `layer` and stays there to its end; null if it never does. */
export function settleOn(trace: Sample[], layer: Layer, from: number): number | null {
  let since: number | null = null;
  for (const s of trace) {
    if (s.layer === layer) since ??= s.t;
    else since = null;
  }
  return since === null ? null : round(since - from, 1);
}

export function firstOn(trace: Sample[], layer: Layer, from: number): number | null {
  const s = trace.find((x) => x.layer === layer);
  return s ? round(s.t - from, 1) : null;
}

/** A trace as its changes only: [t, layer, estimate kbit/s]. */
export function compress(trace: Sample[]): Array<[number, string, number]> {
  const out: Array<[number, string, number]> = [];
  let last = '';
  for (const s of trace) {
    const est = Math.round((s.est ?? 0) / 1000);
    const key = `${s.layer}`;
    if (key !== last || out.length === 0 || Math.abs(est - out[out.length - 1]![2]) > out[out.length - 1]![2] * 0.25) out.push([round(s.t, 1), key, est]);
    last = key;
  }
  return out;
}
