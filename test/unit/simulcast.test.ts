import { describe, expect, it } from 'vitest';
import {
  addToSection,
  LayerDemux,
  MAX_SIMULCAST_LAYERS,
  parseSimulcastOffer,
  readHeaderExtension,
  simulcastAnswerLines,
  URI_MID,
  URI_REPAIRED_RID,
  URI_RID,
} from '../../src/engine/simulcast.js';

// An OBS-style offer (libdatachannel's Description with addRid: no a=ssrc, rids then
// a=simulcast:send), and Chromium's sendEncodings offer shape (extmap ids as Chromium picks them).
const OBS_VIDEO = [
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=sendonly',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'a=rtpmap:96 H264/90000',
  'a=rid:0 send',
  'a=rid:1 send',
  'a=rid:2 send',
  'a=simulcast:send 0;1;2',
];
const sdp = (video: string[]): string =>
  ['v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=rtpmap:111 opus/48000/2', ...video, ''].join('\r\n');

function rtp(ssrc: number, ext: Buffer | null): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80 | (ext ? 0x10 : 0);
  h[1] = 96;
  h.writeUInt32BE(ssrc, 8);
  return Buffer.concat([h, ext ?? Buffer.alloc(0), Buffer.from([1, 2, 3])]);
}

/** RFC 8285 §4.2 one-byte header extension block. */
function oneByte(elems: Array<[number, string]>): Buffer {
  const body = Buffer.concat(elems.map(([id, v]) => Buffer.concat([Buffer.from([(id << 4) | (v.length - 1)]), Buffer.from(v)])));
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const head = Buffer.from([0xbe, 0xde, 0, padded.length / 4]);
  return Buffer.concat([head, padded]);
}

/** RFC 8285 §4.3 two-byte header extension block (with a padding byte first). */
function twoByte(elems: Array<[number, string]>): Buffer {
  const body = Buffer.concat([Buffer.from([0]), ...elems.map(([id, v]) => Buffer.concat([Buffer.from([id, v.length]), Buffer.from(v)]))]);
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  return Buffer.concat([Buffer.from([0x10, 0x00, 0, padded.length / 4]), padded]);
}

describe('simulcast offers (RFC 8853, RFC 8851)', () => {
  it('reads an OBS-style offer: rids in order, the three extension ids', () => {
    const s = parseSimulcastOffer(sdp(OBS_VIDEO), '1');
    expect(s).toEqual({ mid: '1', rids: ['0', '1', '2'], dropped: [], extIds: { mid: 4, rid: 10, repairedRid: 11 } });
    expect(parseSimulcastOffer(sdp(OBS_VIDEO), '0')).toBeNull();
  });

  it('keeps at most three layers, skips paused ones and rids without a=rid, takes the first alternative', () => {
    const video = [...OBS_VIDEO.slice(0, 7), 'a=rid:a send', 'a=rid:b send', 'a=rid:c send', 'a=rid:d send', 'a=rid:e send', 'a=simulcast:send ~a;b,c;x;c;d;e'];
    const s = parseSimulcastOffer(sdp(video), '1')!;
    expect(s.rids).toEqual(['b', 'c', 'd']);
    expect(s.rids.length).toBe(MAX_SIMULCAST_LAYERS);
    expect(s.dropped).toEqual(['~a', 'x', 'e']);
  });

  it('answers with the extmaps, a=rid recv lines and a=simulcast:recv in the video section only', () => {
    const s = parseSimulcastOffer(sdp(OBS_VIDEO), '1')!;
    const lines = simulcastAnswerLines(s);
    expect(lines).toEqual([
      `a=extmap:4 ${URI_MID}`,
      `a=extmap:10 ${URI_RID}`,
      `a=extmap:11 ${URI_REPAIRED_RID}`,
      'a=rid:0 recv',
      'a=rid:1 recv',
      'a=rid:2 recv',
      'a=simulcast:recv 0;1;2',
    ]);
    const answer = sdp(['m=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=extmap:4 urn:x', 'a=recvonly']);
    const out = addToSection(answer, '1', lines);
    const video = out.slice(out.indexOf('m=video'));
    expect(video).toContain('a=simulcast:recv 0;1;2\r\n');
    expect(video).not.toContain('urn:x');
    expect(out.slice(0, out.indexOf('m=video'))).not.toContain('a=rid');
  });

  it('no simulcast without a=simulcast', () => {
    expect(parseSimulcastOffer(sdp(OBS_VIDEO.slice(0, -1)), '1')).toBeNull();
  });
});

describe('RTP stream id header extensions (RFC 8852, RFC 8285)', () => {
  it('reads one-byte and two-byte forms, skipping padding, and stops at id 15', () => {
    const p1 = rtp(
      1,
      oneByte([
        [4, '1'],
        [10, 'hi'],
      ]),
    );
    expect(Buffer.from(readHeaderExtension(p1, 10)!).toString()).toBe('hi');
    expect(Buffer.from(readHeaderExtension(p1, 4)!).toString()).toBe('1');
    expect(readHeaderExtension(p1, 11)).toBeNull();
    const p2 = rtp(
      1,
      twoByte([
        [10, 'q'],
        [200, 'long-value-x'],
      ]),
    );
    expect(Buffer.from(readHeaderExtension(p2, 10)!).toString()).toBe('q');
    expect(Buffer.from(readHeaderExtension(p2, 200)!).toString()).toBe('long-value-x');
    const stop = rtp(1, Buffer.from([0xbe, 0xde, 0, 1, 0xf0, 0xa0, 0x61, 0]));
    expect(readHeaderExtension(stop, 10)).toBeNull();
    expect(readHeaderExtension(rtp(1, null), 10)).toBeNull();
  });

  it('rejects a truncated element', () => {
    // Element says 4 bytes but the block holds 3.
    const bad = rtp(1, Buffer.from([0xbe, 0xde, 0, 1, 0xa3, 0x61, 0x62, 0x63]));
    expect(readHeaderExtension(bad, 10)).toBeNull();
  });

  it('learns SSRC to layer from rid and repaired-rid, then knows the SSRC without them', () => {
    const d = new LayerDemux(parseSimulcastOffer(sdp(OBS_VIDEO), '1')!);
    expect(d.classify(rtp(111, null))).toBeNull();
    expect(d.classify(rtp(111, oneByte([[10, '2']])))).toEqual({ rid: '2', repair: false });
    expect(d.classify(rtp(111, null))).toEqual({ rid: '2', repair: false });
    expect(d.classify(rtp(222, oneByte([[11, '2']])))).toEqual({ rid: '2', repair: true });
    // An unknown rid is no layer; a restarted encoder's new SSRC replaces the old one.
    expect(d.classify(rtp(333, oneByte([[10, '9']])))).toBeNull();
    expect(d.classify(rtp(444, oneByte([[10, '2']])))).toEqual({ rid: '2', repair: false });
    expect(d.classify(rtp(111, null))).toBeNull();
    expect(
      d
        .ssrcs()
        .map((s) => s.ssrc)
        .sort(),
    ).toEqual([222, 444]);
  });
});
