import { parseRtpHeader } from '../rtp.js';

const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_STAP_A = 24;
const NAL_FU_A = 28;

/**
 * True for a packet a decoder can start from: the first packet of a VP8 key frame (RFC 7741),
 * of a VP9 key frame (RFC 9628) or of an AV1 coded video sequence (AV1 RTP payload format),
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
    case 'H265':
      return isH265Keyframe(payload);
    case 'VP9':
      return isVp9Keyframe(payload);
    case 'AV1':
      return isAv1Keyframe(payload);
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

/** H.265 NAL unit types (H.265 Table 7-1): IRAP pictures are 16..21; VPS 32, SPS 33 start a keyframe's access unit. */
function isH265KeyNal(type: number): boolean {
  return (type >= 16 && type <= 21) || type === 32 || type === 33;
}

const H265_AP = 48;
const H265_FU = 49;

/**
 * `p` is an H.265 RTP payload (RFC 7798 §4.4, without DONL: sprop-max-don-diff 0, as WebRTC
 * senders use). Its NAL unit header is two bytes, the type in bits 1..6 of the first.
 */
export function isH265Keyframe(p: Uint8Array): boolean {
  if (p.length < 3) return false;
  const type = (p[0]! >> 1) & 0x3f;
  if (type < 48) return isH265KeyNal(type);
  if (type === H265_AP) {
    let off = 2;
    while (off + 2 < p.length) {
      const size = (p[off]! << 8) | p[off + 1]!;
      off += 2;
      if (size < 2 || off + size > p.length) return false;
      if (isH265KeyNal((p[off]! >> 1) & 0x3f)) return true;
      off += size;
    }
    return false;
  }
  // FU header: S | E | FuType(6) (§4.4.3); only the first fragment starts the picture.
  if (type === H265_FU) return (p[2]! & 0x80) !== 0 && isH265KeyNal(p[2]! & 0x3f);
  return false;
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

/**
 * `p` is a VP9 RTP payload (RFC 9628 §4.2). Its descriptor's first byte is I|P|L|F|B|E|V|Z.
 * A key frame starts where B (start of a frame) is set and P (inter-picture predicted) is
 * clear, in the base spatial layer: with L set, the layer indices byte (after the picture ID)
 * carries SID, and P=0 in a higher spatial layer marks only an up-switch point (§4.2).
 */
export function isVp9Keyframe(p: Uint8Array): boolean {
  if (p.length < 1) return false;
  const b0 = p[0]!;
  const inter = (b0 & 0x40) !== 0;
  const begin = (b0 & 0x08) !== 0;
  if (inter || !begin) return false;
  if (!(b0 & 0x20)) return true; // no layer indices: a single spatial layer
  let off = 1;
  if (b0 & 0x80) {
    // Picture ID: 7 bits, or 15 when its first bit (M) is set.
    if (p.length <= off) return false;
    off += p[off]! & 0x80 ? 2 : 1;
  }
  if (p.length <= off) return false;
  const sid = (p[off]! >> 1) & 0x07; // TID(3) U(1) SID(3) D(1)
  return sid === 0;
}

const AV1_OBU_SEQUENCE_HEADER = 1;

/**
 * `p` is an AV1 RTP payload (AV1 RTP payload format, §4.4). Its aggregation header is
 * Z|Y|W(2)|N|-|-|-: N is set on the first packet of a coded video sequence, which starts with
 * a key frame, so a decoder can start there (libwebrtc marks key frames the same way). A
 * packet whose first OBU element (Z clear: not a continuation) is a sequence header counts
 * too, for senders that repeat the sequence header with key frames without setting N.
 */
export function isAv1Keyframe(p: Uint8Array): boolean {
  if (p.length < 2) return false;
  const agg = p[0]!;
  if (agg & 0x08) return true; // N
  if (agg & 0x80) return false; // Z: the first element continues an OBU from the previous packet
  let off = 1;
  if (((agg >> 4) & 0x03) !== 1) {
    // W is not 1: the first element is preceded by its LEB128 length (§4.4).
    while (off < p.length && p[off]! & 0x80) off++;
    off++;
  }
  if (off >= p.length) return false;
  // OBU header: forbidden(1) type(4) extension(1) has_size(1) reserved(1) (AV1 §5.3.2).
  return ((p[off]! >> 3) & 0x0f) === AV1_OBU_SEQUENCE_HEADER;
}
