/** Media packets remembered per pipe: a second or more of a busy link. */
const SLOTS = 4096;

import type { Fragment } from './packet.js';
import type { MediaPacket } from '../media/MediaPacket.js';

/** A packet sent on a pipe, and the subscription whose copy it was. */
export interface SentPacket {
  subId: number;
  packet: MediaPacket;
  /** Which piece of the packet went out under this number, when it was split (docs/pipe.md, "Size"). */
  fragment?: Fragment | null;
}

/**
 * What a pipe's sending side sent under each of its media sequence numbers (docs/pipe.md): the
 * subscription, track and packet (by reference: the feed's own array), with the capture time and
 * keyframe flag, so a NACK naming a media sequence number finds the stream and RTP sequence
 * number to fetch from the stream's RtpHistory, and the retransmission carries the original's
 * Media fields (the receiving feed's time-shift buffer needs the capture time).
 */
export class SendLog {
  private readonly mseqs = new Int32Array(SLOTS).fill(-1);
  private readonly entries: Array<SentPacket | undefined> = new Array(SLOTS);

  note(mseq: number, p: SentPacket): void {
    const slot = mseq % SLOTS;
    this.mseqs[slot] = mseq;
    this.entries[slot] = p;
  }

  get(mseq: number): SentPacket | null {
    const slot = mseq % SLOTS;
    return this.mseqs[slot] === mseq ? this.entries[slot]! : null;
  }

  /** Forgets a subscription's packets (its copy is gone). */
  forget(subId: number): void {
    for (let i = 0; i < SLOTS; i++) {
      if (this.entries[i]?.subId === subId) {
        this.entries[i] = undefined;
        this.mseqs[i] = -1;
      }
    }
  }
}
