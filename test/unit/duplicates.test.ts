import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { DUPLICATE_WINDOW, SeqWindow } from '../../src/media/DuplicateFilter.js';
import { Feed, type FeedOptions } from '../../src/media/Feed.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import type { StreamConsumer, FeedSource, StreamInfo } from '../../src/media/types.js';

const info: StreamInfo = {
  name: 'cam',
  createdMs: 1,
  tracks: [{ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }],
};

function rtp(seq: number, ssrc = 0x1234): Uint8Array {
  const b = new Uint8Array(20);
  b[0] = 0x80;
  b[1] = 96;
  b[2] = (seq >> 8) & 0xff;
  b[3] = seq & 0xff;
  new DataView(b.buffer).setUint32(8, ssrc);
  return b;
}

function seqOf(b: Uint8Array): number {
  return (b[2]! << 8) | b[3]!;
}

function feedWith(extra: Partial<FeedOptions>) {
  const counters = nodeCounters(new Metrics());
  const source = (peer: string): FeedSource => ({ kind: 'parent', peer, requestKeyframe() {}, close() {} });
  const feed = new Feed('cam', {
    plan: async () => ({ source: source('p1'), info }),
    startTimeoutMs: 1000,
    idleCloseAfterMs: 60_000,
    keyframeDebounceMs: 0,
    recoverForMs: 1000,
    logger: silentLogger(),
    counters,
    ...extra,
  });
  const got: number[] = [];
  const viewer: StreamConsumer = { kind: 'viewer', onPacket: (p) => got.push(seqOf(p.rtp)), onEnded() {} };
  return { feed, got, viewer, counters, source };
}

describe('duplicate filter', () => {
  it('a parent move without loss repair hands each packet to viewers once', async () => {
    // No `history` option: what --no-loss-repair builds.
    const { feed, got, viewer, counters, source } = feedWith({});
    feed.retain();
    await feed.ready();
    feed.attach(viewer);
    for (let s = 100; s < 110; s++) feed.deliver(mediaPacket(0, rtp(s), 0, false));
    // Make before break: the new parent starts a little behind the old one, and both deliver for a while.
    expect(feed.switchSource({ source: source('p2'), info })).toBe(true);
    for (let s = 105; s < 115; s++) feed.deliver(mediaPacket(0, rtp(s), 0, false)); // new parent
    for (let s = 110; s < 112; s++) feed.deliver(mediaPacket(0, rtp(s), 0, false)); // old parent's last packets
    expect(got).toEqual(Array.from({ length: 15 }, (_, i) => 100 + i));
    expect(counters.packetsDropped.get({ reason: 'duplicate' })).toBe(7);
    feed.close('test');
  });

  it('with loss repair too', async () => {
    const { feed, got, viewer } = feedWith({ history: { windowMs: 2000, maxBytes: 1 << 20 } });
    feed.retain();
    await feed.ready();
    feed.attach(viewer);
    for (const s of [1, 2, 3, 2, 3, 4]) feed.deliver(mediaPacket(0, rtp(s), 0, false));
    expect(got).toEqual([1, 2, 3, 4]);
    feed.close('test');
  });

  it('a time-shift feed passes repeats (a replay rewinds on purpose)', async () => {
    const { feed, got, viewer } = feedWith({ startMs: 1 });
    feed.retain();
    await feed.ready();
    feed.attach(viewer);
    for (const s of [1, 2, 1, 2]) feed.deliver(mediaPacket(0, rtp(s), 0, false));
    expect(got).toEqual([1, 2, 1, 2]);
    feed.close('test', ErrorCode.STREAM_ENDED);
  });
});

describe('SeqWindow (RFC 3550 §A.1 arithmetic)', () => {
  it('keeps telling duplicates across the 16-bit wrap', () => {
    const w = new SeqWindow();
    for (let s = 65530; s < 65536 + 6; s++) expect(w.check(rtp(s & 0xffff))).toBe('new');
    expect(w.check(rtp(65533))).toBe('duplicate');
    expect(w.check(rtp(2))).toBe('duplicate');
    expect(w.check(rtp(6))).toBe('new');
  });

  it('takes a reordered packet once', () => {
    const w = new SeqWindow();
    expect(w.check(rtp(10))).toBe('new');
    expect(w.check(rtp(12))).toBe('new');
    expect(w.check(rtp(11))).toBe('new');
    expect(w.check(rtp(11))).toBe('duplicate');
  });

  it('forgets what slid out of the window, and a jump longer than the window clears it', () => {
    const w = new SeqWindow();
    expect(w.check(rtp(0))).toBe('new');
    expect(w.check(rtp(DUPLICATE_WINDOW + 5))).toBe('new');
    // The jump passed over every slot: the mark left by seq 0 must not make a new packet look seen.
    expect(w.check(rtp(DUPLICATE_WINDOW + 4))).toBe('new');
    expect(w.check(rtp(0))).toBe('late');
  });

  it('a new SSRC starts over, and so does a source that restarts its numbering (two in sequence)', () => {
    const w = new SeqWindow();
    for (let s = 30000; s < 30010; s++) w.check(rtp(s));
    expect(w.check(rtp(30005, 0x9999))).toBe('new');
    expect(w.check(rtp(30005, 0x9999))).toBe('duplicate');
    // Same SSRC, numbering restarted far behind: the first is late, its successor confirms the restart.
    expect(w.check(rtp(1, 0x9999))).toBe('late');
    expect(w.check(rtp(2, 0x9999))).toBe('new');
    expect(w.check(rtp(3, 0x9999))).toBe('new');
    expect(w.check(rtp(2, 0x9999))).toBe('duplicate');
  });
});
