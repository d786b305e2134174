import { describe, expect, it } from 'vitest';
import { nativeAvailable } from '../support/nativeTest.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { isKeyPayload, LAYER_SIZES, publishSimulcast } from '../support/simulcastPublisher.js';
import { originLink, startTree } from '../support/tree.js';
import { sleep, waitFor } from '../support/wait.js';

// A simulcast layer that stops at the publisher mid-session (issue 20; docs/abr.md "A layer that
// stops"): Chromium stops its top encoding when its estimate falls. Viewers on the top layer at a
// relay that pulls only that layer move to mid at mid's keyframe, on the same SSRC with no
// sequence gap, and back to the top layer when it flows again. Both engines: on
// node-datachannel the viewer's TrackSender switches, on the native engine its member moves
// between the layers' fan-out groups.

const [, MID, HIGH] = LAYER_SIZES as [number, number, number];
const engines = ['ndc', ...(nativeAvailable().ok ? ['native'] : [])];

interface ViewerLine {
  layer?: string | null;
  fallback?: { from: string; reason: string };
}

async function viewerLines(url: string): Promise<ViewerLine[]> {
  const state = (await (await fetch(`${url}/api/state`)).json()) as { streams: Array<{ name: string; viewerList?: ViewerLine[] }> };
  return state.streams.find((s) => s.name === 'stop')?.viewerList ?? [];
}

/** Index of the first payload of `size` at or after `from` (-1: none). */
function firstOf(v: NodeViewer, size: number, from: number): number {
  const i = v.video.payloads.slice(from).findIndex((p) => p.length === size);
  return i < 0 ? -1 : from + i;
}

describe('a simulcast layer that stops at the publisher', () => {
  for (const engine of engines) {
    it(`${engine}: viewers on it fall back to mid at a keyframe, continuous, counted and shown; back when it resumes`, async () => {
      const tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--engine', engine] });
      // Keyframes on every layer every 30 frames (1 s): the synthetic publisher does not answer PLIs.
      const pub = await publishSimulcast(`${tree.origin.node.url}/whip/stop`, 30);
      const relay = tree.relays[0]!;
      const pinned = new NodeViewer({ url: `${relay.node.url}/whep/stop?layer=high`, keepPayloads: true, audio: false });
      const auto = new NodeViewer({ url: `${relay.node.url}/whep/stop`, keepPayloads: true, audio: false });
      const viewers = [pinned, auto];
      try {
        await waitFor(() => (tree.origin.node.hub.get('stop')?.info?.tracks.length ?? 0) === 3, 5000, 20, 'three layer tracks');
        for (const v of viewers) {
          expect((await v.start()).status).toBe(201);
          await v.waitFor(() => v.video.payloads.filter((p) => p.length === HIGH).length >= 30, 10_000, 'the top layer');
        }
        // The relay pulls the top layer only: mid and low have never been received there.
        await waitFor(() => originLink(tree)?.layers.join() === 'high', 5000, 20, 'the link carries high only');

        const stopAt = viewers.map((v) => v.video.payloads.length);
        pub.stopLayer(2);
        for (const [i, v] of viewers.entries())
          await v.waitFor(() => v.video.payloads.slice(stopAt[i]).filter((p) => p.length === MID).length >= 30, 15_000, 'mid after the top layer stopped');
        for (const [i, v] of viewers.entries()) {
          const first = firstOf(v, MID, stopAt[i]!);
          expect(isKeyPayload(v.video.payloads[first]!), `viewer ${i}: the fallback starts with a keyframe`).toBe(true);
          expect(v.video.payloads.slice(first).every((p) => p.length === MID)).toBe(true);
          expect(v.video.ssrcs.size).toBe(1);
          expect(v.discontinuities('video')).toBe(0);
        }
        // Shown per viewer with the reason, counted once per viewer; the stopped layer is still
        // pulled (the tree keeps asking for it) beside mid.
        const lines = await viewerLines(relay.node.url);
        expect(lines).toHaveLength(2);
        for (const l of lines) expect(l).toMatchObject({ layer: 'mid', fallback: { from: 'high', reason: 'layer stopped' } });
        const metrics = await (await fetch(`${relay.node.url}/metrics`)).text();
        expect(metrics).toMatch(/canopy_layer_fallbacks_total\{reason="layer_stopped"\} 2\b/);
        await waitFor(() => originLink(tree)?.layers.join() === 'high,mid', 5000, 20, 'the link carries high and mid');

        // The top layer resumes (with a keyframe, as Chromium does): both viewers go back to it.
        const resumeAt = viewers.map((v) => v.video.payloads.length);
        pub.resumeLayer(2);
        for (const [i, v] of viewers.entries())
          await v.waitFor(() => v.video.payloads.slice(resumeAt[i]).filter((p) => p.length === HIGH).length >= 30, 15_000, 'the top layer again');
        for (const [i, v] of viewers.entries()) {
          const back = firstOf(v, HIGH, resumeAt[i]!);
          expect(isKeyPayload(v.video.payloads[back]!), `viewer ${i}: back on a keyframe`).toBe(true);
          expect(v.video.ssrcs.size).toBe(1);
          expect(v.discontinuities('video')).toBe(0);
        }
        for (const l of await viewerLines(relay.node.url)) {
          expect(l.layer).toBe('high');
          expect(l.fallback).toBeUndefined();
        }
      } finally {
        for (const v of viewers) await v.close();
        await pub.close();
        await tree.close();
      }
      await tree.assertEmpty();
    }, 90_000);
  }

  it('a time-shift viewer pinned to the top layer: off it for the period it is missing from the replay, back after', async () => {
    const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true });
    const pub = await publishSimulcast(`${tree.origin.node.url}/whip/stop`, 30);
    let viewer: NodeViewer | null = null;
    try {
      await waitFor(() => (tree.origin.node.hub.get('stop')?.info?.tracks.length ?? 0) === 3, 5000, 20, 'three layer tracks');
      await sleep(2500);
      // The top layer is missing from the origin's window B for 3 s (the gap itself is the test's subject).
      const stopAt = Date.now();
      pub.stopLayer(2);
      await sleep(3000);
      pub.resumeLayer(2);
      await sleep(2000);
      const v = new NodeViewer({ url: `${tree.origin.node.url}/whep/stop?start=${stopAt - 2000}&layer=high`, keepPayloads: true, audio: false });
      viewer = v;
      expect((await v.start()).status).toBe(201);
      await v.waitFor(
        () => {
          const sizes = v.video.payloads.map((p) => p.length);
          const mid = sizes.indexOf(MID);
          return mid > 0 && sizes.slice(mid).filter((n) => n === HIGH).length >= 20;
        },
        20_000,
        'high, mid for the gap, high again',
      );
      const sizes = v.video.payloads.map((p) => p.length);
      const mid = sizes.indexOf(MID);
      const back = sizes.indexOf(HIGH, mid);
      expect(sizes.slice(0, mid).every((n) => n === HIGH)).toBe(true);
      expect(sizes.slice(mid, back).every((n) => n === MID)).toBe(true);
      expect(isKeyPayload(v.video.payloads[0]!)).toBe(true);
      expect(isKeyPayload(v.video.payloads[mid]!)).toBe(true);
      expect(isKeyPayload(v.video.payloads[back]!)).toBe(true);
      expect(v.video.ssrcs.size).toBe(1);
      expect(v.discontinuities('video')).toBe(0);
    } finally {
      await viewer?.close();
      await pub.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 60_000);
});
