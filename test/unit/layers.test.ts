import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Downlink } from '../../src/tree/Downlink.js';
import type { Link } from '../../src/link/Link.js';
import type { Lease, StreamHub } from '../../src/media/StreamHub.js';
import { LayerDemand } from '../../src/media/LayerDemand.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import type { Quality, StreamConsumer } from '../../src/media/types.js';
import { layerQualities } from '../../src/engine/simulcast.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { LayerSwitch } from '../../src/session/LayerSwitch.js';
import { layeredFeed } from '../support/layeredFeed.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('LayerDemand (pull on demand per layer)', () => {
  it('wants a layer while referenced, and drops it after the linger', () => {
    vi.useFakeTimers();
    const changes: Quality[][] = [];
    const d = new LayerDemand({ lingerMs: 500, onChange: (l) => changes.push(l) });
    const a = d.want('low');
    const b = d.want('low');
    const c = d.want('high');
    expect(changes).toEqual([['low'], ['high', 'low']]);
    a();
    a(); // idempotent
    expect(d.refs('low')).toBe(1);
    b();
    expect(d.wanted).toEqual(['high', 'low']); // lingering
    vi.advanceTimersByTime(499);
    const again = d.want('low'); // back within the linger: no change, timer cancelled
    expect(changes.length).toBe(2);
    again();
    vi.advanceTimersByTime(500);
    expect(changes.at(-1)).toEqual(['high']);
    c();
    vi.advanceTimersByTime(500);
    expect(changes.at(-1)).toEqual([]);
    expect(d.pendingTimers).toBe(0);
    d.close();
  });
});

describe('layerQualities', () => {
  it('orders well-known rid sets, else takes the offer order as lowest first', () => {
    expect([...layerQualities(['q', 'h', 'f'])]).toEqual([
      ['q', 'low'],
      ['h', 'mid'],
      ['f', 'high'],
    ]);
    expect([...layerQualities(['high', 'low'])]).toEqual([
      ['low', 'low'],
      ['high', 'high'],
    ]);
    expect([...layerQualities(['0', '1', '2'])].map(([, q]) => q)).toEqual(['low', 'mid', 'high']);
    expect([...layerQualities(['a'])]).toEqual([['a', 'high']]);
  });
});

const rtp = new Uint8Array(20);
const pkt = (track: number, key: boolean) => mediaPacket(track, rtp, 0, key);

describe('LayerSwitch (a layer per viewer)', () => {
  it('starts on the pinned layer at its keyframe, and moves only at a keyframe of the target', () => {
    const { feed, asked, set } = layeredFeed();
    const switched: Array<[Quality | null, Quality]> = [];
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: 'low', onSwitch: (f, t) => switched.push([f, t]) });
    expect(asked).toEqual([2]); // a keyframe of the low layer, through the limiter
    expect(set.at(-1)).toEqual(['low']);
    expect(ls.admit(pkt(2, false), 0)).toBe(false); // no delta frame before the first keyframe
    expect(ls.admit(pkt(0, true), 0)).toBe(false); // another layer's keyframe
    expect(ls.admit(pkt(2, true), 0)).toBe(true);
    expect(ls.admit(pkt(2, false), 0)).toBe(true);
    expect(ls.admit(pkt(1, false), 0)).toBe(false);
    expect(ls.pin('high')).toBe('high');
    expect(asked.at(-1)).toBe(0);
    expect(set.at(-1)).toEqual(['high', 'low']); // both held until the switch
    expect(ls.admit(pkt(0, false), 1)).toBe(false); // waiting for the high keyframe: low goes on
    expect(ls.admit(pkt(2, false), 1)).toBe(true);
    expect(ls.admit(pkt(0, true), 2)).toBe(true);
    expect(ls.admit(pkt(2, false), 2)).toBe(false);
    expect(switched).toEqual([
      [null, 'low'],
      ['low', 'high'],
    ]);
    expect(ls.switches).toBe(1);
    expect(set.at(-1)).toEqual(['high']); // idleCloseAfterMs 0: low released at once
    ls.close();
    expect(set.at(-1)).toEqual([]);
    feed.close('done');
  });

  it('follows the estimate when not pinned (LayerChoice), and the top layer without one', () => {
    const { feed } = layeredFeed();
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: null });
    expect(ls.target.quality).toBe('high');
    // Measured rates: 1.2 Mbit/s, 400 and 120 kbit/s.
    const t0 = Date.now();
    for (const [track, bytes] of [
      [0, 150_000],
      [1, 50_000],
      [2, 15_000],
    ] as const)
      ls.admit(mediaPacket(track, new Uint8Array(bytes), 0, false), t0);
    ls.tick(t0 + 1000);
    ls.onEstimate(500_000, t0 + 1000);
    expect(ls.target.quality).toBe('mid');
    ls.pin('low');
    expect(ls.target.quality).toBe('low');
    ls.pin(null);
    expect(ls.describe()).toMatchObject({ pinned: null, estimateBps: 500_000 });
    ls.close();
    feed.close('done');
  });
});

describe('LayerSwitch and temporal layers (a switch down waiting for its keyframe)', () => {
  it('leaves out the temporal layers the estimate cannot carry until the switch completes, and all come back when it fits', () => {
    const { feed } = layeredFeed();
    const caps: Array<number | null> = [];
    let measured = 0;
    // The high layer's temporal layers: TL0 400, TL1 200, TL2 400 kbit/s.
    const temporal = {
      layerRates: () => [400_000, 200_000, 400_000],
      setCap: (c: number | null) => caps.push(c),
      measure: () => measured++,
      describe: () => ({ cap: caps.at(-1) ?? null }),
    };
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: null, temporal });
    const t0 = Date.now();
    expect(ls.admit(mediaPacket(0, new Uint8Array(150_000), 0, true), t0)).toBe(true); // high at its keyframe
    ls.admit(mediaPacket(1, new Uint8Array(50_000), 0, false), t0);
    ls.admit(mediaPacket(2, new Uint8Array(15_000), 0, false), t0);
    ls.tick(t0 + 1000);
    expect(measured).toBe(1);
    expect(caps.filter((c) => c !== null)).toEqual([]);
    ls.onEstimate(700_000, t0 + 1000); // 1.2 Mbit/s does not fit: to mid, TL0+TL1 (600) fit under 630
    expect(ls.target.quality).toBe('mid');
    expect(caps.at(-1)).toBe(1);
    ls.onEstimate(500_000, t0 + 1100); // TL0 alone fits under 450
    expect(caps.at(-1)).toBe(0);
    expect(ls.describe()).toMatchObject({ layer: 'high', target: 'mid', temporal: { cap: 0 } });
    ls.onEstimate(2_000_000, t0 + 1200); // the whole layer fits again (the move up waits for its hold)
    expect(caps.at(-1)).toBeNull();
    ls.onEstimate(500_000, t0 + 1300);
    expect(caps.at(-1)).toBe(0);
    expect(ls.admit(mediaPacket(1, new Uint8Array(100), 0, true), t0 + 1400)).toBe(true); // mid's keyframe: the switch completes
    expect(ls.current?.quality).toBe('mid');
    expect(caps.at(-1)).toBeNull();
    ls.tick(t0 + 2000);
    expect(caps.at(-1)).toBeNull(); // no switch pending: all layers
    ls.close();
    feed.close('done');
  });
});

describe('LayerSwitch and AV1 temporal layers (no switching point in the bitstream)', () => {
  it('asks for a keyframe of the layer sent when a called-off switch leaves temporal layers out, and not while a switch waits', () => {
    const { feed, asked } = layeredFeed();
    const caps: Array<number | null> = [];
    let waits = false;
    const temporal = {
      layerRates: () => [400_000, 200_000, 400_000],
      setCap: (c: number | null) => caps.push(c),
      measure: () => undefined,
      describe: () => ({}),
      waitsForKeyframe: () => waits,
    };
    const ls = new LayerSwitch({ feed, layers: feed.info!.tracks, pinned: null, temporal });
    const t0 = Date.now();
    expect(ls.admit(mediaPacket(0, new Uint8Array(150_000), 0, true), t0)).toBe(true); // high at its keyframe
    ls.admit(mediaPacket(1, new Uint8Array(50_000), 0, false), t0);
    ls.admit(mediaPacket(2, new Uint8Array(15_000), 0, false), t0);
    ls.tick(t0 + 1000);
    ls.onEstimate(500_000, t0 + 1000); // to mid: a keyframe of mid (track 1), TL0 only meanwhile
    expect(ls.target.quality).toBe('mid');
    expect(caps.at(-1)).toBe(0);
    // While the switch waits, only the target's keyframe is asked for, whatever the filter says.
    waits = true;
    const before = asked.length;
    ls.tick(t0 + 2100);
    expect(asked.slice(before)).toEqual([1]);
    // Called off: the viewer pins the layer it is on, so no switch waits and the cap goes.
    ls.pin('high', t0 + 2200);
    expect(ls.target.quality).toBe('high');
    const n = asked.length;
    ls.tick(t0 + 3200);
    expect(caps.at(-1)).toBeNull();
    expect(asked.slice(n)).toEqual([0]); // the layer sent: high
    ls.tick(t0 + 3400);
    expect(asked.length).toBe(n + 1); // at most once a second
    waits = false; // the keyframe came: every layer again
    ls.tick(t0 + 4500);
    expect(asked.length).toBe(n + 1);
    ls.close();
    feed.close('done');
  });
});

describe('Downlink with layers (one copy per layer per link)', () => {
  it('sends a layer while a subscription on the link wants it, unites shared subscriptions, and gives an unlayered one every track', async () => {
    const { feed, set } = layeredFeed();
    const media: number[] = [];
    const link = Object.assign(new EventEmitter(), {
      peerId: 'child',
      closed: false,
      send: () => true,
      sendMedia: (m: { track: number }) => (media.push(m.track), true),
    });
    let consumer: StreamConsumer | null = null;
    const hub = {
      acquire: () => Promise.resolve({ feed, info: feed.info!, attach: (c: StreamConsumer) => (consumer = c), release: () => undefined } as unknown as Lease),
    } as unknown as StreamHub;
    const d = new Downlink(link as unknown as Link, {
      hub,
      counters: nodeCounters(new Metrics()),
      logger: silentLogger(),
      maxSubscriptions: 10,
      bypassAt: () => false,
    });
    const frame = (f: Record<string, unknown>) => link.emit('frame', { ...f, msg: Object.keys(f)[0] });
    const sendAll = () => {
      media.length = 0;
      for (const t of [0, 1, 2]) consumer!.onPacket(pkt(t, false));
      return [...media];
    };
    frame({ subscribe: { subId: 1, stream: 'sim', layered: true, layers: ['low'] } });
    await new Promise((r) => setImmediate(r));
    expect(feed.layers.wanted).toEqual(['low']);
    expect(sendAll()).toEqual([2]);
    frame({ subscribe: { subId: 2, stream: 'sim', layered: true, layers: ['high'] } }); // shares the copy
    expect(sendAll()).toEqual([0, 2]);
    frame({ layerDemand: { subId: 1, layers: [] } });
    expect(sendAll()).toEqual([0]);
    expect(set.at(-1)).toEqual(['high']); // idleCloseAfterMs 0: low dropped at once
    frame({ subscribe: { subId: 3, stream: 'sim' } }); // an older node: every track
    expect(sendAll()).toEqual([0, 1, 2]);
    frame({ unsubscribe: { subId: 3 } });
    frame({ unsubscribe: { subId: 2 } });
    expect(sendAll()).toEqual([]);
    expect(feed.layers.wanted).toEqual([]);
    frame({ unsubscribe: { subId: 1 } });
    expect(d.copies.size).toBe(0);
    feed.close('done');
  });
});
