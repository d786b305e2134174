// The plaintext inside a pipe's SRTP packets (docs/pipe.md). The outer RTP header belongs to
// the pipe (one SSRC per direction, its own sequence numbers); what it carries starts with a
// type octet. Media keeps the original RTP packet whole, so the receiving node sees exactly
// what the sending node's feed holds (the same bytes a WebSocket Media frame would carry).

import type { MediaPacket } from '../media/MediaPacket.js';

/**
 * The UDP payload of any pipe datagram to a peer that reassembles: 1,280 octets (IPv6's minimum
 * MTU, RFC 8200 §5) less 40 of IPv6 and 8 of UDP. Every link MTU carries it whole, so the IP
 * layer never fragments a pipe datagram (fragmentation is fragile: RFC 8900).
 */
export const MAX_PIPE_DATAGRAM = 1232;
/** What SRTP adds around a plaintext: the RTP header and AEAD_AES_128_GCM's tag (RFC 7714 §5.2). */
const SRTP_OVERHEAD = 12 + 16;
const MEDIA_HEADER = 17; // type, flags, sub id (4), track, capture ms (8), link media seq (2)
const FRAGMENT_HEADER = MEDIA_HEADER + 2; // ... fragment index, fragment count
/** Largest original RTP packet sent whole in one datagram to a peer that reassembles (1,187). */
export const MAX_WHOLE_RTP = MAX_PIPE_DATAGRAM - SRTP_OVERHEAD - MEDIA_HEADER;
/** Largest piece of an RTP packet one fragment datagram carries (1,185). */
export const MAX_FRAGMENT_BYTES = MAX_PIPE_DATAGRAM - SRTP_OVERHEAD - FRAGMENT_HEADER;
/**
 * Datagrams one RTP packet is split across at most. A WebRTC publisher's packets fit a
 * 1,500-octet MTU (at most 1,472 octets of RTP over IPv4), which takes two; four leave room for
 * jumbo frames on a LAN while bounding what a receiver holds per packet.
 */
export const MAX_FRAGMENTS = 4;
/** Largest original RTP packet the pipe carries (4,740); larger ones go as WebSocket Media frames. */
export const MAX_FRAGMENTED_RTP = MAX_FRAGMENTS * MAX_FRAGMENT_BYTES;
/**
 * Largest RTP packet a peer that does not reassemble (an older node: PipeOffer.fragments unset)
 * takes in one datagram, and the largest whole one a receiver accepts. Its datagrams are 1,245
 * octets of UDP payload: over IPv6's minimum MTU, within any Ethernet path.
 */
export const MAX_PIPE_PAYLOAD = 1200;
/** Sequence numbers one NACK names at most. */
export const MAX_NACK_SEQS = 256;

/** Outer RTP payload types: media, and the pipe's own control (probes, NACKs). Both are
 *  dynamic (RFC 3551 §6) and outside 64-95, which RTP/RTCP multiplexing reserves (RFC 5761 §4). */
export const PT_MEDIA = 96;
export const PT_CONTROL = 97;

export const PipeType = { Media: 1, Probe: 2, Nack: 3 } as const;
export type PipeType = (typeof PipeType)[keyof typeof PipeType];

const FLAG_KEYFRAME = 1;
const FLAG_RETRANSMISSION = 2;
/** The datagram carries one piece of an RTP packet: index and count follow the media header. */
const FLAG_FRAGMENT = 4;

/** Which piece of an RTP packet a datagram carries. */
export interface Fragment {
  index: number;
  count: number;
}

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
  /** The original RTP packet, or, when `fragment` is set, that piece of it. */
  rtp: Buffer;
  /** Set when the packet was split: this is piece `index` of `count`, numbered mseq - index onwards. */
  fragment: Fragment | null;
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

/**
 * A media message for packet p of subscription subId; rtp (a retransmission's: from the history)
 * defaults to p's. With `fragment`, that piece of it (fragmentSlice(rtp.length, ...)): each piece
 * is a datagram of its own under its own media sequence number, so loss detection, NACKs and
 * SRTP replay protection treat it like any packet.
 */
export function encodeMedia(
  mseq: number,
  subId: number,
  p: MediaPacket,
  retransmission: boolean,
  rtp: Uint8Array = p.rtp,
  fragment: Fragment | null = null,
): Buffer {
  const { track, captureMs, keyframe } = p;
  const [from, to] = fragment ? fragmentSlice(rtp.length, fragment.index, fragment.count) : [0, rtp.length];
  const header = fragment ? FRAGMENT_HEADER : MEDIA_HEADER;
  const b = Buffer.allocUnsafe(header + to - from);
  b[0] = PipeType.Media;
  b[1] = (keyframe ? FLAG_KEYFRAME : 0) | (retransmission ? FLAG_RETRANSMISSION : 0) | (fragment ? FLAG_FRAGMENT : 0);
  b.writeUInt32BE(subId >>> 0, 2);
  b[6] = track & 0xff;
  b.writeDoubleBE(captureMs, 7);
  b.writeUInt16BE(mseq & 0xffff, 15);
  if (fragment) {
    b[17] = fragment.index;
    b[18] = fragment.count;
  }
  b.set(rtp.subarray(from, to), header);
  return b;
}

/** Pieces a packet of `length` octets is split into (1: it goes whole). */
export function fragmentCount(length: number): number {
  return length <= MAX_WHOLE_RTP ? 1 : Math.ceil(length / MAX_FRAGMENT_BYTES);
}

/** The octets [from, to) of a packet of `length` that piece `index` of `count` carries: even pieces, the last one shorter. */
export function fragmentSlice(length: number, index: number, count: number): [number, number] {
  const size = Math.ceil(length / count);
  return [Math.min(length, index * size), Math.min(length, (index + 1) * size)];
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
    case PipeType.Media: {
      if (b.length < MEDIA_HEADER) return null;
      let fragment: Fragment | null = null;
      if ((b[1]! & FLAG_FRAGMENT) !== 0) {
        if (b.length <= FRAGMENT_HEADER || b.length > FRAGMENT_HEADER + MAX_FRAGMENT_BYTES) return null;
        fragment = { index: b[17]!, count: b[18]! };
        if (fragment.count < 2 || fragment.count > MAX_FRAGMENTS || fragment.index >= fragment.count) return null;
      } else if (b.length < MEDIA_HEADER + 12 || b.length > MEDIA_HEADER + MAX_PIPE_PAYLOAD) return null;
      return {
        type: PipeType.Media,
        keyframe: (b[1]! & FLAG_KEYFRAME) !== 0,
        retransmission: (b[1]! & FLAG_RETRANSMISSION) !== 0,
        subId: b.readUInt32BE(2),
        track: b[6]!,
        captureMs: b.readDoubleBE(7),
        mseq: b.readUInt16BE(15),
        rtp: b.subarray(fragment ? FRAGMENT_HEADER : MEDIA_HEADER),
        fragment,
      };
    }
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
