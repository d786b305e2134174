import { afterEach, describe, expect, it } from 'vitest';
import { NdcEngine } from '../../src/engine/NdcEngine.js';
import { silentLogger } from '../../src/log.js';
import { makeOffer } from '../support/offer.js';
import { waitFor } from '../support/webrtc.js';

let engine: NdcEngine | null = null;

afterEach(async () => {
  await engine?.close();
  expect(engine?.peerCount ?? 0).toBe(0);
  await waitFor(() => (engine?.liveTrackCount ?? 0) === 0, 3000, 10, 'native tracks closed');
  engine = null;
});

const audioSpec = {
  mid: '1',
  kind: 'audio' as const,
  direction: 'recvonly' as const,
  codec: { payloadType: 111, name: 'opus', clockRate: 48000, channels: 2, fmtp: '' },
};
const videoSpec = {
  mid: '0',
  kind: 'video' as const,
  direction: 'recvonly' as const,
  codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' },
};

describe('node-datachannel engine', () => {
  it('answers an offer whose opus has no format parameters', async () => {
    engine = new NdcEngine({ iceAddress: '127.0.0.1', logger: silentLogger() });
    const offer = (await makeOffer({ direction: 'SendOnly' })).replace(/a=fmtp:111 [^\r\n]*\r\n/, '');
    expect(offer).not.toMatch(/a=fmtp:111/);
    const peer = engine.createPeer('t', {});
    const answer = await peer.answer(offer, [videoSpec, audioSpec]);
    expect(answer).toMatch(/a=rtpmap:111 opus\/48000\/2/);
    expect(answer).toMatch(/a=recvonly/);
    peer.close();
  });

  it('announces only --ice-address in its candidates', async () => {
    engine = new NdcEngine({ iceAddress: '192.0.2.7', iceBind: '127.0.0.1', logger: silentLogger() });
    const peer = engine.createPeer('t', {});
    const answer = await peer.answer(await makeOffer({ direction: 'SendOnly' }), [videoSpec, audioSpec]);
    const candidates = answer.match(/^a=candidate:.*$/gm) ?? [];
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(c.split(' ')[4]).toBe('192.0.2.7');
    peer.close();
  });

  it('answers a viewer with RTX tied to the media SSRC by a FID group, and can leave NACK out', async () => {
    engine = new NdcEngine({ iceAddress: '127.0.0.1', logger: silentLogger() });
    const offer = await makeOffer({ direction: 'RecvOnly', audio: false });
    const peer = engine.createPeer('t', {});
    const answer = await peer.answer(offer, [
      {
        mid: '0',
        kind: 'video',
        direction: 'sendonly',
        codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' },
        ssrc: 1234,
        rtx: { payloadType: 97, ssrc: 5678 },
        feedback: ['ccm fir'],
      },
    ]);
    expect(answer).toMatch(/^a=rtpmap:97 RTX\/90000/m);
    expect(answer).toMatch(/^a=fmtp:97 apt=96/m);
    expect(answer).toMatch(/^a=ssrc-group:FID 1234 5678/m);
    expect(answer).toMatch(/^a=ssrc:5678 cname:/m);
    expect(answer).toMatch(/^a=rtcp-fb:96 nack\r?$/m);
    expect(answer).toMatch(/^a=rtcp-fb:96 ccm fir/m);
    peer.close();
    const quiet = engine.createPeer('q', {});
    const noNack = await quiet.answer(offer, [
      {
        mid: '0',
        kind: 'video',
        direction: 'sendonly',
        codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' },
        ssrc: 1,
        noNack: true,
      },
    ]);
    expect(noNack).not.toMatch(/^a=rtcp-fb:96 nack\r?$/m);
    expect(noNack).toMatch(/^a=rtcp-fb:96 nack pli/m);
    quiet.close();
  });

  it('forgets a peer when it closes, and holds its tracks until they report closed', async () => {
    engine = new NdcEngine({ iceAddress: '127.0.0.1', logger: silentLogger() });
    const peer = engine.createPeer('t', {});
    await peer.answer(await makeOffer({ direction: 'SendOnly' }), [videoSpec, audioSpec]);
    expect(engine.peerCount).toBe(1);
    expect(engine.liveTrackCount).toBe(2);
    peer.close();
    peer.close();
    expect(engine.peerCount).toBe(0);
  });
});
