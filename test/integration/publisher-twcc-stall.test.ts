import { describe, expect, it } from 'vitest';
import { loopStallHolders } from '../../src/engine/LoopStall.js';
import { publishSimulcast } from '../support/simulcastPublisher.js';
import { startTree } from '../support/tree.js';
import { twccFeedbackIn } from '../support/twccDecode.js';

// Issue 20: when the origin's event loop is blocked, the packets a publisher sends meanwhile
// still arrive (libdatachannel's threads receive and decrypt them) but reach JavaScript in one
// burst afterwards. The transport-cc feedback must not show that as a jump of the stall's length
// (docs/abr.md "Publishers: stalls of the origin's loop"). The origin runs in this process, so a
// busy-wait here blocks its loop; the node-datachannel publisher (also here) sends from inside
// the busy-wait, its packets leaving on libdatachannel's threads as a remote sender's would.

const STALL_MS = 300;
/** Normal gaps are a frame's (33 ms) plus this machine's jitter; a stamp at the stall's end shows ~STALL_MS. */
const MAX_GAP_MS = 150;

const until = async (what: string, ms: number, ok: () => boolean): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('publishers: transport-cc across a stall of the origin', () => {
  it('spreads the packets that arrived during a 300 ms block of the loop over it, instead of a 300 ms jump', async () => {
    const tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    let pub: Awaited<ReturnType<typeof publishSimulcast>> | null = null;
    try {
      pub = await publishSimulcast(`${tree.origin.node.url}/whip/stall`, 30, undefined, { transportCc: true });
      const arrivals = (): Map<number, number | null> => {
        // The last report of a sequence number wins (a late packet is reported again).
        const m = new Map<number, number | null>();
        for (const d of pub!.rtcp.flatMap((b) => twccFeedbackIn(b))) for (const p of d.packets) m.set(p.seq, p.arrivalUs);
        return m;
      };
      await until('feedback on 90 packets', 15_000, () => arrivals().size >= 90);
      const firstInStall = pub.transportSeqsSent();
      const from = performance.now();
      for (let next = from; performance.now() - from < STALL_MS;) {
        // The loop is blocked; the publisher's frames still leave every 33 ms.
        if (performance.now() >= next) {
          pub.sendFrame();
          next += 33;
        }
      }
      const lastInStall = pub.transportSeqsSent() - 1;
      await until('feedback past the stall', 10_000, () => [...arrivals().keys()].some((s) => s > lastInStall + 30));
      const got = arrivals();
      const seqs = [...got.keys()].filter((s) => s >= firstInStall - 30 && s <= lastInStall + 30 && got.get(s) !== null).sort((a, b) => a - b);
      expect(seqs.filter((s) => s >= firstInStall && s <= lastInStall).length).toBeGreaterThan(20);
      const gaps = seqs.slice(1).map((s, i) => (got.get(s)! - got.get(seqs[i]!)!) / 1000);
      expect(Math.max(...gaps)).toBeLessThan(MAX_GAP_MS);
      // The stall's packets, spread: in order, and over a good part of the stall.
      const inStall = seqs.filter((s) => s >= firstInStall && s <= lastInStall).map((s) => got.get(s)! / 1000);
      inStall.slice(1).forEach((t, i) => expect(t).toBeGreaterThanOrEqual(inStall[i]!));
      expect(inStall[inStall.length - 1]! - inStall[0]!).toBeGreaterThan(STALL_MS / 2);
      expect(tree.origin.whip.publishers.get('stall')?.transportCcState()?.stallAdjusted).toBeGreaterThan(0);
      const metrics = await (await fetch(`${tree.origin.node.url}/metrics`)).text();
      expect(metrics).toMatch(/canopy_twcc_stall_adjusted_total\{what="arrivals"\} [1-9]/);
      expect(metrics).toMatch(/canopy_twcc_stall_adjusted_total\{what="feedback"\} [1-9]/);
    } finally {
      await pub?.close();
      await tree.close();
    }
    await tree.assertEmpty();
    expect(loopStallHolders()).toEqual({ holders: 0, running: false });
  }, 40_000);
});
