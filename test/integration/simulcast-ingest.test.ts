import nodeDataChannel from 'node-datachannel';
import { describe, expect, it } from 'vitest';
import { NodeViewer } from '../support/NodeViewer.js';
import { startTree } from '../support/tree.js';
import {
  addManagedTrack,
  applyAnswer,
  closePeer,
  ConnectAttemptError,
  createLoopbackPeer,
  deleteSession,
  postOffer,
  waitTracksOpen,
} from '../support/webrtc.js';

// An OBS-style simulcast publish (OBS's WHIP output is libdatachannel: rids, a=simulcast:send,
// no a=ssrc), made with node-datachannel: three VP8 layers on three SSRCs, each packet with the
// rid header extension (RFC 8852) in the one-byte form (RFC 8285 §4.2), the ids the answer kept.

const RIDS = ['0', '1', '2'];

function packet(ssrc: number, seq: number, ts: number, ridExtId: number, rid: string, key: boolean, size: number): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x90; // V=2, X=1
  h[1] = 96 | 0x80;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc, 8);
  const el = Buffer.concat([Buffer.from([(ridExtId << 4) | (rid.length - 1)]), Buffer.from(rid)]);
  const padded = Buffer.concat([el, Buffer.alloc((4 - (el.length % 4)) % 4)]);
  const ext = Buffer.concat([Buffer.from([0xbe, 0xde, 0, padded.length / 4]), padded]);
  // VP8 payload descriptor S=1 PID=0, then the payload header: P=0 for a key frame (RFC 7741 §4.3).
  const payload = Buffer.alloc(size, 0xaa);
  payload[0] = 0x10;
  payload[1] = key ? 0x00 : 0x01;
  return Buffer.concat([h, ext, payload]);
}

/** The offer's video section as OBS makes it with libdatachannel: rids and a=simulcast, no a=ssrc. */
function simulcastVideo(): nodeDataChannel.Video {
  const video = new nodeDataChannel.Video('0', 'SendOnly');
  video.addVP8Codec(96);
  video.parseSdpLine('a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid');
  video.parseSdpLine('a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id');
  video.parseSdpLine('a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id');
  for (const r of RIDS) video.parseSdpLine(`a=rid:${r} send`);
  video.parseSdpLine(`a=simulcast:send ${RIDS.join(';')}`);
  return video;
}

describe('simulcast ingest (OBS-style offer)', () => {
  it('answers with the layers and receives each on its own SSRC, as a track of its own', async () => {
    const tree = await startTree({ level1: 0, level2PerLevel1: 0, serveViewers: true });
    let viewer: NodeViewer | null = null;
    const timers: NodeJS.Timeout[] = [];
    let pc = createLoopbackPeer('sim-pub');
    let managed = addManagedTrack(pc, simulcastVideo());
    try {
      // node-datachannel as an offerer sometimes closes before the answer under load (the
      // DTLS race NodePublisher retries too): DELETE, and offer again from a fresh connection.
      let res = await postOffer(pc, `${tree.origin.node.url}/whip/obs`);
      let ridId = 0;
      for (let attempt = 1; ; attempt++) {
        expect(res.status, res.body).toBe(201);
        expect(res.offer).not.toMatch(/^a=ssrc:/m);
        expect(res.body).toMatch(/^a=simulcast:recv 0;1;2\r?$/m);
        for (const r of RIDS) expect(res.body).toMatch(new RegExp(`^a=rid:${r} recv\\r?$`, 'm'));
        ridId = Number(/^a=extmap:(\d+) urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id/m.exec(res.body)?.[1]);
        expect(ridId).toBe(10);
        try {
          applyAnswer(pc, res.body);
          await waitTracksOpen(pc, [managed], 5000);
          break;
        } catch (e) {
          if (!(e instanceof ConnectAttemptError) || attempt >= 3) throw e;
        }
        await deleteSession(res.sessionUrl);
        await closePeer(pc, [managed]);
        pc = createLoopbackPeer(`sim-pub-${attempt}`);
        managed = addManagedTrack(pc, simulcastVideo());
        res = await postOffer(pc, `${tree.origin.node.url}/whip/obs`);
      }

      // Layers of 30, 100 and 300 kbit/s-ish: 30 fps, a keyframe every second.
      const ssrcs = [0x1111, 0x2222, 0x3333];
      const sizes = [120, 400, 1100];
      let n = 0;
      timers.push(
        setInterval(() => {
          const key = n % 30 === 0;
          RIDS.forEach((r, i) => managed.track.sendMessageBinary(packet(ssrcs[i]!, n, n * 3000, ridId, r, key, sizes[i]!)));
          n++;
        }, 33),
      );
      // A viewer without a choice gets the top layer (rid 2: the offer's order is lowest first).
      viewer = new NodeViewer({ url: `${tree.origin.node.url}/whep/obs`, keepPayloads: true, audio: false });
      expect((await viewer.start()).status).toBe(201);
      const session = (): ReturnType<NonNullable<ReturnType<typeof tree.origin.whip.publishers.get>>['simulcastState']>[number] | undefined =>
        tree.origin.whip.publishers.get('obs')?.simulcastState()[0];
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const st = session();
        if (st && st.layers.every((l) => l.packets > 60)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const st = session()!;
      expect(st.layers.map((l) => [l.rid, l.ssrc])).toEqual(RIDS.map((r, i) => [r, ssrcs[i]]));
      for (const l of st.layers) expect(l.packets).toBeGreaterThan(60);
      const v = viewer.video;
      await viewer.waitFor(() => viewer!.video.payloads.some((p) => p.length >= 1100), 5000, 'the top layer at the viewer');
      // One SSRC, sequence numbers without a gap across the switch (TrackSender rewrites).
      expect(v.ssrcs.size).toBe(1);
      expect(viewer.discontinuities('video')).toBe(0);
    } finally {
      for (const t of timers) clearInterval(t);
      await viewer?.close();
      await closePeer(pc, [managed]);
      await tree.close();
    }
    await tree.assertEmpty();
  }, 30_000);
});
