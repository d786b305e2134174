/**
 * The checks that a simulcast viewer stepped down from the top layer to mid through temporal
 * drops (test/integration/temporal-drops and av1-temporal-drops, the same on VP8 and AV1).
 */
import { expect } from 'vitest';
import type { NodeViewer } from './NodeViewer.js';

export interface SentFrame {
  /** Payload size: which layer the frame came from. */
  size: number;
  tid: number;
  key: boolean;
}

/**
 * `after`: the frames the viewer got from the cap on. While the switch waits, a run of the top
 * layer's TL0 frames only; the switch lands on mid's keyframe, and mid then has every temporal
 * layer. One SSRC, no sequence gap, nothing NACKed; counted in the node's metrics and shown in
 * the viewer's session status.
 */
export async function expectStepDownThroughTl0(
  after: readonly SentFrame[],
  sizes: { mid: number; high: number },
  viewer: NodeViewer,
  nodeUrl: string,
): Promise<void> {
  const firstMid = after.findIndex((f) => f.size === sizes.mid);
  const waiting = after.slice(0, firstMid);
  const tids = waiting.map((f) => f.tid);
  const tl0Run = waiting.slice(Math.max(tids.lastIndexOf(1), tids.lastIndexOf(2)) + 1);
  expect(tl0Run.length, JSON.stringify(tids)).toBeGreaterThanOrEqual(5);
  expect(tl0Run.every((f) => f.size === sizes.high && f.tid === 0)).toBe(true);
  expect(after[firstMid]!.key).toBe(true);
  expect(new Set(after.slice(firstMid).map((f) => f.tid))).toEqual(new Set([0, 1, 2]));
  expect(viewer.video.ssrcs.size).toBe(1);
  expect(viewer.discontinuities('video')).toBe(0);
  expect(viewer.repair.nacksSent).toBe(0);
  const metrics = await (await fetch(`${nodeUrl}/metrics`)).text();
  expect(metrics).toMatch(/canopy_temporal_layer_drops_total\{keep="tl0"\} [1-9]/);
  const status = (await (await fetch(viewer.sessionUrl!)).json()) as {
    layers?: { layer: string; temporal?: { cap: number | null; framesDropped: number } };
  };
  expect(status.layers).toMatchObject({ layer: 'mid', temporal: { cap: null } });
  expect(status.layers!.temporal!.framesDropped).toBeGreaterThanOrEqual(tl0Run.length * 3 - 3);
}
