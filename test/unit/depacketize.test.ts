import { describe, expect, it } from 'vitest';
import {
  Av1Depacketizer,
  depacketizerFor,
  H264Depacketizer,
  H265Depacketizer,
  MAX_ACCESS_UNIT_BYTES,
  OpusDepacketizer,
  Vp9Depacketizer,
  type AccessUnit,
} from '../../src/mux/depacketize.js';

function rtp(seq: number, ts: number, marker: boolean, payload: Uint8Array | number[]): Uint8Array {
  const p = Uint8Array.from(payload);
  const b = new Uint8Array(12 + p.length);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | 96;
  b[2] = (seq >> 8) & 0xff;
  b[3] = seq & 0xff;
  new DataView(b.buffer).setUint32(4, ts >>> 0);
  new DataView(b.buffer).setUint32(8, 0x1234);
  b.set(p, 12);
  return b;
}

const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');

function feed(d: { push(r: Uint8Array): AccessUnit[] }, packets: Uint8Array[]): AccessUnit[] {
  return packets.flatMap((p) => d.push(p));
}

describe('H.264 (RFC 6184)', () => {
  const sps = [0x67, 0x42, 0xe0, 0x1f];
  const pps = [0x68, 0xce, 0x3c, 0x80];
  const idr = [0x65, ...Array.from({ length: 10 }, (_, i) => i)];

  it('joins STAP-A and FU-A into one Annex B keyframe, then a single-NAL P frame', () => {
    const d = new H264Depacketizer();
    const stap = [0x18, 0, sps.length, ...sps, 0, pps.length, ...pps];
    const fuStart = [0x7c, 0x85, ...idr.slice(1, 6)];
    const fuEnd = [0x7c, 0x45, ...idr.slice(6)];
    const out = feed(d, [rtp(1, 1000, false, stap), rtp(2, 1000, false, fuStart), rtp(3, 1000, true, fuEnd), rtp(4, 4000, true, [0x41, 1, 2, 3])]);
    expect(out).toHaveLength(2);
    expect(out[0]!.keyframe).toBe(true);
    expect(out[0]!.timestamp).toBe(1000);
    expect(hex(out[0]!.data)).toBe(hex(Uint8Array.from([0, 0, 0, 1, ...sps, 0, 0, 0, 1, ...pps, 0, 0, 0, 1, 0x65, ...idr.slice(1)])));
    expect(out[1]!.keyframe).toBe(false);
    expect(hex(out[1]!.data)).toBe('0000000141010203');
  });

  it('drops a frame with a lost packet and waits for the next keyframe', () => {
    const d = new H264Depacketizer();
    const out = feed(d, [
      rtp(1, 1000, false, [0x7c, 0x85, 1, 2]),
      // seq 2 lost (the FU-A end)
      rtp(3, 4000, true, [0x41, 9]), // a P frame after loss: no reference, dropped
      rtp(4, 7000, true, [0x65, 7, 7]), // IDR: decodable again
      rtp(5, 10000, true, [0x41, 8]),
    ]);
    expect(out.map((a) => [a.timestamp, a.keyframe])).toEqual([
      [7000, true],
      [10000, false],
    ]);
    expect(d.dropped).toBe(2);
  });

  it('waits for a keyframe at the start, ignores duplicates, unwraps timestamps', () => {
    const d = new H264Depacketizer();
    const out = feed(d, [
      rtp(10, 0xffffff00, true, [0x41, 1]),
      rtp(11, 0xffffff10, true, [0x65, 1]),
      rtp(11, 0xffffff10, true, [0x65, 1]),
      rtp(12, 0x10, true, [0x41, 2]),
    ]);
    expect(out.map((a) => a.timestamp)).toEqual([0xffffff10, 0x100000010]);
  });

  it('refuses malformed and oversized input without throwing', () => {
    const d = new H264Depacketizer();
    expect(feed(d, [rtp(1, 0, true, [0x18, 0, 50, 1, 2]), rtp(2, 100, true, [0x7c, 0x45, 1])])).toEqual([]);
    expect(d.push(Uint8Array.of(1, 2, 3))).toEqual([]);
    const big = new Uint8Array(1200);
    big[0] = 0x7c;
    big[1] = 0x05;
    const e = new H264Depacketizer();
    const pk = [rtp(1, 0, false, [0x7c, 0x85, ...big.subarray(2)])];
    for (let i = 0; i < MAX_ACCESS_UNIT_BYTES / 1198 + 2; i++) pk.push(rtp(2 + i, 0, false, big));
    pk.push(rtp(pk.length + 1, 0, true, [0x7c, 0x45, 1]));
    expect(feed(e, pk)).toEqual([]);
  });
});

describe('H.265 (RFC 7798)', () => {
  it('rebuilds an IRAP from an aggregation packet and fragmentation units', () => {
    const d = new H265Depacketizer();
    const vps = [0x40, 0x01, 0xaa];
    const idr = [0x26, 0x01, 1, 2, 3, 4, 5, 6]; // type 19 (IDR_W_RADL)
    const ap = [0x60, 0x01, 0, vps.length, ...vps];
    const fu1 = [0x62, 0x01, 0x80 | 19, ...idr.slice(2, 5)];
    const fu2 = [0x62, 0x01, 0x40 | 19, ...idr.slice(5)];
    const out = feed(d, [rtp(1, 90, false, ap), rtp(2, 90, false, fu1), rtp(3, 90, true, fu2), rtp(4, 180, true, [0x02, 0x01, 9])]);
    expect(out).toHaveLength(2);
    expect(out[0]!.keyframe).toBe(true);
    expect(hex(out[0]!.data)).toBe(hex(Uint8Array.from([0, 0, 0, 1, ...vps, 0, 0, 0, 1, ...idr])));
    expect(out[1]!.keyframe).toBe(false);
  });
});

describe('VP9 (RFC 9628)', () => {
  it('strips descriptors (picture id, layer indices, scalability structure) and joins B..E', () => {
    const d = new Vp9Depacketizer();
    // I|P|L|F|B|E|V|Z: I, L, B, V set; 15-bit picture id; layer byte + TL0PICIDX; SS with Y and G.
    const first = [0x80 | 0x20 | 0x08 | 0x02, 0x80, 0x01, 0x00, 0x05, 0x18, 0x02, 0x80, 0x01, 0x68, 0x01, 0x04, 0x01, 0xaa, 0xbb];
    const last = [0x80 | 0x20 | 0x04, 0x80, 0x01, 0x00, 0x05, 0xcc];
    const out = feed(d, [rtp(1, 0, false, first), rtp(2, 0, true, last), rtp(3, 3000, true, [0x40 | 0x08 | 0x04, 0xdd])]);
    expect(out).toHaveLength(2);
    expect(out[0]!.keyframe).toBe(true);
    expect(hex(out[0]!.data)).toBe('aabbcc');
    expect(out[1]!.keyframe).toBe(false);
    expect(hex(out[1]!.data)).toBe('dd');
  });
});

describe('AV1 (RTP payload format §4.4)', () => {
  it('joins fragmented OBUs, adds size fields, drops temporal delimiters', () => {
    const d = new Av1Depacketizer();
    const seq = [0x08, 0x11, 0x22]; // sequence header OBU (type 1), no size field
    const frame = [0x30, 1, 2, 3, 4, 5]; // frame OBU (type 6)
    const td = [0x12, 0x00]; // temporal delimiter with size field
    // Packet 1: N set, W=0: [len td][len seq][len frame-part]; Y set (frame continues).
    const p1 = [0x40 | 0x08, td.length, ...td, seq.length, ...seq, 3, ...frame.slice(0, 3)];
    // Packet 2: Z set, W=1: the rest of the frame OBU.
    const p2 = [0x80 | 0x10, ...frame.slice(3)];
    const out = feed(d, [rtp(1, 0, false, p1), rtp(2, 0, true, p2), rtp(3, 3000, true, [0x10, 0x30, 9])]);
    expect(out).toHaveLength(2);
    expect(out[0]!.keyframe).toBe(true);
    expect(hex(out[0]!.data)).toBe(hex(Uint8Array.from([0x0a, 2, 0x11, 0x22, 0x32, 5, 1, 2, 3, 4, 5])));
    expect(out[1]!.keyframe).toBe(false);
    expect(hex(out[1]!.data)).toBe('320109');
  });

  it('drops a continuation whose start was lost', () => {
    const d = new Av1Depacketizer();
    expect(feed(d, [rtp(1, 0, true, [0x80 | 0x10 | 0x08, 1, 2])])).toEqual([]);
  });
});

describe('Opus (RFC 7587)', () => {
  it('gives one access unit per packet, and skips a lost one', () => {
    const d = new OpusDepacketizer();
    const out = feed(d, [rtp(1, 0, true, [0xfc, 1]), rtp(2, 960, false, [0xfc, 2]), rtp(4, 2880, false, [0xfc, 4])]);
    expect(out.map((a) => [a.timestamp, hex(a.data)])).toEqual([
      [0, 'fc01'],
      [960, 'fc02'],
      [2880, 'fc04'],
    ]);
  });
});

it('has no depacketizer for VP8 (HLS cannot carry it)', () => {
  expect(depacketizerFor('VP8')).toBeNull();
  expect(depacketizerFor('h264')).toBeInstanceOf(H264Depacketizer);
});
