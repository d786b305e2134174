// Whether each simulcast layer of a group flows (issue 20, docs/abr.md "A layer that stops"):
// the one home of that judgement. A publisher may stop a layer mid-session (Chromium drops its
// top encoding when its bandwidth estimate falls; mediasoup's RtpStreamRecv then scores the
// stream 0 after 1.5 s without packets and its SimulcastConsumer treats it as unavailable). A
// viewer on that layer must move to one that flows, and the chooser must not pick it, yet a
// layer this node has simply not pulled yet must stay pullable. So a layer is judged only while
// it is *expected* here (the viewer holds a LayerDemand reference on it, so the tree pulls it):
//
//   unseen  --packet-->  flowing  --expected, silent for stopMs while a sibling flows-->  stopped
//   unseen (expected, nothing for pullGraceMs while a sibling flows) ------------------->  stopped
//   stopped --its keyframe, or packets for resumeMs without a gap of stopMs-->  flowing
//   stopped --no longer expected (nobody here would see it come back)-->  unseen
//
// Silence is measured in capture time (MediaPacket.captureMs, the origin's receive time) against
// the group's other layers, not in this node's wall time: a relay whose event loop stalls, or
// that gets a burst after a link hiccup, sees every layer's packets with their own capture times
// and judges nothing, and a time-shift replay (capture times in the past) is judged by the gaps in
// what it replays. Wall time only says when to look for another layer (`quiet`): when nothing of
// the group reaches this node at all, there is no sibling to compare with.

export type FlowState = 'unseen' | 'flowing' | 'stopped';

export interface FlowTimes {
  /**
   * A layer that flowed and sends no packet this long while a sibling does has stopped. Chromium
   * sends a frame every 33-100 ms (30-10 fps, lower only under heavy CPU adaptation), so 1 s is
   * 10-30 frames missing, not jitter; a longer wait is a longer freeze for the viewers on it.
   */
  stopMs: number;
  /**
   * A layer expected here but not seen yet gets this long: a pull has to travel up the tree and
   * the first packets back (and a time-shift replay from a relay's window B may not hold that
   * layer at all for that period).
   */
  pullGraceMs: number;
  /** A stopped layer flows again after its keyframe or after this long of packets (a viewer moves back to it). */
  resumeMs: number;
}

export const FLOW_TIMES: Readonly<FlowTimes> = Object.freeze({ stopMs: 1000, pullGraceMs: 3000, resumeMs: 1000 });

interface LayerFlowState {
  state: FlowState;
  /** Capture time of its latest packet (-Infinity: none seen). */
  lastCap: number;
  /** Wall time of its latest packet here. */
  lastWall: number;
  /** Capture time from which it is expected (null: not expected; NaN: from the group's next packet). */
  expectFrom: number | null;
  /** Wall time at which it became expected. */
  expectWall: number;
  /** While stopped: capture time of the first packet of the current run (NaN: none). */
  resumeFrom: number;
}

/** One simulcast group's layers as one consumer sees them (LayerSwitch): flowing, stopped or not seen yet. */
export class LayerFlow {
  private readonly layers = new Map<number, LayerFlowState>();
  /** The latest capture time of any packet of the group. */
  private groupCap = -Infinity;

  constructor(
    ids: readonly number[],
    private readonly times: FlowTimes = FLOW_TIMES,
  ) {
    for (const id of ids) this.layers.set(id, { state: 'unseen', lastCap: -Infinity, lastWall: -Infinity, expectFrom: null, expectWall: 0, resumeFrom: NaN });
  }

  state(id: number): FlowState {
    return this.layers.get(id)?.state ?? 'unseen';
  }

  /** Flowing now: seen within stopMs of the group's latest packet. */
  flowingNow(id: number): boolean {
    const l = this.layers.get(id);
    return l !== undefined && l.state === 'flowing' && this.groupCap - l.lastCap < this.times.stopMs;
  }

  /**
   * A packet of layer `id`. Returns true when a layer's state changed (one stopped, resumed or
   * was seen for the first time): the consumer reconsiders its target then. Per packet: a few
   * comparisons per layer of the group.
   */
  onPacket(id: number, captureMs: number, keyframe: boolean, nowMs: number): boolean {
    const l = this.layers.get(id);
    if (!l) return false;
    let changed = false;
    if (captureMs > this.groupCap) this.groupCap = captureMs;
    if (l.state === 'stopped') {
      // A run of packets starts again after any gap of stopMs.
      if (Number.isNaN(l.resumeFrom) || captureMs - l.lastCap >= this.times.stopMs) l.resumeFrom = captureMs;
      if (keyframe || captureMs - l.resumeFrom >= this.times.resumeMs) {
        l.state = 'flowing';
        l.resumeFrom = NaN;
        changed = true;
      }
    } else if (l.state === 'unseen') {
      l.state = 'flowing';
      changed = true;
    }
    if (captureMs > l.lastCap) l.lastCap = captureMs;
    l.lastWall = nowMs;
    for (const m of this.layers.values()) {
      if (m.expectFrom === null) continue;
      if (Number.isNaN(m.expectFrom)) m.expectFrom = this.groupCap;
      if (m === l || m.state === 'stopped') continue;
      const since = Math.max(m.lastCap, m.expectFrom);
      if (this.groupCap - since >= this.limit(m)) {
        m.state = 'stopped';
        m.resumeFrom = NaN;
        changed = true;
      }
    }
    return changed;
  }

  /** stopMs for a layer that flowed when it became expected or since, else the pull's grace. */
  private limit(m: LayerFlowState): number {
    return m.lastCap >= (m.expectFrom ?? Infinity) - this.times.stopMs ? this.times.stopMs : this.times.pullGraceMs;
  }

  /**
   * Whether this consumer expects layer `id` (holds it in LayerDemand, so this node pulls it).
   * Only an expected layer can be judged stopped; one no longer expected goes back to unseen,
   * since its return would not be seen here.
   */
  expect(id: number, on: boolean, nowMs: number): void {
    const l = this.layers.get(id);
    if (!l) return;
    if (on) {
      if (l.expectFrom !== null) return;
      l.expectFrom = Number.isFinite(this.groupCap) ? this.groupCap : NaN;
      l.expectWall = nowMs;
      return;
    }
    l.expectFrom = null;
    if (l.state === 'stopped') l.state = 'unseen';
  }

  /**
   * An expected layer that has not been judged and from which nothing has reached this node for
   * its limit, in wall time: nothing of the group may arrive to compare with (a relay that pulls
   * only this layer), so the consumer should pull the others to find out.
   */
  quiet(id: number, nowMs: number): boolean {
    const l = this.layers.get(id);
    if (!l || l.expectFrom === null || l.state === 'stopped') return false;
    const seen = l.lastWall >= l.expectWall - this.times.stopMs;
    return nowMs - Math.max(l.lastWall, l.expectWall) >= (seen ? this.times.stopMs : this.times.pullGraceMs);
  }
}
