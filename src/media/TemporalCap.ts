// How many temporal layers a viewer gets while a switch down waits for the lower layer's
// keyframe (issue 20, docs/abr.md "Temporal layers"): the one home of that decision, beside
// LayerChoice.ts (which layer). The engine's TemporalFilter does the per-packet work.
import { LAYER_POLICY } from './LayerChoice.js';

/** What LayerSwitch needs of a sender's temporal filter. */
export interface TemporalControl {
  /** Bit rate of each temporal layer (index = TID) of the layer being sent; empty when it signals none. */
  layerRates(): readonly number[];
  /** The highest temporal layer to send; null: all. */
  setCap(maxTid: number | null): void;
  /** About once a second: measures layerRates. */
  measure(nowMs: number): void;
  describe(): Record<string, unknown>;
  /**
   * A temporal layer the cap allows is still left out, and only a key frame brings it back (AV1:
   * its bitstream signals no switching point); absent: never.
   */
  waitsForKeyframe?(): boolean;
}

/**
 * The highest temporal layer whose frames, with those of every layer below, fit under
 * share x the estimate (LayerChoice's downAt: the same line a layer crosses to be left);
 * at least the base layer. Null when all fit, or when the layer has no temporal layers measured.
 */
export function chooseTemporalCap(rates: readonly number[], estimateBps: number, share = LAYER_POLICY.downAt): number | null {
  if (rates.length < 2 || !(estimateBps >= 0)) return null;
  let sum = 0;
  for (let k = 0; k < rates.length; k++) {
    sum += Math.max(0, rates[k]!);
    if (sum > share * estimateBps) return Math.max(0, k - 1);
  }
  return null;
}

/**
 * The cap for a viewer of a single-layer stream (no lower layer to move to: the cap is its only
 * way down; docs/abr.md "Temporal layers of a single-layer stream"): down at once as
 * chooseTemporalCap says (downAt), up only as far as the layers fit under LayerChoice's upAt, so
 * the estimate's ordinary wobble does not take a layer away and give it back every second.
 * current: the cap in force (null: all layers).
 */
export function nextTemporalCap(current: number | null, rates: readonly number[], estimateBps: number): number | null {
  const down = chooseTemporalCap(rates, estimateBps, LAYER_POLICY.downAt);
  if (current === null) return down;
  if (down !== null && down <= current) return down;
  const up = chooseTemporalCap(rates, estimateBps, LAYER_POLICY.upAt);
  return up === null ? null : Math.max(current, up);
}
