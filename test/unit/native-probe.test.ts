import nodeDataChannel from 'node-datachannel';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { BandwidthReport, EnginePeer } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { TWCC_URI } from '../../src/engine/nativeSdp.js';
import { addManagedTrack, closePeer, createLoopbackPeer, waitFor, waitGathering } from '../support/webrtc.js';
import { nativeAvailable, vp8Spec } from '../support/nativeTest.js';
import { buildNack } from '../support/rtp.js';

// Probing on the native data plane (native/src/probe.cc, docs/abr.md "Probing"): a probe request
// makes the viewer's data thread send RTX copies of recent media (or padding) on its RTX SSRC, numbered with the
// transport-wide sequence; transport-cc feedback for it (written here by the viewer from what it
// received) comes back through the receive thread and gives the train's verdict.

const available = nativeAvailable();

let engine: NativeEngine | null = null;
const logger = pino({ level: 'silent' });

afterEach(async () => {
  await engine?.close();
  engine = null;
});

const TWCC_ID = 3;
const spec = vp8Spec({ rtx: { payloadType: 97, ssrc: 4321 } });

interface Got {
  at: number;
  ssrc: number;
  pt: number;
  padding: boolean;
  /** The transport-wide sequence number (RFC 8285 one-byte extension, id TWCC_ID), -1: none. */
  twcc: number;
  seq: number;
  raw: Buffer;
}

function parse(m: Buffer, at: number): Got | null {
  if (m.length < 12 || m[0]! >> 6 !== 2 || (m[1]! >= 192 && m[1]! <= 223)) return null;
  let twcc = -1;
  const cc = (m[0]! & 0x0f) * 4;
  if (m[0]! & 0x10) {
    const x = 12 + cc;
    if (m.readUInt16BE(x) === 0xbede) {
      const end = x + 4 + m.readUInt16BE(x + 2) * 4;
      for (let o = x + 4; o < end;) {
        const b = m[o]!;
        if (b === 0) {
          o++;
          continue;
        }
        const id = b >> 4;
        const len = (b & 0x0f) + 1;
        if (id === TWCC_ID) twcc = m.readUInt16BE(o + 1);
        o += 1 + len;
      }
    }
  }
  return { at, ssrc: m.readUInt32BE(8), pt: m[1]! & 0x7f, padding: (m[0]! & 0x20) !== 0, twcc, seq: m.readUInt16BE(2), raw: m };
}

/**
 * A transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) reporting
 * seqs base..base+n-1 received at arrivals[i] ms (relative; one run-length chunk of "large
 * delta", 2-byte deltas in 250 µs units).
 */
function feedback(base: number, arrivals: number[], count: number): Buffer {
  const n = arrivals.length;
  const deltas = Buffer.alloc(n * 2);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const q = Math.round((arrivals[i]! * 1000) / 250);
    deltas.writeInt16BE(q - prev, i * 2);
    prev = q;
  }
  const fci = Buffer.alloc(8 + 2);
  fci.writeUInt16BE(base & 0xffff, 0);
  fci.writeUInt16BE(n, 2);
  fci.writeUIntBE(0, 4, 3); // reference time 0
  fci[7] = count & 0xff;
  fci.writeUInt16BE((2 << 13) | n, 8); // run length chunk: symbol 2 (large delta), n times
  let body = Buffer.concat([fci, deltas]);
  if (body.length % 4) body = Buffer.concat([body, Buffer.alloc(4 - (body.length % 4))]);
  const head = Buffer.alloc(12);
  head[0] = 0x80 | 15;
  head[1] = 205;
  head.writeUInt16BE((12 + body.length) / 4 - 1, 2);
  head.writeUInt32BE(0x55667788, 4);
  head.writeUInt32BE(spec.ssrc!, 8);
  return Buffer.concat([head, body]);
}

/**
 * A transport-cc feedback reporting seqs base.. with arrivals[i] ms (relative), null: lost; in
 * two-bit status vector chunks (draft §3.1.4: 7 symbols, 0 not received, 2 large delta).
 */
function feedbackWithLoss(base: number, arrivals: Array<number | null>, count: number): Buffer {
  const n = arrivals.length;
  const chunks: number[] = [];
  for (let i = 0; i < n; i += 7) {
    let c = 0xc000;
    for (let k = 0; k < 7; k++) {
      const a = i + k < n ? arrivals[i + k] : null;
      c |= (a === null || a === undefined ? 0 : 2) << (2 * (6 - k));
    }
    chunks.push(c);
  }
  const deltas: number[] = [];
  let prev = 0;
  for (const a of arrivals) {
    if (a === null) continue;
    const q = Math.round((a * 1000) / 250);
    deltas.push(q - prev);
    prev = q;
  }
  const fci = Buffer.alloc(8 + chunks.length * 2 + deltas.length * 2);
  fci.writeUInt16BE(base & 0xffff, 0);
  fci.writeUInt16BE(n, 2);
  fci.writeUIntBE(0, 4, 3);
  fci[7] = count & 0xff;
  chunks.forEach((c, i) => fci.writeUInt16BE(c, 8 + i * 2));
  deltas.forEach((d, i) => fci.writeInt16BE(d, 8 + chunks.length * 2 + i * 2));
  let body = fci;
  if (body.length % 4) body = Buffer.concat([body, Buffer.alloc(4 - (body.length % 4))]);
  const head = Buffer.alloc(12);
  head[0] = 0x80 | 15;
  head[1] = 205;
  head.writeUInt16BE((12 + body.length) / 4 - 1, 2);
  head.writeUInt32BE(0x55667788, 4);
  head.writeUInt32BE(spec.ssrc!, 8);
  return Buffer.concat([head, body]);
}

function media(seq: number): Buffer {
  const b = Buffer.alloc(1000, 7);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(seq * 3000, 4);
  b.writeUInt32BE(spec.ssrc!, 8);
  return b;
}

/**
 * A node-datachannel receiver whose offer is as a browser's would be (VP8 with RTX and
 * transport-cc); what it receives is parsed into `got`.
 */
async function browserLikeReceiver(
  name: string,
): Promise<{ pc: nodeDataChannel.PeerConnection; track: ReturnType<typeof addManagedTrack>; got: Got[]; offer: string }> {
  const pc = createLoopbackPeer(name);
  const video = new nodeDataChannel.Video('0', 'RecvOnly');
  video.addVP8Codec(96);
  const got: Got[] = [];
  const track = addManagedTrack(pc, video, (m) => {
    const g = parse(m, performance.now());
    if (g) got.push(g);
  });
  pc.setLocalDescription();
  await waitGathering(pc);
  const offer = pc
    .localDescription()!
    .sdp.replace(/m=video (\d+) (\S+) 96/, 'm=video $1 $2 96 97')
    .replace(/(a=rtpmap:96 VP8\/90000\r\n)/, `$1a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\na=extmap:${TWCC_ID} ${TWCC_URI}\r\n`);
  return { pc, track, got, offer };
}

describe.skipIf(!available.ok)('native probe trains', () => {
  it('a probe request makes the data thread send RTX copies of recent media on the RTX SSRC with transport-wide numbers; feedback gives the verdict', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger, probes: true });
    const { pc, track, got, offer } = await browserLikeReceiver('native-probe');
    expect(offer).toContain(TWCC_URI);
    const reports: BandwidthReport[] = [];
    let peer: EnginePeer | null = null;
    try {
      peer = engine.createPeer('p', { role: 'viewer', onBandwidth: (e) => reports.push(e) });
      pc.setRemoteDescription(await peer.answer(offer, [spec]), 'answer');
      const p = peer;
      await waitFor(() => p.state === 'connected' && p.tracks[0]!.open, 10_000, 10, 'connected');
      const t = p.tracks[0]!;
      expect(p.enableProbes!(t, { ssrc: spec.ssrc!, rtxSsrc: 4321, rtxPayloadType: 97 })).toBe(true);
      // Media flows (as a simulcast viewer's TrackSender sends it), about 400 kbit/s.
      let seq = 1;
      const timer = setInterval(() => t.send(media(seq++)), 20);
      try {
        await waitFor(() => got.some((g) => g.ssrc === spec.ssrc && g.twcc >= 0), 5000, 10, 'numbered media');
        const before = engine.stats();
        const from = got.length;
        // passBps well under the rate: the arrival times below are this process's callback times,
        // which a loaded machine jitters.
        expect(p.probe!({ id: 1, bps: 2_000_000, durationMs: 300, clusterMs: 50, passBps: 500_000 })).toBe(true);
        await waitFor(() => got.slice(from).filter((g) => g.ssrc === 4321).length >= 20, 5000, 10, 'probe packets at the viewer');
        await new Promise((r) => setTimeout(r, 500)); // the train is over
        const pads = got.slice(from).filter((g) => g.ssrc === 4321);
        const stats = engine.stats();
        expect(stats.probePackets - before.probePackets).toBeGreaterThanOrEqual(pads.length);
        expect(pads.some((g) => !g.padding)).toBe(true);
        const mediaSeqs = new Set(got.filter((g) => g.ssrc === spec.ssrc).map((g) => g.seq));
        for (const g of pads) {
          // On the RTX SSRC and payload type, with a transport-wide number; with media flowing,
          // RTX copies of recent media packets (RFC 4588 §4: the original sequence number first,
          // then the payload; libwebrtc's payload padding), else padding-only (RFC 3550 §5.1).
          expect(g.pt).toBe(97);
          expect(g.twcc).toBeGreaterThanOrEqual(0);
          if (g.padding) {
            const count = g.raw[g.raw.length - 1]!;
            expect(count).toBeGreaterThan(0);
            expect(g.raw.length).toBe(12 + 8 + count); // header, the one-word extension, the padding
          } else {
            expect(g.raw.length).toBe(1000 + 8 + 2); // a media packet, the extension, the OSN
            expect(mediaSeqs.has(g.raw.readUInt16BE(12 + 8))).toBe(true);
            expect(g.raw.subarray(12 + 8 + 2).equals(Buffer.alloc(988, 7))).toBe(true);
          }
        }
        // One sequence on the RTX SSRC.
        for (let i = 1; i < pads.length; i++) expect((pads[i]!.seq - pads[i - 1]!.seq) & 0xffff).toBe(1);
        // The whole train, media and padding, one transport-wide sequence: feed it all back as
        // received when it arrived here (loopback: at the rate it was sent).
        const window = got.slice(from).filter((g) => g.twcc >= 0);
        const base = window[0]!.twcc;
        const sorted = [...window].sort((a, b) => ((a.twcc - base) & 0xffff) - ((b.twcc - base) & 0xffff));
        const last = (sorted[sorted.length - 1]!.twcc - base) & 0xffff;
        expect(last + 1).toBe(sorted.length); // nothing missing on loopback
        const t0 = sorted[0]!.at;
        track.track.sendMessageBinary(
          feedback(
            base,
            sorted.map((g) => g.at - t0),
            1,
          ),
        );
        await waitFor(() => reports.some((r) => r.probe?.id === 1), 5000, 10, 'verdict of train 1');
        const v1 = reports.find((r) => r.probe?.id === 1)!.probe!;
        expect(v1.passed).toBe(true);
        expect(v1.clusters).toBeGreaterThanOrEqual(4);
        expect(v1.bps!).toBeGreaterThan(500_000);

        // Train 2, fed back as if received at an eighth of the rate (a queue stretched it): it fails,
        // and the estimate is capped at what arrived.
        const from2 = got.length;
        expect(p.probe!({ id: 2, bps: 2_000_000, durationMs: 300, clusterMs: 50, passBps: 500_000 })).toBe(true);
        await new Promise((r) => setTimeout(r, 500));
        const w2 = got.slice(from2).filter((g) => g.twcc >= 0);
        const base2 = w2[0]!.twcc;
        const s2 = [...w2].sort((a, b) => ((a.twcc - base2) & 0xffff) - ((b.twcc - base2) & 0xffff));
        const t2 = s2[0]!.at;
        track.track.sendMessageBinary(
          feedback(
            base2,
            s2.map((g) => (g.at - t2) * 8),
            2,
          ),
        );
        await waitFor(() => reports.some((r) => r.probe?.id === 2), 5000, 10, 'verdict of train 2');
        const r2 = reports.find((r) => r.probe?.id === 2)!;
        expect(r2.probe!.passed).toBe(false);
        expect(r2.probe!.bps!).toBeLessThan(500_000);
        // Capped under what the layer it was for needs (passBps), not under the train's own rate.
        expect(r2.bps).toBeLessThan(500_000);
        expect(r2.bps).toBeGreaterThanOrEqual(r2.probe!.bps!);
      } finally {
        clearInterval(timer);
      }
    } finally {
      peer?.close();
      await closePeer(pc, [track]);
    }
    await waitFor(() => engine!.nativeViewerCount === 0, 3000, 10, 'native viewer freed');
  }, 30_000);

  it('the receive thread stops a train on the feedback: 4 of 16 of its packets lost (not 3), or its arrivals stretched 2 x', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger, probes: true });
    const { pc, track, got, offer } = await browserLikeReceiver('native-probe-abort');
    const reports: BandwidthReport[] = [];
    let peer: EnginePeer | null = null;
    const rtxCount = (): number => got.filter((g) => g.ssrc === 4321).length;
    try {
      peer = engine.createPeer('p', { role: 'viewer', onBandwidth: (e) => reports.push(e) });
      pc.setRemoteDescription(await peer.answer(offer, [spec]), 'answer');
      const p = peer;
      await waitFor(() => p.state === 'connected' && p.tracks[0]!.open, 10_000, 10, 'connected');
      const t = p.tracks[0]!;
      expect(p.enableProbes!(t, { ssrc: spec.ssrc!, rtxSsrc: 4321, rtxPayloadType: 97 })).toBe(true);
      let seq = 1;
      const timer = setInterval(() => t.send(media(seq++)), 20);
      // The train's packets from its first probe packet on, by transport-wide number (loopback: in order).
      const trainPackets = async (from: number, n: number): Promise<Got[]> => {
        await waitFor(() => got.slice(from).some((g) => g.ssrc === 4321), 5000, 5, 'first probe packet');
        const first = got.slice(from).find((g) => g.ssrc === 4321)!;
        const base = first.twcc;
        await waitFor(() => got.slice(from).filter((g) => g.twcc >= 0 && ((g.twcc - base) & 0xffff) < n).length >= n, 5000, 5, `${n} train packets`);
        return got
          .slice(from)
          .filter((g) => g.twcc >= 0 && ((g.twcc - base) & 0xffff) < n)
          .sort((a, b) => ((a.twcc - base) & 0xffff) - ((b.twcc - base) & 0xffff));
      };
      const abort = { lost: 4, window: 16, ratio: 0.67, spanMs: 150 };
      try {
        await waitFor(() => got.some((g) => g.ssrc === spec.ssrc && g.twcc >= 0), 5000, 10, 'numbered media');
        // Train 1 (3 s at 2 Mbit/s): 3 of its first 16 packets reported lost. Under the rule: it goes on.
        let from = got.length;
        let stats = engine.stats();
        expect(p.probe!({ id: 1, bps: 2_000_000, durationMs: 3000, clusterMs: 50, passBps: 500_000, abort })).toBe(true);
        let pk = await trainPackets(from, 16);
        let t0 = pk[0]!.at;
        track.track.sendMessageBinary(
          feedbackWithLoss(
            pk[0]!.twcc,
            pk.map((g, i) => (i % 5 === 2 ? null : g.at - t0)),
            1,
          ),
        );
        let n = rtxCount();
        await new Promise((r) => setTimeout(r, 300));
        expect(rtxCount()).toBeGreaterThan(n + 20);
        expect(engine.stats().probeAbortsLoss).toBe(stats.probeAbortsLoss);
        expect(reports.some((r) => r.probe?.id === 1)).toBe(false);
        // The fourth loss in the window: stopped at once, by the data plane, and said so.
        track.track.sendMessageBinary(feedbackWithLoss((pk[0]!.twcc + 16) & 0xffff, [null], 2));
        await waitFor(() => reports.some((r) => r.probe?.id === 1), 2000, 5, 'verdict of train 1');
        expect(reports.find((r) => r.probe?.id === 1)!.probe).toMatchObject({ passed: false, aborted: 'loss' });
        expect(engine.stats().probeAbortsLoss).toBe(stats.probeAbortsLoss + 1);
        await new Promise((r) => setTimeout(r, 50)); // what was on the wire has arrived
        n = rtxCount();
        await new Promise((r) => setTimeout(r, 500));
        expect(rtxCount()).toBe(n); // nothing more of the train (2.5 s of it were left)

        // Train 2: every packet received, but over twice the time they were sent in (a queue fills).
        from = got.length;
        stats = engine.stats();
        expect(p.probe!({ id: 2, bps: 2_000_000, durationMs: 3000, clusterMs: 50, passBps: 500_000, abort })).toBe(true);
        pk = await trainPackets(from, 80);
        t0 = pk[0]!.at;
        expect(pk[pk.length - 1]!.at - t0).toBeGreaterThan(150); // sent over more than the rule's span
        track.track.sendMessageBinary(
          feedbackWithLoss(
            pk[0]!.twcc,
            pk.map((g) => (g.at - t0) * 2),
            3,
          ),
        );
        await waitFor(() => reports.some((r) => r.probe?.id === 2), 2000, 5, 'verdict of train 2');
        expect(reports.find((r) => r.probe?.id === 2)!.probe).toMatchObject({ passed: false, aborted: 'slow' });
        expect(engine.stats().probeAbortsSlow).toBe(stats.probeAbortsSlow + 1);
      } finally {
        clearInterval(timer);
      }
    } finally {
      peer?.close();
      await closePeer(pc, [track]);
    }
    await waitFor(() => engine!.nativeViewerCount === 0, 3000, 10, 'native viewer freed');
  }, 30_000);

  it('a fan-out group member (a simulcast viewer on its layer): trains copy the media its group sends, on one RTX sequence with its NACK answers', async () => {
    // Since simulcast viewers are members of their layer's group (docs/abr.md "Native engine"),
    // their media and NACK answers no longer pass through sendToViewer, which fed the train's
    // copies and numbered RTX. Without both, a train copied nothing it had sent lately, and its
    // RTX packets and the group's answers counted on two sequences on one SSRC.
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger, probes: true });
    const { pc, track, got, offer } = await browserLikeReceiver('native-probe-group');
    let peer: EnginePeer | null = null;
    const group = engine.createFanout(2000, 'VP8');
    try {
      peer = engine.createPeer('p', { role: 'viewer', onBandwidth: () => {} });
      pc.setRemoteDescription(await peer.answer(offer, [spec]), 'answer');
      const p = peer;
      await waitFor(() => p.state === 'connected' && p.tracks[0]!.open, 10_000, 10, 'connected');
      const t = p.tracks[0]!;
      const member = group.join(t, {
        ssrc: spec.ssrc!,
        payloadType: 96,
        clockRate: 90000,
        rtx: { ssrc: 4321, payloadType: 97 },
        nack: true,
        retransmitShare: 10,
      });
      expect(member).not.toBeNull();
      expect(p.enableProbes!(t, { ssrc: spec.ssrc!, rtxSsrc: 4321, rtxPayloadType: 97 })).toBe(true);
      // The layer's packets, upstream numbering (the member rewrites them to its own SSRC).
      let seq = 40_000;
      const up = (): Buffer => {
        const b = media(seq++);
        b.writeUInt32BE(0x0abc_0001, 8);
        return b;
      };
      const timer = setInterval(() => group.send(up(), Date.now(), Date.now()), 20);
      try {
        await waitFor(() => got.filter((g) => g.ssrc === spec.ssrc).length >= 10, 5000, 10, 'media through the group');
        const nack = (): void => {
          const recv = got.filter((g) => g.ssrc === spec.ssrc).slice(-6, -3);
          track.track.sendMessageBinary(
            buildNack(
              0x55667788,
              spec.ssrc!,
              recv.map((g) => g.seq),
            ),
          );
        };
        const rtx = (): Got[] => got.filter((g) => g.ssrc === 4321);
        nack();
        await waitFor(() => rtx().length >= 3, 5000, 10, 'NACK answers on RTX');
        const from = got.length;
        expect(p.probe!({ id: 1, bps: 2_000_000, durationMs: 300, clusterMs: 50, passBps: 500_000 })).toBe(true);
        await waitFor(() => got.slice(from).filter((g) => g.ssrc === 4321).length >= 20, 5000, 10, 'probe packets at the viewer');
        await new Promise((r) => setTimeout(r, 400)); // the train is over
        const answeredBefore = rtx().length;
        nack();
        await waitFor(() => rtx().length >= answeredBefore + 3, 5000, 10, 'NACK answers after the train');
        const copies = got.slice(from).filter((g) => g.ssrc === 4321 && !g.padding);
        const mediaSeqs = new Set(got.filter((g) => g.ssrc === spec.ssrc).map((g) => g.seq));
        // Copies of what the group sent this viewer (RFC 4588 §4: its sequence number first).
        expect(copies.length).toBeGreaterThanOrEqual(20);
        for (const g of copies) expect(mediaSeqs.has(g.raw.readUInt16BE(12 + 8))).toBe(true);
        // Answers, train, answers: one RTX sequence, +1 each (loopback keeps the order).
        const all = rtx();
        for (let i = 1; i < all.length; i++) expect((all[i]!.seq - all[i - 1]!.seq) & 0xffff).toBe(1);
      } finally {
        clearInterval(timer);
      }
    } finally {
      group.close();
      peer?.close();
      await closePeer(pc, [track]);
    }
    await waitFor(() => engine!.nativeViewerCount === 0, 3000, 10, 'native viewer freed');
  }, 30_000);

  it('refuses probes without transport-cc, and when the engine has them off', async () => {
    for (const [probes, twcc] of [
      [true, false],
      [false, true],
    ] as const) {
      engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger, probes });
      const pc = createLoopbackPeer('native-probe-off');
      const video = new nodeDataChannel.Video('0', 'RecvOnly');
      video.addVP8Codec(96);
      const track = addManagedTrack(pc, video);
      pc.setLocalDescription();
      await waitGathering(pc);
      let offer = pc.localDescription()!.sdp;
      if (twcc) offer = offer.replace(/(a=rtpmap:96 VP8\/90000\r\n)/, `$1a=extmap:${TWCC_ID} ${TWCC_URI}\r\n`);
      const peer = engine.createPeer('p', { role: 'viewer', onBandwidth: () => {} });
      try {
        pc.setRemoteDescription(await peer.answer(offer, [spec]), 'answer');
        await waitFor(() => peer.state === 'connected' && peer.tracks[0]!.open, 10_000, 10, 'connected');
        expect(peer.enableProbes!(peer.tracks[0]!, { ssrc: spec.ssrc!, rtxSsrc: 4321, rtxPayloadType: 97 })).toBe(false);
        expect(peer.probe!({ id: 1, bps: 2_000_000, durationMs: 100, clusterMs: 50, passBps: 1 })).toBe(false);
      } finally {
        peer.close();
        await closePeer(pc, [track]);
      }
      await engine.close();
      engine = null;
    }
  }, 30_000);
});
