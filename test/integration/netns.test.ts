import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { waitFor } from '../support/webrtc.js';

// Relays on separate hosts: network namespaces joined by a bridge, as in a machine room.
// Needs root (CI runs as root); skips otherwise.
const isRoot = process.getuid?.() === 0;
const hasIp = (() => {
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const canRun = isRoot && hasIp;
if (!canRun) console.warn(`netns test skipped: needs root and iproute2 (root: ${isRoot}, ip: ${hasIp})`);

// CANOPY_NETNS_PREFIX lets concurrent runs on one machine keep their names apart.
const tag = `${process.env.CANOPY_NETNS_PREFIX ?? 'c'}${process.pid % 10000}`;
// Relay links need the cluster secret; /api/state, read here from outside the nodes' hosts,
// needs the admin token. Both reach the nodes through the environment, as in a deployment.
const nodeEnv = { ...process.env, CANOPY_CLUSTER_SECRET: randomBytes(32).toString('hex'), CANOPY_ADMIN_TOKEN: randomBytes(16).toString('hex') };
const admin = { Authorization: `Bearer ${nodeEnv.CANOPY_ADMIN_TOKEN}` };
const bridge = `${tag}br`;
const subnet = `10.231.${process.pid % 200}`;
const hosts = [
  { id: 'origin', ns: `${tag}o`, ip: `${subnet}.10` },
  { id: 'relay-a', ns: `${tag}a`, ip: `${subnet}.11` },
  { id: 'relay-a1', ns: `${tag}a1`, ip: `${subnet}.21` },
  { id: 'relay-a2', ns: `${tag}a2`, ip: `${subnet}.22` },
  { id: 'relay-b', ns: `${tag}b`, ip: `${subnet}.12` },
  { id: 'relay-x', ns: `${tag}x`, ip: `${subnet}.31` },
];
const procs: ChildProcess[] = [];
const byId = new Map<string, ChildProcess>();
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const host = (id: string) => hosts.find((h) => h.id === id)!;
const url = (id: string) => `http://${host(id).ip}:8100`;

function teardownNetwork(): void {
  for (const h of hosts) {
    try {
      ip('netns', 'del', h.ns);
    } catch {
      // not there
    }
  }
  try {
    ip('link', 'del', bridge);
  } catch {
    // not there
  }
}

describe.skipIf(!canRun)('relays in separate network namespaces', () => {
  beforeAll(async () => {
    teardownNetwork();
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (const [i, h] of hosts.entries()) {
      ip('netns', 'add', h.ns);
      ip('link', 'add', `${tag}v${i}`, 'type', 'veth', 'peer', 'name', `${tag}p${i}`);
      ip('link', 'set', `${tag}v${i}`, 'netns', h.ns);
      ip('link', 'set', `${tag}p${i}`, 'master', bridge);
      ip('link', 'set', `${tag}p${i}`, 'up');
      ip('-n', h.ns, 'addr', 'add', `${h.ip}/24`, 'dev', `${tag}v${i}`);
      ip('-n', h.ns, 'link', 'set', `${tag}v${i}`, 'up');
      ip('-n', h.ns, 'link', 'set', 'lo', 'up');
      ip('-n', h.ns, 'route', 'add', 'default', 'dev', `${tag}v${i}`);
    }
    const start = (h: (typeof hosts)[number], program: string, extra: string[]) => {
      const p = spawn(
        'ip',
        [
          'netns',
          'exec',
          h.ns,
          process.execPath,
          '--import',
          'tsx',
          program,
          '--id',
          h.id,
          '--listen',
          `${h.ip}:8100`,
          '--ice-address',
          h.ip,
          '--log-level',
          'warn',
          ...extra,
        ],
        { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit'], env: nodeEnv },
      );
      procs.push(p);
      byId.set(h.id, p);
    };
    const healthy = (id: string) =>
      waitFor(
        async () =>
          (await fetch(`${url(id)}/healthz`)
            .then((r) => r.status)
            .catch(() => 0)) === 200,
        20_000,
        100,
        `${id} healthy`,
      );
    // The origin listens beyond loopback: it needs publisher authentication, or this flag.
    start(host('origin'), 'origin/main.ts', ['--session-connect-timeout', '2m', '--allow-anonymous-publish']);
    await healthy('origin');
    start(host('relay-a'), 'relay/main.ts', ['--parent', `ws://${host('origin').ip}:8100/relay`, '--lan-interface', host('relay-a').ip]);
    await healthy('relay-a');
    for (const id of ['relay-a1', 'relay-a2']) {
      start(host(id), 'relay/main.ts', [
        '--parent',
        `ws://${host('relay-a').ip}:8100/relay`,
        '--lan-interface',
        host(id).ip,
        '--session-connect-timeout',
        '2m',
      ]);
    }
    await healthy('relay-a1');
    await healthy('relay-a2');
    // relay-x, on a host of its own, has two parents on two other hosts.
    start(host('relay-b'), 'relay/main.ts', ['--parent', `ws://${host('origin').ip}:8100/relay`, '--lan-interface', host('relay-b').ip]);
    await healthy('relay-b');
    start(host('relay-x'), 'relay/main.ts', [
      '--parent',
      `ws://${host('relay-a').ip}:8100/relay`,
      '--parent',
      `ws://${host('relay-b').ip}:8100/relay`,
      '--no-siblings',
      '--session-connect-timeout',
      '2m',
    ]);
    await healthy('relay-x');
  }, 60_000);

  afterAll(async () => {
    // SIGINT closes at once; SIGTERM would drain the sessions left open by this test.
    for (const p of procs) p.kill('SIGINT');
    await Promise.all(procs.map((p) => (p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => p.once('exit', r)))));
    if (canRun) teardownNetwork();
  }, 30_000);

  it('a relay finds the stream on its sibling host by multicast and pulls it from there', async () => {
    // The origin announces a stream at WHIP POST time; no media is needed to route pulls.
    const pub = await fetch(`${url('origin')}/whip/cam`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: await makeOffer({ direction: 'SendOnly' }),
    });
    expect(pub.status).toBe(201);
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const watch = async (id: string) => {
      const res = await fetch(`${url(id)}/whep/cam`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
      expect(res.status, await res.text()).toBe(201);
    };
    await watch('relay-a1');
    await watch('relay-a2');
    // From another host, /api/state needs the admin token.
    expect((await fetch(`${url('relay-a2')}/api/state`)).status).toBe(401);
    const state = async (id: string) =>
      (await (await fetch(`${url(id)}/api/state`, { headers: admin })).json()) as {
        node: { level: number; siblings: Array<{ id: string }> };
        streams: Array<{ upstream: unknown; children: number }>;
      };
    const a2 = await state('relay-a2');
    expect(a2.node.level).toBe(2);
    expect(a2.streams[0]!.upstream).toEqual({ kind: 'sibling', peer: 'relay-a1', state: 'ready' });
    expect(a2.node.siblings.map((s) => s.id)).toContain('relay-a1');
    expect((await state('relay-a1')).streams[0]).toMatchObject({ children: 1, upstream: { kind: 'parent', peer: 'relay-a' } });
    expect((await state('relay-a')).streams[0]).toMatchObject({ children: 1, upstream: { kind: 'origin', peer: 'origin' } });
  });

  it('a relay whose parent host dies fails over to its parent on another host, and its viewer keeps receiving video', async () => {
    // Media crosses the bridge: the clients bind the host side of it.
    const bridgeIp = `${subnet}.1`;
    const pub = new NodePublisher({ url: `${url('origin')}/whip/live`, fixture: DEFAULT_FIXTURE, audio: false, bindAddress: bridgeIp });
    const viewer = new NodeViewer({ url: `${url('relay-x')}/whep/live`, audio: false, bindAddress: bridgeIp });
    try {
      await pub.start();
      expect((await viewer.start()).status).toBe(201);
      await viewer.waitFor(() => viewer.video.keyframes > 0, 20_000, 'video at relay-x');
      const state = async () =>
        (await (await fetch(`${url('relay-x')}/api/state`, { headers: admin })).json()) as {
          node: { parent: { id: string } };
          streams: Array<{ name: string; viewers: number; upstream: { peer: string } }>;
        };
      expect((await state()).node.parent.id).toBe('relay-a');
      const keyframes = viewer.video.keyframes;
      byId.get('relay-a')!.kill('SIGKILL');
      const killed = Date.now();
      await viewer.waitFor(() => viewer.video.keyframes > keyframes, 5000, 'video again after the failover');
      console.info(`netns failover: first keyframe ${Date.now() - killed} ms after relay-a's host process was killed`);
      const after = await state();
      expect(after.node.parent.id).toBe('relay-b');
      expect(after.streams.find((x) => x.name === 'live')).toMatchObject({ viewers: 1, upstream: { peer: 'relay-b' } });
    } finally {
      await viewer.close();
      await pub.close();
    }
  }, 60_000);
});
