import { canopy } from '../gen/link.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { isQuality, type MediaKind, type StreamInfo, type TrackInfo } from '../media/types.js';

export const v1 = canopy.link.v1;
export type Frame = canopy.link.v1.Frame;
export type FrameKind = NonNullable<Frame['msg']>;

/** Link protocol version: 2 added the challenge-response handshake and shared subscriptions. */
export const PROTOCOL_VERSION = 2;
/** HTTP header on the WebSocket upgrade (both ways) naming the link protocol version. */
export const LINK_VERSION_HEADER = 'Canopy-Link-Version';
/** Default largest frame accepted on a link: an RTP packet plus framing, with room for stream info. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
const MAX_TRACKS = 8;
const MAX_NAME_LENGTH = 256;
/** Layer names in a Subscribe or LayerDemand (three qualities; room for more later). */
const MAX_LAYER_NAMES = 8;

export function encodeFrame(frame: canopy.link.v1.Frame.$Properties): Uint8Array {
  return v1.Frame.encode(frame).finish();
}

/** Decodes one frame, enforcing the size limit and that exactly one message is set. */
export function decodeFrame(buf: Uint8Array, maxBytes = DEFAULT_MAX_FRAME_BYTES): Frame {
  if (buf.length > maxBytes) throw new CanopyError(ErrorCode.LINK_OVERSIZE, `frame of ${buf.length} bytes exceeds ${maxBytes}`);
  let frame: Frame;
  try {
    frame = v1.Frame.decode(buf);
  } catch (err) {
    throw new CanopyError(ErrorCode.LINK_MALFORMED, `undecodable frame: ${(err as Error).message}`);
  }
  if (!frame.msg) throw new CanopyError(ErrorCode.LINK_MALFORMED, 'frame carries no message');
  const sub = frame.subscribe;
  if (sub && (!sub.stream || sub.stream.length > MAX_NAME_LENGTH)) {
    throw new CanopyError(ErrorCode.LINK_MALFORMED, 'subscribe needs a stream name of 1-256 characters');
  }
  if ((sub?.layers?.length ?? 0) > MAX_LAYER_NAMES || (frame.layerDemand?.layers?.length ?? 0) > MAX_LAYER_NAMES) {
    throw new CanopyError(ErrorCode.LINK_MALFORMED, `a layer list names at most ${MAX_LAYER_NAMES} layers`);
  }
  const ok = frame.subscribeOk ?? frame.subscribeShared;
  if (ok && (!ok.info?.tracks?.length || ok.info.tracks.length > MAX_TRACKS)) {
    throw new CanopyError(ErrorCode.LINK_MALFORMED, `subscribe-ok needs 1-${MAX_TRACKS} tracks`);
  }
  return frame;
}

const KIND_TO_WIRE: Record<MediaKind, number> = { audio: v1.TrackInfo.Kind.KIND_AUDIO, video: v1.TrackInfo.Kind.KIND_VIDEO };

export function streamInfoToWire(info: StreamInfo): canopy.link.v1.StreamInfo.$Properties {
  return { name: info.name, createdMs: info.createdMs, tracks: info.tracks.map((t) => ({ ...t, kind: KIND_TO_WIRE[t.kind] })) };
}

export function streamInfoFromWire(w: canopy.link.v1.StreamInfo.$Properties): StreamInfo {
  const tracks: TrackInfo[] = (w.tracks ?? []).map((t) => {
    const kind = t.kind === v1.TrackInfo.Kind.KIND_AUDIO ? 'audio' : t.kind === v1.TrackInfo.Kind.KIND_VIDEO ? 'video' : null;
    if (!kind || !t.codec || !t.clockRate) throw new CanopyError(ErrorCode.LINK_MALFORMED, 'track info needs a kind, codec and clock rate');
    const info: TrackInfo = {
      id: t.id ?? 0,
      kind,
      codec: t.codec,
      payloadType: t.payloadType ?? 0,
      clockRate: t.clockRate,
      channels: t.channels ?? 0,
      fmtp: t.fmtp ?? '',
    };
    if (t.layer) {
      if (!isQuality(t.layer.quality) || kind !== 'video')
        throw new CanopyError(ErrorCode.LINK_MALFORMED, 'a layer is a video track with quality high, mid or low');
      info.layer = { rid: (t.layer.rid ?? '').slice(0, 32), quality: t.layer.quality, group: t.layer.group ?? 0 };
    }
    return info;
  });
  return { name: w.name ?? '', createdMs: w.createdMs ?? 0, tracks };
}
