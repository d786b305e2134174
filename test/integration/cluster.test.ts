import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayCluster } from '../../relay/RelayCluster.js';
import { signStreamToken } from '../../src/auth/jwt.js';
import { ErrorCode } from '../../src/errors.js';
import { connectLink } from '../../src/link/connect.js';
import { silentLogger } from '../../src/log.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';
import { sleep } from '../support/wait.js';

let tree: Tree;
let cluster: RelayCluster;
const JWT_SECRET = 'cluster-jwt-secret-0123456789ab';

beforeAll(async () => {
  tree = await startTree({ level1: 0, level2PerLevel1: 0, originFlags: ['--session-connect-timeout', '1m'] });
  cluster = new RelayCluster(
    loadRelayConfig(
      [
        '--id',
        'relay-c',
        '--listen',
        '127.0.0.1:0',
        '--ice-address',
        '127.0.0.1',
        '--parent',
        tree.origin.linkUrl,
        '--workers',
        '2',
        '--viewer-auth',
        '--log-level',
        'warn',
      ],
      {
        CANOPY_CLUSTER_SECRET: tree.secret!,
        CANOPY_JWT_SECRET: JWT_SECRET,
      },
    ),
    silentLogger(),
  );
  await cluster.listen();
}, 60_000);

afterAll(async () => {
  await cluster?.close();
  await tree?.close();
  await tree?.assertEmpty();
}, 30_000);

describe('a relay running as several worker processes', () => {
  it('spreads viewers over its workers by redirect while one copy of the stream enters the host', async () => {
    // The origin announces the stream at WHIP POST time; routing needs no media.
    const pub = await fetch(`${tree.origin.url}/whip/cam`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: await makeOffer({ direction: 'SendOnly' }),
    });
    expect(pub.status).toBe(201);
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const token = await signStreamToken(JWT_SECRET, { stream: 'cam', action: 'play', ttlSeconds: 60 });
    const sessions: string[] = [];
    for (let i = 0; i < 4; i++) {
      // fetch follows the front's 307 and re-sends the offer to the chosen worker (it drops
      // Authorization on the way, as browsers do: the worker reads the token from the URL).
      const res = await fetch(`${cluster.url}/whep/cam`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` },
        body: offer,
      });
      expect(res.status, await res.text()).toBe(201);
      const location = res.headers.get('location')!;
      expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/whep\/cam\/[0-9a-f-]{36}$/);
      sessions.push(location);
      await sleep(300);
    }
    const ports = new Set(sessions.map((s) => new URL(s).port));
    expect(ports.size).toBe(2);
    expect(tree.origin.node.hub.get('cam')!.consumers.size).toBe(1);
    // What the front showed last, for the failure message (the suite failed here once, 2026-12-07).
    let seen = '';
    await waitFor(
      async () => {
        const st = (await (await fetch(`${cluster.url}/api/state`)).json()) as {
          node: { level: number; workers: Array<{ viewers: number }> };
          streams: Array<{ viewers: number }>;
        };
        seen = JSON.stringify({ level: st.node.level, streams: st.streams.map((x) => x.viewers), workers: st.node.workers.map((w) => w.viewers) });
        return st.node.level === 1 && st.streams[0]?.viewers === 4 && st.node.workers.every((w) => w.viewers === 2);
      },
      // The front hears each worker's state on its report interval: a loaded machine needs more than one.
      15_000,
      100,
      'state shows 2 viewers on each worker',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the front's state last: ${seen}; sessions: ${sessions.join(' ')}`);
    });
    for (const s of sessions) expect((await fetch(s, { method: 'DELETE' })).status).toBe(200);
  });

  it("moves a viewer's Bearer token into the redirect URL, where the worker accepts it", async () => {
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const token = await signStreamToken(JWT_SECRET, { stream: 'cam', action: 'play', ttlSeconds: 60 });
    const front = await fetch(`${cluster.url}/whep/cam`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` },
      body: offer,
    });
    expect(front.status).toBe(307);
    const location = new URL(front.headers.get('location')!);
    expect(location.searchParams.get('access_token')).toBe(token);
    expect(location.port).not.toBe(new URL(cluster.url).port);
    // What a browser sends after the redirect: no Authorization header.
    const res = await fetch(location, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    expect(res.status, await res.text()).toBe(201);
    expect((await fetch(res.headers.get('location')!, { method: 'DELETE' })).status).toBe(200);
    // The workers got the secrets in their environment, not on their command line (ps).
    for (const w of cluster.workers) {
      const argv = readFileSync(`/proc/${w.proc.pid}/cmdline`, 'utf8');
      expect(argv).toContain('--viewer-auth');
      expect(argv).not.toContain(tree.secret!);
      expect(argv).not.toContain(JWT_SECRET);
    }
    // A child relay's link follows the front's redirect to a worker and authenticates there.
    const { link, welcome } = await connectLink({
      url: `${cluster.url.replace(/^http/, 'ws')}/relay`,
      nodeId: 'child',
      role: 'child',
      secret: tree.secret!,
      maxFrameBytes: 65536,
      timeoutMs: 5000,
      logger: silentLogger(),
    });
    expect(welcome.nodeId).toMatch(/^relay-c-w\d$/);
    expect(link.authenticated).toBe(true);
    link.close(ErrorCode.SHUTDOWN, 'test done');
    // Without a token, the worker refuses the redirected request.
    const bare = await fetch(`${cluster.url}/whep/cam`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    expect(bare.status).toBe(401);
  });
});
