import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayServer } from '../../relay/RelayServer.js';
import { silentLogger } from '../../src/log.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { makeOffer } from '../support/offer.js';
import { testEngineFlags } from '../support/engine.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

async function playing(): Promise<{ tree: Tree; relay: RelayServer; viewer: NodeViewer }> {
  tree = await startTree({ level1: 1, level2PerLevel1: 0 });
  const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
  clients.push(pub);
  await pub.start();
  const relay = tree.relays[0]!;
  const viewer = new NodeViewer({ url: `${relay.url}/whep/cam` });
  clients.push(viewer);
  expect((await viewer.start()).status).toBe(201);
  await viewer.waitFor(() => viewer.video.keyframes > 0, 10_000, 'the viewer to get a keyframe');
  return { tree, relay, viewer };
}

/** The status a WebSocket upgrade to `url` gets (101 when accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('upgrade', (res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('a draining relay', () => {
  it('keeps its viewers, refuses new viewers and links, reports draining, and finishes when the last viewer leaves', async () => {
    const { relay, viewer } = await playing();
    let outcome: string | null = null;
    const drained = relay.drain(20_000).then((o) => (outcome = o));

    const health = await fetch(`${relay.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, draining: true, level: 1 });
    const state = (await (await fetch(`${relay.url}/api/state`)).json()) as { node: { draining?: boolean } };
    expect(state.node.draining).toBe(true);

    const refused = await fetch(`${relay.url}/whep/cam`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: await makeOffer({ direction: 'RecvOnly' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(await refused.text()).toMatch(/draining/);
    expect(await upgradeStatus(relay.linkUrl)).toBe(503);

    // The viewer already there keeps playing.
    const before = viewer.video.packets;
    await viewer.waitFor(() => viewer.video.packets - before > 20, 5000, 'the viewer keeps playing while the relay drains');
    expect(outcome).toBeNull();

    const left = Date.now();
    await viewer.close();
    await drained;
    expect(outcome).toBe('idle');
    // The drain notices within its poll interval, not at the timeout.
    expect(Date.now() - left).toBeLessThan(2000);
  });

  it('ends at the drain timeout while viewers stay', async () => {
    const { relay, viewer } = await playing();
    const started = Date.now();
    expect(await relay.drain(800)).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    const before = viewer.video.packets;
    await viewer.waitFor(() => viewer.video.packets > before, 5000, 'the viewer keeps playing after the drain timed out');
    // A second drain call shares the first one's outcome.
    expect(await relay.drain(5000)).toBe('timeout');
  });

  it('of an idle node is over at once', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0 });
    const started = Date.now();
    expect(await tree.relays[0]!.drain(10_000)).toBe('idle');
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('a node program on SIGTERM', () => {
  it('drains: its probe reports draining, WHIP is refused, it keeps a child relay until --drain-timeout, then exits 0', async () => {
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'origin/main.ts',
        '--id',
        'origin-p',
        '--listen',
        '127.0.0.1:0',
        '--ice-address',
        '127.0.0.1',
        '--drain-timeout',
        '1500ms',
        '--cluster-secret',
        'drain-test-secret-0123',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines: string[] = [];
    const exited = once(proc, 'exit') as Promise<[number | null, string | null]>;
    let relay: RelayServer | null = null;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: proc.stdout! }).on('line', (line) => {
          lines.push(line);
          const m = /"url":"(http[^"]+)","msg":"listening"/.exec(line);
          if (m) resolve(m[1]!);
        });
        proc.once('exit', (code) => reject(new Error(`origin exited (${code}) before listening: ${lines.join('\n')}`)));
      });
      // A child relay with a subscription: the origin waits for it while draining.
      relay = new RelayServer(
        loadRelayConfig(
          [
            '--id',
            'relay-p',
            '--listen',
            '127.0.0.1:0',
            '--ice-address',
            '127.0.0.1',
            '--parent',
            `${url.replace(/^http/, 'ws')}/relay`,
            '--cluster-secret',
            'drain-test-secret-0123',
            '--no-siblings',
          ],
          {},
        ),
        silentLogger(),
      );
      await relay.listen();
      await relay.whenLinked();
      const pub = await fetch(`${url}/whip/cam`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp' },
        body: await makeOffer({ direction: 'SendOnly' }),
      });
      expect(pub.status).toBe(201);
      const session = await fetch(`${relay.url}/whep/cam`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp' },
        body: await makeOffer({ direction: 'RecvOnly' }),
      });
      expect(session.status).toBe(201);

      const signalled = Date.now();
      proc.kill('SIGTERM');
      await waitFor(async () => (await fetch(`${url}/healthz`)).status === 503, 3000, 50, 'the origin to report draining');
      expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ draining: true });
      const whip = await fetch(`${url}/whip/other`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp' },
        body: await makeOffer({ direction: 'SendOnly' }),
      });
      expect(whip.status).toBe(503);
      const [code] = await exited;
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(1400);
      expect(lines.some((l) => l.includes('"msg":"closed: signal SIGTERM, drain timeout"'))).toBe(true);
      await fetch(new URL(session.headers.get('location')!, relay.url), { method: 'DELETE' });
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await relay?.close();
    }
  }, 30_000);
});

describe('a draining relay with somewhere else to send people', () => {
  it('sends new viewers to its sibling (307) and its child relays to their other parent, without a gap, and finishes once its own viewer leaves', async () => {
    tree = await startTree({ level1: 2, level2PerLevel1: 0, relayFlags: ['--no-siblings'] });
    const [a, b] = tree.relays as [RelayServer, RelayServer];
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE, audio: false });
    clients.push(pub);
    await pub.start();
    // A child relay with both level-1 relays as parents, with the tree's secret.
    const x = new RelayServer(
      loadRelayConfig(
        [
          '--id',
          'relay-x',
          '--listen',
          '127.0.0.1:0',
          '--ice-address',
          '127.0.0.1',
          '--max-new-sessions-per-ip',
          '0',
          '--parent',
          a.linkUrl,
          '--parent',
          `${b.linkUrl}#priority=1`,
          '--no-siblings',
          ...testEngineFlags(),
        ],
        {
          CANOPY_CLUSTER_SECRET: a.config.clusterSecret!,
        },
      ),
      silentLogger(),
    );
    try {
      await x.listen();
      await waitFor(() => x.parents.current?.url === a.linkUrl, 5000, 20, 'relay-x under relay-a');
      const atA = new NodeViewer({ url: `${a.url}/whep/cam`, audio: false });
      const atX = new NodeViewer({ url: `${x.url}/whep/cam`, audio: false });
      clients.push(atA, atX);
      for (const v of [atA, atX]) expect((await v.start()).status).toBe(201);
      await waitFor(() => atA.video.keyframes > 0 && atX.video.keyframes > 0, 10_000, 20, 'both viewers decoding');
      // relay-a learns its sibling relay-b from the origin's peer table (every 2 s).
      await waitFor(() => a.parents.peers.some((p) => p.nodeId === 'relay-b'), 5000, 50, 'relay-a knowing relay-b');

      const drained = a.drain(20_000);
      // Its child moves to relay-b, make before break: no gap in what its viewer receives.
      await waitFor(() => x.node.hub.get('cam')?.source?.peer === 'relay-b', 5000, 20, 'relay-x pulling from relay-b');
      const mark = atX.video.sequenceNumbers.length;
      await atX.waitFor(() => atX.video.sequenceNumbers.length - mark > 30, 5000, 'video at relay-x after the move');
      const seqs = atX.video.sequenceNumbers.slice(Math.max(0, mark - 50));
      for (let i = 1; i < seqs.length; i++) expect(((seqs[i]! - seqs[i - 1]! + 0x10000) & 0xffff) <= 3).toBe(true);
      // A new viewer at relay-a is sent to relay-b.
      const res = await fetch(`${a.url}/whep/cam`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp' },
        body: await makeOffer({ direction: 'RecvOnly' }),
        redirect: 'manual',
      });
      expect(res.status).toBe(307);
      expect(res.headers.get('location')!.startsWith(`${b.url}/whep/cam?`)).toBe(true);
      // relay-a's own viewer still plays; when it leaves, the drain is over.
      const before = atA.video.packets;
      await atA.waitFor(() => atA.video.packets > before, 5000, 'relay-a’s own viewer still playing');
      await atA.close();
      expect(await drained).toBe('idle');
    } finally {
      // The viewers at relay-x go before relay-x itself.
      for (const c of clients.splice(0)) await c.close();
      await x.close();
    }
  }, 60_000);
});
