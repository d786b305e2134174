// RTCP parsing and building for loss repair and receiver feedback: RFC 3550 (SR, RR, SDES),
// RFC 4585 (generic NACK, PLI), RFC 5104 (FIR) and draft-alvestrand-rmcat-remb (REMB).
// Nothing here is on the per-packet media path: RTCP arrives a few times per second per peer.

/** Upper bound on the sequence numbers taken from one compound packet (a hostile NACK can list ~6,000). */
export const MAX_NACK_SEQS = 1024;

export interface RtcpReportBlock {
  /** The source this block reports on. */
  ssrc: number;
  fractionLost: number;
  cumulativeLost: number;
  highestSeq: number;
  jitter: number;
  /** Middle 32 bits of the NTP time of the last SR from that source (0: none yet). */
  lsr: number;
  /** Delay since that SR, in 1/65536 s. */
  dlsr: number;
}

export interface RtcpNack {
  senderSsrc: number;
  mediaSsrc: number;
  /** Lost sequence numbers, in the order listed. */
  seqs: number[];
}

export interface RtcpInfo {
  /** Sender reports: sender SSRC and the middle 32 bits of their NTP time (for LSR). */
  senderReports: Array<{ ssrc: number; ntpMiddle: number }>;
  /** Report blocks of SRs and RRs. */
  reports: RtcpReportBlock[];
  nacks: RtcpNack[];
  /** Media source SSRCs of PLIs. */
  plis: number[];
  /** Target SSRCs of FIRs (from the FCI, RFC 5104 §4.3.1.1: the header's media SSRC is 0). */
  firs: number[];
  /** The last REMB's bitrate, bits/s (draft-alvestrand-rmcat-remb §2.2); absent without one. */
  remb?: number;
}

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

function readBlocks(buf: Uint8Array, off: number, end: number, count: number, out: RtcpReportBlock[]): void {
  for (let i = 0; i < count && off + 24 <= end; i++, off += 24) {
    const lost = (((buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!) << 8) >> 8; // 24-bit signed
    out.push({
      ssrc: u32(buf, off),
      fractionLost: buf[off + 4]!,
      cumulativeLost: lost,
      highestSeq: u32(buf, off + 8),
      jitter: u32(buf, off + 12),
      lsr: u32(buf, off + 16),
      dlsr: u32(buf, off + 20),
    });
  }
}

/**
 * Appends the sequence numbers of generic NACK FCI entries (RFC 4585 §6.2.1): each entry is a
 * PID and a bitmask of the 16 following packets (BLP), modulo 2^16.
 */
export function readNackItems(buf: Uint8Array, off: number, end: number, out: number[], limit = MAX_NACK_SEQS): void {
  for (; off + 4 <= end && out.length < limit; off += 4) {
    const pid = u16(buf, off);
    const blp = u16(buf, off + 2);
    out.push(pid);
    for (let i = 0; i < 16 && blp >> i !== 0; i++) if (blp & (1 << i)) out.push((pid + i + 1) & 0xffff);
  }
  if (out.length > limit) out.length = limit;
}

/**
 * Parses a compound RTCP packet (RFC 3550 §6.1); stops at the first malformed part. Returns
 * null when not even the first part is well-formed.
 */
export function parseRtcp(buf: Uint8Array): RtcpInfo | null {
  const info: RtcpInfo = { senderReports: [], reports: [], nacks: [], plis: [], firs: [] };
  let off = 0;
  let parts = 0;
  let seqs = 0;
  while (off + 4 <= buf.length) {
    if (buf[off]! >> 6 !== 2) break;
    const count = buf[off]! & 0x1f;
    const pt = buf[off + 1]!;
    const end = off + (u16(buf, off + 2) + 1) * 4;
    if (end > buf.length) break;
    parts++;
    if (pt === 200 && end - off >= 28) {
      info.senderReports.push({ ssrc: u32(buf, off + 4), ntpMiddle: u32(buf, off + 10) });
      readBlocks(buf, off + 28, end, count, info.reports);
    } else if (pt === 201 && end - off >= 8) {
      readBlocks(buf, off + 8, end, count, info.reports);
    } else if ((pt === 205 || pt === 206) && end - off >= 12) {
      const sender = u32(buf, off + 4);
      const media = u32(buf, off + 8);
      if (pt === 205 && count === 1) {
        const list: number[] = [];
        readNackItems(buf, off + 12, end, list, MAX_NACK_SEQS - seqs);
        seqs += list.length;
        info.nacks.push({ senderSsrc: sender, mediaSsrc: media, seqs: list });
      } else if (pt === 206 && count === 1) {
        info.plis.push(media);
      } else if (pt === 206 && count === 4) {
        // FCI: SSRC, seq nr, reserved (RFC 5104 §4.3.1.1), one entry per target.
        for (let o = off + 12; o + 8 <= end; o += 8) info.firs.push(u32(buf, o));
      } else if (
        pt === 206 &&
        count === 15 &&
        end - off >= 20 &&
        buf[off + 12] === 0x52 &&
        buf[off + 13] === 0x45 &&
        buf[off + 14] === 0x4d &&
        buf[off + 15] === 0x42
      ) {
        // REMB ("REMB", num SSRC, BR Exp 6 bits, BR Mantissa 18 bits).
        const exp = buf[off + 17]! >> 2;
        const mantissa = ((buf[off + 17]! & 3) << 16) | (buf[off + 18]! << 8) | buf[off + 19]!;
        info.remb = mantissa * 2 ** exp;
      }
    }
    off = end;
  }
  return parts > 0 ? info : null;
}

/** (a - b) as a signed 16-bit distance: positive when a is newer than b (RFC 3550 §A.1 wraparound). */
export function seqDelta(a: number, b: number): number {
  return (((a - b) & 0xffff) << 16) >> 16;
}

/**
 * A generic NACK (RFC 4585 §6.2.1) for the given lost sequence numbers, any order, wraparound
 * allowed (they are ordered relative to the first): as few PID/BLP entries as possible.
 */
export function buildNack(senderSsrc: number, mediaSsrc: number, seqs: readonly number[]): Buffer {
  const ref = seqs[0] ?? 0;
  const sorted = [...seqs].sort((a, b) => seqDelta(a, ref) - seqDelta(b, ref));
  const items: number[] = [];
  let pid = -1;
  let blp = 0;
  for (const s of sorted) {
    const d = pid < 0 ? -1 : (s - pid) & 0xffff;
    if (d === 0) continue;
    if (d >= 1 && d <= 16) {
      blp |= 1 << (d - 1);
      continue;
    }
    if (pid >= 0) items.push(pid, blp);
    pid = s & 0xffff;
    blp = 0;
  }
  if (pid >= 0) items.push(pid, blp);
  const n = items.length / 2;
  const b = Buffer.alloc(12 + 4 * n);
  b[0] = 0x81; // V=2, FMT=1 (generic NACK)
  b[1] = 205; // RTPFB
  b.writeUInt16BE(2 + n, 2);
  b.writeUInt32BE(senderSsrc >>> 0, 4);
  b.writeUInt32BE(mediaSsrc >>> 0, 8);
  for (let i = 0; i < n; i++) {
    b.writeUInt16BE(items[2 * i]!, 12 + 4 * i);
    b.writeUInt16BE(items[2 * i + 1]!, 14 + 4 * i);
  }
  return b;
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

/** The middle 32 bits of an SR's NTP timestamp: what a report block's LSR echoes (RFC 3550 §6.4.1). */
export function srNtpMiddle(sr: Uint8Array): number {
  return u32(sr, 10);
}

/** A receiver report (RFC 3550 §6.4.2) with up to 31 report blocks. */
export function buildReceiverReport(senderSsrc: number, blocks: readonly RtcpReportBlock[]): Buffer {
  const n = Math.min(31, blocks.length);
  const b = Buffer.alloc(8 + 24 * n);
  b[0] = 0x80 | n;
  b[1] = 201;
  b.writeUInt16BE(1 + 6 * n, 2);
  b.writeUInt32BE(senderSsrc >>> 0, 4);
  for (let i = 0; i < n; i++) {
    const r = blocks[i]!;
    const o = 8 + 24 * i;
    b.writeUInt32BE(r.ssrc >>> 0, o);
    b[o + 4] = Math.max(0, Math.min(255, r.fractionLost));
    // Cumulative lost is a 24-bit signed count (duplicates can make it negative), clamped.
    const lost = Math.max(-0x800000, Math.min(0x7fffff, r.cumulativeLost)) & 0xffffff;
    b[o + 5] = lost >> 16;
    b[o + 6] = (lost >> 8) & 0xff;
    b[o + 7] = lost & 0xff;
    b.writeUInt32BE(r.highestSeq >>> 0, o + 8);
    b.writeUInt32BE(r.jitter >>> 0, o + 12);
    b.writeUInt32BE(r.lsr >>> 0, o + 16);
    b.writeUInt32BE(r.dlsr >>> 0, o + 20);
  }
  return b;
}

/** An SDES packet with one CNAME chunk: every compound RTCP packet carries one (RFC 3550 §6.1, §6.5.1). */
export function buildSdesCname(ssrc: number, cname: string): Buffer {
  const text = Buffer.from(cname.slice(0, 255), 'utf8').subarray(0, 255);
  // chunk: SSRC, CNAME item (type, length, text), END item, padded to 32 bits.
  const chunk = 4 + 2 + text.length + 1;
  const padded = Math.ceil(chunk / 4) * 4;
  const b = Buffer.alloc(4 + padded);
  b[0] = 0x81;
  b[1] = 202;
  b.writeUInt16BE(padded / 4, 2);
  b.writeUInt32BE(ssrc >>> 0, 4);
  b[8] = 1;
  b[9] = text.length;
  text.copy(b, 10);
  return b;
}

/**
 * A REMB (draft-alvestrand-rmcat-remb §2): the receiver's estimate of the maximum bitrate, which
 * caps the sender's bandwidth estimate. Mantissa of 18 bits, exponent of 6.
 */
export function buildRemb(senderSsrc: number, bitrate: number, ssrcs: readonly number[]): Buffer {
  let mantissa = Math.max(0, Math.floor(bitrate));
  let exp = 0;
  while (mantissa >= 1 << 18) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  const n = Math.min(255, ssrcs.length);
  const b = Buffer.alloc(20 + 4 * n);
  b[0] = 0x8f; // V=2, FMT=15 (application layer feedback)
  b[1] = 206;
  b.writeUInt16BE(4 + n, 2);
  b.writeUInt32BE(senderSsrc >>> 0, 4);
  b.writeUInt32BE(0, 8); // media source SSRC: unused, 0
  b.write('REMB', 12, 'ascii');
  b[16] = n;
  b[17] = (exp << 2) | (mantissa >> 16);
  b[18] = (mantissa >> 8) & 0xff;
  b[19] = mantissa & 0xff;
  for (let i = 0; i < n; i++) b.writeUInt32BE(ssrcs[i]! >>> 0, 20 + 4 * i);
  return b;
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
