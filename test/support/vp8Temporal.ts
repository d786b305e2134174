// A VP8 stream with temporal layers as libwebrtc sends it (L1T3: TIDs 0,2,1,2 repeating; the
// first TL2 and the TL1 frame of each group reference only TL0, so they carry Y), built by hand
// from RFC 7741 §4.2 for tests: independent of src/ so that the tests judge the parser.

import { rtpPacket } from './rtp.js';

export interface Vp8Frame {
  pictureId: number;
  tl0PicIdx: number;
  tid: number;
  sync: boolean;
  key: boolean;
}

/** The VP8 payload descriptor with X, I (15-bit), L and T, then a payload header (P bit) and filler. */
export function vp8Payload(f: Vp8Frame, first: boolean, size: number, pid7 = false): Buffer {
  const head = [0x80 | (first ? 0x10 : 0), 0xe0];
  if (pid7) head.push(f.pictureId & 0x7f);
  else head.push(0x80 | ((f.pictureId >> 8) & 0x7f), f.pictureId & 0xff);
  head.push(f.tl0PicIdx & 0xff, (f.tid << 6) | (f.sync ? 0x20 : 0));
  const body = Buffer.alloc(Math.max(1, size - head.length), 0x5a);
  body[0] = f.key && first ? 0x00 : 0x01; // VP8 payload header: P=0 on a key frame (RFC 7741 §4.3)
  return Buffer.concat([Buffer.from(head), body]);
}

export interface Vp8Stream {
  /** The packets of the next frame (1-3 of them), and the frame. */
  next(): { frame: Vp8Frame; packets: Buffer[] };
}

/** An L1T3 VP8 stream on one SSRC: a key frame every keyEvery frames, packets of `size` bytes. */
export function vp8L1T3(
  ssrc: number,
  opts: {
    pictureId?: number;
    tl0PicIdx?: number;
    seq?: number;
    keyEvery?: number;
    size?: number;
    packetsPerFrame?: (n: number) => number;
    pid7?: boolean;
  } = {},
): Vp8Stream {
  let pid = opts.pictureId ?? 100;
  let tl0 = opts.tl0PicIdx ?? 250;
  let seq = opts.seq ?? 65_500;
  let n = 0;
  const keyEvery = opts.keyEvery ?? 1_000_000;
  return {
    next() {
      const pos = n % 4;
      const tid = [0, 2, 1, 2][pos]!;
      const key = n % keyEvery === 0;
      if (tid === 0 && n > 0) tl0 = (tl0 + 1) & 0xff;
      const frame: Vp8Frame = { pictureId: pid, tl0PicIdx: tl0, tid, sync: pos === 1 || pos === 2, key };
      const count = opts.packetsPerFrame?.(n) ?? 1 + (n % 3);
      const packets: Buffer[] = [];
      for (let i = 0; i < count; i++)
        packets.push(rtpPacket(ssrc, seq++, n * 3000, i === count - 1, vp8Payload(frame, i === 0, opts.size ?? 300, opts.pid7), 96));
      pid = (pid + 1) & (opts.pid7 ? 0x7f : 0x7fff);
      n++;
      return { frame, packets };
    },
  };
}

/** Reads back what a receiver sees: sequence number, PictureID (15-bit or 7-bit), TL0PICIDX, TID, Y, start of frame, key. */
export function readSent(pkt: Uint8Array): {
  seq: number;
  ssrc: number;
  ts: number;
  pictureId: number;
  tl0PicIdx: number;
  tid: number;
  sync: boolean;
  start: boolean;
  padding: boolean;
} {
  const seq = (pkt[2]! << 8) | pkt[3]!;
  const ts = ((pkt[4]! << 24) | (pkt[5]! << 16) | (pkt[6]! << 8) | pkt[7]!) >>> 0;
  const ssrc = ((pkt[8]! << 24) | (pkt[9]! << 16) | (pkt[10]! << 8) | pkt[11]!) >>> 0;
  const base = 12 + (pkt[0]! & 0x0f) * 4;
  const padding = (pkt[0]! & 0x20) !== 0 && pkt.length - pkt[pkt.length - 1]! <= base;
  if (padding) return { seq, ssrc, ts, pictureId: -1, tl0PicIdx: -1, tid: -1, sync: false, start: false, padding };
  let o = base + 2;
  let pictureId: number;
  if (pkt[o]! & 0x80) {
    pictureId = ((pkt[o]! & 0x7f) << 8) | pkt[o + 1]!;
    o += 2;
  } else pictureId = pkt[o++]! & 0x7f;
  const tl0PicIdx = pkt[o++]!;
  const t = pkt[o]!;
  return { seq, ssrc, ts, pictureId, tl0PicIdx, tid: t >> 6, sync: (t & 0x20) !== 0, start: (pkt[base]! & 0x10) !== 0, padding };
}

/**
 * Where VP8 numbering breaks in the frames a receiver got, in order: PictureID must go +1 frame
 * to frame (15 bits), TL0PICIDX +1 at each TL0 frame and stay put otherwise (8 bits). Empty
 * when every frame is numbered as libwebrtc's receiver needs (RtpVp8RefFinder).
 */
export function vp8NumberingBreaks(frames: ReadonlyArray<{ pictureId: number; tl0: number; tid: number }>): string[] {
  const breaks: string[] = [];
  for (let i = 1; i < frames.length; i++) {
    const [a, b] = [frames[i - 1]!, frames[i]!];
    const pid = (a.pictureId + 1) & 0x7fff;
    const tl0 = b.tid === 0 ? (a.tl0 + 1) & 0xff : a.tl0;
    if (b.pictureId !== pid) breaks.push(`PictureID at ${i}: ${b.pictureId}, expected ${pid}`);
    if (b.tl0 !== tl0) breaks.push(`TL0PICIDX at ${i}: ${b.tl0}, expected ${tl0}`);
  }
  return breaks;
}
