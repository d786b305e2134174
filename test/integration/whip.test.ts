import { afterEach, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

const sdp = (body: string, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'Content-Type': 'application/sdp', ...headers }, body });

describe('WHIP at the origin (RFC 9725)', () => {
  it('answers 201 with an SDP answer, a Location and an ETag, and ends the session on DELETE', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    expect(pub.sessionUrl).toMatch(new RegExp(`^${tree.origin.url}/whip/cam/[0-9a-f-]{36}$`));
    expect(pub.etag).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(pub.answerSdp).toMatch(/^v=0\r\n/);
    expect(tree.origin.publishers.size).toBe(1);
    const del = await fetch(pub.sessionUrl!, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(tree.origin.publishers.size).toBe(0);
    expect((await fetch(pub.sessionUrl!, { method: 'DELETE' })).status).toBe(404);
  });

  it('advertises application/sdp on OPTIONS and refuses PATCH with 405', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    const opt = await fetch(`${tree.origin.url}/whip/cam`, { method: 'OPTIONS' });
    expect(opt.status).toBe(204);
    expect(opt.headers.get('accept-post')).toBe('application/sdp');
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const patch = await fetch(pub.sessionUrl!, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/trickle-ice-sdpfrag' },
      body: 'a=end-of-candidates\r\n',
    });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toMatch(/DELETE/);
  });

  it('rejects a wrong content type with 415 and a malformed offer with 400', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    const wrongType = await fetch(`${tree.origin.url}/whip/cam`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'v=0' });
    expect(wrongType.status).toBe(415);
    const malformed = await fetch(`${tree.origin.url}/whip/cam`, sdp('v=0\r\nthis is not sdp\r\n'));
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toMatch(/malformed SDP/);
    expect((await fetch(`${tree.origin.url}/whip/cam/nope`, { method: 'DELETE' })).status).toBe(404);
    expect(tree.origin.publishers.size).toBe(0);
  });

  it('requires the publish token as a Bearer token when one is set', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0, originFlags: ['--publish-token', 's3cret'] });
    expect((await fetch(`${tree.origin.url}/whip/cam`, sdp('v=0\r\n'))).status).toBe(401);
    expect((await fetch(`${tree.origin.url}/whip/cam`, sdp('v=0\r\n', { Authorization: 'Bearer nope' }))).status).toBe(401);
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE, token: 's3cret' });
    clients.push(pub);
    await pub.start();
    expect((await fetch(pub.sessionUrl!, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(pub.sessionUrl!, { method: 'DELETE', headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
  });

  it('lets a second publisher on a live name replace the first while viewers keep playing', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0 });
    const first = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(first);
    await first.start();
    const viewer = new NodeViewer({ url: `${tree.relays[0]!.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 50, 20_000, 'video from the first publisher');

    const second = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(second);
    await second.start();
    // It takes over once its own media arrives (--publisher-replace after-media).
    const secondId = second.sessionUrl!.split('/').pop();
    await waitFor(() => tree!.origin.publishers.get('cam')?.id === secondId, 5000, 20, 'the second publisher takes over');
    expect(tree.origin.publishers.size).toBe(1);
    const seen = viewer.video.packets;
    await viewer.waitFor(() => viewer.video.packets >= seen + 100, 20_000, 'video from the second publisher');
    // Same viewer SSRC throughout: the switch is invisible to the viewer's decoder.
    expect(viewer.video.ssrcs.size).toBe(1);
    await waitFor(() => tree!.relays[0]!.node.viewers.size === 1, 1000);
  });

  it('refuses WHEP viewers at the origin unless --serve-viewers is set', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const refused = new NodeViewer({ url: `${tree.origin.url}/whep/cam` });
    clients.push(refused);
    expect((await refused.start()).status).toBe(403);
  });

  it('serves WHEP viewers at the origin with --serve-viewers', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const viewer = new NodeViewer({ url: `${tree.origin.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 30, 20_000, 'video at an origin viewer');
  });
});
