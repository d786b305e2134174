import type { NodeCounters } from '../metrics.js';
import { temporalInfo, type TemporalInfo } from '../media/temporalLayer.js';
import type { TemporalControl } from '../media/TemporalCap.js';
import { parseRtpHeader } from '../rtp.js';
import { SkipList } from '../skips.js';

/** Codecs whose temporal layers can be dropped (their temporal id is in each frame's payload: media/temporalLayer.ts). */
export function hasTemporalLayers(codec: string): boolean {
  const c = codec.toUpperCase();
  return c === 'VP8' || c === 'VP9' || c === 'AV1';
}

/**
 * What to do with one packet: send it, or leave it out (the sender closes the sequence gap with
 * RtpRewriter.skip, or, for a late packet, sends padding in its place).
 */
export type TemporalDecision = 'send' | 'drop';

/** Frames whose decision is remembered (by PictureID, AV1 by RTP timestamp), for the later packets of each. */
const DECISION_BITS = 8;
const DECISIONS = 1 << DECISION_BITS;
const MAX_TID = 7;

/**
 * One receiver's temporal layer filter (issue 20, docs/abr.md "Temporal layers"): in front of
 * its TrackSender's RtpRewriter, it leaves out the frames of the temporal layers above a cap, so
 * the bit rate falls at once while a switch down waits for the lower layer's keyframe.
 *
 * Decodability:
 * * A decision is made per frame (PictureID), at its first packet seen, and holds for all of
 *   its packets: a frame is never cut in half.
 * * Dropping: a frame of temporal layer k is never a reference for frames of layers below k
 *   (RFC 7741 §4.2 for VP8 TID, RFC 9628 §4.2 for VP9 TID), so from any frame boundary on, the
 *   frames above the cap can be left out and the rest still decodes: every frame boundary is a
 *   valid point to stop a layer.
 * * Restoring layer k (the cap raised, or gone): only at a frame of layer k that is a switching
 *   point, VP8's Y ("layer sync": depends only on TL0, RFC 7741 §4.2) or VP9's U ("switching up
 *   point", RFC 9628 §4.2), with layer k-1 already sent; or at a key frame, which restores every
 *   layer under the cap. Until then the later frames of layer k may reference the frames left
 *   out and are left out too.
 * * VP8: the receiver finds a frame's references by PictureID and TL0PICIDX (libwebrtc's
 *   RtpVp8RefFinder waits for every PictureID between a frame and its references), so the
 *   PictureIDs of dropped frames are taken out of the numbering (SkipList, as mediasoup's VP8
 *   handler renumbers them) and PictureID and TL0PICIDX continue across a change of source
 *   (a layer switch). TL0 frames are never dropped, so TL0PICIDX needs no renumbering.
 * * VP9: PictureIDs are left as they are: in flexible mode a frame names its references by
 *   PictureID difference (P_DIFF), and in non-flexible mode the receiver places a PictureID in
 *   the scalability structure's group of pictures; both read a gap as the frames not sent.
 * * Sequence numbers: the sender's RtpRewriter.skip closes the gap a dropped packet leaves, so
 *   the receiver never NACKs it.
 * * AV1 (the temporal id from the OBU extension header, readAv1Temporal): no PictureID, so a
 *   frame is its RTP timestamp (a packet holds one temporal unit, AV1 RTP payload format §5),
 *   decided at its first packet seen; a packet that only continues an OBU carries no id and
 *   follows its frame's decision, or, first seen of its frame (the frame's first packet lost or
 *   late), is sent. Nothing but the sequence numbers needs to stay continuous. The viewer gets no
 *   Dependency Descriptor (not negotiated with publishers; the rewrite strips header
 *   extensions), and without it libwebrtc's receiver (RtpSeqNumOnlyRefFinder) takes each AV1
 *   frame to depend on the frame before it by sequence number: with the gaps closed the frames
 *   sent form that unbroken chain, and the decoder follows the bitstream's own references
 *   (ref_frame_idx, AV1 §5.9.2), which for frames of layer k and below never name a frame of a
 *   higher layer (a decoder of an operating point drops the OBUs of the layers outside it, the
 *   drop_obu() rule of AV1 §5.3.1, and decodes the rest). What the
 *   bitstream lacks is a switching point (the Dependency Descriptor's decode target
 *   indications carry those): a layer left out comes back only at a key frame (N, AV1 RTP
 *   §4.4), and waitsForKeyframe() tells LayerSwitch to ask for one when the cap is lifted.
 */
export class TemporalFilter implements TemporalControl {
  private readonly vp8: boolean;
  private readonly av1: boolean;
  /** The highest temporal layer to send (null: all). */
  private cap: number | null = null;
  /** Whether each temporal layer is sent now: layer k only with k-1 (layer 0 always). */
  private readonly on: boolean[] = new Array<boolean>(MAX_TID + 1).fill(true);
  private inSsrc = -1;
  /** PictureIDs of this source seen and dropped (VP8: renumbered without the dropped ones). */
  private pids = new SkipList(15);
  private pidOffset = 0;
  private lastPidOut = -1;
  private tl0Offset = 0;
  private lastTl0Out = -1;
  /** Decisions by PictureID & 255: the PictureID + 1 (0: none) and whether it is sent. */
  private readonly decidedPid = new Int32Array(DECISIONS);
  private readonly decidedKeep = new Uint8Array(DECISIONS);
  /** AV1: decisions by RTP timestamp (hashed slot): the timestamp, the frame's TID (-1: unknown) and 0 none / 1 drop / 2 send. */
  private readonly decidedTs = new Uint32Array(DECISIONS);
  private readonly decidedTsTid = new Int8Array(DECISIONS);
  private readonly decidedTsState = new Uint8Array(DECISIONS);
  private newestTs = -1;
  /** The last packet decided 'send', for fix(). */
  private last: TemporalInfo | null = null;
  /** Bytes offered per temporal layer since the last measure(), and their bit rates. */
  private readonly bytes: number[] = new Array<number>(MAX_TID + 1).fill(0);
  private bps: number[] = [];
  private highestTid = -1;
  private measuredAt: number;
  /** Frames left out, and times the cap went down (metrics). */
  framesDropped = 0;
  capsLowered = 0;

  constructor(
    readonly codec: string,
    private readonly counters: NodeCounters | null = null,
    nowMs = Date.now(),
  ) {
    this.vp8 = codec.toUpperCase() === 'VP8';
    this.av1 = codec.toUpperCase() === 'AV1';
    this.measuredAt = nowMs;
  }

  /** The cap: the highest temporal layer to send (null: all). Takes effect at the next frame. */
  setCap(maxTid: number | null): void {
    const cap = maxTid === null ? null : Math.max(0, Math.min(MAX_TID, Math.floor(maxTid)));
    if (cap === this.cap) return;
    if (cap !== null && (this.cap === null || cap < this.cap)) {
      this.capsLowered++;
      this.counters?.temporalLayerDrops.inc({ keep: `tl${cap}` });
    }
    this.cap = cap;
  }

  get maxLayer(): number | null {
    return this.cap;
  }

  /** The highest temporal layer being sent now (-1: the stream signals none). */
  get sending(): number {
    if (this.highestTid < 0) return -1;
    let k = 0;
    while (k < this.highestTid && this.on[k + 1]) k++;
    return k;
  }

  /** Bit rate of each temporal layer of the source being sent (index = TID), over the last measure(); empty without layers. */
  layerRates(): readonly number[] {
    return this.bps;
  }

  /** About once a second: each temporal layer's bit rate. */
  measure(nowMs: number): void {
    const dt = (nowMs - this.measuredAt) / 1000;
    if (dt <= 0) return;
    this.measuredAt = nowMs;
    const n = this.highestTid + 1;
    this.bps = n > 0 ? this.bytes.slice(0, n).map((b) => (b * 8) / dt) : [];
    this.bytes.fill(0);
  }

  /**
   * A temporal layer under the cap is left out and only a key frame brings it back: AV1, whose
   * bitstream signals no switching point. LayerSwitch then asks for a key frame of the layer
   * sent (through the keyframe limiter).
   */
  waitsForKeyframe(): boolean {
    if (!this.av1 || this.highestTid < 1) return false;
    const top = Math.min(this.cap ?? MAX_TID, this.highestTid);
    for (let k = 1; k <= top; k++) if (!this.on[k]) return true;
    return false;
  }

  describe(): Record<string, unknown> {
    return { cap: this.cap, sending: this.sending, layers: this.highestTid + 1, framesDropped: this.framesDropped };
  }

  /**
   * Decides for one upstream packet (before the rewrite). 'send': rewrite it and pass the result
   * to fix(); 'drop': leave it out (RtpRewriter.skip). A packet without temporal information
   * (another codec, no TID signalled, a truncated descriptor) is always sent.
   */
  decide(rtp: Uint8Array): TemporalDecision {
    this.last = null;
    if (this.av1) return this.decideAv1(rtp);
    const info = this.parse(rtp);
    if (!info) return 'send';
    const ssrc = ((rtp[8]! << 24) | (rtp[9]! << 16) | (rtp[10]! << 8) | rtp[11]!) >>> 0;
    if (ssrc !== this.inSsrc) this.newSource(ssrc, info);
    if (info.tid >= 0) {
      if (info.tid > this.highestTid) this.highestTid = info.tid;
      this.bytes[info.tid]! += rtp.length;
    }
    let keep = true;
    if (info.pictureId >= 0) {
      const pid = info.pictureId;
      const slot = pid & (DECISIONS - 1);
      // A frame newer than any seen is decided now (a 7-bit PictureID comes round again within
      // the remembered decisions: those are of an older frame); a later packet of a frame
      // follows its decision; a frame first seen late (older than the newest) already has its
      // numbers reserved between sent ones: it is sent.
      if (this.pids.newest < 0 || this.pids.delta(pid, this.pids.newest) > 0) {
        keep = info.tid < 0 || this.admitFrame(info);
        if (keep) this.pids.see(pid);
        else {
          this.pids.skip(pid);
          if (this.vp8) this.pidOffset = (this.pidOffset - 1) & this.pidMask;
          this.framesDropped++;
        }
        this.decidedPid[slot] = pid + 1;
        this.decidedKeep[slot] = keep ? 1 : 0;
      } else if (this.decidedPid[slot] === pid + 1) keep = this.decidedKeep[slot] === 1;
      else {
        this.decidedPid[slot] = pid + 1;
        this.decidedKeep[slot] = 1;
      }
    }
    // Without a PictureID nothing tells this packet's frame from the next: it is sent (drops
    // need I=1, which libwebrtc always sets with temporal layers).
    if (!keep) {
      this.counters?.packetsDropped.inc({ reason: 'temporal_layer' });
      return 'drop';
    }
    this.last = info;
    return 'send';
  }

  /**
   * Writes the renumbered VP8 PictureID and TL0PICIDX into the rewritten packet of the last
   * packet decided 'send' (its payload starts after our header and CSRCs: the rewrite strips
   * header extensions).
   */
  fix(out: Uint8Array): void {
    const info = this.last;
    this.last = null;
    if (!info || !this.vp8 || out.length < 12) return;
    const base = 12 + (out[0]! & 0x0f) * 4;
    if (info.pictureIdAt >= 0) {
      const v = this.outPid(info.pictureId);
      this.writePid(out, base + info.pictureIdAt, info, v);
      this.lastPidOut = v;
    }
    if (info.tl0PicIdxAt >= 0 && base + info.tl0PicIdxAt < out.length) {
      const t = (info.tl0PicIdx + this.tl0Offset) & 0xff;
      out[base + info.tl0PicIdxAt] = t;
      this.lastTl0Out = t;
    }
  }

  /**
   * For a retransmission: rewrites the PictureID and TL0PICIDX of a rewritten copy as its first
   * sending did, changing no state. False when the packet belongs to a frame that was left out
   * (it is not resent).
   */
  fixAgain(out: Uint8Array, upstream?: Uint8Array): boolean {
    if (this.av1) {
      // AV1 frames are known by their upstream RTP timestamp (the copy's is rewritten).
      if (!upstream || upstream.length < 12) return true;
      return this.tsDecision(((upstream[4]! << 24) | (upstream[5]! << 16) | (upstream[6]! << 8) | upstream[7]!) >>> 0) !== 1;
    }
    if (out.length < 12) return true;
    const base = 12 + (out[0]! & 0x0f) * 4;
    let end = out.length;
    if (out[0]! & 0x20) end -= out[end - 1]!;
    if (end <= base) return true;
    const info = temporalInfo(this.codec, out.subarray(base, end));
    if (!info || info.pictureId < 0) return true;
    const slot = info.pictureId & (DECISIONS - 1);
    if (this.decidedPid[slot] === info.pictureId + 1 && this.decidedKeep[slot] === 0) return false;
    if (!this.vp8) return true;
    if (info.pictureIdAt >= 0) this.writePid(out, base + info.pictureIdAt, info, this.outPid(info.pictureId));
    if (info.tl0PicIdxAt >= 0 && base + info.tl0PicIdxAt < out.length) out[base + info.tl0PicIdxAt] = (info.tl0PicIdx + this.tl0Offset) & 0xff;
    return true;
  }

  private get pidMask(): number {
    return this.pids.bits === 7 ? 0x7f : 0x7fff;
  }

  private outPid(pid: number): number {
    const s = this.pids;
    return (pid + this.pidOffset + (s.size > 0 ? s.newerThan(pid) : 0)) & this.pidMask;
  }

  private writePid(out: Uint8Array, at: number, info: TemporalInfo, v: number): void {
    if (info.pictureIdBits === 15) {
      if (at + 1 >= out.length) return;
      out[at] = 0x80 | (v >> 8);
      out[at + 1] = v & 0xff;
    } else if (at < out.length) out[at] = v & 0x7f;
  }

  /** A frame at the front of the stream: sent or not, by the cap and the layers' switching points. */
  private admitFrame(info: TemporalInfo): boolean {
    const cap = this.cap ?? MAX_TID;
    if (info.keyframe) {
      // A key frame: nothing after it references a frame before it; every layer can follow.
      this.on.fill(true);
      return true;
    }
    // A lowered cap takes effect here, at a frame boundary.
    for (let k = cap + 1; k <= MAX_TID; k++) this.on[k] = false;
    const t = info.tid;
    if (t === 0) return true;
    if (t > cap) return false;
    if (this.on[t]) return true;
    if (info.sync && this.on[t - 1]) {
      this.on[t] = true;
      return true;
    }
    return false;
  }

  /**
   * A new source (a layer switch, a republish): PictureID and TL0PICIDX continue one past the
   * last sent (as mediasoup's VP8 handler syncs them when its source changes), and every layer
   * starts over.
   */
  private newSource(ssrc: number, info: TemporalInfo): void {
    this.inSsrc = ssrc;
    const bits = info.pictureIdBits === 7 ? 7 : 15;
    this.pids = new SkipList(bits);
    this.decidedPid.fill(0);
    this.resetLayers();
    const mask = this.pidMask;
    this.pidOffset = this.lastPidOut >= 0 && info.pictureId >= 0 ? (this.lastPidOut + 1 - info.pictureId) & mask : 0;
    // A TL0 frame starts a new TL0PICIDX; a frame of a higher layer belongs to the last one.
    this.tl0Offset = this.lastTl0Out >= 0 && info.tl0PicIdx >= 0 ? (this.lastTl0Out + (info.tid > 0 ? 0 : 1) - info.tl0PicIdx) & 0xff : 0;
  }

  /**
   * AV1: one decision per frame (RTP timestamp), at its first packet seen, as decide() does by
   * PictureID for VP8 and VP9; the frame's TID for the byte count comes from the packet that
   * carries it.
   */
  private decideAv1(rtp: Uint8Array): TemporalDecision {
    if (rtp.length < 12) return 'send';
    const ssrc = ((rtp[8]! << 24) | (rtp[9]! << 16) | (rtp[10]! << 8) | rtp[11]!) >>> 0;
    const ts = ((rtp[4]! << 24) | (rtp[5]! << 16) | (rtp[6]! << 8) | rtp[7]!) >>> 0;
    const info = this.parse(rtp);
    if (ssrc !== this.inSsrc) {
      this.inSsrc = ssrc;
      this.resetLayers();
      this.decidedTsState.fill(0);
      this.newestTs = -1;
    }
    const slot = tsSlot(ts);
    let state = this.decidedTs[slot] === ts ? this.decidedTsState[slot]! : 0;
    let tid = info ? info.tid : -1;
    if (state === 0) {
      let keep = true;
      // A frame newer than any seen is decided now; a frame first seen late already has its
      // sequence numbers reserved between sent ones: it is sent, as is a frame whose first
      // packet seen tells no TID (a continuation, a malformed payload).
      if (this.newestTs < 0 || ((ts - this.newestTs) | 0) > 0) {
        this.newestTs = ts;
        if (info && tid >= 0) keep = this.admitFrame(info);
        if (!keep) this.framesDropped++;
      }
      state = keep ? 2 : 1;
      this.decidedTs[slot] = ts;
      this.decidedTsState[slot] = state;
      this.decidedTsTid[slot] = tid;
    } else if (tid >= 0 && this.decidedTsTid[slot]! < 0) this.decidedTsTid[slot] = tid;
    else tid = this.decidedTsTid[slot]!;
    if (tid >= 0) {
      if (tid > this.highestTid) this.highestTid = tid;
      this.bytes[tid]! += rtp.length;
    }
    if (state === 1) {
      this.counters?.packetsDropped.inc({ reason: 'temporal_layer' });
      return 'drop';
    }
    return 'send';
  }

  /** AV1: the decision on the frame of this RTP timestamp: 0 none remembered, 1 dropped, 2 sent. */
  private tsDecision(ts: number): number {
    const slot = tsSlot(ts);
    return this.decidedTs[slot] === ts ? this.decidedTsState[slot]! : 0;
  }

  private resetLayers(): void {
    this.on.fill(true);
    this.bytes.fill(0);
    this.bps = [];
    this.highestTid = -1;
  }

  private parse(rtp: Uint8Array): TemporalInfo | null {
    const h = parseRtpHeader(rtp);
    if (!h) return null;
    let end = rtp.length;
    if (rtp[0]! & 0x20) end -= rtp[end - 1]!;
    if (end <= h.payloadOffset) return null;
    return temporalInfo(this.codec, rtp.subarray(h.payloadOffset, end));
  }
}

/** A slot for an RTP timestamp (Fibonacci hashing: frame timestamps step by the same interval, so their low bits repeat). */
function tsSlot(ts: number): number {
  return Math.imul(ts, 0x9e3779b1) >>> (32 - DECISION_BITS);
}
