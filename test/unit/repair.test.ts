import { afterEach, describe, expect, it, vi } from 'vitest';
import { NackRequester, NACK_DEFAULTS } from '../../src/engine/NackRequester.js';
import { RetransmitBudget } from '../../src/engine/RetransmitBudget.js';
import { TrackSender, type PacketOut } from '../../src/engine/TrackSender.js';
import { KeyframeLimiter } from '../../src/media/KeyframeLimiter.js';
import { RtpHistory } from '../../src/media/RtpHistory.js';
import { MAX_SLAB_PACKET, SLAB_BYTES, SlabPool } from '../../src/media/SlabPool.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { buildNack, buildReceiverReport, buildRemb, buildSdesCname, parseRtcp, readNackItems } from '../../src/rtcp.js';
import { parseRtpHeader, RtpRewriter, unwrapRtx, wrapRtx } from '../../src/rtp.js';

function rtp(opts: {
  pt?: number;
  seq: number;
  ts?: number;
  ssrc?: number;
  marker?: boolean;
  payload?: number[] | Buffer;
  ext?: boolean;
  pad?: number;
}): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80 | (opts.ext ? 0x10 : 0) | (opts.pad ? 0x20 : 0);
  h[1] = (opts.marker ? 0x80 : 0) | (opts.pt ?? 96);
  h.writeUInt16BE(opts.seq & 0xffff, 2);
  h.writeUInt32BE((opts.ts ?? 1000) >>> 0, 4);
  h.writeUInt32BE((opts.ssrc ?? 7) >>> 0, 8);
  const ext = opts.ext ? Buffer.from([0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00]) : Buffer.alloc(0);
  const pad = opts.pad ? Buffer.concat([Buffer.alloc(opts.pad - 1), Buffer.from([opts.pad])]) : Buffer.alloc(0);
  return Buffer.concat([h, ext, Buffer.from(opts.payload ?? [1, 2, 3, 4]), pad]);
}

const nackItems = (b: Buffer): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  for (let o = 12; o < b.length; o += 4) out.push([b.readUInt16BE(o), b.readUInt16BE(o + 2)]);
  return out;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('generic NACK (RFC 4585 §6.2.1)', () => {
  it('packs lost sequence numbers into PID and BLP entries and reads them back', () => {
    const seqs = [100, 101, 103, 116, 117, 200];
    const b = buildNack(0x1111, 0x2222, seqs);
    expect(b[0]).toBe(0x81);
    expect(b[1]).toBe(205);
    // 101 → bit 0, 103 → bit 2, 116 → bit 15; 117 starts the next entry.
    expect(nackItems(b)).toEqual([
      [100, 0b1000_0000_0000_0101],
      [117, 0],
      [200, 0],
    ]);
    const info = parseRtcp(b)!;
    expect(info.nacks).toEqual([{ senderSsrc: 0x1111, mediaSsrc: 0x2222, seqs }]);
  });

  it('carries a run of losses across sequence-number wraparound in one entry', () => {
    const seqs = [65534, 65535, 0, 1, 5];
    const b = buildNack(1, 2, [0, 65535, 5, 65534, 1]);
    expect(nackItems(b)).toEqual([[65534, 0b0000_0000_0100_0111]]);
    expect(parseRtcp(b)!.nacks[0]!.seqs).toEqual(seqs);
  });

  it('reads a NACK inside a compound packet and ignores duplicates in the input', () => {
    const rr = buildReceiverReport(9, []);
    const info = parseRtcp(Buffer.concat([rr, buildSdesCname(9, 'x'), buildNack(9, 3, [7, 7, 8])]))!;
    expect(info.nacks).toEqual([{ senderSsrc: 9, mediaSsrc: 3, seqs: [7, 8] }]);
  });

  it('bounds the sequence numbers taken from one packet', () => {
    const fci = Buffer.alloc(4 * 400);
    for (let i = 0; i < 400; i++) fci.writeUInt32BE(((i * 17) << 16) | 0xffff, 4 * i);
    const out: number[] = [];
    readNackItems(fci, 0, fci.length, out, 1000);
    expect(out.length).toBe(1000);
  });
});

describe('RTCP reports', () => {
  it('writes a receiver report that parses back, LSR and DLSR included', () => {
    const block = { ssrc: 5, fractionLost: 12, cumulativeLost: -3, highestSeq: 0x1_0005, jitter: 77, lsr: 0xabcd1234, dlsr: 65536 };
    expect(parseRtcp(buildReceiverReport(1, [block]))!.reports).toEqual([block]);
  });

  it('encodes REMB bitrates with an 18-bit mantissa', () => {
    const b = buildRemb(1, 2_500_000, [42]);
    expect(b.subarray(12, 16).toString('ascii')).toBe('REMB');
    const exp = b[17]! >> 2;
    const mantissa = ((b[17]! & 3) << 16) | (b[18]! << 8) | b[19]!;
    expect(mantissa * 2 ** exp).toBeLessThanOrEqual(2_500_000);
    expect(mantissa * 2 ** exp).toBeGreaterThan(2_500_000 * 0.999);
    expect(b.readUInt32BE(20)).toBe(42);
  });
});

describe('RTX (RFC 4588 §4)', () => {
  it('wraps a packet with the original sequence number first and unwraps it back', () => {
    const media = rtp({ pt: 96, seq: 4242, ts: 99, ssrc: 10, marker: true, payload: [9, 8, 7] });
    const rtx = wrapRtx(media, 20, 97, 65535)!;
    const h = parseRtpHeader(rtx)!;
    expect(h).toMatchObject({ payloadType: 97, marker: true, sequence: 65535, timestamp: 99, ssrc: 20 });
    expect(rtx.readUInt16BE(h.payloadOffset)).toBe(4242);
    expect([...rtx.subarray(h.payloadOffset + 2)]).toEqual([9, 8, 7]);
    expect(unwrapRtx(rtx, 10, 96)).toEqual(media);
  });

  it('drops header extensions, keeps padding, and finds nothing in a padding-only probe', () => {
    const withExt = rtp({ pt: 97, seq: 1, ssrc: 20, ext: true, payload: [0x12, 0x34, 5, 6], pad: 4 });
    const out = unwrapRtx(withExt, 10, 96)!;
    const h = parseRtpHeader(out)!;
    expect(h).toMatchObject({ payloadType: 96, sequence: 0x1234, ssrc: 10, payloadOffset: 12 });
    expect(out[0]! & 0x10).toBe(0);
    expect([...out.subarray(12)]).toEqual([5, 6, 0, 0, 0, 4]);
    expect(unwrapRtx(rtp({ pt: 97, seq: 2, payload: [], pad: 8 }), 10, 96)).toBeNull();
  });
});

describe('RtpHistory', () => {
  it('finds packets by sequence number across wraparound and tells never-received from too old', () => {
    const h = new RtpHistory({ windowMs: 1000, maxBytes: 1 << 20 });
    for (const seq of [65533, 65534, 0, 1]) h.push(rtp({ seq }), 0);
    expect(h.get(65534, 10)).toBeInstanceOf(Buffer);
    expect(h.get(1, 10)).toBeInstanceOf(Buffer);
    expect(h.get(65535, 10)).toBe('never_received');
    expect(h.get(2, 10)).toBe('never_received');
    expect(h.get(65000, 10)).toBe('too_old');
    // A late packet fills its slot.
    expect(h.push(rtp({ seq: 65535 }), 20)).toBe(true);
    expect(h.get(65535, 30)).toBeInstanceOf(Buffer);
    expect(h.push(rtp({ seq: 65535 }), 20)).toBe(false);
  });

  it('evicts packets older than its window', () => {
    const h = new RtpHistory({ windowMs: 1000, maxBytes: 1 << 20 });
    for (let i = 0; i < 100; i++) h.push(rtp({ seq: i }), i * 20); // 2 s of packets
    // At 1,980 ms, what arrived before 980 ms is gone.
    expect(h.count).toBe(51);
    expect(h.get(0, 1980)).toBe('too_old');
    expect(h.get(48, 1980)).toBe('too_old');
    expect(h.get(49, 1980)).toBeInstanceOf(Buffer);
    expect(h.get(49, 1981)).toBe('too_old');
    // Age also counts when nothing new arrives.
    expect(h.get(99, 3000)).toBe('too_old');
  });

  it('evicts the oldest packets when its byte cap binds', () => {
    const h = new RtpHistory({ windowMs: 60_000, maxBytes: 1000 });
    for (let i = 0; i < 20; i++) h.push(rtp({ seq: i, payload: Buffer.alloc(88) }), i); // 100 bytes each
    expect(h.bytes).toBeLessThanOrEqual(1000);
    expect(h.count).toBe(10);
    expect(h.get(9, 20)).toBe('too_old');
    expect(h.get(10, 20)).toBeInstanceOf(Buffer);
  });

  it('keeps copies in slabs it gives back once their packets leave the window, and hands out copies', () => {
    const slabs = new SlabPool(8);
    const h = new RtpHistory({ windowMs: 1000, maxBytes: 1 << 20, slabs });
    const first = rtp({ seq: 1, payload: Buffer.alloc(1000, 7) });
    h.push(first, 0);
    first.fill(0); // the feed's array is not the history's
    const got = h.get(1, 0) as Buffer;
    expect(got[12]).toBe(7);
    got.fill(1); // nor is what it hands out
    expect((h.get(1, 0) as Buffer)[12]).toBe(7);
    // 1,012-byte packets, 16 per 16 KiB slab: 3 s of 50 packets a second at 20 ms apart.
    for (let i = 2; i <= 150; i++) h.push(rtp({ seq: i, payload: Buffer.alloc(1000, i & 0xff) }), i * 20);
    // A second's worth (50 packets) is held: 4 slabs at most, the rest went back and were reused.
    expect(h.count).toBe(51);
    expect(slabs.made).toBeLessThanOrEqual(6);
    expect(slabs.reused).toBeGreaterThan(0);
    expect((h.get(150, 3000) as Buffer)[12]).toBe(150);
    expect((h.get(101, 3000) as Buffer)[12]).toBe(101);
    const free = slabs.freeBytes;
    h.reset(); // its slabs go back to the pool
    expect(slabs.freeBytes).toBeGreaterThanOrEqual(free + 3 * SLAB_BYTES);
    expect(h.get(150, 3000)).toBe('never_received');
  });

  it('keeps a packet larger than a slab can share in an array of its own', () => {
    const slabs = new SlabPool(8);
    const h = new RtpHistory({ windowMs: 1000, maxBytes: 1 << 20, slabs });
    const big = rtp({ seq: 1, payload: Buffer.alloc(MAX_SLAB_PACKET + 1, 9) });
    h.push(big, 0);
    big.fill(0);
    expect((h.get(1, 0) as Buffer)[MAX_SLAB_PACKET]).toBe(9);
    expect(slabs.made).toBe(0);
  });

  it('grows past its initial ring when the window holds more packets', () => {
    const h = new RtpHistory({ windowMs: 10_000, maxBytes: 1 << 24 });
    for (let i = 0; i < 5000; i++) h.push(rtp({ seq: i }), i);
    expect(h.count).toBe(5000);
    expect(h.get(0, 5000)).toBeInstanceOf(Buffer);
  });

  it('starts over when the source changes', () => {
    const h = new RtpHistory({ windowMs: 1000, maxBytes: 1 << 20 });
    h.push(rtp({ seq: 5, ssrc: 1 }), 0);
    h.push(rtp({ seq: 6, ssrc: 2 }), 0);
    expect(h.sourceSsrc).toBe(2);
    expect(h.get(5, 0)).toBe('too_old');
    expect(h.count).toBe(1);
  });
});

describe('RtpRewriter for retransmission', () => {
  it('maps our sequence numbers back to the current source only', () => {
    const r = new RtpRewriter(1, 96, 90000);
    r.rewrite(rtp({ seq: 500, ssrc: 7 }), 0);
    r.rewrite(rtp({ seq: 501, ssrc: 7 }), 10);
    // A new source continues at 502 (ours); 500 and 501 belong to the old one.
    r.rewrite(rtp({ seq: 9000, ssrc: 8 }), 20);
    r.rewrite(rtp({ seq: 9001, ssrc: 8 }), 30);
    expect(r.mapBack(503)).toBe(9001);
    expect(r.mapBack(502)).toBe(9000);
    expect(r.mapBack(501)).toBe(-1);
    expect(r.mapBack(504)).toBe(-1);
  });

  it('rewrites a late packet with its epoch offsets without moving the newest sequence number', () => {
    const r = new RtpRewriter(1, 96, 90000);
    r.rewrite(rtp({ seq: 10, ts: 100 }), 0);
    r.rewrite(rtp({ seq: 12, ts: 300 }), 0);
    const late = parseRtpHeader(r.rewrite(rtp({ seq: 11, ts: 200 }), 0)!)!;
    expect(late.sequence).toBe(11);
    expect(r.lastTimestamp).toBe(300);
    const again = parseRtpHeader(r.rewriteAgain(rtp({ seq: 11, ts: 200 }))!)!;
    expect(again).toMatchObject({ sequence: 11, timestamp: 200, ssrc: 1 });
    expect(r.rewriteAgain(rtp({ seq: 11, ssrc: 99 }))).toBeNull();
  });
});

class FakeOut implements PacketOut {
  open = true;
  sent: Buffer[] = [];
  send(p: Uint8Array): boolean {
    this.sent.push(Buffer.from(p));
    return true;
  }
}

function sender(opts: { rtx?: boolean; share?: number; history?: RtpHistory }) {
  const counters = nodeCounters(new Metrics());
  const history = opts.history ?? new RtpHistory({ windowMs: 1000, maxBytes: 1 << 20 });
  const s = new TrackSender(
    {
      ssrc: 0xaaaa,
      payloadType: 100,
      clockRate: 90000,
      rtx: opts.rtx ? { ssrc: 0xbbbb, payloadType: 101 } : null,
      history,
      retransmitShare: opts.share ?? 0.25,
      counters,
    },
    0,
  );
  const out = new FakeOut();
  s.out = out;
  return { s, out, history, counters };
}

describe('TrackSender', () => {
  it('resends a NACKed packet from the shared history as this viewer first got it', () => {
    const { s, out, history, counters } = sender({});
    for (let i = 0; i < 10; i++) {
      const p = rtp({ seq: 1000 + i, ts: 5000 + i });
      history.push(p, 0);
      s.send(p, 0, 0);
    }
    const first = out.sent[3]!;
    out.sent = [];
    expect(s.resend([first.readUInt16BE(2)], 10)).toBe(1);
    expect(out.sent[0]).toEqual(first);
    expect(counters.retransmitted.get()).toBe(1);
  });

  it('wraps a resent packet in RTX with its own sequence numbers when the viewer negotiated it', () => {
    const { s, out, history } = sender({ rtx: true });
    for (let i = 0; i < 5; i++) {
      const p = rtp({ seq: 1 + i });
      history.push(p, 0);
      s.send(p, 0, 0);
    }
    const viewerSeqs = out.sent.map((p) => p.readUInt16BE(2));
    out.sent = [];
    s.resend([viewerSeqs[1]!, viewerSeqs[3]!], 10);
    const [a, b] = out.sent.map((p) => parseRtpHeader(p)!);
    expect(a).toMatchObject({ payloadType: 101, ssrc: 0xbbbb });
    expect(b!.sequence).toBe((a!.sequence + 1) & 0xffff);
    expect(out.sent[0]!.readUInt16BE(12)).toBe(viewerSeqs[1]);
    expect(out.sent[1]!.readUInt16BE(12)).toBe(viewerSeqs[3]);
  });

  it('counts misses by reason and does not resend the same packet twice at once', () => {
    const { s, history, counters } = sender({});
    const p = rtp({ seq: 50 });
    history.push(p, 0);
    s.send(p, 0, 0);
    s.send(rtp({ seq: 52 }), 0, 0); // 51 never came here
    s.resend([50, 50, 51, 40000], 5);
    expect(counters.retransmitted.get()).toBe(1);
    expect(counters.retransmitSkipped.get({ reason: 'duplicate' })).toBe(1);
    expect(counters.retransmitMisses.get({ reason: 'never_received' })).toBe(1);
    expect(counters.retransmitMisses.get({ reason: 'too_old' })).toBe(1);
    s.resend([50], 100);
    expect(counters.retransmitted.get()).toBe(2);
  });

  it('caps retransmissions at a share of the bitrate it sends that viewer', () => {
    const { s, out, history, counters } = sender({ share: 0.25 });
    // 1 s of media at 100 packets of 1,000 bytes: 100 kB/s, so 25 kB/s may be resent.
    for (let i = 0; i < 100; i++) {
      const p = rtp({ seq: i, payload: Buffer.alloc(988) });
      history.push(p, i * 10);
      s.send(p, 0, i * 10);
    }
    const all = out.sent.map((p) => p.readUInt16BE(2));
    out.sent = [];
    // A client asking for everything, again and again over one second.
    let resent = 0;
    for (let t = 0; t < 10; t++) resent += s.resend(all, 1000 + t * 100);
    // A full bucket (one second of allowance) plus 0.9 s of refill: ~47.5 kB, not 1 MB.
    expect(resent * 1000).toBeGreaterThan(40_000);
    expect(resent * 1000).toBeLessThanOrEqual(25_000 + 22_500 + 1000);
    expect(counters.retransmitSkipped.get({ reason: 'rate_limited' })).toBeGreaterThan(0);
  });
});

describe('RetransmitBudget', () => {
  it('refills at the share of the measured rate and holds at most a second of it', () => {
    let sent = 0;
    const b = new RetransmitBudget(0.5, () => sent, 0);
    sent = 100_000; // 100 kB in the first second
    // The bucket holds one second of allowance: 50 kB.
    expect(b.take(50_000, 1000)).toBe(true);
    expect(b.bytesPerSecond).toBe(100_000);
    expect(b.take(1, 1000)).toBe(false);
    expect(b.take(40_000, 1800)).toBe(true); // 0.8 s × 50 kB/s refilled
    expect(b.take(1_000, 1800)).toBe(false);
    // Idle for long: never more than one second of allowance (at the rate measured since).
    sent = 200_000;
    const cap = b.take(1, 10_000) ? b.bytesPerSecond * 0.5 : 0;
    expect(b.bytesPerSecond).toBeLessThan(100_000);
    expect(b.take(cap - 1, 10_000)).toBe(true);
    expect(b.take(1_000, 10_000)).toBe(false);
  });
});

describe('KeyframeLimiter', () => {
  it('forwards one request per interval and folds the rest into one at the interval end', () => {
    vi.useFakeTimers();
    const counters = nodeCounters(new Metrics());
    const forwarded: number[] = [];
    const l = new KeyframeLimiter({ intervalMs: 1000, counters, forward: () => (forwarded.push(Date.now()), true) });
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) l.request(0, 'viewer');
    expect(forwarded).toEqual([t0]);
    vi.advanceTimersByTime(300);
    l.request(0, 'viewer'); // a joiner inside the interval: not dropped
    expect(l.pending).toBe(1);
    vi.advanceTimersByTime(700);
    expect(forwarded).toEqual([t0, t0 + 1000]);
    expect(counters.keyframeRequestsReceived.get({ from: 'viewer' })).toBe(51);
    expect(counters.keyframeRequests.get({ result: 'forwarded' })).toBe(2);
    expect(counters.keyframeRequests.get({ result: 'suppressed' })).toBe(50);
    l.close();
    expect(l.pending).toBe(0);
  });

  it('limits each track on its own and lets a new source be asked at once', () => {
    vi.useFakeTimers();
    const counters = nodeCounters(new Metrics());
    const forwarded: number[] = [];
    const l = new KeyframeLimiter({ intervalMs: 1000, counters, forward: (t) => (forwarded.push(t), true) });
    l.request(0, 'viewer');
    l.request(1, 'viewer');
    l.request(0, 'timer');
    expect(forwarded).toEqual([0, 1]);
    l.reset();
    l.request(0, 'resync');
    expect(forwarded).toEqual([0, 1, 0]);
    l.close();
  });

  it('does not count a request that could not go as forwarded', () => {
    const counters = nodeCounters(new Metrics());
    const l = new KeyframeLimiter({ intervalMs: 1000, counters, forward: () => false });
    l.request(0, 'child');
    expect(counters.keyframeRequests.get({ result: 'forwarded' })).toBe(0);
    expect(counters.keyframeRequests.get({ result: 'suppressed' })).toBe(1);
    l.close();
  });
});

describe('NackRequester', () => {
  it('asks for a gap at once, again about one RTT later, and gives up after a bounded number of tries', () => {
    vi.useFakeTimers();
    const sent: number[][] = [];
    let gaveUp = 0;
    const r = new NackRequester({
      ...NACK_DEFAULTS,
      maxNacks: 3,
      minRetryMs: 20,
      initialRttMs: 40,
      sendNack: (s) => sent.push(s),
      onGiveUp: (n) => (gaveUp += n),
    });
    const now = (): number => Date.now();
    expect(r.arrive(65534, now(), false)).toBe('new');
    expect(r.arrive(1, now(), false)).toBe('new'); // 65535 and 0 lost, across the wrap
    expect(sent).toEqual([[65535, 0]]);
    vi.advanceTimersByTime(50); // retry at 1.25 × RTT
    expect(sent.length).toBe(2);
    expect(r.arrive(0, now(), true)).toBe('recovered');
    vi.advanceTimersByTime(200);
    expect(sent.map((s) => s.join())).toEqual(['65535,0', '65535,0', '65535']);
    expect(gaveUp).toBe(1);
    expect(r.pending).toBe(0);
    expect(r.arrive(65535, now(), true)).toBe('late');
    expect(r.arrive(65535, now(), true)).toBe('duplicate');
    r.close();
  });

  it('times the RTT from packets NACKed once', () => {
    vi.useFakeTimers();
    const r = new NackRequester({ ...NACK_DEFAULTS, sendNack: () => undefined });
    r.arrive(10, Date.now(), false);
    r.arrive(12, Date.now(), false);
    vi.advanceTimersByTime(30);
    expect(r.arrive(11, Date.now(), true)).toBe('recovered');
    expect(r.srttMs).toBe(30);
    r.close();
  });

  it('only classifies arrivals when requesting is off', () => {
    const sent: number[][] = [];
    const r = new NackRequester({ ...NACK_DEFAULTS, maxNacks: 0, sendNack: (s) => sent.push(s) });
    r.arrive(1, 0, false);
    r.arrive(5, 0, false);
    expect(r.arrive(3, 0, false)).toBe('late');
    expect(sent).toEqual([]);
    r.close();
  });
});
