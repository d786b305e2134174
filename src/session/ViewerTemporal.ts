// Temporal layer caps for a viewer's single-layer video (issue 20, docs/abr.md "Temporal layers
// of a single-layer stream"): a viewer whose estimate is below the stream's rate gets fewer
// temporal layers instead of losing packets at random. The decision is TemporalCap.ts's
// (nextTemporalCap on each layer's measured rate against the viewer's estimate); the per-packet
// work is the engine's: the native fan-out member (FanoutTap.setTemporalCap, native/src/temporal.h)
// or, for a viewer not fanned out (node-datachannel), its TrackSender's TemporalFilter.
import type { NodeCounters } from '../metrics.js';
import { nextTemporalCap, type TemporalControl } from '../media/TemporalCap.js';
import type { FanoutTap } from './StreamFanouts.js';

const MAX_TID = 7;

/** A fan-out member's temporal layers as a TemporalControl: rates from the group's per-layer bytes, the cap to the member. */
export class FanoutTemporal implements TemporalControl {
  private cap: number | null = null;
  private lastBytes: readonly number[];
  private bps: number[] = [];
  private measuredAt: number;

  constructor(
    private readonly tap: FanoutTap,
    private readonly counters: NodeCounters | null,
    nowMs: number,
  ) {
    this.lastBytes = tap.temporalBytes();
    this.measuredAt = nowMs;
  }

  layerRates(): readonly number[] {
    return this.bps;
  }

  setCap(maxTid: number | null): void {
    const cap = maxTid === null ? null : Math.max(0, Math.min(MAX_TID, Math.floor(maxTid)));
    if (cap === this.cap) return;
    if (cap !== null && (this.cap === null || cap < this.cap)) this.counters?.temporalLayerDrops.inc({ keep: `tl${cap}` });
    this.cap = cap;
    this.tap.setTemporalCap(cap);
    this.updateShare();
  }

  /** About once a second: each layer's bit rate over the group's bytes since the last call. */
  measure(nowMs: number): void {
    const dt = (nowMs - this.measuredAt) / 1000;
    if (dt <= 0) return;
    const bytes = this.tap.temporalBytes();
    this.bps = bytes.map((b, i) => (Math.max(0, b - (this.lastBytes[i] ?? 0)) * 8) / dt);
    this.lastBytes = bytes;
    this.measuredAt = nowMs;
    this.updateShare();
  }

  /** The share of the layer's bytes the cap lets through, from the rates last measured (1: no cap, or none measured); per packet, so kept. */
  sentShare(): number {
    return this.share;
  }

  private share = 1;

  private updateShare(): void {
    const all = this.bps.reduce((a, r) => a + r, 0);
    this.share = this.cap === null || !(all > 0) ? 1 : this.bps.slice(0, this.cap + 1).reduce((a, r) => a + r, 0) / all;
  }

  /** AV1: a layer the cap allows waits for a key frame (the member's filter says; ViewerTemporal.tick asks for one). */
  waitsForKeyframe(): boolean {
    return this.tap.temporalWaitsForKeyframe();
  }

  describe(): Record<string, unknown> {
    const dropped = this.tap.temporalFramesDropped?.();
    return { cap: this.cap, layers: this.bps.length, ...(dropped !== undefined ? { framesDropped: dropped } : {}) };
  }
}

/** One viewer's caps: each of its single-layer video tracks with temporal layers. */
export class ViewerTemporal {
  private readonly controls: Array<{ tc: TemporalControl; trackId: number; cap: number | null }> = [];
  /** By feed track id: the share of the track's bytes under its cap (absent: 1). */
  private readonly shares: number[] = [];
  /** By feed track id: a fanned-out track's bytes offered at the last sentBytes call, and those counted as sent. */
  private readonly sent: Array<{ offered: number; sent: number } | undefined> = [];
  private estimateBps: number | null = null;

  /** askKeyframe: a key frame of that feed track (through the feed's limiter), for a layer that comes back only at one (AV1). */
  constructor(private readonly askKeyframe: (trackId: number) => void = () => {}) {}

  add(tc: TemporalControl, trackId: number): void {
    this.controls.push({ tc, trackId, cap: null });
  }

  /**
   * The share of this track's bytes its cap lets through (1 without a cap), from the layers'
   * measured rates: what the viewer is sent, for its sent rate (ViewerBandwidth, whose ratio to
   * the estimate drives the retransmission back-off). Counting every byte offered would read a
   * capped viewer's link as full and cut its repair, just where it loses most.
   */
  sentShare(trackId: number): number {
    return this.shares[trackId] ?? 1;
  }

  /**
   * A fanned-out track's bytes sent, from the group's count of all it sent (`offered`, which
   * only grows): each increment since the last call counted at the track's share now.
   */
  sentBytes(trackId: number, offered: number): number {
    const share = this.shares[trackId];
    if (share === undefined) return offered;
    const t = (this.sent[trackId] ??= { offered, sent: offered });
    t.sent += Math.max(0, offered - t.offered) * share;
    t.offered = offered;
    return t.sent;
  }

  get size(): number {
    return this.controls.length;
  }

  /** The viewer's estimate (PeerHandlers.onBandwidth). */
  onEstimate(bps: number): void {
    this.estimateBps = bps;
    this.update();
  }

  /**
   * About once a second: the layers' rates, then the caps; and a key frame asked for where a
   * layer the cap allows again waits for one (AV1: TemporalFilter.waitsForKeyframe on
   * node-datachannel, the native member's TemporalMember::waitsForKeyframe through
   * FanoutTemporal), as LayerSwitch.tick asks for a simulcast viewer.
   */
  tick(nowMs: number): void {
    for (const c of this.controls) c.tc.measure(nowMs);
    this.update();
    for (const c of this.controls) if (c.tc.waitsForKeyframe?.()) this.askKeyframe(c.trackId);
  }

  describe(): Record<string, unknown> | null {
    return this.controls[0]?.tc.describe() ?? null;
  }

  private update(): void {
    if (this.estimateBps === null) return;
    for (const c of this.controls) {
      const rates = c.tc.layerRates();
      c.cap = nextTemporalCap(c.cap, rates, this.estimateBps);
      c.tc.setCap(c.cap);
      const all = rates.reduce((a, r) => a + Math.max(0, r), 0);
      const kept = c.cap === null ? all : rates.slice(0, c.cap + 1).reduce((a, r) => a + Math.max(0, r), 0);
      this.shares[c.trackId] = all > 0 ? kept / all : 1;
    }
  }
}
