/**
 * Bench section `reach` (issue 21, docs/firewalls.md): viewers that reach a level-2 relay
 * through a real coturn, against a viewer on direct UDP.
 *
 *   npm run bench -- --only reach [--quick]
 *
 * Setup (test/support/reach.ts): a namespace whose veth drops every UDP packet, coturn on a
 * second host address of the veth, a two-level tree on the host end handing coturn's URLs out
 * in Link headers; Chromium publishes from the host. Viewers, each Chromium:
 *  - udp: on the host, direct (host/udp), the reference;
 *  - turn_udp: on the host, forced onto the relay (?ice=relay): TURN over UDP;
 *  - turn_tcp: in the namespace (UDP blocked): TURN over TCP, the case of issue 21;
 *  - turn_tcp_loss3: the same while nftables drops 3% of the TCP packets from coturn into the
 *    namespace (`numgen random mod 100 < 3`), i.e. on the TCP path.
 * Figures per viewer: first_frame_ms (from the start of the WHEP POST to the first video frame
 * presented), fps over the window (frames decoded / seconds), fps_ratio against udp, freezes
 * (inbound-rtp freezeCount, totalFreezesDuration), nacks; a viewer that does not play reports
 * its error instead. Needs root, iproute2, nftables and coturn; skipped with the reason otherwise.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic } from '../demo/static.js';
import { coturnUnavailable } from '../../test/support/coturn.js';
import { lossNetUnavailable } from '../../test/support/lossNet.js';
import { CHROMIUM_ARGS, inboundVideo, pageState, type WatchState } from '../../test/support/pages.js';
import { browserInNamespace, publishPage, startReachNet, watchPage } from '../../test/support/reach.js';

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
  const reach = await startReachNet('rb', 210 + (process.pid % 10), (t) => [t.urls.udp, t.urls.tcp]);
  const browsers: Browser[] = [];
  const viewers: Record<string, ViewerFigures> = {};
  try {
    const leaf = reach.tree.relays[1]!;
    const ctxHost = async (): Promise<BrowserContext> => host.newContext();
    await publishPage(await ctxHost(), pages.url, reach.tree.origin.url, 'reach');
    const open = async (name: string, context: () => Promise<BrowserContext>, extra: Record<string, string> = {}): Promise<Page | null> => {
      ctx.log(`reach: ${name} viewer`);
      try {
        const { page, firstFrameMs } = await watchPage(await context(), pages.url, leaf.url, 'reach', extra);
        viewers[name] = { first_frame_ms: Math.round(firstFrameMs) };
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
    const udp = await open('udp', ctxHost);
    const turnUdp = await open('turn_udp', ctxHost, { ice: 'relay' });
    const turnTcp = await open('turn_tcp', inNs);
    ctx.log(`reach: ${seconds} s window, no added loss`);
    const clean = await Promise.all([udp, turnUdp, turnTcp].map((p) => (p ? measure(p, seconds) : null)));
    ['udp', 'turn_udp', 'turn_tcp'].forEach((name, i) => clean[i] && Object.assign(viewers[name]!, clean[i]));
    const ref = viewers.udp?.fps ?? null;
    for (const name of ['turn_udp', 'turn_tcp']) {
      const v = viewers[name]!;
      if (v.fps !== undefined) v.fps_ratio = ref ? round(v.fps / ref, 3) : null;
    }
    if (turnTcp) {
      reach.net.setLoss(3, { direction: 'in', ports: [reach.turn.port, reach.turn.port], protocol: 'tcp' });
      ctx.log(`reach: ${seconds} s window, 3% loss on the TCP path from coturn`);
      const [u, t] = await Promise.all([udp ? measure(udp, seconds) : null, measure(turnTcp, seconds)]);
      viewers.turn_tcp_loss3 = { ...t, fps_ratio: u?.fps ? round(t.fps! / u.fps, 3) : null };
      reach.net.setLoss(0, { direction: 'in', ports: [reach.turn.port, reach.turn.port], protocol: 'tcp' });
    } else viewers.turn_tcp_loss3 = { error: 'no TURN/TCP viewer to measure (see turn_tcp.error)' };
    return {
      seconds,
      viewers,
      goals: { first_frame_ms_turn_max: 3000, fps_ratio_min: 0.95 },
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
        `freezes ${v.freezes ?? '–'} (${v.freeze_ms ?? '–'} ms), nacks ${v.nacks ?? '–'}`,
      ]);
  }
  return rows;
}
