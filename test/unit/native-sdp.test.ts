import { describe, expect, it } from 'vitest';
import { buildAnswer, offerTransport } from '../../src/engine/nativeSdp.js';
import { makeOffer } from '../support/offer.js';

const params = {
  ufrag: 'abcd',
  pwd: 'abcdefghijklmnopqrstuv',
  fingerprint: 'AA:BB',
  setup: 'passive' as const,
  address: '127.0.0.1',
  port: 40000,
  sessionId: '1',
};

describe('native engine SDP', () => {
  it('answers ICE-lite with one BUNDLE group of the accepted m-sections and rejects the rest with port 0', async () => {
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const t = offerTransport(offer);
    expect(t.setup).toBe('actpass');
    expect(t.sections.map((s) => s.mid)).toEqual(['0', '1']);
    const answer = buildAnswer(
      t,
      [
        {
          mid: '0',
          kind: 'video',
          direction: 'sendonly',
          codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' },
          ssrc: 11,
          rtx: { payloadType: 97, ssrc: 12 },
          noNack: false,
        },
      ],
      params,
    );
    expect(answer).toMatch(/^a=ice-lite\r$/m);
    expect(answer).toMatch(/^a=group:BUNDLE 0\r$/m);
    expect(answer).toMatch(/^m=video 9 UDP\/TLS\/RTP\/SAVPF 96 97\r$/m);
    expect(answer).toMatch(/^m=audio 0 /m);
    expect(answer).toMatch(/^a=ssrc-group:FID 11 12\r$/m);
    expect(answer).toMatch(/^a=fmtp:97 apt=96\r$/m);
    expect(answer).toMatch(/^a=rtcp-fb:96 nack\r$/m);
    expect(answer).toMatch(/^a=candidate:1 1 udp 2130706431 127\.0\.0\.1 40000 typ host\r$/m);
    expect(answer).toMatch(/^a=setup:passive\r$/m);
  });

  it('rejects offers without usable ICE credentials, fingerprint or setup with a one-line reason', async () => {
    const offer = await makeOffer({ direction: 'RecvOnly' });
    expect(() => offerTransport(offer.replace(/a=ice-pwd:\S+/g, 'a=ice-pwd:short'))).toThrow(/ice-pwd/);
    expect(() => offerTransport(offer.replace(/a=fingerprint:\S+ \S+/g, 'a=fingerprint:md5 00'))).toThrow(/fingerprint/);
    expect(() => offerTransport(offer.replace(/a=setup:\S+/g, 'a=setup:holdconn'))).toThrow(/setup/);
    expect(() => offerTransport(offer.replace(/a=ice-ufrag:\S+/g, 'a=ice-ufrag:a b'))).toThrow(/ice-ufrag/);
  });
});
