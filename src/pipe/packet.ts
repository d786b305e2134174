// The plaintext inside a pipe's SRTP packets (docs/pipe.md). The outer RTP header belongs to
// the pipe (one SSRC per direction, its own sequence numbers); what it carries starts with a
// type octet. Media keeps the original RTP packet whole, so the receiving node sees exactly
// what the sending node's feed holds (the same bytes a WebSocket Media frame would carry).

import type { MediaPacket } from '../media/MediaPacket.js';

/** Largest original RTP packet sent on the pipe; larger ones go as WebSocket Media frames. With
 *  the pipe's 45 octets and IPv6/UDP's 48, a datagram stays under IPv6's 1280-octet minimum MTU
 *  (RFC 8200 §5), so it is never fragmented. */
export const MAX_PIPE_PAYLOAD = 1200;
/** Sequence numbers one NACK names at most. */
export const MAX_NACK_SEQS = 256;

/** Outer RTP payload types: media, and the pipe's own control (probes, NACKs). Both are
 *  dynamic (RFC 3551 §6) and outside 64-95, which RTP/RTCP multiplexing reserves (RFC 5761 §4). */
export const PT_MEDIA = 96;
export const PT_CONTROL = 97;

export const PipeType = { Media: 1, Probe: 2, Nack: 3 } as const;
export type PipeType = (typeof PipeType)[keyof typeof PipeType];

const MEDIA_HEADER = 17; // type, flags, sub id (4), track, capture ms (8), link media seq (2)
const FLAG_KEYFRAME = 1;
const FLAG_RETRANSMISSION = 2;

export interface PipeMedia {
  type: typeof PipeType.Media;
  /** The pipe's media sequence number (one counter per direction over every subscription and
   *  track; a retransmission carries the original's, as RTX carries the OSN, RFC 4588 §4). */
  mseq: number;
  subId: number;
  track: number;
  captureMs: number;
  keyframe: boolean;
  retransmission: boolean;
  rtp: Buffer;
}

export interface PipeProbe {
  type: typeof PipeType.Probe;
  /** The sender has authenticated a packet from us: the path works both ways. */
  seen: boolean;
  sentMs: number;
  /** The last media sequence number sent (null before any): a lost last packet shows. */
  lastMseq: number | null;
}

/** Media sequence numbers the receiver asks for again. */
export interface PipeNack {
  type: typeof PipeType.Nack;
  mseqs: number[];
}

export type PipeMessage = PipeMedia | PipeProbe | PipeNack;

/** A media message for packet p of subscription subId; rtp (a retransmission's: from the history) defaults to p's. */
export function encodeMedia(mseq: number, subId: number, p: MediaPacket, retransmission: boolean, rtp: Uint8Array = p.rtp): Buffer {
  const { track, captureMs, keyframe } = p;
  const b = Buffer.allocUnsafe(MEDIA_HEADER + rtp.length);
  b[0] = PipeType.Media;
  b[1] = (keyframe ? FLAG_KEYFRAME : 0) | (retransmission ? FLAG_RETRANSMISSION : 0);
  b.writeUInt32BE(subId >>> 0, 2);
  b[6] = track & 0xff;
  b.writeDoubleBE(captureMs, 7);
  b.writeUInt16BE(mseq & 0xffff, 15);
  b.set(rtp, MEDIA_HEADER);
  return b;
}

export function encodeProbe(seen: boolean, sentMs: number, lastMseq: number | null): Buffer {
  const b = Buffer.allocUnsafe(13);
  b[0] = PipeType.Probe;
  b[1] = (seen ? 1 : 0) | (lastMseq !== null ? 2 : 0);
  b.writeDoubleBE(sentMs, 2);
  b.writeUInt16BE((lastMseq ?? 0) & 0xffff, 10);
  b[12] = 0;
  return b;
}

export function encodeNack(mseqs: readonly number[]): Buffer {
  const n = Math.min(mseqs.length, MAX_NACK_SEQS);
  const b = Buffer.allocUnsafe(3 + 2 * n);
  b[0] = PipeType.Nack;
  b.writeUInt16BE(n, 1);
  for (let i = 0; i < n; i++) b.writeUInt16BE(mseqs[i]! & 0xffff, 3 + 2 * i);
  return b;
}

/** Decodes an authenticated plaintext; null when it is malformed (the peer has a bug: drop it). */
export function decodePipe(b: Buffer): PipeMessage | null {
  switch (b[0]) {
    case PipeType.Media:
      if (b.length < MEDIA_HEADER + 12 || b.length > MEDIA_HEADER + MAX_PIPE_PAYLOAD) return null;
      return {
        type: PipeType.Media,
        keyframe: (b[1]! & FLAG_KEYFRAME) !== 0,
        retransmission: (b[1]! & FLAG_RETRANSMISSION) !== 0,
        subId: b.readUInt32BE(2),
        track: b[6]!,
        captureMs: b.readDoubleBE(7),
        mseq: b.readUInt16BE(15),
        rtp: b.subarray(MEDIA_HEADER),
      };
    case PipeType.Probe:
      if (b.length !== 13) return null;
      return { type: PipeType.Probe, seen: (b[1]! & 1) !== 0, sentMs: b.readDoubleBE(2), lastMseq: (b[1]! & 2) !== 0 ? b.readUInt16BE(10) : null };
    case PipeType.Nack: {
      if (b.length < 3) return null;
      const n = b.readUInt16BE(1);
      if (n > MAX_NACK_SEQS || b.length !== 3 + 2 * n) return null;
      const mseqs: number[] = [];
      for (let i = 0; i < n; i++) mseqs.push(b.readUInt16BE(3 + 2 * i));
      return { type: PipeType.Nack, mseqs };
    }
    default:
      return null;
  }
}
