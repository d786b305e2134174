import type { NodeCounters } from '../metrics.js';
import { buildNack, buildPli, buildReceiverReport, buildRemb, buildSdesCname, parseRtcp, type RtcpReportBlock } from '../rtcp.js';
import { randomSsrc, rtpSeq, rtpSsrc, stripHeaderExtension, unwrapRtx } from '../rtp.js';
import { NACK_DEFAULTS, NackRequester } from './NackRequester.js';
import type { PacketOut } from './TrackSender.js';

export interface RtpReceiverOptions {
  /** The negotiated media payload type and its clock rate. */
  payloadType: number;
  clockRate: number;
  /** The RTX payload type (RFC 4588) whose apt is payloadType; null without RTX. */
  rtxPayloadType: number | null;
  /** Whether the sender accepts generic NACKs (rtcp-fb nack negotiated and repair on). */
  nack: boolean;
  /** REMB sent with every report, bits per second (0: none). */
  rembBps: number;
  /** CNAME of our RTCP (RFC 3550 §6.5.1). */
  cname: string;
  out: PacketOut;
  counters: NodeCounters;
  /** A media packet for the stream, header extensions stripped; late when older than one delivered before. */
  deliver: (rtp: Uint8Array, late: boolean) => void;
  /** The sender switched SSRC (a restarted encoder). */
  onNewSource?: (ssrc: number, previous: number) => void;
}

export type ReceiveResult = 'ok' | 'unexpected_payload' | 'duplicate';

/**
 * The receiving end of one published track (docs/repair.md): checks and forwards its RTP,
 * asks for lost packets (generic NACK, RFC 4585 §6.2.1) and unwraps their RTX retransmissions
 * (RFC 4588 §4), and writes the receiver's RTCP: receiver reports with LSR/DLSR so the sender
 * knows its RTT (RFC 3550 §6.4.2), SDES CNAME, REMB (which holds a browser's bitrate) and PLI
 * on request, aimed at the media SSRC.
 *
 * This replaces libdatachannel's RtcpReceivingSession on publisher tracks: with that handler
 * attached, v0.24.5 refuses to send a NACK on a recvonly track (Track::outgoing only lets
 * handler-less tracks send RTCP as Control), and it takes every RTP packet's SSRC, so RTX
 * packets would retarget its PLIs, REMBs and reports to the RTX SSRC.
 */
export class RtpReceiver {
  /** Our SSRC as the sender of RTCP. */
  readonly ssrc = randomSsrc();
  mediaSsrc = -1;
  readonly requester: NackRequester;
  private baseExt = -1;
  private receivedCount = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitter = 0;
  private lastTransit = NaN;
  private lastSr: { ntpMiddle: number; atMs: number } | null = null;
  private closed = false;

  constructor(private readonly opts: RtpReceiverOptions) {
    this.requester = new NackRequester({
      ...NACK_DEFAULTS,
      maxNacks: opts.nack ? NACK_DEFAULTS.maxNacks : 0,
      sendNack: (seqs) => this.sendNack(seqs),
      onGiveUp: (n) => opts.counters.unrecovered.add(n),
    });
  }

  /** An RTP packet of this track (media or RTX). */
  onRtp(packet: Uint8Array, nowMs: number): ReceiveResult {
    if (this.closed || packet.length < 12) return 'unexpected_payload';
    const pt = packet[1]! & 0x7f;
    if (pt === this.opts.payloadType) {
      const ssrc = rtpSsrc(packet);
      if (ssrc !== this.mediaSsrc) this.newSource(ssrc);
      const arrival = this.requester.arrive(rtpSeq(packet), nowMs, false);
      if (arrival === 'duplicate' || arrival === 'stale') return 'duplicate';
      if (arrival === 'new') this.updateJitter(packet, nowMs);
      return this.accept(stripHeaderExtension(packet), arrival === 'recovered', arrival !== 'new');
    }
    if (pt === this.opts.rtxPayloadType && this.mediaSsrc >= 0) {
      // An RTX padding-only probe has no OSN: nothing to deliver.
      const restored = unwrapRtx(packet, this.mediaSsrc, this.opts.payloadType);
      if (!restored) return 'ok';
      const arrival = this.requester.arrive(rtpSeq(restored), nowMs, true);
      // Senders also resend old packets as bandwidth probes: those are duplicates here.
      if (arrival === 'duplicate' || arrival === 'stale') return 'duplicate';
      return this.accept(restored, arrival === 'recovered', arrival !== 'new');
    }
    return 'unexpected_payload';
  }

  private accept(rtp: Uint8Array | null, recovered: boolean, late: boolean): ReceiveResult {
    if (!rtp) return 'unexpected_payload';
    this.receivedCount++;
    if (recovered) this.opts.counters.recovered.add();
    this.opts.deliver(rtp, late);
    return 'ok';
  }

  private newSource(ssrc: number): void {
    const previous = this.mediaSsrc;
    this.mediaSsrc = ssrc;
    this.requester.reset();
    this.baseExt = -1;
    this.receivedCount = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.jitter = 0;
    this.lastTransit = NaN;
    this.lastSr = null;
    if (previous >= 0) this.opts.onNewSource?.(ssrc, previous);
  }

  /** Interarrival jitter (RFC 3550 §A.8), in timestamp units, from packets that came in order. */
  private updateJitter(packet: Uint8Array, nowMs: number): void {
    if (this.baseExt < 0) this.baseExt = this.requester.extendedHighest;
    const ts = ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
    const transit = (nowMs * this.opts.clockRate) / 1000 - ts;
    if (!Number.isNaN(this.lastTransit)) {
      let d = Math.abs(transit - this.lastTransit);
      // A timestamp wrap shows as a jump of about 2^32: fold it back.
      if (d > 0x80000000) d = Math.abs(d - 0x100000000);
      this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
  }

  /** RTCP from the sender: its SRs give the LSR our reports echo. */
  onRtcp(packet: Uint8Array, nowMs: number): void {
    const info = parseRtcp(packet);
    if (!info) return;
    for (const sr of info.senderReports) if (sr.ssrc === this.mediaSsrc) this.lastSr = { ntpMiddle: sr.ntpMiddle, atMs: nowMs };
  }

  /** Asks the sender for a keyframe: a PLI on its media SSRC. */
  requestKeyframe(): boolean {
    if (this.closed || this.mediaSsrc < 0 || !this.opts.out.open) return false;
    return this.opts.out.send(buildPli(this.ssrc, this.mediaSsrc));
  }

  /** Sends RR + SDES (+ REMB): call about once a second (RFC 3550 §6.2). */
  sendReports(nowMs: number): void {
    if (this.closed || !this.opts.out.open) return;
    const parts: Buffer[] = [buildReceiverReport(this.ssrc, this.mediaSsrc >= 0 && this.baseExt >= 0 ? [this.reportBlock(nowMs)] : [])];
    parts.push(buildSdesCname(this.ssrc, this.opts.cname));
    if (this.opts.rembBps > 0 && this.mediaSsrc >= 0) parts.push(buildRemb(this.ssrc, this.opts.rembBps, [this.mediaSsrc]));
    this.opts.out.send(Buffer.concat(parts));
  }

  /** RFC 3550 §A.3: loss since the last report and in total, counting repaired packets as received. */
  private reportBlock(nowMs: number): RtcpReportBlock {
    const highest = this.requester.extendedHighest;
    const expected = highest - this.baseExt + 1;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.receivedCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.receivedCount;
    const lostInterval = expectedInterval - receivedInterval;
    const sr = this.lastSr;
    return {
      ssrc: this.mediaSsrc,
      fractionLost: expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval),
      cumulativeLost: expected - this.receivedCount,
      highestSeq: highest >>> 0,
      jitter: Math.round(this.jitter),
      lsr: sr ? sr.ntpMiddle : 0,
      dlsr: sr ? Math.round(((nowMs - sr.atMs) * 65536) / 1000) : 0,
    };
  }

  private sendNack(seqs: number[]): void {
    if (this.closed || this.mediaSsrc < 0 || !this.opts.out.open) return;
    if (this.opts.out.send(buildNack(this.ssrc, this.mediaSsrc, seqs))) this.opts.counters.nacksSent.add();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.requester.close();
  }
}
