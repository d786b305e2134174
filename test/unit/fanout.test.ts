import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { FanoutPacer } from '../../src/media/FanoutPacer.js';
import { Feed } from '../../src/media/Feed.js';
import { mediaPacket, type MediaPacket } from '../../src/media/MediaPacket.js';
import { StreamFanout } from '../../src/media/StreamFanout.js';
import type { ConsumerKind, FeedSource, StreamConsumer, StreamInfo } from '../../src/media/types.js';

const info: StreamInfo = {
  name: 'cam',
  createdMs: 1,
  tracks: [{ id: 0, kind: 'audio', codec: 'opus', payloadType: 111, clockRate: 48000, channels: 2, fmtp: '' }],
};
const rtp = (seq: number) => new Uint8Array([0x80, 111, seq >> 8, seq & 0xff, 0, 0, 0, 0, 0, 0, 0, 1]);

function consumer(kind: ConsumerKind, faulty = false): StreamConsumer & { got: MediaPacket[]; ended: number } {
  return {
    kind,
    got: [],
    ended: 0,
    onPacket(p) {
      if (faulty) throw new Error(`${kind} bug`);
      this.got.push(p);
    },
    onEnded() {
      this.ended++;
      if (faulty) throw new Error(`${kind} bug at the end`);
    },
  };
}

const source: FeedSource = { kind: 'publisher', peer: 'pub', requestKeyframe: () => undefined, close: () => undefined };

describe('stream fan-out', () => {
  it('hands one packet object to stores first, then consumers, and contains what one of them throws', () => {
    const counters = nodeCounters(new Metrics({ runtime: false }));
    const f = new StreamFanout({ log: silentLogger(), counters, dropRepeats: true });
    const bad = consumer('viewer', true);
    const good = consumer('viewer');
    const badStore = consumer('recorder', true);
    const store = consumer('buffer');
    f.attach(bad);
    f.attach(good);
    f.attach(badStore, { store: true });
    f.attach(store, { store: true });
    const p = mediaPacket(0, rtp(1), 10, false);
    expect(f.admit(p)).toBe(true);
    f.send(p);
    expect(good.got).toEqual([p]);
    expect(good.got[0]).toBe(p);
    expect(store.got[0]).toBe(p);
    expect(f.consumers.size).toBe(2);
    expect(f.packetsOut).toBe(2);
    expect(counters.consumerErrors.get({ kind: 'viewer' })).toBe(1);
    expect(counters.consumerErrors.get({ kind: 'recorder' })).toBe(1);
    f.end(ErrorCode.STREAM_ENDED, 'done');
    for (const c of [bad, good, badStore, store]) expect(c.ended).toBe(1);
    expect(counters.consumerErrors.get({ kind: 'viewer' })).toBe(2);
  });

  it('keeps the pacer going past a throwing consumer', async () => {
    const counters = nodeCounters(new Metrics({ runtime: false }));
    const pacer = new FanoutPacer({ sliceMs: 5 });
    const f = new StreamFanout({ log: silentLogger(), counters, pacer, dropRepeats: true });
    const bad = consumer('child', true);
    const good = consumer('viewer');
    f.attach(bad);
    f.attach(good);
    for (let i = 0; i < 5; i++) f.send(mediaPacket(0, rtp(i), i, false));
    for (let i = 0; i < 20 && pacer.waiting > 0; i++) await new Promise((r) => setImmediate(r));
    expect(good.got).toHaveLength(5);
    expect(counters.consumerErrors.get({ kind: 'child' })).toBe(5);
    pacer.close();
  });

  it('hands packets to a fan-out sender once, not to its passive viewers, which still count, pause, resume and end', () => {
    const counters = nodeCounters(new Metrics({ runtime: false }));
    const feed = new Feed('cam', { startTimeoutMs: 1000, idleCloseAfterMs: 0, keyframeDebounceMs: 0, recoverForMs: 1000, logger: silentLogger(), counters });
    const resumed: string[] = [];
    const passive = (name: string) => ({
      ...consumer('viewer'),
      passive: true,
      paused: [] as string[],
      onPaused(reason: string) {
        this.paused.push(reason);
      },
      onResumed() {
        resumed.push(name);
      },
    });
    const a = passive('a');
    const b = passive('b');
    const group = consumer('fanout');
    const active = consumer('viewer');
    feed.attach(a);
    feed.attach(group, { sender: true });
    feed.attach(b);
    feed.attach(active);
    feed.publish(source, info);
    feed.deliver(mediaPacket(0, rtp(1), 1, false));
    expect(group.got).toHaveLength(1);
    expect(active.got).toHaveLength(1);
    expect(a.got).toHaveLength(0);
    expect(b.got).toHaveLength(0);
    // The sender is neither a viewer nor a link: egress is the three viewers.
    expect(feed.consumers.size).toBe(3);
    expect(feed.has('fanout')).toBe(false);
    feed.paused('the broadcaster left');
    expect(a.paused).toEqual(['the broadcaster left']);
    feed.deliver(mediaPacket(0, rtp(2), 2, false));
    expect(resumed).toEqual(['a', 'b']);
    expect(group.got).toHaveLength(2);
    feed.detach(group);
    feed.deliver(mediaPacket(0, rtp(3), 3, false));
    expect(group.got).toHaveLength(2);
    expect(active.got).toHaveLength(3);
    feed.close('done');
    for (const c of [a, b, active]) expect(c.ended).toBe(1);
    expect(group.ended).toBe(0);
  });

  it("keeps a feed's other listeners and consumers going when one listener throws", () => {
    const counters = nodeCounters(new Metrics({ runtime: false }));
    const feed = new Feed('cam', { startTimeoutMs: 1000, idleCloseAfterMs: 0, keyframeDebounceMs: 0, recoverForMs: 1000, logger: silentLogger(), counters });
    const seen: string[] = [];
    feed.on('state', () => {
      throw new Error('listener bug');
    });
    feed.on('state', (s) => seen.push(s));
    const good = consumer('viewer');
    feed.attach(good);
    feed.publish(source, info);
    feed.deliver(mediaPacket(0, rtp(1), 1, false));
    expect(seen).toEqual(['ready']);
    expect(good.got).toHaveLength(1);
    expect(counters.consumerErrors.get({ kind: 'listener' })).toBe(1);
    feed.close('done');
    expect(seen).toEqual(['ready', 'closing', 'closed']);
    expect(good.ended).toBe(1);
  });
});
