import { describe, expect, it } from 'vitest';
import { choosePublishCodec, chooseViewerCodec } from '../../src/codecs.js';
import { ErrorCode } from '../../src/errors.js';
import { parseSdp, rewriteCandidates } from '../../src/sdp.js';

const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=fingerprint:sha-256 AA:BB',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:0123456789012345678901',
  'a=mid:0',
  'a=sendonly',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000',
  'a=ssrc:1111 cname:x',
  'm=video 9 UDP/TLS/RTP/SAVPF 98 102 104 96 97',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=sendonly',
  'a=rtpmap:98 VP9/90000',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f',
  'a=rtpmap:104 H264/90000',
  'a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  '',
].join('\r\n');

describe('SDP parsing', () => {
  it('reads media sections, codecs, format parameters and SSRCs', () => {
    const s = parseSdp(offer);
    expect(s.media.map((m) => [m.kind, m.mid, m.direction])).toEqual([
      ['audio', '0', 'sendonly'],
      ['video', '1', 'sendonly'],
    ]);
    expect(s.media[0]!.codecs[0]).toMatchObject({ payloadType: 111, name: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' });
    expect(s.media[0]!.ssrcs).toEqual([1111]);
    expect(s.media[1]!.codecs.find((c) => c.payloadType === 102)!.rtcpFb).toEqual(['nack pli']);
  });

  it('rejects what cannot be answered with a 400-class error', () => {
    const bad = (text: string) => expect(() => parseSdp(text)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_REQUEST }));
    bad('hello');
    bad('v=0\r\ns=-\r\n');
    bad(offer.replace('a=fingerprint:sha-256 AA:BB\r\n', ''));
    bad(offer.replace('a=mid:1\r\n', ''));
    bad(offer.replace('m=video 9 UDP/TLS/RTP/SAVPF 98', 'm=video 9 UDP/TLS/RTP/SAVPF 300'));
    expect(() => parseSdp('v=0\r\n' + 'a=x\r\n'.repeat(20000))).toThrow(expect.objectContaining({ code: ErrorCode.PAYLOAD_TOO_LARGE }));
  });
});

describe('codec choice', () => {
  it("takes the publisher's first supported codec, skipping H264 packetization-mode 0", () => {
    const s = parseSdp(offer);
    expect(choosePublishCodec(s.media[0]!)!.name).toBe('opus');
    expect(choosePublishCodec(s.media[1]!)!.name).toBe('VP9');
    const noVp9 = parseSdp(offer.replace('m=video 9 UDP/TLS/RTP/SAVPF 98 ', 'm=video 9 UDP/TLS/RTP/SAVPF '));
    expect(choosePublishCodec(noVp9.media[1]!)!.payloadType).toBe(104);
  });

  it("matches a viewer's payload type to the stream's codec and H264 profile", () => {
    const s = parseSdp(offer.replace(/a=sendonly/g, 'a=recvonly'));
    const h264 = {
      id: 1,
      kind: 'video' as const,
      codec: 'H264',
      payloadType: 125,
      clockRate: 90000,
      channels: 0,
      fmtp: 'packetization-mode=1;profile-level-id=42e01f',
    };
    expect(chooseViewerCodec(s.media[1]!, h264)!.payloadType).toBe(104);
    expect(chooseViewerCodec(s.media[1]!, { ...h264, codec: 'VP8', fmtp: '' })!.payloadType).toBe(96);
    expect(chooseViewerCodec(s.media[1]!, { ...h264, codec: 'AV1', fmtp: '' })).toBeNull();
    expect(chooseViewerCodec(s.media[0]!, h264)).toBeNull();
  });
});

describe('candidate rewriting', () => {
  it('announces one address per transport and port, and rewrites connection lines', () => {
    const answer = [
      'v=0',
      'm=video 5000 UDP/TLS/RTP/SAVPF 96',
      'c=IN IP4 10.0.0.5',
      'a=candidate:1 1 UDP 2114977791 10.0.0.5 5000 typ host',
      'a=candidate:2 1 UDP 2114977790 172.17.0.1 5000 typ host',
      'a=end-of-candidates',
      '',
    ].join('\r\n');
    const out = rewriteCandidates(answer, '203.0.113.7');
    expect(out).toContain('c=IN IP4 203.0.113.7');
    expect(out.match(/a=candidate:/g)!.length).toBe(1);
    expect(out).toContain('a=candidate:1 1 UDP 2114977791 203.0.113.7 5000 typ host');
  });
});
