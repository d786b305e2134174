import nodeDataChannel from 'node-datachannel';
import { addManagedTrack, closePeer, createLoopbackPeer, waitGathering } from './webrtc.js';

/**
 * A complete offer from a node-datachannel offerer (recvonly for WHEP, sendonly for WHIP),
 * for tests that exercise signalling and registries without completing ICE.
 */
export async function makeOffer(opts: {
  direction: 'RecvOnly' | 'SendOnly';
  audio?: boolean;
  video?: 'VP8' | 'H264' | 'VP9' | 'AV1';
  h264Profile?: string;
}): Promise<string> {
  const pc = createLoopbackPeer('offer-maker');
  const tracks = [];
  const v = new nodeDataChannel.Video('0', opts.direction);
  const video = opts.video ?? 'VP8';
  if (video === 'VP8') v.addVP8Codec(96);
  else if (video === 'VP9') v.addVideoCodec(98, 'VP9', 'profile-id=0');
  else if (video === 'AV1') v.addVideoCodec(45, 'AV1', 'level-idx=5;profile=0;tier=0');
  else v.addH264Codec(102, `profile-level-id=${opts.h264Profile ?? '42e01f'};packetization-mode=1;level-asymmetry-allowed=1`);
  if (opts.direction === 'SendOnly') v.addSSRC(1111, 'c', 's', 'v');
  tracks.push(addManagedTrack(pc, v));
  if (opts.audio !== false) {
    const a = new nodeDataChannel.Audio('1', opts.direction);
    a.addOpusCodec(111);
    if (opts.direction === 'SendOnly') a.addSSRC(2222, 'c', 's', 'a');
    tracks.push(addManagedTrack(pc, a));
  }
  pc.setLocalDescription();
  await waitGathering(pc);
  const sdp = pc.localDescription()!.sdp;
  await closePeer(pc, tracks);
  return sdp;
}
