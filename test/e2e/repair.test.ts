import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../scripts/demo/static.js';
import { createLossNet, hostSideFlags, lossNetUnavailable, type LossNet } from '../support/lossNet.js';
import { CHROMIUM_ARGS, inboundVideo, openPage, pageState, poll, proxyThroughHost, remoteSdp, type PublishState, type WatchState } from '../support/pages.js';
import { startTree, type Tree } from '../support/tree.js';

// Loss repair with real browsers: Chromium negotiates RTX both ways, and under nftables loss
// in a network namespace (docs/repair.md) its NACKs are answered and the origin repairs an
// uplink. The figures (share recovered, keyframe requests, frame rate) are in `npm run bench
// -- --only loss`; here only that it works.

const PUBLIC_DIR = fileURLToPath(new URL('../../scripts/demo/public/', import.meta.url));
const ICE_PORTS: [number, number] = [47100, 47599];
const unavailable = lossNetUnavailable();
if (unavailable) console.warn(`lossy Chromium tests skipped: ${unavailable}`);

let browser: Browser;
let pages: StaticServer;
let tree: Tree | null = null;
let net: LossNet | null = null;
const contexts: BrowserContext[] = [];
const browsers: Browser[] = [];

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  for (const b of browsers.splice(0)) await b.close().catch(() => undefined);
  const [t, n] = [tree, net];
  tree = null;
  net = null;
  try {
    await t?.close();
    await t?.assertEmpty();
  } finally {
    n?.close(); // even when the tree's close failed: a namespace left behind holds its subnet
  }
});

/** A tree reachable from the namespace: every node on the host end of the veth. */
async function lossyTree(n: LossNet, originFlags: string[] = []): Promise<Tree> {
  return startTree({
    level1: 1,
    level2PerLevel1: 1,
    flags: hostSideFlags(n.hostIp, ICE_PORTS),
    relayFlags: ['--no-siblings'],
    originFlags,
  });
}

/** A context in a Chromium running inside the namespace, its pages fetched through the host. */
async function contextInNamespace(n: LossNet): Promise<BrowserContext> {
  const b = await chromium.launch({ executablePath: n.chromiumWrapper(), headless: true, args: CHROMIUM_ARGS });
  browsers.push(b);
  const c = await b.newContext();
  contexts.push(c);
  await proxyThroughHost(c, [pages.url]);
  return c;
}

async function hostContext(): Promise<BrowserContext> {
  const c = await browser.newContext();
  contexts.push(c);
  return c;
}

async function publish(context: BrowserContext, origin: string, stream: string): Promise<Page> {
  const p = await openPage(context, pages.url, 'publish.html', { origin, stream, codec: 'VP8', source: 'pattern', audio: '1' });
  await p.click('#start');
  await poll('the publisher to send video', 30_000, async () => {
    const s = await pageState<PublishState>(p);
    return s.connectionState === 'connected' && s.framesEncoded > 0;
  });
  return p;
}

async function watch(context: BrowserContext, relay: string, stream: string): Promise<Page> {
  const v = await openPage(context, pages.url, 'watch.html', { relay, stream });
  await v.click('#start');
  let before = -1;
  await poll('video to play', 30_000, async () => {
    const s = await pageState<WatchState>(v);
    const rising = before >= 0 && s.framesDecoded > before;
    before = s.framesDecoded;
    return rising && s.videoWidth > 0;
  });
  return v;
}

describe('Chromium with loss repair', () => {
  it('publishes and plays with RTX negotiated on both hops', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1 });
    const leaf = tree.relays[1]!;
    const c = await hostContext();
    const p = await publish(c, tree.origin.url, 'rtx');
    const v = await watch(c, leaf.url, 'rtx');
    // Our answers keep RTX (apt = the video codec) and tie its SSRC to the media's (FID).
    expect(await remoteSdp(p)).toMatch(/a=rtpmap:\d+ rtx\/90000/i);
    const viewerSdp = await remoteSdp(v);
    expect(viewerSdp).toMatch(/a=rtpmap:\d+ rtx\/90000/i);
    expect(viewerSdp).toMatch(/a=ssrc-group:FID \d+ \d+/);
    const a = await pageState<WatchState>(v);
    let b = a;
    await poll('20 more frames decoded', 10_000, async () => (b = await pageState<WatchState>(v)).framesDecoded > a.framesDecoded + 20);
    expect(b.codec).toBe('video/VP8');
  }, 90_000);

  it.skipIf(unavailable !== null)(
    'answers the NACKs of a level-2 viewer whose last mile drops 3% of packets, which keeps playing',
    async () => {
      net = createLossNet(`e${process.pid % 1000}`, 70 + (process.pid % 50));
      tree = await lossyTree(net);
      const leaf = tree.relays[1]!;
      await publish(await hostContext(), tree.origin.url, 'lossy');
      const viewer = await watch(await contextInNamespace(net), leaf.url, 'lossy');
      net.setLoss(3, { direction: 'in', ports: ICE_PORTS });
      const a = (await inboundVideo(viewer))!;
      const t0 = Date.now();
      let b = a;
      // Until losses were repaired and 120 frames played since (at 10 fps or more: checked below).
      await poll('NACKs answered with retransmissions, and 120 frames decoded', 30_000, async () => {
        b = (await inboundVideo(viewer))!;
        return b.nackCount > a.nackCount && b.retransmittedPacketsReceived > a.retransmittedPacketsReceived && b.framesDecoded - a.framesDecoded > 12 * 10;
      });
      const seconds = (Date.now() - t0) / 1000;
      expect(net.counters().dropped).toBeGreaterThan(0);
      expect((b.framesDecoded - a.framesDecoded) / seconds, `${b.framesDecoded - a.framesDecoded} frames in ${seconds} s`).toBeGreaterThanOrEqual(10);
      expect(leaf.node.counters.retransmitted.get()).toBeGreaterThan(0);
    },
    120_000,
  );

  it.skipIf(unavailable !== null)(
    'repairs at the origin a publisher whose uplink drops 3% of packets',
    async () => {
      net = createLossNet(`u${process.pid % 1000}`, 120 + (process.pid % 50));
      tree = await lossyTree(net);
      const leaf = tree.relays[1]!;
      const publisher = await publish(await contextInNamespace(net), tree.origin.url, 'uplink');
      const viewer = await watch(await hostContext(), leaf.url, 'uplink');
      net.setLoss(3, { direction: 'out', ports: ICE_PORTS });
      const a = await pageState<WatchState>(viewer);
      const t0 = Date.now();
      let b = a;
      const c = tree.origin.node.counters;
      // Until the origin repaired losses and 120 frames played since (at 10 fps or more: checked below).
      await poll('the origin to recover lost packets, and 120 frames decoded', 30_000, async () => {
        b = await pageState<WatchState>(viewer);
        return c.nacksSent.get() > 0 && c.recovered.get() > 0 && b.framesDecoded - a.framesDecoded > 12 * 10;
      });
      const seconds = (Date.now() - t0) / 1000;
      expect(net.counters().dropped).toBeGreaterThan(0);
      expect((b.framesDecoded - a.framesDecoded) / seconds, `${b.framesDecoded - a.framesDecoded} frames in ${seconds} s`).toBeGreaterThanOrEqual(10);
      expect((await pageState<PublishState>(publisher)).connectionState).toBe('connected');
    },
    120_000,
  );
});
