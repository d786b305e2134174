// Temporal layer of a video RTP packet, from its payload descriptor (issue 20: drop temporal
// layers to step down at once while a switch down waits for its keyframe; docs/abr.md
// "Temporal layers"). Input is whatever arrived from a publisher: every read is bounds-checked,
// and garbage gives null or "no temporal information", never a throw.
//
// AV1: the Dependency Descriptor header extension (AV1 RTP payload format, Appendix A) is not
// negotiated with publishers and is stripped towards viewers, but the temporal id is also in
// the bitstream, in the OBU extension header that an encoder writes when the stream has more
// than one operating point (AV1 §5.3.3); readAv1Temporal finds it in the RTP payload.

/**
 * What the temporal filter needs of one packet. Offsets are into the RTP payload (after the
 * header, its extension and CSRCs); -1 when the field is absent.
 */
export interface TemporalInfo {
  /**
   * Temporal layer id: VP8 TID (2 bits), VP9 TID (3 bits), AV1 temporal_id (3 bits; -1 in a
   * packet that only continues an OBU: its frame's id is that of the frame's first packet).
   */
  tid: number;
  /**
   * A temporal switching point for its own layer: VP8 Y ("layer sync": the frame depends only
   * on the base layer TL0, RFC 7741 §4.2); VP9 U (switching up point, RFC 9628 §4.2, which
   * libwebrtc sets on pictures that reference only lower temporal layers). AV1: never (the
   * bitstream signals no switching point; only the Dependency Descriptor does).
   */
  sync: boolean;
  /**
   * The first packet of a key frame (RFC 7741 §4.3 / RFC 9628 §4.2: P clear, B set, SID 0; AV1
   * RTP payload format §4.4: N, the first packet of a coded video sequence).
   */
  keyframe: boolean;
  /** Picture ID, 7 or 15 bits (pictureIdBits); -1 when absent. */
  pictureId: number;
  pictureIdBits: 0 | 7 | 15;
  pictureIdAt: number;
  /** TL0PICIDX (8 bits); -1 when absent (VP9 flexible mode has none). */
  tl0PicIdx: number;
  tl0PicIdxAt: number;
}

/** What a reader knows before it reads a descriptor: no layer, no PictureID, no TL0PICIDX. */
function noTemporalInfo(): TemporalInfo {
  return { tid: -1, sync: false, keyframe: false, pictureId: -1, pictureIdBits: 0, pictureIdAt: -1, tl0PicIdx: -1, tl0PicIdxAt: -1 };
}

/**
 * VP8 payload descriptor (RFC 7741 §4.2):
 *
 *      0 1 2 3 4 5 6 7
 *     |X|R|N|S|R| PID |  X: extended control bits present; S: start of partition; PID: partition index
 *  X: |I|L|T|K| RSV   |  I: PictureID present; L: TL0PICIDX present; T: TID present; K: KEYIDX present
 *  I: |M| PictureID   |  M: 15-bit PictureID (one more octet)
 *  L: |   TL0PICIDX   |
 * T/K:|TID|Y| KEYIDX  |  present when T or K is set; TID meaningful only with T
 *
 * Then the VP8 payload header, whose first bit P is 0 for a key frame (RFC 7741 §4.3), in the
 * first packet of a frame (S=1, PID=0). Null for a truncated descriptor; tid -1 when T is clear
 * (no temporal layering signalled).
 */
export function readVp8Temporal(p: Uint8Array): TemporalInfo | null {
  const n = p.length;
  if (n < 1) return null;
  const b0 = p[0]!;
  const info = noTemporalInfo();
  let off = 1;
  if (b0 & 0x80) {
    if (off >= n) return null;
    const x = p[off++]!;
    if (x & 0x80) {
      const next = readPictureId(p, off, info);
      if (next < 0) return null;
      off = next;
    }
    if (x & 0x40) {
      if (off >= n) return null;
      info.tl0PicIdxAt = off;
      info.tl0PicIdx = p[off++]!;
    }
    if (x & 0x30) {
      if (off >= n) return null;
      const t = p[off++]!;
      if (x & 0x20) {
        info.tid = t >> 6;
        info.sync = (t & 0x20) !== 0;
      }
    }
  }
  // S=1 and PID=0: the frame header follows; its P bit clear marks a key frame.
  info.keyframe = (b0 & 0x10) !== 0 && (b0 & 0x07) === 0 && off < n && (p[off]! & 0x01) === 0;
  return info;
}

/**
 * The PictureID both descriptors carry alike (RFC 7741 §4.2, RFC 9628 §4.2): M set, 15 bits over
 * two octets; else 7 bits in one. Fills info and returns the offset after it, -1 when truncated.
 */
function readPictureId(p: Uint8Array, off: number, info: TemporalInfo): number {
  if (off >= p.length) return -1;
  info.pictureIdAt = off;
  if (p[off]! & 0x80) {
    if (off + 1 >= p.length) return -1;
    info.pictureId = ((p[off]! & 0x7f) << 8) | p[off + 1]!;
    info.pictureIdBits = 15;
    return off + 2;
  }
  info.pictureId = p[off]! & 0x7f;
  info.pictureIdBits = 7;
  return off + 1;
}

/**
 * VP9 payload descriptor (RFC 9628 §4.2):
 *
 *      0 1 2 3 4 5 6 7
 *     |I|P|L|F|B|E|V|Z|  I: PictureID; P: inter-picture predicted; L: layer indices; F: flexible mode;
 *                        B: start of a frame; E: end of a frame; V: scalability structure; Z: not a reference
 *  I: |M| PICTURE ID  |  M: 15-bit PictureID
 *  L: |  TID  |U| SID |D|  TID: temporal layer; U: switching up point; SID: spatial layer; D: inter-layer dependency
 *     |   TL0PICIDX   |  non-flexible mode (F=0) only
 *
 * In flexible mode (F=1) reference indices (P_DIFF|N, up to 3) follow when P is set, and the
 * scalability structure (V) after them; neither is needed here. Null for a truncated
 * descriptor; tid -1 without layer indices.
 */
export function readVp9Temporal(p: Uint8Array): TemporalInfo | null {
  const n = p.length;
  if (n < 1) return null;
  const b0 = p[0]!;
  const info = noTemporalInfo();
  let off = 1;
  if (b0 & 0x80) {
    off = readPictureId(p, off, info);
    if (off < 0) return null;
  }
  let sid = 0;
  if (b0 & 0x20) {
    if (off >= n) return null;
    const l = p[off++]!;
    info.tid = l >> 5;
    info.sync = (l & 0x10) !== 0;
    sid = (l >> 1) & 0x07;
    if (!(b0 & 0x10)) {
      if (off >= n) return null;
      info.tl0PicIdxAt = off;
      info.tl0PicIdx = p[off++]!;
    }
  }
  // P clear and B set in the base spatial layer: a key frame (as isVp9Keyframe).
  info.keyframe = (b0 & 0x40) === 0 && (b0 & 0x08) !== 0 && sid === 0;
  return info;
}

/** OBU types (AV1 §6.2.2). */
const OBU_SEQUENCE_HEADER = 1;
const OBU_TEMPORAL_DELIMITER = 2;
/** A LEB128 value is at most 8 bytes long (AV1 §4.10.5). */
const MAX_LEB128_BYTES = 8;
/** OBU elements walked per packet: far above any real packet's (libwebrtc aggregates a handful). */
const MAX_AV1_ELEMENTS = 64;

/**
 * AV1 RTP payload (AV1 RTP payload format, https://aomediacodec.github.io/av1-rtp-spec/):
 *
 *      0 1 2 3 4 5 6 7
 *     |Z|Y| W |N|-|-|-|  aggregation header (§4.4). Z: the first OBU element continues an OBU
 *                        from the previous packet; Y: the last one continues in the next;
 *                        W: 0, every element has a LEB128 length, or 1..3 elements, the last
 *                        without one (it fills the packet); N: first packet of a coded video
 *                        sequence (a key frame)
 *     |len (LEB128)| OBU element | ... (§4.5)
 *
 * Each element that starts an OBU (all but a continuation) begins with the OBU header (AV1
 * §5.3.2): forbidden(1) type(4) extension_flag(1) has_size_field(1) reserved(1), then with the
 * extension flag the extension header (§5.3.3): temporal_id(3) spatial_id(2) reserved(3).
 *
 * The temporal id is that of the first OBU in the packet with an extension header: all such
 * OBUs of a packet carry the same temporal_id and spatial_id (RTP payload format §5), and a
 * packet's OBUs are of one temporal unit, so one RTP timestamp (§5). In a scalable stream every
 * frame, frame header and tile group OBU has the extension and sequence headers have none
 * (§6.2); temporal delimiters are not sent (§5); with a single operating point no OBU has one
 * (temporal_id is then 0, AV1 §6.2.3). So a packet that starts an OBU (other than a temporal
 * delimiter) and has no extension header is taken as layer 0 (§6: it belongs to every operating
 * point); a packet that only continues an OBU (Z set, no extended OBU starting in it) tells
 * nothing: tid -1, and the filter gives it its frame's decision (by RTP timestamp). Null for a
 * malformed payload (a length past the end, a LEB128 over 8 bytes, fewer elements than W, an
 * OBU header with the forbidden bit or cut before its extension).
 * sync is always false: AV1 has no switching-point flag in the bitstream.
 */
export function readAv1Temporal(p: Uint8Array): TemporalInfo | null {
  const n = p.length;
  if (n < 2) return null;
  const agg = p[0]!;
  const z = (agg & 0x80) !== 0;
  const w = (agg >> 4) & 0x03;
  const info = noTemporalInfo();
  let off = 1;
  let startsObu = false;
  let firstType = -1;
  for (let k = 1; off < n; k++) {
    if (k > MAX_AV1_ELEMENTS) return null;
    let len: number;
    if (w !== 0 && k === w) len = n - off;
    else {
      // LEB128 (AV1 §4.10.5): 7 bits a byte, low first; a clear top bit ends it.
      len = 0;
      let i = 0;
      for (;;) {
        if (i >= MAX_LEB128_BYTES || off >= n) return null;
        const b = p[off++]!;
        len += (b & 0x7f) * 2 ** (7 * i++);
        if (!(b & 0x80)) break;
      }
      if (len > n - off) return null;
    }
    if (len > 0 && !(k === 1 && z)) {
      const h = p[off]!;
      if (h & 0x80) return null; // obu_forbidden_bit
      const type = (h >> 3) & 0x0f;
      if (k === 1) firstType = type;
      if (h & 0x04) {
        if (len < 2) return null;
        if (info.tid < 0) info.tid = p[off + 1]! >> 5;
      } else if (type !== OBU_TEMPORAL_DELIMITER) startsObu = true;
    }
    off += len;
    if (w !== 0 && k === w) break;
    if (w !== 0 && off >= n) return null; // fewer elements than W says
  }
  if (info.tid < 0 && startsObu) info.tid = 0;
  // N, or (as isAv1Keyframe, for senders that repeat the sequence header with key frames
  // without setting N) a first element that starts a sequence header.
  info.keyframe = !z && ((agg & 0x08) !== 0 || firstType === OBU_SEQUENCE_HEADER);
  return info;
}

/** The temporal information of an RTP payload of this codec; null for a codec without it here (H.264, H.265) or a malformed descriptor. */
export function temporalInfo(codec: string, payload: Uint8Array): TemporalInfo | null {
  switch (codec.toUpperCase()) {
    case 'VP8':
      return readVp8Temporal(payload);
    case 'VP9':
      return readVp9Temporal(payload);
    case 'AV1':
      return readAv1Temporal(payload);
    default:
      return null;
  }
}
