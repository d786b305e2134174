import { describe, expect, it } from 'vitest';
import { NodeViewer } from '../support/NodeViewer.js';
import { LAYER_SIZES, publishSimulcast, RIDS, SSRCS } from '../support/simulcastPublisher.js';
import { startTree } from '../support/tree.js';

// An OBS-style simulcast publish (test/support/simulcastPublisher.ts): three VP8 layers on three
// SSRCs, rids and a=simulcast:send, no a=ssrc, the rid header extension in the one-byte form.

describe('simulcast ingest (OBS-style offer)', () => {
  it('answers with the layers and receives each on its own SSRC, as a track of its own', async () => {
    const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true });
    let viewer: NodeViewer | null = null;
    let pub: Awaited<ReturnType<typeof publishSimulcast>> | null = null;
    try {
      // Layers of 30, 100 and 300 kbit/s-ish: 30 fps, a keyframe every second.
      pub = await publishSimulcast(`${tree.origin.node.url}/whip/obs`, 30);
      expect(pub.offer).not.toMatch(/^a=ssrc:/m);
      expect(pub.answer).toMatch(/^a=simulcast:recv 0;1;2\r?$/m);
      for (const r of RIDS) expect(pub.answer).toMatch(new RegExp(`^a=rid:${r} recv\\r?$`, 'm'));
      expect(Number(/^a=extmap:(\d+) urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id/m.exec(pub.answer)?.[1])).toBe(10);

      // A viewer without a choice gets the top layer (rid 2: the offer's order is lowest first).
      viewer = new NodeViewer({ url: `${tree.origin.node.url}/whep/obs`, keepPayloads: true, audio: false });
      expect((await viewer.start()).status).toBe(201);
      const session = (): ReturnType<NonNullable<ReturnType<typeof tree.origin.whip.publishers.get>>['simulcastState']>[number] | undefined =>
        tree.origin.whip.publishers.get('obs')?.simulcastState()[0];
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const st = session();
        if (st && st.layers.every((l) => l.packets > 60)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const st = session()!;
      expect(st.layers.map((l) => [l.rid, l.ssrc])).toEqual(RIDS.map((r, i) => [r, SSRCS[i]]));
      for (const l of st.layers) expect(l.packets).toBeGreaterThan(60);
      const v = viewer.video;
      await viewer.waitFor(() => viewer!.video.payloads.some((p) => p.length >= LAYER_SIZES[2]!), 5000, 'the top layer at the viewer');
      // One SSRC, sequence numbers without a gap across the switch (TrackSender rewrites).
      expect(v.ssrcs.size).toBe(1);
      expect(viewer.discontinuities('video')).toBe(0);
    } finally {
      await viewer?.close();
      await pub?.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 30_000);
});
