import { describe, expect, it } from 'vitest';
import { buildRemb } from '../../src/rtcp.js';
import { readAv1FramePayload } from '../support/av1Temporal.js';
import { nativeAvailable } from '../support/nativeTest.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { LAYER_SIZES, publishSimulcast } from '../support/simulcastPublisher.js';
import { expectStepDownThroughTl0 } from '../support/temporalStepDown.js';
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
        // A receiver without the Dependency Descriptor chains AV1 frames by sequence number: one
        // SSRC and no gap is what it needs.
        await expectStepDownThroughTl0(after, { mid: MID, high: HIGH }, viewer, tree.origin.node.url);
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
