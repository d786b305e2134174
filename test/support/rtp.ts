/**
 * Minimal, self-contained RTP/RTCP helpers for the test support code.
 *
 * Deliberately independent of src/ so the test harness can judge the
 * production code rather than share its bugs. Multi-byte fields are
 * big-endian (network order), as in RFC 3550.
 */

export const RTP_MIN_HEADER = 12;

export interface RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcCount: number;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Bytes before the payload: fixed header + CSRCs + header extension. */
  headerLength: number;
  /** Bytes of padding at the end (0 when the P bit is clear). */
  paddingLength: number;
  /** Payload bytes, excluding header and padding. */
  payloadLength: number;
}

/**
 * True when the packet looks like RTCP rather than RTP (RFC 5761 §4:
 * second byte 192..223, i.e. RTCP packet types SR=200 .. PSFB=206 etc.).
 */
export function isRtcp(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0]! >> 6 === 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

/** Parse an RTP header; throws on anything that is not a well-formed RTP v2 packet. */
export function parseRtp(buf: Uint8Array): RtpHeader {
  if (buf.length < RTP_MIN_HEADER) throw new Error(`RTP packet too short (${buf.length} bytes)`);
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  const version = b0 >> 6;
  if (version !== 2) throw new Error(`not RTP version 2 (version ${version})`);
  const padding = (b0 & 0x20) !== 0;
  const extension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLength = RTP_MIN_HEADER + 4 * csrcCount;
  if (buf.length < headerLength) throw new Error('RTP packet truncated in CSRC list');
  if (extension) {
    if (buf.length < headerLength + 4) throw new Error('RTP packet truncated in extension header');
    const words = view.getUint16(headerLength + 2);
    headerLength += 4 + 4 * words;
    if (buf.length < headerLength) throw new Error('RTP packet truncated in header extension');
  }
  let paddingLength = 0;
  if (padding) {
    paddingLength = buf[buf.length - 1]!;
    if (paddingLength === 0 || headerLength + paddingLength > buf.length) {
      throw new Error(`bad RTP padding length ${paddingLength}`);
    }
  }
  return {
    version,
    padding,
    extension,
    csrcCount,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    headerLength,
    paddingLength,
    payloadLength: buf.length - headerLength - paddingLength,
  };
}

/** The RTP payload (a view, not a copy), without header and padding. */
/** A plain RTP packet (RFC 3550 §5.1: version 2, no padding, extension or CSRC) around payload. */
export function rtpPacket(ssrc: number, seq: number, ts: number, marker: boolean, payload: Buffer, pt: number): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (marker ? 0x80 : 0) | pt;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([h, payload]);
}

export function rtpPayload(buf: Buffer): Buffer {
  const h = parseRtp(buf);
  return buf.subarray(h.headerLength, h.headerLength + h.payloadLength);
}

export function setPayloadType(buf: Uint8Array, pt: number): void {
  buf[1] = (buf[1]! & 0x80) | (pt & 0x7f);
}

export function setSequenceNumber(buf: Uint8Array, seq: number): void {
  buf[2] = (seq >>> 8) & 0xff;
  buf[3] = seq & 0xff;
}

export function setTimestamp(buf: Uint8Array, ts: number): void {
  new DataView(buf.buffer, buf.byteOffset, buf.byteLength).setUint32(4, ts >>> 0);
}

export function setSsrc(buf: Uint8Array, ssrc: number): void {
  new DataView(buf.buffer, buf.byteOffset, buf.byteLength).setUint32(8, ssrc >>> 0);
}

/** (a - b) modulo 2^16, in 0..65535. */
export function seqDiff(a: number, b: number): number {
  return (a - b) & 0xffff;
}

/** A random non-zero 32-bit SSRC. */
export function randomSsrc(): number {
  return (Math.floor(Math.random() * 0xfffffffe) + 1) >>> 0;
}

/** RTCP payload-specific feedback: Picture Loss Indication (RFC 4585 §6.3.1). */
export function buildPli(senderSsrc: number, mediaSsrc: number): Buffer {
  const b = Buffer.alloc(12);
  b[0] = 0x80 | 1; // V=2, P=0, FMT=1 (PLI)
  b[1] = 206; // PSFB
  b.writeUInt16BE(2, 2); // length in 32-bit words minus one
  b.writeUInt32BE(senderSsrc >>> 0, 4);
  b.writeUInt32BE(mediaSsrc >>> 0, 8);
  return b;
}

export interface RtcpPacketInfo {
  packetType: number;
  /** FMT for feedback packets (RTPFB/PSFB), RC/SC count otherwise. */
  fmt: number;
  senderSsrc: number;
  /** Media source SSRC for feedback packets (PT 205/206), otherwise undefined. */
  mediaSsrc?: number;
}

/**
 * Walk a (possibly compound) RTCP packet and describe each sub-packet.
 * Stops quietly at the first malformed sub-packet.
 */
export function parseRtcp(buf: Uint8Array): RtcpPacketInfo[] {
  const out: RtcpPacketInfo[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  while (off + 8 <= buf.length) {
    const b0 = buf[off]!;
    if (b0 >> 6 !== 2) break;
    const packetType = buf[off + 1]!;
    const len = (view.getUint16(off + 2) + 1) * 4;
    if (off + len > buf.length) break;
    const info: RtcpPacketInfo = { packetType, fmt: b0 & 0x1f, senderSsrc: view.getUint32(off + 4) };
    if ((packetType === 205 || packetType === 206) && len >= 12) info.mediaSsrc = view.getUint32(off + 8);
    out.push(info);
    off += len;
  }
  return out;
}

/** True when the RTCP packet contains a PLI (206/1) or FIR (206/4). */
export function isKeyframeRequest(buf: Uint8Array): boolean {
  return parseRtcp(buf).some((p) => p.packetType === 206 && (p.fmt === 1 || p.fmt === 4));
}

/**
 * Generic NACK (RFC 4585 §6.2.1): one FCI entry per PID with a bitmask (BLP) of the 16
 * following sequence numbers. `seqs` must be in order (wraparound allowed).
 */
export function buildNack(senderSsrc: number, mediaSsrc: number, seqs: readonly number[]): Buffer {
  const entries: Array<[number, number]> = [];
  for (const s of seqs) {
    const last = entries[entries.length - 1];
    const d = last ? seqDiff(s, last[0]) : 0;
    if (last && d >= 1 && d <= 16) last[1] |= 1 << (d - 1);
    else if (!last || d !== 0) entries.push([s & 0xffff, 0]);
  }
  const b = Buffer.alloc(12 + 4 * entries.length);
  b[0] = 0x80 | 1; // FMT=1: generic NACK
  b[1] = 205; // RTPFB
  b.writeUInt16BE(2 + entries.length, 2);
  b.writeUInt32BE(senderSsrc >>> 0, 4);
  b.writeUInt32BE(mediaSsrc >>> 0, 8);
  entries.forEach(([pid, blp], i) => {
    b.writeUInt16BE(pid, 12 + 4 * i);
    b.writeUInt16BE(blp, 14 + 4 * i);
  });
  return b;
}

/** The sequence numbers every generic NACK in a (compound) RTCP packet asks for, by media SSRC. */
export function nackedSequences(buf: Uint8Array): Array<{ mediaSsrc: number; seqs: number[] }> {
  const out: Array<{ mediaSsrc: number; seqs: number[] }> = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  while (off + 12 <= buf.length && buf[off]! >> 6 === 2) {
    const len = (view.getUint16(off + 2) + 1) * 4;
    if (off + len > buf.length) break;
    if (buf[off + 1] === 205 && (buf[off]! & 0x1f) === 1) {
      const seqs: number[] = [];
      for (let o = off + 12; o + 4 <= off + len; o += 4) {
        const pid = view.getUint16(o);
        const blp = view.getUint16(o + 2);
        seqs.push(pid);
        for (let i = 0; i < 16; i++) if (blp & (1 << i)) seqs.push((pid + i + 1) & 0xffff);
      }
      out.push({ mediaSsrc: view.getUint32(off + 8), seqs });
    }
    off += len;
  }
  return out;
}

/**
 * RTX (RFC 4588 §4): the original sequence number (OSN) goes first in the payload; the header
 * takes the RTX SSRC, payload type and sequence number.
 */
export function makeRtx(pkt: Buffer, rtxSsrc: number, rtxPt: number, rtxSeq: number): Buffer {
  const h = parseRtp(pkt);
  const out = Buffer.concat([Buffer.from(pkt.subarray(0, h.headerLength)), Buffer.alloc(2), Buffer.from(pkt.subarray(h.headerLength))]);
  out.writeUInt16BE(h.sequenceNumber, h.headerLength);
  setPayloadType(out, rtxPt);
  setSequenceNumber(out, rtxSeq);
  setSsrc(out, rtxSsrc);
  return out;
}

/** The original packet inside an RTX packet, or null for an RTX packet with no OSN (padding). */
export function openRtx(rtx: Buffer, mediaSsrc: number, mediaPt: number): Buffer | null {
  const h = parseRtp(rtx);
  if (h.payloadLength < 2) return null;
  const osn = rtx.readUInt16BE(h.headerLength);
  const out = Buffer.concat([Buffer.from(rtx.subarray(0, h.headerLength)), rtx.subarray(h.headerLength + 2)]);
  setPayloadType(out, mediaPt);
  setSequenceNumber(out, osn);
  setSsrc(out, mediaSsrc);
  return out;
}

/** A seeded pseudo-random generator (mulberry32): loss patterns that repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
