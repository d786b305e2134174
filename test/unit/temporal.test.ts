import { describe, expect, it } from 'vitest';
import { isVp8Keyframe, isVp9Keyframe } from '../../src/media/keyframe.js';
import { readVp8Temporal, readVp9Temporal, temporalInfo } from '../../src/media/temporalLayer.js';
import { chooseTemporalCap } from '../../src/media/TemporalCap.js';
import { RtpHistory } from '../../src/media/RtpHistory.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { RtpRewriter } from '../../src/rtp.js';
import { SkipList } from '../../src/skips.js';
import { TrackSender } from '../../src/engine/TrackSender.js';
import { TemporalFilter } from '../../src/engine/TemporalFilter.js';
import { rtpPacket, seededRandom as rng } from '../support/rtp.js';
import { readSent, vp8L1T3, vp8Payload } from '../support/vp8Temporal.js';

describe('temporal layer parsers (RFC 7741 §4.2, RFC 9628 §4.2)', () => {
  it('reads the VP8 descriptor: 15- and 7-bit PictureID, TL0PICIDX, TID and Y, the key frame', () => {
    const f = { pictureId: 0x1234, tl0PicIdx: 0x56, tid: 2, sync: true, key: false };
    expect(readVp8Temporal(vp8Payload(f, true, 20))).toMatchObject({
      pictureId: 0x1234,
      pictureIdBits: 15,
      pictureIdAt: 2,
      tl0PicIdx: 0x56,
      tl0PicIdxAt: 4,
      tid: 2,
      sync: true,
      keyframe: false,
    });
    expect(readVp8Temporal(vp8Payload({ ...f, pictureId: 0x45, tid: 0, sync: false, key: true }, true, 20, true))).toMatchObject({
      pictureId: 0x45,
      pictureIdBits: 7,
      tl0PicIdxAt: 3,
      tid: 0,
      sync: false,
      keyframe: true,
    });
    // K without T: a TID/Y/KEYIDX octet whose TID means nothing.
    expect(readVp8Temporal(Uint8Array.from([0x90, 0x10, 0xe0, 0x00]))).toMatchObject({ tid: -1, keyframe: true });
    // No X: nothing but the partition bits.
    expect(readVp8Temporal(Uint8Array.from([0x10, 0x01]))).toMatchObject({ tid: -1, pictureId: -1, keyframe: false });
    // Truncated at each octet: null, never a throw.
    const full = vp8Payload(f, true, 6);
    for (let n = 0; n < 6; n++) expect(readVp8Temporal(full.subarray(0, n))).toBeNull();
  });

  it('reads the VP9 descriptor: PictureID, TID, U, SID, TL0PICIDX in non-flexible mode only', () => {
    // I=1 L=1 F=0 B=1 E=1, PictureID 0x0abc (M=1), TID 2 U 1 SID 0, TL0PICIDX 7.
    expect(readVp9Temporal(Uint8Array.from([0xac, 0x8a, 0xbc, 0x50, 0x07, 0]))).toMatchObject({
      pictureId: 0xabc,
      pictureIdBits: 15,
      tid: 2,
      sync: true,
      tl0PicIdx: 7,
      tl0PicIdxAt: 4,
      keyframe: true,
    });
    // Flexible mode, P=1: no TL0PICIDX; SID 1 is not a key frame.
    expect(readVp9Temporal(Uint8Array.from([0xf8, 0x05, 0x22, 0x02]))).toMatchObject({
      pictureId: 5,
      pictureIdBits: 7,
      tid: 1,
      sync: false,
      tl0PicIdx: -1,
      keyframe: false,
    });
    expect(readVp9Temporal(Uint8Array.from([0xa8, 0x05]))).toBeNull(); // L set, no layer octet
    expect(temporalInfo('AV1', Uint8Array.from([0x18, 0x0a]))).toMatchObject({ tid: 0, keyframe: true }); // test/unit/av1-temporal.test.ts
    expect(temporalInfo('H264', Uint8Array.from([0x65]))).toBeNull();
  });

  it('never throws on random or mutated input, stays in bounds, and agrees with the keyframe detectors', () => {
    const r = rng(20);
    const valid = [vp8Payload({ pictureId: 300, tl0PicIdx: 9, tid: 1, sync: true, key: true }, true, 12), Buffer.from([0xac, 0x8a, 0xbc, 0x50, 0x07, 0, 1, 2])];
    const bad: string[] = [];
    let parsed = 0;
    for (let i = 0; i < 100_000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(Math.floor(r() * 12));
        for (let k = 0; k < p.length; k++) p[k] = Math.floor(r() * 256);
      } else {
        p = Uint8Array.from(valid[i % 4 === 1 ? 0 : 1]!.subarray(0, Math.floor(r() * 13)));
        for (let m = 0; m < 3 && p.length > 0; m++) p[Math.floor(r() * p.length)] ^= 1 << Math.floor(r() * 8);
      }
      for (const [codec, key] of [
        ['VP8', isVp8Keyframe],
        ['VP9', isVp9Keyframe],
      ] as const) {
        const info = temporalInfo(codec, p);
        if (!info) continue;
        parsed++;
        const ok =
          (codec === 'VP8' ? info.keyframe === key(p) : !info.keyframe || key(p)) &&
          (info.pictureIdAt < 0 || info.pictureIdAt + (info.pictureIdBits === 15 ? 1 : 0) < p.length) &&
          (info.tl0PicIdxAt < 0 || info.tl0PicIdxAt < p.length) &&
          info.tid <= 7;
        if (!ok && bad.length < 5) bad.push(`${codec} ${Buffer.from(p).toString('hex')} ${JSON.stringify(info)}`);
      }
    }
    expect(bad).toEqual([]);
    expect(parsed).toBeGreaterThan(50_000);
  });
});

describe('SkipList and RtpRewriter.skip (no sequence gap for a dropped packet)', () => {
  it('maps and unmaps around random skips and the 16-bit wrap', () => {
    const r = rng(7);
    const s = new SkipList(16);
    let offset = 0;
    const sent = new Map<number, number>();
    let last = -1;
    for (let i = 0; i < 20_000; i++) {
      const v = (65_000 + i) & 0xffff;
      if (r() < 0.3 && s.skip(v)) {
        offset = (offset - 1) & 0xffff;
        continue;
      }
      s.see(v);
      const out = (v + offset + s.newerThan(v)) & 0xffff;
      if (last >= 0) expect(out).toBe((last + 1) & 0xffff);
      last = out;
      sent.set(out, v);
    }
    // Within the window every number maps back exactly; beyond it (skips forgotten) -1, never a wrong packet.
    let exact = 0;
    for (const [out, v] of [...sent].slice(-5000)) {
      const back = s.unmap((out - offset) & 0xffff);
      if (back === -1) expect(exact).toBe(0);
      else {
        expect(back).toBe(v);
        expect(s.has(v)).toBe(false);
        exact++;
      }
    }
    expect(exact).toBeGreaterThan(2500);
    expect(exact).toBeLessThan(5000);
  });

  it('closes the gap of skipped packets, keeps a late packet on its reserved number, and maps NACKs back', () => {
    const rw = new RtpRewriter(0xabc, 100, 90000);
    const pkt = (seq: number, ssrc = 1) => rtpPacket(ssrc, seq, seq * 10, false, Buffer.from([1, 2, 3]), 96);
    const out: number[] = [];
    const send = (seq: number) => out.push(readSent(rw.rewrite(pkt(seq), 0)!).seq);
    send(65534);
    // 65535 arrives later (reordered upstream); 0 and 1 are skipped.
    expect(rw.skip(pkt(0), 0)).toBe(true);
    expect(rw.skip(pkt(1), 0)).toBe(true);
    send(2);
    send(65535); // late: the number between 65534's and 2's
    send(3);
    const [a, b, late, c] = out as [number, number, number, number];
    expect((b - a) & 0xffff).toBe(2);
    expect(late).toBe((a + 1) & 0xffff);
    expect((c - b) & 0xffff).toBe(1);
    expect(rw.mapBack(a)).toBe(65534);
    expect(rw.mapBack(late)).toBe(65535);
    expect(rw.mapBack(b)).toBe(2);
    expect(rw.mapBack(c)).toBe(3);
    // An older packet cannot be skipped: its place gets padding with its number.
    expect(rw.skip(pkt(1), 0)).toBe(false);
    // A new source continues one past the last, and its first packet may be skipped too.
    expect(rw.skip(pkt(500, 2), 10)).toBe(true);
    const d = readSent(rw.rewrite(pkt(501, 2), 10)!);
    expect(d.seq).toBe((c + 1) & 0xffff);
    expect(rw.mapBack(d.seq)).toBe(501);
    expect(rw.mapBack(c)).toBe(-1); // the earlier source's numbers are gone
  });
});

describe('chooseTemporalCap', () => {
  it('keeps the temporal layers whose sum fits under 0.9 x the estimate, at least the base', () => {
    expect(chooseTemporalCap([400_000, 200_000, 400_000], 2_000_000)).toBeNull();
    expect(chooseTemporalCap([400_000, 200_000, 400_000], 800_000)).toBe(1);
    expect(chooseTemporalCap([400_000, 200_000, 400_000], 500_000)).toBe(0);
    expect(chooseTemporalCap([400_000, 200_000, 400_000], 100_000)).toBe(0);
    expect(chooseTemporalCap([700_000], 100_000)).toBeNull(); // no temporal layers
    expect(chooseTemporalCap([], 100_000)).toBeNull();
  });
});

interface Received {
  seq: number;
  ssrc: number;
  pictureId: number;
  tl0PicIdx: number;
  tid: number;
  sync: boolean;
  start: boolean;
  padding: boolean;
  bytes: Buffer;
}

function vp8Sender(history: RtpHistory | null = null): { sender: TrackSender; got: Received[]; counters: ReturnType<typeof nodeCounters> } {
  const counters = nodeCounters(new Metrics());
  const sender = new TrackSender(
    { ssrc: 0x5151, payloadType: 96, clockRate: 90000, rtx: null, history, retransmitShare: 10, counters, temporalCodec: 'VP8' },
    0,
  );
  const got: Received[] = [];
  sender.out = { open: true, send: (p) => (got.push({ ...readSent(p), bytes: Buffer.from(p) }), true) };
  return { sender, got, counters };
}

/**
 * What a receiver needs to decode what it got: no sequence gap (nothing to NACK); PictureIDs
 * one apart frame to frame; TL0PICIDX one up at each TL0 frame and the same on the frames
 * above it; every frame whole; and a frame of layer k > 0 only after a key frame or a sync
 * frame of layer k since the last time layer k was left out.
 */
function checkDecodable(got: Received[], totalPacketsOf: Map<number, number>, pidMask = 0x7fff): void {
  let prev: Received | null = null;
  let prevFrame: Received | null = null;
  let tl0 = -1;
  const perFrame = new Map<number, number>();
  for (const g of got) {
    if (prev) expect(g.seq, `gap after ${prev.seq}`).toBe((prev.seq + 1) & 0xffff);
    prev = g;
    if (g.padding) continue;
    perFrame.set(g.pictureId, (perFrame.get(g.pictureId) ?? 0) + 1);
    if (!g.start) continue;
    if (prevFrame) expect(g.pictureId).toBe((prevFrame.pictureId + 1) & pidMask);
    if (g.tid === 0) {
      if (tl0 >= 0) expect(g.tl0PicIdx).toBe((tl0 + 1) & 0xff);
      tl0 = g.tl0PicIdx;
    } else if (tl0 >= 0) expect(g.tl0PicIdx).toBe(tl0);
    prevFrame = g;
  }
  for (const [pid, n] of perFrame) expect(n, `frame ${pid} whole`).toBe(totalPacketsOf.get(pid));
}

describe('TemporalFilter through TrackSender (VP8 L1T3)', () => {
  it('leaves out TL2, then TL1, at frame boundaries, renumbers PictureID and closes sequence gaps; restores at a sync frame', () => {
    const { sender, got, counters } = vp8Sender();
    const tf = sender.temporal!;
    const src = vp8L1T3(0x1111, { pictureId: 32_760, seq: 65_530 });
    const outPacketsOf = new Map<number, number>();
    /** n frames; `midFrame` runs after the first packet of the first frame of layer 2 with more than one packet. */
    const run = (n: number, midFrame?: () => void) => {
      for (let i = 0; i < n; i++) {
        const { frame, packets } = src.next();
        const before = got.length;
        packets.forEach((p, k) => {
          sender.send(p, 0, 0);
          if (k === 0 && packets.length > 1 && frame.tid === 2 && midFrame) {
            midFrame();
            midFrame = undefined;
          }
        });
        if (got.length > before) outPacketsOf.set(got[before]!.pictureId, packets.length);
      }
    };
    const framesFrom = (at: number) => got.slice(at).filter((g) => g.start);
    run(9); // every layer
    expect(new Set(got.map((g) => g.tid))).toEqual(new Set([0, 1, 2]));
    // A cap set in the middle of a TL2 frame: that frame goes out whole (checkDecodable), the next TL2 frames do not.
    let at1 = 0;
    run(12, () => {
      tf.setCap(1);
      at1 = got.length;
    });
    expect(framesFrom(at1).some((g) => g.tid === 2)).toBe(false);
    expect(framesFrom(at1).some((g) => g.tid === 1)).toBe(true);
    tf.setCap(0);
    const at0 = got.length;
    run(12);
    expect(framesFrom(at0).every((g) => g.tid === 0)).toBe(true);
    tf.setCap(null);
    const atUp = got.length;
    run(12);
    const restored = got.slice(atUp).filter((g) => g.start && g.tid > 0);
    // Layer 1 comes back at a TL1 frame with Y, layer 2 at a TL2 frame with Y after it.
    expect(restored[0]).toMatchObject({ tid: 1, sync: true });
    expect(restored.find((g) => g.tid === 2)).toMatchObject({ sync: true });
    checkDecodable(got, outPacketsOf);
    expect(tf.framesDropped).toBeGreaterThan(6);
    expect(counters.temporalLayerDrops.get({ keep: 'tl1' })).toBe(1);
    expect(counters.temporalLayerDrops.get({ keep: 'tl0' })).toBe(1);
    expect(tf.describe()).toMatchObject({ cap: null, sending: 2, layers: 3 });
  });

  it('continues PictureID and TL0PICIDX across a switch of source, and answers NACKs with the renumbered packet', () => {
    const history = new RtpHistory({ windowMs: 60_000, maxBytes: 1 << 22 });
    const { sender, got } = vp8Sender(history);
    const tf = sender.temporal!;
    const a = vp8L1T3(0xa, { pictureId: 5, tl0PicIdx: 3, seq: 100 });
    const b = vp8L1T3(0xb, { pictureId: 20_000, tl0PicIdx: 90, seq: 40_000 });
    const outPacketsOf = new Map<number, number>();
    const feed = (s: ReturnType<typeof vp8L1T3>, n: number) => {
      for (let i = 0; i < n; i++) {
        const { packets } = s.next();
        const before = got.length;
        for (const p of packets) {
          history.push(p, 0);
          sender.send(p, 0, 0);
        }
        if (got.length > before) outPacketsOf.set(got[before]!.pictureId, packets.length);
      }
    };
    feed(a, 6);
    tf.setCap(0);
    feed(a, 10);
    // The switch: the other layer's key frame; the cap is lifted with it (LayerSwitch).
    tf.setCap(null);
    sender.useHistory(history);
    feed(b, 10);
    checkDecodable(got, outPacketsOf);
    expect(new Set(got.map((g) => g.ssrc))).toEqual(new Set([0x5151]));
    // NACK three sent packets, one from each part: resent as first sent, byte for byte
    // (renumbered PictureID included). Only the current source's are in reach.
    const picks = [got.at(-1)!, got.at(-7)!, got.at(-12)!];
    const before = got.length;
    expect(
      sender.resend(
        picks.map((p) => p.seq),
        1,
      ),
    ).toBe(3);
    expect(got.slice(before).map((g) => g.bytes.toString('hex'))).toEqual(picks.map((p) => p.bytes.toString('hex')));
  });

  it('sends padding in the place of a late packet of a dropped frame, so nothing is left to NACK', () => {
    const { sender, got } = vp8Sender();
    const src = vp8L1T3(0xc, { packetsPerFrame: () => 3 });
    const outPacketsOf = new Map<number, number>();
    for (let i = 0; i < 4; i++) for (const p of src.next().packets) sender.send(p, 0, 0);
    for (const g of got) if (g.start) outPacketsOf.set(g.pictureId, 3);
    sender.temporal!.setCap(1);
    // The next frame is TL0, then a TL2 frame whose middle packet arrives after the frame after it.
    for (const p of src.next().packets) sender.send(p, 0, 0);
    const tl2 = src.next().packets;
    const tl1 = src.next().packets;
    sender.send(tl2[0]!, 0, 0);
    sender.send(tl2[2]!, 0, 0);
    for (const p of tl1) sender.send(p, 0, 0);
    sender.send(tl2[1]!, 0, 0); // late
    for (const g of got) if (g.start && !outPacketsOf.has(g.pictureId)) outPacketsOf.set(g.pictureId, 3);
    const paddings = got.filter((g) => g.padding);
    expect(paddings.length).toBe(1);
    expect(paddings[0]!.bytes.length).toBe(16);
    // In order of sequence number, the stream has no gap.
    const sorted = [...got].sort((x, y) => ((x.seq - got[0]!.seq) & 0xffff) - ((y.seq - got[0]!.seq) & 0xffff));
    checkDecodable(sorted, outPacketsOf);
  });

  it('renumbers a 7-bit PictureID across its wrap', () => {
    const { sender, got } = vp8Sender();
    const src = vp8L1T3(0xd, { pictureId: 100, pid7: true, packetsPerFrame: () => 2 });
    const outPacketsOf = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      // Caps 1 and 0 in turn for 16 frames each, then none for 16.
      sender.temporal!.setCap([1, 0, null][Math.floor(i / 16) % 3]!);
      for (const p of src.next().packets) sender.send(p, 0, 0);
    }
    // Decisions are kept for 256 frames: a 7-bit PictureID repeats within them, so only a run
    // under 128 frames is judged (frames sent: about 130 of 200).
    for (const g of got) if (g.start) outPacketsOf.set(g.pictureId, 2);
    checkDecodable(got.slice(-120), outPacketsOf, 0x7f);
    expect(sender.temporal!.framesDropped).toBeGreaterThan(50);
  });

  it('VP9: leaves out frames above the cap and keeps PictureIDs as they are', () => {
    const counters = nodeCounters(new Metrics());
    const tf = new TemporalFilter('VP9', counters, 0);
    const sent: number[] = [];
    tf.setCap(0);
    for (let i = 0; i < 8; i++) {
      const tid = [0, 2, 1, 2][i % 4]!;
      // I=1 (15-bit) L=1 F=0 B=1 E=1; TID, U on the frames that reference TL0 only; TL0PICIDX.
      const u = i % 4 === 1 || i % 4 === 2 ? 0x10 : 0;
      const payload = Buffer.from([0xac | (i === 0 ? 0 : 0x40), 0x80, i, (tid << 5) | u, 1 + (i >> 2), 0]);
      if (tf.decide(rtpPacket(9, i, i * 3000, true, payload, 96)) === 'send') sent.push(i);
    }
    expect(sent).toEqual([0, 4]);
    tf.setCap(null);
    const later: number[] = [];
    for (let i = 8; i < 16; i++) {
      const tid = [0, 2, 1, 2][i % 4]!;
      const u = i % 4 === 1 || i % 4 === 2 ? 0x10 : 0;
      const payload = Buffer.from([0xec, 0x80, i, (tid << 5) | u, 1 + (i >> 2), 0]);
      if (tf.decide(rtpPacket(9, i, i * 3000, true, payload, 96)) === 'send') later.push(i);
    }
    // Frame 9 (TL2 with U) cannot bring layer 2 back while layer 1 is off; frame 10 (TL1 with U)
    // brings layer 1, frame 11 (TL2 without U) stays out, frame 13 (TL2 with U) brings layer 2.
    expect(later).toEqual([8, 10, 12, 13, 14, 15]);
  });
});
