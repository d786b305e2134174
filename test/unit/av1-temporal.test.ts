import { describe, expect, it } from 'vitest';
import { isAv1Keyframe } from '../../src/media/keyframe.js';
import { RtpHistory } from '../../src/media/RtpHistory.js';
import { readAv1Temporal, temporalInfo } from '../../src/media/temporalLayer.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { TrackSender } from '../../src/engine/TrackSender.js';
import { TemporalFilter } from '../../src/engine/TemporalFilter.js';
import { rtpPacket, seededRandom as rng } from '../support/rtp.js';
import {
  av1L1T3,
  av1Payload,
  leb128,
  obu,
  OBU_FRAME,
  OBU_FRAME_HEADER,
  OBU_METADATA,
  OBU_SEQUENCE_HEADER,
  OBU_TILE_GROUP,
  packetize,
  type Av1Frame,
} from '../support/av1Temporal.js';

describe('AV1 temporal id from the OBU extension header (AV1 RTP payload format §4.4-4.5, AV1 §5.3)', () => {
  it('reads the first extended OBU of a packet, with W=0 and W=1..3, after a sequence header', () => {
    // W=1: one frame OBU of TL2.
    expect(readAv1Temporal(av1Payload([obu(OBU_FRAME, 30, { tid: 2 })], { w: 1 }))).toMatchObject({
      tid: 2,
      sync: false,
      keyframe: false,
      pictureId: -1,
      tl0PicIdx: -1,
    });
    // W=0: a key frame, sequence header (never extended) then the frame OBU of TL0, N set.
    expect(readAv1Temporal(av1Payload([obu(OBU_SEQUENCE_HEADER, 10), obu(OBU_FRAME, 200, { tid: 0 })], { n: true }))).toMatchObject({ tid: 0, keyframe: true });
    // W=2: sequence header, then a TL1 frame OBU (a 2-byte LEB128 length before the first).
    expect(readAv1Temporal(av1Payload([obu(OBU_SEQUENCE_HEADER, 150), obu(OBU_FRAME, 20, { tid: 1 })], { w: 2 }))).toMatchObject({ tid: 1, keyframe: true });
    // W=3: metadata, frame header and tile group, all of TL3 spatial layer 1.
    const l = { tid: 3, sid: 1 };
    expect(readAv1Temporal(av1Payload([obu(OBU_METADATA, 4, l), obu(OBU_FRAME_HEADER, 8, l), obu(OBU_TILE_GROUP, 40, l)], { w: 3 }))).toMatchObject({ tid: 3 });
    // W=0 with four elements (more than W can count).
    expect(
      readAv1Temporal(
        av1Payload([
          obu(OBU_METADATA, 4, { tid: 5 }),
          obu(OBU_FRAME_HEADER, 8, { tid: 5 }),
          obu(OBU_TILE_GROUP, 4, { tid: 5 }),
          obu(OBU_TILE_GROUP, 300, { tid: 5 }),
        ]),
      ),
    ).toMatchObject({ tid: 5 });
    // A single operating point: no extension header anywhere, so temporal layer 0 (AV1 §6.2.3).
    expect(readAv1Temporal(av1Payload([obu(OBU_FRAME, 30)], { w: 1 }))).toMatchObject({ tid: 0, keyframe: false });
    // obu_has_size_field set inside an element changes nothing here.
    expect(readAv1Temporal(Buffer.from([0x10, (OBU_FRAME << 3) | 0x06, 2 << 5, 0x03, 1, 2, 3]))).toMatchObject({ tid: 2 });
    // Through temporalInfo, as the filter asks.
    expect(temporalInfo('av1', av1Payload([obu(OBU_FRAME, 3, { tid: 1 })], { w: 1 }))).toMatchObject({ tid: 1 });
    expect(temporalInfo('AV1', Buffer.from([0x18, 0x0a]))).toMatchObject({ tid: 0, keyframe: true }); // a lone sequence header with N
  });

  it('a continuation (Z=1) tells no id unless an extended OBU starts in it; N counts only on a first packet', () => {
    const frame = obu(OBU_FRAME, 1000, { tid: 2 });
    const packets = packetize([frame], 300, false);
    expect(packets.length).toBe(4);
    const infos = packets.map((p) => readAv1Temporal(p));
    expect(infos.map((i) => i?.tid)).toEqual([2, -1, -1, -1]);
    expect(packets.map((p) => [(p[0]! & 0x80) !== 0, (p[0]! & 0x40) !== 0])).toEqual([
      [false, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
    // The end of one OBU and a whole second one (W=2): the second's header gives the id.
    expect(readAv1Temporal(av1Payload([Buffer.alloc(50, 1), obu(OBU_TILE_GROUP, 10, { tid: 1 })], { z: true, w: 2 }))).toMatchObject({
      tid: 1,
      keyframe: false,
    });
    // Z with N is not a key frame's first packet.
    expect(readAv1Temporal(av1Payload([Buffer.alloc(50, 1)], { z: true, n: true, w: 1 }))).toMatchObject({ tid: -1, keyframe: false });
    // A temporal delimiter alone (not sent by WebRTC senders) tells no layer.
    expect(readAv1Temporal(av1Payload([obu(2, 0)], { w: 1 }))).toMatchObject({ tid: -1 });
  });

  it('gives null for malformed payloads, and every prefix of a valid one is null or a consistent reading', () => {
    const ok = av1Payload([obu(OBU_SEQUENCE_HEADER, 10), obu(OBU_METADATA, 3, { tid: 1 }), obu(OBU_FRAME, 140, { tid: 1 })], { n: true });
    expect(readAv1Temporal(ok)).toMatchObject({ tid: 1, keyframe: true });
    for (let n = 0; n < ok.length; n++) {
      const r = readAv1Temporal(ok.subarray(0, n));
      if (r) expect([0, 1], `prefix ${n}`).toContain(r.tid);
    }
    expect(readAv1Temporal(Buffer.alloc(0))).toBeNull();
    expect(readAv1Temporal(Buffer.from([0x10]))).toBeNull(); // an aggregation header alone
    expect(readAv1Temporal(Buffer.concat([Buffer.from([0x00]), leb128(40), obu(OBU_FRAME, 10, { tid: 1 })]))).toBeNull(); // a length past the end
    expect(readAv1Temporal(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x30]))).toBeNull(); // LEB128 over 8 bytes
    expect(readAv1Temporal(Buffer.concat([Buffer.from([0x30]), leb128(3), obu(OBU_FRAME, 1, { tid: 1 })]))).toBeNull(); // W=3, one element
    expect(readAv1Temporal(Buffer.from([0x10, 0x80 | (OBU_FRAME << 3), 0, 0]))).toBeNull(); // the forbidden bit
    expect(readAv1Temporal(Buffer.from([0x00, 0x01, (OBU_FRAME << 3) | 0x04, 0x00]))).toBeNull(); // an extension flag, the element cut before the extension
    expect(readAv1Temporal(Buffer.from([0x10, (OBU_FRAME << 3) | 0x04]))).toBeNull();
  });

  it('never throws on random or mutated input, stays within 3 bits, and agrees with isAv1Keyframe', () => {
    const r = rng(2026);
    const valid = [
      av1Payload([obu(OBU_SEQUENCE_HEADER, 10), obu(OBU_FRAME, 200, { tid: 0 })], { n: true }),
      av1Payload([obu(OBU_FRAME_HEADER, 6, { tid: 2 }), obu(OBU_TILE_GROUP, 20, { tid: 2 })], { w: 2 }),
      ...packetize([obu(OBU_FRAME, 700, { tid: 1 })], 250, false),
    ];
    const bad: string[] = [];
    let parsed = 0;
    for (let i = 0; i < 100_000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(Math.floor(r() * 16));
        for (let k = 0; k < p.length; k++) p[k] = Math.floor(r() * 256);
      } else {
        const v = valid[Math.floor(r() * valid.length)]!;
        p = Uint8Array.from(v.subarray(0, Math.floor(r() * (v.length + 1))));
        for (let m = 0; m < 3 && p.length > 0; m++) p[Math.floor(r() * p.length)] ^= 1 << Math.floor(r() * 8);
      }
      const info = temporalInfo('AV1', p);
      if (!info) continue;
      parsed++;
      const ok = info.tid >= -1 && info.tid <= 7 && !info.sync && info.pictureIdAt < 0 && info.tl0PicIdxAt < 0 && (!info.keyframe || isAv1Keyframe(p));
      if (!ok && bad.length < 5) bad.push(`${Buffer.from(p).toString('hex')} ${JSON.stringify(info)}`);
    }
    expect(bad).toEqual([]);
    expect(parsed).toBeGreaterThan(10_000);
  });
});

interface Out {
  seq: number;
  ts: number;
  ssrc: number;
  padding: boolean;
  bytes: Buffer;
  /** The upstream frame being sent when this packet went out (null for a padding packet). */
  frame: Av1Frame | null;
}

function av1Sender(history: RtpHistory | null = null) {
  const counters = nodeCounters(new Metrics());
  const sender = new TrackSender({ ssrc: 0x5151, payloadType: 45, clockRate: 90000, history, retransmitShare: 1, counters, temporalCodec: 'AV1' }, 0);
  const got: Out[] = [];
  let current: Av1Frame | null = null;
  sender.out = {
    open: true,
    send: (p) => {
      const base = 12 + (p[0]! & 0x0f) * 4;
      const padding = (p[0]! & 0x20) !== 0 && p.length - p[p.length - 1]! <= base;
      got.push({
        seq: (p[2]! << 8) | p[3]!,
        ts: Buffer.from(p).readUInt32BE(4),
        ssrc: Buffer.from(p).readUInt32BE(8),
        padding,
        bytes: Buffer.from(p),
        frame: padding ? null : current,
      });
      return true;
    },
  };
  const send = (frame: Av1Frame, packet: Buffer) => {
    current = frame;
    sender.send(packet, 0, 0);
    current = null;
  };
  return { sender, got, counters, send };
}

/**
 * What a receiver without the Dependency Descriptor needs to decode what it got (libwebrtc
 * chains AV1 frames by sequence number): no sequence gap; each frame whole or absent; and
 * after a frame of layer k was left out, no frame of layer k or above until a key frame (AV1
 * signals no switching point).
 */
function checkDecodable(got: Out[], packetsOf: Map<number, number>, dropped: Av1Frame[]): void {
  let prev: Out | null = null;
  const perFrame = new Map<number, number>();
  for (const g of got) {
    if (prev) expect(g.seq, `gap after ${prev.seq}`).toBe((prev.seq + 1) & 0xffff);
    prev = g;
    if (g.frame) perFrame.set(g.frame.ts, (perFrame.get(g.frame.ts) ?? 0) + 1);
  }
  for (const [ts, n] of perFrame) expect(n, `frame ${ts} whole`).toBe(packetsOf.get(ts));
  // In upstream order: a frame of layer k after a dropped one of layer <= k, with no key frame between.
  const sentTs = new Set(perFrame.keys());
  const order = [...packetsOf.keys()];
  let lowestOff = 8;
  const droppedTs = new Set(dropped.map((f) => f.ts));
  for (const ts of order) {
    const f = got.find((g) => g.frame?.ts === ts)?.frame ?? dropped.find((d) => d.ts === ts)!;
    if (sentTs.has(ts)) {
      if (f.key) lowestOff = 8;
      else expect(f.tid, `frame ${ts} of TL${f.tid} after TL${lowestOff} was left out`).toBeLessThan(lowestOff);
    } else if (droppedTs.has(ts)) lowestOff = Math.min(lowestOff, f.tid);
  }
}

describe('TemporalFilter through TrackSender (AV1 L1T3, temporal id from the OBU extension header)', () => {
  it('leaves out TL2, then TL1, at frame boundaries with no sequence gap; the layers come back at the next key frame', () => {
    const { sender, got, counters, send } = av1Sender();
    const tf = sender.temporal!;
    expect(tf).not.toBeNull();
    const src = av1L1T3(0x1111, { keyEvery: 40, size: (n) => 300 + ((n * 137) % 900), useW: true });
    const packetsOf = new Map<number, number>();
    const dropped: Av1Frame[] = [];
    const run = (n: number, midFrame?: () => void) => {
      for (let i = 0; i < n; i++) {
        const { frame, packets } = src.next();
        packetsOf.set(frame.ts, packets.length);
        const before = got.length;
        packets.forEach((p, k) => {
          send(frame, p);
          if (k === 0 && packets.length > 1 && frame.tid === 2 && midFrame) {
            midFrame();
            midFrame = undefined;
          }
        });
        if (got.length === before) dropped.push(frame);
      }
    };
    const framesFrom = (at: number) => [...new Set(got.slice(at).map((g) => g.frame!))];
    run(9);
    expect(new Set(got.map((g) => g.frame!.tid))).toEqual(new Set([0, 1, 2]));
    expect(tf.describe()).toMatchObject({ cap: null, layers: 3, sending: 2 });
    // A cap set in the middle of a TL2 frame: that frame goes out whole, the next TL2 frames do not.
    let at1 = 0;
    run(8, () => {
      tf.setCap(1);
      at1 = got.length;
    });
    expect(framesFrom(at1).some((f) => f.tid === 2 && f.ts !== got[at1 - 1]!.frame!.ts)).toBe(false);
    expect(framesFrom(at1).some((f) => f.tid === 1)).toBe(true);
    tf.setCap(0);
    const at0 = got.length;
    run(8);
    expect(framesFrom(at0).every((f) => f.tid === 0)).toBe(true);
    expect(tf.waitsForKeyframe()).toBe(false); // the cap itself keeps them out
    // The cap lifted: nothing in the bitstream says a TL1 or TL2 frame may follow, so the layers
    // wait for the key frame (frame 40), and say so.
    tf.setCap(null);
    expect(tf.waitsForKeyframe()).toBe(true);
    const atUp = got.length;
    run(12); // frames 25..36
    expect(framesFrom(atUp).every((f) => f.tid === 0)).toBe(true);
    const atKey = got.length;
    run(8); // frames 37..44, the key frame at 40
    const after = framesFrom(atKey);
    expect(after.find((f) => f.tid > 0)).toBeDefined();
    expect(after.findIndex((f) => f.key)).toBeLessThan(after.findIndex((f) => f.tid > 0));
    expect(tf.waitsForKeyframe()).toBe(false);
    expect(tf.describe()).toMatchObject({ cap: null, sending: 2, layers: 3 });
    checkDecodable(got, packetsOf, dropped);
    expect(tf.framesDropped).toBe(dropped.length);
    expect(dropped.length).toBeGreaterThan(10);
    expect(counters.temporalLayerDrops.get({ keep: 'tl1' })).toBe(1);
    expect(counters.temporalLayerDrops.get({ keep: 'tl0' })).toBe(1);
    // Each layer's rate is measured from all of its frames' packets, continuations included.
    tf.measure(1000);
    expect(tf.layerRates().length).toBe(3);
    expect(tf.layerRates().every((b) => b > 0)).toBe(true);
  });

  it('a frame whose first packet comes late is sent whole; a late packet of a dropped frame gets padding, which a NACK does not turn into media', () => {
    const history = new RtpHistory({ windowMs: 60_000, maxBytes: 1 << 22 });
    const { sender, got, send } = av1Sender(history);
    const tf = sender.temporal!;
    const src = av1L1T3(0x2222, { size: () => 900, max: 300, useW: false });
    const packetsOf = new Map<number, number>();
    const dropped: Av1Frame[] = [];
    const next = () => {
      const f = src.next();
      packetsOf.set(f.frame.ts, f.packets.length);
      for (const p of f.packets) history.push(p, 0);
      return f;
    };
    for (let i = 0; i < 4; i++) {
      const { frame, packets } = next();
      for (const p of packets) send(frame, p);
    }
    tf.setCap(1);
    const tl0 = next(); // frame 4
    for (const p of tl0.packets) send(tl0.frame, p);
    // Frame 5 (TL2): its middle packet arrives after frame 6 (TL1): dropped, the late one padded.
    const tl2 = next();
    const tl1 = next();
    expect(tl2.frame.tid).toBe(2);
    expect(tl2.packets.length).toBe(4);
    send(tl2.frame, tl2.packets[0]!);
    send(tl2.frame, tl2.packets[2]!);
    send(tl2.frame, tl2.packets[3]!);
    dropped.push(tl2.frame);
    // Frame 6 (TL1): its first packet (the only one with the id) comes after the others: sent whole.
    for (const p of tl1.packets.slice(1)) send(tl1.frame, p);
    send(tl1.frame, tl1.packets[0]!);
    send(tl2.frame, tl2.packets[1]!); // late
    // Frame 7 (TL2) is dropped; frame 8 (TL0) sent.
    for (let i = 0; i < 2; i++) {
      const { frame, packets } = next();
      const before = got.length;
      for (const p of packets) send(frame, p);
      if (got.length === before) dropped.push(frame);
    }
    expect(dropped.map((f) => f.tid)).toEqual([2, 2]);
    const paddings = got.filter((g) => g.padding);
    expect(paddings.length).toBe(1);
    expect(paddings[0]!.bytes.length).toBe(16);
    expect(got.filter((g) => g.frame?.ts === tl1.frame.ts).length).toBe(4);
    const sorted = [...got].sort((x, y) => ((x.seq - got[0]!.seq) & 0xffff) - ((y.seq - got[0]!.seq) & 0xffff));
    checkDecodable(sorted, packetsOf, dropped);
    // NACKs: the padding's number maps to the dropped frame's packet, which is not resent; a
    // sent packet is resent as it was first sent.
    const media = got.find((g) => g.frame?.ts === tl1.frame.ts)!;
    const before = got.length;
    expect(sender.resend([paddings[0]!.seq, media.seq], 1)).toBe(1);
    expect(got.slice(before).map((g) => g.bytes.toString('hex'))).toEqual([media.bytes.toString('hex')]);
  });

  it('starts every layer over on a new source (a layer switch), with sequence numbers continuous', () => {
    const { sender, got, send } = av1Sender();
    const tf = sender.temporal!;
    const a = av1L1T3(0xa, { seq: 100, ts: 1000 });
    const b = av1L1T3(0xb, { seq: 40_000, ts: 7_000_000 });
    for (let i = 0; i < 5; i++) for (const p of a.next().packets) send({ tid: -1, key: false, ts: 0 }, p);
    tf.setCap(0);
    for (let i = 0; i < 8; i++) {
      const f = a.next();
      for (const p of f.packets) send(f.frame, p);
    }
    tf.setCap(null); // the switch: the other layer's key frame
    for (let i = 0; i < 8; i++) {
      const f = b.next();
      for (const p of f.packets) send(f.frame, p);
    }
    for (let i = 1; i < got.length; i++) expect(got[i]!.seq).toBe((got[i - 1]!.seq + 1) & 0xffff);
    expect(new Set(got.map((g) => g.ssrc))).toEqual(new Set([0x5151]));
    expect(new Set(got.slice(-10).map((g) => g.frame!.tid))).toEqual(new Set([0, 1, 2]));
    expect(tf.waitsForKeyframe()).toBe(false);
  });

  it('a stream with one operating point (no extension headers) is all TL0: nothing is dropped, no cap to choose', () => {
    const tf = new TemporalFilter('AV1', nodeCounters(new Metrics()), 0);
    tf.setCap(0);
    let sent = 0;
    for (let i = 0; i < 20; i++) {
      const payloads = packetize(i === 0 ? [obu(OBU_SEQUENCE_HEADER, 8), obu(OBU_FRAME, 600)] : [obu(OBU_FRAME, 600)], 250, i === 0);
      payloads.forEach((p, k) => {
        if (tf.decide(rtpPacket(3, i * 3 + k, i * 3000, k === payloads.length - 1, p, 45)) === 'send') sent++;
      });
    }
    expect(sent).toBe(60);
    tf.measure(1000);
    expect(tf.layerRates()).toHaveLength(1);
    expect(tf.describe()).toMatchObject({ layers: 1, framesDropped: 0 });
    expect(tf.waitsForKeyframe()).toBe(false);
  });
});
