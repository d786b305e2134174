import { describe, expect, it } from 'vitest';
import { assertViewerCanPlay, choosePublishCodec, chooseViewerCodec, describeCodec, h264Profile } from '../../src/codecs.js';
import { ErrorCode } from '../../src/errors.js';
import { isAv1Keyframe, isH265Keyframe, isKeyframe, isVp9Keyframe } from '../../src/media/keyframe.js';
import type { TrackInfo } from '../../src/media/types.js';
import { parseSdp } from '../../src/sdp.js';

/** An offer with one video m-line of the given rtpmap/fmtp pairs, and an opus audio m-line. */
function offer(direction: 'sendonly' | 'recvonly', video: Array<[number, string, string?]>, audio = true): string {
  const lines = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=fingerprint:sha-256 AA:BB', 'a=ice-ufrag:abcd', 'a=ice-pwd:0123456789012345678901'];
  lines.push(`m=video 9 UDP/TLS/RTP/SAVPF ${video.map(([pt]) => pt).join(' ')}`, 'a=mid:0', `a=${direction}`);
  for (const [pt, name, fmtp] of video) {
    lines.push(`a=rtpmap:${pt} ${name}/90000`);
    if (fmtp) lines.push(`a=fmtp:${pt} ${fmtp}`);
  }
  if (audio) lines.push('m=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:1', `a=${direction}`, 'a=rtpmap:111 opus/48000/2');
  return [...lines, ''].join('\r\n');
}

const h264 = (profileLevelId: string, mode = 1) => `level-asymmetry-allowed=1;packetization-mode=${mode};profile-level-id=${profileLevelId}`;

// What Chromium 156 here announces for receiving (RTCRtpReceiver.getCapabilities('video')).
const CHROMIUM_VIEWER: Array<[number, string, string?]> = [
  [96, 'VP8'],
  [98, 'VP9', 'profile-id=0'],
  [100, 'VP9', 'profile-id=2'],
  [102, 'H264', h264('42001f')],
  [104, 'H264', h264('42001f', 0)],
  [106, 'H264', h264('42e01f')],
  [127, 'H264', h264('4d001f')],
  [39, 'H264', h264('f4001f')],
  [45, 'AV1', 'level-idx=5;profile=0;tier=0'],
  [46, 'AV1', 'level-idx=5;profile=1;tier=0'],
];

function track(codec: string, fmtp = ''): TrackInfo {
  return { id: 0, kind: 'video', codec, payloadType: 120, clockRate: 90000, channels: 0, fmtp };
}

describe('H.264 profiles (RFC 6184 §8.1)', () => {
  it('are read from profile-level-id, constraint flags included', () => {
    expect(h264Profile(h264('42e01f'))).toBe('constrained-baseline');
    expect(h264Profile(h264('42c01f'))).toBe('constrained-baseline');
    expect(h264Profile(h264('42001f'))).toBe('baseline');
    expect(h264Profile(h264('4d001f'))).toBe('main');
    expect(h264Profile(h264('4d401f'))).toBe('main');
    expect(h264Profile(h264('4d801f'))).toBe('constrained-baseline');
    expect(h264Profile(h264('640c1f'))).toBe('constrained-high');
    expect(h264Profile(h264('64001f'))).toBe('high');
    expect(h264Profile(h264('640032'))).toBe('high');
    expect(h264Profile(h264('f4001f'))).toBe('high-444');
    expect(h264Profile('packetization-mode=1')).toBe('baseline');
    expect(h264Profile(h264('zz001f'))).toBeNull();
    expect(h264Profile(h264('6e101f'))).toBeNull();
  });
});

describe('publisher codec choice', () => {
  it('accepts every profile OBS and browsers send, VP9 and AV1 included', () => {
    for (const [name, fmtp] of [
      ['H264', h264('42e01f')], // OBS (libdatachannel's default)
      ['H264', h264('4d001f')],
      ['H264', h264('640c1f')], // Safari
      ['H264', h264('64001f')],
      ['VP9', 'profile-id=2'],
      ['AV1', 'level-idx=5;profile=0;tier=0'],
    ] as const) {
      const m = parseSdp(offer('sendonly', [[96, name, fmtp]])).media[0]!;
      expect(choosePublishCodec(m), `${name} ${fmtp}`).toMatchObject({ name, fmtp });
    }
  });

  it('refuses H.264 packetization-mode 0 and unknown profiles', () => {
    expect(choosePublishCodec(parseSdp(offer('sendonly', [[96, 'H264', h264('42e01f', 0)]])).media[0]!)).toBeNull();
    expect(choosePublishCodec(parseSdp(offer('sendonly', [[96, 'H264', h264('6e101f')]])).media[0]!)).toBeNull();
  });

  it("takes Constrained Baseline over Chromium's first-listed Baseline, otherwise the publisher's order", () => {
    const chrome = parseSdp(
      offer('sendonly', [
        [102, 'H264', h264('42001f')],
        [104, 'H264', h264('42001f', 0)],
        [106, 'H264', h264('42e01f')],
        [127, 'H264', h264('4d001f')],
      ]),
    ).media[0]!;
    expect(choosePublishCodec(chrome)!.payloadType).toBe(106);
    const high = parseSdp(
      offer('sendonly', [
        [112, 'H264', h264('64001f')],
        [106, 'H264', h264('42e01f')],
      ]),
    ).media[0]!;
    expect(choosePublishCodec(high)!.payloadType).toBe(112);
    const baselineOnly = parseSdp(offer('sendonly', [[102, 'H264', h264('42001f')]])).media[0]!;
    expect(choosePublishCodec(baselineOnly)!.payloadType).toBe(102);
  });
});

describe('viewer codec choice', () => {
  const chromium = parseSdp(offer('recvonly', CHROMIUM_VIEWER)).media[0]!;

  it('gives the same H.264 profile when offered, else one whose decoder decodes the stream', () => {
    expect(chooseViewerCodec(chromium, track('H264', h264('42e01f')))!.payloadType).toBe(106);
    expect(chooseViewerCodec(chromium, track('H264', h264('4d001f')))!.payloadType).toBe(127);
    // Chromium announces High decoding as High 4:4:4 Predictive.
    expect(chooseViewerCodec(chromium, track('H264', h264('64001f')))!.payloadType).toBe(39);
    expect(chooseViewerCodec(chromium, track('H264', h264('640c1f')))!.payloadType).toBe(39);
    // A viewer with Constrained Baseline only cannot take Main or High.
    const cbOnly = parseSdp(offer('recvonly', [[106, 'H264', h264('42e01f')]])).media[0]!;
    expect(chooseViewerCodec(cbOnly, track('H264', h264('64001f')))).toBeNull();
    expect(chooseViewerCodec(cbOnly, track('H264', h264('4d001f')))).toBeNull();
    // Everyone decodes Constrained Baseline.
    const highOnly = parseSdp(offer('recvonly', [[112, 'H264', h264('64001f')]])).media[0]!;
    expect(chooseViewerCodec(highOnly, track('H264', h264('42e01f')))!.payloadType).toBe(112);
    // The packetization mode must match.
    const mode0 = parseSdp(offer('recvonly', [[104, 'H264', h264('42e01f', 0)]])).media[0]!;
    expect(chooseViewerCodec(mode0, track('H264', h264('42e01f')))).toBeNull();
  });

  it('matches VP9 by profile-id and AV1 by a profile at least the stream’s', () => {
    expect(chooseViewerCodec(chromium, track('VP9', 'profile-id=0'))!.payloadType).toBe(98);
    expect(chooseViewerCodec(chromium, track('VP9', 'profile-id=2'))!.payloadType).toBe(100);
    expect(chooseViewerCodec(chromium, track('VP9', 'profile-id=1'))).toBeNull();
    expect(chooseViewerCodec(chromium, track('VP9'))!.payloadType).toBe(98);
    expect(chooseViewerCodec(chromium, track('AV1', 'profile=0'))!.payloadType).toBe(45);
    expect(chooseViewerCodec(chromium, track('AV1', 'level-idx=5;profile=1;tier=0'))!.payloadType).toBe(46);
    expect(chooseViewerCodec(chromium, track('AV1', 'profile=2'))).toBeNull();
    expect(chooseViewerCodec(chromium, track('VP8'))!.payloadType).toBe(96);
  });

  it('refuses with 406 naming the codec an offer that wants video but cannot play the stream’s', () => {
    const vp8Only = parseSdp(offer('recvonly', [[96, 'VP8']]));
    const stream = [track('H264', h264('64001f')), { ...track('opus'), id: 1, kind: 'audio' as const, clockRate: 48000, channels: 2 }];
    let err: unknown;
    try {
      assertViewerCanPlay(vp8Only, stream);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: ErrorCode.NOT_ACCEPTABLE, status: 406 });
    expect((err as Error).message).toBe(
      "this stream's video is H264 (high profile, packetization-mode=1); the offer has no video codec that can play it (offered: VP8)",
    );
    // An audio-only player is fine; so is one that offers the codec.
    expect(() => assertViewerCanPlay(parseSdp(offer('recvonly', [[96, 'VP8']]).replace(/m=video[^]*?m=audio/, 'm=audio')), stream)).not.toThrow();
    expect(() => assertViewerCanPlay(parseSdp(offer('recvonly', CHROMIUM_VIEWER)), stream)).not.toThrow();
    expect(describeCodec(track('AV1', 'profile=1'))).toBe('AV1 (profile=1)');
  });
});

/** An RTP packet (version 2, no CSRC, no extension) around a payload. */
function rtp(payload: number[]): Uint8Array {
  return Uint8Array.from([0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, ...payload]);
}

describe('VP9 keyframes (RFC 9628 §4.2)', () => {
  it('start where B is set and P clear, in the base spatial layer', () => {
    // I|P|L|F|B|E|V|Z
    expect(isVp9Keyframe(Uint8Array.from([0x8a, 0x80, 0x01, 0x00]))).toBe(true); // I, B, V; 15-bit picture id
    expect(isVp9Keyframe(Uint8Array.from([0x08, 0x00]))).toBe(true); // B only
    expect(isVp9Keyframe(Uint8Array.from([0xc8, 0x05, 0x00]))).toBe(false); // P: inter predicted
    expect(isVp9Keyframe(Uint8Array.from([0x84, 0x05, 0x00]))).toBe(false); // not the beginning of a frame
    // L: layer indices TID|U|SID|D after a 7-bit picture id
    expect(isVp9Keyframe(Uint8Array.from([0xa8, 0x05, 0x00, 0x00]))).toBe(true); // SID 0
    expect(isVp9Keyframe(Uint8Array.from([0xa8, 0x05, 0x02, 0x00]))).toBe(false); // SID 1: an up-switch point only
    expect(isVp9Keyframe(Uint8Array.from([0xa8]))).toBe(false); // truncated
    expect(isVp9Keyframe(new Uint8Array(0))).toBe(false);
    expect(isKeyframe('VP9', rtp([0x8a, 0x80, 0x01, 0x00]))).toBe(true);
    expect(isKeyframe('vp9', rtp([0xc8, 0x05]))).toBe(false);
  });
});

describe('AV1 keyframes (AV1 RTP payload format §4.4)', () => {
  it('start at N (a new coded video sequence) or at a sequence header OBU', () => {
    // Z|Y|W(2)|N|-|-|-
    expect(isAv1Keyframe(Uint8Array.from([0x18, 0x0a, 0x00]))).toBe(true); // W=1, N
    expect(isAv1Keyframe(Uint8Array.from([0x10, 0x0a, 0x00]))).toBe(true); // W=1, first OBU a sequence header (type 1)
    expect(isAv1Keyframe(Uint8Array.from([0x20, 0x05, 0x0a, 0, 0, 0, 0, 0x32]))).toBe(true); // W=2: length 5, then a sequence header
    expect(isAv1Keyframe(Uint8Array.from([0x00, 0x81, 0x01, 0x0a]))).toBe(true); // W=0: two-byte LEB128 length
    expect(isAv1Keyframe(Uint8Array.from([0x10, 0x32, 0x00]))).toBe(false); // a frame OBU (type 6)
    expect(isAv1Keyframe(Uint8Array.from([0x90, 0x0a, 0x00]))).toBe(false); // Z: continuation of an earlier OBU
    expect(isAv1Keyframe(Uint8Array.from([0x00, 0x85]))).toBe(false); // truncated length
    expect(isKeyframe('AV1', rtp([0x18, 0x0a]))).toBe(true);
    expect(isKeyframe('AV1', rtp([0x50, 0x32]))).toBe(false);
  });
});

describe('H.265 (RFC 7798)', () => {
  // What Chromium announces for H.265 where it has it (hardware), single-stream transmission.
  const H265 = 'level-id=180;profile-id=1;tier-flag=0;tx-mode=SRST';

  it('is taken from publishers in single-stream mode with the offered fmtp, not in multi-stream mode', () => {
    expect(choosePublishCodec(parseSdp(offer('sendonly', [[49, 'H265', H265]])).media[0]!)).toMatchObject({ name: 'H265', fmtp: H265 });
    expect(choosePublishCodec(parseSdp(offer('sendonly', [[49, 'H265']])).media[0]!)).toMatchObject({ name: 'H265', fmtp: '' });
    expect(choosePublishCodec(parseSdp(offer('sendonly', [[49, 'H265', 'profile-id=1;tx-mode=MRST']])).media[0]!)).toBeNull();
  });

  it('goes to viewers that decode its profile and tier', () => {
    const m = parseSdp(offer('recvonly', [...CHROMIUM_VIEWER, [49, 'H265', H265], [51, 'H265', 'level-id=180;profile-id=2;tier-flag=0;tx-mode=SRST']]))
      .media[0]!;
    expect(chooseViewerCodec(m, track('H265', 'profile-id=1'))!.payloadType).toBe(49);
    expect(chooseViewerCodec(m, track('H265', 'profile-id=2;tier-flag=0'))!.payloadType).toBe(51);
    expect(chooseViewerCodec(m, track('H265', 'profile-id=1;tier-flag=1'))).toBeNull();
    expect(chooseViewerCodec(parseSdp(offer('recvonly', CHROMIUM_VIEWER)).media[0]!, track('H265'))).toBeNull();
    expect(describeCodec(track('H265', H265))).toBe('H265 (profile-id=1, tier-flag=0)');
  });

  it('keyframes: IRAP pictures and parameter sets, alone, in an AP or starting an FU', () => {
    const hdr = (type: number): number[] => [type << 1, 0x01];
    expect(isH265Keyframe(Uint8Array.from([...hdr(19), 0xaf]))).toBe(true); // IDR_W_RADL
    expect(isH265Keyframe(Uint8Array.from([...hdr(21), 0xaf]))).toBe(true); // CRA
    expect(isH265Keyframe(Uint8Array.from([...hdr(32), 0x0c]))).toBe(true); // VPS
    expect(isH265Keyframe(Uint8Array.from([...hdr(1), 0xaf]))).toBe(false); // TRAIL_R
    // AP (48): size 3 + a VPS, size 3 + an SPS.
    expect(isH265Keyframe(Uint8Array.from([...hdr(48), 0, 3, ...hdr(32), 0x0c, 0, 3, ...hdr(33), 0x01]))).toBe(true);
    expect(isH265Keyframe(Uint8Array.from([...hdr(48), 0, 3, ...hdr(39), 0x0c]))).toBe(false); // an SEI only
    // FU (49): S bit and the type in the FU header.
    expect(isH265Keyframe(Uint8Array.from([...hdr(49), 0x80 | 20, 0xaf]))).toBe(true);
    expect(isH265Keyframe(Uint8Array.from([...hdr(49), 20, 0xaf]))).toBe(false); // not the first fragment
    expect(isH265Keyframe(Uint8Array.from([...hdr(49), 0x80 | 1, 0xaf]))).toBe(false);
    expect(isKeyframe('H265', rtp([...hdr(19), 0xaf]))).toBe(true);
  });
});
