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

interface PipeLinkState {
  side: 'upstream' | 'downstream';
  peer: string | null;
  media: 'ws' | 'udp';
}

async function pipeLinks(url: string): Promise<PipeLinkState[]> {
  const s = (await (await fetch(`${url}/api/state`)).json()) as { node: { pipe: { links: PipeLinkState[] } } };
  return s.node.pipe.links;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) sum += Number(line.split(' ').pop());
  return sum;
}

/** The fixture published at the origin and one viewer at `relayUrl`, both closed after the test. */
async function publishAndWatch(relayUrl: string): Promise<{ pub: NodePublisher; viewer: NodeViewer }> {
  const pub = new NodePublisher({ url: `${tree!.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
  clients.push(pub);
  await pub.start();
  const viewer = new NodeViewer({ url: `${relayUrl}/whep/cam` });
  clients.push(viewer);
  expect((await viewer.start()).status).toBe(201);
  return { pub, viewer };
}

async function playing(viewer: NodeViewer, video: number, audio: number, what: string): Promise<void> {
  await viewer.waitFor(() => viewer.video.packets >= video && viewer.audio.packets >= audio, 20_000, what);
}

describe('UDP media pipes between relays', () => {
  it('carries a stream origin → level 1 → level 2 with every link on udp, and control stays on the WebSocket', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--link-media', 'udp'] });
    const [l1, l2] = tree.relays;
    await waitFor(() => l1!.parents.current?.link.mediaPath === 'udp' && l2!.parents.current?.link.mediaPath === 'udp', 5000, 10, 'pipes up');

    const { pub, viewer } = await publishAndWatch(l2!.url);
    await playing(viewer, 200, 100, 'media at the viewer over two pipes');

    for (const node of [tree.origin, l1!, l2!]) {
      for (const l of await pipeLinks(node.url)) expect(l.media).toBe('udp');
    }
    expect((await pipeLinks(l1!.url)).map((l) => l.side).sort()).toEqual(['downstream', 'upstream']);
    // Media went on the pipes: each relay received pipe packets, and each parent sent them.
    expect(await metric(l2!.url, 'canopy_pipe_packets_received_total')).toBeGreaterThan(200);
    expect(await metric(l1!.url, 'canopy_pipe_packets_received_total')).toBeGreaterThan(200);
    expect(await metric(tree.origin.url, 'canopy_pipe_packets_sent_total')).toBeGreaterThan(200);
    expect(await metric(l1!.url, 'canopy_links_by_media_path{side="upstream",path="udp"}')).toBe(1);
    expect(await metric(l1!.url, 'canopy_links_by_media_path{side="downstream",path="udp"}')).toBe(1);
    // Keyframe requests still travel up the WebSocket control channel.
    // Until no hop holds a deferred request (the per-hop debounce): the next one is the viewer's.
    await waitFor(
      () => [tree!.origin, l1!, l2!].every((n) => (n.node.hub.get('cam')?.pendingTimers ?? 0) === 0),
      3000,
      10,
      'no keyframe request deferred on the path',
    );
    const before = pub.keyframeRequests;
    expect(viewer.requestKeyframe()).toBe(true);
    await waitFor(() => pub.keyframeRequests > before, 5000, 10, 'viewer PLI at the publisher');
    expect(await metric(l2!.url, 'canopy_pipe_packets_dropped_total')).toBe(0);
  });

  it('keeps media on the WebSocket with auto when UDP is blocked, and moves a playing viewer to the WebSocket within 2 s when the pipe goes silent, and back once UDP passes again', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0 });
    const [l1] = tree.relays;
    const up = l1!.parents.current!.link;
    await waitFor(() => up.mediaPath === 'udp', 5000, 10, 'auto pipe up (the default)');

    const { viewer } = await publishAndWatch(l1!.url);
    await playing(viewer, 100, 50, 'media over the pipe');

    // A firewall starts dropping the pipe mid-stream.
    l1!.node.pipeHost.blocked = true;
    const blockedAt = Date.now();
    await waitFor(() => up.mediaPath === 'ws', 3000, 10, 'fallback to the WebSocket');
    expect(Date.now() - blockedAt).toBeLessThan(2000);
    const seen = viewer.video.packets;
    await playing(viewer, seen + 100, 0, 'media over the WebSocket after the fallback');
    expect(await metric(l1!.url, 'canopy_pipe_fallbacks_total')).toBeGreaterThanOrEqual(1);
    expect((await pipeLinks(l1!.url))[0]).toMatchObject({ side: 'upstream', media: 'ws' });
    // The viewer stayed: one session, never re-subscribed upstream.
    expect(l1!.node.viewers.size).toBe(1);
    expect(l1!.node.counters.subscriptionsOpened.get()).toBe(1);

    // The firewall opens again: the link retries (backoff from 2 s) and media returns to the pipe.
    l1!.node.pipeHost.blocked = false;
    await waitFor(() => up.mediaPath === 'udp', 6000, 10, 'back on the pipe');
    const received = await metric(l1!.url, 'canopy_pipe_packets_received_total');
    const seenAgain = viewer.video.packets;
    await playing(viewer, seenAgain + 100, 0, 'media over the pipe again');
    expect(await metric(l1!.url, 'canopy_pipe_packets_received_total')).toBeGreaterThan(received + 50);
    expect(l1!.node.counters.subscriptionsOpened.get()).toBe(1);
  });

  it('stays on the WebSocket when auto cannot complete a UDP handshake', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    tree.origin.node.pipeHost.blocked = true;
    const { RelayServer } = await import('../../relay/RelayServer.js');
    const { loadRelayConfig } = await import('../../relay/config.js');
    const { silentLogger } = await import('../../src/log.js');
    const relay = new RelayServer(
      loadRelayConfig(['--id', 'r', '--parent', tree.origin.linkUrl, '--listen', '127.0.0.1:0', '--ice-address', '127.0.0.1'], {
        CANOPY_CLUSTER_SECRET: tree.secret!,
      }),
      silentLogger(),
    );
    await relay.listen();
    await relay.whenLinked();
    tree.relays.push(relay);
    const up = relay.parents.current!.link;
    await waitFor(() => up.pipe?.reason?.includes('no pipe handshake') ?? false, 3000, 10, 'handshake given up');
    expect(up.mediaPath).toBe('ws');
    expect(await metric(relay.url, 'canopy_pipe_fallbacks_total{reason="handshake"}')).toBe(1);
    const { viewer } = await publishAndWatch(relay.url);
    await playing(viewer, 100, 50, 'media over the WebSocket');
  });
});

describe('per-hop repair on a UDP pipe', () => {
  it('recovers the packets a lossy pipe drops with NACKs answered from the parent’s history', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--link-media', 'udp'] });
    const [l1] = tree.relays;
    const up = l1!.parents.current!.link;
    await waitFor(() => up.mediaPath === 'udp', 5000, 10, 'pipe up');
    // The origin's pipe loses every 20th datagram it sends (5%).
    tree.origin.node.pipeHost.dropEvery = 20;
    const { viewer } = await publishAndWatch(l1!.url);
    await playing(viewer, 400, 200, 'media over a lossy pipe');
    await waitFor(async () => (await metric(l1!.url, 'canopy_pipe_repaired_total')) > 10, 5000, 50, 'repairs on the pipe');
    const repaired = await metric(l1!.url, 'canopy_pipe_repaired_total');
    const unrepaired = await metric(l1!.url, 'canopy_pipe_unrepaired_total');
    const nacked = await metric(l1!.url, 'canopy_pipe_nacks_sent_total');
    expect(repaired).toBeGreaterThan(10);
    expect(nacked).toBeGreaterThanOrEqual(repaired);
    expect(await metric(tree.origin.url, 'canopy_pipe_retransmitted_total')).toBeGreaterThanOrEqual(repaired);
    // At 5% loss a retransmission is lost too now and then, and asked for again: nothing is given up.
    expect(unrepaired).toBe(0);
    expect(up.mediaPath).toBe('udp');
  });
});
