import { afterEach, describe, expect, it } from 'vitest';
import { SiblingDiscovery, type Decision, type LocalStatus } from '../../src/discovery/SiblingDiscovery.js';
import { silentLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';

const group = { address: '239.255.77.77', port: 47999 };
const nodes: SiblingDiscovery[] = [];

afterEach(() => {
  for (const n of nodes.splice(0)) n.close();
});

async function node(id: string, lookup: (stream: string) => LocalStatus, secret = 'k'): Promise<SiblingDiscovery> {
  const m = new Metrics();
  const d = new SiblingDiscovery({
    nodeId: id,
    interfaceAddress: '127.0.0.1',
    secret,
    timeoutMs: 60,
    lookup,
    logger: silentLogger(),
    counters: { queries: m.counter('q', ''), hits: m.counter('h', ''), misses: m.counter('m', ''), dropped: m.counter('d', '') },
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
