// A transport-cc feedback decoder for tests (draft-holmer-rmcat-transport-wide-cc-extensions-01
// §3.1), written from the draft apart from the writer (src/engine/twccFeedback.ts) and the
// native parser (native/src/twcc.cc).

export interface DecodedTwcc {
  senderSsrc: number;
  mediaSsrc: number;
  baseSeq: number;
  count: number;
  /** Reference time in 64 ms units (24 bits, as sent). */
  reference: number;
  feedbackCount: number;
  /** Per status from baseSeq: the arrival in µs (reference time + deltas) or null. */
  packets: Array<{ seq: number; arrivalUs: number | null }>;
  /** Chunk kinds in order: 'run', 'v1' (14 one-bit), 'v2' (7 two-bit). */
  chunks: string[];
}

/** An RTCP transport-cc feedback packet, decoded; throws on anything malformed. */
export function decodeTwccFeedback(b: Buffer): DecodedTwcc {
  if (b[0]! >> 6 !== 2) throw new Error('version');
  if ((b[0]! & 0x1f) !== 15 || b[1] !== 205) throw new Error('not RTPFB FMT 15');
  const words = b.readUInt16BE(2) + 1;
  if (words * 4 !== b.length) throw new Error(`length field ${words * 4} != ${b.length}`);
  let end = b.length;
  if (b[0]! & 0x20) {
    const pad = b[b.length - 1]!;
    if (pad < 1 || pad > 3) throw new Error('padding count');
    for (let i = b.length - pad; i < b.length - 1; i++) if (b[i] !== 0) throw new Error('padding bytes');
    end -= pad;
  }
  const count = b.readUInt16BE(14);
  const symbols: number[] = [];
  const chunks: string[] = [];
  let o = 20;
  while (symbols.length < count) {
    if (o + 2 > end) throw new Error('chunks run past the end');
    const c = b.readUInt16BE(o);
    o += 2;
    if (c >> 15 === 0) {
      chunks.push('run');
      const s = (c >> 13) & 3;
      for (let k = 0; k < (c & 0x1fff); k++) symbols.push(s);
    } else if (((c >> 14) & 1) === 0) {
      chunks.push('v1');
      for (let k = 13; k >= 0; k--) symbols.push((c >> k) & 1);
    } else {
      chunks.push('v2');
      for (let k = 6; k >= 0; k--) symbols.push((c >> (2 * k)) & 3);
    }
  }
  const reference = b.readUIntBE(16, 3);
  let t = reference * 64_000;
  const packets: DecodedTwcc['packets'] = [];
  for (let i = 0; i < count; i++) {
    const seq = (b.readUInt16BE(12) + i) & 0xffff;
    const s = symbols[i]!;
    if (s === 3) throw new Error('reserved symbol');
    if (s === 0) {
      packets.push({ seq, arrivalUs: null });
      continue;
    }
    if (o + s > end) throw new Error('deltas run past the end');
    t += (s === 1 ? b.readUInt8(o) : b.readInt16BE(o)) * 250;
    o += s;
    packets.push({ seq, arrivalUs: t });
  }
  if (end - o > 3) throw new Error(`${end - o} bytes left over`);
  return { senderSsrc: b.readUInt32BE(4), mediaSsrc: b.readUInt32BE(8), baseSeq: b.readUInt16BE(12), count, reference, feedbackCount: b[19]!, packets, chunks };
}

/** The transport-cc feedback packets in a compound RTCP packet (RTPFB, FMT 15), decoded. */
export function twccFeedbackIn(compound: Buffer): DecodedTwcc[] {
  const out: DecodedTwcc[] = [];
  for (let o = 0; o + 4 <= compound.length;) {
    const len = (compound.readUInt16BE(o + 2) + 1) * 4;
    if (o + len > compound.length) break;
    if (compound[o + 1] === 205 && (compound[o]! & 0x1f) === 15) out.push(decodeTwccFeedback(compound.subarray(o, o + len)));
    o += len;
  }
  return out;
}
