import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, VENDOR_MOUNTS, type StaticServer } from '../../scripts/demo/static.js';
import { CHROMIUM_ARGS, openPage } from '../support/browser.js';
import { fixturePath } from '../support/fixture.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { startTree, type Tree } from '../support/tree.js';

interface HlsPageState {
  transport?: string;
  connectionState: string;
  codec: string;
  framesDecoded: number;
  videoWidth: number;
  latencyMs: number | null;
}

type CanopyWindow = { canopy: { state(): Promise<HlsPageState>; stop(): Promise<void> } };

let tree: Tree;
let browser: Browser;
let pages: StaticServer;
let context: BrowserContext;
const clients: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--hls-lease', '2s'] });
  const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: fixturePath('h264-opus-400k.rtp') });
  clients.push(pub);
  await pub.start();
  // A browser whose WebRTC may not use UDP (as behind a firewall that blocks it): with no TURN
  // over TCP, no ICE candidate pair can work, so the page must fall back to HLS.
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, '--force-webrtc-ip-handling-policy=disable_non_proxied_udp'] });
  pages = await serveStatic({ host: '127.0.0.1', port: 0, root: new URL('../../scripts/demo/public/', import.meta.url).pathname, mounts: VENDOR_MOUNTS });
  context = await browser.newContext();
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await pages?.close();
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
});

const state = (page: Page): Promise<HlsPageState> => page.evaluate(() => (window as unknown as CanopyWindow).canopy.state());

describe('watch page: HLS fallback in Chromium', () => {
  it('falls back to LL-HLS (hls.js) when WebRTC does not connect, says so, and plays H.264 from a level-2 relay', async () => {
    const relay = tree.relays[1]!;
    // WebRTC cannot connect (UDP blocked): the page must move to HLS after hlsAfter seconds.
    const page = await openPage(context, pages, 'watch.html', { relay: relay.url, stream: 'cam', autostart: '1', hlsAfter: '2' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    let s = await state(page);
    const until0 = Date.now() + 30_000;
    while (!(s.transport === 'hls' && s.framesDecoded > 60 && s.videoWidth === 640) && Date.now() < until0) {
      await new Promise((r) => setTimeout(r, 500));
      s = await state(page);
    }
    expect(s.transport, JSON.stringify(s)).toBe('hls');
    expect(s.framesDecoded).toBeGreaterThan(60);
    expect(s.codec, JSON.stringify(s)).toMatch(/^avc1\./);
    expect(s.latencyMs).not.toBeNull();
    expect(await page.locator('#notice').textContent()).toMatch(/HLS: WebRTC did not connect within 2 s/);
    expect(relay.node.hls.sessions.size).toBe(1);
    expect(relay.node.viewers.size).toBe(0); // the WebRTC attempt was ended
    expect(errors).toEqual([]);
    await page.evaluate(() => (window as unknown as CanopyWindow).canopy.stop());
    await page.close();
    // The page stopped fetching: the packager and the pull stop after the lease.
    const until = Date.now() + 10_000;
    while (relay.node.hls.sessions.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(relay.node.hls.sessions.size).toBe(0);
  }, 60_000);
});
