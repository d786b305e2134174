// RTP helpers for the forwarding path (RFC 3550, RFC 4588, RFC 5761); RTCP lives in rtcp.ts.
import { SkipList } from './skips.js';

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

const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** (a - b) as a signed 16-bit distance: positive when a is newer than b (RFC 3550 §A.1). */
function delta16(a: number, b: number): number {
  return (((a - b) & 0xffff) << 16) >> 16;
}

/**
 * Rewrites one upstream RTP flow for one receiver: its own SSRC and payload type, no header
 * extensions, and sequence numbers and timestamps that stay continuous when the upstream
 * source changes (republish, failover), so the receiver's jitter buffer never sees a jump.
 *
 * Each upstream SSRC starts an epoch with its own offsets. A late packet (recovered upstream
 * and forwarded out of order) is rewritten with the offsets of its epoch but does not move the
 * newest sequence number and timestamp, which the next epoch and the sender reports build on.
 * Only the current epoch can be mapped back for retransmission (mapBack): an older source's
 * packets are no longer in any history.
 */
export class RtpRewriter {
  private inSsrc = -1;
  private seqOffset = 0;
  private tsOffset = 0;
  /** Our sequence number of the first packet of the current epoch. */
  private epochFirst = 0;
  private lastSeq = -1;
  private lastTs = 0;
  private lastWallMs = 0;
  /**
   * Upstream sequence numbers of the current epoch left out on purpose (skip(): a dropped
   * temporal layer), so that the receiver sees no gap to NACK.
   */
  private readonly skips = new SkipList(16);
  packets = 0;
  octets = 0;

  constructor(
    readonly ssrc: number,
    readonly payloadType: number,
    readonly clockRate: number,
  ) {}

  /** Returns a new buffer ready to send, or null for a malformed packet. */
  rewrite(buf: Uint8Array, nowMs: number): Buffer | null {
    // Parsed inline (no header object): this runs once per packet per viewer.
    const len = buf.length;
    if (len < 12 || buf[0]! >> 6 !== 2) return null;
    const csrcEnd = 12 + (buf[0]! & 0x0f) * 4;
    let payloadOffset = csrcEnd;
    if (buf[0]! & 0x10) {
      if (len < csrcEnd + 4) return null;
      payloadOffset = csrcEnd + 4 + ((buf[csrcEnd + 2]! << 8) | buf[csrcEnd + 3]!) * 4;
    }
    if (payloadOffset > len) return null;
    const inSeq = (buf[2]! << 8) | buf[3]!;
    const inTs = u32(buf, 4);
    const inSsrc = u32(buf, 8);
    if (inSsrc !== this.inSsrc) this.resync(inSeq, inTs, inSsrc, nowMs);
    // A packet so late that the skips around it are forgotten has no number left to take.
    if (this.skips.size > 0 && !this.skips.exact(inSeq)) return null;
    const seq = this.outSeq(inSeq);
    this.skips.see(inSeq);
    const ts = (inTs + this.tsOffset) >>> 0;
    const out = this.write(buf, csrcEnd, payloadOffset, seq, ts);
    if (this.lastSeq < 0 || delta16(seq, this.lastSeq) > 0) {
      this.lastSeq = seq;
      this.lastTs = ts;
      this.lastWallMs = nowMs;
    }
    this.packets++;
    this.octets += out.length - csrcEnd;
    return out;
  }

  /**
   * Rewrites a packet of the current epoch again (a retransmission from a history), with the
   * offsets its first copy got; null when it belongs to another source or is malformed.
   * Changes no state.
   */
  rewriteAgain(buf: Uint8Array): Buffer | null {
    const h = parseRtpHeader(buf);
    if (!h || h.ssrc !== this.inSsrc || !this.skips.exact(h.sequence)) return null;
    return this.write(buf, h.csrcEnd, h.payloadOffset, this.outSeq(h.sequence), (h.timestamp + this.tsOffset) >>> 0);
  }

  /**
   * Leaves this upstream packet out without a gap in our sequence numbers: the packets after it
   * are numbered one lower (a late packet keeps the number it was given room for). Only the
   * newest packet of the epoch can be left out so; false for an older one (its number is
   * already between two sent ones: send rewritePadding in its place) or a malformed one.
   */
  skip(buf: Uint8Array, nowMs: number): boolean {
    if (buf.length < 12 || buf[0]! >> 6 !== 2) return false;
    const inSeq = (buf[2]! << 8) | buf[3]!;
    const inSsrc = u32(buf, 8);
    if (inSsrc !== this.inSsrc) this.resync(inSeq, u32(buf, 4), inSsrc, nowMs);
    if (!this.skips.skip(inSeq)) return false;
    this.seqOffset = (this.seqOffset - 1) & 0xffff;
    return true;
  }

  /**
   * A padding-only packet (RFC 3550 §5.1: P set, no payload, 4 octets of padding) with the
   * sequence number and timestamp this upstream packet gets: it fills the place of a late packet
   * that is not sent, so the receiver does not NACK it (a WebRTC receiver takes an empty packet
   * as received, with nothing to decode). Null for a malformed packet or another source's.
   */
  rewritePadding(buf: Uint8Array): Buffer | null {
    const h = parseRtpHeader(buf);
    if (!h || h.ssrc !== this.inSsrc || !this.skips.exact(h.sequence)) return null;
    const out = Buffer.alloc(16);
    out[0] = 0xa0; // V=2, P=1, no extension, no CSRC
    out[1] = this.payloadType;
    const seq = this.outSeq(h.sequence);
    out[2] = seq >> 8;
    out[3] = seq & 0xff;
    out.writeUInt32BE((h.timestamp + this.tsOffset) >>> 0, 4);
    out.writeUInt32BE(this.ssrc, 8);
    out[15] = 4;
    this.packets++;
    return out;
  }

  /** Our sequence number for an upstream one of the current epoch (skips newer than it do not count). */
  private outSeq(inSeq: number): number {
    const s = this.skips;
    return (inSeq + this.seqOffset + (s.size > 0 ? s.newerThan(inSeq) : 0)) & 0xffff;
  }

  /**
   * The upstream sequence number our sequence number seq was made from, or -1 when seq is not
   * from the current epoch (an earlier source, or not sent yet).
   */
  mapBack(seq: number): number {
    if (this.lastSeq < 0) return -1;
    if (((seq - this.epochFirst) & 0xffff) > ((this.lastSeq - this.epochFirst) & 0xffff)) return -1;
    const plain = (seq - this.seqOffset) & 0xffff;
    return this.skips.size > 0 ? this.skips.unmap(plain) : plain;
  }

  /** Our newest sequence number sent (-1 before the first packet). */
  get lastSequence(): number {
    return this.lastSeq;
  }

  /** The upstream SSRC of the current epoch (-1 before the first packet). */
  get sourceSsrc(): number {
    return this.inSsrc;
  }

  get lastTimestamp(): number {
    return this.lastTs;
  }

  get lastWallClockMs(): number {
    return this.lastWallMs;
  }

  private write(buf: Uint8Array, csrcEnd: number, payloadOffset: number, seq: number, ts: number): Buffer {
    const out = Buffer.allocUnsafe(buf.length - (payloadOffset - csrcEnd));
    out.set(buf.subarray(0, csrcEnd), 0);
    if (payloadOffset < buf.length) out.set(buf.subarray(payloadOffset), csrcEnd);
    out[0] = out[0]! & ~0x10;
    out[1] = (buf[1]! & 0x80) | this.payloadType;
    out[2] = seq >> 8;
    out[3] = seq & 0xff;
    out.writeUInt32BE(ts, 4);
    out.writeUInt32BE(this.ssrc, 8);
    return out;
  }

  private resync(seq: number, ts: number, ssrc: number, nowMs: number): void {
    if (this.lastSeq >= 0) {
      // Continue one past the last sequence number, and advance the timestamp by the wall
      // time elapsed since the last packet (at least one tick).
      this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
      const elapsed = Math.max(1, Math.round(((nowMs - this.lastWallMs) * this.clockRate) / 1000));
      this.tsOffset = (this.lastTs + elapsed - ts) >>> 0;
    }
    this.inSsrc = ssrc;
    this.epochFirst = (seq + this.seqOffset) & 0xffff;
    this.skips.clear();
  }
}

/**
 * An RTX packet (RFC 4588 §4) carrying the media packet pkt: the RTX SSRC, payload type and
 * sequence number, the original timestamp and marker, and the original sequence number (OSN)
 * in the first two payload bytes. Header extensions are dropped; CSRCs and padding are kept.
 */
export function wrapRtx(pkt: Uint8Array, rtxSsrc: number, rtxPayloadType: number, rtxSeq: number): Buffer | null {
  const h = parseRtpHeader(pkt);
  if (!h) return null;
  const out = Buffer.allocUnsafe(h.csrcEnd + 2 + pkt.length - h.payloadOffset);
  out.set(pkt.subarray(0, h.csrcEnd), 0);
  out[0] = out[0]! & ~0x10;
  out[1] = (pkt[1]! & 0x80) | (rtxPayloadType & 0x7f);
  out.writeUInt16BE(rtxSeq & 0xffff, 2);
  out.writeUInt32BE(rtxSsrc >>> 0, 8);
  out.writeUInt16BE(h.sequence, h.csrcEnd);
  out.set(pkt.subarray(h.payloadOffset), h.csrcEnd + 2);
  return out;
}

/**
 * The media packet inside an RTX packet (RFC 4588 §4): sequence number from the OSN, the given
 * media SSRC and payload type (the one `apt` names), no header extension. Null for a malformed
 * packet or one with no OSN (an RTX padding-only probe).
 */
export function unwrapRtx(rtx: Uint8Array, mediaSsrc: number, mediaPayloadType: number): Buffer | null {
  const h = parseRtpHeader(rtx);
  if (!h) return null;
  const pad = rtx[0]! & 0x20 ? rtx[rtx.length - 1]! : 0;
  if (rtx.length - pad - h.payloadOffset < 2) return null;
  const out = Buffer.allocUnsafe(h.csrcEnd + rtx.length - h.payloadOffset - 2);
  out.set(rtx.subarray(0, h.csrcEnd), 0);
  out[0] = out[0]! & ~0x10;
  out[1] = (rtx[1]! & 0x80) | (mediaPayloadType & 0x7f);
  out[2] = rtx[h.payloadOffset]!;
  out[3] = rtx[h.payloadOffset + 1]!;
  out.writeUInt32BE(mediaSsrc >>> 0, 8);
  out.set(rtx.subarray(h.payloadOffset + 2), h.csrcEnd);
  return out;
}

/** RTP sequence number and SSRC without a header object (the history's per-packet path). */
export function rtpSeq(buf: Uint8Array): number {
  return (buf[2]! << 8) | buf[3]!;
}

export function rtpSsrc(buf: Uint8Array): number {
  return u32(buf, 8);
}

export function randomSsrc(): number {
  return (Math.random() * 0xfffffffe + 1) >>> 0;
}
