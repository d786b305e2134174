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
