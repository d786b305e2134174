import { describe, expect, it } from 'vitest';
import { buildRemb } from '../../src/rtcp.js';
import { readAv1FramePayload } from '../support/av1Temporal.js';
import { nativeAvailable } from '../support/nativeTest.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { LAYER_SIZES, publishSimulcast } from '../support/simulcastPublisher.js';
import { startTree } from '../support/tree.js';
import { waitFor } from '../support/wait.js';

// AV1 temporal layers while a switch down waits for its keyframe (docs/abr.md "Temporal layers",
// AV1): as temporal-drops.test.ts for VP8, with three AV1 layers whose temporal id is only in
// the OBU extension header (no Dependency Descriptor, no PictureID). Until the mid layer's next
// keyframe the viewer gets the top layer's TL0 frames only, with no sequence gap to NACK; then
// mid, from its keyframe, with every temporal layer.

/** As temporal-drops.test.ts: a REMB of 110 kbit/s leaves room for mid and the top layer's TL0, not TL1 as well. */
const SIZES = [LAYER_SIZES[0]!, 250, LAYER_SIZES[2]!];
const [, MID, HIGH] = SIZES as [number, number, number];
/** Keyframes on every layer every 150 frames (5 s): the window in which the switch waits. */
const KEY_EVERY = 150;

const engines = ['ndc', ...(nativeAvailable().ok ? ['native'] : [])];

describe('AV1 temporal layer drops while a switch down waits (node-datachannel publisher and viewer)', () => {
  for (const engine of engines) {
    it(`${engine}: the top layer's TL0 only until the mid keyframe, then mid whole; no sequence gap`, async () => {
      const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true, originFlags: ['--engine', engine, '--keyframe-interval', '0'] });
      const pub = await publishSimulcast(`${tree.origin.node.url}/whip/av1tl`, KEY_EVERY, undefined, { temporal: true, av1: true, sizes: SIZES });
      const viewer = new NodeViewer({ url: `${tree.origin.node.url}/whep/av1tl`, keepPayloads: true, audio: false, nack: true, av1: true });
      let remb: NodeJS.Timeout | null = null;
      try {
        await waitFor(() => (tree.origin.node.hub.get('av1tl')?.info?.tracks.length ?? 0) === 3, 5000, 20, 'three layer tracks');
        expect(tree.origin.node.hub.get('av1tl')!.info!.tracks.every((t) => t.codec.toUpperCase() === 'AV1')).toBe(true);
        expect((await viewer.start()).status).toBe(201);
        const frames = () => viewer.video.payloads.map(readAv1FramePayload);
        // On the top layer (its first keyframe can be 5 s away), then right after a keyframe,
        // so the mid layer's next one is about 5 s away.
        await viewer.waitFor(() => frames().filter((f) => f.size === HIGH).length >= 10, 12_000, 'the top layer');
        const keys = frames().filter((f) => f.key).length;
        await viewer.waitFor(() => frames().filter((f) => f.key).length > keys, 8000, 'a keyframe of the top layer');
        const capAt = viewer.video.payloads.length;
        const sendRemb = () => viewer.sendRtcp(buildRemb(viewer.ownSsrc, 110_000, [viewer.video.lastSsrc ?? 0]));
        sendRemb();
        remb = setInterval(sendRemb, 200);
        await viewer.waitFor(
          () =>
            frames()
              .slice(capAt)
              .some((f) => f.size === MID),
          10_000,
          'the mid layer',
        );
        await viewer.waitFor(
          () =>
            frames()
              .slice(capAt)
              .filter((f) => f.size === MID).length >= 12,
          5000,
          'mid frames',
        );
        const after = frames().slice(capAt);
        const firstMid = after.findIndex((f) => f.size === MID);
        const waiting = after.slice(0, firstMid);
        // While waiting: a run of the top layer's TL0 frames only, after the cap took effect.
        const tids = waiting.map((f) => f.tid);
        const tl0Run = waiting.slice(Math.max(tids.lastIndexOf(1), tids.lastIndexOf(2)) + 1);
        expect(tl0Run.length, JSON.stringify(tids)).toBeGreaterThanOrEqual(5);
        expect(tl0Run.every((f) => f.size === HIGH && f.tid === 0)).toBe(true);
        // The switch lands on mid's keyframe; mid then has every temporal layer.
        expect(after[firstMid]!.key).toBe(true);
        expect(new Set(after.slice(firstMid).map((f) => f.tid))).toEqual(new Set([0, 1, 2]));
        // What a receiver without the Dependency Descriptor needs: one SSRC and no sequence gap
        // (it chains AV1 frames by sequence number), so nothing is NACKed.
        expect(viewer.video.ssrcs.size).toBe(1);
        expect(viewer.discontinuities('video')).toBe(0);
        expect(viewer.repair.nacksSent).toBe(0);
        const metrics = await (await fetch(`${tree.origin.node.url}/metrics`)).text();
        expect(metrics).toMatch(/canopy_temporal_layer_drops_total\{keep="tl0"\} [1-9]/);
        const status = (await (await fetch(viewer.sessionUrl!)).json()) as {
          layers?: { layer: string; temporal?: { cap: number | null; framesDropped: number } };
        };
        expect(status.layers).toMatchObject({ layer: 'mid', temporal: { cap: null } });
        expect(status.layers!.temporal!.framesDropped).toBeGreaterThanOrEqual(tl0Run.length * 3 - 3);
      } finally {
        if (remb) clearInterval(remb);
        await viewer.close();
        await pub.close();
        await tree.close();
      }
      await tree.assertEmpty();
    }, 60_000);
  }
});
