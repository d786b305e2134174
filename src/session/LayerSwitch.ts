import type { Feed } from '../media/Feed.js';
import { LayerChooser } from '../media/LayerChoice.js';
import { FLOW_TIMES, LayerFlow, type FlowTimes } from '../media/LayerFlow.js';
import { ProbeControl } from '../media/ProbeControl.js';
import type { ProbeOutcome, ProbeRequest } from '../media/ProbeEstimator.js';
import type { MediaPacket } from '../media/MediaPacket.js';
import { chooseTemporalCap, type TemporalControl } from '../media/TemporalCap.js';
import { QUALITIES, type Quality, type TrackInfo } from '../media/types.js';

/** While waiting for the target layer's keyframe, ask again this often (the feed's limiter still applies). */
const KEYFRAME_RETRY_MS = 1000;
/** Why a viewer left its layer other than by choice (the log, /api/state, the metric's label). */
export const FALLBACK_STOPPED = 'layer stopped';
/**
 * A layer this node does not receive has no measured bit rate; until it flows, the chooser
 * assumes the usual simulcast ratios (scaleResolutionDownBy 4, 2, 1: about 1/10 and 1/3 of
 * the top layer's bits) from a layer that is measured.
 */
const NOMINAL_SHARE: Record<Quality, number> = { high: 1, mid: 1 / 3, low: 1 / 10 };
/**
 * A layer's bit rate for the choice is the mean of its last this many one-second measurements
 * (those in which it arrived). One second alone swings 20-70 % with the keyframes in it: the
 * origin asks each layer for one every 2 s, and a switch asks for one more of the layer it moves
 * to. Measured (abr bench, branch abrlift): right after a move up to the top layer (about 700
 * kbit/s) the next second measured 1,197 kbit/s with the switch's keyframe, over 0.9 x the 1,240
 * kbit/s estimate the passed train had left, and the viewer moved down again at once, which
 * counted as a failed move up (the hold doubled, a failure spent, the top layer 6 s later). Four
 * seconds hold two of the origin's keyframes whatever the phase. A layer that stops reads 0 at
 * once (the second it sent nothing), as before.
 */
const RATE_TICKS = 4;

export interface LayerSwitchOptions {
  feed: Feed;
  /** The group's layer tracks (any order). */
  layers: readonly TrackInfo[];
  /** ?layer= at the start: a pinned quality, or null for auto. */
  pinned: Quality | null;
  /** Counts a completed switch, and time on a layer (metrics). */
  onSwitch?: (from: Quality | null, to: Quality) => void;
  onLayerTime?: (q: Quality, seconds: number) => void;
  /**
   * The sender's temporal layer filter (VP8/VP9/AV1): while a switch down waits for the lower
   * layer's keyframe, the temporal layers the estimate cannot carry are left out.
   */
  temporal?: TemporalControl | null;
  /**
   * The layer the viewer is on (or starts on) stopped at the publisher and the viewer falls back
   * to `to` (once per fallback: the log line and the metric).
   */
  onFallback?: (from: Quality, to: Quality, reason: string) => void;
  /** LayerFlow's times (tests). */
  flowTimes?: FlowTimes;
  /** The clock at the start (tests with a fake clock); Date.now() by default. */
  nowMs?: number;
}

interface LayerTrack {
  id: number;
  quality: Quality;
  /** Bytes seen for the bit rate. */
  bytes: number;
  lastBytes: number;
  bps: number;
  /** The last RATE_TICKS one-second rates in which the layer arrived, oldest first. */
  recent: number[];
  /** The last non-zero bit rate measured (a layer that stops keeps it, so the others' nominal rates do). */
  knownBps: number;
}

/**
 * One viewer's layer of one simulcast group (RFC 8853 layers as tracks of the stream): which
 * layer's packets go to its one video sender. It moves only at a keyframe of the target layer
 * (asked for upstream, through the feed's keyframe limiter), so the viewer's decoder never gets
 * a delta frame of another layer; the sender's RtpRewriter keeps SSRC, sequence numbers and
 * timestamps continuous across the change of source SSRC.
 *
 * The target: the pinned layer (?layer=, or PATCH on the session), else the layer choice from
 * the bandwidth estimate (LayerChoice.ts), else the top layer; never a layer that stopped at the
 * publisher (LayerFlow.ts): a pinned viewer gets the nearest layer that flows, lower first, and
 * goes back when its layer flows again. It holds a LayerDemand reference on the layer it is on,
 * on the one it moves to, and on a layer that stopped under it (so the tree keeps pulling it and
 * this node sees it come back), so the tree pulls exactly those.
 */
export class LayerSwitch {
  private readonly tracks: LayerTrack[];
  private readonly byId = new Map<number, LayerTrack>();
  /** The layer sent now (null until the first keyframe of the target). */
  current: LayerTrack | null = null;
  target: LayerTrack;
  pinned: Quality | null;
  estimateBps: number | null = null;
  private congested = false;
  switches = 0;
  private readonly holds = new Map<Quality, () => void>();
  private readonly chooser: LayerChooser;
  private askedAt = 0;
  private lastTick: number;
  private lastMeasure: number;
  private readonly flow: LayerFlow;
  /** Layers that stopped under the viewer (it was on them, or moving to them): held until they flow again. */
  private readonly awaited = new Set<LayerTrack>();
  /** Every layer held because the viewer's layer went quiet and nothing else of the group arrives here (pulled to find one that flows). */
  private searching = false;
  /** Set while the viewer is off its layer because that layer stopped. */
  fallback: { from: Quality; reason: string; atMs: number } | null = null;
  fallbacks = 0;
  readonly timeOn: Record<Quality, number> = { high: 0, mid: 0, low: 0 };
  private closed = false;

  constructor(private readonly opts: LayerSwitchOptions) {
    const now = opts.nowMs ?? Date.now();
    this.lastTick = now;
    this.lastMeasure = now;
    this.tracks = opts.layers
      .filter((t) => t.layer)
      .map((t) => ({ id: t.id, quality: t.layer!.quality, bytes: 0, lastBytes: 0, bps: 0, recent: [], knownBps: 0 }))
      .sort((a, b) => QUALITIES.indexOf(a.quality) - QUALITIES.indexOf(b.quality));
    for (const t of this.tracks) this.byId.set(t.id, t);
    this.flow = new LayerFlow(
      this.tracks.map((t) => t.id),
      opts.flowTimes ?? FLOW_TIMES,
    );
    this.pinned = opts.pinned;
    this.target = this.pick(this.pinned) ?? this.tracks[0]!;
    // LayerChoice indexes lowest first.
    this.chooser = new LayerChooser(this.tracks.length - 1 - this.tracks.indexOf(this.target), now);
    this.hold(this.target.quality, now);
    this.askKeyframe(now);
  }

  /** The track ids of the group. */
  get trackIds(): number[] {
    return this.tracks.map((t) => t.id);
  }

  /** The closest layer the stream has to q (a stream with two layers has no mid: the lower one). */
  private pick(q: Quality | null): LayerTrack | null {
    if (q === null) return null;
    const want = QUALITIES.indexOf(q);
    let best: LayerTrack | null = null;
    for (const t of this.tracks) {
      const d = QUALITIES.indexOf(t.quality) - want;
      if (d === 0) return t;
      if (d > 0 && (!best || QUALITIES.indexOf(best.quality) > QUALITIES.indexOf(t.quality))) best = t;
    }
    return best ?? this.tracks[this.tracks.length - 1]!;
  }

  /**
   * Whether this packet of the group goes to the viewer. A keyframe of the target layer makes
   * it the current one; packets of other layers are dropped.
   */
  admit(p: MediaPacket, nowMs: number): boolean {
    const t = this.byId.get(p.track);
    if (!t || this.closed) return false;
    t.bytes += p.rtp.length;
    // A layer stopped, came back or was first seen: the target may change before this packet's fate.
    if (this.flow.onPacket(t.id, p.captureMs, p.keyframe, nowMs)) this.reconsider(nowMs);
    if (t === this.target && t !== this.current) {
      if (!p.keyframe) {
        if (nowMs - this.askedAt >= KEYFRAME_RETRY_MS) this.askKeyframe(nowMs);
        return false;
      }
      const from = this.current;
      this.current = t;
      if (from) {
        this.switches++;
        this.release(from.quality);
      }
      this.opts.onSwitch?.(from?.quality ?? null, t.quality);
      this.updateTemporal();
    }
    return t === this.current;
  }

  /** Pins a layer (null: back to auto). Returns the quality it will move to. */
  pin(q: Quality | null, nowMs = Date.now()): Quality {
    this.pinned = q;
    this.retarget(q === null ? this.auto(nowMs) : this.pinnedTarget(q), nowMs);
    this.updateTemporal();
    return this.target.quality;
  }

  /**
   * The engine's estimate for this viewer (PeerHandlers.onBandwidth); congested: the link shows
   * congestion (no probe then).
   */
  onEstimate(bps: number, nowMs = Date.now(), congested = false): void {
    this.estimateBps = bps;
    this.congested = congested;
    if (this.pinned === null) this.retarget(this.auto(nowMs), nowMs);
    this.updateTemporal();
  }

  /**
   * Probing before moves up (docs/abr.md "Probing"), once the engine can send trains to this
   * viewer: `send` starts one (EnginePeer.probe).
   */
  enableProbes(send: (req: ProbeRequest) => boolean): void {
    if (this.closed || this.chooser.probes) return;
    this.chooser.probes = new ProbeControl(send);
  }

  /** A probe train's verdict (BandwidthReport.probe); call before the estimate it came with. */
  onProbeOutcome(o: ProbeOutcome, nowMs = Date.now()): void {
    this.chooser.probes?.onOutcome(o, nowMs);
  }

  /** About once a second: bit rates, time on the layer, the auto choice, and keyframe retries. */
  tick(nowMs: number): void {
    if (this.closed) return;
    const dt = (nowMs - this.lastMeasure) / 1000;
    if (dt > 0) {
      for (const t of this.tracks) {
        const now = ((t.bytes - t.lastBytes) * 8) / dt;
        if (now > 0) {
          t.recent.push(now);
          if (t.recent.length > RATE_TICKS) t.recent.shift();
        }
        t.bps = now > 0 ? t.recent.reduce((a, b) => a + b, 0) / t.recent.length : 0;
        if (t.bps > 0) t.knownBps = t.bps;
        t.lastBytes = t.bytes;
      }
      this.lastMeasure = nowMs;
    }
    if (this.current) {
      const s = (nowMs - this.lastTick) / 1000;
      this.timeOn[this.current.quality] += s;
      this.opts.onLayerTime?.(this.current.quality, s);
    }
    this.lastTick = nowMs;
    this.opts.temporal?.measure(nowMs);
    this.reconsider(nowMs);
    this.updateTemporal();
    if (this.target !== this.current && nowMs - this.askedAt >= KEYFRAME_RETRY_MS) this.askKeyframe(nowMs);
    else if (this.current && this.target === this.current && this.opts.temporal?.waitsForKeyframe?.() && nowMs - this.askedAt >= KEYFRAME_RETRY_MS) {
      // The switch down was called off, and AV1 temporal layers left out meanwhile come back
      // only at a key frame of the layer sent (TemporalFilter.waitsForKeyframe).
      this.askedAt = nowMs;
      this.opts.feed.requestKeyframe(this.current.id, 'viewer');
    }
  }

  /** The auto choice: from the estimate when there is one, else the top layer (that has not stopped). */
  private auto(nowMs: number): LayerTrack {
    if (this.estimateBps === null) return this.tracks.find((t) => this.flow.state(t.id) !== 'stopped') ?? this.tracks[0]!;
    const rates = this.bitrates();
    const i = this.chooser.update(rates, this.estimateBps, nowMs, this.congested);
    return this.tracks[this.tracks.length - 1 - i] ?? this.tracks[0]!;
  }

  /**
   * A pinned viewer's target: its layer, or while that layer has stopped the nearest layer that
   * flows (lower first at the same distance: a pinned viewer chose a ceiling as much as a
   * layer), else the nearest that has not stopped (pulled to see), else its own.
   */
  private pinnedTarget(q: Quality): LayerTrack {
    const own = this.pick(q)!;
    if (this.flow.state(own.id) !== 'stopped') return own;
    const at = this.tracks.indexOf(own);
    // Best first: a larger index is a lower layer.
    const byDistance = [...this.tracks]
      .filter((t) => t !== own)
      .sort((a, b) => Math.abs(this.tracks.indexOf(a) - at) - Math.abs(this.tracks.indexOf(b) - at) || this.tracks.indexOf(b) - this.tracks.indexOf(a));
    return byDistance.find((t) => this.flow.flowingNow(t.id)) ?? byDistance.find((t) => this.flow.state(t.id) !== 'stopped') ?? own;
  }

  /**
   * Each layer's bit rate, lowest first: 0 for a layer that stopped (no candidate), nominal
   * where this node does not receive it (a candidate: pulled when chosen).
   */
  private bitrates(): number[] {
    const known = this.tracks.find((t) => t.bps > 0) ?? this.tracks.find((t) => t.knownBps > 0);
    const ref = known ? (known.bps > 0 ? known.bps : known.knownBps) : 0;
    return [...this.tracks]
      .reverse()
      .map((t) => (this.flow.state(t.id) === 'stopped' ? 0 : t.bps > 0 ? t.bps : known ? (ref * NOMINAL_SHARE[t.quality]) / NOMINAL_SHARE[known.quality] : 0));
  }

  /**
   * After a layer stopped, came back or was first seen (LayerFlow), and on each tick: layers
   * that stopped under the viewer are held and awaited, the target follows (pinned or auto),
   * and a viewer whose layer went quiet pulls the others to find one that flows.
   */
  private reconsider(nowMs: number): void {
    if (this.closed) return;
    const on = this.current ?? this.target;
    const pinnedOwn = this.pinned === null ? null : this.pick(this.pinned);
    for (const t of [on, this.target, pinnedOwn]) if (t && this.flow.state(t.id) === 'stopped') this.awaited.add(t);
    for (const t of [...this.awaited])
      if (this.flow.state(t.id) !== 'stopped') {
        this.awaited.delete(t);
        if (this.fallback?.from === t.quality) this.fallback = null;
      }
    const stoppedOn = this.flow.state(on.id) === 'stopped';
    const next = this.pinned !== null ? this.pinnedTarget(this.pinned) : this.auto(nowMs);
    if (stoppedOn && next !== on && this.fallback?.from !== on.quality) {
      this.fallback = { from: on.quality, reason: FALLBACK_STOPPED, atMs: nowMs };
      this.fallbacks++;
      this.opts.onFallback?.(on.quality, next.quality, FALLBACK_STOPPED);
    }
    this.retarget(next, nowMs);
    // Search: the viewer's layer is quiet here and not judged (nothing of the group arrives to
    // compare with), so every layer is pulled until one is judged or it flows again.
    const quiet = this.flow.quiet((this.current ?? this.target).id, nowMs);
    if (quiet !== this.searching) {
      this.searching = quiet;
      for (const t of this.tracks) {
        if (quiet) this.hold(t.quality, nowMs);
        else this.release(t.quality, nowMs);
      }
    }
    for (const t of this.tracks) if (this.awaited.has(t)) this.hold(t.quality, nowMs);
    // Layers held only because they were awaited and came back, or for a search that ended.
    for (const t of this.tracks) if (!this.awaited.has(t)) this.release(t.quality, nowMs);
  }

  private retarget(t: LayerTrack, nowMs: number): void {
    if (t === this.target) return;
    const old = this.target;
    this.target = t;
    this.hold(t.quality, nowMs);
    // The layer we were moving to (and are not on) is no longer needed.
    if (old !== this.current) this.release(old.quality, nowMs);
    if (t !== this.current) this.askKeyframe(nowMs);
  }

  /**
   * Temporal layers while a switch down is pending (the target below the layer sent, its
   * keyframe not in yet): the current layer keeps flowing, but only the temporal layers that fit
   * the estimate (TemporalCap.ts), so the bit rate falls at once instead of a keyframe later.
   * All of them again when the switch completes or the estimate keeps the viewer where it is.
   */
  private updateTemporal(): void {
    const tc = this.opts.temporal;
    if (!tc || this.closed) return;
    const cur = this.current;
    const pendingDown = cur !== null && this.target !== cur && QUALITIES.indexOf(this.target.quality) > QUALITIES.indexOf(cur.quality);
    tc.setCap(pendingDown && this.estimateBps !== null ? chooseTemporalCap(tc.layerRates(), this.estimateBps) : null);
  }

  private askKeyframe(nowMs: number): void {
    this.askedAt = nowMs;
    this.opts.feed.requestKeyframe(this.target.id, 'viewer');
  }

  private hold(q: Quality, nowMs = Date.now()): void {
    if (this.holds.has(q)) return;
    this.holds.set(q, this.opts.feed.layers.want(q));
    const t = this.tracks.find((x) => x.quality === q);
    if (t) this.flow.expect(t.id, true, nowMs);
  }

  /** Drops the hold on q unless the viewer is on it, moving to it, awaiting it or searching. */
  private release(q: Quality, nowMs = Date.now()): void {
    if (q === this.target.quality || q === this.current?.quality || this.searching || !this.holds.has(q)) return;
    const t = this.tracks.find((x) => x.quality === q);
    if (t && this.awaited.has(t)) return;
    this.holds.get(q)?.();
    this.holds.delete(q);
    if (t) this.flow.expect(t.id, false, nowMs);
  }

  /** The track a keyframe request from the viewer is for: the layer it is on (or moving to, when that one stopped). */
  get keyframeTrack(): number {
    const on = this.current && this.flow.state(this.current.id) !== 'stopped' ? this.current : this.target;
    return on.id;
  }

  describe(): Record<string, unknown> {
    return {
      layer: this.current?.quality ?? null,
      target: this.target.quality,
      pinned: this.pinned,
      estimateBps: this.estimateBps === null ? null : Math.round(this.estimateBps),
      switches: this.switches,
      // The chooser's hold before a move up without a probe (doubled by failed moves up).
      upHoldMs: this.chooser.upHoldMs,
      // Each layer's bit rate as the chooser sees it (measured over the last tick here), best first.
      kbps: Object.fromEntries(this.tracks.map((t) => [t.quality, Math.round(t.bps / 1000)])),
      ...(this.fallback ? { fallback: { from: this.fallback.from, reason: this.fallback.reason } } : {}),
      ...(this.fallbacks ? { fallbacks: this.fallbacks } : {}),
      ...(this.awaited.size ? { awaiting: this.tracks.filter((t) => this.awaited.has(t)).map((t) => t.quality) } : {}),
      secondsOn: Object.fromEntries(QUALITIES.map((q) => [q, Math.round(this.timeOn[q] * 10) / 10])),
      ...(this.chooser.probes ? { probes: this.chooser.probes.describe() } : {}),
      ...(this.opts.temporal ? { temporal: this.opts.temporal.describe() } : {}),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.holds.values()) r();
    this.holds.clear();
  }
}
