// The per-viewer bandwidth estimate (issue 20, docs/abr.md "Estimate"): one home for the
// decisions, whatever the engine. GCC (draft-ietf-rmcat-gcc-02) in its send-side form, as
// libwebrtc runs it on transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01):
//   - delay-based: inter-group delay variation (§5.1-5.3, here the trendline filter of
//     libwebrtc instead of the Kalman filter: the slope of the smoothed accumulated delay),
//     an adaptive threshold (§5.4) and an AIMD rate controller (§5.5);
//   - loss-based (§6): more than 10 % lost decreases, less than 2 % lets it grow;
//   - the estimate is the smaller of the two.
// Where the receiver offers only REMB (RFC draft-alvestrand-rmcat-remb), its value takes the
// delay-based part's place; with neither, receiver-report loss alone (source 'loss').
// The engines only collect per-packet facts (send time, size, arrival or loss); this module
// turns them into a number.

export type EstimateSource = 'twcc' | 'remb' | 'loss';

/** One packet of transport-cc feedback: when and how big we sent it, when it arrived (null: lost). */
export interface TwccPacket {
  /** Transport-wide sequence number, unwrapped (monotonic in send order). */
  seq: number;
  /** Our send time, ms (any clock, the same for every packet of a viewer). */
  sendMs: number;
  /** Bytes on the wire (the RTP packet with its SRTP trailer). */
  size: number;
  /** The receiver's arrival time, ms (its own clock: only differences count); null when reported lost. */
  arrivalMs: number | null;
}

export interface EstimatorOptions {
  /** Where the estimate starts before any feedback (optimistic: a clean viewer starts on a high layer). */
  initialBps: number;
  minBps: number;
  maxBps: number;
  /**
   * How far the estimate may run ahead of what actually arrives: max(2 x acked, acked + this).
   * Without probing the estimate above the sent rate is a guess; this keeps it bounded.
   */
  headroomBps: number;
}

export const ESTIMATOR_DEFAULTS: Readonly<EstimatorOptions> = Object.freeze({
  initialBps: 1_500_000,
  minBps: 50_000,
  maxBps: 20_000_000,
  headroomBps: 2_000_000,
});

/** Packets whose send times are this close form one group (GCC §5.2: a burst, 5 ms). */
const GROUP_MS = 5;
/** Trendline filter (libwebrtc TrendlineEstimator): window, smoothing, gain. */
const TREND_WINDOW = 20;
const TREND_SMOOTHING = 0.9;
const TREND_GAIN = 4;
/** Adaptive threshold (GCC §5.4): start, bounds, gains up and down. */
const THRESHOLD_INITIAL = 12.5;
const THRESHOLD_MIN = 6;
const THRESHOLD_MAX = 600;
const K_UP = 0.0087;
const K_DOWN = 0.039;
/** Overuse must last this long (GCC §5.4: 10 ms) before it is signalled. */
const OVERUSE_TIME_MS = 10;
/** AIMD (GCC §5.5): decrease to beta x the received rate; grow 8 % per second. */
const BETA = 0.85;
const INCREASE_PER_S = 1.08;
/** One decrease per this long (about an RTT and a feedback interval: the first decrease must show). */
const DECREASE_INTERVAL_MS = 300;
/** Loss thresholds (GCC §6). */
const LOSS_HIGH = 0.1;
const LOSS_INCREASE = 1.05;
const LOSS_LOW = 0.02;
/** Loss is judged over at least this many packets and this long. */
const LOSS_MIN_PACKETS = 20;
const LOSS_INTERVAL_MS = 300;
/** The received (acknowledged) rate is measured over this window. */
const ACKED_WINDOW_MS = 1000;
/** Without transport-cc for this long, REMB or receiver-report loss drive the estimate again. */
const TWCC_STALE_MS = 2000;
/** After a loss-based cut (loss over LOSS_HIGH) or a delay-based one, the link counts as congested this long. */
const CONGESTED_MS = 2000;
/** A failed probe caps the estimate's climb this long at most (a new probe renews or lifts it). */
const PROBE_CAP_MS = 30_000;
/**
 * Receiver reports that arrive this long after a probe train ends (and the first one after that)
 * stay out of the loss rule: a train that drained a policer's one-second bucket leaves it empty,
 * and the media after it (keyframes, the retransmissions its NACKs asked for) keeps losing until
 * the bucket refills. Measured (e2e, node-datachannel, branch ndcprobe): the second report after
 * a failed train still cut a capped viewer's estimate from 542 to 88 kbit/s, a layer too low.
 */
const TRAIN_AFTERMATH_MS = 2000;
/**
 * With REMB as the source, a probe's verdict holds the REMB part up (onProbe): a pass at its
 * rate, a failure at the rate it left the estimate at. Chromium's receive-side estimator lets
 * its REMB grow only to 1.5 x what it receives (libwebrtc AimdRateControl: 1.5 x throughput + 10
 * kbit/s), so a forwarder that sends one layer is held near 1.5 x that layer whatever the link
 * carries (measured: a node-datachannel viewer with no cap stayed on the low layer, its REMB
 * 100-230 kbit/s); and right after a train drained a policer, its REMB fell to 100-200 kbit/s
 * (bench, branch ndcprobe: 1,017 → 184, 545 → 119), which dropped a capped viewer from mid to
 * low after every failed train for high (81 % of the time on low). The floor holds while the
 * viewer's receiver reports show no loss (under LOSS_LOW: the probe's evidence stands), and
 * lapses this long after the last such report or verdict; a loss cut ends it.
 */
const REMB_FLOOR_MS = 10_000;

export type Usage = 'normal' | 'overuse' | 'underuse';

interface Group {
  firstSend: number;
  lastSend: number;
  lastArrival: number;
}

/** Delay-based detector: groups, trendline slope, adaptive threshold (GCC §5.2-5.4). */
class OveruseDetector {
  private group: Group | null = null;
  private prev: Group | null = null;
  private firstArrival = -1;
  private accumulated = 0;
  private smoothed = 0;
  private readonly window: Array<[number, number]> = [];
  private deltas = 0;
  private threshold = THRESHOLD_INITIAL;
  private lastThresholdUpdate = -1;
  private overuseMs = 0;
  private overuseCount = 0;
  private prevTrend = 0;
  usage: Usage = 'normal';
  /** The last modified trend (ms-ish), for tests and state. */
  trend = 0;

  /** One received packet, in send order. Returns the usage after it (changes only when a group completes). */
  add(sendMs: number, arrivalMs: number): Usage {
    const g = this.group;
    if (g === null) {
      this.group = { firstSend: sendMs, lastSend: sendMs, lastArrival: arrivalMs };
      return this.usage;
    }
    if (sendMs - g.firstSend <= GROUP_MS) {
      g.lastSend = Math.max(g.lastSend, sendMs);
      g.lastArrival = Math.max(g.lastArrival, arrivalMs);
      return this.usage;
    }
    // The group is complete: compare it with the one before.
    if (this.prev !== null) {
      const sendDelta = g.lastSend - this.prev.lastSend;
      const arrivalDelta = g.lastArrival - this.prev.lastArrival;
      // Reordered across groups: no sample (GCC §5.2 assumes arrival order).
      if (arrivalDelta >= 0 && sendDelta > 0) this.sample(arrivalDelta - sendDelta, g.lastArrival, sendDelta);
    }
    this.prev = g;
    this.group = { firstSend: sendMs, lastSend: sendMs, lastArrival: arrivalMs };
    return this.usage;
  }

  private sample(delayVariation: number, arrivalMs: number, sendDelta: number): void {
    if (this.firstArrival < 0) this.firstArrival = arrivalMs;
    this.deltas = Math.min(this.deltas + 1, 1000);
    this.accumulated += delayVariation;
    this.smoothed = TREND_SMOOTHING * this.smoothed + (1 - TREND_SMOOTHING) * this.accumulated;
    this.window.push([arrivalMs - this.firstArrival, this.smoothed]);
    if (this.window.length > TREND_WINDOW) this.window.shift();
    if (this.window.length < TREND_WINDOW) return;
    const slope = linearSlope(this.window);
    const trend = Math.min(this.deltas, 60) * slope * TREND_GAIN;
    this.trend = trend;
    this.detect(trend, sendDelta, arrivalMs);
  }

  private detect(trend: number, sendDelta: number, nowMs: number): void {
    if (trend > this.threshold) {
      this.overuseMs += sendDelta;
      this.overuseCount++;
      if (this.overuseMs > OVERUSE_TIME_MS && this.overuseCount > 1 && trend >= this.prevTrend) {
        this.overuseMs = 0;
        this.overuseCount = 0;
        this.usage = 'overuse';
      }
    } else if (trend < -this.threshold) {
      this.overuseMs = 0;
      this.overuseCount = 0;
      this.usage = 'underuse';
    } else {
      this.overuseMs = 0;
      this.overuseCount = 0;
      this.usage = 'normal';
    }
    this.prevTrend = trend;
    this.adapt(trend, nowMs);
  }

  /** GCC §5.4: the threshold follows |trend| slowly up and faster down, except for spikes. */
  private adapt(trend: number, nowMs: number): void {
    if (this.lastThresholdUpdate < 0) this.lastThresholdUpdate = nowMs;
    const abs = Math.abs(trend);
    if (abs > this.threshold + 15) {
      this.lastThresholdUpdate = nowMs;
      return;
    }
    const k = abs < this.threshold ? K_DOWN : K_UP;
    const dt = Math.min(nowMs - this.lastThresholdUpdate, 100);
    this.threshold = Math.min(THRESHOLD_MAX, Math.max(THRESHOLD_MIN, this.threshold + k * (abs - this.threshold) * dt));
    this.lastThresholdUpdate = nowMs;
  }
}

/** Least-squares slope of y over x. */
function linearSlope(points: ReadonlyArray<[number, number]>): number {
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / points.length;
  const my = sy / points.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  }
  return den === 0 ? 0 : num / den;
}

/** What the estimator says, for /api/state and tests. */
export interface EstimateState {
  bps: number;
  source: EstimateSource;
  /** Delay-based (or REMB) and loss-based parts. */
  delayBps: number;
  lossBps: number;
  /** The received rate over the last second (transport-cc only; 0 otherwise). */
  ackedBps: number;
  /** The sent rate over the last second of fed-back packets (transport-cc only; 0 otherwise). */
  sentBps: number;
  /** Loss over the last judged interval, 0..1. */
  loss: number;
  usage: Usage;
}

/**
 * One viewer's estimate. Feed it transport-cc feedback (onTwcc), REMB (onRemb) or
 * receiver-report loss (onReportLoss); read `bps` and `source`.
 */
export class BandwidthEstimator {
  private readonly o: EstimatorOptions;
  private readonly detector = new OveruseDetector();
  private delayBps: number;
  private lossBps: number;
  private rembBps = 0;
  private lastTwccMs = -Infinity;
  private lastRembMs = -Infinity;
  private lastIncreaseMs = -1;
  private lastDecreaseMs = -Infinity;
  private highestSeq = -1;
  /** Received packets of the last second by arrival time; sent ones by send time. */
  private readonly acked: Array<[number, number]> = [];
  private ackedBytes = 0;
  private readonly sent: Array<[number, number]> = [];
  private sentBytes = 0;
  private lossPackets = 0;
  private lossLost = 0;
  private lossSince = -1;
  private lastLossUpdate = -1;
  private loss = 0;
  private ackedRate = 0;
  private sentRate = 0;
  /** Until when the last congestion signal (a cut for loss or for delay) holds. */
  private congestedUntil = -Infinity;
  /** A failed probe's rate: the estimate does not climb past it until a probe passes or it lapses (onProbe). */
  private probeCap = Infinity;
  private probeCapUntil = -Infinity;
  /** Packets sent before this (a failed train's, still in flight at its verdict) are left out of the loss rule. */
  private lossIgnoreBefore = -Infinity;
  /**
   * Receiver reports left out of the loss rule: while a probe train runs ('train') and after it
   * ends ('next': until TRAIN_AFTERMATH_MS after its end, and the first one after that, whose
   * interval covers the rest). Their fraction lost is the train's own (a policer it drained),
   * which the train's verdict judges; fed to the loss rule it would cut the estimate and count the
   * link as congested for it (holdReportLoss).
   */
  private reportHold: 'none' | 'train' | 'next' = 'none';
  private reportHoldUntil = -Infinity;
  /** A probe verdict's rate under which the REMB part does not fall (REMB_FLOOR_MS), and until when. */
  private rembFloor = 0;
  private rembFloorUntil = -Infinity;
  source: EstimateSource = 'loss';

  constructor(opts: Partial<EstimatorOptions> = {}) {
    this.o = { ...ESTIMATOR_DEFAULTS, ...opts };
    this.delayBps = this.o.initialBps;
    this.lossBps = this.o.initialBps;
  }

  /** The REMB part of the estimate: the viewer's REMB, held up by a probe's floor while it stands (REMB_FLOOR_MS). */
  private get rembHeld(): number {
    return Math.max(this.rembBps, this.rembFloor);
  }

  /** The delay-based part of the estimate: the REMB part with REMB as the source, else the GCC delay estimate. */
  private get delayPart(): number {
    return this.source === 'remb' ? this.rembHeld : this.delayBps;
  }

  /** The probe's floor under the REMB lapses REMB_FLOOR_MS after the last verdict or lossless report that renewed it. */
  private expireRembFloor(nowMs: number): void {
    if (this.rembFloor > 0 && nowMs >= this.rembFloorUntil) this.rembFloor = 0;
  }

  /** The estimate, bits per second. */
  get bps(): number {
    return Math.round(Math.min(this.o.maxBps, Math.max(this.o.minBps, Math.min(this.delayPart, this.lossBps))));
  }

  state(): EstimateState {
    return {
      bps: this.bps,
      source: this.source,
      delayBps: Math.round(this.delayPart),
      lossBps: Math.round(this.lossBps),
      ackedBps: Math.round(this.ackedRate),
      sentBps: Math.round(this.sentRate),
      loss: this.loss,
      usage: this.detector.usage,
    };
  }

  /**
   * Whether the link shows congestion now: loss over 10 % (GCC §6) or a delay-based cut
   * (GCC §5.5) in the last CONGESTED_MS. Loss under 10 % with no queueing delay is not
   * congestion: it is a lossy hop (wireless, a policer's edge), which retransmission repairs and
   * backing off would not cure. REMB carries no loss or delay of ours, so with REMB as the source
   * the link counts as congested whenever we send at or over it (retransmitShareFor's ratio).
   */
  congested(nowMs: number): boolean {
    return this.source === 'remb' || nowMs < this.congestedUntil;
  }

  /**
   * Whether the estimate was cut for loss over 10 % or for queueing delay in the last
   * CONGESTED_MS, whatever the source: what keeps probe trains back (ProbeControl). Unlike
   * congested(), not always true with REMB: REMB says nothing about our loss, which is a reason
   * to back retransmission off when we send at the REMB, not to stop testing the link above it.
   */
  cutRecently(nowMs: number): boolean {
    return nowMs < this.congestedUntil;
  }

  /**
   * A probe train starts (true) or ended (false) at nowMs: receiver reports that arrive while it
   * runs and in its aftermath stay out of the loss rule (reportHold); calledOff: none after it.
   * The train's loss is judged by its verdict (PeerBandwidth); transport-cc packets are left out
   * by their send time instead (onProbe).
   */
  holdReportLoss(running: boolean, nowMs: number, calledOff = false): void {
    if (!running && !calledOff && this.reportHold === 'next') return;
    // A train called off (calledOff) leaves nothing out after it.
    this.reportHold = running ? 'train' : calledOff || this.reportHold === 'none' ? 'none' : 'next';
    this.reportHoldUntil = nowMs + TRAIN_AFTERMATH_MS;
  }

  /** One batch of transport-cc feedback (any order; duplicates of a sequence number are ignored). */
  onTwcc(packets: readonly TwccPacket[], nowMs: number): void {
    if (packets.length === 0) return;
    this.source = 'twcc';
    this.lastTwccMs = nowMs;
    const sorted = [...packets].sort((a, b) => a.seq - b.seq);
    let usage = this.detector.usage;
    for (const p of sorted) {
      // A packet reported again (lost, then received in a later feedback): count its arrival for
      // the rate but not twice for loss or delay.
      const fresh = p.seq > this.highestSeq;
      if (fresh) this.highestSeq = p.seq;
      if (fresh) {
        this.sent.push([p.sendMs, p.size]);
        this.sentBytes += p.size;
        if (p.sendMs >= this.lossIgnoreBefore) {
          this.lossPackets++;
          if (p.arrivalMs === null) this.lossLost++;
        }
      }
      if (p.arrivalMs === null) continue;
      this.acked.push([p.arrivalMs, p.size]);
      this.ackedBytes += p.size;
      if (fresh) usage = this.detector.add(p.sendMs, p.arrivalMs);
    }
    this.ackedRate = windowRate(this.acked, this.ackedBytes, (b) => (this.ackedBytes = b));
    this.sentRate = windowRate(this.sent, this.sentBytes, (b) => (this.sentBytes = b));
    this.updateLoss(nowMs);
    this.rateControl(usage, nowMs);
  }

  /**
   * The verdict of a probe train (docs/abr.md "Probing", src/media/ProbeEstimator.ts): the rate
   * the viewer received it at. Passed: the link carries at least that much, so the estimate is
   * at least that (GCC's estimate jumps to a probe's result, as libwebrtc's does), and a cap from
   * an earlier failure is gone. Failed: the link carried only that much at the rate tried, so the
   * estimate goes no higher than that and does not climb past it for PROBE_CAP_MS, or until a
   * probe passes: without it the multiplicative increase would climb past a cap that nothing
   * sent tests (the viewer is on a layer under it), and invite a move up that the cap then drops.
   */
  onProbe(passed: boolean, bps: number, nowMs: number): void {
    if (!(bps > 0)) return;
    const b = Math.min(this.o.maxBps, Math.max(this.o.minBps, bps));
    if (passed) {
      this.probeCap = Infinity;
      this.probeCapUntil = -Infinity;
      this.delayBps = Math.max(this.delayBps, b);
      this.lossBps = Math.max(this.lossBps, b);
      // REMB: the probe showed the link carries b, which the viewer's REMB cannot say (REMB_FLOOR_MS).
      this.rembFloor = Math.max(this.rembFloor, b);
      this.rembFloorUntil = nowMs + REMB_FLOOR_MS;
      return;
    }
    // REMB: the link carries less than the train's layer needs, but the REMB that follows the
    // train says less still (the train's own effect on the viewer's estimator, REMB_FLOOR_MS).
    this.rembFloor = b;
    this.rembFloorUntil = nowMs + REMB_FLOOR_MS;
    this.probeCap = b;
    this.probeCapUntil = nowMs + PROBE_CAP_MS;
    // The train measured the link: its result replaces what the train's own loss and queueing
    // did to both parts (measured: the loss rule, fed a failed train's 40 % loss at a policer,
    // cut a capped viewer's estimate to 0.85 x what arrived, under its own layer, and the viewer
    // dropped a layer after every failed train). That loss and congestion were ours and ended
    // with the train: they neither count in the next loss judgement nor hold back retransmission.
    this.delayBps = b;
    this.lossBps = b;
    this.congestedUntil = -Infinity;
    this.lossPackets = 0;
    this.lossLost = 0;
    this.lossSince = nowMs;
    this.lossIgnoreBefore = nowMs;
  }

  /** The cap a failed probe set (Infinity: none), for state and tests. */
  probeCapAt(nowMs: number): number {
    return nowMs < this.probeCapUntil ? this.probeCap : Infinity;
  }

  /** A REMB from the viewer (its own receive-side estimate). */
  onRemb(bps: number, nowMs: number): void {
    if (!(bps > 0)) return;
    this.rembBps = bps;
    this.expireRembFloor(nowMs);
    this.lastRembMs = nowMs;
    if (nowMs - this.lastTwccMs > TWCC_STALE_MS) this.source = 'remb';
  }

  /** A receiver report's fraction lost (RFC 3550 §6.4.1, 0..1), used while transport-cc is absent. */
  onReportLoss(fraction: number, nowMs: number): void {
    if (nowMs - this.lastTwccMs <= TWCC_STALE_MS) return;
    if (nowMs - this.lastRembMs > TWCC_STALE_MS) this.source = 'loss';
    this.expireRembFloor(nowMs);
    if (this.reportHold !== 'none') {
      if (this.reportHold === 'next' && nowMs >= this.reportHoldUntil) this.reportHold = 'none';
      return;
    }
    this.loss = fraction;
    // A probe's floor under the REMB stands while the link loses nothing; loss cuts the loss part
    // under it (the estimate is the smaller of the two).
    if (this.rembFloor > 0 && fraction < LOSS_LOW) this.rembFloorUntil = nowMs + REMB_FLOOR_MS;
    this.lossRule(fraction, nowMs);
  }

  /** Loss over the packets since the last judgement, once there are enough of them (GCC §6). */
  private updateLoss(nowMs: number): void {
    if (this.lossSince < 0) this.lossSince = nowMs;
    if (this.lossPackets < LOSS_MIN_PACKETS || nowMs - this.lossSince < LOSS_INTERVAL_MS) return;
    this.loss = this.lossLost / this.lossPackets;
    this.lossPackets = 0;
    this.lossLost = 0;
    this.lossSince = nowMs;
    this.lossRule(this.loss, nowMs);
  }

  private lossRule(loss: number, nowMs: number): void {
    const dt = this.lastLossUpdate < 0 ? 0 : Math.min(nowMs - this.lastLossUpdate, 1000);
    this.lastLossUpdate = nowMs;
    if (loss > LOSS_HIGH) {
      // What still arrives is what the link carries (a policer's loss, not a queue's delay):
      // never below beta x that, so a sender that cannot slow down at once (a layer switch waits
      // for a keyframe) does not drive the estimate to the floor.
      const floor = this.source === 'twcc' ? BETA * this.ackedRate : 0;
      const other = this.source === 'remb' ? this.rembHeld : this.source === 'twcc' ? this.delayBps : this.lossBps;
      this.lossBps = Math.max(this.o.minBps, floor, Math.min(this.lossBps, other) * (1 - 0.5 * loss));
      this.congestedUntil = nowMs + CONGESTED_MS;
    } else if (loss < LOSS_LOW || (this.source === 'twcc' && this.detector.usage !== 'overuse')) {
      // GCC §6: 5 % more per judgement (each at least LOSS_INTERVAL_MS apart: up to ~18 %/s).
      // It climbs rather than jumping back to the delay-based value: a policer's loss shows no
      // delay, so that value says nothing about the rate that was lost at.
      // With transport-cc, loss between 2 and 10 % while the delay-based detector sees no queue
      // building is a lossy hop, not a full one, and it climbs as well. GCC §6 holds there
      // because its sender is the encoder, whose own rate probes the link; a forwarder sends
      // what the publisher sends, so a hold would pin the estimate wherever it was (measured:
      // a Chromium viewer behind 3 % random loss held at the 1.5 Mbit/s start, under the
      // stream's rate, and retransmission backed off). A policer's edge that loses 2-10 %
      // climbs too, until a layer over it loses more than 10 % and is cut.
      if (dt > 0) this.lossBps = Math.max(this.lossBps, Math.min(this.lossBps * LOSS_INCREASE, this.ceiling(nowMs)));
    }
    // In between (receiver reports, or a queue building): hold (GCC §6).
  }

  /** The AIMD rate controller of the delay-based part (GCC §5.5). */
  private rateControl(usage: Usage, nowMs: number): void {
    const dt = this.lastIncreaseMs < 0 ? 0 : Math.min(nowMs - this.lastIncreaseMs, 1000);
    this.lastIncreaseMs = nowMs;
    if (usage === 'overuse') {
      if (nowMs - this.lastDecreaseMs >= DECREASE_INTERVAL_MS) {
        const base = this.ackedRate > 0 ? this.ackedRate : this.delayBps;
        this.delayBps = Math.max(this.o.minBps, Math.min(this.delayBps, BETA * base));
        this.lastDecreaseMs = nowMs;
        this.congestedUntil = nowMs + CONGESTED_MS;
      }
      return;
    }
    // Underuse: the queues drain; hold until they have (GCC §5.5).
    if (usage === 'underuse') return;
    // Hold for one interval after a decrease, so its effect shows before growing again.
    if (nowMs - this.lastDecreaseMs < DECREASE_INTERVAL_MS) return;
    this.delayBps = Math.min(this.delayBps * Math.pow(INCREASE_PER_S, dt / 1000), Math.max(this.delayBps, this.ceiling(nowMs)));
    // What arrived over the last second while the queue did not grow is what the link carries.
    // GCC's sender is the encoder, which slows down after a cut; a forwarder keeps sending the
    // publisher's rate, so after a cut on a transient (a burst, a receiver's scheduling jitter)
    // that rate arrives without delay and the estimate rejoins it at once rather than at 8 %/s
    // (measured: a Chromium viewer on a veth without a cap was cut from 1.8 to 1.1 Mbit/s and
    // stayed under its 1.8 Mbit/s stream for 5 s).
    if (usage === 'normal') this.delayBps = Math.max(this.delayBps, Math.min(this.ackedRate, this.o.maxBps, this.probeCapAt(nowMs)));
  }

  /** How far above the received rate the estimate may go without probing, and under a failed probe's rate. */
  private ceiling(nowMs: number): number {
    const cap = this.probeCapAt(nowMs);
    if (this.source !== 'twcc' || this.ackedRate <= 0) return Math.min(this.o.maxBps, cap);
    return Math.min(this.o.maxBps, cap, Math.max(2 * this.ackedRate, this.ackedRate + this.o.headroomBps));
  }
}

/** Drops samples older than the window from the newest and returns the rate in bits/s. */
function windowRate(samples: Array<[number, number]>, bytes: number, setBytes: (b: number) => void): number {
  if (samples.length === 0) return 0;
  let newest = -Infinity;
  for (let i = Math.max(0, samples.length - 64); i < samples.length; i++) newest = Math.max(newest, samples[i]![0]);
  let b = bytes;
  while (samples.length > 0 && samples[0]![0] < newest - ACKED_WINDOW_MS) b -= samples.shift()![1];
  setBytes(b);
  if (samples.length < 2) return 0;
  const span = Math.max(newest - samples[0]![0], 100);
  return (b * 8 * 1000) / span;
}

/** Retransmitted bytes per media byte when the link is full: a little repair still gets through. */
const FULL_LINK_SHARE = 0.05;
/** Below this share of the estimate the link is not full and the configured share applies. */
const FULL_FROM = 0.8;

/**
 * Retransmission back-off (issue 20): when the link is congested (BandwidthEstimator.congested)
 * and what we send reaches the estimate, the link is full, and retransmissions only add to the
 * queue that loses the packets. The share falls linearly from the configured one at 0.8 x the
 * estimate to FULL_LINK_SHARE at the estimate and above. Without congestion (random loss on a
 * link with room) the configured share applies whatever the ratio.
 */
export function retransmitShareFor(baseShare: number, sentBps: number, estimateBps: number, congested: boolean): number {
  if (!congested || !(estimateBps > 0) || !(sentBps > 0) || baseShare <= FULL_LINK_SHARE) return baseShare;
  const ratio = sentBps / estimateBps;
  if (ratio <= FULL_FROM) return baseShare;
  if (ratio >= 1) return FULL_LINK_SHARE;
  const t = (ratio - FULL_FROM) / (1 - FULL_FROM);
  return baseShare + t * (FULL_LINK_SHARE - baseShare);
}
