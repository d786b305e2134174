import type { NodeCounters } from '../metrics.js';
import type { RtpHistory } from '../media/RtpHistory.js';
import { buildSenderReport, srNtpMiddle } from '../rtcp.js';
import { RtpRewriter, wrapRtx } from '../rtp.js';
import { RetransmitBudget } from './RetransmitBudget.js';
import { hasTemporalLayers, TemporalFilter } from './TemporalFilter.js';

/** Where a sender's packets go: an engine track (or, later, any other transport). */
export interface PacketOut {
  /** Sends one RTP or RTCP packet; false when it could not be queued. */
  send(packet: Uint8Array): boolean;
  readonly open: boolean;
}

export interface TrackSenderOptions {
  /** Our SSRC and payload type towards this receiver, and the codec's clock rate. */
  ssrc: number;
  payloadType: number;
  clockRate: number;
  /** RFC 4588 RTX, when the receiver negotiated it: our RTX SSRC and payload type. */
  rtx?: { ssrc: number; payloadType: number } | null;
  /** The stream's retransmission history for this track at this node (null: no repair). */
  history: RtpHistory | null;
  /** Retransmitted bytes allowed per media byte sent (the per-viewer cap). */
  retransmitShare: number;
  counters: NodeCounters;
  /**
   * The track's codec, for a sender that may leave out temporal layers (a simulcast viewer's:
   * TemporalFilter, VP8, VP9 and AV1); absent: every packet is sent.
   */
  temporalCodec?: string;
}

/** A packet is not resent to the same receiver twice within this long (or one RTT, if longer). */
const RESEND_GUARD_MS = 10;
const RESEND_GUARD_MAX_MS = 250;
/** Recently resent packets remembered per receiver (a ring by sequence number). */
const GUARD_SLOTS = 512;
/** Our last sender reports, kept to turn report blocks' LSR into an RTT (RFC 3550 §6.4.1). */
const SR_MEMORY = 4;
/**
 * A probe packet copies one of the newest this many media packets sent (as the native data plane
 * does, native/src/probe.cc: libwebrtc's "payload padding"), cycling through them.
 */
const PROBE_COPIES = 8;
/** The fixed RTP header: rewriter.octets counts what follows it (RFC 3550 §6.4.1's octet count). */
const RTP_HEADER_BYTES = 12;

/**
 * The per-receiver packet path of one track (the data plane behind the engine seam): rewrites
 * each forwarded packet for this receiver and sends it, answers the receiver's NACKs from the
 * stream's shared history, and writes its sender reports.
 *
 * Forwarding costs one rewrite and one send per packet; everything about repair happens only
 * when a NACK comes.
 */
export class TrackSender {
  readonly rewriter: RtpRewriter;
  /** Bound once the engine track exists. */
  out: PacketOut | null = null;
  /** Round-trip time to the receiver from its report blocks, ms (-1 until measured). */
  rttMs = -1;
  private lastCaptureMs = 0;
  private rtxSeq = (Math.random() * 0x10000) >>> 0;
  private budget: RetransmitBudget | null = null;
  private guardSeqs: Int32Array | null = null;
  private guardTimes: Float64Array | null = null;
  private readonly srs: Array<{ ntpMiddle: number; sentMs: number }> = [];
  private history: RtpHistory | null;
  /** Bytes of retransmissions and probe copies sent, for bytesSent. */
  private resentBytes = 0;
  /** Which of the newest media packets the next probe copy takes (0: the newest). */
  private probeNext = 0;
  /** Leaves out temporal layers above a cap (LayerSwitch sets it); null for other codecs. */
  readonly temporal: TemporalFilter | null;

  constructor(
    private readonly opts: TrackSenderOptions,
    nowMs = Date.now(),
  ) {
    this.rewriter = new RtpRewriter(opts.ssrc, opts.payloadType, opts.clockRate);
    this.history = opts.history;
    this.temporal = opts.temporalCodec && hasTemporalLayers(opts.temporalCodec) ? new TemporalFilter(opts.temporalCodec, opts.counters, nowMs) : null;
    // Measures the bitrate sent from the start, so the first NACK already knows it.
    if (opts.history) this.budget = new RetransmitBudget(opts.retransmitShare, () => this.rewriter.octets, nowMs);
  }

  get ssrc(): number {
    return this.opts.ssrc;
  }

  /** The history NACKs are answered from: a simulcast viewer's sender moves to its new layer's. */
  useHistory(history: RtpHistory | null): void {
    this.history = history;
  }

  /** Changes the retransmit share (the back-off while the viewer's link is full). */
  setRetransmitShare(share: number): void {
    this.budget?.setShare(share);
  }

  get rtxSsrc(): number | null {
    return this.opts.rtx?.ssrc ?? null;
  }

  /** Everything sent to the receiver on this track so far, bytes: media (with padding), retransmissions, probe copies. */
  get bytesSent(): number {
    const r = this.rewriter;
    return r.octets + RTP_HEADER_BYTES * r.packets + this.resentBytes;
  }

  /** Our newest media sequence number sent (-1 before the first): NACKs of a probe train's media (ProbeTrain). */
  get lastMediaSeq(): number {
    return this.rewriter.lastSequence;
  }

  /**
   * One probe packet (docs/abr.md "Probing", node-datachannel's data plane: ProbeTrain paces
   * them): an RTX copy (RFC 4588 §4) of one of the newest PROBE_COPIES media packets sent, on the
   * RTX SSRC and payload type, numbered from the same RTX sequence as the retransmissions, so the
   * receiver's SRTP replay window and rollover counter (RFC 3711 §3.3.1) see one stream. The
   * receiver takes it for a duplicate (or, for a media packet a policer dropped, a repair). As big
   * as the media: a drained policer passes a packet only when a packet's worth of tokens has come
   * in, and small padding packets starved the media (docs/abr.md, bench run 2). Not charged to the
   * retransmit budget: the train's rate is its budget (ProbeControl). Returns the bytes sent (0:
   * nothing to copy, no RTX, or the engine refused it).
   */
  probeCopy(nowMs: number): number {
    const out = this.out;
    const history = this.history;
    const rtx = this.opts.rtx;
    const last = this.rewriter.lastSequence;
    if (!out?.open || !history || !rtx || last < 0) return 0;
    for (let tries = 0; tries < PROBE_COPIES; tries++) {
      const k = this.probeNext;
      this.probeNext = (k + 1) % PROBE_COPIES;
      const upstream = this.rewriter.mapBack((last - k) & 0xffff);
      const found = upstream < 0 ? null : history.get(upstream, nowMs);
      if (!found || typeof found === 'string') continue;
      const pkt = this.asFirstSent(found);
      // A frame the temporal filter left out went as padding: not copied.
      if (!pkt || pkt === 'temporal_layer') continue;
      if (!out.send(pkt)) return 0;
      this.rtxSeq = (this.rtxSeq + 1) & 0xffff;
      this.resentBytes += pkt.length;
      this.opts.counters.bytesOut.add(pkt.length);
      return pkt.length;
    }
    return 0;
  }

  /** Forwards one upstream packet; false when the temporal filter left it out (or nothing is open). */
  send(rtp: Uint8Array, captureMs: number, nowMs: number): boolean {
    const out = this.out;
    if (!out?.open) return false;
    const c = this.opts.counters;
    const tf = this.temporal;
    let pkt: Buffer | null;
    if (tf && tf.decide(rtp) === 'drop') {
      // No gap for the receiver to NACK: the next packets close it, or a late packet's place
      // gets padding.
      if (this.rewriter.skip(rtp, nowMs)) return false;
      pkt = this.rewriter.rewritePadding(rtp);
      if (!pkt) return false;
    } else {
      pkt = this.rewriter.rewrite(rtp, nowMs);
      if (pkt && tf) tf.fix(pkt);
    }
    if (!pkt) {
      c.packetsDropped.inc({ reason: 'malformed' });
      return true;
    }
    if (captureMs > this.lastCaptureMs) this.lastCaptureMs = captureMs;
    if (out.send(pkt)) {
      c.packetsOut.add();
      c.bytesOut.add(pkt.length);
    } else {
      c.packetsDropped.inc({ reason: 'engine_queue' });
    }
    return true;
  }

  /**
   * Answers a generic NACK (RFC 4585 §6.2.1) listing our sequence numbers: each is mapped back
   * to the upstream packet (current source only), fetched from the history and resent as it
   * was first sent, or wrapped in RTX (RFC 4588 §4) when negotiated. Returns the packets resent.
   */
  resend(seqs: readonly number[], nowMs: number): number {
    const out = this.out;
    const history = this.history;
    const c = this.opts.counters;
    c.retransmitRequests.add(seqs.length);
    const budget = this.budget;
    if (!out?.open || !history || !budget) {
      c.retransmitMisses.inc({ reason: 'never_received' }, seqs.length);
      return 0;
    }
    let resent = 0;
    for (let i = 0; i < seqs.length; i++) {
      const seq = seqs[i]!;
      const upstream = this.rewriter.mapBack(seq);
      // Our sequence numbers from an earlier source are gone from every history.
      const found = upstream < 0 ? 'too_old' : history.get(upstream, nowMs);
      if (typeof found === 'string') {
        c.retransmitMisses.inc({ reason: found });
        continue;
      }
      if (this.recentlyResent(upstream, nowMs)) {
        c.retransmitSkipped.inc({ reason: 'duplicate' });
        continue;
      }
      const pkt = this.asFirstSent(found);
      if (pkt === 'temporal_layer') {
        // A packet of a frame left out (its place got padding): not resent.
        c.retransmitSkipped.inc({ reason: 'temporal_layer' });
        continue;
      }
      if (!pkt) {
        // The history holds a packet of another source than our current epoch's.
        c.retransmitMisses.inc({ reason: 'too_old' });
        continue;
      }
      if (!budget.take(pkt.length, nowMs)) {
        // Out of budget for now: the rest of this NACK waits for nothing (a client that asks
        // for everything costs no more lookups than its budget allows).
        c.retransmitSkipped.inc({ reason: 'rate_limited' }, seqs.length - i);
        break;
      }
      if (!out.send(pkt)) {
        c.packetsDropped.inc({ reason: 'engine_queue' });
        continue;
      }
      if (this.opts.rtx) this.rtxSeq = (this.rtxSeq + 1) & 0xffff;
      this.resentBytes += pkt.length;
      this.markResent(upstream, nowMs);
      c.retransmitted.add();
      c.bytesOut.add(pkt.length);
      resent++;
    }
    return resent;
  }

  /**
   * A packet from the history as this receiver first got it (rewritten again, its temporal
   * rewrite reapplied), wrapped in RTX on the next RTX sequence number when negotiated (RFC 4588
   * §4): for a NACK's answer and a probe copy. 'temporal_layer': of a frame the temporal filter
   * left out (its place got padding); null: of another source than the current epoch's.
   */
  private asFirstSent(found: Uint8Array): Uint8Array | 'temporal_layer' | null {
    const media = this.rewriter.rewriteAgain(found);
    if (media && this.temporal && !this.temporal.fixAgain(media, found)) return 'temporal_layer';
    const rtx = this.opts.rtx;
    return media && rtx ? wrapRtx(media, rtx.ssrc, rtx.payloadType, this.rtxSeq) : media;
  }

  /** A report block about our SSRC: its LSR/DLSR give the round-trip time (RFC 3550 §6.4.1). */
  onReportBlock(lsr: number, dlsr: number, nowMs: number): void {
    if (lsr === 0) return;
    const sr = this.srs.find((s) => s.ntpMiddle === lsr);
    if (!sr) return;
    const rtt = nowMs - sr.sentMs - (dlsr * 1000) / 65536;
    if (rtt >= 0) this.rttMs = this.rttMs < 0 ? rtt : this.rttMs + 0.125 * (rtt - this.rttMs);
  }

  /**
   * Sends our sender report: the engine swallows the publisher's, so we map this track's
   * rewritten RTP time to the origin's capture clock, which keeps audio and video in sync
   * (RFC 3550 §6.4.1). Nothing before the first packet.
   */
  sendReport(nowMs: number): void {
    const r = this.rewriter;
    if (!this.out?.open || r.packets === 0) return;
    const sr = buildSenderReport(r.ssrc, this.lastCaptureMs, r.lastTimestamp, r.packets, r.octets);
    if (!this.out.send(sr)) return;
    this.srs.push({ ntpMiddle: srNtpMiddle(sr), sentMs: nowMs });
    if (this.srs.length > SR_MEMORY) this.srs.shift();
  }

  /**
   * Whether this upstream packet went to this receiver again moments ago: a NACK repeated
   * before our answer could arrive is not answered twice (cf. libwebrtc's RtpPacketHistory,
   * which resends a packet at most once per RTT).
   */
  private recentlyResent(upstream: number, nowMs: number): boolean {
    const seqs = this.guardSeqs;
    if (!seqs) return false;
    const slot = upstream & (GUARD_SLOTS - 1);
    const guard = Math.min(RESEND_GUARD_MAX_MS, Math.max(RESEND_GUARD_MS, this.rttMs));
    return seqs[slot] === upstream && nowMs - this.guardTimes![slot]! < guard;
  }

  private markResent(upstream: number, nowMs: number): void {
    this.guardSeqs ??= new Int32Array(GUARD_SLOTS).fill(-1);
    this.guardTimes ??= new Float64Array(GUARD_SLOTS);
    const slot = upstream & (GUARD_SLOTS - 1);
    this.guardSeqs[slot] = upstream;
    this.guardTimes[slot] = nowMs;
  }
}
