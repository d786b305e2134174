// AV1 RTP payloads with temporal layers, built by hand for tests from the AV1 RTP payload format
// (https://aomediacodec.github.io/av1-rtp-spec/ §4.4 aggregation header, §4.5 OBU elements) and
// the AV1 bitstream's OBU header (AV1 §5.3.2-5.3.3): independent of src/ so that the tests judge
// the parser.

import { rtpPacket } from './rtp.js';

export const OBU_SEQUENCE_HEADER = 1;
export const OBU_TEMPORAL_DELIMITER = 2;
export const OBU_FRAME_HEADER = 3;
export const OBU_TILE_GROUP = 4;
export const OBU_METADATA = 5;
export const OBU_FRAME = 6;
export const OBU_PADDING = 15;

/** LEB128 (AV1 §4.10.5): 7 bits a byte, low first, the top bit set on all but the last. */
export function leb128(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** One OBU without obu_size (as RTP carries them, §4.5): header, extension header when tid is given, then `size` filler bytes. */
export function obu(type: number, size: number, layer?: { tid: number; sid?: number }): Buffer {
  const head = [(type << 3) | (layer ? 0x04 : 0)];
  if (layer) head.push((layer.tid << 5) | ((layer.sid ?? 0) << 3));
  return Buffer.concat([Buffer.from(head), Buffer.alloc(size, 0x3c)]);
}

/**
 * An RTP payload of these OBU elements: the aggregation header Z|Y|W|N, then each element with
 * its LEB128 length, except the last when w is 1..3 (w must then equal the element count).
 */
export function av1Payload(elements: Buffer[], f: { z?: boolean; y?: boolean; n?: boolean; w?: number } = {}): Buffer {
  const w = f.w ?? 0;
  if (w !== 0 && w !== elements.length) throw new Error(`W=${w} with ${elements.length} elements`);
  const agg = (f.z ? 0x80 : 0) | (f.y ? 0x40 : 0) | (w << 4) | (f.n ? 0x08 : 0);
  const parts: Buffer[] = [Buffer.from([agg])];
  elements.forEach((e, i) => {
    if (w === 0 || i < elements.length - 1) parts.push(leb128(e.length));
    parts.push(e);
  });
  return Buffer.concat(parts);
}

/**
 * Packetizes one temporal unit's OBUs into payloads of at most `max` element bytes each, in
 * order, fragmenting an OBU across packets (Z on the packet that continues one, Y on the one
 * that leaves one to continue), N on the first packet of a key frame. W is the element count
 * when it is 1..3 and `useW`, else 0.
 */
export function packetize(obus: Buffer[], max: number, key: boolean, useW = true): Buffer[] {
  const packets: Buffer[] = [];
  let elems: Buffer[] = [];
  let used = 0;
  let z = false;
  const flush = (y: boolean) => {
    const w = useW && elems.length <= 3 ? elems.length : 0;
    packets.push(av1Payload(elems, { z, y, n: key && packets.length === 0, w }));
    z = y;
    elems = [];
    used = 0;
  };
  for (const o of obus) {
    let off = 0;
    while (off < o.length) {
      if (used >= max) flush(false);
      const take = Math.min(o.length - off, max - used);
      elems.push(o.subarray(off, off + take));
      used += take;
      off += take;
      if (off < o.length) flush(true);
    }
  }
  if (elems.length > 0) flush(false);
  return packets;
}

export interface Av1Frame {
  tid: number;
  key: boolean;
  /** The frame's RTP timestamp. */
  ts: number;
}

/**
 * An L1T3 AV1 stream on one SSRC as libwebrtc's encoder with scalabilityMode 'L1T3' lays it out
 * (TIDs 0,2,1,2 repeating; every OBU but the sequence header with an extension header): a key
 * frame (sequence header, then the frame OBU) every keyEvery frames, frame OBUs of `size` bytes
 * packetized `max` bytes at a time.
 */
export function av1L1T3(
  ssrc: number,
  opts: { seq?: number; ts?: number; keyEvery?: number; size?: (n: number) => number; max?: number; useW?: boolean } = {},
): { next(): { frame: Av1Frame; packets: Buffer[] } } {
  let seq = opts.seq ?? 65_530;
  let n = 0;
  const keyEvery = opts.keyEvery ?? 1_000_000;
  return {
    next() {
      const tid = [0, 2, 1, 2][n % 4]!;
      const key = n % keyEvery === 0;
      const ts = ((opts.ts ?? 4_294_960_000) + n * 3000) >>> 0;
      const obus = key ? [obu(OBU_SEQUENCE_HEADER, 10), obu(OBU_FRAME, opts.size?.(n) ?? 500, { tid: 0 })] : [obu(OBU_FRAME, opts.size?.(n) ?? 500, { tid })];
      const payloads = packetize(obus, opts.max ?? 400, key, opts.useW ?? true);
      const packets = payloads.map((p, i) => rtpPacket(ssrc, seq++, ts, i === payloads.length - 1, p, 45));
      n++;
      return { frame: { tid, key: key && tid === 0, ts }, packets };
    },
  };
}

/**
 * One frame in one RTP payload of exactly `size` bytes (size >= 16), as a layer of
 * publishSimulcast sends it: a delta frame is one frame OBU of layer tid (W=1); a key frame is
 * a sequence header, then the frame OBU of TL0 (W=2, N set).
 */
export function av1FramePayload(tid: number, key: boolean, size: number): Buffer {
  if (!key) return av1Payload([obu(OBU_FRAME, size - 3, { tid })], { w: 1 });
  const seq = obu(OBU_SEQUENCE_HEADER, 8);
  return av1Payload([seq, obu(OBU_FRAME, size - 2 - seq.length - 2, { tid: 0 })], { w: 2, n: true });
}

/** Reads back av1FramePayload: its size, TID and whether it is a key frame. */
export function readAv1FramePayload(p: Buffer): { size: number; tid: number; key: boolean } {
  const key = (p[0]! & 0x08) !== 0;
  return { size: p.length, tid: key ? 0 : p[2]! >> 5, key };
}
