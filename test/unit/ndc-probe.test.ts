import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BandwidthReport, ProbeRequest } from '../../src/engine/engine.js';
import { PeerBandwidth } from '../../src/engine/PeerBandwidth.js';
import { ProbeTrain, TICK_MS } from '../../src/engine/ProbeTrain.js';
import { TrackSender } from '../../src/engine/TrackSender.js';
import { PROBE_POLICY } from '../../src/media/ProbeControl.js';
import { ProbeLoss, settleMs } from '../../src/media/ProbeLoss.js';
import { RtpHistory } from '../../src/media/RtpHistory.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { buildNack, buildReceiverReport, buildRemb } from '../../src/rtcp.js';
import { rtpPacket } from '../support/rtp.js';

// Probing on node-datachannel (docs/abr.md "Probing", "node-datachannel"): the train paced in
// JavaScript through the viewer's TrackSender (RTX copies of recent media, one RTX sequence with
// the retransmissions), and its verdict from the viewer's NACKs (ProbeLoss), reported through
// the same ProbeOutcome path as the native engine's.

const SSRC = 0x5151;
const RTX_SSRC = 0x7272;
const RTX_PT = 97;
const UP_SSRC = 0x1111;

interface Sent {
  ssrc: number;
  pt: number;
  seq: number;
  /** RTX: the original sequence number (RFC 4588 §4). */
  osn: number | null;
  bytes: number;
  at: number;
}

function viewerSender() {
  const counters = nodeCounters(new Metrics());
  const history = new RtpHistory({ windowMs: 60_000, maxBytes: 1 << 22 });
  const sender = new TrackSender(
    { ssrc: SSRC, payloadType: 96, clockRate: 90000, rtx: { ssrc: RTX_SSRC, payloadType: RTX_PT }, history, retransmitShare: 1, counters },
    0,
  );
  const got: Sent[] = [];
  sender.out = {
    open: true,
    send: (p) => {
      const b = Buffer.from(p);
      const ssrc = b.readUInt32BE(8);
      got.push({ ssrc, pt: b[1]! & 0x7f, seq: b.readUInt16BE(2), osn: ssrc === RTX_SSRC ? b.readUInt16BE(12) : null, bytes: b.length, at: Date.now() });
      return true;
    },
  };
  let upSeq = 65_000;
  /** One upstream media packet of 1,000 bytes (payload 988), forwarded to the viewer. */
  const media = (): void => {
    const pkt = rtpPacket(UP_SSRC, upSeq, upSeq * 3000, false, Buffer.alloc(988, upSeq & 0xff), 96);
    upSeq = (upSeq + 1) & 0xffff;
    history.push(pkt, Date.now());
    sender.send(pkt, Date.now(), Date.now());
  };
  return { sender, got, media };
}

const req = (over: Partial<ProbeRequest> = {}): ProbeRequest => ({
  id: 1,
  bps: 1_000_000,
  durationMs: 1500,
  clusterMs: 50,
  passBps: 500_000,
  abort: { ...PROBE_POLICY.abort },
  ...over,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ProbeTrain through a TrackSender (node-datachannel data plane)', () => {
  it('tops up what the viewer is sent to the train rate with RTX copies of its newest media, for the train length, then reports the rate sent', () => {
    vi.useFakeTimers({ now: 10_000 });
    const { sender, got, media } = viewerSender();
    for (let i = 0; i < 10; i++) media();
    const before = got.length;
    const sent: Array<{ last: number; bps: number }> = [];
    const train = new ProbeTrain(sender, req(), Date.now(), { onSent: (last, bps) => sent.push({ last, bps }) });
    expect(train.firstMediaSeq).toBe((sender.lastMediaSeq + 1) & 0xffff);
    // Media at 300 kbit/s during the train (a 1,000-byte packet every 26.7 ms), the timer paces the copies.
    for (let t = 0; t < 1600; t += 1) {
      if (t % 27 === 0 && t < 1500) media();
      vi.advanceTimersByTime(1);
    }
    expect(sent).toHaveLength(1);
    expect(train.running).toBe(false);
    const during = got.slice(before);
    const copies = during.filter((p) => p.ssrc === RTX_SSRC);
    const mediaSent = during.filter((p) => p.ssrc === SSRC);
    const bytes = during.reduce((a, p) => a + p.bytes, 0);
    // 1 Mbit/s for 1.5 s: 187.5 kB; the top-up trails each 50 ms cluster by at most a tick.
    expect(bytes).toBeGreaterThan(0.85 * 187_500);
    expect(bytes).toBeLessThan(1.05 * 187_500);
    expect(sent[0]!.bps).toBeGreaterThan(850_000);
    expect(sent[0]!.bps).toBeLessThan(1_050_000);
    expect(copies.length).toBeGreaterThan(2 * mediaSent.length);
    // Each copy is one of the 8 newest media packets sent before it, on the RTX payload type.
    for (const c of copies) {
      expect(c.pt).toBe(RTX_PT);
      const newer = got.filter((p) => p.ssrc === SSRC && p.at <= c.at);
      const newest8 = newer.slice(-8).map((p) => p.seq);
      expect(newest8).toContain(c.osn);
    }
    // Paced, not bursted: each 50 ms of the train carries about 50 ms at the rate (6,250 bytes),
    // within a packet, and no 25 ms pass without a packet.
    for (let w = 0; w < 1500; w += 50) {
      const inW = during.filter((p) => p.at >= 10_000 + w && p.at < 10_000 + w + 50).reduce((a, p) => a + p.bytes, 0);
      expect(inW).toBeGreaterThan(6250 - 1100);
      expect(inW).toBeLessThan(6250 + 1100);
    }
    const times = during.filter((p) => p.at < 10_000 + 1500).map((p) => p.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(5 * TICK_MS);
    // No timer left once it ended: nothing runs while no train does.
    expect(vi.getTimerCount()).toBe(0);
    expect(sent[0]!.last).toBe(sender.lastMediaSeq);
  });

  it('numbers its copies from the RTX sequence the retransmissions use (one RTX stream for the receiver)', () => {
    vi.useFakeTimers({ now: 10_000 });
    const { sender, got, media } = viewerSender();
    for (let i = 0; i < 20; i++) media();
    const first = got[0]!.seq;
    expect(sender.resend([first, (first + 1) & 0xffff], Date.now())).toBe(2);
    const train = new ProbeTrain(sender, req({ durationMs: 200 }), Date.now(), { onSent: () => undefined });
    vi.advanceTimersByTime(100);
    expect(sender.resend([(first + 2) & 0xffff], Date.now())).toBe(1);
    vi.advanceTimersByTime(150);
    expect(train.running).toBe(false);
    expect(sender.resend([(first + 3) & 0xffff], Date.now())).toBe(1);
    const rtx = got.filter((p) => p.ssrc === RTX_SSRC);
    expect(rtx.length).toBeGreaterThan(10);
    // Consecutive RTX sequence numbers across retransmissions and copies, in the order sent.
    for (let i = 1; i < rtx.length; i++) expect(rtx[i]!.seq).toBe((rtx[i - 1]!.seq + 1) & 0xffff);
    // The retransmissions among them carry the packets asked for.
    expect(rtx[0]!.osn).toBe(first);
    expect(rtx[rtx.length - 1]!.osn).toBe((first + 3) & 0xffff);
  });

  it('stop() ends it at once: no more copies, no onSent, no timer', () => {
    vi.useFakeTimers({ now: 10_000 });
    const { sender, got, media } = viewerSender();
    for (let i = 0; i < 10; i++) media();
    let sentCalls = 0;
    const train = new ProbeTrain(sender, req(), Date.now(), { onSent: () => sentCalls++ });
    vi.advanceTimersByTime(200);
    const n = got.length;
    expect(n).toBeGreaterThan(10);
    train.stop();
    train.stop();
    vi.advanceTimersByTime(2000);
    expect(got.length).toBe(n);
    expect(sentCalls).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('ProbeLoss (a train judged by the NACKs of its media)', () => {
  it("3 of 16 of the train's media packets NACKed go on; a 4th in the same 16 fails it; losses 1 in 6 never do", () => {
    const l = new ProbeLoss(100, PROBE_POLICY.abort);
    expect(l.onNack([103, 107, 110], 140)).toBe(false);
    // The same ones again (a receiver repeats its NACKs) change nothing.
    expect(l.onNack([103, 107, 110], 140)).toBe(false);
    // 103, 107, 110 and 117 lie within 16 consecutive numbers (103-118).
    expect(l.onNack([117], 140)).toBe(true);
    expect(l.failed).toBe(true);
    const spread = new ProbeLoss(100, PROBE_POLICY.abort);
    for (let s = 100; s < 400; s += 6) expect(spread.onNack([s], 400)).toBe(false);
    expect(spread.lostCount).toBe(50);
  });

  it("counts only the train's media: numbers sent before it or not sent yet are not its business, nor after its end", () => {
    const l = new ProbeLoss(65_530, PROBE_POLICY.abort);
    // Across the wrap: 65530..65535, 0..9 sent so far.
    expect(l.onNack([65_520, 65_521, 65_522, 65_523, 65_524], 9)).toBe(false);
    expect(l.onNack([10, 11, 12, 13], 9)).toBe(false);
    expect(l.lostCount).toBe(0);
    l.end(20);
    expect(l.onNack([21, 22, 23, 24, 25], 40)).toBe(false);
    expect(l.lostCount).toBe(0);
    // NACKs that come after the end for packets sent during it do count.
    expect(l.onNack([65_534, 0, 3, 5], 40)).toBe(true);
  });

  it('waits for the NACKs of its last packets about 2 RTT after them, within bounds', () => {
    expect(settleMs(-1)).toBe(150);
    expect(settleMs(10)).toBe(150);
    expect(settleMs(100)).toBe(300);
    expect(settleMs(5000)).toBe(1000);
  });
});

describe('a loss-judged train through PeerBandwidth (node-datachannel)', () => {
  function peer() {
    const reports: BandwidthReport[] = [];
    let stops = 0;
    const bw = new PeerBandwidth({ onBandwidth: (e) => reports.push(e) }, () => stops++);
    bw.watchLoss(SSRC);
    return { bw, reports, stops: () => stops };
  }
  const rr = (fractionLost: number): Buffer =>
    buildReceiverReport(1, [{ ssrc: SSRC, fractionLost: Math.round(fractionLost * 256), cumulativeLost: 0, highestSeq: 0, jitter: 0, lsr: 0, dlsr: 0 }]);

  it('NACKs for 4 of 16 of its media fail it at once: the train is stopped, the outcome says loss, the estimate is capped', () => {
    const { bw, reports, stops } = peer();
    bw.onRtcp(buildRemb(1, 900_000, [SSRC]), 0);
    let newest = 1009;
    bw.onLossTrainStarted(req({ bps: 1_050_000, passBps: 778_000 }), 1000, () => newest, 100);
    newest = 1040;
    bw.onRtcp(buildNack(1, SSRC, [1020, 1022]), 600);
    expect(reports.some((r) => r.probe)).toBe(false);
    // NACKs of another SSRC (audio) or of packets sent before the train do not count.
    bw.onRtcp(buildNack(1, 0x999, [1023, 1024, 1025]), 610);
    bw.onRtcp(buildNack(1, SSRC, [995, 996, 997]), 620);
    expect(reports.some((r) => r.probe)).toBe(false);
    bw.onRtcp(buildNack(1, SSRC, [1024, 1026]), 700);
    const out = reports.find((r) => r.probe)!;
    expect(out.probe).toMatchObject({ id: 1, passed: false, aborted: 'loss', bps: null });
    expect(stops()).toBe(1);
    // Capped at min(the estimate before, 0.9 x passBps): 700 kbit/s, under the 778 the layer needs.
    expect(out.bps).toBeLessThanOrEqual(0.9 * 778_000 + 1);
    // Later NACKs change nothing.
    bw.onRtcp(buildNack(1, SSRC, [1030, 1031, 1032, 1033]), 800);
    expect(reports.filter((r) => r.probe)).toHaveLength(1);
  });

  it('no NACK rule fired by the end of its wait: passed at the rate sent, which lifts a REMB-held estimate; its RRs stay out of the loss rule', () => {
    const { bw, reports, stops } = peer();
    bw.onRtcp(buildRemb(1, 520_000, [SSRC]), 0);
    bw.onRtcp(rr(0), 10);
    expect(bw.state()!.bps).toBe(520_000);
    const newest = 1009;
    bw.onLossTrainStarted(req({ bps: 1_050_000, passBps: 778_000 }), 1000, () => newest, 100);
    // A receiver report during the train with 30 % loss (the train's own) cuts nothing.
    bw.onRtcp(rr(0.3), 900);
    bw.onRtcp(buildNack(1, SSRC, [1002, 1005]), 1000);
    bw.onLossTrainSent(1060, 1_040_000, 1500);
    // The first report after the train covers its end: left out too.
    bw.onRtcp(rr(0.3), 1700);
    bw.onLossTrainSettled(1900);
    const out = reports.find((r) => r.probe)!;
    expect(out.probe).toMatchObject({ id: 1, passed: true, bps: 1_040_000 });
    expect(out.bps).toBeGreaterThanOrEqual(1_040_000);
    expect(out.cut).toBe(false);
    expect(stops()).toBe(0);
    // The REMB (its receive-side estimate, 1.5 x what it gets) stays under; the probe's rate holds until the REMB catches up or REMB_FLOOR_MS.
    bw.onRtcp(buildRemb(1, 560_000, [SSRC]), 2500);
    expect(bw.state()!.bps).toBe(1_040_000);
    bw.onRtcp(buildRemb(1, 600_000, [SSRC]), 12_500);
    expect(bw.state()!.bps).toBe(600_000);
    // Reports within TRAIN_AFTERMATH_MS of its end and the first after are left out; then loss counts again.
    bw.onRtcp(rr(0.3), 3000);
    bw.onRtcp(rr(0.3), 3600);
    expect(bw.state()!.bps).toBe(600_000);
    bw.onRtcp(rr(0.3), 12_600);
    expect(bw.state()!.bps).toBeLessThan(600_000);
  });

  it("after a failed train the REMB that crashes (the train's own effect) does not take the estimate under the failure's rate; lossless reports keep a floor, loss cuts under it", () => {
    const { bw } = peer();
    bw.onRtcp(buildRemb(1, 900_000, [SSRC]), 0);
    let newest = 1009;
    bw.onLossTrainStarted(req({ bps: 1_050_000, passBps: 778_000 }), 1000, () => newest, 100);
    newest = 1040;
    bw.onRtcp(buildNack(1, SSRC, [1020, 1022, 1024, 1026]), 700);
    const failedAt = bw.state()!.bps;
    expect(failedAt).toBeLessThanOrEqual(Math.round(0.9 * 778_000));
    // Measured after failed trains at a policer: the REMB falls to 100-200 kbit/s for a few seconds.
    bw.onRtcp(buildRemb(1, 130_000, [SSRC]), 1200);
    expect(bw.state()!.bps).toBe(failedAt);
    // Receiver reports with no loss renew the floor past REMB_FLOOR_MS (the first after the train is left out).
    for (let t = 1700; t <= 30_000; t += 1000) bw.onRtcp(rr(0), t);
    bw.onRtcp(buildRemb(1, 140_000, [SSRC]), 30_100);
    expect(bw.state()!.bps).toBe(failedAt);
    // A loss over 10 % cuts the loss part under the floor, each time it is reported.
    bw.onRtcp(rr(0.3), 30_500);
    const cut = bw.state()!.bps;
    expect(cut).toBeLessThan(0.9 * failedAt);
    bw.onRtcp(rr(0.3), 31_500);
    expect(bw.state()!.bps).toBeLessThan(0.9 * cut);
  });

  it('a train the sender could not send at its rate (a loaded event loop) says nothing: failed without a rate, the estimate unchanged', () => {
    const { bw, reports } = peer();
    bw.onRtcp(buildRemb(1, 520_000, [SSRC]), 0);
    bw.onLossTrainStarted(req({ bps: 1_050_000, passBps: 778_000 }), 1000, () => 1009, 100);
    bw.onLossTrainSent(1060, 600_000, 1500);
    bw.onLossTrainSettled(1900);
    const out = reports.find((r) => r.probe)!;
    expect(out.probe).toMatchObject({ passed: false, bps: null });
    expect(out.probe!.aborted).toBeUndefined();
    expect(out.bps).toBe(520_000);
  });

  it('a train called off (probe with bps 0) gives no verdict, and receiver reports count again at once', () => {
    const { bw, reports } = peer();
    bw.onRtcp(buildRemb(1, 520_000, [SSRC]), 0);
    bw.onLossTrainStarted(req(), 1000, () => 1009, 100);
    bw.onRtcp(rr(0.3), 500);
    expect(bw.state()!.bps).toBe(520_000);
    bw.cancelLossTrain();
    bw.onRtcp(buildNack(1, SSRC, [1000, 1001, 1002, 1003]), 600);
    bw.onLossTrainSettled(2000);
    expect(reports.some((r) => r.probe)).toBe(false);
    bw.onRtcp(rr(0.3), 1500);
    expect(bw.state()!.bps).toBeLessThan(520_000);
  });

  it('a REMB viewer does not count as cut (probes may go), a loss over 10 % does', () => {
    const { bw, reports } = peer();
    bw.onRtcp(buildRemb(1, 520_000, [SSRC]), 0);
    expect(reports.at(-1)).toMatchObject({ source: 'remb', congested: true, cut: false });
    bw.onRtcp(rr(0.3), 1000);
    expect(reports.at(-1)).toMatchObject({ congested: true, cut: true });
  });
});
