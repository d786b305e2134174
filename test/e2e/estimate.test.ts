import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../scripts/demo/static.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import type { ViewerSession } from '../../src/session/ViewerSession.js';
import { createLossNet, hostSideFlags, lossNetUnavailable, type LossNet } from '../support/lossNet.js';
import { CHROMIUM_ARGS, openPage, pageState, poll, proxyThroughHost, remoteSdp, type PublishState, type WatchState } from '../support/pages.js';
import { startTree, type Tree } from '../support/tree.js';

// A Chromium viewer on the native engine negotiates transport-cc, sends its feedback, and gets
// a per-viewer estimate (docs/abr.md "Estimate"). Behind an nftables rate cap on the relay's
// port towards it (`limit rate over N kbytes/second drop`, in its namespace) the estimate goes
// under the cap; when the cap lifts it climbs back. Run under `flock /tmp/canopy-netns.lock`.
// CANOPY_ESTIMATE_FIGURES=1 prints the estimate's trace.

const PUBLIC_DIR = fileURLToPath(new URL('../../scripts/demo/public/', import.meta.url));
const ICE_PORTS: [number, number] = [47100, 47599];
const NATIVE_PORT = 47700;
const native = NativeEngine.available();
const unavailable = lossNetUnavailable() ?? (native.ok ? null : `native engine: ${native.why}`);
if (unavailable) console.warn(`estimate tests skipped: ${unavailable}`);
const figures = process.env.CANOPY_ESTIMATE_FIGURES === '1';

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

/** Caps what the namespace receives from the native port at kbytes/s (nftables' limit: a policer), or lifts the cap (0). */
function rateCap(n: LossNet, kbytesPerSecond: number): void {
  const lines = ['flush chain netdev rp_loss in'];
  // Counted first, then what is over the rate dropped (and counted): LossNet.counters() reads both.
  if (kbytesPerSecond > 0)
    lines.push(
      `add rule netdev rp_loss in udp sport ${NATIVE_PORT} counter`,
      `add rule netdev rp_loss in udp sport ${NATIVE_PORT} limit rate over ${kbytesPerSecond} kbytes/second counter drop`,
    );
  execFileSync('ip', ['netns', 'exec', n.ns, 'nft', '-f', '-'], { input: `${lines.join('\n')}\n` });
}

async function watchInNamespace(n: LossNet, relay: string, stream: string): Promise<Page> {
  const b = await chromium.launch({ executablePath: n.chromiumWrapper(), headless: true, args: CHROMIUM_ARGS });
  browsers.push(b);
  const c = await b.newContext();
  contexts.push(c);
  await proxyThroughHost(c, [pages.url]);
  const v = await openPage(c, pages.url, 'watch.html', { relay, stream });
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

describe.skipIf(unavailable !== null)('a Chromium viewer on the native engine', () => {
  it('sends transport-cc feedback; its estimate goes under a rate cap within 10 s and climbs back after it lifts', async () => {
    net = createLossNet(`b${process.pid % 1000}`, 180 + (process.pid % 50));
    tree = await startTree({
      level1: 0,
      level2PerLevel1: 0,
      serveViewers: true,
      flags: [...hostSideFlags(net.hostIp, ICE_PORTS), '--engine', 'native', '--ice-udp-port', String(NATIVE_PORT)],
    });
    const origin = tree.origin;
    const hostCtx = await browser.newContext();
    contexts.push(hostCtx);
    const p = await openPage(hostCtx, pages.url, 'publish.html', { origin: origin.url, stream: 'bwe', codec: 'VP8', source: 'pattern', audio: '1' });
    await p.click('#start');
    await poll('the publisher to send video', 30_000, async () => {
      const s = await pageState<PublishState>(p);
      return s.connectionState === 'connected' && s.framesEncoded > 0;
    });
    const v = await watchInNamespace(net, origin.url, 'bwe');
    const sdp = await remoteSdp(v);
    expect(sdp).toMatch(/a=extmap:\d+ http:\/\/www\.ietf\.org\/id\/draft-holmer-rmcat-transport-wide-cc-extensions-01/);
    expect(sdp).toMatch(/a=rtcp-fb:\d+ transport-cc/);

    const viewer = (): ViewerSession => [...origin.node.whep.viewers.values()][0]!;
    const trace: Array<[number, number, string, number]> = [];
    const t0 = Date.now();
    const sample = (): NonNullable<ViewerSession['estimate']> | null => {
      const e = viewer()?.estimate ?? null;
      if (e) trace.push([Date.now() - t0, e.bps, e.source, e.sentBps]);
      return e;
    };
    // A sane estimate from transport-cc: at least what we send it, at most the estimator's ceiling.
    await poll('a transport-cc estimate', 15_000, async () => sample()?.source === 'twcc');
    await new Promise((r) => setTimeout(r, 5000));
    const clean = sample()!;
    expect(clean.source).toBe('twcc');
    // Not far under what the clean link carries (the sent rate is bursty: keyframes).
    expect(clean.bps, JSON.stringify(trace)).toBeGreaterThan(clean.sentBps * 0.5);
    expect(clean.bps).toBeLessThanOrEqual(20_000_000);
    // /api/state's body (its HTTP route is behind the admin gate off loopback).
    const listed = origin.node.state().streams.find((s) => s.name === 'bwe')?.viewerList?.[0]?.estimate as { bps: number; source: string } | undefined;
    expect(listed?.source).toBe('twcc');
    expect(listed?.bps).toBeGreaterThan(0);

    // The cap: 62 kbytes/s (the 500 kbit/s) when the stream is well above it, else half of what it sends.
    const capKBps = Math.max(8, Math.min(62, Math.floor(clean.sentBps / 8 / 1000 / 2)));
    const capBps = capKBps * 8 * 1000;
    rateCap(net, capKBps);
    const capAt = Date.now();
    await poll(`the estimate under the ${capBps / 1000} kbit/s cap`, 10_000, async () => (sample()?.bps ?? Infinity) < capBps);
    const settleMs = Date.now() - capAt;
    expect(net.counters().dropped).toBeGreaterThan(0);
    // What repair did over the next 5 s under the cap: the link is full (we send more than the
    // estimate), so the retransmit share is backed off.
    const c = origin.node.counters;
    const before = { resent: c.retransmitted.get(), limited: c.retransmitSkipped.get({ reason: 'rate_limited' }), asked: c.retransmitRequests.get() };
    await new Promise((r) => setTimeout(r, 5000));
    const capped = sample()!;
    const repair = {
      asked: c.retransmitRequests.get() - before.asked,
      resent: c.retransmitted.get() - before.resent,
      limited: c.retransmitSkipped.get({ reason: 'rate_limited' }) - before.limited,
    };
    expect(capped.sentBps).toBeGreaterThan(capped.bps);
    expect(capped.retransmitShare).toBeLessThan(0.25);

    rateCap(net, 0);
    const liftAt = Date.now();
    await poll('the estimate back over 2x the cap', 20_000, async () => (sample()?.bps ?? 0) > 2 * capBps);
    const climbMs = Date.now() - liftAt;
    if (figures)
      console.log(JSON.stringify({ capKbps: capBps / 1000, settleMs, climbMs, sentBeforeCap: clean.sentBps, capped, repairIn5sCapped: repair, trace }));
    expect((await pageState<WatchState>(v)).connectionState).toBe('connected');
  }, 150_000);
});
