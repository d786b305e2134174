import { describe, expect, it } from 'vitest';
import { isKeyframe } from '../../src/media/keyframe.js';
import { TimeBuffer, type BufferedPacket, type TimeBufferCursor } from '../../src/media/TimeBuffer.js';
import { isKeyframe as supportIsKeyframe } from '../support/keyframe.js';
import { DEFAULT_FIXTURE, readFixture } from '../support/fixture.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import { MAX_SLAB_PACKET, SLAB_BYTES, SlabPool } from '../../src/media/SlabPool.js';

function rtp(opts: { seq: number; ts: number; payload: number[]; csrc?: number; ext?: boolean; pad?: number; size?: number }): Buffer {
  const cc = opts.csrc ?? 0;
  const ext = opts.ext ? Buffer.from([0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00]) : Buffer.alloc(0);
  const h = Buffer.alloc(12 + cc * 4);
  h[0] = 0x80 | (opts.pad ? 0x20 : 0) | (opts.ext ? 0x10 : 0) | cc;
  h[1] = 96;
  h.writeUInt16BE(opts.seq & 0xffff, 2);
  h.writeUInt32BE(opts.ts >>> 0, 4);
  h.writeUInt32BE(0x1234, 8);
  const body = Buffer.alloc(Math.max(opts.payload.length, opts.size ?? 0), opts.seq & 0xff);
  Buffer.from(opts.payload).copy(body);
  const pad = opts.pad ? Buffer.concat([Buffer.alloc(opts.pad - 1), Buffer.from([opts.pad])]) : Buffer.alloc(0);
  return Buffer.concat([h, ext, body, pad]);
}

const seqOf = (p: BufferedPacket) => (p.rtp[2]! << 8) | p.rtp[3]!;

const VP8_KEY = [0x10, 0x00, 0x9d, 0x01, 0x2a];
const VP8_DELTA = [0x10, 0x01];
const VP8_CONT = [0x00, 0x01];

interface Pkt {
  track: number;
  rtp: Buffer;
  captureMs: number;
  keyframe: boolean;
}

/** 25 fps video (two packets a frame, keyframe every gopMs) on track 0 and 20 ms audio on track 1. */
function synth(opts: { startMs?: number; durationMs: number; gopMs?: number; video?: boolean; audio?: boolean; size?: number }): Pkt[] {
  const start = opts.startMs ?? 1_700_000_000_000;
  const gop = opts.gopMs ?? 1000;
  const size = opts.size ?? 100;
  const out: Pkt[] = [];
  let vseq = 0;
  if (opts.video !== false) {
    for (let t = 0; t < opts.durationMs; t += 40) {
      const key = t % gop === 0;
      const ts = t * 90;
      out.push({ track: 0, rtp: rtp({ seq: vseq++, ts, payload: key ? VP8_KEY : VP8_DELTA, size }), captureMs: start + t, keyframe: key });
      out.push({ track: 0, rtp: rtp({ seq: vseq++, ts, payload: VP8_CONT, size }), captureMs: start + t, keyframe: false });
    }
  }
  if (opts.audio !== false) {
    let aseq = 0;
    for (let t = 0; t < opts.durationMs; t += 20)
      out.push({ track: 1, rtp: rtp({ seq: aseq++, ts: t * 48, payload: [0xfc], size: 60 }), captureMs: start + t + 1, keyframe: false });
  }
  return out.sort((a, b) => a.captureMs - b.captureMs);
}

function fill(buf: TimeBuffer, pkts: Pkt[]): void {
  for (const p of pkts) buf.push(p);
}

function drain(c: TimeBufferCursor): BufferedPacket[] {
  const out: BufferedPacket[] = [];
  for (let p = c.next(); p; p = c.next()) out.push(p);
  return out;
}

describe('isKeyframe', () => {
  it('recognises the first packet of a VP8 key frame and nothing else of VP8', () => {
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: VP8_KEY }))).toBe(true);
    expect(isKeyframe('vp8', rtp({ seq: 1, ts: 0, payload: VP8_KEY }))).toBe(true);
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: VP8_DELTA }))).toBe(false);
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: [0x00, 0x00] }))).toBe(false);
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: [0x11, 0x00] }))).toBe(false);
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: [0x10] }))).toBe(false);
  });

  it('skips the VP8 extended descriptor fields before reading the P bit', () => {
    // X; I with a 15-bit picture id; L; T: descriptor is 6 bytes, then the payload header.
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: [0x90, 0xe0, 0x81, 0x23, 0x05, 0x40, 0x00] }))).toBe(true);
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: [0x90, 0xe0, 0x81, 0x23, 0x05, 0x40, 0x01] }))).toBe(false);
    // X; I with a 7-bit picture id; K only.
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: [0x90, 0x90, 0x12, 0x20, 0x00] }))).toBe(true);
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: [0x90, 0xe0, 0x81] }))).toBe(false);
  });

  it('finds the payload after CSRCs, a header extension and before padding', () => {
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: VP8_KEY, csrc: 2, ext: true }))).toBe(true);
    expect(isKeyframe('VP8', rtp({ seq: 1, ts: 0, payload: VP8_DELTA, csrc: 2, ext: true }))).toBe(false);
    expect(isKeyframe('H264', rtp({ seq: 1, ts: 0, payload: [0x78, 0x00, 0x01, 0x67], pad: 4 }))).toBe(true);
    const badPad = rtp({ seq: 1, ts: 0, payload: VP8_KEY, pad: 2 });
    badPad[badPad.length - 1] = 200;
    expect(isKeyframe('VP8', badPad)).toBe(false);
  });

  it('recognises H.264 IDR and SPS alone, in a STAP-A and at the start of an FU-A', () => {
    const h264 = (payload: number[]) => isKeyframe('H264', rtp({ seq: 1, ts: 0, payload }));
    expect(h264([0x65, 0x88])).toBe(true);
    expect(h264([0x67, 0x42])).toBe(true);
    expect(h264([0x41, 0x9a])).toBe(false);
    expect(h264([0x68, 0xce])).toBe(false);
    expect(h264([0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce])).toBe(true);
    expect(h264([0x78, 0x00, 0x02, 0x06, 0x05, 0x00, 0x02, 0x65, 0x88])).toBe(true);
    expect(h264([0x78, 0x00, 0x02, 0x06, 0x05, 0x00, 0x02, 0x41, 0x9a])).toBe(false);
    expect(h264([0x78, 0x00, 0x09, 0x67])).toBe(false);
    expect(h264([0x7c, 0x85, 0x88])).toBe(true);
    expect(h264([0x7c, 0x05, 0x88])).toBe(false);
    expect(h264([0x7c, 0x81, 0x9a])).toBe(false);
    expect(h264([0x7c])).toBe(false);
  });

  it('is false for audio, unknown codecs and malformed packets', () => {
    expect(isKeyframe('opus', rtp({ seq: 1, ts: 0, payload: VP8_KEY }))).toBe(false);
    expect(isKeyframe('AV1', rtp({ seq: 1, ts: 0, payload: VP8_KEY }))).toBe(false);
    expect(isKeyframe('VP8', Buffer.from([0x80, 96, 0, 1]))).toBe(false);
    const v1 = rtp({ seq: 1, ts: 0, payload: VP8_KEY });
    v1[0] = 0x40;
    expect(isKeyframe('VP8', v1)).toBe(false);
  });

  it('finds the 6 key frames of the recorded VP8 fixture and agrees with the test support detector', () => {
    const fx = readFixture(DEFAULT_FIXTURE);
    const codec = new Map(fx.tracks.map((t) => [t.id, t.codec]));
    let keys = 0;
    for (const p of fx.packets) {
      const k = isKeyframe(codec.get(p.trackId)!, p.data);
      expect(k).toBe(supportIsKeyframe(codec.get(p.trackId)!, p.data));
      if (k) {
        expect(codec.get(p.trackId)).toBe('VP8');
        keys++;
      }
    }
    expect(keys).toBe(6);
  });
});

describe('TimeBuffer', () => {
  it('holds the last window and starts at the keyframe at or before newest minus the window', () => {
    const buf = new TimeBuffer({ windowMs: 3000, maxBytes: 1e9, videoTrack: 0 });
    const pkts = synth({ durationMs: 10_000 });
    fill(buf, pkts);
    const r = buf.range()!;
    const newest = pkts[pkts.length - 1]!.captureMs;
    expect(r.endMs).toBe(newest);
    expect(r.startMs).toBeLessThanOrEqual(newest - 3000);
    expect(r.startMs).toBeGreaterThan(newest - 3000 - 1000);
    expect(buf.covers(newest - 3000)).toBe(true);
    expect(buf.covers(r.startMs - 1)).toBe(false);
    expect(buf.effectiveWindowMs).toBe(r.endMs - r.startMs);
    const first = buf.cursor(r.startMs)!.next()!;
    expect(first.keyframe).toBe(true);
    expect(first.captureMs).toBe(r.startMs);
    const held = pkts.filter((p) => p.captureMs >= r.startMs);
    expect(buf.packets).toBe(held.length);
    expect(buf.bytes).toBe(held.reduce((n, p) => n + p.rtp.length, 0));
  });

  it('shrinks the effective window when the byte cap binds, evicting whole GOPs', () => {
    const pkts = synth({ durationMs: 10_000 });
    const gopBytes = pkts.filter((p) => p.captureMs - pkts[0]!.captureMs < 1000).reduce((n, p) => n + p.rtp.length, 0);
    const buf = new TimeBuffer({ windowMs: 60_000, maxBytes: Math.floor(gopBytes * 2.5), videoTrack: 0 });
    fill(buf, pkts);
    expect(buf.bytes).toBeLessThanOrEqual(gopBytes * 2.5);
    expect(buf.effectiveWindowMs).toBeLessThan(3000);
    expect(buf.effectiveWindowMs).toBeGreaterThan(1000);
    const c = buf.cursor(buf.range()!.startMs)!;
    const all = drain(c);
    expect(all[0]!.keyframe).toBe(true);
    expect(all.length).toBe(buf.packets);
    expect(c.skipped).toBe(false);
  });

  it('positions a cursor at the keyframe at or before T, and at T itself on an exact hit', () => {
    const pkts = synth({ durationMs: 5000 });
    const t0 = pkts[0]!.captureMs;
    const buf = new TimeBuffer({ windowMs: 60_000, maxBytes: 1e9, videoTrack: 0 });
    fill(buf, pkts);
    expect(buf.cursor(t0 + 2500)!.next()!.captureMs).toBe(t0 + 2000);
    expect(buf.cursor(t0 + 3000)!.next()!.captureMs).toBe(t0 + 3000);
    expect(buf.cursor(t0 + 2999)!.next()!.captureMs).toBe(t0 + 2000);
    expect(buf.cursor(t0)!.next()).toEqual(buf.packetAt(buf.firstSeq));
    expect(buf.cursor(t0 - 1)).toBeNull();
    const rest = drain(buf.cursor(t0 + 4000)!);
    expect(rest).toEqual(pkts.filter((p) => p.captureMs >= t0 + 4000));
  });

  it('gives null when the cursor has caught up, then the packets pushed after', () => {
    const pkts = synth({ durationMs: 4000 });
    const buf = new TimeBuffer({ windowMs: 60_000, maxBytes: 1e9, videoTrack: 0 });
    fill(buf, pkts.slice(0, 100));
    const c = buf.cursor(pkts[0]!.captureMs)!;
    expect(drain(c)).toHaveLength(100);
    expect(c.next()).toBeNull();
    fill(buf, pkts.slice(100));
    const rest = drain(c);
    expect(rest.map((p) => p.rtp)).toEqual(pkts.slice(100).map((p) => p.rtp));
    // The fixture's packets are slices of Node's shared pool: stored as copies (see the next test).
    expect(rest[0]!.rtp).not.toBe(pkts[100]!.rtp);
  });

  it("keeps copies in slabs: neither the feed's array nor a larger buffer it is a view into, and readers get their own copy", () => {
    const buf = new TimeBuffer({ windowMs: 60_000, maxBytes: 1e9, videoTrack: null });
    const owned = new Uint8Array(rtp({ seq: 1, ts: 0, payload: [1, 2, 3] }));
    const frame = Buffer.alloc(64 * 1024);
    const packet = rtp({ seq: 2, ts: 960, payload: [4, 5, 6] });
    packet.copy(frame, 100);
    const view = frame.subarray(100, 100 + packet.length);
    buf.push(mediaPacket(1, owned, 1000, false));
    buf.push(mediaPacket(1, view, 1020, false));
    // The sender may reuse its arrays: what was stored does not change with them.
    owned.fill(0);
    frame.fill(0);
    expect(buf.packetAt(0)!.rtp).toEqual(rtp({ seq: 1, ts: 0, payload: [1, 2, 3] }));
    const stored = buf.packetAt(1)!.rtp;
    expect(stored).toEqual(packet);
    // Its own memory: holding it holds neither the 64 KiB frame nor a slab.
    expect(stored.buffer.byteLength).toBe(packet.length);
    expect(buf.packetAt(1)!.rtp).not.toBe(stored);
    expect(buf.bytes).toBe(owned.length + packet.length);
  });

  it('gives emptied slabs back to the pool and reuses them: a full window makes no garbage', () => {
    const pool = new SlabPool(64);
    const buf = new TimeBuffer({ windowMs: 1000, maxBytes: 1e9, videoTrack: null, slabs: pool });
    const size = 1000;
    let seq = 0;
    const push = (ms: number) => buf.push(mediaPacket(1, rtp({ seq: seq++, ts: ms * 48, payload: [], size }), ms, false));
    // 10 s at 100 packets a second through a 1 s window.
    for (let ms = 0; ms < 10_000; ms += 10) push(ms);
    // The window holds ~101 packets of 1,012 bytes, 16 to a slab: 7 slabs, one more being filled,
    // one partly evicted; without reuse 10 s would have taken ~63.
    const perSlab = Math.floor(SLAB_BYTES / (size + 12));
    expect(pool.made).toBeLessThanOrEqual(Math.ceil(101 / perSlab) + 2);
    expect(pool.reused).toBeGreaterThan(40);
    // What is read after many reuses is what was stored.
    const c = buf.cursor(buf.range()!.startMs)!;
    let p = c.next();
    let n = 0;
    for (; p; p = c.next(), n++) expect(seqOf(p)).toBe((seq - buf.packets + n) & 0xffff);
    expect(n).toBe(buf.packets);
    // Large packets get arrays of their own; clear() gives every slab back.
    buf.push(mediaPacket(1, rtp({ seq: seq++, ts: 0, payload: [], size: MAX_SLAB_PACKET + 1 }), 10_000, false));
    expect(buf.packetAt(buf.endSeq - 1)!.rtp.length).toBe(MAX_SLAB_PACKET + 13);
    const free = pool.freeBytes;
    buf.clear();
    expect(pool.freeBytes).toBeGreaterThan(free);
    expect(pool.freeBytes).toBeLessThanOrEqual(64 * SLAB_BYTES);
  });

  it('moves an overtaken cursor to the new oldest keyframe and marks it skipped', () => {
    const pkts = synth({ durationMs: 10_000 });
    const buf = new TimeBuffer({ windowMs: 2000, maxBytes: 1e9, videoTrack: 0 });
    fill(buf, pkts.slice(0, 200));
    const c = buf.cursor(pkts[0]!.captureMs)!;
    c.next();
    fill(buf, pkts.slice(200));
    expect(c.skipped).toBe(false);
    const p = c.next()!;
    expect(c.skipped).toBe(true);
    expect(p.keyframe).toBe(true);
    expect(p.captureMs).toBe(buf.range()!.startMs);
  });

  it('keeps the keyframe packets of one H.264 frame together as one GOP start', () => {
    // SPS/PPS in a STAP-A, then the IDR in an FU-A: two keyframe packets of one frame.
    const buf = new TimeBuffer({ windowMs: 1000, maxBytes: 1e9, videoTrack: 0 });
    for (let gop = 0; gop < 3; gop++) {
      const ts = gop * 90_000;
      const at = 1000 + gop * 1000;
      buf.push(mediaPacket(0, rtp({ seq: gop * 3, ts, payload: [0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce] }), at, true));
      buf.push(mediaPacket(0, rtp({ seq: gop * 3 + 1, ts, payload: [0x7c, 0x85, 0x88] }), at, true));
      buf.push(mediaPacket(0, rtp({ seq: gop * 3 + 2, ts: ts + 3000, payload: [0x41, 0x9a] }), at + 33, false));
    }
    // Newest 3033, so the keyframe at or before 2033 is kept: the GOP at 2000, from its SPS on.
    const held = drain(buf.cursor(buf.range()!.startMs)!);
    expect(held.map(seqOf)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(seqOf(buf.cursor(2500)!.next()!)).toBe(3);
    expect(seqOf(buf.cursor(3000)!.next()!)).toBe(6);
  });

  it('stores nothing before the first keyframe when there is video', () => {
    const pkts = synth({ durationMs: 3000 });
    const buf = new TimeBuffer({ windowMs: 60_000, maxBytes: 1e9, videoTrack: 0 });
    fill(
      buf,
      pkts.filter((p) => p.captureMs - pkts[0]!.captureMs >= 500),
    );
    expect(buf.range()!.startMs).toBe(pkts[0]!.captureMs + 1000);
    expect(buf.cursor(pkts[0]!.captureMs + 1000)!.next()!.keyframe).toBe(true);
  });

  it('evicts audio-only streams packet by packet and starts a cursor at the first packet at or after T', () => {
    const pkts = synth({ durationMs: 5000, video: false });
    const buf = new TimeBuffer({ windowMs: 1000, maxBytes: 1e9, videoTrack: null });
    fill(buf, pkts);
    const r = buf.range()!;
    expect(r.endMs - r.startMs).toBeLessThanOrEqual(1000);
    expect(r.endMs - r.startMs).toBeGreaterThan(950);
    expect(buf.covers(r.startMs)).toBe(true);
    expect(buf.covers(r.startMs - 1)).toBe(false);
    expect(buf.cursor(r.startMs + 5)!.next()!.captureMs).toBe(r.startMs + 20);
    const capped = new TimeBuffer({ windowMs: 60_000, maxBytes: 10 * pkts[0]!.rtp.length, videoTrack: null });
    fill(capped, pkts);
    expect(capped.packets).toBe(10);
    expect(capped.effectiveWindowMs).toBe(9 * 20);
  });

  it('keeps order and sequence across many wraps of its ring', () => {
    const pkts = synth({ durationMs: 400_000, audio: false, size: 20 });
    const buf = new TimeBuffer({ windowMs: 5000, maxBytes: 1e9, videoTrack: 0 });
    expect(buf.cursor(0)).toBeNull();
    let read = 0;
    let cursor: TimeBufferCursor | null = null;
    for (const [i, p] of pkts.entries()) {
      buf.push(p);
      cursor ??= buf.cursor(p.captureMs);
      if (i % 7 === 0 && cursor) for (let q = cursor.next(); q; q = cursor.next()) expect(seqOf(q)).toBe(read++ & 0xffff);
    }
    expect(cursor!.skipped).toBe(false);
    expect(read).toBeGreaterThan(pkts.length - 20);
  });

  it('clear() and close() empty it; a cursor continues after clear() and ends after close()', () => {
    const pkts = synth({ durationMs: 4000 });
    const buf = new TimeBuffer({ windowMs: 60_000, maxBytes: 1e9, videoTrack: 0 });
    fill(buf, pkts.slice(0, 50));
    const c = buf.cursor(pkts[0]!.captureMs)!;
    buf.clear();
    expect(buf.range()).toBeNull();
    expect(buf.bytes).toBe(0);
    expect(buf.covers(pkts[0]!.captureMs)).toBe(false);
    expect(c.next()).toBeNull();
    fill(buf, pkts.slice(50));
    const p = c.next()!;
    expect(c.skipped).toBe(true);
    expect(p.keyframe).toBe(true);
    buf.close();
    buf.close();
    expect(c.next()).toBeNull();
    fill(buf, pkts);
    expect(buf.packets).toBe(0);
  });
});
