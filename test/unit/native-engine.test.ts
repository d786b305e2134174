import { createSocket } from 'node:dgram';
import nodeDataChannel from 'node-datachannel';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnginePeer, PeerState } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { addManagedTrack, closePeer, createLoopbackPeer, waitFor, waitGathering, type ManagedTrack } from '../support/webrtc.js';
import { nativeAvailable, vp8Spec } from '../support/nativeTest.js';

const available = nativeAvailable();

let engine: NativeEngine | null = null;
const lines: string[] = [];
const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });

afterEach(async () => {
  await engine?.close();
  expect(engine?.peerCount ?? 0).toBe(0);
  engine = null;
  lines.length = 0;
});

const spec = vp8Spec();

function rtp(seq: number, ssrc = 0xabcdef01): Buffer {
  const b = Buffer.alloc(200, 7);
  b[0] = 0x80;
  b[1] = 100;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 3000, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

/** A node-datachannel viewer offering recvonly VP8, its offer's a=setup replaced. */
async function viewer(setup: string): Promise<{ pc: nodeDataChannel.PeerConnection; track: ManagedTrack; got: Buffer[]; offer: string }> {
  const pc = createLoopbackPeer('native-test');
  const v = new nodeDataChannel.Video('0', 'RecvOnly');
  v.addVP8Codec(96);
  const got: Buffer[] = [];
  const track = addManagedTrack(pc, v, (m) => got.push(m));
  pc.setLocalDescription();
  await waitGathering(pc);
  const offer = pc.localDescription()!.sdp.replace(/a=setup:\w+/g, `a=setup:${setup}`);
  return { pc, track, got, offer };
}

function watch(peer: { state: PeerState }): (s: PeerState) => boolean {
  return (s) => peer.state === s;
}

describe.skipIf(!available.ok)('native engine', () => {
  for (const [offered, ours] of [
    ['actpass', 'passive'],
    ['passive', 'active'],
  ] as const) {
    it(`plays to a node-datachannel viewer whose offer says a=setup:${offered} (we are DTLS ${ours === 'passive' ? 'server' : 'client'})`, async () => {
      engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 2, logger });
      const v = await viewer(offered);
      let peer: EnginePeer | null = null;
      try {
        const states: PeerState[] = [];
        peer = engine.createPeer('t', { role: 'viewer', onState: (s) => states.push(s) });
        const answer = await peer.answer(v.offer, [spec]);
        expect(answer).toMatch(new RegExp(`^a=setup:${ours}\\r?$`, 'm'));
        expect(answer).toMatch(/^a=ice-lite/m);
        expect(answer).toMatch(new RegExp(`^a=candidate:1 1 udp \\d+ 127\\.0\\.0\\.1 ${engine.port} typ host`, 'm'));
        v.pc.setRemoteDescription(answer, 'answer');
        const p = peer;
        await waitFor(() => watch(p)('connected'), 10_000, 10, 'DTLS-SRTP up');
        const group = engine.createFanout(1000);
        expect(group.join(peer.tracks[0]!, { ssrc: 1234, payloadType: 96, clockRate: 90000, rtx: null, nack: true, retransmitShare: 0.25 })).not.toBeNull();
        let seq = 100;
        await waitFor(
          () => {
            group.send(rtp(seq++), Date.now(), Date.now());
            return v.got.some((m) => m.length >= 12 && m.readUInt32BE(8) === 1234);
          },
          10_000,
          20,
          'fanned-out RTP at the viewer',
        );
        const media = v.got.find((m) => m.length >= 12 && m.readUInt32BE(8) === 1234)!;
        // Rewritten for this viewer: our SSRC and payload type, the payload intact.
        expect(media[1]! & 0x7f).toBe(96);
        expect(media.subarray(12).equals(Buffer.alloc(188, 7))).toBe(true);
        expect(engine.stats().sentPackets).toBeGreaterThan(0);
        // The viewer's SSL went once its keys were out (an AEAD suite: docs/native.md "Who frees what").
        expect(engine.stats().dtlsRetired).toBeGreaterThan(0);
        expect(engine.stats().dtlsKept).toBe(0);
        group.close();
        expect(states).toContain('connected');
      } finally {
        peer?.close();
        await closePeer(v.pc, [v.track]);
      }
      await waitFor(() => engine!.nativeViewerCount === 0, 3000, 10, 'native viewer freed');
    });
  }

  it('fails a viewer whose DTLS certificate does not match the fingerprint in its offer, and says so in the log', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger });
    const v = await viewer('actpass');
    const offer = v.offer.replace(/(a=fingerprint:sha-256 )([0-9A-F])/i, (_m, a: string, d: string) => a + (d === 'A' ? 'B' : 'A'));
    expect(offer).not.toBe(v.offer);
    const peer = engine.createPeer('t', { role: 'viewer' });
    try {
      v.pc.setRemoteDescription(await peer.answer(offer, [spec]), 'answer');
      await waitFor(() => peer.state === 'failed', 10_000, 10, 'the session to fail');
      expect(lines.some((l) => l.includes('native viewer failed') && l.includes('does not match the SDP fingerprint'))).toBe(true);
    } finally {
      peer.close();
      await closePeer(v.pc, [v.track]);
    }
  });

  it('drops and counts garbage, unknown users and unchecked addresses without answering', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger });
    const s = createSocket('udp4');
    const answers: Buffer[] = [];
    s.on('message', (m) => answers.push(m));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    try {
      const before = engine.stats();
      const stun = Buffer.alloc(20 + 12);
      stun.writeUInt16BE(0x0001, 0);
      stun.writeUInt16BE(12, 2);
      stun.writeUInt32BE(0x2112a442, 4);
      stun.writeUInt16BE(0x0006, 20);
      stun.writeUInt16BE(8, 22);
      stun.write('nobody:x', 24);
      const sends = [Buffer.from('hello, is this the media port?'), stun, rtp(1), Buffer.from([22, 0xfe, 0xfd, ...Buffer.alloc(40)])];
      for (const d of sends) await new Promise<void>((r) => s.send(d, engine!.port, '127.0.0.1', () => r()));
      await waitFor(() => engine!.stats().rxDatagrams - before.rxDatagrams >= sends.length, 3000, 10, 'datagrams seen');
      const after = engine.stats();
      expect(after.garbage - before.garbage).toBe(1);
      expect(after.stunUnknownUser - before.stunUnknownUser).toBe(1);
      expect(after.unknownTuple - before.unknownTuple).toBe(2);
      await new Promise((r) => setTimeout(r, 200));
      expect(answers).toHaveLength(0);
    } finally {
      s.close();
    }
  });
});
