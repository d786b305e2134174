import { describe, expect, it } from 'vitest';
import { buildRemb } from '../../src/rtcp.js';
import { OBU_FRAME, OBU_SEQUENCE_HEADER, av1Payload, obu } from '../support/av1Temporal.js';
import type { Fixture } from '../support/fixture.js';
import { nativeAvailable } from '../support/nativeTest.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { startTree } from '../support/tree.js';
import { vp8L1T3, vp8NumberingBreaks } from '../support/vp8Temporal.js';
import { waitFor } from '../support/wait.js';

// Temporal layers of a single-layer stream (docs/abr.md "Temporal layers of a single-layer
// stream"): a publisher sends one VP8 stream with three temporal layers (L1T3); a viewer reports
// a REMB under the stream's rate. It gets the TL0 frames only (the native fan-out member's cap,
// native/src/temporal.h; on node-datachannel its TrackSender's TemporalFilter), with no sequence
// gap, no NACK, PictureID and TL0PICIDX continuous; a REMB over the rate gives every layer back.
// The same for a single-layer AV1 stream (temporal id from the OBU extension header), on both
// engines, whose layers come back only at a key frame, which the viewer's session asks for.

/** 30 frames a second of 600 bytes, one packet a frame: ~144 kbit/s; TL0 a quarter, TL0+TL1 half. */
const FRAMES = 900;
const SIZE = 600;

function l1t3Fixture(): Fixture {
  const s = vp8L1T3(0x5eed, { keyEvery: 60, size: SIZE, packetsPerFrame: () => 1, seq: 1000, pictureId: 5 });
  const packets = [];
  for (let n = 0; n < FRAMES; n++) packets.push({ time: Math.round((n * 1e6) / 30), trackId: 0, data: s.next().packets[0]! });
  return { tracks: [{ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000 }], durationUs: Math.round((FRAMES * 1e6) / 30), packets };
}

/** The AV1 fixture's key frame interval, in frames (4 s): the layers' wait after a lift is long enough to be asked about. */
const AV1_KEY_EVERY = 120;

/**
 * The same as AV1 (PT 45), the temporal id only in each frame OBU's extension header (AV1
 * §5.3.3; one packet a frame, TIDs 0,2,1,2); a key frame every keyEvery frames (N, a sequence header first).
 */
function av1Fixture(keyEvery: number): Fixture {
  const packets = [];
  for (let n = 0; n < FRAMES; n++) {
    const key = n % keyEvery === 0;
    const tid = key ? 0 : [0, 2, 1, 2][n % 4]!;
    const elements = key ? [obu(OBU_SEQUENCE_HEADER, 12, { tid: 0 }), obu(OBU_FRAME, SIZE, { tid })] : [obu(OBU_FRAME, SIZE, { tid })];
    const payload = av1Payload(elements, { n: key, w: elements.length });
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = 0x80 | 45;
    h.writeUInt16BE((2000 + n) & 0xffff, 2);
    h.writeUInt32BE(n * 3000, 4);
    h.writeUInt32BE(0xa1, 8);
    packets.push({ time: Math.round((n * 1e6) / 30), trackId: 0, data: Buffer.concat([h, payload]) });
  }
  return { tracks: [{ id: 0, kind: 'video', codec: 'AV1', payloadType: 45, clockRate: 90000 }], durationUs: Math.round((FRAMES * 1e6) / 30), packets };
}

/** The temporal id of an AV1 payload built by av1Fixture (the frame OBU's extension header). */
function av1Tid(p: Buffer): number {
  const w = (p[0]! >> 4) & 3;
  // W=1: the frame OBU right after the aggregation header; W=2: after the sequence header element and its length.
  const at = w === 1 ? 1 : 1 + 1 + p[1]!;
  return p[at + 1]! >> 5;
}

/** Key frame requests the origin's viewers' sessions made (canopy_keyframe_requests_received_total{from="viewer"}). */
async function viewerKeyframeRequests(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  return Number(/canopy_keyframe_requests_received_total\{from="viewer"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

interface Vp8Desc {
  pictureId: number;
  tl0: number;
  tid: number;
}

/** The viewer's payload: X, I (15-bit), L, T (test/support/vp8Temporal.ts). */
function desc(p: Buffer): Vp8Desc {
  return { pictureId: ((p[2]! & 0x7f) << 8) | p[3]!, tl0: p[4]!, tid: p[5]! >> 6 };
}

const engines = ['ndc', ...(nativeAvailable().ok ? ['native'] : [])];

describe('temporal layer caps for a single-layer stream', () => {
  for (const engine of engines) {
    it(`${engine}: a viewer under the stream's rate gets TL0 only, continuous; every layer again when the estimate rises`, async () => {
      const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true, originFlags: ['--engine', engine] });
      const pub = new NodePublisher({ url: `${tree.origin.node.url}/whip/one`, fixture: l1t3Fixture(), audio: false });
      const viewer = new NodeViewer({ url: `${tree.origin.node.url}/whep/one`, keepPayloads: true, audio: false, nack: true });
      let remb: NodeJS.Timeout | null = null;
      try {
        await pub.start();
        await waitFor(() => (tree.origin.node.hub.get('one')?.info?.tracks.length ?? 0) === 1, 5000, 20, 'the stream');
        expect((await viewer.start()).status).toBe(201);
        await viewer.waitFor(() => viewer.video.payloads.length >= 30, 10_000, 'every layer at first');
        expect(new Set(viewer.video.payloads.map((p) => desc(p).tid))).toEqual(new Set([0, 1, 2]));
        // 60 kbit/s: 0.9 x = 54 holds TL0 (~36), not TL0+TL1 (~72).
        let bps = 60_000;
        const sendRemb = () => viewer.sendRtcp(buildRemb(viewer.ownSsrc, bps, [viewer.video.lastSsrc ?? 0]));
        sendRemb();
        remb = setInterval(sendRemb, 200);
        const capAt = viewer.video.payloads.length;
        const tl0Run = (from: number): number => {
          const tids = viewer.video.payloads.slice(from).map((p) => desc(p).tid);
          return tids.length - 1 - Math.max(tids.lastIndexOf(1), tids.lastIndexOf(2));
        };
        await viewer.waitFor(() => tl0Run(capAt) >= 12, 15_000, 'a run of TL0 frames only');
        const state = (await (await fetch(`${tree.origin.node.url}/api/state`)).json()) as {
          streams: Array<{ name: string; viewerList?: Array<{ temporal?: { cap: number | null } }> }>;
        };
        expect(state.streams.find((s) => s.name === 'one')?.viewerList?.[0]?.temporal?.cap).toBe(0);
        // The estimate back over the stream's rate: TL1, then TL2, come back.
        bps = 2_000_000;
        sendRemb();
        const liftAt = viewer.video.payloads.length;
        await viewer.waitFor(() => viewer.video.payloads.slice(liftAt).some((p) => desc(p).tid === 2), 10_000, 'TL2 again');
        // What the receiver needs: one SSRC, no sequence gap (nothing NACKed), PictureID +1
        // frame to frame, TL0PICIDX +1 at each TL0 frame, through the cap and the lift.
        const all = viewer.video.payloads.map(desc);
        expect(viewer.video.ssrcs.size).toBe(1);
        expect(viewer.discontinuities('video')).toBe(0);
        expect(viewer.repair.nacksSent).toBe(0);
        expect(vp8NumberingBreaks(all)).toEqual([]);
        const metrics = await (await fetch(`${tree.origin.node.url}/metrics`)).text();
        expect(metrics).toMatch(/canopy_temporal_layer_drops_total\{keep="tl0"\} [1-9]/);
        if (engine === 'native') expect(metrics).toMatch(/canopy_native_temporal_dropped_packets_total [1-9]/);
      } finally {
        if (remb) clearInterval(remb);
        await viewer.close();
        await pub.close();
        await tree.close();
      }
      await tree.assertEmpty();
    }, 60_000);

    it(`${engine}: a capped viewer's NACKs get back the packets it lost, numbered as first sent`, async () => {
      const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true, originFlags: ['--engine', engine] });
      const pub = new NodePublisher({ url: `${tree.origin.node.url}/whip/one`, fixture: l1t3Fixture(), audio: false });
      // Loses 8 % of what arrives (RTX included) and asks for it again with NACKs.
      const viewer = new NodeViewer({
        url: `${tree.origin.node.url}/whep/one`,
        keepPayloads: true,
        audio: false,
        nack: true,
        rtx: true,
        drop: 0.08,
        dropSeed: 7,
      });
      let remb: NodeJS.Timeout | null = null;
      try {
        await pub.start();
        await waitFor(() => (tree.origin.node.hub.get('one')?.info?.tracks.length ?? 0) === 1, 5000, 20, 'the stream');
        expect((await viewer.start()).status).toBe(201);
        await viewer.waitFor(() => viewer.video.payloads.length >= 30, 10_000, 'media');
        const sendRemb = () => viewer.sendRtcp(buildRemb(viewer.ownSsrc, 60_000, [viewer.video.lastSsrc ?? 0]));
        sendRemb();
        remb = setInterval(sendRemb, 200);
        const capAt = viewer.video.payloads.length;
        // Capped, and losing: 40 TL0 frames after the cap with none above TL0 among the last 20.
        await viewer.waitFor(
          () => {
            const after = viewer.video.payloads.slice(capAt).map(desc);
            return after.length >= 40 && after.slice(-20).every((d) => d.tid === 0);
          },
          20_000,
          'TL0 frames while losing',
        );
        viewer.dropShare = 0;
        // In sequence order (retransmissions arrive late): every number from the first received
        // to the last, once repair is done (a drop before the first packet is never seen as one).
        const inOrder = (): Array<Vp8Desc | undefined> => {
          const seqs = viewer.video.sequenceNumbers;
          const bySeq = new Map<number, Vp8Desc>();
          viewer.video.payloads.forEach((p, i) => bySeq.set((seqs[i]! - seqs[0]!) & 0xffff, desc(p)));
          const last = Math.max(...bySeq.keys());
          return Array.from({ length: last + 1 }, (_, k) => bySeq.get(k));
        };
        await viewer.waitFor(() => inOrder().every((d) => d !== undefined), 10_000, 'every sequence number, repaired');
        expect(viewer.repair.recovered).toBeGreaterThan(3);
        expect(viewer.repair.gaveUp).toBe(0);
        expect(viewer.repair.rtxReceived).toBeGreaterThan(0);
        // The payloads as first numbered: PictureID +1, TL0PICIDX +1 at each TL0 frame.
        const ordered = inOrder() as Vp8Desc[];
        expect(vp8NumberingBreaks(ordered)).toEqual([]);
      } finally {
        if (remb) clearInterval(remb);
        await viewer.close();
        await pub.close();
        await tree.close();
      }
      await tree.assertEmpty();
    }, 60_000);
  }

  for (const engine of engines) {
    it(`${engine}: a single-layer AV1 stream: TL0 only under the rate, no gap; lifted, a key frame asked for and every layer again from it`, async () => {
      const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true, originFlags: ['--engine', engine] });
      const pub = new NodePublisher({ url: `${tree.origin.node.url}/whip/av`, fixture: av1Fixture(AV1_KEY_EVERY), audio: false });
      const viewer = new NodeViewer({ url: `${tree.origin.node.url}/whep/av`, keepPayloads: true, audio: false, nack: true, av1: true });
      let remb: NodeJS.Timeout | null = null;
      try {
        await pub.start();
        await waitFor(() => (tree.origin.node.hub.get('av')?.info?.tracks.length ?? 0) === 1, 5000, 20, 'the stream');
        expect((await viewer.start()).status).toBe(201);
        await viewer.waitFor(() => viewer.video.payloads.length >= 30, 10_000, 'every layer at first');
        expect(new Set(viewer.video.payloads.map(av1Tid))).toEqual(new Set([0, 1, 2]));
        let bps = 60_000;
        const sendRemb = () => viewer.sendRtcp(buildRemb(viewer.ownSsrc, bps, [viewer.video.lastSsrc ?? 0]));
        sendRemb();
        remb = setInterval(sendRemb, 200);
        const capAt = viewer.video.payloads.length;
        const tl0Run = (): number => {
          const tids = viewer.video.payloads.slice(capAt).map(av1Tid);
          return tids.length - 1 - Math.max(tids.lastIndexOf(1), tids.lastIndexOf(2));
        };
        await viewer.waitFor(() => tl0Run() >= 12, 15_000, 'a run of TL0 frames only');
        const state = (await (await fetch(`${tree.origin.node.url}/api/state`)).json()) as {
          streams: Array<{ name: string; viewerList?: Array<{ temporal?: { cap: number | null } }> }>;
        };
        expect(state.streams.find((s) => s.name === 'av')?.viewerList?.[0]?.temporal?.cap).toBe(0);
        // Lifted a few frames after a key frame (the cap back in force after it), so that the
        // next one is most of the fixture's interval away (4 s): meanwhile the viewer's session
        // asks for one (ViewerTemporal.tick; the fixture publisher does not answer, so the
        // layers come back at the fixture's key frame).
        const keyWait = viewer.video.payloads.length;
        const framesAfterKey = (): number => {
          const key = viewer.video.payloads.findIndex((p, i) => i >= keyWait && (p[0]! & 0x08) !== 0);
          return key < 0 ? -1 : viewer.video.payloads.length - 1 - key;
        };
        await viewer.waitFor(() => framesAfterKey() >= 4, (AV1_KEY_EVERY / 30) * 1000 + 5000, 'a key frame while capped, then TL0 frames');
        expect(
          viewer.video.payloads
            .slice(keyWait)
            .map(av1Tid)
            .every((t) => t === 0),
        ).toBe(true);
        const asked = await viewerKeyframeRequests(tree.origin.node.url);
        bps = 2_000_000;
        sendRemb();
        const liftAt = viewer.video.payloads.length;
        await viewer.waitFor(() => viewer.video.payloads.slice(liftAt).some((p) => av1Tid(p) === 2), (AV1_KEY_EVERY / 30) * 1000 + 5000, 'TL2 again');
        // AV1 has no switching point: the upper layers come back at a key frame (N), not before.
        const after = viewer.video.payloads.slice(liftAt);
        const firstUp = after.findIndex((p) => av1Tid(p) > 0);
        expect(after.slice(0, firstUp).some((p) => (p[0]! & 0x08) !== 0) || (after[firstUp]![0]! & 0x08) !== 0).toBe(true);
        expect(await viewerKeyframeRequests(tree.origin.node.url)).toBeGreaterThan(asked);
        expect(viewer.repair.lossPlis).toBe(0);
        expect(viewer.video.ssrcs.size).toBe(1);
        expect(viewer.discontinuities('video')).toBe(0);
        expect(viewer.repair.nacksSent).toBe(0);
        const metrics = await (await fetch(`${tree.origin.node.url}/metrics`)).text();
        expect(metrics).toMatch(/canopy_temporal_layer_drops_total\{keep="tl0"\} [1-9]/);
        if (engine === 'native') expect(metrics).toMatch(/canopy_native_temporal_dropped_packets_total [1-9]/);
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
