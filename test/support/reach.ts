/**
 * A viewer's or publisher's browser behind a firewall that drops all UDP, for the reach tests
 * and `npm run bench -- --only reach` (docs/firewalls.md): a network namespace (lossNet.ts)
 * whose veth drops every UDP packet, a real coturn on a second host address of that veth
 * (TCP and TLS reach it from inside), and a two-level tree on the host end handing coturn's
 * URLs and credentials to clients in Link headers.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { chromium, type Browser } from 'playwright-core';
import type { RtcEngine } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { ViewerRoutedEngine } from '../../src/engine/ViewerRoutedEngine.js';
import { startCoturn, type Coturn } from './coturn.js';
import { createLossNet, hostSideFlags, type LossNet } from './lossNet.js';
import { CHROMIUM_ARGS, iceReport, openPage, pageState, poll, proxyThroughHost, type PublishState, type WatchState } from './pages.js';
import { startTree, type Tree } from './tree.js';

export const REACH_ICE_PORTS: [number, number] = [47600, 47999];

export interface ReachNet {
  net: LossNet;
  turn: Coturn;
  tree: Tree;
  close(): Promise<void>;
}

/**
 * Namespace rp<tag> with UDP blocked, coturn on 10.77.<subnet>.3, and an origin with one
 * level-1 and one level-2 relay on 10.77.<subnet>.1 handing out `turnUrls(turn)`.
 */
export async function startReachNet(tag: string, subnet: number, turnUrls: (t: Coturn) => string[], flags: string[] = []): Promise<ReachNet> {
  const net = createLossNet(tag, subnet);
  let turn: Coturn | null = null;
  try {
    net.blockUdp(true);
    turn = await startCoturn({ address: net.addHostIp(3) });
    const t = turn;
    const urls = turnUrls(t);
    const tree = await startTree({
      level1: 1,
      level2PerLevel1: 1,
      flags: [
        ...hostSideFlags(net.hostIp, REACH_ICE_PORTS),
        ...(urls.length ? [...urls.flatMap((u) => ['--turn-url', u]), '--turn-secret', t.secret] : []),
        ...flags,
      ],
      relayFlags: ['--no-siblings'],
    });
    return {
      net,
      turn: t,
      tree,
      async close() {
        await tree.close();
        await t.close();
        net.close();
      },
    };
  } catch (err) {
    await turn?.close();
    net.close();
    throw err;
  }
}

/** The node's native engine (its viewers', or everyone's), null on node-datachannel. */
function nativeEngineOf(node: { engine: RtcEngine }): NativeEngine | null {
  const viewers = node.engine instanceof ViewerRoutedEngine ? node.engine.viewers : node.engine;
  return viewers instanceof NativeEngine ? viewers : null;
}

/** A node's native counters (ICE-TCP accepted/unbound, STUN failures...), null on node-datachannel: for failure messages. */
export function nativeStats(node: { engine: RtcEngine }): unknown {
  return nativeEngineOf(node)?.stats() ?? null;
}

/** A node's ICE-TCP port (the native engine's passive candidates), 0 when it has none. */
export function iceTcpPort(node: { engine: RtcEngine }): number {
  return nativeEngineOf(node)?.tcpPort ?? 0;
}

/** A Chromium inside the namespace (its pages fetched through the host); close the browser after. */
export async function browserInNamespace(net: LossNet, pagesUrl: string, extraArgs: string[] = []): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({ executablePath: net.chromiumWrapper(), headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
  const context = await browser.newContext();
  await proxyThroughHost(context, [pagesUrl]);
  return { browser, context };
}

/** Starts a publisher; on a timeout the error carries the page's ICE report and `diagnose()`'s (the node's side). */
export async function publishPage(context: BrowserContext, pagesUrl: string, origin: string, stream: string, diagnose?: () => unknown): Promise<Page> {
  const p = await openPage(context, pagesUrl, 'publish.html', { origin, stream, codec: 'VP8', source: 'pattern', audio: '1' });
  await p.click('#start');
  try {
    await poll('the publisher to send video', 30_000, async () => {
      const s = await pageState<PublishState>(p);
      return s.connectionState === 'connected' && s.framesEncoded > 0;
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}. Page: ${await iceReport(p)}. Node: ${JSON.stringify(diagnose?.() ?? null)}`);
  }
  return p;
}

/**
 * Opens the watch page and plays; firstFrameMs is the time from the start of the WHEP POST
 * (its resource timing entry) to the first video frame presented (requestVideoFrameCallback).
 */
export async function watchPage(
  context: BrowserContext,
  pagesUrl: string,
  relay: string,
  stream: string,
  extra: Record<string, string> = {},
): Promise<{ page: Page; firstFrameMs: number }> {
  const page = await openPage(context, pagesUrl, 'watch.html', { relay, stream, ...extra });
  const first = page.evaluate(`new Promise((resolve) => {
    document.getElementById('video').requestVideoFrameCallback((now) => {
      const post = performance.getEntriesByType('resource').find((e) => e.name.includes('/whep/'));
      resolve(post ? now - post.startTime : -1);
    });
  })`) as Promise<number>;
  await page.click('#start');
  const firstFrameMs = await Promise.race([
    first,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no video frame within 30 s')), 30_000)),
  ]);
  await poll('video to play', 30_000, async () => (await pageState<WatchState>(page)).framesDecoded > 0);
  return { page, firstFrameMs };
}

/** The page's side of its selected ICE pair, once there is one (`relay/tcp`, `host/udp`...). */
export async function pageRoute(page: Page): Promise<string> {
  let route = '';
  await poll('a selected ICE pair', 10_000, async () => {
    route = (await pageState<WatchState>(page)).route ?? '';
    return route !== '';
  });
  return route;
}
