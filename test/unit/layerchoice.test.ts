import { describe, expect, it } from 'vitest';
import { chooseLayer, LAYER_POLICY, LayerChooser, nextLayerUp } from '../../src/media/LayerChoice.js';

// Three layers as the bench publishes them: 120 kbit/s, 400 kbit/s, 1.2 Mbit/s.
const RATES = [120_000, 400_000, 1_200_000];
const base = { bitrates: RATES, sinceSwitchMs: 60_000, fitsForMs: 60_000 };

describe('chooseLayer', () => {
  it('moves down at once when the current layer exceeds 0.9 x the estimate, to the highest that fits', () => {
    expect(chooseLayer({ ...base, current: 2, estimateBps: 1_400_000 })).toBe(2);
    expect(chooseLayer({ ...base, current: 2, estimateBps: 1_300_000 })).toBe(1);
    // Even right after a switch: going down does not wait.
    expect(chooseLayer({ ...base, current: 2, estimateBps: 500_000, sinceSwitchMs: 0, fitsForMs: 0 })).toBe(1);
    // Nothing fits: the lowest layer.
    expect(chooseLayer({ ...base, current: 2, estimateBps: 100_000 })).toBe(0);
    expect(chooseLayer({ ...base, current: 2, estimateBps: 300_000 })).toBe(0);
  });

  it('moves up one layer only when it fits under 0.75 x the estimate, for the hold, after the minimum switch gap', () => {
    // 400k / 0.75 = 533k.
    expect(chooseLayer({ ...base, current: 0, estimateBps: 520_000 })).toBe(0);
    expect(chooseLayer({ ...base, current: 0, estimateBps: 540_000 })).toBe(1);
    expect(chooseLayer({ ...base, current: 0, estimateBps: 540_000, fitsForMs: LAYER_POLICY.upHoldMs - 1 })).toBe(0);
    expect(chooseLayer({ ...base, current: 0, estimateBps: 540_000, sinceSwitchMs: LAYER_POLICY.minSwitchMs - 1 })).toBe(0);
    // One step at a time, even with room for the top layer.
    expect(chooseLayer({ ...base, current: 0, estimateBps: 10_000_000 })).toBe(1);
  });

  it('holds between the thresholds (hysteresis): neither 0.9 x est exceeded nor 0.75 x est fitting', () => {
    // Top 1.2M with an estimate of 1.4M: 1.2M < 0.9*1.4M=1.26M (stays) although 1.2M > 0.75*1.4M (would not be admitted).
    expect(chooseLayer({ ...base, current: 2, estimateBps: 1_400_000 })).toBe(2);
    expect(chooseLayer({ ...base, current: 1, estimateBps: 1_400_000 })).toBe(1);
  });

  it('skips unmeasured layers (0) as candidates', () => {
    expect(nextLayerUp([100, 0, 300], 0)).toBe(2);
    expect(chooseLayer({ ...base, bitrates: [120_000, 0, 1_200_000], current: 0, estimateBps: 2_000_000 })).toBe(2);
    expect(chooseLayer({ ...base, bitrates: [0, 400_000, 1_200_000], current: 2, estimateBps: 100_000 })).toBe(1);
    expect(chooseLayer({ ...base, bitrates: [], current: 0, estimateBps: 100_000 })).toBe(0);
    expect(chooseLayer({ ...base, current: 7, estimateBps: 10_000_000 })).toBe(2);
  });
});

describe('LayerChooser', () => {
  it('climbs one layer per hold while the estimate allows, and drops at once', () => {
    const c = new LayerChooser(0, 0);
    let t = 0;
    const steps: Array<[number, number]> = [];
    for (; t <= 10_000; t += 100) {
      const l = c.update(RATES, 2_000_000, t);
      if (steps.length === 0 || steps[steps.length - 1]![1] !== l) steps.push([t, l]);
    }
    expect(steps.map(([, l]) => l)).toEqual([0, 1, 2]);
    expect(steps[1]![0]).toBeGreaterThanOrEqual(LAYER_POLICY.upHoldMs);
    expect(steps[2]![0] - steps[1]![0]).toBeGreaterThanOrEqual(LAYER_POLICY.upHoldMs);
    expect(c.update(RATES, 400_000, t)).toBe(0);
    expect(c.switches).toEqual({ up: 2, down: 1 });
  });

  it('a move up that fails soon doubles the hold before the next try; a lasting one relaxes it', () => {
    const c = new LayerChooser(1, 0);
    let t = 0;
    const run = (est: number, until: number): void => {
      for (; t < until; t += 100) c.update(RATES, est, t);
    };
    run(2_000_000, 5000);
    expect(c.current).toBe(2);
    run(1_000_000, 6000); // the estimate falls after the move: back down
    expect(c.current).toBe(1);
    expect(c.upHoldMs).toBe(2 * LAYER_POLICY.upHoldMs);
    const downAt = t;
    run(2_000_000, downAt + 2 * LAYER_POLICY.upHoldMs - 200);
    expect(c.current).toBe(1);
    run(2_000_000, downAt + 2 * LAYER_POLICY.upHoldMs + 500);
    expect(c.current).toBe(2);
    run(2_000_000, t + LAYER_POLICY.failWindowMs + 500);
    expect(c.upHoldMs).toBe(LAYER_POLICY.upHoldMs);
  });
});
