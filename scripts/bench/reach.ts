/**
 * Bench section `reach` (issue 21, docs/firewalls.md): viewers that reach a level-2 relay
 * over ICE-TCP or through a real coturn, against a viewer on direct UDP. Viewers are on the
 * native engine (the one with ICE-TCP, docs/native.md).
 *
 *   npm run bench -- --only reach [--quick]
 *
 * Setup (test/support/reach.ts): a namespace whose veth drops every UDP packet, coturn on a
 * second host address of the veth, a two-level tree on the host end handing coturn's URLs out
 * in Link headers; Chromium publishes from the host. Viewers, each Chromium:
 *  - udp: on the host, direct (host/udp), the reference;
 *  - turn_udp: on the host, forced onto the relay (?ice=relay): TURN over UDP;
 *  - ice_tcp: in the namespace (UDP blocked): the relay's passive ICE-TCP candidate (RFC 6544);
 *  - ice_tcp_loss3: the same while nftables drops 3% of the TCP packets from the relay's ICE-TCP
 *    port into the namespace (`numgen random mod 100 < 3`);
 *  - turn_tcp: in the namespace, the relay's ICE-TCP port blocked too: TURN over TCP;
 *  - turn_tcp_loss3: the same while nftables drops 3% of the TCP packets from coturn into the
 *    namespace, i.e. on the TCP path.
 * Each window also measures the udp viewer (fps_ratio) and records the load average.
 * Figures per viewer: first_frame_ms (from the start of the WHEP POST to the first video frame
 * presented), fps over the window (frames decoded / seconds), fps_ratio against udp, freezes
 * (inbound-rtp freezeCount, totalFreezesDuration), nacks; a viewer that does not play reports
 * its error instead. Needs root, iproute2, nftables and coturn; skipped with the reason otherwise.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic } from '../demo/static.js';
import { coturnUnavailable } from '../../test/support/coturn.js';
import { lossNetUnavailable } from '../../test/support/lossNet.js';
import { CHROMIUM_ARGS, inboundVideo, pageState, type WatchState } from '../../test/support/pages.js';
import { browserInNamespace, iceTcpPort, publishPage, startReachNet, watchPage } from '../../test/support/reach.js';

export interface ReachContext {
  quick: boolean;
  log: (line: string) => void;
}

const PUBLIC_DIR = fileURLToPath(new URL('../demo/public/', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

interface ViewerFigures {
  route?: string;
  first_frame_ms?: number;
  fps?: number;
  fps_ratio?: number | null;
  freezes?: number;
  freeze_ms?: number;
  nacks?: number;
  /** 1-minute load average at the end of the window (2 cores here). */
  load?: number;
  error?: string;
}

async function measure(page: Page, seconds: number): Promise<Omit<ViewerFigures, 'first_frame_ms' | 'fps_ratio'>> {
  const a = (await inboundVideo(page))!;
  await sleep(seconds * 1000);
  const b = (await inboundVideo(page))!;
  const s = await pageState<WatchState>(page);
  return {
    route: s.route,
    fps: round((b.framesDecoded - a.framesDecoded) / seconds),
    freezes: b.freezeCount - a.freezeCount,
    freeze_ms: Math.round((b.totalFreezesDuration - a.totalFreezesDuration) * 1000),
    nacks: b.nackCount - a.nackCount,
    load: round(loadavg()[0]!, 2),
  };
}

export async function reachSection(ctx: ReachContext): Promise<Record<string, unknown>> {
  const why = lossNetUnavailable() ?? coturnUnavailable();
  if (why) {
    ctx.log(`reach: skipped (${why})`);
    return { skipped: `${why}: the reach section needs root, iproute2, nftables and coturn` };
  }
  const seconds = ctx.quick ? 10 : 30;
  const pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
  const host = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const reach = await startReachNet('rb', 210 + (process.pid % 10), (t) => [t.urls.udp, t.urls.tcp], ['--engine', 'native']);
  const browsers: Browser[] = [];
  const viewers: Record<string, ViewerFigures> = {};
  try {
    const leaf = reach.tree.relays[1]!;
    const tcpPort = iceTcpPort(leaf);
    const ctxHost = async (): Promise<BrowserContext> => host.newContext();
    await publishPage(await ctxHost(), pages.url, reach.tree.origin.url, 'reach');
    const open = async (name: string, context: () => Promise<BrowserContext>, extra: Record<string, string> = {}): Promise<Page | null> => {
      ctx.log(`reach: ${name} viewer`);
      try {
        const load = round(loadavg()[0]!, 2);
        const { page, firstFrameMs } = await watchPage(await context(), pages.url, leaf.url, 'reach', extra);
        viewers[name] = { first_frame_ms: Math.round(firstFrameMs), load };
        return page;
      } catch (err) {
        viewers[name] = { error: (err as Error).message };
        return null;
      }
    };
    const inNs = async (): Promise<BrowserContext> => {
      const { browser, context } = await browserInNamespace(reach.net, pages.url);
      browsers.push(browser);
      return context;
    };
    /** Measures `pages` and the udp viewer over one window; figures under `names`, ratios against udp. */
    const window = async (label: string, named: Array<[string, Page | null]>): Promise<void> => {
      ctx.log(`reach: ${seconds} s window, ${label}`);
      const [u, ...rest] = await Promise.all([udp ? measure(udp, seconds) : null, ...named.map(([, p]) => (p ? measure(p, seconds) : null))]);
      if (u && !viewers.udp!.fps) Object.assign(viewers.udp!, u);
      named.forEach(([name], i) => {
        const f = rest[i];
        if (!f) return;
        viewers[name] = { ...viewers[name], ...f, fps_ratio: u?.fps ? round(f.fps! / u.fps, 3) : null };
      });
    };
    const udp = await open('udp', ctxHost);
    const turnUdp = await open('turn_udp', ctxHost, { ice: 'relay' });
    const iceTcp = tcpPort ? await open('ice_tcp', inNs) : null;
    if (!tcpPort) viewers.ice_tcp = { error: 'the relay has no ICE-TCP port (native engine unavailable?)' };
    await window('no added loss', [
      ['turn_udp', turnUdp],
      ['ice_tcp', iceTcp],
    ]);
    if (iceTcp) {
      reach.net.setLoss(3, { direction: 'in', ports: [tcpPort, tcpPort], protocol: 'tcp' });
      await window('3% loss on the ICE-TCP path', [['ice_tcp_loss3', iceTcp]]);
      reach.net.setLoss(0, { direction: 'in', ports: [tcpPort, tcpPort], protocol: 'tcp' });
      await iceTcp.close();
    } else viewers.ice_tcp_loss3 = { error: 'no ICE-TCP viewer to measure (see ice_tcp.error)' };
    // TURN over TCP: the relay's ICE-TCP port blocked as well, as some firewalls do.
    if (tcpPort) reach.net.blockTcpPorts([tcpPort]);
    const turnTcp = await open('turn_tcp', inNs);
    await window('TURN/TCP, no added loss', [['turn_tcp', turnTcp]]);
    if (turnTcp) {
      reach.net.setLoss(3, { direction: 'in', ports: [reach.turn.port, reach.turn.port], protocol: 'tcp' });
      await window('3% loss on the TCP path from coturn', [['turn_tcp_loss3', turnTcp]]);
      reach.net.setLoss(0, { direction: 'in', ports: [reach.turn.port, reach.turn.port], protocol: 'tcp' });
    } else viewers.turn_tcp_loss3 = { error: 'no TURN/TCP viewer to measure (see turn_tcp.error)' };
    return {
      seconds,
      viewers,
      goals: { first_frame_ms_ice_tcp_max: 2000, first_frame_ms_turn_max: 3000, fps_ratio_min: 0.95 },
      definitions:
        "first_frame_ms = first video frame presented (requestVideoFrameCallback) minus the start of the WHEP POST (resource timing); fps = frames decoded over the window / seconds; fps_ratio = fps / the direct UDP viewer's fps over the same window",
    };
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined);
    await host.close().catch(() => undefined);
    await reach.close();
    await pages.close();
  }
}

export function reachRows(r: Record<string, unknown>): Array<[string, string, string]> {
  if (r.skipped) return [['reach', `skipped: ${String(r.skipped)}`, '']];
  const rows: Array<[string, string, string]> = [];
  for (const [name, v] of Object.entries((r.viewers as Record<string, ViewerFigures>) ?? {})) {
    if (v.error) rows.push([`reach.${name}`, `failed: ${v.error}`, '']);
    else
      rows.push([
        `reach.${name} first frame / fps`,
        `${v.first_frame_ms ?? '–'} ms / ${v.fps ?? '–'} fps (×${v.fps_ratio ?? '–'} of udp; ${v.route ?? ''})`,
        `freezes ${v.freezes ?? '–'} (${v.freeze_ms ?? '–'} ms), nacks ${v.nacks ?? '–'}, load ${v.load ?? '–'}`,
      ]);
  }
  return rows;
}
