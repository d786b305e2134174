import { parseRtpHeader } from '../rtp.js';

const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_STAP_A = 24;
const NAL_FU_A = 28;

/**
 * True for a packet a decoder can start from: the first packet of a VP8 key frame (RFC 7741),
 * or an H.264 packet carrying an IDR slice or an SPS, alone, in a STAP-A or as the first
 * fragment of an FU-A (RFC 6184). One H.264 key frame often gives several true packets
 * (SPS/PPS, then the IDR), all with the same RTP timestamp. False for anything else.
 */
export function isKeyframe(codec: string, rtp: Uint8Array): boolean {
  const h = parseRtpHeader(rtp);
  if (!h) return false;
  let end = rtp.length;
  if (rtp[0]! & 0x20) {
    const pad = rtp[end - 1]!;
    if (pad === 0 || h.payloadOffset + pad > end) return false;
    end -= pad;
  }
  const payload = rtp.subarray(h.payloadOffset, end);
  switch (codec.toUpperCase()) {
    case 'VP8':
      return isVp8Keyframe(payload);
    case 'H264':
      return isH264Keyframe(payload);
    default:
      return false;
  }
}

/** `p` is a VP8 RTP payload: payload descriptor, then the VP8 payload. */
export function isVp8Keyframe(p: Uint8Array): boolean {
  if (p.length < 1) return false;
  const b0 = p[0]!;
  // S=1 and PID=0: the start of the frame's first partition, where the frame header is.
  if (!(b0 & 0x10) || (b0 & 0x07) !== 0) return false;
  let off = 1;
  if (b0 & 0x80) {
    if (p.length < 2) return false;
    const x = p[off++]!;
    if (x & 0x80) {
      if (p.length <= off) return false;
      off += p[off]! & 0x80 ? 2 : 1;
    }
    if (x & 0x40) off++;
    if (x & 0x30) off++;
  }
  // VP8 payload header: P bit (inverse key frame flag) is bit 0 of the first byte.
  return off < p.length && (p[off]! & 0x01) === 0;
}

function isKeyNal(type: number): boolean {
  return type === NAL_IDR || type === NAL_SPS;
}

/** `p` is an H.264 RTP payload (packetization-mode 0 or 1). */
export function isH264Keyframe(p: Uint8Array): boolean {
  if (p.length < 1) return false;
  const type = p[0]! & 0x1f;
  if (type >= 1 && type <= 23) return isKeyNal(type);
  if (type === NAL_STAP_A) {
    let off = 1;
    while (off + 2 < p.length) {
      const size = (p[off]! << 8) | p[off + 1]!;
      off += 2;
      if (size === 0 || off + size > p.length) return false;
      if (isKeyNal(p[off]! & 0x1f)) return true;
      off += size;
    }
    return false;
  }
  if (type === NAL_FU_A) return p.length >= 2 && (p[1]! & 0x80) !== 0 && isKeyNal(p[1]! & 0x1f);
  return false;
}
