import { afterEach, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { seqDiff } from '../support/rtp.js';
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

async function state(url: string): Promise<{ node: Record<string, unknown>; streams: Array<Record<string, unknown>> }> {
  return (await fetch(`${url}/api/state`)).json() as never;
}

/** Checks that every received payload is byte-identical to the one sent at the same position. */
function assertIntact(sent: Buffer[], received: Buffer[], seqs: number[]): void {
  expect(received.length).toBeGreaterThan(0);
  const candidates = sent.map((p, i) => (p.equals(received[0]!) ? i : -1)).filter((i) => i >= 0);
  expect(candidates.length).toBeGreaterThan(0);
  const ok = candidates.some((start) =>
    received.every((p, i) => {
      const at = start + seqDiff(seqs[i]!, seqs[0]!);
      return at < sent.length && sent[at]!.equals(p);
    }),
  );
  expect(ok).toBe(true);
}

describe('origin → level-1 → level-2 relay', () => {
  it('delivers a Node publisher’s recorded RTP intact to a WHEP viewer at level 2', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1 });
    const [l1, l2] = tree.relays;
    expect(l1!.level).toBe(1);
    expect(l2!.level).toBe(2);

    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE, keepPayloads: true });
    clients.push(pub);
    await pub.start();

    const viewer = new NodeViewer({ url: `${l2!.url}/whep/cam`, keepPayloads: true });
    clients.push(viewer);
    const res = await viewer.start();
    expect(res.status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 200 && viewer.audio.packets >= 100, 20_000, 'media at the viewer');

    // Rewritten for this viewer: its own SSRC, the payload type of its answer.
    const answer = viewer.answerMedia();
    const videoPt = answer.find((m) => m.kind === 'video')!.formats[0];
    expect([...viewer.video.payloadTypes]).toEqual([videoPt]);
    expect(viewer.video.ssrcs.size).toBe(1);
    expect([...viewer.video.ssrcs][0]).not.toBe(pub.ssrc('video'));
    expect(viewer.video.malformed).toBe(0);

    assertIntact(pub.sentPayloads.video, viewer.video.payloads, viewer.video.sequenceNumbers);
    assertIntact(pub.sentPayloads.audio, viewer.audio.payloads, viewer.audio.sequenceNumbers);
    expect(viewer.video.keyframes).toBeGreaterThan(0);

    // The joining viewer's keyframe request travelled up two relays to the publisher.
    await waitFor(() => pub.keyframeRequests >= 1, 5000, 10, 'PLI at the publisher');
    const before = pub.keyframeRequests;
    // Until no hop holds a deferred request (the per-hop debounce): the next one is the viewer's.
    await waitFor(
      () => [tree!.origin, l1!, l2!].every((n) => (n.node.hub.get('cam')?.pendingTimers ?? 0) === 0),
      3000,
      10,
      'no keyframe request deferred on the path',
    );
    expect(viewer.requestKeyframe()).toBe(true);
    await waitFor(() => pub.keyframeRequests > before, 5000, 10, 'viewer PLI at the publisher');

    const s2 = await state(l2!.url);
    expect(s2.node).toMatchObject({ id: l2!.config.id, role: 'relay', level: 2 });
    expect(s2.streams).toMatchObject([
      { name: 'cam', start: null, viewers: 1, children: 0, upstream: { kind: 'parent', peer: l1!.config.id, state: 'ready' } },
    ]);
    const s1 = await state(l1!.url);
    expect(s1.streams).toMatchObject([{ name: 'cam', start: null, viewers: 0, children: 1, upstream: { kind: 'origin', peer: 'origin', state: 'ready' } }]);
    const s0 = await state(tree.origin.url);
    expect(s0.node).toMatchObject({ id: 'origin', role: 'origin', level: 0 });
    expect(s0.streams).toMatchObject([{ name: 'cam', start: null, viewers: 0, children: 1, upstream: null, publisher: true }]);
  });

  it('answers 404 at a level-2 relay for a stream no publisher has', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1, originFlags: ['--startup-grace', '0'] });
    const viewer = new NodeViewer({ url: `${tree.relays[1]!.url}/whep/nobody` });
    clients.push(viewer);
    const res = await viewer.start();
    expect(res.status).toBe(404);
    expect(res.body).toMatch(/not found/);
  });

  it('answers 503 "not yet" with Retry-After, not 404, for an unknown stream during the origin’s start-up grace', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1, originFlags: ['--startup-grace', '30s'] });
    const res = await fetch(`${tree.relays[1]!.url}/whep/nobody`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: await makeOffer({ direction: 'RecvOnly' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    expect(await res.text()).toMatch(/not published yet/);
  });

  it('plays a publisher without audio to a viewer that offers audio too', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1 });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE, audio: false });
    clients.push(pub);
    await pub.start();
    const viewer = new NodeViewer({ url: `${tree.relays[1]!.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 100, 20_000, 'video at the viewer');
    expect(viewer.audio.packets).toBe(0);
  });

  it('tells viewers when the publisher leaves (RTCP BYE, session status "paused") and keeps their sessions: they play on when it returns within the grace', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1 });
    const l2 = tree.relays[1]!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    await pub.start();
    const viewer = new NodeViewer({ url: `${l2.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 50, 20_000, 'video at the viewer');
    const status = async () => (await (await fetch(viewer.sessionUrl!)).json()) as { state: string; reason?: string };
    expect(await status()).toMatchObject({ state: 'playing', stream: 'cam' });
    const session = [...l2.node.viewers.keys()];
    await pub.close(); // DELETE: the broadcaster ended the broadcast
    let paused: { state: string; reason?: string } = { state: '' };
    await waitFor(async () => (paused = await status()).state === 'paused', 5000, 20, 'the session to say the broadcast paused');
    expect(paused.reason).toBe('the broadcaster ended the broadcast');
    expect([...l2.node.viewers.keys()]).toEqual(session);

    const pub2 = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub2);
    const before = viewer.video.packets;
    await pub2.start();
    await viewer.waitFor(() => viewer.video.packets >= before + 50 && viewer.video.keyframes >= 2, 20_000, 'video again on the same session');
    expect(await status()).toMatchObject({ state: 'playing' });
    expect([...l2.node.viewers.keys()]).toEqual(session);
  });

  it('ends viewers’ sessions once the publisher has not returned within --reconnect-grace, and plays a new publisher of the same name', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1, originFlags: ['--reconnect-grace', '1s'] });
    const l2 = tree.relays[1]!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    await pub.start();
    const viewer = new NodeViewer({ url: `${l2.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 50, 20_000, 'video at the viewer');
    await pub.close();
    await waitFor(() => l2.node.viewers.size === 0 && l2.node.hub.feeds.size === 0, 8000, 10, 'viewer session closed at the relay');
    expect(tree.origin.node.hub.feeds.size).toBe(0);

    const pub2 = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub2);
    await pub2.start();
    const viewer2 = new NodeViewer({ url: `${l2.url}/whep/cam` });
    clients.push(viewer2);
    expect((await viewer2.start()).status).toBe(201);
    await viewer2.waitFor(() => viewer2.video.packets >= 50, 20_000, 'video at the second viewer');
  });
});
