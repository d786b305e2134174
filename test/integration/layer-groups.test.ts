import { describe, expect, it } from 'vitest';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import type { RtcEngine } from '../../src/engine/engine.js';
import { nativeAvailable } from '../support/nativeTest.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { isKeyPayload, LAYER_SIZES, publishSimulcast } from '../support/simulcastPublisher.js';
import { startTree } from '../support/tree.js';
import { waitFor } from '../support/wait.js';

// Simulcast viewers on the native engine are members of per-layer fan-out groups (docs/abr.md
// "Native engine"; native/src/server.h moveMember): JavaScript sends no RTP to any one viewer,
// a relay holds one group per layer someone there is on, and a switch moves the member between
// groups at the target layer's key frame with one SSRC, no sequence gap and timestamps going on;
// NACKs after a switch are answered from the new layer's history.

const [LOW, , HIGH] = LAYER_SIZES as [number, number, number];
const available = nativeAvailable();

/** The viewers' native engine of a node (behind ViewerRoutedEngine, or itself). */
function nativeOf(e: RtcEngine): NativeEngine {
  const v = (e as { viewers?: RtcEngine }).viewers ?? e;
  if (!(v instanceof NativeEngine)) throw new Error('viewers are not on the native engine');
  return v;
}

async function patchLayer(url: string, layer: string): Promise<number> {
  const r = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ layer }) });
  await r.text();
  return r.status;
}

/** Index of the first payload of `size` at or after `from` (-1: none). */
function firstOf(v: NodeViewer, size: number, from: number): number {
  const i = v.video.payloads.slice(from).findIndex((p) => p.length === size);
  return i < 0 ? -1 : from + i;
}

/** The switch at index i: a key frame, one SSRC, no sequence gap, the timestamp moving forward by under a second. */
function expectSeamless(v: NodeViewer, i: number, size: number, what: string): void {
  const m = v.video;
  expect(i, what).toBeGreaterThan(0);
  expect(isKeyPayload(m.payloads[i]!), `${what}: starts on a key frame`).toBe(true);
  expect(
    m.payloads.slice(i).every((p) => p.length === size),
    `${what}: nothing of the old layer after`,
  ).toBe(true);
  expect(m.ssrcs.size, what).toBe(1);
  expect(v.discontinuities('video'), what).toBe(0);
  const dt = (m.timestamps[i]! - m.timestamps[i - 1]! + 2 ** 32) % 2 ** 32;
  expect(dt, `${what}: timestamp step`).toBeGreaterThan(0);
  expect(dt, `${what}: timestamp step`).toBeLessThan(90_000);
}

describe.skipIf(!available.ok)('simulcast viewers in native per-layer fan-out groups', () => {
  it('are group members (no per-viewer send), switch down and up seamlessly, and get NACKs answered after a switch', async () => {
    const tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--engine', 'native'] });
    // Keyframes on every layer every 30 frames (1 s): the synthetic publisher does not answer PLIs.
    const pub = await publishSimulcast(`${tree.origin.node.url}/whip/lg`, 30);
    const relay = tree.relays[0]!;
    const engine = nativeOf(relay.engine);
    const url = `${relay.node.url}/whep/lg?layer=high`;
    const a = new NodeViewer({ url, keepPayloads: true, audio: false, name: 'lg-a' });
    const b = new NodeViewer({ url, keepPayloads: true, audio: false, name: 'lg-b' });
    // Loses 5 % of its video and asks for it again (RTX).
    const c = new NodeViewer({ url, audio: false, name: 'lg-c', drop: 0.05, nack: true, rtx: true });
    const viewers = [a, b, c];
    try {
      await waitFor(() => (tree.origin.node.hub.get('lg')?.info?.tracks.length ?? 0) === 3, 5000, 20, 'three layer tracks');
      const sendsBefore = engine.viewerRtpSends;
      for (const v of viewers) expect((await v.start()).status).toBe(201);
      for (const v of [a, b]) await v.waitFor(() => v.video.payloads.filter((p) => p.length === HIGH).length >= 30, 10_000, 'the top layer');
      await c.waitFor(() => c.repair.recovered >= 3, 10_000, 'repair on the top layer');
      // Three viewers on one layer: one group, no RTP sent to any one viewer from JavaScript.
      expect(engine.stats().groups).toBe(1);
      expect(engine.viewerRtpSends - sendsBefore).toBe(0);

      // Down: a and c to low (b stays on high): a group per layer.
      const downAt = a.video.payloads.length;
      const recoveredAtDown = c.repair.recovered;
      expect(await patchLayer(a.sessionUrl!, 'low')).toBe(200);
      expect(await patchLayer(c.sessionUrl!, 'low')).toBe(200);
      await a.waitFor(() => a.video.payloads.slice(downAt).filter((p) => p.length === LOW).length >= 30, 10_000, 'low after the switch down');
      expectSeamless(a, firstOf(a, LOW, downAt), LOW, 'down');
      expect(engine.stats().groups).toBe(2);
      await c.waitFor(() => c.repair.recovered >= recoveredAtDown + 3, 10_000, 'repair on the low layer');
      expect(b.video.payloads.slice(-30).every((p) => p.length === HIGH)).toBe(true);

      // Up again: the low group goes with its last member.
      const upAt = a.video.payloads.length;
      const recoveredAtUp = c.repair.recovered;
      expect(await patchLayer(a.sessionUrl!, 'high')).toBe(200);
      expect(await patchLayer(c.sessionUrl!, 'high')).toBe(200);
      await a.waitFor(() => a.video.payloads.slice(upAt).filter((p) => p.length === HIGH).length >= 30, 10_000, 'high after the switch up');
      expectSeamless(a, firstOf(a, HIGH, upAt), HIGH, 'up');
      await c.waitFor(() => c.repair.recovered >= recoveredAtUp + 3, 10_000, 'repair back on the top layer');
      await waitFor(() => engine.stats().groups === 1, 3000, 20, 'the low group closed');
      expect(b.discontinuities('video')).toBe(0);
      expect(engine.viewerRtpSends - sendsBefore).toBe(0);
      // Every packet c lost was asked for and came back, but a few at most (RTX lost again).
      expect(c.repair.gaveUp).toBeLessThanOrEqual(c.repair.dropped - c.repair.recovered);
    } finally {
      for (const v of viewers) await v.close();
      await pub.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 60_000);
});
