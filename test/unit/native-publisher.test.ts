import nodeDataChannel from 'node-datachannel';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineTrack, PeerState, TrackSpec } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { buildPli } from '../../src/rtcp.js';
import { addManagedTrack, closePeer, createLoopbackPeer, waitFor, waitGathering, type ManagedTrack } from '../support/webrtc.js';
import { nativeAvailable } from '../support/nativeTest.js';

// A WHIP publisher on the native engine (--publisher-engine native, docs/firewalls.md
// "Publishers"): its SRTP decrypted by the data plane (native/src/ingest.cc), each packet to
// the track of its payload type, and our RTCP (here a PLI) back to it through SRTCP.

const available = nativeAvailable();

let engine: NativeEngine | null = null;
const logger = pino({ level: 'silent' });

afterEach(async () => {
  await engine?.close();
  expect(engine?.peerCount ?? 0).toBe(0);
  engine = null;
});

const VIDEO_SSRC = 0x1111_2222;
const AUDIO_SSRC = 0x3333_4444;

function rtp(pt: number, seq: number, ssrc: number, fill: number): Buffer {
  const b = Buffer.alloc(160, fill);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 3000, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

/** A node-datachannel publisher: sendonly VP8 (mid 0) and Opus (mid 1) with their SSRCs. */
async function publisher(): Promise<{ pc: nodeDataChannel.PeerConnection; video: ManagedTrack; audio: ManagedTrack; rtcp: Buffer[]; offer: string }> {
  const pc = createLoopbackPeer('native-publisher');
  const v = new nodeDataChannel.Video('0', 'SendOnly');
  v.addVP8Codec(96);
  v.addSSRC(VIDEO_SSRC, 'pub', 'pub', 'video');
  const a = new nodeDataChannel.Audio('1', 'SendOnly');
  a.addOpusCodec(111);
  a.addSSRC(AUDIO_SSRC, 'pub', 'pub', 'audio');
  const rtcp: Buffer[] = [];
  const video = addManagedTrack(pc, v, (m) => rtcp.push(m));
  const audio = addManagedTrack(pc, a);
  pc.setLocalDescription();
  await waitGathering(pc);
  return { pc, video, audio, rtcp, offer: pc.localDescription()!.sdp };
}

const specs: TrackSpec[] = [
  { mid: '0', kind: 'video', direction: 'recvonly', codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' } },
  {
    mid: '1',
    kind: 'audio',
    direction: 'recvonly',
    codec: { payloadType: 111, name: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' },
  },
];

describe.skipIf(!available.ok)('native engine, publisher', () => {
  it('receives a publisher: decrypted RTP to the track of its payload type, our PLI back through SRTCP', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger });
    const p = await publisher();
    const got: Array<{ mid: string; packet: Buffer }> = [];
    const states: PeerState[] = [];
    const peer = engine.createPeer('pub', { role: 'publisher', onState: (s) => states.push(s), onPacket: (t, packet) => got.push({ mid: t.mid, packet }) });
    try {
      const answer = await peer.answer(p.offer, specs);
      expect(answer).toMatch(/^a=recvonly\r?$/m);
      expect(answer).toMatch(/^a=ice-lite/m);
      // We send REMB, not transport-cc feedback: no transport-cc for a publisher.
      expect(answer).not.toMatch(/transport-cc/);
      p.pc.setRemoteDescription(answer, 'answer');
      await waitFor(() => peer.state === 'connected', 10_000, 10, 'DTLS-SRTP up');
      await Promise.all([p.video.opened, p.audio.opened]);
      let seq = 1000;
      await waitFor(
        () => {
          p.video.track.sendMessageBinary(rtp(96, seq, VIDEO_SSRC, 0xaa));
          p.audio.track.sendMessageBinary(rtp(111, seq, AUDIO_SSRC, 0xbb));
          seq++;
          return got.some((g) => g.mid === '0' && g.packet[1] === 96) && got.some((g) => g.mid === '1' && g.packet[1] === 111);
        },
        10_000,
        20,
        'RTP of both tracks',
      );
      const video = got.find((g) => g.mid === '0')!.packet;
      const audio = got.find((g) => g.mid === '1')!.packet;
      // Decrypted: the header and payload as sent, each on its own track.
      expect(video.readUInt32BE(8)).toBe(VIDEO_SSRC);
      expect(video.subarray(12).equals(Buffer.alloc(148, 0xaa))).toBe(true);
      expect(audio.readUInt32BE(8)).toBe(AUDIO_SSRC);
      expect(audio.subarray(12).equals(Buffer.alloc(148, 0xbb))).toBe(true);
      expect(got.every((g) => (g.mid === '0') === (g.packet[1] === 96))).toBe(true);
      expect(engine.stats().srtpIn).toBeGreaterThanOrEqual(2);
      expect(engine.stats().srtpFailed).toBe(0);

      // Our RTCP about its video (RtpReceiver's PLI) reaches the publisher.
      const track: EngineTrack = peer.tracks.find((t) => t.mid === '0')!;
      expect(track.open).toBe(true);
      await waitFor(
        () => {
          track.send(buildPli(0x5555_6666, VIDEO_SSRC));
          return p.rtcp.some((m) => m.length >= 12 && m[1] === 206 && (m[0]! & 0x1f) === 1 && m.readUInt32BE(8) === VIDEO_SSRC);
        },
        10_000,
        50,
        'the PLI at the publisher',
      );
      expect(states).toContain('connected');
    } finally {
      peer.close();
      await closePeer(p.pc, [p.video, p.audio]);
    }
    await waitFor(() => engine!.nativeViewerCount === 0, 3000, 10, 'native session freed');
  });

  it('refuses an offer whose two m-sections share a payload type (the demultiplexer could not tell them apart)', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger });
    const p = await publisher();
    const peer = engine.createPeer('pub', { role: 'publisher' });
    try {
      const clash: TrackSpec[] = [specs[0]!, { ...specs[1]!, codec: { ...specs[1]!.codec, payloadType: 96 } }];
      await expect(peer.answer(p.offer, clash)).rejects.toThrow(/payload type 96 in two m-sections/);
    } finally {
      peer.close();
      await closePeer(p.pc, [p.video, p.audio]);
    }
  });
});
