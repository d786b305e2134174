// Which simulcast layer a viewer should get (issue 20, docs/abr.md "Switching rules"): the one
// home of the decision. `chooseLayer` is pure (the tests and any caller can reason about one
// step); `LayerChooser` keeps the little state it needs (how long the next layer has fit, when
// we last switched, whether the last move up failed) for one viewer. With a ProbeControl
// (ProbeControl.ts, docs/abr.md "Probing") a move up waits for a probe train at the layer's rate
// to pass, and a passed train moves up without the hold.
import type { ProbeControl } from './ProbeControl.js';

export interface LayerPolicy {
  /** Move down at once when the current layer's bitrate exceeds this share of the estimate. */
  downAt: number;
  /** Move up only when the next layer's bitrate fits under this share of the estimate... */
  upAt: number;
  /** ...continuously for this long. */
  upHoldMs: number;
  /** No move up sooner than this after any switch (a switch costs a keyframe). */
  minSwitchMs: number;
  /** A move down this soon after a move up means the move up failed: the next hold doubles... */
  failWindowMs: number;
  /** ...up to this. */
  maxUpHoldMs: number;
  /**
   * A layer that stopped at the publisher and flows again within this long takes its viewers
   * back at once (no hold, no probe) when it fits the estimate they had when it stopped: the
   * link carried it then, and a viewer on the lower layer since has only sent the lower rate,
   * which is all its estimate can have learnt. Later, the usual rules.
   */
  resumeWithinMs: number;
}

export const LAYER_POLICY: Readonly<LayerPolicy> = Object.freeze({
  downAt: 0.9,
  upAt: 0.75,
  upHoldMs: 3000,
  minSwitchMs: 1000,
  failWindowMs: 10_000,
  maxUpHoldMs: 48_000,
  resumeWithinMs: 10_000,
});

export interface LayerInput {
  /** Measured bitrate of each layer, bits/s, lowest layer first; 0 or less: not measured, or stopped (not a candidate). */
  bitrates: readonly number[];
  /** The layer the viewer gets now (index into bitrates). */
  current: number;
  estimateBps: number;
  /** Time since the last switch. */
  sinceSwitchMs: number;
  /** How long the layer above `current` has fitted under upAt x the estimate, continuously (0: it does not). */
  fitsForMs: number;
  /** The hold to apply before moving up (LayerChooser lengthens it after failed moves); policy.upHoldMs by default. */
  upHoldMs?: number;
  /**
   * With probing: whether a probe has just shown the layer above fits (true: move up at once,
   * if it fits under downAt x the estimate; false: no move up whatever the estimate says).
   * Undefined: no probing, the hold rule alone.
   */
  probedUp?: boolean;
}

/** The next layer above `from` with a measured bitrate, or -1. */
export function nextLayerUp(bitrates: readonly number[], from: number): number {
  for (let i = from + 1; i < bitrates.length; i++) if (bitrates[i]! > 0) return i;
  return -1;
}

/**
 * The target layer. Down: at once, to the highest measured layer that fits under downAt x the
 * estimate (the lowest layer when none does). Up: one layer at a time, when it has fitted under
 * upAt x the estimate for upHoldMs and minSwitchMs have passed since the last switch.
 * The gap between downAt and upAt is the hysteresis: a layer just admitted is not dropped by
 * the estimate's ordinary wobble.
 */
export function chooseLayer(i: LayerInput, policy: LayerPolicy = LAYER_POLICY): number {
  const n = i.bitrates.length;
  if (n === 0) return 0;
  const cur = Math.min(Math.max(0, i.current), n - 1);
  const est = i.estimateBps;
  const rate = i.bitrates[cur]!;
  // The current layer is no candidate (it stopped at the publisher, LayerFlow.ts) while another
  // is: the best one the estimate allows, as a move down would pick it, whatever the hold.
  if (rate <= 0 && i.bitrates.some((r) => r > 0)) return bestFitting(i.bitrates, policy.downAt * est);
  if (rate > 0 && rate > policy.downAt * est) {
    for (let k = cur - 1; k >= 0; k--) {
      const r = i.bitrates[k]!;
      if (r > 0 && r <= policy.downAt * est) return k;
    }
    return lowestMeasured(i.bitrates, cur);
  }
  const up = nextLayerUp(i.bitrates, cur);
  if (up < 0) return cur;
  if (i.probedUp !== undefined) {
    const ok = i.probedUp && i.bitrates[up]! <= policy.downAt * est && i.sinceSwitchMs >= policy.minSwitchMs;
    return ok ? up : cur;
  }
  const hold = i.upHoldMs ?? policy.upHoldMs;
  if (i.bitrates[up]! <= policy.upAt * est && i.fitsForMs >= hold && i.sinceSwitchMs >= policy.minSwitchMs) return up;
  return cur;
}

/** The highest candidate (bitrate > 0) under `limit`, else the lowest candidate. */
export function bestFitting(bitrates: readonly number[], limit: number): number {
  for (let k = bitrates.length - 1; k >= 0; k--) if (bitrates[k]! > 0 && bitrates[k]! <= limit) return k;
  return lowestMeasured(bitrates, 0);
}

function lowestMeasured(bitrates: readonly number[], fallback: number): number {
  for (let k = 0; k < bitrates.length; k++) if (bitrates[k]! > 0) return k;
  return fallback;
}

/** One viewer's layer choice over time: feeds chooseLayer its timers and learns from failed moves up. */
export class LayerChooser {
  current: number;
  private switchedAt: number;
  private fitSince = -1;
  private fitLayer = -1;
  private lastUpAt = -Infinity;
  private upHold: number;
  /** The layer a stop moved it off (-1: none), the estimate then, and until when it may return at once. */
  private resume = { layer: -1, estimateBps: 0, untilMs: 0 };
  /** Probing before moves up (null: none, the hold rule alone). */
  probes: ProbeControl | null = null;
  /** Switches made (down, up), for metrics. */
  readonly switches = { up: 0, down: 0 };

  constructor(
    initial: number,
    nowMs: number,
    private readonly policy: LayerPolicy = LAYER_POLICY,
  ) {
    this.current = initial;
    this.switchedAt = nowMs;
    this.upHold = policy.upHoldMs;
  }

  /** The hold before the next move up (grows after failed moves, shrinks back after good ones). */
  get upHoldMs(): number {
    return this.upHold;
  }

  /**
   * Called on each new estimate (or bitrate measurement): returns the target layer and records a
   * switch. `congested`: the link shows congestion now (no probe then).
   */
  update(bitrates: readonly number[], estimateBps: number, nowMs: number, congested = false): number {
    // The layer it is on stopped (bitrate 0 while another flows): not the link's fault, so no
    // failed move up, no probe bookkeeping; the next move up waits minSwitchMs as after any switch.
    if (!(bitrates[this.current]! > 0) && bitrates.some((r) => r > 0)) {
      const to = bestFitting(bitrates, this.policy.downAt * estimateBps);
      if (to !== this.current) {
        if (this.resume.layer < 0) this.resume = { layer: this.current, estimateBps, untilMs: nowMs + this.policy.resumeWithinMs };
        this.current = to;
        this.switchedAt = nowMs;
        this.fitSince = -1;
        this.lastUpAt = -Infinity;
      }
      return to;
    }
    const back = this.resume;
    if (back.layer >= 0) {
      const rate = bitrates[back.layer] ?? 0;
      if (nowMs > back.untilMs || back.layer <= this.current) this.resume = { layer: -1, estimateBps: 0, untilMs: 0 };
      else if (rate > 0) {
        this.resume = { layer: -1, estimateBps: 0, untilMs: 0 };
        if (rate <= this.policy.upAt * Math.max(estimateBps, back.estimateBps)) {
          this.current = back.layer;
          this.switchedAt = nowMs;
          this.fitSince = -1;
          return back.layer;
        }
      }
    }
    const up = nextLayerUp(bitrates, this.current);
    const fits = up >= 0 && bitrates[up]! <= this.policy.upAt * estimateBps;
    if (!fits) this.fitSince = -1;
    else if (this.fitSince < 0 || this.fitLayer !== up) {
      this.fitSince = nowMs;
      this.fitLayer = up;
    }
    const fitsForMs = this.fitSince < 0 ? 0 : nowMs - this.fitSince;
    let probedUp: boolean | undefined;
    const p = this.probes;
    if (p && up >= 0) {
      probedUp = p.passed(bitrates[up]!, nowMs, up);
      p.observe(bitrates[up]!, estimateBps, up);
      // Probe the layer above when the hold rule alone would move up now, when a failed train's
      // retry is due (its cap keeps the estimate from saying so again), right after a train
      // passed (the next step, as libwebrtc probes further after a success), or periodically.
      const holdSaysUp = fits && fitsForMs >= this.upHold && nowMs - this.switchedAt >= this.policy.minSwitchMs;
      if (!probedUp && (holdSaysUp || p.due(nowMs)) && nowMs - this.switchedAt >= this.policy.minSwitchMs)
        p.request(bitrates[up]!, nowMs, congested, estimateBps, nextLayerUp(bitrates, up) < 0, up);
    }
    const target = chooseLayer(
      {
        bitrates,
        current: this.current,
        estimateBps,
        sinceSwitchMs: nowMs - this.switchedAt,
        fitsForMs,
        upHoldMs: this.upHold,
        ...(probedUp !== undefined ? { probedUp } : {}),
      },
      this.policy,
    );
    if (target === this.current) {
      // A move up that held through the fail window was good: the hold relaxes again.
      if (this.lastUpAt > -Infinity && nowMs - this.lastUpAt > this.policy.failWindowMs) {
        this.upHold = Math.max(this.policy.upHoldMs, this.upHold / 2);
        this.lastUpAt = -Infinity;
      }
      return target;
    }
    if (target < this.current) {
      this.switches.down++;
      // Down soon after up: the layer above did not fit after all; wait longer next time.
      const failedUp = nowMs - this.lastUpAt < this.policy.failWindowMs;
      if (failedUp) this.upHold = Math.min(this.policy.maxUpHoldMs, this.upHold * 2);
      this.probes?.onMoveDown(failedUp, nowMs);
      this.lastUpAt = -Infinity;
    } else {
      this.switches.up++;
      this.lastUpAt = nowMs;
    }
    this.current = target;
    this.switchedAt = nowMs;
    this.fitSince = -1;
    return target;
  }
}
