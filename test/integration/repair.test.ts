import { afterEach, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE, FIXTURE_2M } from '../support/fixture.js';
import { startTree, type Tree } from '../support/tree.js';
import { sleep, waitFor } from '../support/webrtc.js';

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

// The 3%-loss tests count at least 40 lost video packets, so about 1,300 sent: 17 s of the
// default fixture's 76 video packets a second, 6 s of the 2 Mbit/s fixture's 224 (test/fixtures/
// README.md). The same counts and thresholds, reached sooner; repair histories are bounded by
// time and bytes (--repair-window, --repair-max-bytes), which both rates stay well inside.
const LOSS_FIXTURE = FIXTURE_2M;

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) sum += Number(line.split(' ').pop());
  return sum;
}

describe('loss repair towards viewers', () => {
  it('gives a level-2 viewer that drops 3% of its video at least 95% of it back, without keyframe requests', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1, originFlags: ['--keyframe-interval', '0'] });
    const l2 = tree.relays[1]!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: LOSS_FIXTURE });
    clients.push(pub);
    await pub.start();
    const viewer = new NodeViewer({ url: `${l2.url}/whep/cam`, rtx: true, nack: true, drop: 0.03, dropSeed: 9 });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    const video = viewer.answerMedia().find((m) => m.kind === 'video')!;
    // RTX negotiated with its own SSRC, tied to the media SSRC (RFC 5576 FID group).
    expect([...video.rtpmap.values()].some((m) => m.codec.toLowerCase() === 'rtx')).toBe(true);
    expect(viewer.answerSdp).toMatch(/^a=ssrc-group:FID \d+ \d+\r?$/m);
    await viewer.waitFor(() => viewer.repair.dropped >= 40, 30_000, 'packets dropped at the viewer');
    const joinPlis = viewer.pliSent;
    // Stop dropping and let the last repairs finish.
    viewer.dropShare = 0;
    await waitFor(() => viewer.repair.recovered / viewer.repair.dropped >= 0.95, 5000, 20, 'the last repairs');
    const r = viewer.repair;
    expect(r.recovered / r.dropped, JSON.stringify(r)).toBeGreaterThanOrEqual(0.95);
    expect(r.rtxReceived).toBeGreaterThanOrEqual(r.recovered);
    expect(r.lossPlis, JSON.stringify(r)).toBeLessThanOrEqual(1);
    expect(viewer.pliSent - joinPlis).toBeLessThanOrEqual(1);
    // Answered by the level-2 relay from its own history.
    expect(await metric(l2.url, 'canopy_nacks_received_total')).toBeGreaterThan(0);
    expect(await metric(l2.url, 'canopy_retransmitted_packets_total')).toBeGreaterThanOrEqual(r.recovered);
    expect(await metric(tree.relays[0]!.url, 'canopy_retransmitted_packets_total')).toBe(0);
  });

  it('does not answer NACKs from a viewer beyond its share of the bitrate', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, relayFlags: ['--retransmit-share', '0.1'] });
    const l1 = tree.relays[0]!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    // A viewer that loses half of what arrives (and of the repairs) asks for far more than 10%.
    const viewer = new NodeViewer({ url: `${l1.url}/whep/cam`, rtx: true, nack: true, drop: 0.5, dropSeed: 3 });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.repair.nacksSent > 100, 20_000, 'NACKs from the lossy viewer');
    const sent = await metric(l1.url, 'canopy_bytes_out_total');
    const resent = await metric(l1.url, 'canopy_retransmitted_packets_total');
    const limited = await metric(l1.url, 'canopy_retransmits_skipped_total');
    expect(limited).toBeGreaterThan(0);
    // Bytes resent stay near 10% of what was sent (packets are ~1 kB; the bucket starts with a few).
    expect(resent * 1200).toBeLessThan(sent * 0.2 + 20_000);
  });
});

describe('loss repair from publishers', () => {
  // Publishers are on node-datachannel whatever the viewers' engine: the ndc project (vitest.config.ts)
  // reruns one form for its level-1 viewer, not the publisher side's second form a second time.
  for (const rtx of process.env.CANOPY_TEST_ENGINE === 'ndc' ? [true] : [true, false]) {
    it(`recovers at least 95% of the 3% of video a publisher loses on its uplink (${rtx ? 'RTX' : 'resent as is'})`, async () => {
      tree = await startTree({ level1: 1, level2PerLevel1: 0 });
      const l1 = tree.relays[0]!;
      const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: LOSS_FIXTURE, loss: 0.03, lossSeed: 5, rtx });
      clients.push(pub);
      await pub.start();
      expect(pub.answerSdp).toMatch(rtx ? /a=rtpmap:\d+ RTX\/90000/i : /^(?![\s\S]*RTX\/90000)/i);
      const viewer = new NodeViewer({ url: `${l1.url}/whep/cam` });
      clients.push(viewer);
      expect((await viewer.start()).status).toBe(201);
      await waitFor(() => pub.lost.size >= 40, 30_000, 10, 'packets lost on the uplink');
      // Stop losing and let the last repairs finish.
      pub.lossShare = 0;
      await waitFor(() => tree!.origin.node.counters.recovered.get() / pub.lost.size >= 0.95, 5000, 20, 'the last repairs');
      const lost = pub.lost.size;
      const recovered = tree.origin.node.counters.recovered.get();
      expect(recovered / lost, `${recovered} of ${lost}`).toBeGreaterThanOrEqual(0.95);
      expect(pub.nacksReceived).toBeGreaterThan(0);
      expect(await metric(tree.origin.url, 'canopy_nacks_sent_total')).toBeGreaterThan(0);
      // The recovered packets went down the tree, late: the level-1 viewer has (nearly) every one.
      const seqs = viewer.video.sequenceNumbers;
      // Relative to the first, across wraparound: the viewer saw well under 32,768 packets.
      const rel = seqs.map((q) => ((q - seqs[0]! + 0x8000) & 0xffff) - 0x8000);
      const span = Math.max(...rel) - Math.min(...rel) + 1;
      expect(span - new Set(rel).size).toBeLessThanOrEqual(Math.ceil(lost * 0.05));
    });
  }
});

describe('keyframe requests', () => {
  it('reach the publisher at most once per interval however many viewers ask, and a joiner still gets a keyframe', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, originFlags: ['--keyframe-interval', '0', '--keyframe-min-interval', '1s'] });
    const l1 = tree.relays[0]!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const viewers = Array.from({ length: 4 }, () => new NodeViewer({ url: `${l1.url}/whep/cam`, audio: false }));
    clients.push(...viewers);
    for (const v of viewers) expect((await v.start()).status).toBe(201);
    // The joiners' own requests have gone up (none deferred on the path), and the interval since the last is over.
    await waitFor(
      () => [tree!.origin, l1].every((n) => (n.node.hub.get('cam')?.pendingTimers ?? 0) === 0) && pub.keyframeRequests > 0,
      5000,
      10,
      'the joiners’ keyframe requests settled',
    );
    await waitFor(() => Date.now() - pub.lastKeyframeRequestAt >= 1000, 3000, 10, 'an interval since the last request');
    const before = pub.keyframeRequests;
    const t0 = Date.now();
    // Every viewer asks 20 times a second for 3 s: 240 requests.
    for (let i = 0; i < 60; i++) {
      for (const v of viewers) v.requestKeyframe();
      await sleep(50);
    }
    const elapsed = Date.now() - t0;
    const got = pub.keyframeRequests - before;
    expect(got).toBeGreaterThanOrEqual(2);
    // One at once, then one at the end of each second that had requests.
    expect(got).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
    const suppressed = tree.origin.node.counters.keyframeRequests.get({ result: 'suppressed' });
    expect(suppressed).toBeGreaterThan(0);
    // A viewer joining now is asked a keyframe for at once or at the interval's end.
    const joiner = new NodeViewer({ url: `${l1.url}/whep/cam`, audio: false });
    clients.push(joiner);
    const k0 = pub.keyframeRequests;
    expect((await joiner.start()).status).toBe(201);
    await waitFor(() => pub.keyframeRequests > k0, 2500, 10, 'the joiner’s keyframe request at the publisher');
  });
});
