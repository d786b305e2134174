import { describe, expect, it } from 'vitest';
import { publishSimulcast, TWCC_URI } from '../support/simulcastPublisher.js';
import { startTree } from '../support/tree.js';
import { twccFeedbackIn, type DecodedTwcc } from '../support/twccDecode.js';

// Issue 20: the origin gives WHIP publishers transport-cc feedback when they offer it (their own
// estimator then ramps up with probing), REMB when they do not. A node-datachannel publisher
// (three layers, OBS-style: test/support/simulcastPublisher.ts) reads the origin's RTCP as it
// arrives, through SRTCP, as a browser would.

const until = async (what: string, ms: number, ok: () => boolean): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('publishers: transport-cc feedback, or REMB', () => {
  it('answers transport-cc when offered and reports every packet of every layer, with no REMB', async () => {
    const tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    let pub: Awaited<ReturnType<typeof publishSimulcast>> | null = null;
    try {
      pub = await publishSimulcast(`${tree.origin.node.url}/whip/tcc`, 30, undefined, { transportCc: true });
      expect(pub.answer).toContain(`a=extmap:5 ${TWCC_URI}`);
      expect(pub.answer).toMatch(/^a=rtcp-fb:96 transport-cc\r?$/m);
      const feedback = (): DecodedTwcc[] => pub!.rtcp.flatMap((b) => twccFeedbackIn(b));
      // Three layers at 30 packets a second each: 90 a second.
      await until('feedback on 270 packets', 15_000, () => new Set(feedback().flatMap((d) => d.packets.map((p) => p.seq))).size >= 270);
      const fb = feedback();
      const sent = pub.transportSeqsSent();
      // Status per sequence number, the last report winning (a late packet is reported again).
      const status = new Map<number, number | null>();
      for (const d of fb) for (const p of d.packets) status.set(p.seq, p.arrivalUs);
      const seqs = [...status.keys()].sort((a, b) => a - b);
      expect(seqs[0]).toBe(0);
      expect(seqs[seqs.length - 1]!).toBeLessThan(sent);
      // Every sequence number from the first to the last, once each: no gap between feedbacks.
      expect(seqs.length).toBe(seqs[seqs.length - 1]! + 1);
      const received = seqs.filter((s) => status.get(s) !== null);
      expect(received.length / seqs.length).toBeGreaterThan(0.95); // loopback
      // Arrival times span about the time it took to send them (90 a second), in order of sending.
      const span = (status.get(received[received.length - 1]!)! - status.get(received[0]!)!) / 1e6;
      const expectedSpan = (received[received.length - 1]! - received[0]!) / 90;
      expect(span).toBeGreaterThan(expectedSpan * 0.5);
      expect(span).toBeLessThan(expectedSpan * 2 + 0.5);
      // Feedback every 50-250 ms (the first within ~100 ms of media), counted modulo 256.
      const seconds = expectedSpan;
      expect(fb.length).toBeGreaterThanOrEqual(Math.floor(seconds * 4) - 1);
      expect(fb.length).toBeLessThanOrEqual(Math.ceil(seconds * 20) + 2);
      fb.forEach((d, i) => i > 0 && expect((d.feedbackCount - fb[i - 1]!.feedbackCount) & 0xff).toBe(1));
      expect(pub.rtcp.some((b) => b.includes('REMB'))).toBe(false);
      expect(tree.origin.whip.publishers.get('tcc')?.transportCcState()).toMatchObject({ extId: 5 });
    } finally {
      await pub?.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 30_000);

  it('keeps REMB for a publisher that offers no transport-cc', async () => {
    const tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    let pub: Awaited<ReturnType<typeof publishSimulcast>> | null = null;
    try {
      pub = await publishSimulcast(`${tree.origin.node.url}/whip/remb`, 30);
      expect(pub.answer).not.toContain(TWCC_URI);
      expect(pub.answer).not.toContain('transport-cc');
      await until('a REMB', 10_000, () => pub!.rtcp.some((b) => b.includes('REMB')));
      expect(pub.rtcp.flatMap((b) => twccFeedbackIn(b))).toEqual([]);
      expect(tree.origin.whip.publishers.get('remb')?.transportCcState()).toBeNull();
    } finally {
      await pub?.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 30_000);
});
