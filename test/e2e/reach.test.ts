import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../scripts/demo/static.js';
import { coturnUnavailable } from '../support/coturn.js';
import { lossNetUnavailable } from '../support/lossNet.js';
import { CHROMIUM_ARGS, pageState, type WatchState } from '../support/pages.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { browserInNamespace, iceTcpPort, nativeStats, pageRoute, publishPage, startReachNet, watchPage, type ReachNet } from '../support/reach.js';

// Viewers and publishers whose network drops all UDP (docs/firewalls.md): Chromium in a
// network namespace whose veth drops every UDP packet plays and publishes through a real
// coturn over TCP (and TLS), with the TURN servers and credentials of the 201's Link headers
// (RFC 9725 §4.6). No iceTransportPolicy: 'relay' is needed, as the only pair that works is
// the relayed one; a browser whose UDP works keeps its direct pair. Figures (first frame, fps,
// loss on the TCP path) are in `npm run bench -- --only reach`.

const PUBLIC_DIR = fileURLToPath(new URL('../../scripts/demo/public/', import.meta.url));
const unavailable = lossNetUnavailable() ?? coturnUnavailable();
if (unavailable) console.warn(`firewall (TURN) tests skipped: ${unavailable}`);

let host: Browser;
let pages: StaticServer;
let reach: ReachNet | null = null;
const browsers: Browser[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  host = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
}, 30_000);

afterAll(async () => {
  await host?.close();
  await pages?.close();
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  for (const b of browsers.splice(0)) await b.close().catch(() => undefined);
  const r = reach;
  reach = null;
  if (r) {
    await r.close();
    await r.tree.assertEmpty();
  }
});

const tag = (t: string) => `${t}${process.pid % 1000}`;
const subnet = (base: number) => base + (process.pid % 5); // bases up to 250: 254 at most

async function hostContext(): Promise<BrowserContext> {
  const c = await host.newContext();
  contexts.push(c);
  return c;
}

async function firewalled(extraArgs: string[] = []): Promise<BrowserContext> {
  const { browser, context } = await browserInNamespace(reach!.net, pages.url, extraArgs);
  browsers.push(browser);
  contexts.push(context);
  return context;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function framesOver(page: Parameters<typeof pageState>[0], ms: number): Promise<number> {
  const a = await pageState<WatchState>(page);
  await sleep(ms);
  return (await pageState<WatchState>(page)).framesDecoded - a.framesDecoded;
}

// Viewers are on the native engine (ICE-lite on one UDP and one TCP port, docs/native.md):
// it offers a passive ICE-TCP candidate (RFC 6544) and answers relayed checks that coturn
// forwards over UDP. node-datachannel (libjuice) can do neither: it has no ICE-TCP, and it
// answered Chromium's first relayed check 400 ("Controlling and controlled attributes
// mismatch"), fatal when that relayed pair is the only one. Native is the default for viewers;
// the flag says these tests need it (CANOPY_TEST_ENGINE=ndc must not turn them into ndc runs).
const NATIVE = ['--engine', 'native'];
const nativeUnavailable = NativeEngine.available().ok ? null : NativeEngine.available().why;
// Publishers behind the firewall need the native engine too: Chromium's checks through TURN
// over TCP carry a tie-breaker of 0, which libjuice refuses with 400 (docs/firewalls.md
// "Publishers"); the native engine (ICE-lite) has no role to check and also offers ICE-TCP.
const NATIVE_PUBLISHERS = [...NATIVE, '--publisher-engine', 'native'];

describe.skipIf(unavailable !== null)('Chromium and coturn', () => {
  it('plays from a level-2 relay through coturn (TURN/UDP, ?ice=relay), reported as TURN, while a UDP-capable viewer keeps its direct pair', async () => {
    reach = await startReachNet(tag('tr'), subnet(200), (t) => [t.urls.udp, t.urls.tcp]);
    const { tree, turn } = reach;
    const leaf = tree.relays[1]!;
    await publishPage(await hostContext(), pages.url, tree.origin.url, 'relayed');
    // iceTransportPolicy 'relay' only because this browser's UDP works: without it ICE
    // rightly prefers the direct pair.
    const { page: relayed } = await watchPage(await hostContext(), pages.url, leaf.url, 'relayed', { ice: 'relay' });
    expect(await pageRoute(relayed)).toBe('relay/udp');
    const { page: direct } = await watchPage(await hostContext(), pages.url, leaf.url, 'relayed');
    expect(await pageRoute(direct)).toBe('host/udp');
    expect(await framesOver(relayed, 3000)).toBeGreaterThan(3 * 10);
    // The relay sees the relayed viewer's checks come from coturn's relay address.
    const ice = leaf.node.ice.state();
    expect(ice.viewers).toMatchObject({ known: 2, turn: 1, tcp: 0 });
    expect(ice.sessions.find((s) => s.turn)!.remoteAddress).toBe(turn.address);
    expect(ice.sessions.find((s) => !s.turn)!.remoteAddress).not.toBe(turn.address);
  }, 120_000);
});

describe.skipIf(unavailable !== null || nativeUnavailable !== null)('Chromium behind a firewall that drops all UDP', () => {
  it('plays from a level-2 relay over ICE-TCP with the default flags, while a UDP-capable viewer keeps UDP', async () => {
    // No TURN server: the relay's own passive TCP candidate is the only way in.
    reach = await startReachNet(tag('ti'), subnet(210), () => [], NATIVE);
    const { tree } = reach;
    const leaf = tree.relays[1]!;
    expect(iceTcpPort(leaf)).toBeGreaterThan(0);
    await publishPage(await hostContext(), pages.url, tree.origin.url, 'tcp');
    const { page: blocked, firstFrameMs } = await watchPage(await firewalled(), pages.url, leaf.url, 'tcp');
    // Chromium names its side of an active TCP pair peer-reflexive (the connection's own port
    // is not the port 9 its offer announced, RFC 6544 §4.5): either way, TCP and not a relay.
    expect(await pageRoute(blocked)).toMatch(/^(host|prflx)\/tcp$/);
    const { page: direct } = await watchPage(await hostContext(), pages.url, leaf.url, 'tcp');
    expect(await pageRoute(direct)).toBe('host/udp');
    const tcpFrames = await framesOver(blocked, 3000);
    const udpFrames = await framesOver(direct, 3000);
    console.log(`ICE-TCP: first frame ${Math.round(firstFrameMs)} ms after the WHEP POST; ${tcpFrames / 3} fps vs ${udpFrames / 3} fps over UDP`);
    expect(tcpFrames).toBeGreaterThan(3 * 10);
    const ice = leaf.node.ice.state();
    expect(ice.viewers).toMatchObject({ known: 2, turn: 0, tcp: 1 });
    const tcp = ice.sessions.find((x) => x.tcp)!;
    expect(tcp.local).toBe('host/tcp');
    expect(tcp.remoteAddress).toBe(reach.net.nsIp);
    expect(ice.sessions.find((x) => !x.tcp)!.local).toBe('host/udp');
  }, 120_000);

  it('plays from a level-2 relay through coturn over TCP when the ICE-TCP port is blocked too', async () => {
    // The UDP URL comes first, as in a real deployment: blocked here, so Chromium relays over TCP.
    reach = await startReachNet(tag('ta'), subnet(220), (t) => [t.urls.udp, t.urls.tcp], NATIVE);
    const { tree, turn } = reach;
    const leaf = tree.relays[1]!;
    reach.net.blockTcpPorts([iceTcpPort(leaf)]);
    await publishPage(await hostContext(), pages.url, tree.origin.url, 'fw');
    const { page: blocked, firstFrameMs } = await watchPage(await firewalled(), pages.url, leaf.url, 'fw');
    expect(await pageRoute(blocked)).toBe('relay/tcp');
    console.log(`first frame through TURN/TCP ${Math.round(firstFrameMs)} ms after the WHEP POST`);
    expect(await framesOver(blocked, 3000)).toBeGreaterThan(3 * 10);
    const ice = leaf.node.ice.state();
    expect(ice.viewers).toMatchObject({ known: 1, turn: 1, tcp: 0 });
    expect(ice.sessions[0]!.remoteAddress).toBe(turn.address);
  }, 120_000);

  it('plays through coturn over TLS (turns:), Chromium accepting the test certificate', async () => {
    reach = await startReachNet(tag('tb'), subnet(230), (t) => [t.urls.tls], NATIVE);
    const leaf = reach.tree.relays[1]!;
    reach.net.blockTcpPorts([iceTcpPort(leaf)]);
    await publishPage(await hostContext(), pages.url, reach.tree.origin.url, 'tls');
    const { page } = await watchPage(await firewalled(['--ignore-certificate-errors']), pages.url, leaf.url, 'tls');
    expect(await pageRoute(page)).toBe('relay/tls');
    expect(await framesOver(page, 3000)).toBeGreaterThan(3 * 10);
    expect(leaf.node.ice.state().viewers.turn).toBe(1);
  }, 120_000);

  it('publishes over WHIP through coturn over TCP from behind the firewall (origin ICE-TCP blocked too), and a viewer plays it', async () => {
    reach = await startReachNet(tag('tc'), subnet(240), (t) => [t.urls.udp, t.urls.tcp], NATIVE_PUBLISHERS);
    const { tree, turn } = reach;
    reach.net.blockTcpPorts([iceTcpPort(tree.origin)]);
    const started = performance.now();
    const publisher = await publishPage(await firewalled(), pages.url, tree.origin.url, 'up', () => nativeStats(tree.origin));
    const publishingMs = performance.now() - started;
    expect(await pageRoute(publisher)).toBe('relay/tcp');
    const { page, firstFrameMs } = await watchPage(await hostContext(), pages.url, tree.relays[1]!.url, 'up');
    console.log(
      `publisher through TURN/TCP: sending ${Math.round(publishingMs)} ms after its start; a level-2 viewer's first frame ${Math.round(firstFrameMs)} ms after its WHEP POST`,
    );
    expect(await framesOver(page, 3000)).toBeGreaterThan(3 * 10);
    const ice = tree.origin.node.ice.state();
    expect(ice.publishers).toMatchObject({ known: 1, turn: 1, tcp: 0 });
    expect(ice.sessions.find((x) => x.kind === 'publisher')!.remoteAddress).toBe(turn.address);
  }, 120_000);

  it("publishes over WHIP on the origin's ICE-TCP port from behind the firewall, no TURN configured", async () => {
    reach = await startReachNet(tag('td'), subnet(250), () => [], NATIVE_PUBLISHERS);
    const { tree } = reach;
    expect(iceTcpPort(tree.origin)).toBeGreaterThan(0);
    const publisher = await publishPage(await firewalled(), pages.url, tree.origin.url, 'tcpup', () => nativeStats(tree.origin));
    expect(await pageRoute(publisher)).toMatch(/^(host|prflx)\/tcp$/);
    const { page } = await watchPage(await hostContext(), pages.url, tree.relays[1]!.url, 'tcpup');
    expect(await framesOver(page, 3000)).toBeGreaterThan(3 * 10);
    const ice = tree.origin.node.ice.state();
    expect(ice.publishers).toMatchObject({ known: 1, turn: 0, tcp: 1 });
    expect(ice.sessions.find((x) => x.kind === 'publisher')!.local).toBe('host/tcp');
  }, 120_000);
});
