import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { canopy } from '../../src/gen/discovery.js';
import { createHmac } from 'node:crypto';
import { defaultLanGroup, discoveryKey } from '../../src/discovery/SiblingDiscovery.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];
const SECRET = ['--cluster-secret', 'sibling-test-secret'];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

const relay = (id: string) => tree!.relays.find((r) => r.config.id === id)!;
const counter = async (id: string, name: string) => (await relay(id).node.metrics.render()).match(new RegExp(`^canopy_${name} (\\d+)$`, 'm'))?.[1] ?? 'absent';

async function publish(): Promise<NodePublisher> {
  const pub = new NodePublisher({ url: `${tree!.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
  clients.push(pub);
  await pub.start();
  return pub;
}

async function watch(id: string): Promise<NodeViewer> {
  const v = new NodeViewer({ url: `${relay(id).url}/whep/cam` });
  clients.push(v);
  expect((await v.start()).status).toBe(201);
  await v.waitFor(() => v.video.packets >= 30, 15_000, `video at ${id}`);
  return v;
}

async function state(id: string): Promise<{ node: { siblings: Array<{ id: string }> }; streams: Array<Record<string, unknown>> }> {
  return (await fetch(`${relay(id).url}/api/state`)).json() as never;
}

/** One WHEP offer POSTed to each relay at the same moment; the session URLs. */
async function postAtOnce(ids: string[]): Promise<string[]> {
  const offer = await makeOffer({ direction: 'RecvOnly' });
  return Promise.all(
    ids.map(async (id) => {
      const res = await fetch(`${relay(id).url}/whep/cam`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
      expect(res.status, await res.text()).toBe(201);
      return new URL(res.headers.get('location')!, relay(id).url).href;
    }),
  );
}

describe('sibling relays', () => {
  it('pull a stream from the sibling that carries it instead of the parent', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 2, flags: SECRET });
    await publish();
    await watch('relay-a1');
    await watch('relay-a2');

    const s2 = await state('relay-a2');
    expect(s2.streams).toMatchObject([{ name: 'cam', start: null, viewers: 1, children: 0, upstream: { kind: 'sibling', peer: 'relay-a1', state: 'ready' } }]);
    expect(s2.node.siblings.map((s) => s.id)).toContain('relay-a1');
    const s1 = await state('relay-a1');
    expect(s1.streams).toMatchObject([{ name: 'cam', start: null, viewers: 1, children: 1, upstream: { kind: 'parent', peer: 'relay-a', state: 'ready' } }]);
    // One copy entered the group: the parent serves one subscription.
    expect(relay('relay-a').node.hub.get('cam')!.consumers.size).toBe(1);
    expect(await counter('relay-a2', 'sibling_hits_total')).toBe('1');
    expect(await counter('relay-a2', 'sibling_pulls_total')).toBe('1');
    expect(await counter('relay-a1', 'sibling_misses_total')).toBe('1');
    expect(await counter('relay-a1', 'sibling_queries_total')).toBe('1');
    // The sibling link is a link like any other: with the default --link-media auto its media
    // moves to a UDP pipe.
    await waitFor(() => relay('relay-a2').siblings.links.get('relay-a1')?.mediaPath === 'udp', 3000, 10, 'sibling link on the pipe');
  });

  it('let exactly one of four siblings fetch from the parent when all miss at once', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 4, flags: SECRET });
    await publish();
    const ids = ['relay-a1', 'relay-a2', 'relay-a3', 'relay-a4'];
    const sessions = await postAtOnce(ids);
    const parentFeed = relay('relay-a').node.hub.get('cam')!;
    expect(parentFeed.consumers.size).toBe(1);
    const kinds = await Promise.all(ids.map(async (id) => (await state(id)).streams[0]!.upstream as { kind: string; peer: string }));
    expect(kinds.filter((k) => k.kind === 'parent').length).toBe(1);
    expect(kinds.filter((k) => k.kind === 'sibling').length).toBe(3);
    for (const s of sessions) await fetch(s, { method: 'DELETE' });
  });

  it('end with one copy in the group when siblings that miss at once hear each other only after the timeout', async () => {
    // A 1 ms sibling timeout: the queries cross after each relay has chosen the parent, as on a
    // starved host (measured in the fleet). The late answers move the pulls to the lowest id.
    tree = await startTree({ level1: 1, level2PerLevel1: 4, flags: SECRET, relayFlags: ['--sibling-timeout', '1ms'] });
    await publish();
    const ids = ['relay-a1', 'relay-a2', 'relay-a3', 'relay-a4'];
    const sessions = await postAtOnce(ids);
    const parentFeed = relay('relay-a').node.hub.get('cam')!;
    await waitFor(() => parentFeed.consumers.size === 1, 10_000, 20, 'one subscription at the parent');
    const kinds = await Promise.all(ids.map(async (id) => (await state(id)).streams[0]!.upstream as { kind: string; peer: string; state: string }));
    expect(kinds.filter((k) => k.kind === 'parent').length).toBe(1);
    expect(kinds.filter((k) => k.kind === 'sibling' && k.state === 'ready').length).toBe(3);
    for (const s of sessions) await fetch(s, { method: 'DELETE' });
  });

  it('re-pull from elsewhere when the sibling they pull from dies, while viewers stay connected', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 2, flags: [...SECRET, '--idle-close-after', '0'] });
    await publish();
    await watch('relay-a1');
    const v2 = await watch('relay-a2');
    expect(((await state('relay-a2')).streams[0]!.upstream as { kind: string }).kind).toBe('sibling');

    const a1 = relay('relay-a1');
    tree.relays.splice(tree.relays.indexOf(a1), 1);
    await a1.close('killed');
    const before = v2.video.packets;
    await v2.waitFor(() => v2.video.packets > before + 60, 15_000, 'video resumes at relay-a2');
    expect(relay('relay-a2').node.viewers.size).toBe(1);
    const up = (await state('relay-a2')).streams[0]!.upstream as { kind: string; peer: string };
    expect(up).toEqual({ kind: 'parent', peer: 'relay-a', state: 'ready' });
    // The viewer kept one SSRC and saw a new keyframe after the switch.
    expect(v2.video.ssrcs.size).toBe(1);
    await waitFor(() => v2.video.keyframes >= 2, 10_000, 20, 'a keyframe after the switch');
  });

  it('serve a time-shifted request from a sibling whose buffer covers the start', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 2, flags: SECRET });
    await publish();
    await watch('relay-a1');
    // relay-a1's buffer holds the last 2 s (then a request starting there is one it covers).
    await waitFor(
      () =>
        relay('relay-a1')
          .node.hub.get('cam')
          ?.buffer?.covers(Date.now() - 2000) === true,
      10_000,
      20,
      'two seconds in relay-a1’s buffer',
    );
    const start = Date.now() - 2000;
    const v = new NodeViewer({ url: `${relay('relay-a2').url}/whep/cam?start=${start}` });
    clients.push(v);
    expect((await v.start()).status).toBe(201);
    await v.waitFor(() => v.video.packets >= 30, 15_000, 'time-shifted video at relay-a2');
    const at2 = (await state('relay-a2')).streams.find((s) => s.start !== null)!;
    expect(at2).toMatchObject({ start, bypass: false, upstream: { kind: 'sibling', peer: 'relay-a1' } });
    const at1 = (await state('relay-a1')).streams.find((s) => s.start !== null)!;
    expect(at1).toMatchObject({ bypass: false, servedFrom: 'buffer', upstream: null, children: 1 });
    expect((await state('relay-a')).streams.filter((s) => s.start !== null)).toEqual([]);
  });

  it('drop forged, garbage and foreign datagrams and keep working', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 2, flags: SECRET });
    await publish();
    const group = defaultLanGroup('relay-a');
    const v1 = canopy.discovery.v1;
    const sock = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    sock.setMulticastInterface('127.0.0.1');
    const send = (buf: Uint8Array) => new Promise<void>((r) => sock.send(buf, group.port, group.address, () => r()));
    const instance = relay('relay-a').node.instance;
    const body = (parentInstance: string) =>
      v1.Datagram.encode({
        version: 2,
        nodeId: 'mallory',
        parentId: 'relay-a',
        parentInstance,
        sentMs: Date.now(),
        linkUrl: 'ws://127.0.0.1:1/relay',
        nonce: Buffer.alloc(16, 7),
        query: { queryId: 1, stream: 'cam' },
      }).finish();
    const sign = (b: Uint8Array, key: string | Buffer) => v1.Envelope.encode({ body: b, mac: createHmac('sha256', key).update(b).digest() }).finish();

    await send(Buffer.from('not a datagram at all'));
    await send(new Uint8Array(2000));
    await send(sign(body(instance), 'wrong-secret'));
    await send(sign(body('another-tree'), discoveryKey('sibling-test-secret')));
    // Wait for every kind: another process on this host may send to the same group meanwhile.
    const counted = async () => {
      const text = await relay('relay-a1').node.metrics.render();
      return ['bad_mac', 'malformed', 'oversize', 'other_group'].every((reason) => new RegExp(`reason="${reason}"\\} [1-9]`).test(text));
    };
    await waitFor(counted, 3000, 20, 'every dropped datagram counted');
    const m = await relay('relay-a1').node.metrics.render();
    expect(m).toMatch(/canopy_sibling_datagrams_dropped_total\{reason="malformed"\} [1-9]/);
    expect(m).toMatch(/canopy_sibling_datagrams_dropped_total\{reason="oversize"\} [1-9]/);
    expect(m).toMatch(/canopy_sibling_datagrams_dropped_total\{reason="bad_mac"\} [1-9]/);
    expect((await state('relay-a1')).node.siblings.map((s) => s.id)).not.toContain('mallory');
    sock.close();
    await watch('relay-a1');
    await watch('relay-a2');
    expect(((await state('relay-a2')).streams[0]!.upstream as { kind: string }).kind).toBe('sibling');
  });

  it('ignore answers forged with the empty key (the old default) that point at an attacker: every viewer gets video from the tree', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 2, flags: SECRET });
    await publish();
    const group = defaultLanGroup('relay-a');
    const v1 = canopy.discovery.v1;
    const instance = relay('relay-a').node.instance;
    const sock = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    sock.setMulticastInterface('127.0.0.1');
    // The attacker answers every plausible query id of both level-2 relays: "I carry cam, pull it from me".
    let nonce = 0;
    const flood = setInterval(() => {
      for (const to of ['relay-a1', 'relay-a2']) {
        for (let queryId = 1; queryId <= 4; queryId++) {
          const b = v1.Datagram.encode({
            version: 2,
            nodeId: 'relay-a0',
            parentId: 'relay-a',
            parentInstance: instance,
            sentMs: Date.now(),
            linkUrl: 'ws://127.0.0.1:9/relay',
            nonce: Buffer.alloc(16, ++nonce % 256),
            answer: { queryId, stream: 'cam', to, state: v1.Answer.State.STATE_CARRYING, via: [] },
          }).finish();
          sock.send(v1.Envelope.encode({ body: b, mac: createHmac('sha256', '').update(b).digest() }).finish(), group.port, group.address);
        }
      }
    }, 5);
    try {
      await watch('relay-a1');
      await watch('relay-a2');
    } finally {
      clearInterval(flood);
      sock.close();
    }
    for (const id of ['relay-a1', 'relay-a2']) {
      const up = (await state(id)).streams[0]!.upstream as { kind: string; peer: string };
      expect(up.peer).not.toBe('relay-a0');
      expect((await state(id)).node.siblings.map((s) => s.id)).not.toContain('relay-a0');
      expect(await relay(id).node.metrics.render()).toMatch(/canopy_sibling_datagrams_dropped_total\{reason="bad_mac"\} [1-9]/);
    }
  });
});
