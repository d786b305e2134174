import nodeDataChannel from 'node-datachannel';
import type { EnginePeer, TrackSpec } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { addManagedTrack, createLoopbackPeer, waitFor, waitGathering, type ManagedTrack } from './webrtc.js';

/**
 * Whether the native addon loaded, for the native engine's own tests to skip on. CI builds the
 * addon: there a missing addon is a failure, not a skip.
 */
export function nativeAvailable(): ReturnType<typeof NativeEngine.available> {
  const available = NativeEngine.available();
  if (!available.ok && process.env.CI) throw new Error(`native addon missing in CI: ${available.why}`);
  return available;
}

/** The VP8 video track those tests send a viewer (SSRC 1234), with whatever a test adds. */
export function vp8Spec(extra: Partial<TrackSpec> = {}): TrackSpec {
  return {
    mid: '0',
    kind: 'video',
    direction: 'sendonly',
    codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' },
    ssrc: 1234,
    cname: 'c',
    msid: 's',
    ...extra,
  };
}

export interface Vp8Viewer {
  pc: nodeDataChannel.PeerConnection;
  track: ManagedTrack;
  /** The RTP packets of vp8Spec's SSRC it received, in order. */
  got: Buffer[];
  peer: EnginePeer;
}

/** A node-datachannel viewer offering recvonly VP8, connected to the engine, keeping vp8Spec's media. */
export async function vp8Viewer(e: NativeEngine, name: string): Promise<Vp8Viewer> {
  const pc = createLoopbackPeer(name);
  const v = new nodeDataChannel.Video('0', 'RecvOnly');
  v.addVP8Codec(96);
  const got: Buffer[] = [];
  // Media from our member only (SSRC 1234), not RTCP (RFC 5761 §4: PT 192-223; a marked PT 96 is 224).
  const track = addManagedTrack(pc, v, (m) => {
    if (m.length >= 12 && (m[1]! < 192 || m[1]! > 223) && m.readUInt32BE(8) === 1234) got.push(Buffer.from(m));
  });
  pc.setLocalDescription();
  await waitGathering(pc);
  const peer = e.createPeer(name, { role: 'viewer' });
  pc.setRemoteDescription(await peer.answer(pc.localDescription()!.sdp, [vp8Spec()]), 'answer');
  await waitFor(() => peer.state === 'connected', 10_000, 10, `${name} connected`);
  return { pc, track, got, peer };
}
