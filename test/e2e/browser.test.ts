import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../scripts/demo/static.js';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayCluster } from '../../relay/RelayCluster.js';
import { signStreamToken } from '../../src/auth/jwt.js';
import { silentLogger } from '../../src/log.js';
import { CHROMIUM_ARGS } from '../support/browser.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { startTree } from '../support/tree.js';
import { sleep, waitFor } from '../support/wait.js';

interface PublisherState {
  connectionState: string;
  codec: string;
  kbps: number;
  framesEncoded: number;
  frameWidth: number;
  bytesSent: number;
}

interface ViewerState {
  connectionState: string;
  codec: string;
  framesDecoded: number;
  videoWidth: number;
  videoHeight: number;
  kbps: number;
  packetsReceived: number;
  packetsLost: number;
}

declare global {
  interface Window {
    canopy: { start(): Promise<void>; stop(): Promise<void>; state(): Promise<PublisherState | ViewerState> };
  }
}

const PUBLIC_DIR = fileURLToPath(new URL('../../scripts/demo/public/', import.meta.url));
const MIN_KBPS = 300;

let browser: Browser;
let pages: StaticServer;
const pageErrors = new WeakMap<Page, string[]>();

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  // getUserMedia and friends need a secure context; http://127.0.0.1 counts as one.
  pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

// Every video codec this Chromium can encode (RTCRtpSender.getCapabilities('video') here:
// VP8, VP9 profiles 0 and 2, H.264 42001f/42e01f/4d001f, AV1 profile 0), through a level-2
// relay, live and time-shifted (the time-shifted start needs keyframe detection for the codec).
describe.each(['VP8', 'VP9', 'H264', 'AV1'] as const)('a %s publish', (codec) => {
  it(`reaches live and time-shifted viewers at level 2 and keeps above ${MIN_KBPS} kbps`, async () => {
    const tree = await startTree({ level1: 2, level2PerLevel1: 1 });
    const context = await browser.newContext();
    try {
      const leaf = tree.relays.find((r) => r.level === 2);
      if (!leaf) throw new Error('startTree returned no level-2 relay');
      const stream = `e2e-${codec.toLowerCase()}`;

      const publisher = await openPage(context, 'publish.html', {
        origin: tree.origin.url,
        stream,
        codec,
        source: 'pattern',
        audio: '1',
      });
      // A real click gives the page user activation, which the pattern's AudioContext needs.
      await publisher.click('#start');
      await poll('the publisher to send video', 20_000, publisher, async () => {
        const s = await state<PublisherState>(publisher);
        return s.connectionState === 'connected' && s.framesEncoded > 0;
      });

      const viewer = await openPage(context, 'watch.html', { relay: leaf.url, stream });
      await viewer.click('#start');
      let previous: ViewerState | undefined;
      await poll(`video to play on ${leaf.config.id}`, 30_000, viewer, async () => {
        const s = await state<ViewerState>(viewer);
        const rising = previous !== undefined && s.framesDecoded > previous.framesDecoded;
        previous = s;
        return rising && s.videoWidth > 0;
      });
      expect((await state<ViewerState>(viewer)).codec).toBe(`video/${codec}`);
      expect((await state<PublisherState>(publisher)).codec).toBe(`video/${codec}`);

      // Bandwidth estimation starts low and ramps up; judge the rate once it got going.
      await poll(`the publisher to exceed ${MIN_KBPS} kbps`, 20_000, publisher, async () => {
        return (await state<PublisherState>(publisher)).kbps > MIN_KBPS;
      });
      const rates: number[] = [];
      for (let i = 0; i < 4; i++) {
        await sleep(1000);
        rates.push((await state<PublisherState>(publisher)).kbps);
      }
      expect(Math.min(...rates), `publisher kbps samples ${rates.join(', ')}`).toBeGreaterThan(MIN_KBPS);

      // A time-shifted viewer, a few seconds behind live, decodes video too.
      const behind = await openPage(context, 'watch.html', { relay: leaf.url, stream, start: String(Date.now() - 4000) });
      await behind.click('#start');
      let prior: ViewerState | undefined;
      await poll(`time-shifted video to play on ${leaf.config.id}`, 30_000, behind, async () => {
        const s = await state<ViewerState>(behind);
        const rising = prior !== undefined && s.framesDecoded > prior.framesDecoded;
        prior = s;
        return rising && s.videoWidth > 0;
      });
      const shifted = (await (await fetch(`${leaf.url}/api/state`)).json()) as { streams: Array<{ start: number | null }> };
      expect(shifted.streams.some((s) => s.start !== null)).toBe(true);
      await behind.evaluate(() => window.canopy.stop());

      await viewer.evaluate(() => window.canopy.stop());
      await publisher.evaluate(() => window.canopy.stop());
    } finally {
      await context.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 90_000);
});

describe('UDP media pipes (docs/pipe.md)', () => {
  it('carry a Chromium publish through a two-level tree to a Chromium viewer, every link on a pipe', async () => {
    const tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--link-media', 'udp'] });
    const context = await browser.newContext();
    try {
      const [l1, l2] = tree.relays;
      const publisher = await openPage(context, 'publish.html', { origin: tree.origin.url, stream: 'e2e-pipe', codec: 'VP8', source: 'pattern', audio: '1' });
      await publisher.click('#start');
      await poll('the publisher to send video', 20_000, publisher, async () => (await state<PublisherState>(publisher)).framesEncoded > 0);
      const viewer = await openPage(context, 'watch.html', { relay: l2!.url, stream: 'e2e-pipe' });
      await viewer.click('#start');
      let previous: ViewerState | undefined;
      await poll('video to play at level 2 over two pipes', 30_000, viewer, async () => {
        const s = await state<ViewerState>(viewer);
        const rising = previous !== undefined && s.framesDecoded > previous.framesDecoded;
        previous = s;
        return rising && s.videoWidth > 0;
      });
      // Both hops carry the media on their pipes, not in the WebSocket: while the viewer plays,
      // each relay's pipe keeps receiving (more than its 4 keepalives a second).
      const received = (relay: typeof l1) => relay!.node.pipeHost.counters.packetsReceived.get();
      const before = [received(l1), received(l2)];
      await waitFor(() => [l1!, l2!].every((relay, i) => received(relay) - before[i]! > 50), 5000, 20, 'media on both pipes');
      for (const [i, relay] of [l1!, l2!].entries()) {
        expect(relay.parents.current!.link.mediaPath).toBe('udp');
        expect(received(relay) - before[i]!).toBeGreaterThan(50);
      }
      await viewer.evaluate(() => window.canopy.stop());
      await publisher.evaluate(() => window.canopy.stop());
    } finally {
      await context.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 90_000);
});

describe('a relay running as worker processes', () => {
  it('serves browsers redirected by its front to different workers, their play token carried through the redirect', async () => {
    const tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    // Viewers need a play token; the browser drops Authorization when it follows the front's
    // 307 to a worker (another origin), so the front puts the token in the URL.
    const jwtSecret = 'e2e-jwt-secret-0123456789abcdef';
    const cluster = new RelayCluster(
      loadRelayConfig(
        [
          '--id',
          'relay-c',
          '--listen',
          '127.0.0.1:0',
          '--ice-address',
          '127.0.0.1',
          '--parent',
          tree.origin.linkUrl,
          '--workers',
          '2',
          '--viewer-auth',
          '--log-level',
          'warn',
        ],
        {
          CANOPY_CLUSTER_SECRET: tree.secret!,
          CANOPY_JWT_SECRET: jwtSecret,
        },
      ),
      silentLogger(),
    );
    const token = await signStreamToken(jwtSecret, { stream: 'e2e-*', action: 'play', ttlSeconds: 300 });
    const context = await browser.newContext();
    try {
      await cluster.listen();
      const publisher = await openPage(context, 'publish.html', {
        origin: tree.origin.url,
        stream: 'e2e-cluster',
        codec: 'VP8',
        source: 'pattern',
        audio: '0',
      });
      await publisher.click('#start');
      await poll('the publisher to send video', 20_000, publisher, async () => (await state<PublisherState>(publisher)).framesEncoded > 0);
      const refused = await openPage(context, 'watch.html', { relay: cluster.url, stream: 'e2e-cluster' });
      await refused.click('#start');
      await refused.waitForFunction(() => /HTTP 401/.test(document.getElementById('error')!.textContent ?? ''), undefined, { timeout: 20_000 });
      await refused.close();
      const viewers: Page[] = [];
      for (let i = 0; i < 2; i++) {
        // The front answers the WHEP POST with a 307 to a worker; the browser follows it.
        const viewer = await openPage(context, 'watch.html', { relay: cluster.url, stream: 'e2e-cluster', token });
        await viewer.click('#start');
        let previous: ViewerState | undefined;
        await poll(`video through the front (viewer ${i + 1})`, 30_000, viewer, async () => {
          const s = await state<ViewerState>(viewer);
          const rising = previous !== undefined && s.framesDecoded > previous.framesDecoded;
          previous = s;
          return rising && s.videoWidth > 0;
        });
        viewers.push(viewer);
      }
      const ports = cluster.workers.map((w) => new URL(w.url!).port);
      const perWorker = await Promise.all(
        ports.map(
          async (port) =>
            ((await (await fetch(`http://127.0.0.1:${port}/api/state`)).json()) as { streams: Array<{ viewers: number }> }).streams[0]?.viewers ?? 0,
        ),
      );
      expect(perWorker).toEqual([1, 1]);
      expect(tree.origin.node.hub.get('e2e-cluster')!.consumers.size).toBe(1);
      for (const v of viewers) await v.evaluate(() => window.canopy.stop());
      await publisher.evaluate(() => window.canopy.stop());
    } finally {
      await context.close();
      await cluster.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 90_000);
});

describe('the demo pages', () => {
  it('link the one tree picture (the dashboard) and the time-shift link, tell time-shifted sessions apart, play a start before the recording with a notice, and hide the time field in live mode', async () => {
    let treeJson: unknown = null;
    const site = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR, extra: { '/tree.json': () => treeJson } });
    // The tree page reads every node's /api/state from the pages' origin: the nodes let it
    // (admin endpoints never allow every origin).
    const tree = await startTree({ level1: 2, level2PerLevel1: 1, flags: ['--admin-cors-origins', site.url] });
    treeJson = {
      origin: tree.origin.url,
      relays: tree.relays.map((r) => ({ id: r.config.id, url: r.url, level: r.level, parent: r.level === 1 ? 'origin' : r.config.id.slice(0, -1) })),
      stream: 'cam',
    };
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
    const clients: Array<{ close(): Promise<void> }> = [];
    try {
      const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
      clients.push(pub);
      await pub.start();
      const [a1, b1] = [tree.relays.find((r) => r.config.id === 'relay-a1')!, tree.relays.find((r) => r.config.id === 'relay-b1')!];
      const live = new NodeViewer({ url: `${a1.url}/whep/cam` });
      clients.push(live);
      expect((await live.start()).status).toBe(201);
      await live.waitFor(() => live.video.packets > 0, 10_000, 'live video at relay-a1');
      const shifted = new NodeViewer({ url: `${b1.url}/whep/cam?start=${Date.now() - 1500}` });
      clients.push(shifted);
      expect((await shifted.start()).status).toBe(201);

      // Tree page: one picture of the tree, the origin's dashboard, linked (not a second
      // drawing that disagrees with it); the list marks the time-shifted session in 24-hour
      // time; "Start here" has the time-shift link the terminal prints.
      const index = await context.newPage();
      await index.goto(`${site.url}/`);
      await index.waitForFunction(() => document.querySelectorAll('table.streams tr.shifted').length >= 1, undefined, { timeout: 15_000 });
      expect(await index.locator('svg').count()).toBe(0);
      expect(await index.locator('#dashboard').getAttribute('href')).toBe(`${tree.origin.url}/dashboard/`);
      const shiftedRows = await index.locator('table.streams tr.shifted td:nth-child(2)').allTextContents();
      expect(shiftedRows.some((t) => /^time-shift @\d\d:\d\d:\d\d \(/.test(t))).toBe(true);
      const agoLink = index.locator('#links a', { hasText: '1 min ago' });
      expect(new URL((await agoLink.getAttribute('href'))!, site.url).searchParams.get('ago')).toBe('60');
      expect(await index.locator('#tree .meta').allTextContents()).toContain('relay · level 2 · parent relay-a');
      // It links the origin's live tree dashboard, and each node's.
      expect(await index.locator('#links a', { hasText: 'Live tree dashboard' }).getAttribute('href')).toBe(`${tree.origin.url}/dashboard/`);
      expect(await index.locator('#tree a', { hasText: 'dashboard' }).count()).toBe(1 + tree.relays.length);
      const shot = join(tmpdir(), 'canopy-tree-page.png');
      await index.screenshot({ path: shot, fullPage: true });
      console.log(`tree page screenshot: ${shot}`);

      // A node's own address answers with a page, not a 404.
      const home = await fetch(`${a1.url}/`);
      expect(home.status).toBe(200);
      const homePage = await home.text();
      expect(homePage).toMatch(/<h1>Canopy relay <code>relay-a1<\/code><\/h1>/);
      expect(homePage).toContain('<a href="/dashboard/">');

      // Watch page: live mode hides the time field; "a time…" shows it.
      const watchLive = await openPage(context, 'watch.html', { relay: a1.url, stream: 'cam' });
      expect(await watchLive.locator('#at-label').isVisible()).toBe(false);
      await watchLive.selectOption('#from', 'at');
      expect(await watchLive.locator('#at-label').isVisible()).toBe(true);

      // "1 min ago" in a stream a few seconds old plays from its start, saying so.
      const ago = await openPage(context, 'watch.html', { relay: a1.url, stream: 'cam', ago: '60' });
      await ago.click('#start');
      let prior: ViewerState | undefined;
      await poll('video from the start of the recording', 30_000, ago, async () => {
        const s = await state<ViewerState>(ago);
        const rising = prior !== undefined && s.framesDecoded > prior.framesDecoded;
        prior = s;
        return rising;
      });
      expect((await ago.locator('#notice').textContent())?.trim()).toMatch(/^only \d+ s recorded so far; playing from the start$/);
      expect(await ago.locator('#notice').isVisible()).toBe(true);
      // The replay comes from the relay's buffer over loopback: it arrives, and (almost) whole.
      let replayed = await state<ViewerState>(ago);
      await poll('100 packets of the replay', 20_000, ago, async () => (replayed = await state<ViewerState>(ago)).packetsReceived > 100);
      expect(replayed.packetsLost, `${replayed.packetsLost} of ${replayed.packetsReceived} lost`).toBeLessThanOrEqual(
        Math.ceil(replayed.packetsReceived / 100),
      );
      await ago.evaluate(() => window.canopy.stop());
    } finally {
      await context.close();
      for (const c of clients) await c.close();
      await site.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 90_000);
});

async function openPage(context: BrowserContext, file: string, params: Record<string, string>): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  pageErrors.set(page, errors);
  await page.goto(`${pages.url}/${file}?${new URLSearchParams(params)}`);
  await page.waitForFunction(() => window.canopy !== undefined);
  return page;
}

function state<T extends PublisherState | ViewerState>(page: Page): Promise<T> {
  return page.evaluate(() => window.canopy.state()) as Promise<T>;
}

/**
 * Polls `check` every 500 ms. Fails at once when the page shows an error line, else on timeout,
 * with the page's last state either way.
 */
async function poll(what: string, timeoutMs: number, page: Page, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let errorLine = '';
  while (Date.now() < deadline) {
    if (await check()) return;
    errorLine = ((await page.locator('#error').textContent()) ?? '').trim();
    if (errorLine) break;
    await sleep(500);
  }
  throw new Error(
    [
      errorLine ? `failed waiting for ${what}` : `timed out after ${timeoutMs} ms waiting for ${what}`,
      `last state: ${JSON.stringify(await state(page))}`,
      errorLine && `page error line: ${errorLine}`,
      ...(pageErrors.get(page) ?? []).map((e) => `page exception: ${e}`),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
