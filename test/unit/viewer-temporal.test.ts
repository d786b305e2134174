import { describe, expect, it } from 'vitest';
import { nextTemporalCap, type TemporalControl } from '../../src/media/TemporalCap.js';
import type { FanoutTap } from '../../src/session/StreamFanouts.js';
import { FanoutTemporal, ViewerTemporal } from '../../src/session/ViewerTemporal.js';

// The cap of a single-layer viewer (docs/abr.md "Temporal layers of a single-layer stream"):
// down at once under 0.9 x the estimate, up only as far as 0.75 x the estimate holds.
const RATES = [400_000, 200_000, 400_000]; // TL0, TL1, TL2: 400k, 600k, 1M cumulative

describe('nextTemporalCap', () => {
  it('goes down at once as chooseTemporalCap says', () => {
    expect(nextTemporalCap(null, RATES, 2_000_000)).toBeNull();
    expect(nextTemporalCap(null, RATES, 1_000_000)).toBe(1); // 1M > 900k; 600k fits
    expect(nextTemporalCap(null, RATES, 500_000)).toBe(0);
    expect(nextTemporalCap(1, RATES, 500_000)).toBe(0);
  });

  it('goes up only where the layers fit under 0.75 x the estimate', () => {
    // 1.2M: all fit under 0.9 x (1.08M) but not under 0.75 x (900k): TL1 only (600k fits).
    expect(nextTemporalCap(0, RATES, 1_200_000)).toBe(1);
    expect(nextTemporalCap(1, RATES, 1_200_000)).toBe(1);
    // 700k: TL0+TL1 (600k) under 0.9 x (630k) but not under 0.75 x (525k): stays at TL0.
    expect(nextTemporalCap(0, RATES, 700_000)).toBe(0);
    // 1.4M: everything under 0.75 x (1.05M): lifted.
    expect(nextTemporalCap(1, RATES, 1_400_000)).toBeNull();
  });

  it('lifts when the rates are unknown or the stream has no temporal layers', () => {
    expect(nextTemporalCap(0, [], 100_000)).toBeNull();
    expect(nextTemporalCap(0, [900_000], 100_000)).toBeNull();
  });
});

describe('ViewerTemporal with a filter that waits for a key frame (AV1)', () => {
  it('asks for a key frame of the track once a second while a layer waits for one', () => {
    const asked: number[] = [];
    let waits = true;
    const tc: TemporalControl = { layerRates: () => RATES, setCap: () => {}, measure: () => {}, describe: () => ({}), waitsForKeyframe: () => waits };
    const vt = new ViewerTemporal((id) => asked.push(id));
    vt.add(tc, 5);
    vt.tick(1000);
    vt.tick(2000);
    waits = false;
    vt.tick(3000);
    expect(asked).toEqual([5, 5]);
  });
});

describe('ViewerTemporal with a fan-out member', () => {
  it('asks for a key frame while the native member waits for one (AV1)', () => {
    const asked: number[] = [];
    let waits = false;
    const tap = {
      temporal: true,
      temporalBytes: () => [],
      setTemporalCap: () => {},
      temporalWaitsForKeyframe: () => waits,
    } as unknown as FanoutTap;
    const vt = new ViewerTemporal((id) => asked.push(id));
    vt.add(new FanoutTemporal(tap, null, 0), 2);
    vt.tick(1000);
    waits = true;
    vt.tick(2000);
    vt.tick(3000);
    waits = false;
    vt.tick(4000);
    expect(asked).toEqual([2, 2]);
  });

  it('measures the group bytes per layer, and sets the member cap from the estimate', () => {
    let bytes = [0, 0, 0];
    const caps: Array<number | null> = [];
    const tap = {
      temporal: true,
      temporalBytes: () => bytes,
      setTemporalCap: (c: number | null) => caps.push(c),
      temporalWaitsForKeyframe: () => false,
    } as unknown as FanoutTap;
    const vt = new ViewerTemporal();
    const ft: TemporalControl = new FanoutTemporal(tap, null, 0);
    vt.add(ft, 3);
    expect(vt.sentShare(3)).toBe(1);
    vt.onEstimate(500_000);
    expect(caps).toEqual([]); // no rates yet: nothing to decide
    bytes = [50_000, 25_000, 50_000]; // one second: 400k, 200k, 400k
    vt.tick(1000);
    expect(ft.layerRates()).toEqual(RATES);
    expect(caps).toEqual([0]);
    expect(vt.sentShare(3)).toBe(0.4); // TL0's 400k of 1M
    expect(vt.sentShare(0)).toBe(1); // another track: no cap
    // The group's running count of bytes sent, counted at the share from now on.
    expect(vt.sentBytes(3, 10_000)).toBe(10_000);
    expect(vt.sentBytes(3, 20_000)).toBe(14_000);
    expect(vt.sentBytes(0, 5_000)).toBe(5_000); // no cap: as offered
    vt.onEstimate(1_400_000);
    expect(caps).toEqual([0, null]);
    expect(vt.sentShare(3)).toBe(1);
    expect(vt.sentBytes(3, 30_000)).toBe(24_000);
    expect(vt.describe()).toEqual({ cap: null, layers: 3 });
  });
});
