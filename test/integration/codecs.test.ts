import { afterEach, describe, expect, it } from 'vitest';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';

let tree: Tree | null = null;
const sessions: string[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await fetch(s, { method: 'DELETE' });
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

async function post(url: string, sdp: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: sdp });
  const body = await res.text();
  if (res.status === 201) sessions.push(new URL(res.headers.get('location')!, url).href);
  return { status: res.status, body };
}

describe('codecs through a relay', () => {
  it.each([
    ['VP9', /a=rtpmap:98 VP9\/90000/],
    ['AV1', /a=rtpmap:45 AV1\/90000/],
    ['H264', /a=rtpmap:102 H264\/90000[^]*a=fmtp:102 [^\r\n]*profile-level-id=64001f/],
  ] as const)('a %s stream is answered to a viewer offering it, with the viewer’s own payload type and fmtp', async (codec, answer) => {
    tree = await startTree({
      level1: 1,
      level2PerLevel1: 0,
      originFlags: ['--session-connect-timeout', '1m'],
      relayFlags: ['--session-connect-timeout', '1m'],
    });
    const pub = await post(`${tree.origin.url}/whip/cam`, await makeOffer({ direction: 'SendOnly', video: codec, h264Profile: '64001f' }));
    expect(pub.status, pub.body).toBe(201);
    expect(tree.origin.publishers.get('cam')!.info!.tracks.find((t) => t.kind === 'video')!.codec).toBe(codec);
    const view = await post(`${tree.relays[0]!.url}/whep/cam`, await makeOffer({ direction: 'RecvOnly', video: codec, h264Profile: '64001f' }));
    expect(view.status, view.body).toBe(201);
    expect(view.body).toMatch(answer);
  });

  it('refuses with 406 naming the codec a viewer whose offer cannot play the stream', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, originFlags: ['--session-connect-timeout', '1m'] });
    expect((await post(`${tree.origin.url}/whip/cam`, await makeOffer({ direction: 'SendOnly', video: 'H264', h264Profile: '640c1f' }))).status).toBe(201);
    const vp8 = await post(`${tree.relays[0]!.url}/whep/cam`, await makeOffer({ direction: 'RecvOnly', video: 'VP8' }));
    expect(vp8.status).toBe(406);
    expect(vp8.body).toMatch(
      /^this stream's video is H264 \(constrained-high profile, packetization-mode=1\); the offer has no video codec that can play it \(offered: VP8\)/,
    );
    // Constrained Baseline decoders cannot take Constrained High either.
    const cb = await post(`${tree.relays[0]!.url}/whep/cam`, await makeOffer({ direction: 'RecvOnly', video: 'H264', h264Profile: '42e01f' }));
    expect(cb.status).toBe(406);
    expect(cb.body).toMatch(/offered: H264 \(constrained-baseline profile, packetization-mode=1\)/);
  });
});
