import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { CanopyError, ErrorCode } from '../../src/errors.js';
import { Downlink } from '../../src/tree/Downlink.js';
import type { Link } from '../../src/link/Link.js';
import { silentLogger } from '../../src/log.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import type { Lease, StreamHub } from '../../src/media/StreamHub.js';
import type { StreamConsumer, StreamInfo } from '../../src/media/types.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';

const info: StreamInfo = {
  name: 'cam',
  createdMs: 1,
  tracks: [{ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }],
};

/** A link that records what the Downlink sends, and a hub whose acquisitions the test settles. */
function setup(maxSubscriptions?: number) {
  const sent: Array<Record<string, { subId?: number } & Record<string, unknown>>> = [];
  const media: Array<{ subId: number; track: number }> = [];
  const link = Object.assign(new EventEmitter(), {
    peerId: 'child',
    closed: false,
    send: (f: Record<string, unknown>) => (sent.push(f as (typeof sent)[number]), true),
    sendMedia: (m: { subId: number; track: number }) => (media.push({ subId: m.subId, track: m.track }), true),
  });
  const leases: Array<{ consumer: StreamConsumer | null; released: number; feed: { requestKeyframe: ReturnType<typeof vi.fn> } }> = [];
  const pending: Array<{ stream: string; resolve: () => void; reject: (e: unknown) => void }> = [];
  const hub = {
    acquire: (stream: string) =>
      new Promise<Lease>((resolve, reject) => {
        const l = { consumer: null as StreamConsumer | null, released: 0, feed: { requestKeyframe: vi.fn(), history: () => null } };
        leases.push(l);
        pending.push({
          stream,
          resolve: () => resolve({ feed: l.feed, info, attach: (c: StreamConsumer) => (l.consumer = c), release: () => l.released++ } as unknown as Lease),
          reject,
        });
      }),
  } as unknown as StreamHub;
  const counters = nodeCounters(new Metrics());
  const d = new Downlink(link as unknown as Link, { hub, counters, logger: silentLogger(), maxSubscriptions: maxSubscriptions ?? 1000, bypassAt: () => false });
  const frame = (f: Record<string, unknown>) => link.emit('frame', { ...f, msg: Object.keys(f)[0] });
  const settle = async () => {
    for (const p of pending.splice(0)) p.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { d, link, sent, media, leases, pending, frame, settle, counters };
}

describe('Downlink (fakes)', () => {
  it('sends one copy per stream however many subscriptions share it, and lets go of it with the last one', async () => {
    const { d, sent, media, leases, frame, settle, counters } = setup();
    frame({ subscribe: { subId: 1, stream: 'cam' } });
    frame({ subscribe: { subId: 2, stream: 'cam' } }); // while the first is still being acquired
    await settle();
    frame({ subscribe: { subId: 3, stream: 'cam' } }); // after
    expect(leases.length).toBe(1);
    expect(sent.map((f) => Object.keys(f)[0])).toEqual(['subscribeOk', 'subscribeShared', 'subscribeShared']);
    expect(sent[1]!.subscribeShared).toMatchObject({ subId: 2, mediaSubId: 1 });
    leases[0]!.consumer!.onPacket(mediaPacket(0, new Uint8Array(20), 0, false));
    expect(media).toEqual([{ subId: 1, track: 0 }]);
    expect(counters.packetsOut.get()).toBe(1);
    frame({ keyframeRequest: { subId: 3, track: 0 } });
    expect(leases[0]!.feed.requestKeyframe).toHaveBeenCalledWith(0);
    frame({ unsubscribe: { subId: 1 } });
    frame({ unsubscribe: { subId: 2 } });
    expect(leases[0]!.released).toBe(0);
    frame({ unsubscribe: { subId: 3 } });
    expect(leases[0]!.released).toBe(1);
    expect([d.subs.size, d.copies.size]).toEqual([0, 0]);
  });

  it('answers errors with the code: a refused acquisition, a bad name, too many subscriptions; and a reused sub id is a protocol error', async () => {
    const { d, sent, pending, frame } = setup(2);
    frame({ subscribe: { subId: 1, stream: 'gone' } });
    frame({ subscribe: { subId: 2, stream: 'gone' } });
    pending[0]!.reject(new CanopyError(ErrorCode.NOT_FOUND, 'stream gone not found'));
    await new Promise((r) => setImmediate(r));
    expect(sent.map((f) => f.subscribeError)).toEqual([
      { subId: 1, code: ErrorCode.NOT_FOUND, reason: 'stream gone not found' },
      { subId: 2, code: ErrorCode.NOT_FOUND, reason: 'stream gone not found' },
    ]);
    frame({ subscribe: { subId: 3, stream: '../etc' } });
    expect(sent.at(-1)!.subscribeError).toMatchObject({ subId: 3, code: ErrorCode.BAD_REQUEST });
    frame({ subscribe: { subId: 4, stream: 'a' } });
    frame({ subscribe: { subId: 5, stream: 'b' } });
    frame({ subscribe: { subId: 6, stream: 'c' } });
    expect(sent.at(-1)!.subscribeError).toMatchObject({ subId: 6, code: ErrorCode.UNAVAILABLE });
    expect(() => frame({ subscribe: { subId: 4, stream: 'a' } })).toThrow(/already in use/);
    expect(d.subs.size).toBe(2);
  });

  it('tells every member when the stream ends, and releases everything when the link closes (also an acquisition that lands later)', async () => {
    const { sent, leases, frame, settle, link, pending } = setup();
    frame({ subscribe: { subId: 1, stream: 'cam' } });
    frame({ subscribe: { subId: 2, stream: 'cam' } });
    await settle();
    leases[0]!.consumer!.onEnded(ErrorCode.STREAM_ENDED, 'publisher left');
    expect(sent.filter((f) => f.streamEnded).map((f) => f.streamEnded!.subId)).toEqual([1, 2]);
    expect(leases[0]!.released).toBe(1);
    frame({ subscribe: { subId: 3, stream: 'cam' } });
    await settle();
    frame({ subscribe: { subId: 4, stream: 'other' } });
    link.closed = true;
    link.emit('close');
    expect(leases[1]!.released).toBe(1);
    pending[0]!.resolve(); // 'other' was still being acquired: released as it lands
    await new Promise((r) => setImmediate(r));
    expect(leases[2]!.released).toBe(1);
  });
});
