import { parseRtpHeader } from '../rtp.js';

/**
 * One coded frame (an access unit) rebuilt from a track's RTP packets: what an MP4 sample
 * holds. H.264/H.265 come out in Annex B (start codes; the muxer converts to length-prefixed
 * NAL units), AV1 as a low-overhead bitstream (OBUs with size fields, ISO/IEC AV1-ISOBMFF §2.4),
 * VP9 and Opus as the codec's own frame.
 */
export interface AccessUnit {
  data: Uint8Array;
  /** The frame's RTP timestamp, unwrapped (monotonic across 2^32 wraps). */
  timestamp: number;
  keyframe: boolean;
}

/** Largest frame we rebuild; a hostile or broken stream cannot make us buffer more (a 4K keyframe fits). */
export const MAX_ACCESS_UNIT_BYTES = 8 * 1024 * 1024;

/**
 * Rebuilds access units from RTP packets in order. A frame ends at the marker bit (video,
 * RFC 3550 §5.1 as each payload format uses it) or when the timestamp changes; a gap in
 * sequence numbers drops the frame it hits, and video then waits for the next keyframe, since
 * every frame after a lost one would decode to garbage.
 */
export abstract class Depacketizer {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private frameTs: number | null = null;
  private broken = false;
  private lastSeq = -1;
  private needKeyframe: boolean;
  private unwrapped = 0;
  private lastRaw = -1;
  /** Frames dropped (loss, damage, waiting for a keyframe). */
  dropped = 0;

  constructor(private readonly video: boolean) {
    this.needKeyframe = video;
  }

  /** Feeds one RTP packet; returns the frames it completed (at most two: the one before and this one). */
  push(rtp: Uint8Array): AccessUnit[] {
    const h = parseRtpHeader(rtp);
    if (!h) return [];
    let end = rtp.length;
    if (rtp[0]! & 0x20) {
      const pad = rtp[end - 1]!;
      if (pad === 0 || h.payloadOffset + pad > end) return [];
      end -= pad;
    }
    const out: AccessUnit[] = [];
    const ts = this.unwrap(h.timestamp);
    if (this.lastSeq >= 0) {
      const d = (h.sequence - this.lastSeq) & 0xffff;
      if (d === 0 || d > 0x8000) return []; // a duplicate or a late packet: already past it
      if (d !== 1) {
        // Loss: the frame in progress is incomplete, and so is this one unless it starts here.
        if (this.frameTs !== null && this.frameTs !== ts) this.finish(out);
        this.broken = true;
        if (this.video) this.needKeyframe = true;
      }
    }
    this.lastSeq = h.sequence;
    if (this.frameTs !== null && ts !== this.frameTs) this.finish(out);
    if (this.frameTs === null) {
      this.frameTs = ts;
      this.resetFrame();
      // A packet after loss that starts a new frame repairs the stream from here.
      this.broken = this.broken && !this.startsFrame(rtp.subarray(h.payloadOffset, end));
    }
    if (!this.broken) {
      try {
        this.payload(rtp.subarray(h.payloadOffset, end));
      } catch {
        this.broken = true;
      }
    }
    if (h.marker || !this.video) this.finish(out);
    return out;
  }

  /** Appends a frame's bytes (depacketizers call this). */
  protected emit(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    if (this.bytes > MAX_ACCESS_UNIT_BYTES) throw new RangeError('access unit too large');
    this.parts.push(bytes);
  }

  private finish(out: AccessUnit[]): void {
    const ts = this.frameTs;
    this.frameTs = null;
    let ok = !this.broken && this.bytes > 0;
    if (ok) {
      try {
        ok = this.complete();
      } catch {
        ok = false;
      }
    }
    this.broken = false;
    const parts = this.parts;
    this.parts = [];
    this.bytes = 0;
    if (!ok || ts === null) {
      this.dropped++;
      if (this.video) this.needKeyframe = true;
      return;
    }
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const keyframe = this.video ? this.isKeyframe() : true;
    if (this.needKeyframe && !keyframe) {
      this.dropped++;
      return;
    }
    this.needKeyframe = false;
    out.push({ data, timestamp: ts, keyframe });
  }

  private unwrap(raw: number): number {
    if (this.lastRaw >= 0) {
      const d = (raw - this.lastRaw) | 0; // signed 32-bit difference
      this.unwrapped += d;
    } else this.unwrapped = raw;
    this.lastRaw = raw;
    return this.unwrapped;
  }

  /** Starts a new frame's state. */
  protected abstract resetFrame(): void;
  /** Whether a payload begins a frame (after loss, a frame that starts cleanly is usable). */
  protected abstract startsFrame(payload: Uint8Array): boolean;
  /** Takes one packet's payload; throws on a malformed one (the frame is dropped). */
  protected abstract payload(payload: Uint8Array): void;
  /** Whether the frame assembled is whole (a fragment still open says not). */
  protected complete(): boolean {
    return true;
  }
  /** Whether the frame assembled is a random access point. */
  protected isKeyframe(): boolean {
    return false;
  }
}

const START_CODE = Buffer.from([0, 0, 0, 1]);

/** H.264, RFC 6184 packetization-mode 0 and 1: single NAL units, STAP-A (§5.7.1), FU-A (§5.8). */
export class H264Depacketizer extends Depacketizer {
  private fu: Uint8Array[] | null = null;
  private idr = false;

  constructor() {
    super(true);
  }

  protected resetFrame(): void {
    this.fu = null;
    this.idr = false;
  }

  protected startsFrame(p: Uint8Array): boolean {
    const type = p[0]! & 0x1f;
    return type !== 28 || (p.length > 1 && (p[1]! & 0x80) !== 0);
  }

  private nal(n: Uint8Array): void {
    if (n.length === 0) throw new RangeError('empty NAL unit');
    const type = n[0]! & 0x1f;
    if (type === 5) this.idr = true;
    this.emit(START_CODE);
    this.emit(n);
  }

  protected payload(p: Uint8Array): void {
    if (p.length < 1) throw new RangeError('empty payload');
    const type = p[0]! & 0x1f;
    if (type >= 1 && type <= 23) return this.nal(p);
    if (type === 24) {
      // STAP-A: [size(16) NAL]...
      let off = 1;
      while (off + 2 <= p.length) {
        const size = (p[off]! << 8) | p[off + 1]!;
        off += 2;
        if (size === 0 || off + size > p.length) throw new RangeError('bad STAP-A');
        this.nal(p.subarray(off, off + size));
        off += size;
      }
      return;
    }
    if (type === 28) {
      // FU-A: indicator (F|NRI|28), header (S|E|R|type), fragment.
      if (p.length < 3) throw new RangeError('short FU-A');
      const fh = p[1]!;
      if (fh & 0x80) {
        if (this.fu) throw new RangeError('FU-A restarted');
        this.fu = [Uint8Array.of((p[0]! & 0xe0) | (fh & 0x1f))];
      } else if (!this.fu) throw new RangeError('FU-A without start');
      this.fu.push(p.subarray(2));
      if (fh & 0x40) {
        this.nal(Buffer.concat(this.fu));
        this.fu = null;
      }
      return;
    }
    throw new RangeError(`unsupported H.264 packet type ${type}`); // STAP-B, MTAP, FU-B: interleaved mode only
  }

  protected override complete(): boolean {
    return this.fu === null;
  }

  protected override isKeyframe(): boolean {
    return this.idr;
  }
}

/** H.265, RFC 7798: single NAL units, aggregation packets (§4.4.2), fragmentation units (§4.4.3); no DONL. */
export class H265Depacketizer extends Depacketizer {
  private fu: Uint8Array[] | null = null;
  private irap = false;

  constructor() {
    super(true);
  }

  protected resetFrame(): void {
    this.fu = null;
    this.irap = false;
  }

  protected startsFrame(p: Uint8Array): boolean {
    const type = (p[0]! >> 1) & 0x3f;
    return type !== 49 || (p.length > 2 && (p[2]! & 0x80) !== 0);
  }

  private nal(n: Uint8Array): void {
    if (n.length < 2) throw new RangeError('short NAL unit');
    const type = (n[0]! >> 1) & 0x3f;
    if (type >= 16 && type <= 21) this.irap = true; // BLA, IDR, CRA (H.265 Table 7-1)
    this.emit(START_CODE);
    this.emit(n);
  }

  protected payload(p: Uint8Array): void {
    if (p.length < 3) throw new RangeError('short payload');
    const type = (p[0]! >> 1) & 0x3f;
    if (type < 48) return this.nal(p);
    if (type === 48) {
      let off = 2;
      while (off + 2 <= p.length) {
        const size = (p[off]! << 8) | p[off + 1]!;
        off += 2;
        if (size < 2 || off + size > p.length) throw new RangeError('bad AP');
        this.nal(p.subarray(off, off + size));
        off += size;
      }
      return;
    }
    if (type === 49) {
      const fh = p[2]!;
      if (fh & 0x80) {
        if (this.fu) throw new RangeError('FU restarted');
        // The NAL header: F and LayerId's top bit from the PayloadHdr, the FU's type, then LayerId/TID.
        this.fu = [Uint8Array.of((p[0]! & 0x81) | ((fh & 0x3f) << 1), p[1]!)];
      } else if (!this.fu) throw new RangeError('FU without start');
      this.fu.push(p.subarray(3));
      if (fh & 0x40) {
        this.nal(Buffer.concat(this.fu));
        this.fu = null;
      }
      return;
    }
    if (type === 50) return; // PACI (§4.4.4): payload content information only
    throw new RangeError(`unsupported H.265 packet type ${type}`);
  }

  protected override complete(): boolean {
    return this.fu === null;
  }

  protected override isKeyframe(): boolean {
    return this.irap;
  }
}

/**
 * VP9, RFC 9628 §4.2: strips the payload descriptor; a frame is the payloads from B to E.
 * With spatial layers the layers of one picture (one timestamp) are concatenated, which a VP9
 * decoder reads as a superframe only when the sender built one; single-layer streams (what
 * browsers send without SVC) are exact.
 */
export class Vp9Depacketizer extends Depacketizer {
  private key = false;
  private first = true;

  constructor() {
    super(true);
  }

  protected resetFrame(): void {
    this.key = false;
    this.first = true;
  }

  protected startsFrame(p: Uint8Array): boolean {
    return p.length > 0 && (p[0]! & 0x08) !== 0;
  }

  protected payload(p: Uint8Array): void {
    if (p.length < 2) throw new RangeError('short VP9 payload');
    const b0 = p[0]!;
    const I = b0 & 0x80,
      P = b0 & 0x40,
      L = b0 & 0x20,
      F = b0 & 0x10,
      B = b0 & 0x08,
      V = b0 & 0x02;
    let off = 1;
    if (I) off += p[off]! & 0x80 ? 2 : 1;
    let sid = 0;
    if (L) {
      sid = (p[off]! >> 1) & 0x07;
      off += F ? 1 : 2; // non-flexible mode carries TL0PICIDX
    }
    if (F && P) {
      // Up to 3 reference indices, N bit continues.
      for (let i = 0; i < 3; i++) {
        const r = p[off++]!;
        if (!(r & 0x01)) break;
      }
    }
    if (V) {
      const ss = p[off++]!;
      const ns = (ss >> 5) + 1;
      if (ss & 0x10) off += 4 * ns;
      if (ss & 0x08) {
        const ng = p[off++]!;
        for (let g = 0; g < ng; g++) {
          const r = (p[off]! >> 2) & 0x03;
          off += 1 + r;
        }
      }
    }
    if (off > p.length) throw new RangeError('VP9 descriptor overruns the payload');
    if (this.first) {
      if (!B) throw new RangeError('VP9 frame without its beginning');
      this.key = !P && sid === 0;
      this.first = false;
    }
    this.emit(p.subarray(off));
  }

  protected override isKeyframe(): boolean {
    return this.key;
  }
}

const OBU_SEQUENCE_HEADER = 1;
const OBU_TEMPORAL_DELIMITER = 2;
const OBU_TILE_LIST = 8;
const OBU_PADDING = 15;

function leb128(p: Uint8Array, off: number): [value: number, next: number] {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    if (off >= p.length) throw new RangeError('truncated LEB128');
    const b = p[off++]!;
    v += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) return [v, off];
  }
  throw new RangeError('LEB128 too long');
}

function leb128Bytes(v: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return Uint8Array.from(out);
}

/**
 * AV1, "RTP Payload Format for AV1" §4.4-4.5: OBU elements behind an aggregation header
 * Z|Y|W|N; an element is LEB128-length-prefixed except the last when W is set; Z and Y mark an
 * OBU continued from the previous / into the next packet. OBUs come out with obu_has_size_field
 * set (the RTP format strips sizes; AV1-ISOBMFF §2.4 wants them), temporal delimiters and tile
 * lists dropped (§2.4 too).
 */
export class Av1Depacketizer extends Depacketizer {
  private partial: Uint8Array[] | null = null;
  private newSequence = false;
  private seqHeader = false;

  constructor() {
    super(true);
  }

  protected resetFrame(): void {
    this.partial = null;
    this.newSequence = false;
    this.seqHeader = false;
  }

  protected startsFrame(p: Uint8Array): boolean {
    return p.length > 0 && (p[0]! & 0x80) === 0;
  }

  protected payload(p: Uint8Array): void {
    if (p.length < 2) throw new RangeError('short AV1 payload');
    const agg = p[0]!;
    const Z = (agg & 0x80) !== 0,
      Y = (agg & 0x40) !== 0,
      W = (agg >> 4) & 0x03;
    if (agg & 0x08) this.newSequence = true;
    let off = 1;
    const elements: Uint8Array[] = [];
    while (off < p.length) {
      const last = W !== 0 && elements.length === W - 1;
      let len: number;
      if (last) len = p.length - off;
      else [len, off] = leb128(p, off);
      if (off + len > p.length) throw new RangeError('AV1 element overruns the payload');
      elements.push(p.subarray(off, off + len));
      off += len;
      if (last) break;
    }
    elements.forEach((el, i) => {
      const continues = i === 0 && Z;
      const continued = i === elements.length - 1 && Y;
      if (continues) {
        if (!this.partial) throw new RangeError('AV1 continuation without start');
        this.partial.push(el);
      } else {
        if (this.partial) throw new RangeError('AV1 OBU fragment not continued');
        this.partial = [el];
      }
      if (!continued) {
        this.obu(Buffer.concat(this.partial!));
        this.partial = null;
      }
    });
  }

  private obu(o: Uint8Array): void {
    if (o.length < 1) throw new RangeError('empty OBU');
    const h = o[0]!;
    const type = (h >> 3) & 0x0f;
    if (type === OBU_TEMPORAL_DELIMITER || type === OBU_TILE_LIST || type === OBU_PADDING) return;
    if (type === OBU_SEQUENCE_HEADER) this.seqHeader = true;
    const ext = (h & 0x04) !== 0;
    const headerLen = ext ? 2 : 1;
    if (o.length < headerLen) throw new RangeError('short OBU header');
    let body = o.subarray(headerLen);
    if (h & 0x02) {
      // Already sized (allowed by §4.5): keep the size it gives.
      const [size, next] = leb128(o, headerLen);
      body = o.subarray(next, next + size);
    }
    const header = ext ? Uint8Array.of(h | 0x02, o[1]!) : Uint8Array.of(h | 0x02);
    this.emit(header);
    this.emit(leb128Bytes(body.length));
    this.emit(body);
  }

  protected override complete(): boolean {
    return this.partial === null;
  }

  protected override isKeyframe(): boolean {
    // N marks the first packet of a coded video sequence (§4.4); a sequence header with the frame too.
    return this.newSequence || this.seqHeader;
  }
}

/** Opus, RFC 7587 §4.2: one Opus packet per RTP payload. */
export class OpusDepacketizer extends Depacketizer {
  constructor() {
    super(false);
  }

  protected resetFrame(): void {}

  protected startsFrame(): boolean {
    return true;
  }

  protected payload(p: Uint8Array): void {
    if (p.length === 0) throw new RangeError('empty Opus payload');
    this.emit(p);
  }
}

/** Codecs the packager and the exporter can put in fMP4 (HLS, RFC 8216bis §3.1.3; CMAF). */
export const MUXABLE = ['H264', 'H265', 'VP9', 'AV1', 'opus'] as const;

/** The depacketizer for an SDP codec name, or null when it cannot go in an MP4 (VP8). */
export function depacketizerFor(codec: string): Depacketizer | null {
  switch (codec.toUpperCase()) {
    case 'H264':
      return new H264Depacketizer();
    case 'H265':
    case 'HEVC':
      return new H265Depacketizer();
    case 'VP9':
      return new Vp9Depacketizer();
    case 'AV1':
      return new Av1Depacketizer();
    case 'OPUS':
      return new OpusDepacketizer();
    default:
      return null;
  }
}
