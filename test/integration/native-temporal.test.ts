import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { FanoutMember } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { stripHeaderExtension } from '../../src/rtp.js';
import { nativeAvailable, vp8Viewer as viewer, type Vp8Viewer as Viewer } from '../support/nativeTest.js';
import { readSent, vp8L1T3, type Vp8Frame } from '../support/vp8Temporal.js';
import { closePeer, waitFor } from '../support/webrtc.js';

// Temporal layer drops in the native fan-out (issue 20, docs/abr.md "Temporal layers of a
// single-layer stream"; native/src/temporal.h): one group, two node-datachannel viewers, a
// synthetic single-layer L1T3 VP8 stream. One member capped at TL0 gets TL0 frames only, with no
// gap in its sequence numbers and PictureID/TL0PICIDX continuous; the other gets everything;
// the cap lifted, the layers come back at their switching points (Y), whole frames only.

const available = nativeAvailable();
const logger = pino({ level: 'silent' });
let engine: NativeEngine | null = null;

afterEach(async () => {
  if (engine) {
    const e = engine;
    await waitFor(() => e.nativeViewerCount === 0, 3000, 10, 'native viewers freed');
    expect(e.stats().groups).toBe(0);
    await e.close();
    expect(e.peerCount).toBe(0);
  }
  engine = null;
});

/** The packet without its header extension (the transport-cc sequence number), as readSent expects. */
const bare = (p: Buffer): Uint8Array => stripHeaderExtension(p)!;

describe.skipIf(!available.ok)('native fan-out: temporal layer caps per member', () => {
  it('a member capped at TL0 gets TL0 frames only, continuous; an uncapped one everything; the cap lifts at frame boundaries', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 2, logger });
    const e = engine;
    const a = await viewer(e, 'capped');
    const b = await viewer(e, 'whole');
    const group = e.createFanout(1000, 'VP8');
    const member = (v: Viewer): FanoutMember =>
      group.join(v.peer.tracks[0]!, { ssrc: 1234, payloadType: 96, clockRate: 90000, rtx: null, nack: true, retransmitShare: 0.25 })!;
    const ma = member(a);
    const mb = member(b);
    expect(ma.setTemporalCap).toBeTypeOf('function');
    try {
      // Three packets a frame at most; sequence numbers and PictureIDs cross their wraps.
      const stream = vp8L1T3(0xabcd0001, { seq: 65_480, pictureId: 32_750, tl0PicIdx: 250, size: 200 });
      const frames: Array<{ frame: Vp8Frame; packets: number; phase: number }> = [];
      let sent = 0;
      const send = (n: number, phase: number): void => {
        for (let i = 0; i < n; i++) {
          const { frame, packets } = stream.next();
          frames.push({ frame, packets: packets.length, phase });
          for (const p of packets) group.send(p, Date.now(), Date.now());
          sent += packets.length;
        }
      };
      // Phase 0: every layer to both, frame by frame until both viewers receive (their SRTP may
      // start a little after our side connects), then until both have the last frame's last
      // packet (its marker), so the cap below starts between frames.
      const hasLast = (v: Viewer): boolean => {
        const p = v.got.at(-1);
        return !!p && (p[1]! & 0x80) !== 0 && readSent(bare(p)).pictureId === frames.at(-1)!.frame.pictureId;
      };
      await waitFor(
        () => {
          send(1, 0);
          return a.got.length > 0 && b.got.length > 0;
        },
        10_000,
        20,
        'media at both viewers',
      );
      send(4, 0);
      await waitFor(() => hasLast(a) && hasLast(b), 10_000, 10, 'phase 0 at both viewers');
      const aBefore = a.got.length;
      const bBefore = b.got.length;
      const sentBefore = sent;
      ma.setTemporalCap!(0);
      send(24, 1);
      const tl0Packets = frames.filter((f) => f.phase === 1 && f.frame.tid === 0).reduce((s, f) => s + f.packets, 0);
      await waitFor(() => b.got.length >= bBefore + sent - sentBefore && a.got.length >= aBefore + tl0Packets, 10_000, 10, 'phase 1 at both viewers');
      const aCapped = a.got.length;
      ma.setTemporalCap!(null);
      send(16, 2);
      // After the lift (L1T3: TIDs 0,2,1,2): TL1 comes back at its first frame with Y, TL2 at its
      // first frame with Y once TL1 is sent; the frames of a layer before that stay out.
      const kept: Vp8Frame[] = [];
      let on1 = false;
      let on2 = false;
      for (const { frame: f } of frames.filter((x) => x.phase === 2)) {
        if (f.tid === 1 && !on1 && f.sync) on1 = true;
        if (f.tid === 2 && !on2 && f.sync && on1) on2 = true;
        if (f.tid === 0 || (f.tid === 1 && on1) || (f.tid === 2 && on2)) kept.push(f);
      }
      const keptPackets = frames.filter((x) => x.phase === 2 && kept.includes(x.frame)).reduce((n, x) => n + x.packets, 0);
      await waitFor(() => b.got.length >= bBefore + sent - sentBefore && a.got.length >= aCapped + keptPackets, 10_000, 10, 'phase 2 at both viewers');

      // The uncapped member: everything since phase 0 settled, PictureIDs as sent, sequence numbers +1.
      expect(b.got.length - bBefore).toBe(sent - sentBefore);
      const bs = b.got.map((p) => readSent(bare(p)));
      for (let i = 1; i < bs.length; i++) expect((bs[i]!.seq - bs[i - 1]!.seq) & 0xffff).toBe(1);
      const bFrames = bs.slice(bBefore).filter((s) => s.start);
      expect(bFrames.map((s) => s.pictureId)).toEqual(frames.filter((f) => f.phase > 0).map((f) => f.frame.pictureId));
      expect(bFrames.map((s) => s.tid)).toEqual(frames.filter((f) => f.phase > 0).map((f) => f.frame.tid));

      // The capped member: no sequence gap anywhere, no padding (nothing came late).
      const as = a.got.map((p) => readSent(bare(p)));
      for (let i = 1; i < as.length; i++) expect((as[i]!.seq - as[i - 1]!.seq) & 0xffff).toBe(1);
      expect(as.every((s) => !s.padding)).toBe(true);
      // Frames whole, in order: each frame's packets arrive together, PictureID +1 frame to frame
      // (across the 15-bit wrap), TL0PICIDX +1 at each TL0 frame.
      const starts = as.filter((s) => s.start);
      for (let i = 1; i < starts.length; i++) {
        expect((starts[i]!.pictureId - starts[i - 1]!.pictureId) & 0x7fff).toBe(1);
        const step = starts[i]!.tid === 0 ? 1 : 0;
        expect((starts[i]!.tl0PicIdx - starts[i - 1]!.tl0PicIdx) & 0xff).toBe(step);
      }
      const perFrame = new Map<number, number>();
      for (const s of as) perFrame.set(s.pictureId, (perFrame.get(s.pictureId) ?? 0) + 1);
      // Phase by phase: what A got, against the frames sent.
      const phase1 = frames.filter((f) => f.phase === 1);
      const got1 = as.slice(aBefore, aCapped);
      const got2 = as.slice(aCapped);
      // Capped: TL0 only, every TL0 frame whole.
      expect(got1.every((s) => s.tid === 0)).toBe(true);
      expect(got1.filter((s) => s.start).length).toBe(phase1.filter((f) => f.frame.tid === 0).length);
      expect(got1.length).toBe(tl0Packets);
      // Lifted: back at the switching points, in the L1T3 order.
      expect(got2.length).toBe(keptPackets);
      const got2Starts = got2.filter((s) => s.start);
      expect(got2Starts.map((s) => s.tid)).toEqual(kept.map((f) => f.tid));
      expect(got2Starts.some((s) => s.tid === 2)).toBe(true);
      const firstBack = got2Starts.find((s) => s.tid > 0)!;
      expect(firstBack.sync).toBe(true);
      expect(firstBack.tid).toBe(1);
      // Each frame A got after phase 0 is whole: as many packets as were sent for it.
      const after = [...got1, ...got2].filter((s) => s.start);
      const keptFrames = frames.filter((f) => (f.phase === 1 && f.frame.tid === 0) || (f.phase === 2 && kept.includes(f.frame)));
      expect(after.length).toBe(keptFrames.length);
      keptFrames.forEach((f, i) => expect(perFrame.get(after[i]!.pictureId)).toBe(f.packets));
      // Counted: every packet of the frames left out (canopy_native_temporal_dropped_packets_total).
      const offered = frames.filter((f) => f.phase > 0).reduce((n, f) => n + f.packets, 0);
      expect(e.stats().temporalDropped).toBe(offered - tl0Packets - keptPackets);
    } finally {
      ma.close();
      mb.close();
      group.close();
      for (const v of [a, b]) {
        v.peer.close();
        await closePeer(v.pc, [v.track]);
      }
    }
  });
});
