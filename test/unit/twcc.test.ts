import { describe, expect, it } from 'vitest';
import { decodeTwcc } from '../../src/engine/NativeEngine.js';
import { buildAnswer, offeredTwccId, offerTransport, TWCC_URI } from '../../src/engine/nativeSdp.js';
import { PeerBandwidth } from '../../src/engine/PeerBandwidth.js';
import { buildReceiverReport, buildRemb, parseRtcp } from '../../src/rtcp.js';
import { ViewerBandwidth } from '../../src/session/ViewerBandwidth.js';

// The transport-cc seam around the estimator: what the native answer negotiates, how the
// native feedback batch is decoded, REMB parsing, the engine-side PeerBandwidth and the
// session-side back-off (ViewerBandwidth).

const FP = Array.from({ length: 32 }, () => 'AB').join(':');
const offer = (twcc: boolean): string =>
  [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=mid:0',
    'a=ice-ufrag:abcd',
    'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    `a=fingerprint:sha-256 ${FP}`,
    'a=setup:actpass',
    ...(twcc ? [`a=extmap:3 ${TWCC_URI}`] : []),
    'a=recvonly',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:1',
    ...(twcc ? [`a=extmap:3/recvonly ${TWCC_URI}`] : []),
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=recvonly',
    '',
  ].join('\r\n');

const params = { ufrag: 'wxyz', pwd: 'abcdefghijklmnopqrstuv', fingerprint: FP, setup: 'passive' as const, address: '127.0.0.1', port: 40000, sessionId: '1' };
const video = {
  mid: '1',
  kind: 'video' as const,
  direction: 'sendonly' as const,
  codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' },
  ssrc: 5,
};

describe('transport-cc negotiation (native answer)', () => {
  it('answers the offer id with the extmap and transport-cc feedback', () => {
    const t = offerTransport(offer(true));
    expect(offeredTwccId(t, ['1'])).toBe(3);
    const answer = buildAnswer(t, [video], { ...params, twccId: 3 });
    expect(answer).toContain(`a=extmap:3 ${TWCC_URI}\r\n`);
    expect(answer).toMatch(/^a=rtcp-fb:96 transport-cc\r$/m);
    // Still REMB-capable for a receiver that prefers it.
    expect(answer).toMatch(/^a=rtcp-fb:96 goog-remb\r$/m);
  });

  it('leaves both out when the offer has no transport-cc (or the engine turns it off)', () => {
    const t = offerTransport(offer(false));
    expect(offeredTwccId(t, ['1'])).toBe(0);
    const answer = buildAnswer(t, [video], { ...params, twccId: 0 });
    expect(answer).not.toContain(TWCC_URI);
    expect(answer).not.toContain('transport-cc');
    const off = buildAnswer(offerTransport(offer(true)), [video], params);
    expect(off).not.toContain('transport-cc');
  });
});

describe('the native feedback batch', () => {
  it('decodes float64 quadruples, NaN arrival as lost', () => {
    const d = new Float64Array([7, 1000.5, 1200, 2000.25, 8, 1001, 900, NaN]);
    // A Buffer at an odd offset, as Napi::Buffer::Copy may hand it.
    const raw = Buffer.alloc(d.byteLength + 1);
    Buffer.from(d.buffer).copy(raw, 1);
    const out = decodeTwcc(raw.subarray(1));
    expect(out).toEqual([
      { seq: 7, sendMs: 1000.5, size: 1200, arrivalMs: 2000.25 },
      { seq: 8, sendMs: 1001, size: 900, arrivalMs: null },
    ]);
  });
});

describe('REMB and receiver reports to an estimate', () => {
  it('parses a REMB bitrate (mantissa and exponent)', () => {
    expect(parseRtcp(buildRemb(1, 1_234_567, [2]))!.remb).toBe(1_234_560); // 154,320 x 2^3: the low bits go
    expect(parseRtcp(buildRemb(1, 300_000, [2]))!.remb).toBe(300_000);
  });

  it('PeerBandwidth reports REMB as the estimate, then receiver-report loss lowers it', () => {
    const seen: Array<{ bps: number; source: string }> = [];
    const pb = new PeerBandwidth({ onBandwidth: (e) => seen.push(e) });
    pb.onRtcp(buildRemb(1, 800_000, [2]), 0);
    expect(seen).toEqual([{ bps: 800_000, source: 'remb', congested: true, cut: false }]);
    pb.onRtcp(buildReceiverReport(1, [{ ssrc: 2, fractionLost: 128, cumulativeLost: 10, highestSeq: 100, jitter: 0, lsr: 0, dlsr: 0 }]), 1000);
    expect(seen[1]!.bps).toBeLessThan(800_000);
    expect(seen[1]!.source).toBe('remb');
  });
});

describe('ViewerBandwidth (the retransmission back-off)', () => {
  it('hands down a smaller share while what we send reaches the estimate on a congested link, and the configured one after', () => {
    const shares: number[] = [];
    const vb = new ViewerBandwidth(0.25, (s) => shares.push(s), 0);
    // 1 Mbit/s sent over the first second.
    vb.onMedia(125_000);
    vb.onEstimate({ bps: 2_000_000, source: 'twcc', congested: false }, 1000);
    expect(shares).toEqual([]);
    expect(vb.estimate).toMatchObject({ bps: 2_000_000, source: 'twcc', sentBps: 1_000_000, retransmitShare: 0.25 });
    vb.onMedia(125_000);
    vb.onEstimate({ bps: 500_000, source: 'twcc', congested: true }, 2000);
    expect(shares).toEqual([0.05]);
    expect(vb.estimate!.retransmitShare).toBe(0.05);
    vb.onMedia(125_000);
    vb.onEstimate({ bps: 5_000_000, source: 'twcc', congested: false }, 3000);
    expect(shares).toEqual([0.05, 0.25]);
  });

  it('keeps the configured share over the estimate while the link is not congested (random loss)', () => {
    const shares: number[] = [];
    const vb = new ViewerBandwidth(0.25, (s) => shares.push(s), 0);
    vb.onMedia(125_000);
    vb.onEstimate({ bps: 500_000, source: 'twcc', congested: false }, 1000);
    expect(shares).toEqual([]);
    expect(vb.estimate).toMatchObject({ congested: false, retransmitShare: 0.25 });
  });
});
