// RTP/RTCP helpers for the forwarding path (RFC 3550, RFC 4585, RFC 5104, RFC 5761).

export const RTP_MAX_PACKET = 1500;

export interface RtpHeaderInfo {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the CSRC list end, i.e. where a header extension (if any) starts. */
  csrcEnd: number;
  /** Offset of the payload (after any header extension). */
  payloadOffset: number;
}

/** RFC 5761 §4: RTCP packet types 192-223 share the port with RTP; tell them apart by the second byte. */
export function isRtcp(buf: Uint8Array): boolean {
  if (buf.length < 2) return false;
  const pt = buf[1]!;
  return pt >= 192 && pt <= 223;
}

/** Parses a fixed RTP header (RFC 3550 §5.1); null when the packet is malformed. */
export function parseRtpHeader(buf: Uint8Array): RtpHeaderInfo | null {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return null;
  const cc = buf[0]! & 0x0f;
  const csrcEnd = 12 + cc * 4;
  let payloadOffset = csrcEnd;
  if (buf[0]! & 0x10) {
    if (buf.length < csrcEnd + 4) return null;
    const words = (buf[csrcEnd + 2]! << 8) | buf[csrcEnd + 3]!;
    payloadOffset = csrcEnd + 4 + words * 4;
  }
  if (payloadOffset > buf.length) return null;
  return {
    payloadType: buf[1]! & 0x7f,
    marker: (buf[1]! & 0x80) !== 0,
    sequence: (buf[2]! << 8) | buf[3]!,
    timestamp: ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0,
    ssrc: ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0,
    csrcEnd,
    payloadOffset,
  };
}

/** Copies a packet without its header extension (clearing X), so no foreign extension IDs leak. */
export function stripHeaderExtension(buf: Uint8Array): Uint8Array | null {
  const h = parseRtpHeader(buf);
  if (!h) return null;
  if (h.payloadOffset === h.csrcEnd) return buf;
  const out = Buffer.allocUnsafe(buf.length - (h.payloadOffset - h.csrcEnd));
  out.set(buf.subarray(0, h.csrcEnd), 0);
  out.set(buf.subarray(h.payloadOffset), h.csrcEnd);
  out[0] = out[0]! & ~0x10;
  return out;
}

/**
 * Rewrites one upstream RTP flow for one receiver: its own SSRC and payload type, no header
 * extensions, and sequence numbers and timestamps that stay continuous when the upstream
 * source changes (republish, failover), so the receiver's jitter buffer never sees a jump.
 */
export class RtpRewriter {
  private inSsrc = -1;
  private seqOffset = 0;
  private tsOffset = 0;
  private lastSeq = -1;
  private lastTs = 0;
  private lastWallMs = 0;
  packets = 0;
  octets = 0;

  constructor(
    readonly ssrc: number,
    readonly payloadType: number,
    readonly clockRate: number,
  ) {}

  /** Returns a new buffer ready to send, or null for a malformed packet. */
  rewrite(buf: Uint8Array, nowMs: number): Buffer | null {
    const h = parseRtpHeader(buf);
    if (!h) return null;
    if (h.ssrc !== this.inSsrc) this.resync(h, nowMs);
    const extLen = h.payloadOffset - h.csrcEnd;
    const out = Buffer.allocUnsafe(buf.length - extLen);
    out.set(buf.subarray(0, h.csrcEnd), 0);
    if (h.payloadOffset < buf.length) out.set(buf.subarray(h.payloadOffset), h.csrcEnd);
    const seq = (h.sequence + this.seqOffset) & 0xffff;
    const ts = (h.timestamp + this.tsOffset) >>> 0;
    out[0] = out[0]! & ~0x10;
    out[1] = (buf[1]! & 0x80) | this.payloadType;
    out.writeUInt16BE(seq, 2);
    out.writeUInt32BE(ts, 4);
    out.writeUInt32BE(this.ssrc, 8);
    this.lastSeq = seq;
    this.lastTs = ts;
    this.lastWallMs = nowMs;
    this.packets++;
    this.octets += out.length - h.csrcEnd;
    return out;
  }

  get lastTimestamp(): number {
    return this.lastTs;
  }

  get lastWallClockMs(): number {
    return this.lastWallMs;
  }

  private resync(h: RtpHeaderInfo, nowMs: number): void {
    if (this.lastSeq >= 0) {
      // Continue one past the last sequence number, and advance the timestamp by the wall
      // time elapsed since the last packet (at least one tick).
      this.seqOffset = (this.lastSeq + 1 - h.sequence) & 0xffff;
      const elapsed = Math.max(1, Math.round(((nowMs - this.lastWallMs) * this.clockRate) / 1000));
      this.tsOffset = (this.lastTs + elapsed - h.timestamp) >>> 0;
    }
    this.inSsrc = h.ssrc;
  }
}

export interface RtcpFeedback {
  pli: boolean;
  fir: boolean;
}

/** Scans a compound RTCP packet for keyframe requests: PLI (RFC 4585 §6.3.1) and FIR (RFC 5104 §4.3.1). */
export function parseRtcpFeedback(buf: Uint8Array): RtcpFeedback {
  const out = { pli: false, fir: false };
  let off = 0;
  while (off + 4 <= buf.length) {
    const fmt = buf[off]! & 0x1f;
    const pt = buf[off + 1]!;
    const len = (((buf[off + 2]! << 8) | buf[off + 3]!) + 1) * 4;
    if (buf[off]! >> 6 !== 2 || off + len > buf.length) break;
    if (pt === 206 && fmt === 1) out.pli = true;
    else if (pt === 206 && fmt === 4) out.fir = true;
    off += len;
  }
  return out;
}

/** A PLI (RFC 4585 §6.3.1) from senderSsrc about mediaSsrc. */
export function buildPli(senderSsrc: number, mediaSsrc: number): Buffer {
  const b = Buffer.alloc(12);
  b[0] = 0x81;
  b[1] = 206;
  b.writeUInt16BE(2, 2);
  b.writeUInt32BE(senderSsrc >>> 0, 4);
  b.writeUInt32BE(mediaSsrc >>> 0, 8);
  return b;
}

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

/** A sender report with no report blocks (RFC 3550 §6.4.1), mapping wallMs to rtpTs. */
export function buildSenderReport(ssrc: number, wallMs: number, rtpTs: number, packets: number, octets: number): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc >>> 0, 4);
  const seconds = Math.floor(wallMs / 1000);
  const fraction = Math.floor(((wallMs % 1000) / 1000) * 0x1_0000_0000);
  b.writeUInt32BE((seconds + NTP_EPOCH_OFFSET_S) >>> 0, 8);
  b.writeUInt32BE(Math.min(fraction, 0xffffffff) >>> 0, 12);
  b.writeUInt32BE(rtpTs >>> 0, 16);
  b.writeUInt32BE(packets >>> 0, 20);
  b.writeUInt32BE(octets >>> 0, 24);
  return b;
}

export function randomSsrc(): number {
  return (Math.random() * 0xfffffffe + 1) >>> 0;
}

/** An RTCP BYE (RFC 3550 §6.6) for our SSRCs, with a reason: the session is over. */
export function buildBye(ssrcs: readonly number[], reason: string): Buffer {
  const text = Buffer.from(reason, 'utf8').subarray(0, 255);
  const words = 1 + ssrcs.length + Math.ceil((1 + text.length) / 4);
  const b = Buffer.alloc(words * 4);
  b[0] = 0x80 | (ssrcs.length & 0x1f);
  b[1] = 203;
  b.writeUInt16BE(words - 1, 2);
  ssrcs.forEach((s, i) => b.writeUInt32BE(s >>> 0, 4 + 4 * i));
  const off = 4 + 4 * ssrcs.length;
  b[off] = text.length;
  text.copy(b, off + 1);
  return b;
}
