import { describe, expect, it } from 'vitest';
import { NodeViewer } from '../support/NodeViewer.js';
import { isKeyPayload, LAYER_SIZES, publishSimulcast } from '../support/simulcastPublisher.js';
import { originLink, originLinkSent, startTree } from '../support/tree.js';
import { waitFor } from '../support/wait.js';

// Simulcast layers through the tree (docs/abr.md): each layer is a track of the stream, a link
// carries a layer only while someone below watches it, and each viewer gets its own layer.

const [LOW, MID, HIGH] = LAYER_SIZES as [number, number, number];

async function patchLayer(url: string, layer: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ layer }) });
  return { status: r.status, body: await r.text() };
}

describe('simulcast layers through the tree', () => {
  it('pulls only the layers viewers below watch, gives each viewer its layer, and switches at a keyframe', async () => {
    const tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--idle-close-after', '300ms'] });
    const viewers: NodeViewer[] = [];
    const pub = await publishSimulcast(`${tree.origin.node.url}/whip/sim`);
    try {
      const l2 = tree.relays.find((r) => r.config.id === 'relay-a1')!;
      const l1 = tree.relays.find((r) => r.config.id === 'relay-a')!;
      await waitFor(() => (tree.origin.node.hub.get('sim')?.info?.tracks.length ?? 0) === 3, 5000, 20, 'three layer tracks at the origin');

      // A viewer pinned to the low layer at level 2.
      const low = new NodeViewer({ url: `${l2.node.url}/whep/sim?layer=low`, keepPayloads: true, audio: false });
      viewers.push(low);
      expect((await low.start()).status).toBe(201);
      await low.waitFor(() => low.video.payloads.length >= 45, 10_000, 'low-layer packets at the viewer');
      expect(new Set(low.video.payloads.map((p) => p.length))).toEqual(new Set([LOW]));
      expect(isKeyPayload(low.video.payloads[0]!), JSON.stringify(low.video.payloads.slice(0, 5).map((p) => [...p.subarray(0, 4)]))).toBe(true);

      // The origin → level-1 link carries the low layer only (and the dashboard/api say so).
      await waitFor(() => originLink(tree)?.layers.join() === 'low', 5000, 20, 'origin link carries only low');
      const sent = await originLinkSent(tree, 1000);
      expect(sent.low).toBeGreaterThan(15);
      expect(sent.high).toBe(0);
      expect(sent.mid).toBe(0);
      const state = (await (await fetch(`${l1.node.url}/api/state`)).json()) as {
        streams: Array<{ name: string; layers?: { pulled: string[]; links: Array<{ layers: string[] }> } }>;
      };
      const s = state.streams.find((x) => x.name === 'sim');
      expect(s?.layers?.pulled).toEqual(['low']);
      expect(s?.layers?.links.map((l) => l.layers)).toEqual([['low']]);

      // A time-shifted viewer (2 s back, while level 2's window B holds the low layer) asking for the low layer gets it.
      const shifted = new NodeViewer({ url: `${l2.node.url}/whep/sim?start=${Date.now() - 2000}&layer=low`, keepPayloads: true, audio: false });
      viewers.push(shifted);
      expect((await shifted.start()).status).toBe(201);
      await shifted.waitFor(() => shifted.video.payloads.length >= 30, 10_000, 'time-shifted low-layer packets');
      expect(new Set(shifted.video.payloads.map((p) => p.length))).toEqual(new Set([LOW]));
      expect(shifted.discontinuities('video')).toBe(0);
      await shifted.close();
      // Pinned to high during the session: the switch lands on a keyframe of the high layer,
      // on the same SSRC with no sequence gap.
      const r = await patchLayer(low.sessionUrl!, 'high');
      expect(r.status, r.body).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ target: 'high' });
      await low.waitFor(() => low.video.payloads.some((p) => p.length === HIGH), 10_000, 'the high layer at the viewer');
      const sizes = low.video.payloads.map((p) => p.length);
      const first = sizes.indexOf(HIGH);
      expect(isKeyPayload(low.video.payloads[first]!)).toBe(true);
      expect(sizes.slice(first).every((n) => n === HIGH)).toBe(true);
      expect(low.video.ssrcs.size).toBe(1);
      expect(low.discontinuities('video')).toBe(0);
      expect(sizes).not.toContain(MID);
      // After the linger, the low layer nobody watches any more stops crossing the link.
      await waitFor(() => originLink(tree)?.layers.join() === 'high', 5000, 20, 'origin link carries only high');
      const b2 = originLink(tree)!.packets;
      await new Promise((r) => setTimeout(r, 1000));
      const a2 = originLink(tree)!.packets;
      expect(a2.low).toBe(b2.low);
      expect(a2.high! - b2.high!).toBeGreaterThan(15);
      // A bad layer is a 400.
      expect((await patchLayer(low.sessionUrl!, 'best')).status).toBe(400);
    } finally {
      for (const v of viewers) await v.close();
      await pub.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 60_000);
});
