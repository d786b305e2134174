/**
 * The native data plane at a relay (issue 19): what it drops at the shared viewer port is
 * counted on /metrics by reason, garbage never stops a viewer's media, and the viewer's
 * selected candidate pair is reported like node-datachannel's (/api/state, canopy_ice_sessions).
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/wait.js';

const native = NativeEngine.available();
let tree: Tree;
let pub: NodePublisher;

/** One sample of a labelled counter from the exposition text (0 when absent). */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe.skipIf(!native.ok)('native data plane at a relay', () => {
  beforeAll(async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, relayFlags: ['--engine', 'native'] });
    pub = new NodePublisher({ url: `${tree.origin.url}/whip/nm`, fixture: DEFAULT_FIXTURE });
    await pub.start();
  });

  afterAll(async () => {
    await pub?.close();
    await tree?.close();
    await tree?.assertEmpty();
  });

  it('counts dropped datagrams on /metrics by reason, keeps the viewer playing, and reports its candidate pair', async () => {
    const relay = tree.relays[0]!;
    const port = (relay.engine as unknown as { viewers: NativeEngine }).viewers.port;
    expect(port).toBeGreaterThan(0);
    const viewer = new NodeViewer({ url: `${relay.url}/whep/nm` });
    const s = createSocket('udp4');
    try {
      expect((await viewer.start()).status).toBe(201);
      await viewer.waitFor(() => viewer.video.packets >= 20, 15_000, 'video before the garbage');
      const metrics = async (): Promise<string> => (await fetch(`${relay.url}/metrics`)).text();
      const before = await metrics();

      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      const stunUnknown = Buffer.alloc(32);
      stunUnknown.writeUInt16BE(0x0001, 0);
      stunUnknown.writeUInt16BE(12, 2);
      stunUnknown.writeUInt32BE(0x2112a442, 4);
      stunUnknown.writeUInt16BE(0x0006, 20);
      stunUnknown.writeUInt16BE(8, 22);
      stunUnknown.write('nobody:x', 24);
      const dtlsFromStranger = Buffer.from([22, 0xfe, 0xfd, ...Buffer.alloc(40)]);
      const srtcpFromStranger = Buffer.from([0x80, 200, 0, 6, ...Buffer.alloc(40)]);
      const truncatedStun = Buffer.from([0, 1, 0, 0, 0x21, 0x12]);
      const packets = 5;
      const videoBefore = viewer.video.packets;
      for (let i = 0; i < packets; i++) {
        for (const d of [stunUnknown, dtlsFromStranger, srtcpFromStranger, truncatedStun, Buffer.from([0xff, 1, 2, 3])]) {
          await new Promise<void>((r) => s.send(d, port, '127.0.0.1', () => r()));
        }
      }
      const rise = async (reason: string, n: number): Promise<void> => {
        const label = `reason="${reason}"`;
        const was = sample(before, 'canopy_native_dropped_datagrams_total', label);
        let now = was;
        await waitFor(
          async () => {
            now = sample(await metrics(), 'canopy_native_dropped_datagrams_total', label);
            return now - was >= n;
          },
          5000,
          50,
          `canopy_native_dropped_datagrams_total{${label}} to rise by ${n} (was ${was}, now ${now})`,
        );
      };
      await rise('unverified_address', 2 * packets);
      await rise('stun_unknown_user', packets);
      await rise('garbage', packets);
      await rise('stun_malformed', packets);
      // Garbage never stops a viewer's media.
      await viewer.waitFor(() => viewer.video.packets >= videoBefore + 20, 10_000, 'video after the garbage');
      const text = await metrics();
      expect(text).toMatch(/canopy_native_send_errors_total\{kind="would_block"\} \d+/);
      expect(text).toMatch(/^canopy_native_viewers 1$/m);

      // The pair ICE-lite selected: our host candidate, the viewer's host candidate from its offer.
      const state = (await (await fetch(`${relay.url}/api/state`)).json()) as {
        node: { ice: { viewers: { known: number; byRoute: Record<string, number> }; sessions: Array<Record<string, unknown>> } };
      };
      expect(state.node.ice.viewers.known).toBe(1);
      expect(Object.keys(state.node.ice.viewers.byRoute)).toHaveLength(1);
      expect(Object.keys(state.node.ice.viewers.byRoute)[0]).toMatch(/^host\/udp -> (host|prflx)\/udp$/);
      expect(state.node.ice.sessions[0]).toMatchObject({ kind: 'viewer', local: 'host/udp', remoteAddress: '127.0.0.1', turn: false, tcp: false });
      expect(text).toMatch(/canopy_ice_sessions\{kind="viewer",local="host\/udp",remote="(host|prflx)\/udp",turn="false"\} 1/);
    } finally {
      s.close();
      await viewer.close();
    }
  }, 60_000);
});
