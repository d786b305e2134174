/** Media packets remembered per pipe: a second or more of a busy link. */
const SLOTS = 4096;

import { rtpSeq } from '../rtp.js';
import type { Fragment } from './packet.js';
import { mediaPacket, type MediaPacket } from '../media/MediaPacket.js';

const EMPTY = new Uint8Array(0);

/** A packet sent on a pipe, and the subscription whose copy it was. */
export interface SentPacket {
  subId: number;
  /** The packet's fields; its `rtp` is empty unless the log kept the bytes (`keepBytes`). */
  packet: MediaPacket;
  /** The RTP sequence number and length of the whole packet (what the stream's history is asked for). */
  seq: number;
  length: number;
  /** Which piece of the packet went out under this number, when it was split (docs/pipe.md, "Size"). */
  fragment?: Fragment | null;
}

/**
 * What a pipe's sending side sent under each of its media sequence numbers (docs/pipe.md): the
 * subscription, track and RTP sequence number, with the capture time and keyframe flag, so a
 * NACK naming a media sequence number finds the stream and RTP sequence number to fetch from
 * the stream's RtpHistory, and the retransmission carries the original's Media fields (the
 * receiving feed's time-shift buffer needs the capture time).
 *
 * The fields sit in typed arrays, not a record per packet, and the bytes are not kept where a
 * history holds them: referenced for the log's 2 s or more, the feed's arrays outlived V8's young
 * generation and came back only at a major GC (the RtpHistory comment, docs/scale.md). Only
 * without a history (--no-loss-repair) does the log keep the packet's own bytes.
 */
export class SendLog {
  private readonly mseqs = new Int32Array(SLOTS).fill(-1);
  private readonly subIds = new Float64Array(SLOTS);
  private readonly tracks = new Uint8Array(SLOTS);
  private readonly seqs = new Uint16Array(SLOTS);
  private readonly lengths = new Int32Array(SLOTS);
  private readonly captures = new Float64Array(SLOTS);
  /** Bit 0 keyframe; bit 1 a fragment (index and count below). */
  private readonly flags = new Uint8Array(SLOTS);
  private readonly fragIndex = new Uint8Array(SLOTS);
  private readonly fragCount = new Uint8Array(SLOTS);
  private readonly bytes: Array<Uint8Array | undefined> = new Array(SLOTS);

  note(mseq: number, subId: number, p: MediaPacket, fragment: Fragment | null, keepBytes: boolean): void {
    const slot = mseq % SLOTS;
    this.mseqs[slot] = mseq;
    this.subIds[slot] = subId;
    this.tracks[slot] = p.track;
    this.seqs[slot] = p.rtp.length >= 12 ? rtpSeq(p.rtp) : 0;
    this.lengths[slot] = p.rtp.length;
    this.captures[slot] = p.captureMs;
    this.flags[slot] = (p.keyframe ? 1 : 0) | (fragment ? 2 : 0);
    this.fragIndex[slot] = fragment?.index ?? 0;
    this.fragCount[slot] = fragment?.count ?? 0;
    this.bytes[slot] = keepBytes ? p.rtp : undefined;
  }

  get(mseq: number): SentPacket | null {
    const slot = mseq % SLOTS;
    if (this.mseqs[slot] !== mseq) return null;
    const flags = this.flags[slot]!;
    return {
      subId: this.subIds[slot]!,
      packet: mediaPacket(this.tracks[slot]!, this.bytes[slot] ?? EMPTY, this.captures[slot]!, (flags & 1) !== 0),
      seq: this.seqs[slot]!,
      length: this.lengths[slot]!,
      fragment: flags & 2 ? { index: this.fragIndex[slot]!, count: this.fragCount[slot]! } : null,
    };
  }

  /** Forgets a subscription's packets (its copy is gone). */
  forget(subId: number): void {
    for (let i = 0; i < SLOTS; i++) {
      if (this.mseqs[i] !== -1 && this.subIds[i] === subId) {
        this.bytes[i] = undefined;
        this.mseqs[i] = -1;
      }
    }
  }
}
