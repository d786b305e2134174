import { describe, expect, it } from 'vitest';
import { chooseLayer, LayerChooser } from '../../src/media/LayerChoice.js';
import { LayerFlow } from '../../src/media/LayerFlow.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import type { Quality } from '../../src/media/types.js';
import { LayerSwitch } from '../../src/session/LayerSwitch.js';
import { layeredFeed } from '../support/layeredFeed.js';

// A simulcast layer that stops at the publisher (issue 20: Chromium drops its top encoding when
// its estimate falls): LayerFlow's judgement, the chooser's fallback, and LayerSwitch moving a
// viewer off the stopped layer and back, all on explicit clocks (capture time and wall time).

const HIGH = 0;
const MID = 1;
const LOW = 2;

describe('LayerFlow (is a layer flowing, stopped, or not seen yet)', () => {
  it('judges only an expected layer, by capture time against its siblings: stopped after 1 s of silence', () => {
    const f = new LayerFlow([HIGH, MID, LOW]);
    f.expect(HIGH, true, 0);
    for (let t = 0; t <= 2000; t += 33) {
      if (t < 500) f.onPacket(HIGH, t, false, t);
      f.onPacket(MID, t, false, t);
      f.onPacket(LOW, t, false, t);
      // MID and LOW are not expected: never judged, whatever they do later.
      if (t < 1000 + 462) expect(f.state(HIGH), `at ${t}`).toBe('flowing');
    }
    expect(f.state(HIGH)).toBe('stopped');
    expect(f.flowingNow(MID)).toBe(true);
    expect(f.flowingNow(HIGH)).toBe(false);
  });

  it('a burst after a stall (all packets at one wall time, capture times interleaved) judges nothing', () => {
    const f = new LayerFlow([HIGH, MID]);
    f.expect(HIGH, true, 0);
    f.onPacket(HIGH, 0, false, 0);
    f.onPacket(MID, 0, false, 0);
    // The event loop stalled 2 s: the queued packets come in their order, all at wall time 2000.
    for (let cap = 33; cap <= 2000; cap += 33) {
      expect(f.onPacket(MID, cap, false, 2000)).toBe(false);
      expect(f.onPacket(HIGH, cap, false, 2000)).toBe(false);
    }
    expect(f.state(HIGH)).toBe('flowing');
  });

  it('a layer expected but never seen gets the pull grace (3 s); one not expected stays pullable', () => {
    const f = new LayerFlow([HIGH, MID, LOW]);
    f.onPacket(LOW, 10_000, false, 0);
    f.expect(MID, true, 0);
    for (let cap = 10_000; cap < 12_990; cap += 33) f.onPacket(LOW, cap, false, 0);
    expect(f.state(MID)).toBe('unseen');
    expect(f.state(HIGH)).toBe('unseen');
    f.onPacket(LOW, 13_000, false, 0);
    expect(f.state(MID)).toBe('stopped');
    expect(f.state(HIGH)).toBe('unseen'); // never received here, not pulled: still a candidate
    // No longer expected: nobody here would see it come back, so it is pullable again.
    f.expect(MID, false, 0);
    expect(f.state(MID)).toBe('unseen');
  });

  it('a stopped layer flows again at its keyframe, or after 1 s of packets with no gap of 1 s', () => {
    const f = new LayerFlow([HIGH, MID]);
    f.expect(HIGH, true, 0);
    f.onPacket(HIGH, 0, false, 0);
    f.onPacket(MID, 1000, false, 0);
    expect(f.state(HIGH)).toBe('stopped');
    f.onPacket(HIGH, 1100, false, 0);
    f.onPacket(HIGH, 1500, false, 0);
    expect(f.state(HIGH)).toBe('stopped');
    f.onPacket(HIGH, 2600, false, 0); // a gap of 1.1 s: the run starts again here
    f.onPacket(HIGH, 3500, false, 0);
    expect(f.state(HIGH)).toBe('stopped');
    expect(f.onPacket(HIGH, 3600, false, 0)).toBe(true);
    expect(f.state(HIGH)).toBe('flowing');
    f.onPacket(MID, 4600, false, 0);
    expect(f.state(HIGH)).toBe('stopped');
    expect(f.onPacket(HIGH, 4700, true, 0)).toBe(true); // its keyframe: at once
    expect(f.state(HIGH)).toBe('flowing');
  });

  it('quiet: an expected layer from which nothing arrives here for 1 s of wall time (nothing else to compare with)', () => {
    const f = new LayerFlow([HIGH, MID]);
    f.expect(HIGH, true, 0);
    expect(f.quiet(HIGH, 2000)).toBe(false); // never seen: the pull grace
    expect(f.quiet(HIGH, 3000)).toBe(true);
    f.onPacket(HIGH, 50, false, 3100);
    expect(f.quiet(HIGH, 4000)).toBe(false);
    expect(f.quiet(HIGH, 4100)).toBe(true);
    expect(f.quiet(MID, 9000)).toBe(false); // not expected
  });
});

describe('LayerChoice with a stopped layer (bitrate 0 while others flow)', () => {
  it('chooseLayer moves off the stopped layer to the best one the estimate allows, at once', () => {
    const base = { sinceSwitchMs: 0, fitsForMs: 0 };
    expect(chooseLayer({ ...base, bitrates: [120_000, 400_000, 0], current: 2, estimateBps: 2_000_000 })).toBe(1);
    expect(chooseLayer({ ...base, bitrates: [120_000, 400_000, 0], current: 2, estimateBps: 300_000 })).toBe(0);
    expect(chooseLayer({ ...base, bitrates: [120_000, 400_000, 0], current: 2, estimateBps: 10_000 })).toBe(0);
    expect(chooseLayer({ ...base, bitrates: [120_000, 0, 1_200_000], current: 1, estimateBps: 2_000_000 })).toBe(2);
    expect(chooseLayer({ ...base, bitrates: [0, 0, 0], current: 2, estimateBps: 2_000_000 })).toBe(2);
  });

  it('LayerChooser: the fallback is no failed move up (the hold does not double); a layer back within 10 s that fits the estimate of its stop takes the viewer back at once', () => {
    const c = new LayerChooser(1, 0);
    expect(c.update([120_000, 400_000, 1_200_000], 2_000_000, 0)).toBe(1);
    expect(c.update([120_000, 400_000, 1_200_000], 2_000_000, 3000)).toBe(2); // held 3 s: up
    expect(c.update([120_000, 400_000, 0], 2_000_000, 4000)).toBe(1); // top stopped a second later
    expect(c.upHoldMs).toBe(3000);
    expect(c.switches).toEqual({ up: 1, down: 0 });
    // On mid, the estimate has only seen mid's rate; the link carried the top layer before.
    expect(c.update([120_000, 400_000, 0], 900_000, 4500)).toBe(1);
    expect(c.update([120_000, 400_000, 1_200_000], 900_000, 5000)).toBe(2); // back at once
    expect(c.switches).toEqual({ up: 1, down: 0 });
  });

  it('LayerChooser: a layer back after the resume window, or one that no longer fits, waits for the usual hold', () => {
    const late = new LayerChooser(2, 0);
    expect(late.update([120_000, 400_000, 0], 2_000_000, 1000)).toBe(1);
    expect(late.update([120_000, 400_000, 1_200_000], 2_000_000, 11_500)).toBe(1); // 10.5 s later: the hold runs
    expect(late.update([120_000, 400_000, 1_200_000], 2_000_000, 14_400)).toBe(1);
    expect(late.update([120_000, 400_000, 1_200_000], 2_000_000, 14_500)).toBe(2);
    // The top layer returns at a higher rate than the estimate at its stop allowed.
    const big = new LayerChooser(2, 0);
    expect(big.update([120_000, 400_000, 0], 1_700_000, 1000)).toBe(1);
    expect(big.update([120_000, 400_000, 2_500_000], 1_700_000, 2000)).toBe(1);
    expect(big.update([120_000, 400_000, 2_500_000], 1_700_000, 9000)).toBe(1);
  });
});

const SIZE = [1100, 400, 120];

/** The first frame of each second (33 ms apart). */
const newSecond = (t: number): boolean => Math.floor(t / 1000) !== Math.floor((t - 33) / 1000);

/**
 * A publisher's frames, 30 a second on each layer, with `keyEvery` a keyframe on each layer once a second: capture
 * time = wall time = t (a time-shift replay passes `capOffset`, its capture times being older).
 */
function frames(
  ls: LayerSwitch,
  from: number,
  to: number,
  opts: { layers: number[]; keyEvery?: number; capOffset?: number; keyAt?: Partial<Record<number, number>> },
): Array<[number, number, boolean, boolean]> {
  const out: Array<[number, number, boolean, boolean]> = [];
  for (let t = from; t < to; t += 33) {
    for (const l of opts.layers) {
      const key = (opts.keyEvery !== undefined && newSecond(t)) || opts.keyAt?.[l] === t;
      const sent = ls.admit(mediaPacket(l, new Uint8Array(SIZE[l]!), t - (opts.capOffset ?? 0), key), t);
      out.push([t, l, key, sent]);
    }
    if (newSecond(t)) ls.tick(t);
  }
  return out;
}

/** The layers sent, in order, with whether each run starts with a keyframe. */
function runs(sent: Array<[number, number, boolean, boolean]>): Array<[number, boolean]> {
  const r: Array<[number, boolean]> = [];
  for (const [, l, key, ok] of sent) if (ok && r.at(-1)?.[0] !== l) r.push([l, key]);
  return r;
}

describe('LayerSwitch when a layer stops at the publisher', () => {
  it('pinned high: falls back to mid at its keyframe, holds high, says why once, and goes back to high when it flows', () => {
    const { feed, asked, set } = layeredFeed();
    const fallbacks: Array<[Quality, Quality, string]> = [];
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: 'high', onFallback: (f, t, r) => fallbacks.push([f, t, r]), nowMs: 0 });
    // Everything flows (an origin gets every layer), keyframes every 30 frames.
    let sent = frames(ls, 0, 3000, { layers: [HIGH, MID, LOW], keyEvery: 30 });
    expect(ls.current?.quality).toBe('high');
    // The top layer stops at 3 s.
    const askedBefore = asked.length;
    sent = sent.concat(frames(ls, 3000, 6000, { layers: [MID, LOW], keyEvery: 30 }));
    expect(ls.current?.quality).toBe('mid');
    expect(fallbacks).toEqual([['high', 'mid', 'layer stopped']]);
    expect(ls.describe()).toMatchObject({
      layer: 'mid',
      target: 'mid',
      pinned: 'high',
      fallback: { from: 'high', reason: 'layer stopped' },
      awaiting: ['high'],
    });
    // Still pulled, so this node sees it come back; no keyframe asked of the silent layer.
    expect(feed.layers.refs('high')).toBe(1);
    expect(asked.slice(askedBefore)).not.toContain(HIGH);
    expect(asked.slice(askedBefore)).toContain(MID);
    // Back at 6 s with a keyframe (as Chromium resumes an encoding).
    sent = sent.concat(frames(ls, 6006, 8000, { layers: [HIGH, MID, LOW], keyEvery: 30, keyAt: { [HIGH]: 6006 } }));
    expect(ls.current?.quality).toBe('high');
    expect(ls.describe()).not.toHaveProperty('fallback');
    expect(runs(sent)).toEqual([
      [HIGH, true],
      [MID, true],
      [HIGH, true],
    ]);
    // Nothing of mid between its keyframe and high's: the fallback started within ~1 s of keyframe spacing after the stop.
    const firstMid = sent.find(([, l, , ok]) => l === MID && ok)![0];
    expect(firstMid).toBeGreaterThanOrEqual(3000 + 1000);
    expect(firstMid).toBeLessThanOrEqual(3000 + 1000 + 1000);
    expect(set.at(-1)).toEqual(['high']);
    expect(fallbacks).toHaveLength(1);
    ls.close();
    feed.close('done');
  });

  it("a keyframe's burst in one second of the layer it is on does not move the viewer down: a layer's rate is the mean of its last four seconds", () => {
    const { feed } = layeredFeed();
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: null, nowMs: 0 });
    // High is 264 kbit/s here (1,100 bytes x 30 a second), under 0.9 x the 400 kbit/s estimate.
    const targets = new Set<string>();
    for (let t = 0; t < 8000; t += 500) {
      frames(ls, t, t + 500, { layers: [HIGH, MID, LOW], keyEvery: 30 });
      ls.onEstimate(400_000, t + 500);
      if (t >= 1000) targets.add(ls.target.quality);
    }
    expect(ls.current?.quality).toBe('high');
    // One second with 22 kbytes more of high (a keyframe a switch asked for): 440 kbit/s measured
    // over that second alone, over 0.9 x the estimate; (3 x 264 + 440) / 4 = 308 over four.
    for (let t = 8000; t < 12_000; t += 500) {
      frames(ls, t, t + 500, { layers: [HIGH, MID, LOW], keyEvery: 30 });
      if (t === 8000) for (let i = 0; i < 20; i++) ls.admit(mediaPacket(HIGH, new Uint8Array(1100), 8100 + i, false), 8100 + i);
      ls.onEstimate(400_000, t + 500);
      targets.add(ls.target.quality);
    }
    expect([...targets]).toEqual(['high']);
    expect(ls.current?.quality).toBe('high');
    // A rate that stays higher is followed, four seconds later at most: high at 528 kbit/s from 12 s.
    let downAt = -1;
    for (let t = 12_000; t < 20_000 && downAt < 0; t += 500) {
      frames(ls, t, t + 500, { layers: [HIGH, HIGH, MID, LOW], keyEvery: 30 });
      ls.onEstimate(400_000, t + 500);
      if (ls.target.quality !== 'high') downAt = t + 500;
    }
    expect(downAt).toBeGreaterThan(12_000);
    expect(downAt).toBeLessThanOrEqual(16_500);
    ls.close();
    feed.close('done');
  });

  it('auto with an estimate: the chooser takes the best layer that flows, asks nothing of the stopped one, and moves back after its hold', () => {
    const { feed, asked } = layeredFeed();
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: null, nowMs: 0 });
    let sent = frames(ls, 0, 2000, { layers: [HIGH, MID, LOW], keyEvery: 30 });
    ls.onEstimate(5_000_000, 2000);
    sent = sent.concat(frames(ls, 2013, 3000, { layers: [HIGH, MID, LOW], keyEvery: 30 }));
    expect(ls.current?.quality).toBe('high');
    const askedBefore = asked.length;
    for (let t = 3000; t < 7000; t += 500) {
      sent = sent.concat(frames(ls, t, t + 500, { layers: [MID, LOW], keyEvery: 30 }));
      ls.onEstimate(5_000_000, t + 500);
    }
    expect(ls.current?.quality).toBe('mid');
    expect(ls.target.quality).toBe('mid');
    expect(asked.slice(askedBefore)).not.toContain(HIGH);
    expect(ls.describe()).toMatchObject({ fallback: { from: 'high' }, fallbacks: 1 });
    // High resumes (keyframe at 7 s) within the chooser's resume window and fits the estimate:
    // the viewer goes back at the first keyframe after the chooser hears of it, with no hold.
    for (let t = 7000; t < 12_000; t += 500) {
      sent = sent.concat(frames(ls, t, t + 500, { layers: [HIGH, MID, LOW], keyEvery: 30, keyAt: { [HIGH]: 7000 } }));
      ls.onEstimate(5_000_000, t + 500);
    }
    expect(ls.current?.quality).toBe('high');
    const backAt = sent.filter(([t, l, , ok]) => ok && l === HIGH && t >= 7000)[0]![0];
    expect(backAt).toBeLessThan(7000 + 3000);
    expect(runs(sent)).toEqual([
      [HIGH, true],
      [MID, true],
      [HIGH, true],
    ]);
    ls.close();
    feed.close('done');
  });

  it('at a relay that pulls only the top layer: quiet for 1 s, it pulls the others, finds mid flowing and falls back; low is let go', () => {
    const { feed, set } = layeredFeed();
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: null, nowMs: 0 });
    let sent = frames(ls, 0, 2000, { layers: [HIGH], keyEvery: 30 });
    expect(set.at(-1)).toEqual(['high']);
    // High stops at 2 s and nothing of the group arrives: at the first tick a second later, every layer is pulled.
    ls.tick(2500);
    expect(set.at(-1)).toEqual(['high']);
    ls.tick(3100);
    expect(set.at(-1)).toEqual(['high', 'mid', 'low']);
    sent = sent.concat(frames(ls, 3200, 5000, { layers: [MID, LOW], keyEvery: 30 }));
    expect(ls.current?.quality).toBe('mid');
    expect(set.at(-1)).toEqual(['high', 'mid']); // high awaited, mid on, low released
    expect(runs(sent)).toEqual([
      [HIGH, true],
      [MID, true],
    ]);
    ls.close();
    feed.close('done');
  });

  it('a viewer whose layer never comes starts on one that flows after the pull grace (a relay window B without it)', () => {
    const { feed } = layeredFeed();
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: 'high', nowMs: 0 });
    const sent = frames(ls, 0, 5000, { layers: [LOW], keyEvery: 30 });
    const first = sent.find(([, , , ok]) => ok)!;
    expect(first[1]).toBe(LOW);
    expect(first[2]).toBe(true);
    expect(first[0]).toBeGreaterThanOrEqual(3000);
    expect(ls.describe()).toMatchObject({ layer: 'low', fallback: { from: 'high' } });
    ls.close();
    feed.close('done');
  });

  it('a time-shift replay in which the top layer is missing for a period: off it for that period, back after', () => {
    const { feed } = layeredFeed();
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: 'high', nowMs: 0 });
    const capOffset = 3_600_000; // an hour back
    let sent = frames(ls, 0, 2000, { layers: [HIGH, MID, LOW], keyEvery: 30, capOffset });
    sent = sent.concat(frames(ls, 2000, 5000, { layers: [MID, LOW], keyEvery: 30, capOffset }));
    sent = sent.concat(frames(ls, 5000, 8000, { layers: [HIGH, MID, LOW], keyEvery: 30, capOffset }));
    expect(runs(sent)).toEqual([
      [HIGH, true],
      [MID, true],
      [HIGH, true],
    ]);
    ls.close();
    feed.close('done');
  });
});
