import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOriginConfig } from '../../origin/config.js';
import { OriginServer } from '../../origin/OriginServer.js';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayServer } from '../../relay/RelayServer.js';
import { silentLogger } from '../../src/log.js';
import { REDIRECT_MARK } from '../../src/http/signaling.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { waitFor } from '../support/webrtc.js';

// Patent [0033]: a viewer's relay is chosen by nearness, load and priority. Three relays at
// level 1; viewers come from different loopback addresses, which the region map places.

const SECRET = ['--cluster-secret', 'redirect-test-secret'];
const BASE = ['--listen', '127.0.0.1:0', '--ice-address', '127.0.0.1', '--heartbeat', '250ms', '--max-new-sessions-per-ip', '0', ...SECRET];
let origin: OriginServer | null = null;
let relays: RelayServer[] = [];
let clients: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  for (const r of relays.reverse()) await r.close('test done');
  relays = [];
  await origin?.close('test done');
  origin = null;
});

/** A WHEP POST from a given local address, not following redirects. */
function post(url: string, from: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; location: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress: from, headers: { 'Content-Type': 'application/sdp', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('relay choice (patent [0033])', () => {
  it('sends new viewers from a loaded relay to the least loaded one, and a viewer whose address maps to a region to that region’s relay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-regions-'));
    const map = join(dir, 'regions.json');
    writeFileSync(map, JSON.stringify({ east: ['127.0.1.0/24'], west: ['127.0.2.0/24'] }));
    origin = new OriginServer(loadOriginConfig(['--id', 'origin', ...BASE], {}), silentLogger());
    await origin.listen();
    const policy = ['--redirect', 'region,class,load', '--region-map', map, '--redirect-min-viewers', '3'];
    const start = async (id: string, region: string, extra: string[] = []) => {
      const r = new RelayServer(
        loadRelayConfig(['--id', id, '--parent', origin!.linkUrl, ...BASE, ...policy, '--region', region, '--no-siblings', ...extra], {}),
        silentLogger(),
      );
      await r.listen();
      await r.whenLinked();
      relays.push(r);
      return r;
    };
    const a = await start('relay-a', 'east');
    const b = await start('relay-b', 'west', ['--classes', 'premium']);
    const c = await start('relay-c', 'east');
    const pub = new NodePublisher({ url: `${origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE, audio: false });
    clients.push(pub);
    await pub.start();

    // Load: 6 viewers at relay-a, 2 at relay-c, none at relay-b (marked as already redirected,
    // so they stay where they asked).
    const load = async (r: RelayServer, n: number) => {
      for (let i = 0; i < n; i++) {
        const v = new NodeViewer({ url: `${r.url}/whep/cam?${REDIRECT_MARK}=test`, audio: false });
        clients.push(v);
        expect((await v.start()).status).toBe(201);
      }
    };
    await load(a, 6);
    await load(c, 2);
    // Loads reach relay-a through the parent's peer table (children ping every 250 ms, the
    // parent sends the table every 2 s).
    const peersOf = (r: RelayServer) => Object.fromEntries(r.parents.peers.map((p) => [p.nodeId, p.viewers]));
    // Every relay asked below must know them: relay-b sends east viewers by relay-a's and relay-c's.
    await waitFor(
      () =>
        peersOf(a)['relay-c'] === 2 && peersOf(a)['relay-b'] === 0 && peersOf(b)['relay-a'] === 6 && peersOf(b)['relay-c'] === 2 && peersOf(c)['relay-a'] === 6,
      10_000,
      50,
      'loads known to the siblings',
    );

    const offer = await makeOffer({ direction: 'RecvOnly', audio: false });
    const where = (loc: string | null) => (loc ? relays.find((r) => loc.startsWith(`${r.url}/`))?.config.id : null);
    // No region for 127.0.0.1: relay-a (6) is much busier than relay-b (0): load.
    const byLoad = await post(`${a.url}/whep/cam`, '127.0.0.1', offer, { Authorization: 'Bearer viewer-token' });
    expect(byLoad.status).toBe(307);
    expect(where(byLoad.location)).toBe('relay-b');
    const target = new URL(byLoad.location!);
    expect(target.searchParams.get('access_token')).toBe('viewer-token');
    expect(target.searchParams.get(REDIRECT_MARK)).toBe('relay-a');
    // A west viewer asking relay-a goes to relay-b, the west relay: region.
    expect(where((await post(`${a.url}/whep/cam`, '127.0.2.7', offer)).location)).toBe('relay-b');
    // An east viewer asking relay-b goes east; of the east relays, relay-c carries less.
    expect(where((await post(`${b.url}/whep/cam`, '127.0.1.7', offer)).location)).toBe('relay-c');
    // A premium viewer in the east asking relay-c: no east relay serves premium, so it stays east,
    // and relay-c is not loaded enough to send it on.
    expect((await post(`${c.url}/whep/cam`, '127.0.1.8', offer, { 'Canopy-Priority': 'premium' })).status).not.toBe(307);
    // A premium viewer with no region asking relay-c goes to relay-b, which serves that class.
    expect(where((await post(`${c.url}/whep/cam`, '127.0.0.1', offer, { 'Canopy-Priority': 'premium' })).location)).toBe('relay-b');
    // A request already redirected once is served where it lands.
    expect((await post(`${a.url}/whep/cam?${REDIRECT_MARK}=relay-x`, '127.0.2.9', offer)).status).not.toBe(307);
    const state = (await (await fetch(`${a.url}/api/state`)).json()) as { node: { redirects: Record<string, number> } };
    expect(state.node.redirects).toMatchObject({ load: 1, region: 1 });
    expect(await a.node.metrics.render()).toMatch(/canopy_redirects_total\{reason="load"\} 1/);

    // A WHEP client that follows the 307 plays at the relay it was sent to.
    const follower = new NodeViewer({ url: `${a.url}/whep/cam`, audio: false });
    clients.push(follower);
    expect((await follower.start()).status).toBe(201);
    await follower.waitFor(() => follower.video.keyframes > 0, 10_000, 'video at the redirected viewer');
    // It plays where the redirect sent it (relay-b, or relay-c if a retried POST of the test
    // client saw relay-b already counting the viewers just sent there), never on relay-a.
    const servedBy = relays.find((r) => follower.sessionUrl!.startsWith(`${r.url}/whep/cam/`))!;
    expect(['relay-b', 'relay-c']).toContain(servedBy.config.id);
    expect(servedBy.node.viewers.has(follower.sessionUrl!.split('/').at(-1)!)).toBe(true);

    // The directory lists the candidates for a stream, those carrying it first.
    const dirRes = (await (await fetch(`${origin.url}/api/directory?stream=cam`)).json()) as {
      candidates: Array<{ id: string; carrying: boolean; viewers: number }>;
    };
    const ids = dirRes.candidates.map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['origin', 'relay-a', 'relay-b', 'relay-c']));
    expect(dirRes.candidates.find((x) => x.id === 'relay-a')).toMatchObject({ carrying: true });
  }, 60_000);
});
