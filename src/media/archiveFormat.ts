// On-disk format of the origin's archive. All integers big-endian.
//
// Segment file <stream dir>/<first capture ms, 13 digits>[-n].seg:
//   0     8  magic "CNPYSEG1"
//   8     2  u16 version (1)
//   10    4  u32 N, length of the JSON
//   14    N  JSON {"stream": name, "info": StreamInfo}
//   14+N  4  u32 CRC-32 of bytes [0, 14+N)
//   then records, back to back:
//   0     4  u32 L = 11 + R
//   4     2  u16 track id
//   6     1  u8 flags, bit 0: keyframe
//   7     8  f64 captureMs
//   15    R  RTP packet
//   15+R  4  u32 CRC-32 of bytes [0, 15+R) of the record
//
// Sidecar index <segment>.idx, written when a segment is sealed; only trusted when its CRC
// holds and it describes a file of exactly the segment's size:
//   0     8  magic "CNPYIDX1"
//   8     2  u16 version (1)
//   10    8  f64 end: segment length covered
//   18    4  u32 data start (offset of the first record)
//   22    4  u32 record count
//   26    8  f64 first record's captureMs
//   34    8  f64 last record's captureMs
//   42    4  u32 K, seek points
//   46  16K  K x (f64 captureMs, f64 record offset)
//   46+16K 4 u32 CRC-32 of everything before
import zlib from 'node:zlib';
import type { StreamInfo } from './types.js';
import type { MediaPacket } from './MediaPacket.js';

export const SEGMENT_MAGIC = 'CNPYSEG1';
export const INDEX_MAGIC = 'CNPYIDX1';
export const FORMAT_VERSION = 1;
export const MIN_RTP = 12;
export const MAX_RTP = 0xffff;
/** Record bytes besides the RTP packet. */
export const RECORD_OVERHEAD = 19;
export const MAX_RECORD = RECORD_OVERHEAD + MAX_RTP;
const MAX_HEADER_JSON = 1 << 20;

let table: Int32Array | null = null;

/** Table-driven CRC-32 (IEEE), as zlib's; for Node releases before zlib.crc32 (20.15). */
export function softCrc32(data: Uint8Array, value = 0): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = ~value;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

export const crc32: (data: Uint8Array, value?: number) => number = typeof zlib.crc32 === 'function' ? zlib.crc32 : softCrc32;

/**
 * A directory name for a stream: [A-Za-z0-9._~-] kept, anything else (and a leading dot, so
 * never "." or "..") as %XX of its UTF-8 bytes. decodeURIComponent reverses it.
 */
export function streamDirName(stream: string): string {
  let out = '';
  for (const byte of Buffer.from(stream, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_~-]/.test(c) || (c === '.' && out !== '') ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function segmentFileName(startMs: number, n: number): string {
  const base = String(Math.max(0, Math.floor(startMs))).padStart(13, '0');
  return n === 0 ? `${base}.seg` : `${base}-${n}.seg`;
}

/** The start time a segment's file name claims, for files whose header is unreadable. */
export function segmentNameMs(name: string): number | null {
  const m = /^(\d+)(?:-\d+)?\.seg$/.exec(name);
  return m ? Number(m[1]) : null;
}

export function encodeSegmentHeader(stream: string, info: StreamInfo): Buffer {
  const json = Buffer.from(JSON.stringify({ stream, info }), 'utf8');
  const out = Buffer.allocUnsafe(14 + json.length + 4);
  out.write(SEGMENT_MAGIC, 0, 'latin1');
  out.writeUInt16BE(FORMAT_VERSION, 8);
  out.writeUInt32BE(json.length, 10);
  json.copy(out, 14);
  out.writeUInt32BE(crc32(out.subarray(0, 14 + json.length)), 14 + json.length);
  return out;
}

export interface SegmentHeader {
  stream: string;
  info: StreamInfo;
  /** Header bytes: where the first record starts. */
  length: number;
}

/** Bytes needed to decode the header that starts buf, or 0 when buf cannot start one. */
export function segmentHeaderLength(buf: Uint8Array): number {
  if (buf.length < 14) return 14;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.toString('latin1', 0, 8) !== SEGMENT_MAGIC || b.readUInt16BE(8) !== FORMAT_VERSION) return 0;
  const n = b.readUInt32BE(10);
  return n > MAX_HEADER_JSON ? 0 : 14 + n + 4;
}

/** null when buf does not hold a whole, intact header. */
export function decodeSegmentHeader(buf: Uint8Array): SegmentHeader | null {
  const length = segmentHeaderLength(buf);
  if (length === 0 || buf.length < length) return null;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (crc32(b.subarray(0, length - 4)) !== b.readUInt32BE(length - 4)) return null;
  try {
    const h = JSON.parse(b.toString('utf8', 14, length - 4)) as { stream?: unknown; info?: unknown };
    const info = h.info as StreamInfo | undefined;
    if (typeof h.stream !== 'string' || typeof info !== 'object' || info === null || !Array.isArray(info.tracks)) return null;
    return { stream: h.stream, info, length };
  } catch {
    return null;
  }
}

export function encodeRecord({ track, keyframe, captureMs, rtp }: MediaPacket): Buffer {
  const out = Buffer.allocUnsafe(RECORD_OVERHEAD + rtp.length);
  out.writeUInt32BE(11 + rtp.length, 0);
  out.writeUInt16BE(track, 4);
  out[6] = keyframe ? 1 : 0;
  out.writeDoubleBE(captureMs, 7);
  out.set(rtp, 15);
  out.writeUInt32BE(crc32(out.subarray(0, 15 + rtp.length)), 15 + rtp.length);
  return out;
}

export interface RecordView {
  track: number;
  keyframe: boolean;
  captureMs: number;
  /** The RTP packet is buf[rtpStart, rtpEnd). */
  rtpStart: number;
  rtpEnd: number;
  /** Whole record, bytes. */
  length: number;
}

/** Bytes the record at off occupies per its length field, or 0 when that field is implausible. */
export function recordLength(buf: Buffer, off: number): number {
  const l = buf.readUInt32BE(off);
  return l < 11 + MIN_RTP || l > 11 + MAX_RTP ? 0 : l + 8;
}

/** The record at off; 'short' when buf ends inside it, null when it is not an intact record. */
export function decodeRecord(buf: Buffer, off: number): RecordView | 'short' | null {
  if (off + 4 > buf.length) return 'short';
  const length = recordLength(buf, off);
  if (length === 0) return null;
  if (off + length > buf.length) return 'short';
  const flags = buf[off + 6]!;
  const captureMs = buf.readDoubleBE(off + 7);
  if (flags > 1 || !Number.isFinite(captureMs) || captureMs < 0) return null;
  if (crc32(buf.subarray(off, off + length - 4)) !== buf.readUInt32BE(off + length - 4)) return null;
  return { track: buf.readUInt16BE(off + 4), keyframe: flags === 1, captureMs, rtpStart: off + 15, rtpEnd: off + length - 4, length };
}

/** The first offset in [from, to) where a whole, intact record starts, or -1. */
export function findRecord(buf: Buffer, from: number, to: number): number {
  for (let off = from; off < to && off + RECORD_OVERHEAD + MIN_RTP <= buf.length; off++) {
    const r = decodeRecord(buf, off);
    if (r !== null && r !== 'short') return off;
  }
  return -1;
}

export interface SegmentIndex {
  end: number;
  dataStart: number;
  records: number;
  startMs: number;
  endMs: number;
  seekMs: number[];
  seekOffsets: number[];
}

export function encodeIndex(idx: SegmentIndex): Buffer {
  const k = idx.seekMs.length;
  const out = Buffer.allocUnsafe(46 + 16 * k + 4);
  out.write(INDEX_MAGIC, 0, 'latin1');
  out.writeUInt16BE(FORMAT_VERSION, 8);
  out.writeDoubleBE(idx.end, 10);
  out.writeUInt32BE(idx.dataStart, 18);
  out.writeUInt32BE(idx.records, 22);
  out.writeDoubleBE(idx.startMs, 26);
  out.writeDoubleBE(idx.endMs, 34);
  out.writeUInt32BE(k, 42);
  for (let i = 0; i < k; i++) {
    out.writeDoubleBE(idx.seekMs[i]!, 46 + 16 * i);
    out.writeDoubleBE(idx.seekOffsets[i]!, 54 + 16 * i);
  }
  out.writeUInt32BE(crc32(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

export function decodeIndex(buf: Buffer): SegmentIndex | null {
  if (buf.length < 50 || buf.toString('latin1', 0, 8) !== INDEX_MAGIC || buf.readUInt16BE(8) !== FORMAT_VERSION) return null;
  const k = buf.readUInt32BE(42);
  if (buf.length !== 46 + 16 * k + 4 || crc32(buf.subarray(0, buf.length - 4)) !== buf.readUInt32BE(buf.length - 4)) return null;
  const seekMs: number[] = new Array(k);
  const seekOffsets: number[] = new Array(k);
  for (let i = 0; i < k; i++) {
    seekMs[i] = buf.readDoubleBE(46 + 16 * i);
    seekOffsets[i] = buf.readDoubleBE(54 + 16 * i);
  }
  return {
    end: buf.readDoubleBE(10),
    dataStart: buf.readUInt32BE(18),
    records: buf.readUInt32BE(22),
    startMs: buf.readDoubleBE(26),
    endMs: buf.readDoubleBE(34),
    seekMs,
    seekOffsets,
  };
}
