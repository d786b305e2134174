import type { Feed } from '../media/Feed.js';
import { LayerChooser } from '../media/LayerChoice.js';
import { ProbeControl } from '../media/ProbeControl.js';
import type { ProbeOutcome, ProbeRequest } from '../media/ProbeEstimator.js';
import type { MediaPacket } from '../media/MediaPacket.js';
import { chooseTemporalCap, type TemporalControl } from '../media/TemporalCap.js';
import { QUALITIES, type Quality, type TrackInfo } from '../media/types.js';

/** While waiting for the target layer's keyframe, ask again this often (the feed's limiter still applies). */
const KEYFRAME_RETRY_MS = 1000;
/**
 * A viewer that has not started yet and whose target layer sends nothing this long starts on
 * another layer's keyframe instead (a time-shift replay from a relay's window B that did not
 * pull the target layer for that period); it moves to the target when the target flows.
 */
const START_FALLBACK_MS = 3000;
/**
 * A layer this node does not receive has no measured bit rate; until it flows, the chooser
 * assumes the usual simulcast ratios (scaleResolutionDownBy 4, 2, 1: about 1/10 and 1/3 of
 * the top layer's bits) from a layer that is measured.
 */
const NOMINAL_SHARE: Record<Quality, number> = { high: 1, mid: 1 / 3, low: 1 / 10 };

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
   * The sender's temporal layer filter (VP8/VP9): while a switch down waits for the lower
   * layer's keyframe, the temporal layers the estimate cannot carry are left out.
   */
  temporal?: TemporalControl | null;
}

interface LayerTrack {
  id: number;
  quality: Quality;
  /** Bytes seen for the bit rate. */
  bytes: number;
  lastBytes: number;
  bps: number;
}

/**
 * One viewer's layer of one simulcast group (RFC 8853 layers as tracks of the stream): which
 * layer's packets go to its one video sender. It moves only at a keyframe of the target layer
 * (asked for upstream, through the feed's keyframe limiter), so the viewer's decoder never gets
 * a delta frame of another layer; the sender's RtpRewriter keeps SSRC, sequence numbers and
 * timestamps continuous across the change of source SSRC.
 *
 * The target: the pinned layer (?layer=, or PATCH on the session), else the layer choice from
 * the bandwidth estimate (LayerChoice.ts), else the top layer. It holds a LayerDemand reference
 * on the layer it is on and on the one it moves to, so the tree pulls exactly those.
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
  private lastTick = Date.now();
  private lastMeasure = Date.now();
  private readonly startedAt = Date.now();
  readonly timeOn: Record<Quality, number> = { high: 0, mid: 0, low: 0 };
  private closed = false;

  constructor(private readonly opts: LayerSwitchOptions) {
    this.tracks = opts.layers
      .filter((t) => t.layer)
      .map((t) => ({ id: t.id, quality: t.layer!.quality, bytes: 0, lastBytes: 0, bps: 0 }))
      .sort((a, b) => QUALITIES.indexOf(a.quality) - QUALITIES.indexOf(b.quality));
    for (const t of this.tracks) this.byId.set(t.id, t);
    this.pinned = opts.pinned;
    this.target = this.pick(this.pinned) ?? this.tracks[0]!;
    // LayerChoice indexes lowest first.
    this.chooser = new LayerChooser(this.tracks.length - 1 - this.tracks.indexOf(this.target), Date.now());
    this.hold(this.target.quality);
    this.askKeyframe(Date.now());
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
    if (this.current === null && t !== this.target && p.keyframe && this.target.bytes === 0 && nowMs - this.startedAt >= START_FALLBACK_MS) {
      this.current = t;
      this.hold(t.quality);
      this.opts.onSwitch?.(null, t.quality);
      return true;
    }
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
    this.retarget(this.pick(q) ?? this.auto(nowMs), nowMs);
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
        t.bps = ((t.bytes - t.lastBytes) * 8) / dt;
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
    if (this.pinned === null && this.estimateBps !== null) this.retarget(this.auto(nowMs), nowMs);
    this.updateTemporal();
    if (this.target !== this.current && nowMs - this.askedAt >= KEYFRAME_RETRY_MS) this.askKeyframe(nowMs);
  }

  /** The auto choice: from the estimate when there is one, else the top layer. */
  private auto(nowMs: number): LayerTrack {
    if (this.estimateBps === null) return this.tracks[0]!;
    const rates = this.bitrates();
    const i = this.chooser.update(rates, this.estimateBps, nowMs, this.congested);
    return this.tracks[this.tracks.length - 1 - i] ?? this.tracks[0]!;
  }

  /** Each layer's bit rate, lowest first, nominal where this node does not receive it. */
  private bitrates(): number[] {
    const known = this.tracks.find((t) => t.bps > 0);
    return [...this.tracks].reverse().map((t) => (t.bps > 0 ? t.bps : known ? (known.bps * NOMINAL_SHARE[t.quality]) / NOMINAL_SHARE[known.quality] : 0));
  }

  private retarget(t: LayerTrack, nowMs: number): void {
    if (t === this.target) return;
    const old = this.target;
    this.target = t;
    this.hold(t.quality);
    // The layer we were moving to (and are not on) is no longer needed.
    if (old !== this.current) this.release(old.quality);
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

  private hold(q: Quality): void {
    if (!this.holds.has(q)) this.holds.set(q, this.opts.feed.layers.want(q));
  }

  private release(q: Quality): void {
    if (q === this.target.quality || q === this.current?.quality) return;
    this.holds.get(q)?.();
    this.holds.delete(q);
  }

  /** The track a keyframe request from the viewer is for: the layer it is on (or moving to). */
  get keyframeTrack(): number {
    return (this.current ?? this.target).id;
  }

  describe(): Record<string, unknown> {
    return {
      layer: this.current?.quality ?? null,
      target: this.target.quality,
      pinned: this.pinned,
      estimateBps: this.estimateBps === null ? null : Math.round(this.estimateBps),
      switches: this.switches,
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
