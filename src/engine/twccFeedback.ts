// The transport-cc feedback packet we send to WHIP publishers
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): RTPFB (PT 205) with FMT 15.
// The decoding side, for viewers' feedback, is native (native/src/twcc.cc).
//
//  |V=2|P|  FMT=15 |    PT=205     |           length              |
//  |                     SSRC of packet sender                     |
//  |                      SSRC of media source                     |
//  |      base sequence number     |      packet status count      |
//  |                 reference time                | fb pkt. count |
//  |          packet chunk         |         packet chunk          |  ...
//  |         packet chunk          |  recv delta   |  recv delta   |  ...
//  |           recv delta          |  recv delta   | zero padding  |

/** Reference time unit (§3.1: 64 ms), in microseconds. */
export const TWCC_REFERENCE_US = 64_000;
/** Receive delta unit (§3.1.5: 250 µs). */
export const TWCC_DELTA_US = 250;
/** A run length chunk holds up to 2^13 - 1 statuses (§3.1.3). */
const MAX_RUN = 0x1fff;
/** Header (12) + base, count, reference time, feedback count (8). */
const FIXED_BYTES = 20;
/** One feedback packet stays under this size, well inside one datagram with SRTCP's overhead. */
export const TWCC_MAX_PACKET_BYTES = 1200;

/** Packet status symbols (§3.1.1). */
const NOT_RECEIVED = 0;
const SMALL_DELTA = 1;
const LARGE_DELTA = 2;

export interface TwccFeedbackInput {
  senderSsrc: number;
  /** The media source SSRC field: libwebrtc puts the SSRC of a stream it received; the sender does not use it. */
  mediaSsrc: number;
  /** Feedback packet count (§3.1: 8 bits, incremented per feedback packet sent). */
  feedbackCount: number;
  /** The transport-wide sequence number (16 bits) of arrivalsUs[0]. */
  baseSeq: number;
  /**
   * Arrival times of consecutive sequence numbers from baseSeq on, in microseconds on any
   * monotonic clock; NaN: not received. At least one must be received.
   */
  arrivalsUs: ArrayLike<number>;
  /** Default TWCC_MAX_PACKET_BYTES. */
  maxBytes?: number;
}

/**
 * Writes one transport-cc feedback packet for a prefix of input.arrivalsUs: as many statuses as
 * fit in maxBytes, in 65,535 statuses (16-bit count) and in deltas a signed 16-bit number of
 * 250 µs can hold (±8.19 s from the previous received packet). Returns the packet and how
 * many statuses it covers; the caller writes the rest into further packets.
 *
 * The reference time is the first received packet's arrival rounded down to 64 ms (so its
 * delta fits one byte); each receive delta is from the previous received packet, rounded to
 * 250 µs on the running total so errors do not add up. Deltas of 0..255 units are small
 * (1 byte), others large (2 bytes, signed: a packet that arrived before a lower sequence
 * number). Chunks are run length (§3.1.3) where 14 equal statuses follow (7 when a large
 * delta is near), else status vectors (§3.1.4): 14 one-bit symbols when no large delta is among
 * them, else 7 two-bit ones.
 */
export function writeTwccFeedback(input: TwccFeedbackInput): { packet: Buffer; count: number } {
  const arrivals = input.arrivalsUs;
  const maxBytes = input.maxBytes ?? TWCC_MAX_PACKET_BYTES;
  let first = 0;
  while (first < arrivals.length && Number.isNaN(arrivals[first]!)) first++;
  if (first === arrivals.length) throw new RangeError('transport-cc feedback needs a received packet');
  const unitsPerRef = TWCC_REFERENCE_US / TWCC_DELTA_US;
  const refUnits = Math.floor(Math.round(arrivals[first]! / TWCC_DELTA_US) / unitsPerRef);

  // Statuses and deltas up to the first delta a large one cannot hold.
  const symbols: number[] = [];
  const deltas: number[] = [];
  let lastTicks = refUnits * unitsPerRef;
  for (let i = 0; i < Math.min(arrivals.length, 0xffff); i++) {
    const a = arrivals[i]!;
    if (Number.isNaN(a)) {
      symbols.push(NOT_RECEIVED);
      deltas.push(0);
      continue;
    }
    const delta = Math.round(a / TWCC_DELTA_US) - lastTicks;
    if (delta < -0x8000 || delta > 0x7fff) break;
    symbols.push(delta >= 0 && delta <= 0xff ? SMALL_DELTA : LARGE_DELTA);
    deltas.push(delta);
    lastTicks += delta;
  }

  // Chunks, left to right, while the packet (with up to 3 bytes of padding) fits maxBytes.
  const chunks: number[] = [];
  let count = 0;
  let deltaBytes = 0;
  while (count < symbols.length) {
    const i = count;
    let run = 1;
    while (i + run < symbols.length && run < MAX_RUN && symbols[i + run] === symbols[i]) run++;
    const next14 = symbols.slice(i, i + 14);
    let chunk: number;
    let covers: number;
    if (run >= 14 || (run >= 7 && next14.includes(LARGE_DELTA))) {
      // Run length chunk: T=0, S (2 bits), run length (13 bits).
      chunk = (symbols[i]! << 13) | run;
      covers = run;
    } else if (!next14.includes(LARGE_DELTA)) {
      // Status vector chunk, T=1 S=0: 14 one-bit symbols (0 not received, 1 small delta); the
      // last chunk may cover more than the count, the receiver stops at the count (§3.1.4).
      chunk = 0x8000;
      for (let k = 0; k < 14; k++) chunk |= (next14[k] ?? 0) << (13 - k);
      covers = Math.min(14, symbols.length - i);
    } else {
      // Status vector chunk, T=1 S=1: 7 two-bit symbols.
      chunk = 0xc000;
      for (let k = 0; k < 7; k++) chunk |= (symbols[i + k] ?? 0) << (2 * (6 - k));
      covers = Math.min(7, symbols.length - i);
    }
    let bytes = 0;
    for (let k = i; k < i + covers; k++) bytes += symbols[k]!;
    if (FIXED_BYTES + (chunks.length + 1) * 2 + deltaBytes + bytes + 3 > maxBytes) break;
    chunks.push(chunk);
    count += covers;
    deltaBytes += bytes;
  }
  if (count === 0) throw new RangeError('transport-cc feedback: maxBytes too small');

  const body = FIXED_BYTES + chunks.length * 2 + deltaBytes;
  const padding = (4 - (body % 4)) % 4;
  const b = Buffer.alloc(body + padding);
  // RFC 3550 §6.4.1 padding, as libwebrtc writes it: P set, the last byte counts the padding.
  b[0] = 0x80 | (padding ? 0x20 : 0) | 15;
  b[1] = 205;
  b.writeUInt16BE(b.length / 4 - 1, 2);
  b.writeUInt32BE(input.senderSsrc >>> 0, 4);
  b.writeUInt32BE(input.mediaSsrc >>> 0, 8);
  b.writeUInt16BE(input.baseSeq & 0xffff, 12);
  b.writeUInt16BE(count, 14);
  // 24 bits: the reference time wraps every 2^24 × 64 ms (12.4 days); the sender unwraps it.
  b.writeUIntBE(((refUnits % 0x1000000) + 0x1000000) % 0x1000000, 16, 3);
  b[19] = input.feedbackCount & 0xff;
  let o = FIXED_BYTES;
  for (const c of chunks) o = b.writeUInt16BE(c, o);
  for (let k = 0; k < count; k++) {
    const d = deltas[k]!;
    if (symbols[k] === SMALL_DELTA) o = b.writeUInt8(d, o);
    else if (symbols[k] === LARGE_DELTA) o = b.writeInt16BE(d, o);
  }
  if (padding) b[b.length - 1] = padding;
  return { packet: b, count };
}
