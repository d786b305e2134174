import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayServer } from '../../relay/RelayServer.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

// issue 17, "Duplicate pulls in the fleet": 6 of 30 relays counted two upstream subscriptions
// opened during the ramp. canopy_upstream_subscriptions_opened_total counts every pull that
// started, and a pull ends when its last consumer has been gone for --idle-close-after (the
// fleet runs with 1 s): a viewer that fails and retries later than that (the fleet's viewer
// workers back off 300 + 200 x attempt ms, and its last step overloads the machine) starts a
// second pull, after the first ended. A relay never holds two at once: StreamHub keeps one feed
// per live name, and a feed one source. This reproduces the count, and checks the invariant.

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];
const monitors: Array<() => void> = [];

afterEach(async () => {
  for (const m of monitors.splice(0)) m();
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

function call(method: string, url: string, body?: string): Promise<{ status: number; location: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: body ? { 'Content-Type': 'application/sdp' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A WHEP session that never connects: it holds a reference on the feed until it leaves. */
async function join(node: { url: string }, offer: string): Promise<string> {
  const res = await call('POST', `${node.url}/whep/cam`, offer);
  expect(res.status, res.text).toBe(201);
  return new URL(res.location!, node.url).href;
}

async function leave(sessionUrl: string): Promise<void> {
  expect((await call('DELETE', sessionUrl)).status).toBe(200);
}

/** Upstream subscriptions a relay holds now, and the most it held at any sample. */
function watchPulls(r: RelayServer): { max: () => number; now: () => number } {
  const now = (): number => {
    const g = r.registries();
    return (g.upstreamSubscriptions ?? 0) + (g.siblingSubscriptions ?? 0);
  };
  let max = 0;
  const sample = (): void => void (max = Math.max(max, now()));
  // Every feed state change (a pull starting, resuming, ending), and a fine clock between them.
  r.node.hub.on('feed', (f: { on(e: 'state', l: () => void): void }) => f.on('state', sample));
  const t = setInterval(sample, 2);
  monitors.push(() => clearInterval(t));
  return { max: () => (sample(), max), now };
}

async function gauge(url: string): Promise<number> {
  const m = /^canopy_upstream_subscriptions (\d+)/m.exec(await (await fetch(`${url}/metrics`)).text());
  return Number(m?.[1] ?? NaN);
}

describe('pulls per relay', () => {
  it('a viewer who comes back after --idle-close-after starts a second pull, only once the first ended; one who comes back sooner shares the first', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1, relayFlags: ['--idle-close-after', '400ms', '--session-connect-timeout', '30s'] });
    const [l1, leaf] = tree.relays as [RelayServer, RelayServer];
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const pulls = [watchPulls(l1), watchPulls(leaf)];
    const opened = (r: RelayServer) => r.node.counters.subscriptionsOpened.get();
    const offer = await makeOffer({ direction: 'RecvOnly' });

    // A viewer whose attempt fails, and a retry within the idle wait: the same pull serves it.
    await leave(await join(leaf, offer));
    const second = await join(leaf, offer);
    expect([opened(l1), opened(leaf)]).toEqual([1, 1]);
    expect(await gauge(leaf.url)).toBe(1);

    // It fails too, and the next retry comes after the idle wait: the pull ended (at the leaf,
    // and at level 1, which served only the leaf), and the retry pulls again.
    await leave(second);
    await waitFor(
      () => pulls.every((p) => p.now() === 0) && leaf.node.hub.get('cam') === undefined && l1.node.hub.get('cam') === undefined,
      5000,
      10,
      'both pulls ended',
    );
    expect(await gauge(leaf.url)).toBe(0);
    const third = await join(leaf, offer);
    expect([opened(l1), opened(leaf)]).toEqual([2, 2]); // what the fleet reported as a second pull
    // Never two at once.
    expect(pulls.map((p) => p.max())).toEqual([1, 1]);
    expect(await gauge(leaf.url)).toBe(1);
    await leave(third);
  }, 30_000);
});
