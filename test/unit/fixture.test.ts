import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FIXTURE,
  FIXTURE_2M,
  FixturePlayer,
  decodeFixture,
  encodeFixture,
  readFixture,
  summarizeFixture,
  writeFixture,
  type Fixture,
  type FixturePacket,
} from '../support/fixture.js';
import { isKeyframe } from '../support/keyframe.js';
import { waitFor } from '../support/wait.js';
import { buildPli, isKeyframeRequest, isRtcp, parseRtcp, parseRtp, rtpPayload, seqDiff } from '../support/rtp.js';

function rtp(o: { pt: number; seq: number; ts: number; ssrc?: number; marker?: boolean; payload?: number[] | Buffer }): Buffer {
  const payload = Buffer.isBuffer(o.payload) ? o.payload : Buffer.from(o.payload ?? [0xaa, 0xbb]);
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (o.marker ? 0x80 : 0) | o.pt;
  h.writeUInt16BE(o.seq & 0xffff, 2);
  h.writeUInt32BE(o.ts >>> 0, 4);
  h.writeUInt32BE((o.ssrc ?? 0x01020304) >>> 0, 8);
  return Buffer.concat([h, payload]);
}

/** Two tracks: video (3 frames, the middle one in 2 packets) and audio (3 packets), 30 ms loop. */
function tinyFixture(): Fixture {
  const packets: FixturePacket[] = [
    { time: 0, trackId: 0, data: rtp({ pt: 96, seq: 65534, ts: 4294966396, marker: true, payload: [1] }) },
    { time: 0, trackId: 1, data: rtp({ pt: 111, seq: 10, ts: 100, payload: [2] }) },
    { time: 10000, trackId: 0, data: rtp({ pt: 96, seq: 65535, ts: 0, payload: [3] }) },
    { time: 10000, trackId: 0, data: rtp({ pt: 96, seq: 0, ts: 0, marker: true, payload: [4] }) },
    { time: 10000, trackId: 1, data: rtp({ pt: 111, seq: 11, ts: 580, payload: [5] }) },
    { time: 20000, trackId: 0, data: rtp({ pt: 96, seq: 1, ts: 900, marker: true, payload: [6] }) },
    { time: 20000, trackId: 1, data: rtp({ pt: 111, seq: 12, ts: 1060, payload: [7] }) },
  ];
  return {
    durationUs: 30000,
    description: 'tiny synthetic fixture',
    tracks: [
      { id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, fmtp: '' },
      { id: 1, kind: 'audio', codec: 'opus', payloadType: 111, clockRate: 48000, channels: 2, fmtp: 'minptime=10' },
    ],
    packets,
  };
}

interface Played {
  trackId: number;
  rtp: Buffer;
  at: number;
  batch: number;
  index: number;
}

/** Play until `count` packets were delivered, then close. */
function playCollect(opts: Omit<ConstructorParameters<typeof FixturePlayer>[0], 'onPacket'>, count: number) {
  const played: Played[] = [];
  let batch = 0;
  let batchScheduled = false;
  let resolve!: (p: Played[]) => void;
  const done = new Promise<Played[]>((r) => (resolve = r));
  const player = new FixturePlayer({
    ...opts,
    onPacket: (trackId, data) => {
      if (!batchScheduled) {
        batchScheduled = true;
        setImmediate(() => {
          batch++;
          batchScheduled = false;
        });
      }
      played.push({ trackId, rtp: data, at: performance.now(), batch, index: played.length });
      if (played.length === count) {
        player.close();
        resolve(played);
      }
    },
  });
  const startedAt = performance.now();
  player.start();
  return { player, done, startedAt };
}

const tmp = mkdtempSync(join(tmpdir(), 'canopy-fixture-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readFixture', () => {
  it('reads the committed 600 kbps fixture with a VP8 video track and an opus audio track', () => {
    const f = readFixture(DEFAULT_FIXTURE);
    expect(f.durationUs).toBe(6_000_000);
    expect(f.tracks).toEqual([
      expect.objectContaining({ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000 }),
      expect.objectContaining({ id: 1, kind: 'audio', codec: 'opus', payloadType: 111, clockRate: 48000, channels: 2 }),
    ]);
    for (let i = 1; i < f.packets.length; i++) expect(f.packets[i]!.time).toBeGreaterThanOrEqual(f.packets[i - 1]!.time);
    const stats = summarizeFixture(f);
    expect(stats.map((s) => s.sequenceGaps)).toEqual([0, 0]);
    expect(stats[0]!.frames).toBe(180); // 6 s at 30 fps
    expect(stats[1]!.frames).toBe(300); // 6 s of 20 ms opus frames
    for (const p of f.packets) expect(parseRtp(p.data).payloadType).toBe(f.tracks[p.trackId]!.payloadType);
  });

  it('reads the committed 2 Mbps fixture, which carries more video than the 600 kbps one', () => {
    const hi = summarizeFixture(readFixture(FIXTURE_2M));
    const lo = summarizeFixture(readFixture(DEFAULT_FIXTURE));
    expect(hi[0]!.frames).toBe(180);
    expect(hi[0]!.bytes).toBeGreaterThan(lo[0]!.bytes);
  });

  it('round-trips a fixture byte for byte through encode and decode', () => {
    const buf = readFileSync(DEFAULT_FIXTURE);
    const decoded = decodeFixture(buf);
    expect(encodeFixture(decoded).equals(buf)).toBe(true);
  });

  it('round-trips a synthetic fixture through writeFixture and readFixture', () => {
    const f = tinyFixture();
    const path = join(tmp, 'tiny.rtp');
    writeFixture(path, f);
    const back = readFixture(path);
    expect(back.tracks).toEqual(f.tracks);
    expect(back.durationUs).toBe(f.durationUs);
    expect(back['description']).toBe('tiny synthetic fixture');
    expect(back.packets.map((p) => [p.time, p.trackId, p.data.toString('hex')])).toEqual(f.packets.map((p) => [p.time, p.trackId, p.data.toString('hex')]));
  });

  it('rejects a file with the wrong magic', () => {
    const buf = encodeFixture(tinyFixture());
    buf.write('XXXX', 0, 'latin1');
    expect(() => decodeFixture(buf)).toThrow(/magic/);
  });

  it('rejects an unsupported version', () => {
    const buf = encodeFixture(tinyFixture());
    buf.writeUInt16BE(2, 8);
    expect(() => decodeFixture(buf)).toThrow(/version/);
  });

  it('rejects a header that is not valid JSON', () => {
    const buf = encodeFixture(tinyFixture());
    buf[14] = 0x7b + 1; // first JSON byte '{' -> '|'
    expect(() => decodeFixture(buf)).toThrow(/JSON/);
  });

  it('rejects a file truncated anywhere', () => {
    const buf = encodeFixture(tinyFixture());
    for (const cut of [0, 5, 12, 20, buf.length - 40, buf.length - 10, buf.length - 1]) {
      expect(() => decodeFixture(buf.subarray(0, cut)), `cut at ${cut}`).toThrow(/invalid RTP fixture/);
    }
  });

  it('rejects trailing bytes after the last record', () => {
    const buf = Buffer.concat([encodeFixture(tinyFixture()), Buffer.from([0])]);
    expect(() => decodeFixture(buf)).toThrow(/trailing/);
  });

  it('rejects a record for a track missing from the track table', () => {
    const f = tinyFixture();
    const buf = encodeFixture(f);
    const jsonLen = buf.readUInt32BE(10);
    const firstRecord = 14 + jsonLen + 4;
    buf.writeUInt8(9, firstRecord + 4);
    expect(() => decodeFixture(buf)).toThrow(/unknown track/);
  });

  it('rejects records whose times go backwards', () => {
    const buf = encodeFixture(tinyFixture());
    const jsonLen = buf.readUInt32BE(10);
    const firstRecord = 14 + jsonLen + 4;
    buf.writeUInt32BE(25000, firstRecord);
    expect(() => decodeFixture(buf)).toThrow(/backwards/);
  });

  it('rejects a record that is not an RTP packet', () => {
    const buf = encodeFixture(tinyFixture());
    const jsonLen = buf.readUInt32BE(10);
    const firstRecord = 14 + jsonLen + 4;
    buf[firstRecord + 7] = 0x40; // RTP version 1
    expect(() => decodeFixture(buf)).toThrow(/version/);
  });

  it('refuses to encode packets out of time order', () => {
    const f = tinyFixture();
    f.packets.reverse();
    expect(() => encodeFixture(f)).toThrow(/order/);
  });
});

describe('isKeyframe on the recorded fixtures', () => {
  for (const [name, path] of [
    ['600 kbps', DEFAULT_FIXTURE],
    ['2 Mbps', FIXTURE_2M],
  ] as const) {
    it(`finds one VP8 keyframe per second, 30 frames apart, in the ${name} fixture`, () => {
      const f = readFixture(path);
      const video = f.packets.filter((p) => p.trackId === 0);
      const keys = video.filter((p) => isKeyframe('VP8', p.data));
      expect(keys).toHaveLength(f.durationUs / 1_000_000);
      const ts = keys.map((p) => parseRtp(p.data).timestamp);
      for (let i = 1; i < ts.length; i++) expect((ts[i]! - ts[i - 1]!) >>> 0).toBe(90000);
      // The recording starts with a keyframe, so every loop does.
      expect(isKeyframe('VP8', video[0]!.data)).toBe(true);
      expect(f.packets.filter((p) => p.trackId === 1).some((p) => isKeyframe('opus', p.data))).toBe(false);
    });
  }
});

describe('isKeyframe on synthetic packets', () => {
  const vp8 = (bytes: number[]) => rtp({ pt: 96, seq: 1, ts: 1, payload: bytes });
  const h264 = (bytes: number[]) => rtp({ pt: 102, seq: 1, ts: 1, payload: bytes });

  it('recognises a VP8 keyframe start with and without the extended descriptor', () => {
    expect(isKeyframe('VP8', vp8([0x10, 0x00, 0x00, 0x00]))).toBe(true); // S=1, PID=0, P=0
    expect(isKeyframe('VP8', vp8([0x90, 0x80, 0x85, 0x12, 0x00]))).toBe(true); // X, I, 15-bit picture id
    expect(isKeyframe('VP8', vp8([0x90, 0x80, 0x05, 0x00]))).toBe(true); // 7-bit picture id
    expect(isKeyframe('VP8', vp8([0x90, 0xf0, 0x85, 0x12, 0x07, 0x20, 0x00]))).toBe(true); // I, L, T, K
  });

  it('rejects VP8 interframes, continuation packets and non-zero partitions', () => {
    expect(isKeyframe('VP8', vp8([0x10, 0x01]))).toBe(false); // P=1
    expect(isKeyframe('VP8', vp8([0x00, 0x00]))).toBe(false); // S=0
    expect(isKeyframe('VP8', vp8([0x11, 0x00]))).toBe(false); // PID=1
    expect(isKeyframe('VP8', vp8([0x90, 0x80]))).toBe(false); // truncated
  });

  it('recognises H264 IDR and SPS as single NAL units, in STAP-A, and as FU-A start', () => {
    expect(isKeyframe('H264', h264([0x65, 0x88]))).toBe(true); // IDR
    expect(isKeyframe('H264', h264([0x67, 0x42]))).toBe(true); // SPS
    expect(isKeyframe('h264', h264([0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce]))).toBe(true); // STAP-A SPS+PPS
    expect(isKeyframe('H264', h264([0x7c, 0x85, 0x88]))).toBe(true); // FU-A start of IDR
  });

  it('rejects H264 non-IDR slices, FU-A continuations and STAP-A without IDR or SPS', () => {
    expect(isKeyframe('H264', h264([0x41, 0x9a]))).toBe(false); // non-IDR slice
    expect(isKeyframe('H264', h264([0x68, 0xce]))).toBe(false); // PPS alone
    expect(isKeyframe('H264', h264([0x7c, 0x05, 0x88]))).toBe(false); // FU-A middle of IDR
    expect(isKeyframe('H264', h264([0x7c, 0x81, 0x9a]))).toBe(false); // FU-A start of non-IDR
    expect(isKeyframe('H264', h264([0x78, 0x00, 0x02, 0x41, 0x9a]))).toBe(false); // STAP-A non-IDR
  });

  it('says false for audio and malformed packets', () => {
    expect(isKeyframe('opus', rtp({ pt: 111, seq: 1, ts: 1, payload: [0x10, 0x00] }))).toBe(false);
    expect(isKeyframe('VP8', Buffer.from([0x80, 0x60]))).toBe(false);
  });
});

describe('rtp helpers', () => {
  it('finds the payload after CSRCs and a header extension and ignores padding', () => {
    const header = Buffer.from([
      0xb1,
      0x60,
      0x00,
      0x01,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      2, // V=2 P=1 X=1 CC=1
      0,
      0,
      0,
      3, // CSRC
      0xbe,
      0xde,
      0x00,
      0x01,
      0x10,
      0xff,
      0x00,
      0x00, // one-byte extension, 1 word
    ]);
    const pkt = Buffer.concat([header, Buffer.from([9, 8, 7]), Buffer.from([0, 0, 3])]);
    const h = parseRtp(pkt);
    expect(h.headerLength).toBe(24);
    expect(h.payloadLength).toBe(3);
    expect([...rtpPayload(pkt)]).toEqual([9, 8, 7]);
    expect(isRtcp(pkt)).toBe(false);
  });

  it('builds a PLI that parses back as a keyframe request', () => {
    const pli = buildPli(0x11111111, 0x22222222);
    expect(isRtcp(pli)).toBe(true);
    expect(isKeyframeRequest(pli)).toBe(true);
    expect(parseRtcp(pli)).toEqual([{ packetType: 206, fmt: 1, senderSsrc: 0x11111111, mediaSsrc: 0x22222222 }]);
  });
});

describe('FixturePlayer', () => {
  it('loops with continuous sequence numbers and timestamps and the given SSRCs', async () => {
    const f = tinyFixture();
    const perLoop = f.packets.length;
    const { done } = playCollect(
      {
        fixture: f,
        ssrc: { 0: 0xaaaa0001, 1: 0xaaaa0002 },
        initialSequence: { 0: 65533, 1: 0 },
        initialTimestamp: { 0: 4294967000, 1: 5 },
      },
      perLoop * 4,
    );
    const played = await done;
    for (const [trackId, ssrc, tsStep] of [
      [0, 0xaaaa0001, 900],
      [1, 0xaaaa0002, 480],
    ] as const) {
      const pk = played.filter((p) => p.trackId === trackId).map((p) => parseRtp(p.rtp));
      expect(new Set(pk.map((h) => h.ssrc))).toEqual(new Set([ssrc]));
      for (let i = 1; i < pk.length; i++) {
        expect(seqDiff(pk[i]!.sequenceNumber, pk[i - 1]!.sequenceNumber)).toBe(1);
        const d = (pk[i]!.timestamp - pk[i - 1]!.timestamp) >>> 0;
        expect([0, tsStep]).toContain(d); // same frame, or the next one (also across a loop)
      }
      expect(pk[0]!.sequenceNumber).toBe(trackId === 0 ? 65533 : 0);
      expect(pk[0]!.timestamp).toBe(trackId === 0 ? 4294967000 : 5);
    }
  });

  it('replays payloads unchanged, in fixture order, loop after loop', async () => {
    const f = tinyFixture();
    const { done } = playCollect({ fixture: f }, f.packets.length * 3);
    const played = await done;
    const expected = [0, 1, 2].flatMap(() => f.packets.map((p) => rtpPayload(p.data).toString('hex')));
    expect(played.map((p) => rtpPayload(p.rtp).toString('hex'))).toEqual(expected);
    expect(played.map((p) => parseRtp(p.rtp).marker)).toEqual([0, 1, 2].flatMap(() => f.packets.map((p) => parseRtp(p.data).marker)));
  });

  it('never sends a packet before its due time and delivers packets due together in one batch', async () => {
    const f = tinyFixture();
    const { done, startedAt } = playCollect({ fixture: f }, f.packets.length * 3);
    const played = await done;
    for (let i = 1; i < played.length; i++) expect(played[i]!.at).toBeGreaterThanOrEqual(played[i - 1]!.at);
    played.forEach((p, i) => {
      const loop = Math.floor(i / f.packets.length);
      const due = startedAt + (loop * f.durationUs + f.packets[i % f.packets.length]!.time) / 1000;
      expect(p.at).toBeGreaterThanOrEqual(due);
    });
    // Packets with the same time in the same loop are handed over in one batch.
    for (let i = 1; i < played.length; i++) {
      const sameTime =
        Math.floor(i / f.packets.length) === Math.floor((i - 1) / f.packets.length) &&
        f.packets[i % f.packets.length]!.time === f.packets[(i - 1) % f.packets.length]!.time;
      if (sameTime) expect(played[i]!.batch).toBe(played[i - 1]!.batch);
      else expect(played[i]!.batch).toBeGreaterThanOrEqual(played[i - 1]!.batch);
    }
  });

  it('keeps real fixture media continuous across the loop boundary', async () => {
    const full = readFixture(DEFAULT_FIXTURE);
    // The first 100 ms: 3 video frames (one loop = 9000 ticks) and 5 opus frames (4800 ticks).
    const f: Fixture = { ...full, durationUs: 100_000, packets: full.packets.filter((p) => p.time < 100_000) };
    const perLoop = f.packets.length;
    const { done } = playCollect({ fixture: f }, perLoop * 3);
    const played = await done;
    const frameStep = { 0: 3000, 1: 960 } as Record<number, number>;
    for (const trackId of [0, 1]) {
      const pk = played.filter((p) => p.trackId === trackId).map((p) => parseRtp(p.rtp));
      for (let i = 1; i < pk.length; i++) {
        expect(seqDiff(pk[i]!.sequenceNumber, pk[i - 1]!.sequenceNumber)).toBe(1);
        expect([0, frameStep[trackId]]).toContain((pk[i]!.timestamp - pk[i - 1]!.timestamp) >>> 0);
      }
    }
    const keys = played.filter((p) => p.trackId === 0 && isKeyframe('VP8', p.rtp));
    expect(keys).toHaveLength(3); // every loop starts on the recording's first keyframe
  });

  it('plays only the selected tracks', async () => {
    const f = tinyFixture();
    const { done } = playCollect({ fixture: f, tracks: [1] }, 6);
    const played = await done;
    expect(new Set(played.map((p) => p.trackId))).toEqual(new Set([1]));
  });

  it('stops after one pass and calls onEnd once when looping is off', async () => {
    const f = tinyFixture();
    let ended = 0;
    const got: number[] = [];
    let player!: FixturePlayer;
    await new Promise<void>((resolve) => {
      player = new FixturePlayer({
        fixture: f,
        loop: false,
        onPacket: (id) => got.push(id),
        onEnd: () => {
          ended++;
          resolve();
        },
      });
      player.start();
      player.start(); // idempotent
    });
    expect(got).toEqual(f.packets.map((p) => p.trackId));
    expect(ended).toBe(1);
    // Ended: closed, with no timer left that could call onEnd again.
    expect(player.isClosed).toBe(true);
    expect((player as unknown as { timer: unknown }).timer ?? null).toBeNull();
  });

  it('sends nothing more after close, and close can be called twice', async () => {
    const f = tinyFixture();
    let count = 0;
    const player = new FixturePlayer({ fixture: f, onPacket: () => count++ });
    player.start();
    await waitFor(() => count > 0, 2000, 1);
    player.close();
    player.close();
    const atClose = count;
    // Closed: no timer left that could send more (the player schedules each packet with one).
    expect(player.isClosed).toBe(true);
    expect((player as unknown as { timer: unknown }).timer ?? null).toBeNull();
    await new Promise((r) => setImmediate(r));
    expect(count).toBe(atClose);
  });
});
