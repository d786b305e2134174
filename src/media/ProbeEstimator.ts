// The rate a probe cluster reached the viewer at (issue 20, docs/abr.md "Probing"): the
// measuring half of bandwidth probing, fed by the engines (transport-cc feedback, and the
// sequence range of each cluster the data plane sent). Its rules follow libwebrtc's
// ProbeBitrateEstimator: the send rate over the cluster's send interval (without the last
// packet's bytes), the receive rate over its arrival interval (without the first one's), the
// smaller of the two; a receive rate under 0.9 x the send rate means the cluster found the
// link's capacity, and the result is 0.95 x the receive rate. Unlike libwebrtc, a cluster that
// lost packets is not thrown away: a policer (a token bucket that drops, with no queue to delay)
// shows itself only by loss, so what still arrived, over at least the send interval, is the rate.
// What to do with a result is decided elsewhere (ProbeControl.ts, BandwidthEstimator.onProbe).

import type { TwccPacket } from './BandwidthEstimator.js';

/** A probe train (EnginePeer.probe, src/engine/engine.ts): padding on top of what is sent, up to bps, for durationMs. */
export interface ProbeRequest {
  /** Train id (> 0), chosen by the caller; the outcome names it. */
  id: number;
  /** The rate to send the viewer at during the train (media and padding), bits/s. */
  bps: number;
  durationMs: number;
  /** Each cluster's length (libwebrtc's probe clusters: tens of ms, at least 5 packets). */
  clusterMs: number;
  /** The train passes when every cluster the viewer received reached this rate (the layer it is for). */
  passBps: number;
  /** When the data plane stops the train on its own, from the feedback (ProbeAbort; absent: it does not). */
  abort?: ProbeAbort;
}

/**
 * The data plane's rule for stopping a failing train the moment the viewer's transport-cc
 * feedback shows it (native/src/probe.h ProbeAbort), decided here (ProbeControl's policy) and
 * applied there, on the receive thread, before the feedback reaches JavaScript.
 */
export interface ProbeAbort {
  /** Stop when at least `lost` of the last `window` packets of the train reported were lost (1..64). */
  lost: number;
  window: number;
  /** Stop when the train's packets, sent over at least spanMs, arrive at under ratio x the rate they were sent at. */
  ratio: number;
  spanMs: number;
}

/** Why the data plane stopped a train early (event 8's tenth value). */
export type ProbeAbortReason = 'loss' | 'slow';

export interface ProbeOutcome {
  id: number;
  passed: boolean;
  /** The rate the viewer received the train at (the smallest cluster result); null: the feedback said nothing. */
  bps: number | null;
  /** Clusters judged, and padding bytes the data plane sent for the train. */
  clusters: number;
  /** The data plane stopped the train on its feedback, and why (a failure: the link showed it cannot carry the rate). */
  aborted?: ProbeAbortReason;
}

/** One cluster of a probe train as the data plane sent it (native event 7). */
export interface ProbeCluster {
  train: number;
  cluster: number;
  /** Transport-wide sequence numbers of the cluster, first and last (unwrapped; -1: nothing sent). */
  firstSeq: number;
  lastSeq: number;
  /** Bytes sent in the cluster (media and padding) and padding packets. */
  bytes: number;
  padding: number;
  startMs: number;
  endMs: number;
  /** The train ended with this cluster. */
  last: boolean;
  /** With last: the data plane stopped the train early on the viewer's feedback, and why. */
  aborted?: ProbeAbortReason;
}

export interface ClusterResult {
  train: number;
  cluster: number;
  last: boolean;
  /** The probe's rate, bits/s; null when the cluster says nothing (too few packets, odd intervals). */
  bps: number | null;
  sendBps: number;
  receiveBps: number;
  /** Share of the cluster's packets reported lost. */
  loss: number;
}

/** A cluster of fewer packets says nothing (libwebrtc's minimum probe count; a train's cut-off end may be shorter). */
const MIN_PACKETS = 5;
/** libwebrtc's ProbeBitrateEstimator constants. */
const MIN_REPORTED_SHARE = 0.8;
const MAX_VALID_RATIO = 2;
const MIN_RATIO_UNSATURATED = 0.9;
const TARGET_UTILIZATION = 0.95;
const MAX_INTERVAL_MS = 1000;
/** A cluster whose feedback has not all come this long after it ended is judged on what came. */
const FEEDBACK_WAIT_MS = 1000;
/** Feedback kept for clusters whose range is not known yet (the cluster event may come after some of it). */
const KEEP_PACKETS = 4096;

/**
 * The rate of one cluster from its packets' feedback (pure): `reported` are the packets of the
 * cluster's range that feedback covered (arrivalMs null: lost), `unreported` how many more the
 * range held.
 */
export function clusterRate(
  reported: ReadonlyArray<{ sendMs: number; size: number; arrivalMs: number | null }>,
  unreported = 0,
): Omit<ClusterResult, 'train' | 'cluster' | 'last'> {
  const none = { bps: null, sendBps: 0, receiveBps: 0, loss: 0 };
  if (reported.length < 2 || reported.length + unreported < MIN_PACKETS) return none;
  let firstSend = Infinity;
  let lastSend = -Infinity;
  let lastSendSize = 0;
  let total = 0;
  let lost = 0;
  let firstArrival = Infinity;
  let firstArrivalSize = 0;
  let lastArrival = -Infinity;
  let receivedBytes = 0;
  for (const p of reported) {
    total += p.size;
    if (p.sendMs < firstSend) firstSend = p.sendMs;
    if (p.sendMs >= lastSend) {
      lastSend = p.sendMs;
      lastSendSize = p.size;
    }
    if (p.arrivalMs === null) {
      lost++;
      continue;
    }
    receivedBytes += p.size;
    if (p.arrivalMs < firstArrival) {
      firstArrival = p.arrivalMs;
      firstArrivalSize = p.size;
    }
    if (p.arrivalMs > lastArrival) lastArrival = p.arrivalMs;
  }
  if (reported.length < MIN_REPORTED_SHARE * (reported.length + unreported)) return none;
  const loss = lost / reported.length;
  const sendInterval = lastSend - firstSend;
  if (!(sendInterval > 0) || sendInterval > MAX_INTERVAL_MS) return { ...none, loss };
  const sendBps = ((total - lastSendSize) * 8000) / sendInterval;
  const received = reported.length - lost;
  // Everything (or all but one) lost: the link carried none of it at this rate.
  if (received < 2) return { bps: 0, sendBps, receiveBps: 0, loss };
  let receiveInterval = lastArrival - firstArrival;
  // Packets a policer dropped were never delayed: what arrived did so over the send interval at least.
  if (lost > 0) receiveInterval = Math.max(receiveInterval, sendInterval);
  if (!(receiveInterval > 0) || receiveInterval > MAX_INTERVAL_MS) return { ...none, sendBps, loss };
  const receiveBps = ((receivedBytes - firstArrivalSize) * 8000) / receiveInterval;
  if (receiveBps > MAX_VALID_RATIO * sendBps) return { ...none, sendBps, receiveBps, loss };
  let bps = Math.min(sendBps, receiveBps);
  if (receiveBps < MIN_RATIO_UNSATURATED * sendBps) bps = TARGET_UTILIZATION * receiveBps;
  return { bps, sendBps, receiveBps, loss };
}

/**
 * One viewer's probe clusters: matches transport-cc feedback (as BandwidthEstimator gets it) to
 * the clusters' sequence ranges and gives each cluster's result once, when all its packets are
 * reported or FEEDBACK_WAIT_MS after it ended.
 */
export class ProbeEstimator {
  /** Recent feedback by transport-wide sequence number (the first report of each, a later arrival replaces a loss). */
  private readonly packets = new Map<number, TwccPacket>();
  private readonly pending: ProbeCluster[] = [];

  /** A cluster the data plane finished sending. Returns results now due (normally none yet). */
  onCluster(c: ProbeCluster, nowMs: number): ClusterResult[] {
    this.pending.push(c);
    return this.due(nowMs);
  }

  /** One batch of transport-cc feedback. Returns the clusters it completed. */
  onTwcc(batch: readonly TwccPacket[], nowMs: number): ClusterResult[] {
    for (const p of batch) {
      const had = this.packets.get(p.seq);
      if (!had || (had.arrivalMs === null && p.arrivalMs !== null)) {
        if (had) this.packets.delete(p.seq);
        this.packets.set(p.seq, p);
      }
    }
    // Oldest first (Map keeps insertion order).
    while (this.packets.size > KEEP_PACKETS) this.packets.delete(this.packets.keys().next().value!);
    return this.due(nowMs);
  }

  /** Clusters whose feedback is complete, or overdue, judged and dropped. */
  due(nowMs: number): ClusterResult[] {
    const out: ClusterResult[] = [];
    for (let i = 0; i < this.pending.length;) {
      const c = this.pending[i]!;
      const r = this.judge(c, nowMs);
      if (r) {
        out.push(r);
        this.pending.splice(i, 1);
      } else i++;
    }
    return out;
  }

  get pendingClusters(): number {
    return this.pending.length;
  }

  private judge(c: ProbeCluster, nowMs: number): ClusterResult | null {
    const head = { train: c.train, cluster: c.cluster, last: c.last };
    if (c.firstSeq < 0 || c.lastSeq < c.firstSeq) return { ...head, bps: null, sendBps: 0, receiveBps: 0, loss: 0 };
    const reported: TwccPacket[] = [];
    for (let s = c.firstSeq; s <= c.lastSeq; s++) {
      const p = this.packets.get(s);
      if (p) reported.push(p);
    }
    const unreported = c.lastSeq - c.firstSeq + 1 - reported.length;
    if (unreported > 0 && nowMs - c.endMs < FEEDBACK_WAIT_MS) return null;
    const r = clusterRate(reported, unreported);
    return { ...head, ...r };
  }
}
