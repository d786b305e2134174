import nodeDataChannel from 'node-datachannel';
import { packetizeH264, type H264Frame } from './h264Layers.js';
import { av1FramePayload } from './av1Temporal.js';
import { vp8Payload } from './vp8Temporal.js';
import { addManagedTrack, applyAnswer, closePeer, ConnectAttemptError, createLoopbackPeer, deleteSession, postOffer, waitTracksOpen } from './webrtc.js';

// An OBS-style simulcast publisher (OBS's WHIP output is libdatachannel: rids, a=simulcast:send,
// no a=ssrc), made with node-datachannel: three VP8 layers on three SSRCs, each packet with the
// rid header extension (RFC 8852) in the one-byte form (RFC 8285 §4.2).

/** rids in the offer's order, lowest first: low, mid, high (layerQualities). */
export const RIDS = ['0', '1', '2'];
/** Payload sizes of the low, mid and high layers: a viewer's payload length tells its layer. */
export const LAYER_SIZES = [120, 400, 1100];
/** The layers' SSRCs, low, mid, high. */
export const SSRCS = [0x1111, 0x2222, 0x3333];

/** The transport-wide sequence number extension (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2). */
export const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
/** Its id in our offer, when the publisher offers transport-cc. */
const TWCC_EXT_ID = 5;

/** The transport-wide sequence number to put on the next packet (null: transport-cc not negotiated). */
type TwccSeq = (() => number) | null;

function packet(ssrc: number, seq: number, ts: number, ridExtId: number, rid: string, key: boolean, size: number, twcc: TwccSeq): Buffer {
  // VP8 payload descriptor S=1 PID=0, then the payload header: P=0 for a key frame (RFC 7741 §4.3).
  const payload = Buffer.alloc(size, 0xaa);
  payload[0] = 0x10;
  payload[1] = key ? 0x00 : 0x01;
  return ridPacket(ssrc, seq, ts, ridExtId, rid, true, payload, twcc);
}

/** An RTP packet with the rid header extension (and the transport-wide sequence number after it, when negotiated). */
function ridPacket(ssrc: number, seq: number, ts: number, ridExtId: number, rid: string, marker: boolean, payload: Buffer, twcc: TwccSeq): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x90; // V=2, X=1
  h[1] = 96 | (marker ? 0x80 : 0);
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc, 8);
  const parts = [Buffer.from([(ridExtId << 4) | (rid.length - 1)]), Buffer.from(rid)];
  if (twcc) {
    const n = twcc();
    parts.push(Buffer.from([(TWCC_EXT_ID << 4) | 1, (n >> 8) & 0xff, n & 0xff]));
  }
  const el = Buffer.concat(parts);
  const padded = Buffer.concat([el, Buffer.alloc((4 - (el.length % 4)) % 4)]);
  const ext = Buffer.concat([Buffer.from([0xbe, 0xde, 0, padded.length / 4]), padded]);
  return Buffer.concat([h, ext, payload]);
}

/** Whether a payload a viewer received is a key frame's first packet (as packet() writes them). */
export function isKeyPayload(p: Buffer): boolean {
  return p[0] === 0x10 && p[1] === 0x00;
}

function simulcastVideo(h264: boolean, transportCc: boolean, av1 = false): nodeDataChannel.Video {
  const video = new nodeDataChannel.Video('0', 'SendOnly');
  if (h264) video.addH264Codec(96);
  else if (av1) video.addAV1Codec(96);
  else video.addVP8Codec(96);
  if (transportCc) {
    video.parseSdpLine(`a=extmap:${TWCC_EXT_ID} ${TWCC_URI}`);
    video.parseSdpLine('a=rtcp-fb:96 transport-cc');
  }
  video.parseSdpLine('a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid');
  video.parseSdpLine('a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id');
  video.parseSdpLine('a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id');
  for (const r of RIDS) video.parseSdpLine(`a=rid:${r} send`);
  video.parseSdpLine(`a=simulcast:send ${RIDS.join(';')}`);
  return video;
}

/**
 * Publishes three layers to a WHIP URL: 30 packets a second per layer, a keyframe on each every
 * `keyEvery` packets. With `h264` (frames per layer, lowest first: test/support/h264Layers.ts)
 * the layers are those H.264 frames instead, looped, 30 a second. With `transportCc` the offer
 * has the transport-wide sequence number extension and `transport-cc` feedback, and, when the
 * answer keeps them, every packet carries the extension. With `temporal` each VP8 layer has
 * three temporal layers as libwebrtc sends them (L1T3, test/support/vp8Temporal.ts: PictureID,
 * TL0PICIDX, TID and Y in every packet, one packet a frame, TIDs 0,2,1,2), of `sizes` bytes per
 * layer (default LAYER_SIZES); with `av1` as well, the layers are AV1 instead, the temporal id
 * in each frame OBU's extension header (test/support/av1Temporal.ts av1FramePayload: one
 * packet a frame, a key frame led by a sequence header). `rtcp` is the RTCP the origin sent. `stopLayer(i)` stops sending
 * layer i (lowest first) as Chromium stops an encoding when its estimate falls; `resumeLayer(i)`
 * starts it again with a keyframe, its sequence numbers going on from the last one sent.
 */
export async function publishSimulcast(
  url: string,
  keyEvery = 30,
  h264?: H264Frame[][],
  opts: { transportCc?: boolean; temporal?: boolean; av1?: boolean; sizes?: readonly number[] } = {},
): Promise<{
  offer: string;
  answer: string;
  rtcp: Buffer[];
  transportSeqsSent(): number;
  /** Sends the next frame of every layer now (as the 33 ms timer does): for a test that blocks the loop. */
  sendFrame(): void;
  stopLayer(i: number): void;
  resumeLayer(i: number): void;
  close(): Promise<void>;
}> {
  const simulcastVideoTrack = (): nodeDataChannel.Video => simulcastVideo(h264 !== undefined, opts.transportCc === true, opts.av1 === true);
  const rtcp: Buffer[] = [];
  const onMessage = (m: Buffer): void => {
    if (m.length >= 8 && m[1]! >= 192 && m[1]! <= 223) rtcp.push(Buffer.from(m));
  };
  let pc = createLoopbackPeer('sim-pub');
  let managed = addManagedTrack(pc, simulcastVideoTrack(), onMessage);
  let res = await postOffer(pc, url);
  for (let attempt = 1; ; attempt++) {
    if (res.status !== 201) throw new Error(`WHIP ${res.status}: ${res.body}`);
    try {
      applyAnswer(pc, res.body);
      await waitTracksOpen(pc, [managed], 5000);
      break;
    } catch (e) {
      if (!(e instanceof ConnectAttemptError) || attempt >= 3) throw e;
    }
    // node-datachannel as an offerer sometimes closes before the answer under load: offer again.
    await deleteSession(res.sessionUrl);
    await closePeer(pc, [managed]);
    pc = createLoopbackPeer(`sim-pub-${attempt}`);
    managed = addManagedTrack(pc, simulcastVideoTrack(), onMessage);
    res = await postOffer(pc, url);
  }
  const ridId = Number(/^a=extmap:(\d+) urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id/m.exec(res.body)?.[1]);
  let transportSeq = 0;
  const twcc: TwccSeq = res.body.includes(`a=extmap:${TWCC_EXT_ID} ${TWCC_URI}`) ? () => transportSeq++ & 0xffff : null;
  let n = 0;
  const seqs = RIDS.map(() => 0);
  const stopped = new Set<number>();
  const restart = new Set<number>();
  const sendFrame = (): void => {
    RIDS.forEach((r, i) => {
      if (stopped.has(i)) return;
      const resumed = restart.delete(i);
      const key = n % keyEvery === 0 || resumed;
      if (opts.temporal) {
        const pos = n % 4;
        const frame = {
          pictureId: (1000 * i + n) & 0x7fff,
          tl0PicIdx: (10 * i + Math.floor(n / 4)) & 0xff,
          tid: [0, 2, 1, 2][pos]!,
          sync: pos === 1 || pos === 2,
          key,
        };
        const size = (opts.sizes ?? LAYER_SIZES)[i]!;
        if (opts.av1)
          return managed.track.sendMessageBinary(ridPacket(SSRCS[i]!, seqs[i]!++, n * 3000, ridId, r, true, av1FramePayload(frame.tid, key, size), twcc));
        return managed.track.sendMessageBinary(
          ridPacket(SSRCS[i]!, seqs[i]!++, n * 3000, ridId, r, true, vp8Payload(frame, true, (opts.sizes ?? LAYER_SIZES)[i]!), twcc),
        );
      }
      if (!h264) return managed.track.sendMessageBinary(packet(SSRCS[i]!, seqs[i]!++, n * 3000, ridId, r, key, LAYER_SIZES[i]!, twcc));
      const frames = h264[i]!;
      const payloads = packetizeH264(frames[n % frames.length]!);
      payloads.forEach((p, k) => managed.track.sendMessageBinary(ridPacket(SSRCS[i]!, seqs[i]!++, n * 3000, ridId, r, k === payloads.length - 1, p, twcc)));
    });
    n++;
  };
  const timer = setInterval(sendFrame, 33);
  return {
    offer: res.offer,
    answer: res.body,
    rtcp,
    transportSeqsSent: () => transportSeq,
    sendFrame,
    stopLayer: (i) => void stopped.add(i),
    resumeLayer: (i) => {
      if (stopped.delete(i)) restart.add(i);
    },
    close: async () => {
      clearInterval(timer);
      await closePeer(pc, [managed]);
    },
  };
}
