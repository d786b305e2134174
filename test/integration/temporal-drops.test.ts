import { describe, expect, it } from 'vitest';
import { buildRemb } from '../../src/rtcp.js';
import { nativeAvailable } from '../support/nativeTest.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { LAYER_SIZES, publishSimulcast } from '../support/simulcastPublisher.js';
import { expectStepDownThroughTl0 } from '../support/temporalStepDown.js';
import { startTree } from '../support/tree.js';
import { vp8NumberingBreaks } from '../support/vp8Temporal.js';
import { waitFor } from '../support/wait.js';

// Temporal layers while a switch down waits for its keyframe (docs/abr.md "Temporal layers"):
// a node-datachannel publisher sends three VP8 layers, each with three temporal layers
// (L1T3 descriptors built by hand); a viewer on the top layer reports a REMB under it. Until the
// mid layer's next keyframe the viewer keeps the top layer's TL0 frames only, with no sequence
// gap to NACK and PictureID / TL0PICIDX one apart, then moves to mid with every temporal layer.

/**
 * Payload sizes low, mid, high: at 30 frames a second the top layer is ~270 kbit/s, its TL0
 * ~67 and TL0+TL1 ~135; mid ~66. A REMB of 110 kbit/s (0.9 x = 99) leaves room for mid and the
 * top layer's TL0, not for TL1 as well, each by about a third (the per-second rates vary with
 * the timers on a loaded machine).
 */
const SIZES = [LAYER_SIZES[0]!, 250, LAYER_SIZES[2]!];
const [, MID, HIGH] = SIZES as [number, number, number];
/** Keyframes on every layer every 150 frames (5 s): the window in which the switch waits. */
const KEY_EVERY = 150;

interface Vp8Desc {
  size: number;
  pictureId: number;
  tl0: number;
  tid: number;
  sync: boolean;
  key: boolean;
}

/** The viewer's payload: X, I (15-bit), L, T as the publisher writes them (test/support/vp8Temporal.ts). */
function desc(p: Buffer): Vp8Desc {
  return { size: p.length, pictureId: ((p[2]! & 0x7f) << 8) | p[3]!, tl0: p[4]!, tid: p[5]! >> 6, sync: (p[5]! & 0x20) !== 0, key: (p[6]! & 0x01) === 0 };
}

const engines = ['ndc', ...(nativeAvailable().ok ? ['native'] : [])];

describe('temporal layer drops while a switch down waits (node-datachannel publisher and viewer)', () => {
  for (const engine of engines) {
    it(`${engine}: the top layer's TL0 only until the mid keyframe, then mid whole; no gap, PictureID continuous`, async () => {
      const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true, originFlags: ['--engine', engine] });
      const pub = await publishSimulcast(`${tree.origin.node.url}/whip/tl`, KEY_EVERY, undefined, { temporal: true, sizes: SIZES });
      const viewer = new NodeViewer({ url: `${tree.origin.node.url}/whep/tl`, keepPayloads: true, audio: false, nack: true });
      let remb: NodeJS.Timeout | null = null;
      try {
        await waitFor(() => (tree.origin.node.hub.get('tl')?.info?.tracks.length ?? 0) === 3, 5000, 20, 'three layer tracks');
        expect((await viewer.start()).status).toBe(201);
        // On the top layer (its first keyframe can be 5 s away), then right after a keyframe,
        // so the mid layer's next one is about 5 s away.
        await viewer.waitFor(() => viewer.video.payloads.filter((p) => p.length === HIGH).length >= 10, 12_000, 'the top layer');
        const keys = viewer.video.keyframes;
        await viewer.waitFor(() => viewer.video.keyframes > keys, 8000, 'a keyframe of the top layer');
        const capAt = viewer.video.payloads.length;
        const sendRemb = () => viewer.sendRtcp(buildRemb(viewer.ownSsrc, 110_000, [viewer.video.lastSsrc ?? 0]));
        sendRemb();
        remb = setInterval(sendRemb, 200);
        await viewer.waitFor(() => viewer.video.payloads.slice(capAt).some((p) => p.length === MID), 10_000, 'the mid layer');
        await viewer.waitFor(() => viewer.video.payloads.slice(capAt).filter((p) => p.length === MID).length >= 12, 5000, 'mid frames');
        const all = viewer.video.payloads.map(desc);
        const after = all.slice(capAt);
        // What the receiver needs to decode it: PictureID +1 frame to frame and TL0PICIDX +1 at each
        // TL0 frame, across the drops and the switch; and the step down itself.
        expect(vp8NumberingBreaks(all)).toEqual([]);
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
