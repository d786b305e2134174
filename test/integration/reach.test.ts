import { afterEach, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';
import { turnCredential } from '../../src/auth/IceServers.js';

// TURN credentials in every WHIP/WHEP 201 (RFC 9725 §4.6) and the reported candidate pairs.
// Playing through a real coturn behind a UDP firewall is test/e2e/reach.test.ts.

const TURN_SECRET = 'fedcba9876543210fedcba9876543210';
const TURN_FLAGS = [
  '--turn-url',
  'turn:127.0.0.1:3478?transport=udp',
  '--turn-url',
  'turn:127.0.0.1:3478?transport=tcp',
  '--turn-url',
  'turns:127.0.0.1:5349',
  '--turn-secret',
  TURN_SECRET,
];

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

/** Link header values of a response (fetch joins repeated headers with ", "). */
function links(res: Response): string[] {
  const v = res.headers.get('link');
  return v ? v.split(/,\s*(?=<)/) : [];
}

/** Checks one 201's ice-server links: every URL, the use-auth-secret credential for its session. */
function expectIceServers(res: Response, base: string): void {
  expect(res.status).toBe(201);
  const id = new URL(res.headers.get('location')!, base).pathname.split('/').pop()!;
  const values = links(res);
  expect(values.map((l) => /^<([^>]+)>/.exec(l)![1])).toEqual([
    'turn:127.0.0.1:3478?transport=udp',
    'turn:127.0.0.1:3478?transport=tcp',
    'turns:127.0.0.1:5349',
  ]);
  for (const l of values) {
    const m = /; rel="ice-server"; username="(\d+):([^"]+)"; credential="([^"]+)"; credential-type="password"$/.exec(l);
    expect(m, l).not.toBeNull();
    const expiry = Number(m![1]);
    expect(m![2]).toBe(id);
    expect(Math.abs(expiry - (Date.now() / 1000 + 3600))).toBeLessThan(30);
    // The password coturn will compute from the username with the shared secret.
    expect(m![3]).toBe(turnCredential(TURN_SECRET, id, expiry * 1000 - Date.now(), Date.now()).credential);
  }
}

const post = (body: string) => ({ method: 'POST', headers: { 'Content-Type': 'application/sdp', Origin: 'https://player.example' }, body });

describe('reaching viewers and publishers behind firewalls', () => {
  it('hands TURN servers with short-lived credentials in every WHIP and WHEP 201, readable from a browser', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: TURN_FLAGS });
    const relay = tree.relays[0]!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/reach`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();

    const whip = await fetch(`${tree.origin.url}/whip/other`, post(await makeOffer({ direction: 'SendOnly' })));
    expectIceServers(whip, tree.origin.url);
    const whep = await fetch(`${relay.url}/whep/reach`, post(await makeOffer({ direction: 'RecvOnly' })));
    expectIceServers(whep, relay.url);
    // A player on another origin may read them (CORS, Fetch §3.2.5).
    expect(whep.headers.get('access-control-expose-headers')).toMatch(/\bLink\b/);
    await whip.text();
    await whep.text();
  }, 30_000);

  it('has no Link header without --turn-url', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    const whip = await fetch(`${tree.origin.url}/whip/x`, post(await makeOffer({ direction: 'SendOnly' })));
    expect(whip.status).toBe(201);
    expect(whip.headers.get('link')).toBeNull();
    await whip.text();
  });

  it('reports a UDP-capable viewer and publisher on host/udp, not TURN, in /api/state and /metrics', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: TURN_FLAGS });
    const relay = tree.relays[0]!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/reach`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const viewer = new NodeViewer({ url: `${relay.url}/whep/reach` });
    clients.push(viewer);
    await viewer.start();
    await viewer.waitFor(() => viewer.media.video.packets > 0, 10_000);

    type Ice = {
      viewers: { known: number; turn: number; tcp: number; byRoute: Record<string, number> };
      publishers: { known: number; turn: number; tcp: number; byRoute: Record<string, number> };
      sessions: Array<{ kind: string; local: string; remote: string; turn: boolean }>;
    };
    const relayState = (await (await fetch(`${relay.url}/api/state`)).json()) as { node: { ice: Ice } };
    expect(relayState.node.ice.viewers).toMatchObject({ known: 1, turn: 0, tcp: 0, byRoute: { 'host/udp -> host/udp': 1 } });
    expect(relayState.node.ice.sessions).toEqual([expect.objectContaining({ kind: 'viewer', local: 'host/udp', remote: 'host/udp', turn: false, tcp: false })]);
    await waitFor(() => tree!.origin.node.ice.state().publishers.known === 1, 5000);
    const originState = (await (await fetch(`${tree.origin.url}/api/state`)).json()) as { node: { ice: Ice } };
    expect(originState.node.ice.publishers).toMatchObject({ known: 1, turn: 0, tcp: 0, byRoute: { 'host/udp -> host/udp': 1 } });

    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).toMatch(/canopy_ice_sessions\{kind="viewer",local="host\/udp",remote="host\/udp",turn="false"\} 1/);
  }, 30_000);
});
