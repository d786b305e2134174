import { rtpSeq } from '../rtp.js';

/** Packets remembered per track: a second of 1,000 packets per second, with room. */
const SLOTS = 2048;

/**
 * What a pipe sender knows about the packets it sent of one subscription's track beyond the
 * bytes the feed's RtpHistory keeps: when each was captured and whether it began a keyframe,
 * so a retransmission carries the same Media fields as the original (the receiving feed's
 * time-shift buffer and positions need the capture time). It holds the packet by reference too,
 * for a node that runs without retransmission histories (--no-loss-repair).
 */
export class SendLog {
  private readonly seqs = new Int32Array(SLOTS).fill(-1);
  private readonly capture = new Float64Array(SLOTS);
  private readonly keyframes = new Uint8Array(SLOTS);
  private readonly packets: Array<Uint8Array | undefined> = new Array(SLOTS);

  note(rtp: Uint8Array, captureMs: number, keyframe: boolean): void {
    const seq = rtpSeq(rtp);
    const slot = seq % SLOTS;
    this.seqs[slot] = seq;
    this.capture[slot] = captureMs;
    this.keyframes[slot] = keyframe ? 1 : 0;
    this.packets[slot] = rtp;
  }

  get(seq: number): { rtp: Uint8Array; captureMs: number; keyframe: boolean } | null {
    const slot = seq % SLOTS;
    if (this.seqs[slot] !== seq) return null;
    return { rtp: this.packets[slot]!, captureMs: this.capture[slot]!, keyframe: this.keyframes[slot] === 1 };
  }
}
