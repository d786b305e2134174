// A probe train on node-datachannel (issue 20, docs/abr.md "Probing"): the per-packet half of
// probing where the viewer's data plane is JavaScript (TrackSender). What the native data
// plane's probe.cc does on its data thread, done on a timer: while the train runs, every
// TICK_MS, top up everything the viewer was sent on the track since the cluster began (its
// media and retransmissions included, as libwebrtc's pacer counts them) to the train's rate with
// RTX copies of recent media (TrackSender.probeCopy). Nothing runs per packet, and no timer,
// while no train does. When to send a train, at what rate, and what its outcome means are
// decided elsewhere (src/media/ProbeControl.ts, ProbeLoss.ts, PeerBandwidth.ts).

import type { ProbeRequest } from '../media/ProbeEstimator.js';

/** What a train needs of the viewer's sender (TrackSender). */
export interface ProbeSender {
  /** Everything sent to the viewer on the track so far, bytes (media, retransmissions, probe copies). */
  readonly bytesSent: number;
  /** The newest media sequence number sent (-1: none yet). */
  readonly lastMediaSeq: number;
  /** Round-trip time to the viewer, ms (-1: not measured). */
  readonly rttMs: number;
  /** Sends one probe packet; the bytes sent (0: nothing could be). */
  probeCopy(nowMs: number): number;
}

/**
 * The pacing tick: the top-up runs this often. libwebrtc's pacer runs every 5 ms; a node timer
 * fires at best every ~1 ms and later on a busy loop, and each tick sends what the rate allows
 * since the cluster began, so a late tick catches up (up to MAX_COPIES_PER_TICK).
 */
export const TICK_MS = 5;
/** Copies one tick may send: a stalled event loop's catch-up stays a short burst (60 kB at most). */
const MAX_COPIES_PER_TICK = 48;
/** The longest train accepted (the native data plane refuses over 3 s as well). */
export const MAX_TRAIN_MS = 3000;

export interface ProbeTrainHandlers {
  /** The train stopped sending at its end (not stop()): the media sequence range it covered and the rate it sent at. */
  onSent(lastMediaSeq: number, sentBps: number, nowMs: number): void;
}

/** One train in flight for one viewer's track. */
export class ProbeTrain {
  /** The first media sequence number sent during the train (the one after the newest at its start). */
  readonly firstMediaSeq: number;
  /** Probe packets and their bytes sent so far. */
  copies = 0;
  copyBytes = 0;
  private readonly startedAt: number;
  private readonly startBytes: number;
  private clusterAt: number;
  private clusterBytes: number;
  private timer: ReturnType<typeof setInterval> | null;
  private done = false;

  constructor(
    private readonly sender: ProbeSender,
    readonly req: ProbeRequest,
    nowMs: number,
    private readonly handlers: ProbeTrainHandlers,
    private readonly clock: () => number = Date.now,
  ) {
    this.firstMediaSeq = (sender.lastMediaSeq + 1) & 0xffff;
    this.startedAt = nowMs;
    this.startBytes = sender.bytesSent;
    this.clusterAt = nowMs;
    this.clusterBytes = this.startBytes;
    this.timer = setInterval(() => this.tick(this.clock()), TICK_MS);
  }

  get running(): boolean {
    return !this.done;
  }

  /** One pacing step (the timer's; tests call it with their own clock). */
  tick(nowMs: number): void {
    if (this.done) return;
    const r = this.req;
    if (nowMs - this.startedAt >= r.durationMs) {
      const elapsed = Math.max(1, nowMs - this.startedAt);
      const sentBps = ((this.sender.bytesSent - this.startBytes) * 8000) / elapsed;
      this.stop();
      this.handlers.onSent(this.sender.lastMediaSeq, sentBps, nowMs);
      return;
    }
    if (nowMs - this.clusterAt >= r.clusterMs) {
      this.clusterAt = nowMs;
      this.clusterBytes = this.sender.bytesSent;
      return;
    }
    const due = (r.bps * (nowMs - this.clusterAt)) / 8000;
    for (let i = 0; i < MAX_COPIES_PER_TICK && this.sender.bytesSent - this.clusterBytes < due; i++) {
      const n = this.sender.probeCopy(nowMs);
      if (n <= 0) break;
      this.copies++;
      this.copyBytes += n;
    }
  }

  /** Stops sending (early: a failing verdict, probe({ bps: 0 }), the peer's close). Idempotent; no onSent. */
  stop(): void {
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
