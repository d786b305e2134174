import { afterEach, describe, expect, it, vi } from 'vitest';
import { TwccRecorder } from '../../src/engine/TwccRecorder.js';
import { TWCC_MAX_PACKET_BYTES, writeTwccFeedback } from '../../src/engine/twccFeedback.js';
import { decodeTwccFeedback as decode, type DecodedTwcc as Decoded } from '../support/twccDecode.js';

// The transport-cc feedback we send to WHIP publishers (draft-holmer-rmcat-transport-wide-cc-
// extensions-01 §3.1), checked by decoding it again with test/support/twccDecode.ts, written
// from the draft on its own (the writer's chunk choices are not assumed), and against bytes
// worked out by hand.

/** What a round trip must give: each arrival at its nearest 250 µs (NaN: not received). */
const expected = (baseSeq: number, arrivalsUs: number[]): Decoded['packets'] =>
  arrivalsUs.map((a, i) => ({ seq: (baseSeq + i) & 0xffff, arrivalUs: Number.isNaN(a) ? null : Math.round(a / 250) * 250 }));

function write(baseSeq: number, arrivalsUs: number[], maxBytes?: number): { d: Decoded; count: number; packet: Buffer } {
  const { packet, count } = writeTwccFeedback({ senderSsrc: 0x11223344, mediaSsrc: 0x55667788, feedbackCount: 7, baseSeq, arrivalsUs, maxBytes });
  return { d: decode(packet), count, packet };
}

/** Writes every status of arrivalsUs, in as many packets as it takes; the decoded statuses, joined. */
function writeAll(baseSeq: number, arrivalsUs: number[], maxBytes?: number): { packets: Buffer[]; decoded: Decoded['packets'] } {
  const packets: Buffer[] = [];
  const decoded: Decoded['packets'] = [];
  for (let start = 0; start < arrivalsUs.length;) {
    const rest = arrivalsUs.slice(start);
    const { d, count, packet } = write((baseSeq + start) & 0xffff, rest, maxBytes);
    expect(d.count).toBe(count);
    expect(count).toBeGreaterThan(0);
    packets.push(packet);
    decoded.push(...d.packets);
    start += count;
  }
  return { packets, decoded };
}

describe('transport-cc feedback writer', () => {
  it('writes the bytes worked out by hand: small, missing, large and negative deltas, with padding', () => {
    // Reference 64 ms (1 unit); arrivals 64.75 ms (+3), lost, 139.75 ms (+300, large), 139.25 ms (-2).
    const { packet, count } = writeTwccFeedback({
      senderSsrc: 0x11223344,
      mediaSsrc: 0x55667788,
      feedbackCount: 9,
      baseSeq: 5,
      arrivalsUs: [64_750, NaN, 139_750, 139_250],
    });
    expect(count).toBe(4);
    // Symbols 1 0 2 2 in a two-bit status vector: 11 01 00 10 10 00 00 00 = 0xD280. 27 bytes + 1 of padding.
    expect(packet.toString('hex')).toBe(
      ['af', 'cd', '0006', '11223344', '55667788', '0005', '0004', '000001', '09', 'd280', '03', '012c', 'fffe', '01'].join(''),
    );
  });

  it('round-trips a run of received packets as one run length chunk', () => {
    const arrivals = Array.from({ length: 30 }, (_, i) => 1_000_000 + i * 5_000);
    const { d } = write(100, arrivals);
    expect(d.chunks).toEqual(['run']);
    expect(d.packets).toEqual(expected(100, arrivals));
    expect(d.reference).toBe(Math.floor(1_000_000 / 64_000));
    expect([d.senderSsrc, d.mediaSsrc, d.feedbackCount]).toEqual([0x11223344, 0x55667788, 7]);
  });

  it('round-trips missing packets, with arrivals off the 250 µs grid rounded on the running total', () => {
    const arrivals = [5_000_100, NaN, NaN, 5_001_333, 5_002_999, NaN, 5_010_060, NaN, 5_010_070, 5_010_200, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 5_030_130];
    const { d } = write(40_000, arrivals);
    expect(d.packets).toEqual(expected(40_000, arrivals));
    // Rounding per packet against the running total: never more than 125 µs off.
    for (const [i, p] of d.packets.entries()) if (p.arrivalUs !== null) expect(Math.abs(p.arrivalUs - arrivals[i]!)).toBeLessThanOrEqual(125);
  });

  it('round-trips across the 16-bit sequence wrap', () => {
    const arrivals = Array.from({ length: 20 }, (_, i) => (i % 5 === 3 ? NaN : 2_000_000 + i * 1_000));
    const { d } = write(65_530, arrivals);
    expect(d.packets.map((p) => p.seq)).toEqual([65530, 65531, 65532, 65533, 65534, 65535, ...Array.from({ length: 14 }, (_, i) => i)]);
    expect(d.packets).toEqual(expected(65_530, arrivals));
  });

  it('round-trips large and negative deltas (reordering, a 2 s pause)', () => {
    const arrivals = [3_000_000, 3_000_500, 2_999_000, 3_100_000, NaN, 5_100_000, 5_099_750, 5_099_800, 5_200_000];
    const { d } = write(7, arrivals);
    expect(d.chunks).toContain('v2');
    expect(d.packets).toEqual(expected(7, arrivals));
  });

  it('starts with missing packets when the first is lost (the reference time from the first received)', () => {
    const arrivals = [NaN, NaN, NaN, 9_999_999, 10_000_500];
    const { d } = write(1, arrivals);
    expect(d.packets).toEqual(expected(1, arrivals));
    expect(d.reference).toBe(Math.floor(Math.round(9_999_999 / 250) / 256));
  });

  it('writes feedback longer than one run: runs of 8,191 and status vectors around them', () => {
    const arrivals: number[] = [1_000_000];
    for (let i = 0; i < 20_000; i++) arrivals.push(NaN);
    arrivals.push(1_500_000, 1_500_250, NaN, 1_600_000);
    for (let i = 0; i < 1_000; i++) arrivals.push(1_600_000); // a burst that arrived at once: deltas of 0
    const { d } = write(60_000, arrivals);
    expect(d.count).toBe(arrivals.length);
    expect(d.chunks.filter((c) => c === 'run').length).toBeGreaterThanOrEqual(4);
    expect(d.packets).toEqual(expected(60_000, arrivals));
  });

  it('splits where a delta does not fit 16 bits (over 8.19 s), and each part round-trips', () => {
    const arrivals = [1_000_000, 1_001_000, 10_000_000, 10_001_000, NaN, 30_000_000];
    const { packets, decoded } = writeAll(65_534, arrivals);
    expect(packets.length).toBe(3);
    expect(decoded).toEqual(expected(65_534, arrivals));
  });

  it('splits at the size limit, each packet under it, and the parts round-trip', () => {
    // 2,000 packets with varied deltas (some large, some lost): about 3.5 kB of feedback.
    const arrivals: number[] = [];
    let t = 50_000_000;
    for (let i = 0; i < 2_000; i++) {
      t += i % 17 === 0 ? 90_000 : i % 13 === 0 ? -3_000 : 400 + ((i * 7919) % 3000);
      arrivals.push(i % 11 === 5 ? NaN : t);
    }
    const { packets, decoded } = writeAll(12_345, arrivals);
    expect(packets.length).toBeGreaterThan(2);
    for (const p of packets) expect(p.length).toBeLessThanOrEqual(TWCC_MAX_PACKET_BYTES);
    expect(decoded).toEqual(expected(12_345, arrivals));
    // A small limit splits more, and still round-trips.
    const small = writeAll(12_345, arrivals.slice(0, 300), 64);
    for (const p of small.packets) expect(p.length).toBeLessThanOrEqual(64);
    expect(small.decoded).toEqual(expected(12_345, arrivals.slice(0, 300)));
  });

  it('wraps the 24-bit reference time', () => {
    const wrapUs = 2 ** 24 * 64_000;
    const arrivals = [wrapUs + 70_000, wrapUs + 71_000];
    const { d } = write(0, arrivals);
    expect(d.reference).toBe(1);
    expect(d.packets.map((p) => p.arrivalUs)).toEqual([70_000, 71_000]);
  });

  it('refuses feedback without a received packet', () => {
    expect(() => writeTwccFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackCount: 0, baseSeq: 0, arrivalsUs: [NaN, NaN] })).toThrow(RangeError);
  });
});

const TWCC_ID = 3;

/** An RTP packet carrying the transport-wide sequence number in the one-byte (RFC 8285 §4.2) or two-byte (§4.3) form, after a rid extension. */
function rtp(twccSeq: number, opts: { form?: 1 | 2; pt?: number; ssrc?: number; size?: number; noExt?: boolean } = {}): Buffer {
  const payload = Buffer.alloc(opts.size ?? 100);
  const head = Buffer.alloc(12);
  head[0] = opts.noExt ? 0x80 : 0x90;
  head[1] = opts.pt ?? 96;
  head.writeUInt16BE(twccSeq ^ 0x5555, 2);
  head.writeUInt32BE(0x1234, 4);
  head.writeUInt32BE(opts.ssrc ?? 0xaaaa, 8);
  if (opts.noExt) return Buffer.concat([head, payload]);
  let ext: Buffer;
  if ((opts.form ?? 1) === 1) {
    // rid "f" (id 10, 1 byte), transport-wide seq (id 3, 2 bytes), padding to the word.
    ext = Buffer.from([0xbe, 0xde, 0x00, 0x02, 0xa0, 0x66, (TWCC_ID << 4) | 1, twccSeq >> 8, twccSeq & 0xff, 0, 0, 0]);
  } else {
    ext = Buffer.from([0x10, 0x00, 0x00, 0x02, 10, 1, 0x66, 0, TWCC_ID, 2, twccSeq >> 8, twccSeq & 0xff]);
  }
  return Buffer.concat([head, ext, payload]);
}

function recorder() {
  const sent: Buffer[] = [];
  const r = new TwccRecorder({ extId: TWCC_ID, senderSsrc: 0xcafe, send: (p) => (sent.push(p), true) });
  return { r, sent };
}

describe('TwccRecorder (a publisher PeerConnection)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('records every packet with the extension, one-byte and two-byte forms, any payload type, and reports each once', () => {
    const { r } = recorder();
    r.onRtp(rtp(10), 100);
    r.onRtp(rtp(11, { form: 2, pt: 97, ssrc: 0xbbbb }), 101.5);
    r.onRtp(rtp(13, { pt: 111 }), 102.25);
    r.onRtp(rtp(99, { noExt: true }), 103); // no extension: not a transport-wide packet
    const [fb, ...more] = r.feedback();
    expect(more).toEqual([]);
    const d = decode(fb!);
    expect(d.baseSeq).toBe(10);
    expect(d.packets).toEqual(expected(10, [100_000, 101_500, NaN, 102_250]));
    expect(d.mediaSsrc).toBe(0xaaaa);
    expect(d.senderSsrc).toBe(0xcafe);
    expect(r.feedback()).toEqual([]);
    r.onRtp(rtp(14), 110);
    r.onRtp(rtp(14), 111); // a duplicate keeps the first arrival
    const d2 = decode(r.feedback()[0]!);
    expect([d2.baseSeq, d2.feedbackCount - d.feedbackCount]).toEqual([14, 1]);
    expect(d2.packets).toEqual(expected(14, [110_000]));
  });

  it('follows the sequence number across its wrap', () => {
    const { r } = recorder();
    for (let i = 0; i < 10; i++) r.onRtp(rtp((65_530 + i) & 0xffff), 1_000 + i);
    const d = decode(r.feedback()[0]!);
    expect(d.packets).toEqual(
      expected(
        65_530,
        Array.from({ length: 10 }, (_, i) => (1_000 + i) * 1000),
      ),
    );
    for (let i = 10; i < 20; i++) r.onRtp(rtp((65_530 + i) & 0xffff), 1_000 + i);
    const d2 = decode(r.feedback()[0]!);
    expect(d2.baseSeq).toBe(4);
    expect(d2.count).toBe(10);
  });

  it('reports a late packet again from where it belongs (reordering), and a packet reordered before the first', () => {
    const { r } = recorder();
    r.onRtp(rtp(501), 10);
    r.onRtp(rtp(500), 10.5);
    r.onRtp(rtp(503), 11);
    expect(decode(r.feedback()[0]!).packets).toEqual(expected(500, [10_500, 10_000, NaN, 11_000]));
    r.onRtp(rtp(502), 12); // reported lost above, arrived after that feedback
    r.onRtp(rtp(504), 12.5);
    expect(decode(r.feedback()[0]!).packets).toEqual(expected(502, [12_000, 11_000, 12_500]));
  });

  it('starts over after a jump longer than its history, and reports the lost ones it still holds', () => {
    const { r } = recorder();
    r.onRtp(rtp(1), 1);
    r.feedback();
    r.onRtp(rtp(20_001), 2);
    const parts = r.feedback().map(decode);
    const all = parts.flatMap((p) => p.packets);
    expect(all[all.length - 1]).toEqual({ seq: 20_001, arrivalUs: 2_000 });
    expect(all.length).toBeLessThanOrEqual(1 << 13);
    expect(all.slice(0, -1).every((p) => p.arrivalUs === null)).toBe(true);
  });

  it('keeps arrivals until a track is open to send the feedback on', () => {
    const sent: Buffer[] = [];
    let open = false;
    const r = new TwccRecorder({ extId: TWCC_ID, senderSsrc: 1, send: (p) => (sent.push(p), true), ready: () => open });
    r.onRtp(rtp(1), 1);
    r.tick(100);
    expect(sent).toEqual([]);
    r.onRtp(rtp(2), 150);
    open = true;
    r.tick(200);
    expect(sent.map(decode).flatMap((d) => d.packets)).toEqual(expected(1, [1_000, 150_000]));
  });

  it('sends every 50 ms at a video rate and every 250 ms at an audio rate, until closed', () => {
    vi.useFakeTimers();
    const { r, sent } = recorder();
    let now = 0;
    r.start(() => now);
    let seq = 0;
    // 2 Mbit/s: 250 packets of 1,000 bytes a second, one every 4 ms, for 2 s.
    for (let i = 0; i < 500; i++) {
      now += 4;
      r.onRtp(rtp(seq++, { size: 988 }), now);
      vi.advanceTimersByTime(4);
    }
    expect(r.feedbackIntervalMs).toBe(50);
    const atVideo = sent.length;
    expect(atVideo).toBeGreaterThanOrEqual(2000 / 100 - 1);
    // Every packet reported exactly once so far.
    const seqs = sent.map(decode).flatMap((d) => d.packets.map((p) => p.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    // 32 kbit/s: 50 packets of 80 bytes a second, for 3 s.
    for (let i = 0; i < 150; i++) {
      now += 20;
      r.onRtp(rtp(seq++, { size: 68 }), now);
      vi.advanceTimersByTime(20);
    }
    expect(r.feedbackIntervalMs).toBe(250);
    const before = sent.length;
    for (let i = 0; i < 50; i++) {
      now += 20;
      r.onRtp(rtp(seq++, { size: 68 }), now);
      vi.advanceTimersByTime(20);
    }
    expect(sent.length - before).toBeGreaterThanOrEqual(3);
    expect(sent.length - before).toBeLessThanOrEqual(5);
    r.close();
    expect(vi.getTimerCount()).toBe(0);
    r.onRtp(rtp(seq++), now + 1);
    expect(r.feedback()).toEqual([]);
  });
});
