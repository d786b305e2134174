/**
 * Keyframe detection on single RTP packets, for test assertions.
 *
 * - VP8 (RFC 7741): true only for the packet that starts a key frame: payload
 *   descriptor S=1 and PID=0, and the VP8 payload header's P bit (inverse key
 *   frame flag) is 0. Counting true results therefore counts key frames.
 * - H264 (RFC 6184): true for a packet carrying an IDR slice (NAL type 5) or an
 *   SPS (type 7), either as a single NAL unit, inside a STAP-A, or as the
 *   starting fragment (S=1) of an FU-A. An access unit sent as SPS, PPS, IDR in
 *   separate packets yields more than one true packet.
 * - Anything else (opus, unknown codecs, malformed packets): false.
 */
import { parseRtp } from './rtp.js';

export function isKeyframe(codec: string, rtp: Uint8Array): boolean {
  let start: number;
  let end: number;
  try {
    const h = parseRtp(rtp);
    start = h.headerLength;
    end = h.headerLength + h.payloadLength;
  } catch {
    return false;
  }
  const payload = rtp.subarray(start, end);
  switch (codec.toUpperCase()) {
    case 'VP8':
      return isVp8Keyframe(payload);
    case 'H264':
      return isH264Keyframe(payload);
    default:
      return false;
  }
}

/** `payload` is the RTP payload: VP8 payload descriptor followed by the VP8 payload. */
export function isVp8Keyframe(payload: Uint8Array): boolean {
  if (payload.length < 1) return false;
  const b0 = payload[0]!;
  const x = (b0 & 0x80) !== 0;
  const s = (b0 & 0x10) !== 0;
  const pid = b0 & 0x07;
  if (!s || pid !== 0) return false;
  let off = 1;
  if (x) {
    if (payload.length < off + 1) return false;
    const ext = payload[off++]!;
    const i = (ext & 0x80) !== 0;
    const l = (ext & 0x40) !== 0;
    const t = (ext & 0x20) !== 0;
    const k = (ext & 0x10) !== 0;
    if (i) {
      if (payload.length < off + 1) return false;
      off += payload[off]! & 0x80 ? 2 : 1; // M bit: 15-bit picture ID
    }
    if (l) off += 1; // TL0PICIDX
    if (t || k) off += 1; // TID/Y/KEYIDX
  }
  if (payload.length < off + 1) return false;
  return (payload[off]! & 0x01) === 0; // P bit: 0 = key frame
}

const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_STAP_A = 24;
const NAL_FU_A = 28;

function isKeyNalType(t: number): boolean {
  return t === NAL_IDR || t === NAL_SPS;
}

/** `payload` is the RTP payload of an H264 packet (packetization-mode 0 or 1). */
export function isH264Keyframe(payload: Uint8Array): boolean {
  if (payload.length < 1) return false;
  const type = payload[0]! & 0x1f;
  if (type >= 1 && type <= 23) return isKeyNalType(type);
  if (type === NAL_STAP_A) {
    let off = 1;
    while (off + 2 < payload.length) {
      const size = (payload[off]! << 8) | payload[off + 1]!;
      off += 2;
      if (size === 0 || off + size > payload.length) return false;
      if (isKeyNalType(payload[off]! & 0x1f)) return true;
      off += size;
    }
    return false;
  }
  if (type === NAL_FU_A) {
    if (payload.length < 2) return false;
    const fuHeader = payload[1]!;
    const startBit = (fuHeader & 0x80) !== 0;
    return startBit && isKeyNalType(fuHeader & 0x1f);
  }
  return false;
}
