import { describe, expect, it } from 'vitest';
import { buildPli, buildSenderReport, parseRtcp } from '../../src/rtcp.js';
import { isRtcp, parseRtpHeader, RtpRewriter, stripHeaderExtension } from '../../src/rtp.js';

function rtp(opts: { pt?: number; seq: number; ts: number; ssrc: number; marker?: boolean; ext?: boolean; csrc?: number[]; payload?: number[] }): Buffer {
  const csrc = opts.csrc ?? [];
  const ext = opts.ext ? Buffer.from([0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00]) : Buffer.alloc(0);
  const h = Buffer.alloc(12 + csrc.length * 4);
  h[0] = 0x80 | (opts.ext ? 0x10 : 0) | csrc.length;
  h[1] = (opts.marker ? 0x80 : 0) | (opts.pt ?? 96);
  h.writeUInt16BE(opts.seq, 2);
  h.writeUInt32BE(opts.ts >>> 0, 4);
  h.writeUInt32BE(opts.ssrc >>> 0, 8);
  csrc.forEach((c, i) => h.writeUInt32BE(c, 12 + i * 4));
  return Buffer.concat([h, ext, Buffer.from(opts.payload ?? [1, 2, 3, 4, 5])]);
}

describe('RTP header parsing', () => {
  it('reads the fixed header fields and finds the payload after CSRCs and extensions', () => {
    const p = rtp({ seq: 65535, ts: 0xfffffff0, ssrc: 0xdeadbeef, marker: true, ext: true, csrc: [7] });
    const h = parseRtpHeader(p)!;
    expect(h).toMatchObject({ payloadType: 96, marker: true, sequence: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, csrcEnd: 16, payloadOffset: 24 });
  });

  it('rejects packets that are too short, of another version, or whose extension overruns', () => {
    expect(parseRtpHeader(Buffer.alloc(11))).toBeNull();
    const v1 = rtp({ seq: 1, ts: 1, ssrc: 1 });
    v1[0] = 0x40;
    expect(parseRtpHeader(v1)).toBeNull();
    const overrun = rtp({ seq: 1, ts: 1, ssrc: 1, ext: true }).subarray(0, 18);
    expect(parseRtpHeader(overrun)).toBeNull();
  });

  it('tells RTCP from RTP by the packet type byte', () => {
    expect(isRtcp(buildPli(1, 2))).toBe(true);
    expect(isRtcp(rtp({ seq: 1, ts: 1, ssrc: 1 }))).toBe(false);
  });
});

describe('header extension stripping', () => {
  it('removes the extension, clears the X bit and keeps CSRCs and payload', () => {
    const out = Buffer.from(stripHeaderExtension(rtp({ seq: 9, ts: 9, ssrc: 9, ext: true, csrc: [42], payload: [9, 8, 7] }))!);
    expect(out[0]! & 0x10).toBe(0);
    expect(out.length).toBe(16 + 3);
    expect(out.readUInt32BE(12)).toBe(42);
    expect([...out.subarray(16)]).toEqual([9, 8, 7]);
  });

  it('returns the same buffer when there is no extension', () => {
    const p = rtp({ seq: 1, ts: 1, ssrc: 1 });
    expect(stripHeaderExtension(p)).toBe(p);
  });
});

describe('RtpRewriter', () => {
  it('gives each receiver its own SSRC and payload type and keeps the marker and payload', () => {
    const r = new RtpRewriter(0x11223344, 102, 90000);
    const out = r.rewrite(rtp({ pt: 96, seq: 100, ts: 5000, ssrc: 7, marker: true, ext: true, payload: [1, 2, 3] }), 0)!;
    const h = parseRtpHeader(out)!;
    expect(h).toMatchObject({ payloadType: 102, marker: true, sequence: 100, timestamp: 5000, ssrc: 0x11223344 });
    expect(out[0]! & 0x10).toBe(0);
    expect([...out.subarray(h.payloadOffset)]).toEqual([1, 2, 3]);
  });

  it('keeps sequence numbers and timestamps continuous when the upstream SSRC changes', () => {
    const r = new RtpRewriter(1, 96, 90000);
    r.rewrite(rtp({ seq: 65534, ts: 1000, ssrc: 7 }), 1000);
    r.rewrite(rtp({ seq: 65535, ts: 4000, ssrc: 7 }), 1033);
    const after = parseRtpHeader(r.rewrite(rtp({ seq: 20, ts: 999_999, ssrc: 8 }), 1133)!)!;
    expect(after.sequence).toBe(0);
    expect(after.timestamp).toBe(4000 + 9000);
    const next = parseRtpHeader(r.rewrite(rtp({ seq: 21, ts: 999_999 + 3000, ssrc: 8 }), 1166)!)!;
    expect(next.sequence).toBe(1);
    expect(next.timestamp).toBe(4000 + 9000 + 3000);
  });

  it('returns null for a malformed packet', () => {
    expect(new RtpRewriter(1, 96, 90000).rewrite(Buffer.alloc(5), 0)).toBeNull();
  });
});

describe('RTCP', () => {
  it('finds a PLI and a FIR inside a compound packet', () => {
    const fir = Buffer.from([0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0]);
    const rr = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1]);
    expect(parseRtcp(Buffer.concat([rr, buildPli(1, 2)]))).toMatchObject({ plis: [2], firs: [] });
    expect(parseRtcp(Buffer.concat([rr, fir]))).toMatchObject({ plis: [], firs: [2] });
    expect(parseRtcp(rr)).toMatchObject({ plis: [], firs: [], nacks: [] });
  });

  it('stops at a truncated packet instead of reading past the end', () => {
    expect(parseRtcp(buildPli(1, 2).subarray(0, 10))).toBeNull();
    expect(parseRtcp(Buffer.concat([buildPli(1, 2), buildPli(3, 4).subarray(0, 10)]))).toMatchObject({ plis: [2] });
  });

  it('builds a sender report whose NTP time maps the given wall clock', () => {
    const sr = buildSenderReport(5, 1_700_000_000_500, 1234, 10, 1000);
    expect(sr[1]).toBe(200);
    expect(sr.readUInt32BE(8)).toBe(1_700_000_000 + 2_208_988_800);
    expect(sr.readUInt32BE(12)).toBe(0x80000000);
    expect(sr.readUInt32BE(16)).toBe(1234);
  });
});
