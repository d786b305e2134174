import { createHmac } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { DATAGRAM_WINDOW_MS, discoveryKey, SeenNonces, SiblingDiscovery, type Decision, type LocalStatus } from '../../src/discovery/SiblingDiscovery.js';
import { canopy } from '../../src/gen/discovery.js';
import { silentLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { waitFor } from '../support/wait.js';

const group = { address: '239.255.77.77', port: 47999 };
const nodes: SiblingDiscovery[] = [];
const sockets: Socket[] = [];
const metrics = new Map<string, Metrics>();
const SECRET = 'discovery-test-secret-0123';

afterEach(() => {
  for (const n of nodes.splice(0)) n.close();
  for (const s of sockets.splice(0)) s.close();
});

async function node(id: string, lookup: (stream: string) => LocalStatus, secret = SECRET): Promise<SiblingDiscovery> {
  const m = new Metrics();
  metrics.set(id, m);
  const d = new SiblingDiscovery({
    nodeId: id,
    interfaceAddress: '127.0.0.1',
    secret,
    timeoutMs: 60,
    lookup,
    logger: silentLogger(),
    counters: { queries: m.counter('q', ''), hits: m.counter('h', ''), misses: m.counter('m', ''), dropped: m.counter('d', '', ['reason']) },
  });
  await d.start({ parentId: 'p', parentInstance: 'i', group, linkUrl: `ws://127.0.0.1:1/${id}` });
  nodes.push(d);
  return d;
}

/** A decision without its announce callback, for comparison. */
function plain(d: Decision): Omit<Decision, 'announce'> {
  const { announce: _, ...rest } = d;
  return rest;
}

describe('sibling discovery', () => {
  it('picks a sibling that carries the stream, preferring the shortest path', async () => {
    await node('b', () => ({ state: 'carrying', via: ['c'] }));
    await node('c', () => ({ state: 'carrying', via: [] }));
    const a = await node('a', () => ({ state: 'deciding' }));
    expect(plain(await a.query('cam'))).toEqual({ from: 'sibling', nodeId: 'c', linkUrl: 'ws://127.0.0.1:1/c', via: [] });
  });

  it('never picks a sibling whose copy comes through itself', async () => {
    await node('b', () => ({ state: 'carrying', via: ['a'] }));
    const a = await node('a', () => ({ state: 'deciding' }));
    expect(plain(await a.query('cam'))).toEqual({ from: 'parent' });
  });

  it('goes to the parent when nobody has the stream', async () => {
    await node('b', () => null);
    const a = await node('a', () => ({ state: 'deciding' }));
    expect(plain(await a.query('cam'))).toEqual({ from: 'parent' });
  });

  it('lets the lowest id fetch when siblings miss at the same moment', async () => {
    const decided = new Map<string, { state: 'fetching'; via: string[] }>();
    const status = (id: string) => (): LocalStatus => decided.get(id) ?? { state: 'deciding' };
    const ids = ['n3', 'n1', 'n4', 'n2'];
    const ds = await Promise.all(ids.map((id) => node(id, status(id))));
    const results = await Promise.all(
      ds.map(async (d, i) => {
        const r = await d.query('cam');
        decided.set(ids[i]!, { state: 'fetching', via: r.from === 'sibling' ? [r.nodeId, ...r.via] : [] });
        r.announce(); // the decision is recorded: answer the rivals that asked meanwhile
        return [ids[i], plain(r)] as const;
      }),
    );
    const byId = Object.fromEntries(results);
    expect(byId.n1).toEqual({ from: 'parent' });
    // Every other node pulls through a sibling path that ends at n1, the one fetcher (a node
    // that decided late may pull from another that already pulls from n1).
    for (const id of ['n2', 'n3', 'n4']) {
      const d = byId[id] as Extract<Decision, { from: 'sibling' }>;
      expect(d.from).toBe('sibling');
      expect([d.nodeId, ...d.via].at(-1)).toBe('n1');
    }
  });

  it('ignores siblings that sign with another secret', async () => {
    await node('b', () => ({ state: 'carrying', via: [] }), 'other');
    const a = await node('a', () => ({ state: 'deciding' }));
    expect(plain(await a.query('cam'))).toEqual({ from: 'parent' });
    expect(a.siblings.has('b')).toBe(false);
  });
});

/** An attacker on the LAN: hears the group, and sends what it likes to it. */
async function eavesdropper(): Promise<{ heard: Buffer[]; send: (b: Uint8Array) => Promise<void> }> {
  const s = createSocket({ type: 'udp4', reuseAddr: true });
  sockets.push(s);
  const heard: Buffer[] = [];
  s.on('message', (m) => heard.push(m));
  await new Promise<void>((r) => s.bind(group.port, () => r()));
  s.addMembership(group.address, '127.0.0.1');
  s.setMulticastInterface('127.0.0.1');
  return { heard, send: (b) => new Promise<void>((r) => s.send(b, group.port, group.address, () => r())) };
}

const dropped = async (id: string, reason: string) =>
  (await metrics.get(id)!.render()).match(new RegExp(`^canopy_d\\{reason="${reason}"\\} (\\d+)$`, 'm'))?.[1] ?? '0';
const v2 = canopy.discovery.v1;

describe('sibling discovery under attack', () => {
  it('ignores answers forged without the secret (or with the empty key of old): the choice stays the parent', async () => {
    const a = await node('a', () => ({ state: 'deciding' }));
    const mallory = await eavesdropper();
    const forge = (key: string | Buffer) => {
      const body = v2.Datagram.encode({
        version: 2,
        nodeId: 'mallory',
        parentId: 'p',
        parentInstance: 'i',
        sentMs: Date.now(),
        linkUrl: 'ws://203.0.113.66:1/relay',
        nonce: Buffer.alloc(16, 9),
        answer: { queryId: 1, stream: 'cam', to: 'a', state: v2.Answer.State.STATE_CARRYING, via: [] },
      }).finish();
      return v2.Envelope.encode({ body, mac: createHmac('sha256', key).update(body).digest() }).finish();
    };
    const decision = a.query('cam');
    // Query ids are predictable; the MAC is not.
    for (const key of ['', 'wrong-secret', SECRET]) await mallory.send(forge(key));
    expect(plain(await decision)).toEqual({ from: 'parent' });
    expect(Number(await dropped('a', 'bad_mac'))).toBe(3);
    expect(a.siblings.has('mallory')).toBe(false);
  });

  it('drops a replayed query instead of taking its sender for a rival fetcher', async () => {
    // b misses the stream and queries; the attacker records that datagram.
    const mallory = await eavesdropper();
    const b = await node('b', () => null);
    let deciding = false;
    const c = await node('c', () => (deciding ? { state: 'deciding' } : null));
    expect(plain(await b.query('cam'))).toEqual({ from: 'parent' });
    const isQuery = (m: Buffer) => !!v2.Datagram.decode(v2.Envelope.decode(m).body).query;
    await waitFor(() => mallory.heard.some(isQuery), 2000, 5, 'the query recorded');
    const query = mallory.heard.find(isQuery);
    expect(query).toBeDefined();
    // Later c misses the same stream. Were the old query taken as fresh, c would see b as a
    // rival that missed at the same moment and, b's id being lower, pull from b.
    b.close();
    deciding = true;
    const decision = c.query('cam');
    await mallory.send(query!);
    expect(plain(await decision)).toEqual({ from: 'parent' });
    expect(await dropped('c', 'replay')).toBe('1');
  });

  it('drops an authentic datagram outside the time window', async () => {
    const a = await node('a', () => ({ state: 'deciding' }));
    const mallory = await eavesdropper();
    const body = v2.Datagram.encode({
      version: 2,
      nodeId: 'b',
      parentId: 'p',
      parentInstance: 'i',
      sentMs: Date.now() - DATAGRAM_WINDOW_MS - 1000,
      linkUrl: 'ws://127.0.0.1:1/b',
      nonce: Buffer.alloc(16, 1),
      answer: { queryId: 1, stream: 'cam', to: 'a', state: v2.Answer.State.STATE_CARRYING, via: [] },
    }).finish();
    const decision = a.query('cam');
    await mallory.send(v2.Envelope.encode({ body, mac: createHmac('sha256', discoveryKey(SECRET)).update(body).digest() }).finish());
    expect(plain(await decision)).toEqual({ from: 'parent' });
    expect(await dropped('a', 'stale')).toBe('1');
  });

  it('remembers nonces within bounds: a replay is caught while its timestamp is fresh, memory stays capped', () => {
    const seen = new SeenNonces(5000, 3);
    const now = 1_000_000;
    expect(seen.admit('n1', now, now)).toBe('new');
    expect(seen.admit('n1', now, now + 4000)).toBe('replay');
    expect(seen.admit('n2', now, now)).toBe('new');
    expect(seen.admit('n3', now, now)).toBe('new');
    // Full of live nonces: refuse rather than forget one a replay could reuse.
    expect(seen.admit('n4', now, now + 1000)).toBe('full');
    // Once their datagrams are out of the window, the old ones go.
    expect(seen.admit('n4', now + 6000, now + 6000)).toBe('new');
    expect(seen.size).toBe(1);
  });
});
