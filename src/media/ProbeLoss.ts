// A probe train's verdict from the viewer's loss alone (issue 20, docs/abr.md "Probing"), for a
// viewer without transport-cc: node-datachannel (libdatachannel 0.24.5 cannot number what it
// sends, so nothing reports when each packet arrived). The measuring half of probing there, as
// ProbeEstimator.ts is with transport-cc; the engine sends the train (src/engine/ProbeTrain.ts).
//
// The signal is loss, not delay: the links a train must find are policers (a token bucket that
// drops once drained, with no queue to delay: nftables' `limit rate over`, the bench's and the
// e2e test's), as the native data plane's abort rule "loss" says. What the viewer reports of
// its loss:
//   - generic NACKs (RFC 4585 §6.2.1) for the media packets sent during the train. A WebRTC
//     receiver (libwebrtc's NackRequester) NACKs a missing sequence number as soon as a later
//     packet shows the gap, so a drained policer shows within a packet interval and an RTT;
//   - receiver reports' fraction lost and cumulative lost (RFC 3550 §6.4.1) carry the same
//     losses, aggregated, about once a second from Chromium: too late to stop a train, and used
//     only by the estimate's loss rule, which leaves out the ones covering a train
//     (BandwidthEstimator.holdReportLoss);
//   - REMB says nothing of a policer (no delay), so it plays no part.
// The probe packets themselves are RTX copies (RFC 4588): a receiver never NACKs the RTX stream,
// so only the media sent during the train (a third of its packets at 1.5 x the layer above:
// on mid, ~350 of ~1,050 kbit/s) tells. A drained policer drops media and copies alike.
//
// The rule is the native data plane's abort rule (ProbeControl's PROBE_POLICY.abort: `lost` of
// the last `window` packets), over the train's media packets: the train fails when `lost` of
// any `window` consecutive media sequence numbers it sent were NACKed. Not the first loss: random
// loss on a lossy hop would fail most trains (1.5 s of a 350 kbit/s layer is ~65 packets: at 3 %
// random loss, 86 % of trains see a loss; 4 in a window of 16 about 1 %, by the binomial). A
// drained policer drops about every other packet, so the 4th NACK comes ~8 media packets
// (~200 ms on mid) after the first. After the train has sent its last packet the verdict waits
// settleMs for the NACKs of its last packets (the next packet shows the gap, then an RTT), then
// passes if the rule never fired.

import type { ProbeAbort } from './ProbeEstimator.js';

/** The rule without an abort in the request: the native data plane's (ProbeControl's PROBE_POLICY.abort). */
export const LOSS_RULE_DEFAULT: Readonly<Pick<ProbeAbort, 'lost' | 'window'>> = Object.freeze({ lost: 4, window: 16 });
/**
 * After the train's last packet, its verdict waits this long at least, or 2 x RTT + SETTLE_EXTRA_MS
 * (the NACK of its last media packet needs the next packet to show the gap: a frame at 15-30 fps),
 * up to SETTLE_MAX_MS.
 */
const SETTLE_MIN_MS = 150;
const SETTLE_EXTRA_MS = 100;
const SETTLE_MAX_MS = 1000;
/** Media sequence numbers one train may span (1.5-3 s of media: a few hundred); more is not this train's. */
const MAX_SPAN = 4096;

/** How long a train's verdict waits after its last packet, for the viewer's NACKs of it (rttMs < 0: not measured). */
export function settleMs(rttMs: number): number {
  return Math.min(SETTLE_MAX_MS, Math.max(SETTLE_MIN_MS, rttMs >= 0 ? 2 * rttMs + SETTLE_EXTRA_MS : 0));
}

/** One train's loss: the media sequence numbers it sent that the viewer NACKed. */
export class ProbeLoss {
  /** NACKed media packets of the train, by offset from its first media sequence number. */
  private readonly lost = new Set<number>();
  /** Media packets the train sent, once it has ended (null: still sending). */
  private sent: number | null = null;
  /** The rule fired. */
  failed = false;
  private readonly rule: Readonly<Pick<ProbeAbort, 'lost' | 'window'>>;

  constructor(
    /** The first media sequence number sent during the train. */
    readonly firstSeq: number,
    rule: Readonly<Pick<ProbeAbort, 'lost' | 'window'>> | undefined,
  ) {
    const r = rule ?? LOSS_RULE_DEFAULT;
    // The same bounds as the native data plane's (native/src/probe.h): 1 <= lost <= window <= 64.
    const window = Math.min(64, Math.max(1, Math.round(r.window)));
    this.rule = { window, lost: Math.min(window, Math.max(1, Math.round(r.lost))) };
  }

  /** Media packets NACKed so far. */
  get lostCount(): number {
    return this.lost.size;
  }

  /** The train sent its last packet; newestSeq: the newest media sequence number sent by then. */
  end(newestSeq: number): void {
    if (this.sent === null) this.sent = this.countUpTo(newestSeq);
  }

  /**
   * A NACK's sequence numbers (our media SSRC's); newestSeq: the newest media sequence number
   * sent now (numbers after the train's end, or before its start, are not its business).
   * Returns true when the rule fires now (the first time).
   */
  onNack(seqs: readonly number[], newestSeq: number): boolean {
    if (this.failed) return false;
    const sent = this.sent ?? this.countUpTo(newestSeq);
    let fired = false;
    for (const seq of seqs) {
      const off = (seq - this.firstSeq) & 0xffff;
      if (off >= sent || this.lost.has(off)) continue;
      this.lost.add(off);
      if (this.windowCount(off) >= this.rule.lost) fired = true;
    }
    if (fired) this.failed = true;
    return fired;
  }

  /** Media packets of the train up to newestSeq (0 when none was sent since its start). */
  private countUpTo(newestSeq: number): number {
    if (newestSeq < 0) return 0;
    const n = ((newestSeq - this.firstSeq) & 0xffff) + 1;
    return n > MAX_SPAN ? 0 : n;
  }

  /** The most NACKed packets in a window of `window` consecutive ones holding off (a sliding count: O(window)). */
  private windowCount(off: number): number {
    const w = this.rule.window;
    const from = Math.max(0, off - w + 1);
    const hits: boolean[] = [];
    for (let o = from; o < off + w; o++) hits.push(this.lost.has(o));
    let n = 0;
    let best = 0;
    for (let i = 0; i < hits.length; i++) {
      if (hits[i]) n++;
      if (i >= w && hits[i - w]) n--;
      if (i >= w - 1 && n > best) best = n;
    }
    return best;
  }
}
