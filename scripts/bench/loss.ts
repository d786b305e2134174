/**
 * The loss bench (issue 9): Chromium viewers and publishers under 3% random packet loss from
 * nftables in a network namespace (test/support/lossNet.ts), Canopy side by side with Janus.
 *
 *   npm run bench -- --only loss [--quick]          (a section of the bench)
 *   npx tsx scripts/bench/loss.ts [--quick] [--window 60] [--percent 3] [--no-janus] [--out FILE]
 *
 * Runs, each with a fresh server and the loss switched on after the viewers play:
 *  - last_mile: a Chromium publisher (test pattern, VP8) on the host; a clean Chromium viewer on
 *    the host and a lossy one in the namespace, both at a level-2 relay; the namespace drops
 *    `percent`% of the UDP packets coming from the relays' ICE ports.
 *  - last_mile_no_repair: the same with --no-loss-repair (what viewers got before).
 *  - uplink: the publisher in the namespace, `percent`% of what it sends to the origin dropped,
 *    and a second publisher on the host (a clean uplink); a viewer of each on the host at level 2.
 *  - fixture_last_mile and janus_fixture_last_mile: the recorded 600 kbps fixture (keyframe every
 *    second) into Canopy (WHIP) and into Janus's streaming plugin (plain RTP), then as last_mile:
 *    the same input for both servers.
 *
 * Figures per run, over the measuring window, from the viewers' getStats() (inbound-rtp video)
 * and requestVideoFrameCallback:
 *  - share_recovered: retransmittedPacketsReceived / packetsLost of the lossy viewer (at most 1).
 *    Chromium counts in packetsLost every media packet that did not come on the media SSRC, also
 *    those an RTX packet restored later: measured here, its packetsLost matches the nft drop rate
 *    with repair and without. For the uplink it is the origin's own count: recovered / (recovered
 *    + given up) of the gaps it NACKed.
 *  - keyframe_requests_per_min: PLI + FIR the lossy viewer sent, per minute.
 *  - fps_ratio: the lossy viewer's decoded frame rate over the clean viewer's (uplink: over the
 *    clean publisher's viewer's).
 *  - longest_freeze_ms: the longest time between two frames presented to the lossy viewer.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, type StaticServer } from '../demo/static.js';
import { DEFAULT_FIXTURE, fixturePath } from '../../test/support/fixture.js';
import { createLossNet, hostSideFlags, lossNetUnavailable } from '../../test/support/lossNet.js';
import { NodePublisher } from '../../test/support/NodePublisher.js';
import { sleep } from '../../test/support/wait.js';
import {
  CHROMIUM_ARGS,
  frameGaps,
  inboundVideo,
  openPage,
  pageNow,
  pageState,
  poll,
  proxyThroughHost,
  recordFrames,
  remoteSdp,
  type InboundVideo,
  type PublishState,
  type WatchState,
} from '../../test/support/pages.js';
import { startTree, type Tree } from '../../test/support/tree.js';
import { JANUS_RTP_PORTS, JanusServer, janusVersion, MOUNTPOINT_ID } from './janus.js';
import { PublisherWorker, HOST } from './procs.js';

const PUBLIC_DIR = fileURLToPath(new URL('../demo/public/', import.meta.url));
const ICE_PORTS: [number, number] = [47600, 47999];
/** Janus's rtp_port_range (janus.ts). */
const JANUS_PORTS = JANUS_RTP_PORTS;
const STREAM = 'loss';
const CLEAN_STREAM = 'clean';

export interface LossOptions {
  quick: boolean;
  janus: boolean;
  percent?: number;
  windowS?: number;
  log: (line: string) => void;
}

interface ViewerFigures {
  window_s: number;
  share_recovered: number | null;
  keyframe_requests_per_min: number;
  fps: number;
  fps_reference: number;
  fps_ratio: number | null;
  longest_freeze_ms: number;
  reference_longest_freeze_ms: number;
  freeze_count: number;
  total_freezes_s: number;
  nacks_sent: number;
  retransmitted_received: number;
  /** Media packets that did not come on the media SSRC (before repair: see share_recovered). */
  packets_lost: number;
  video_packets: number;
  dropped_estimate: number | null;
  nft: { seen: number; dropped: number; rate_pct: number };
  rtx_negotiated: boolean;
  server?: Record<string, number>;
}

const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;

/** Figures of a lossy viewer (and a reference) between two samples. */
function figures(
  windowS: number,
  a: InboundVideo,
  b: InboundVideo,
  ref: { fps: number; longest: number },
  longest: number,
  nft: { seen: number; dropped: number },
  rtx: boolean,
): ViewerFigures {
  const d = (k: keyof InboundVideo) => b[k] - a[k];
  const lost = Math.max(0, d('packetsLost'));
  const videoPackets = d('packetsReceived') + d('packetsLost');
  const rate = nft.seen > 0 ? nft.dropped / nft.seen : 0;
  const dropped = videoPackets * rate;
  const fps = d('framesDecoded') / windowS;
  return {
    window_s: round(windowS, 1),
    share_recovered: lost > 0 ? round(Math.min(1, d('retransmittedPacketsReceived') / lost)) : null,
    keyframe_requests_per_min: round(((d('pliCount') + d('firCount')) * 60) / windowS, 2),
    fps: round(fps, 2),
    fps_reference: round(ref.fps, 2),
    fps_ratio: ref.fps > 0 ? round(fps / ref.fps) : null,
    longest_freeze_ms: Math.round(longest),
    reference_longest_freeze_ms: Math.round(ref.longest),
    freeze_count: d('freezeCount'),
    total_freezes_s: round(d('totalFreezesDuration'), 2),
    nacks_sent: d('nackCount'),
    retransmitted_received: d('retransmittedPacketsReceived'),
    packets_lost: lost,
    video_packets: videoPackets,
    dropped_estimate: Math.round(dropped),
    nft: { ...nft, rate_pct: round(rate * 100, 2) },
    rtx_negotiated: rtx,
  };
}

const JANUS_PAGE = `<!doctype html><meta charset="utf-8"><title>janus watch</title><video id="video" autoplay muted playsinline></video>
<script type="module">
const params = new URLSearchParams(location.search);
const api = params.get('api');
const id = Number(params.get('id'));
const tx = () => Math.random().toString(36).slice(2);
const post = async (path, body) => (await fetch(api + path, { method: 'POST', body: JSON.stringify({ ...body, transaction: tx() }) })).json();
let frames = 0;
async function start() {
  const session = (await post('', { janus: 'create' })).data.id;
  const handle = (await post('/' + session, { janus: 'attach', plugin: 'janus.plugin.streaming' })).data.id;
  let offer = null;
  const events = (async () => {
    while (!offer) {
      const evs = await (await fetch(api + '/' + session + '?maxev=10&rid=' + Date.now())).json();
      for (const ev of Array.isArray(evs) ? evs : [evs]) if (ev.sender === handle && ev.jsep?.type === 'offer') offer = ev.jsep;
    }
  })();
  const r = await post('/' + session + '/' + handle, { janus: 'message', body: { request: 'watch', id } });
  if (r.jsep?.type === 'offer') offer = r.jsep;
  while (!offer) await new Promise((res) => setTimeout(res, 50));
  const pc = new RTCPeerConnection();
  const media = new MediaStream();
  pc.ontrack = ({ track }) => { media.addTrack(track); const v = document.getElementById('video'); v.srcObject = media; v.play().catch(() => {}); };
  await pc.setRemoteDescription(offer);
  await pc.setLocalDescription(await pc.createAnswer());
  await post('/' + session + '/' + handle, { janus: 'message', body: { request: 'start' }, jsep: { type: 'answer', sdp: pc.localDescription.sdp } });
  window.__pc = pc;
}
async function state() {
  const pc = window.__pc;
  if (!pc) return { framesDecoded: 0, videoWidth: 0 };
  for (const s of (await pc.getStats()).values()) if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
  return { framesDecoded: frames, videoWidth: document.getElementById('video').videoWidth };
}
window.canopy = { start, state };
</script>`;

export async function lossSection(o: LossOptions): Promise<Record<string, unknown>> {
  const why = lossNetUnavailable();
  if (why) return { skipped: `needs a network namespace with nftables: ${why}` };
  const percent = o.percent ?? 3;
  const windowS = o.windowS ?? (o.quick ? 30 : 60);
  const warmS = o.quick ? 6 : 10;
  const net = createLossNet(`b${process.pid % 1000}`, 10 + (process.pid % 50));
  let pages: StaticServer | null = null;
  let host: Browser | null = null;
  let inNs: Browser | null = null;
  const contexts: BrowserContext[] = [];
  const results: Record<string, unknown> = {
    definition:
      'share_recovered = the lossy viewer’s retransmittedPacketsReceived / packetsLost (Chromium counts RTX-restored packets as lost on the media SSRC; uplink: the origin’s recovered / NACKed gaps); keyframe_requests_per_min = PLI+FIR the lossy viewer sent; fps_ratio = lossy viewer’s decoded fps / the clean viewer’s (uplink: / the viewer of a clean-uplink publisher); longest_freeze_ms = longest gap between presented frames (requestVideoFrameCallback)',
    loss_pct: percent,
    window_s: windowS,
  };
  const fresh = async (b: Browser, proxied: string[]): Promise<BrowserContext> => {
    const c = await b.newContext();
    contexts.push(c);
    if (proxied.length) await proxyThroughHost(c, proxied);
    await c.route(`${pages!.url}/janus-watch.html*`, (r) => r.fulfill({ contentType: 'text/html', body: JANUS_PAGE }));
    return c;
  };
  const closeContexts = async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  };
  try {
    pages = await serveStatic({ host: HOST, port: 0, root: PUBLIC_DIR });
    host = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    inNs = await chromium.launch({ executablePath: net.chromiumWrapper(), headless: true, args: CHROMIUM_ARGS });
    const canopyTree = (extra: string[] = []): Promise<Tree> =>
      startTree({
        level1: 1,
        level2PerLevel1: 1,
        flags: [...hostSideFlags(net.hostIp, ICE_PORTS), ...extra],
        relayFlags: ['--no-siblings'],
      });
    const watch = async (c: BrowserContext, relay: string, stream = STREAM): Promise<Page> => {
      const v = await openPage(c, pages!.url, 'watch.html', { relay, stream });
      await v.click('#start');
      await playing(v);
      return v;
    };
    const playing = async (v: Page): Promise<void> => {
      let before = -1;
      await poll('video to play', 45_000, async () => {
        const s = await pageState<WatchState>(v);
        const rising = before >= 0 && s.framesDecoded > before;
        before = s.framesDecoded;
        return rising && s.videoWidth > 0;
      });
    };
    const chromePublisher = async (c: BrowserContext, origin: string, stream = STREAM): Promise<Page> => {
      const p = await openPage(c, pages!.url, 'publish.html', { origin, stream, codec: 'VP8', source: 'pattern', audio: '1' });
      await p.click('#start');
      await poll('the publisher to send video', 45_000, async () => (await pageState<PublishState>(p)).framesEncoded > 0);
      return p;
    };

    /** Loss on, settle, then sample the lossy viewer and the reference over the window. */
    const measure = async (lossy: Page, reference: Page, rule: 'in' | 'out', ports: [number, number]) => {
      net.setLoss(percent, { direction: rule, ports });
      await sleep(warmS * 1000);
      await recordFrames(lossy);
      await recordFrames(reference);
      const t0 = await pageNow(lossy);
      const r0 = await pageNow(reference);
      const n0 = net.counters();
      const a = (await inboundVideo(lossy))!;
      const ra = (await inboundVideo(reference))!;
      const started = Date.now();
      o.log(`  loss: measuring for ${windowS} s`);
      await sleep(windowS * 1000);
      const seconds = (Date.now() - started) / 1000;
      const b = (await inboundVideo(lossy))!;
      const rb = (await inboundVideo(reference))!;
      const n1 = net.counters();
      const gaps = await frameGaps(lossy, t0);
      const refGaps = await frameGaps(reference, r0);
      net.setLoss(0, { direction: rule, ports });
      return figures(
        seconds,
        a,
        b,
        { fps: (rb.framesDecoded - ra.framesDecoded) / seconds, longest: refGaps.longestGapMs },
        gaps.longestGapMs,
        { seen: n1.seen - n0.seen, dropped: n1.dropped - n0.dropped },
        /rtx\/90000/i.test(await remoteSdp(lossy)),
      );
    };

    const lastMile = async (label: string, extra: string[], source: 'chromium' | 'fixture'): Promise<ViewerFigures> => {
      o.log(`loss: ${label}: Canopy, ${source} publisher, ${percent}% loss on a level-2 viewer's last mile`);
      const tree = await canopyTree(extra);
      let pub: NodePublisher | null = null;
      try {
        const leaf = tree.relays[1]!;
        if (source === 'chromium') await chromePublisher(await fresh(host!, []), tree.origin.url);
        else {
          pub = new NodePublisher({ url: `${tree.origin.url}/whip/${STREAM}`, fixture: DEFAULT_FIXTURE });
          await pub.start();
        }
        const clean = await watch(await fresh(host!, []), leaf.url);
        const lossy = await watch(await fresh(inNs!, [pages!.url]), leaf.url);
        const before = snapshot(tree, 2);
        const f = await measure(lossy, clean, 'in', ICE_PORTS);
        f.server = delta(before, snapshot(tree, 2));
        return f;
      } finally {
        await closeContexts();
        await pub?.close();
        await tree.close();
      }
    };

    results.last_mile = await lastMile('last_mile', [], 'chromium');
    log(o, 'last_mile', results.last_mile as ViewerFigures);
    results.last_mile_no_repair = await lastMile('last_mile_no_repair', ['--no-loss-repair'], 'chromium');
    log(o, 'last_mile_no_repair', results.last_mile_no_repair as ViewerFigures);

    {
      o.log(
        `loss: uplink: Canopy, Chromium publisher in the namespace, ${percent}% of its packets to the origin dropped; a clean publisher on the host beside it`,
      );
      const tree = await canopyTree();
      try {
        const leaf = tree.relays[1]!;
        const publisher = await chromePublisher(await fresh(inNs!, [pages!.url]), tree.origin.url);
        await chromePublisher(await fresh(host!, []), tree.origin.url, CLEAN_STREAM);
        const viewer = await watch(await fresh(host!, []), leaf.url);
        const clean = await watch(await fresh(host!, []), leaf.url, CLEAN_STREAM);
        const encoded0 = (await pageState<PublishState>(publisher)).framesEncoded;
        const t0 = Date.now();
        const before = snapshot(tree, 0);
        const f = await measure(viewer, clean, 'out', ICE_PORTS);
        const encodedFps = ((await pageState<PublishState>(publisher)).framesEncoded - encoded0) / ((Date.now() - t0) / 1000);
        const server = delta(before, snapshot(tree, 0));
        const gaps = server.recovered! + server.unrecovered!;
        f.share_recovered = gaps > 0 ? round(server.recovered! / gaps) : null;
        f.dropped_estimate = gaps;
        f.server = server;
        results.uplink = {
          ...f,
          lossy_publisher_encoded_fps: round(encodedFps, 2),
          note: 'fps_reference = a viewer of a second publisher with a clean uplink, at the same relay at the same time; share_recovered from the origin’s counters (recovered / NACKed gaps); the keyframe requests forwarded at the origin include its --keyframe-interval timer (2 s)',
        };
      } finally {
        await closeContexts();
        await tree.close();
      }
      log(o, 'uplink', results.uplink as ViewerFigures);
    }

    results.fixture_last_mile = await lastMile('fixture_last_mile', [], 'fixture');
    log(o, 'fixture_last_mile', results.fixture_last_mile as ViewerFigures);

    if (!o.janus) results.janus_fixture_last_mile = { skipped: '--no-janus' };
    else if (!janusVersion()) results.janus_fixture_last_mile = { skipped: 'janus is not installed (scripts/bench/setup.sh)' };
    else {
      o.log(`loss: janus_fixture_last_mile: Janus ${janusVersion()}, fixture over RTP, ${percent}% loss on a viewer's last mile`);
      const janus = await JanusServer.start({ iceIp: net.hostIp });
      let publisher: PublisherWorker | null = null;
      try {
        publisher = await PublisherWorker.start('publisher-udp', {
          mode: 'udp',
          host: HOST,
          videoPort: janus.videoPort,
          audioPort: janus.audioPort,
          fixture: fixturePath('vp8-opus-600k.rtp'),
        });
        const janusWatch = async (c: BrowserContext) => {
          const v = await openPage(c, pages!.url, 'janus-watch.html', { api: janus.apiUrl, id: String(MOUNTPOINT_ID) });
          await v.evaluate('window.canopy.start()');
          await playing(v);
          return v;
        };
        const clean = await janusWatch(await fresh(host!, []));
        const lossy = await janusWatch(await fresh(inNs!, [pages!.url, `http://${HOST}:${janus.httpPort}`]));
        results.janus_fixture_last_mile = { ...(await measure(lossy, clean, 'in', JANUS_PORTS)), janus_version: janusVersion() };
      } catch (err) {
        results.janus_fixture_last_mile = { error: String((err as Error)?.message ?? err) };
      } finally {
        await closeContexts();
        await publisher?.shutdown();
        await janus.stop();
      }
      log(o, 'janus_fixture_last_mile', results.janus_fixture_last_mile as ViewerFigures);
    }
  } finally {
    await closeContexts();
    await inNs?.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await pages?.close();
    net.close();
  }
  return results;
}

/** Repair counters of one node of the tree (0 = origin, 1.. = relays in start order). */
function snapshot(tree: Tree, index: number): Record<string, number> {
  const node = index === 0 ? tree.origin.node : tree.relays[index - 1]!.node;
  const c = node.counters;
  return {
    nacks_received: c.nacksReceived.get(),
    retransmit_requests: c.retransmitRequests.get(),
    retransmitted: c.retransmitted.get(),
    misses_too_old: c.retransmitMisses.get({ reason: 'too_old' }),
    misses_never_received: c.retransmitMisses.get({ reason: 'never_received' }),
    skipped_rate_limited: c.retransmitSkipped.get({ reason: 'rate_limited' }),
    skipped_duplicate: c.retransmitSkipped.get({ reason: 'duplicate' }),
    nacks_sent: c.nacksSent.get(),
    recovered: c.recovered.get(),
    unrecovered: c.unrecovered.get(),
    keyframe_requests_forwarded: c.keyframeRequests.get({ result: 'forwarded' }),
    keyframe_requests_suppressed: c.keyframeRequests.get({ result: 'suppressed' }),
  };
}

function delta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(b).map((k) => [k, b[k]! - (a[k] ?? 0)]));
}

function log(o: LossOptions, name: string, f: ViewerFigures | { skipped?: string; error?: string }): void {
  if ('skipped' in f || 'error' in f) {
    o.log(`  ${name}: ${(f as { skipped?: string }).skipped ?? (f as { error?: string }).error}`);
    return;
  }
  const v = f as ViewerFigures;
  const pctOf = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
  o.log(
    `  ${name}: recovered ${pctOf(v.share_recovered)}, keyframe requests ${v.keyframe_requests_per_min}/min, fps ${v.fps} vs ${v.fps_reference} (${pctOf(v.fps_ratio)}), longest freeze ${v.longest_freeze_ms} ms (clean ${v.reference_longest_freeze_ms} ms), NACKs ${v.nacks_sent}, retransmitted ${v.retransmitted_received}, lost ${v.packets_lost}/${v.video_packets}, nft dropped ${v.nft.dropped}/${v.nft.seen}, rtx ${v.rtx_negotiated}`,
  );
}

/** Rows for the bench's summary table. */
export function lossTable(r: Record<string, unknown>): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [];
  for (const name of ['last_mile', 'last_mile_no_repair', 'uplink', 'fixture_last_mile', 'janus_fixture_last_mile']) {
    const v = r[name] as (ViewerFigures & { skipped?: string; error?: string }) | undefined;
    if (!v) continue;
    if (v.skipped || v.error) {
      rows.push([`loss.${name}`, `– (${v.skipped ?? v.error})`, '']);
      continue;
    }
    const pctOf = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
    rows.push([
      `loss.${name} recovered / kf req per min / fps ratio / longest freeze (clean)`,
      `${pctOf(v.share_recovered)} / ${v.keyframe_requests_per_min} / ${pctOf(v.fps_ratio)} / ${v.longest_freeze_ms} ms (${v.reference_longest_freeze_ms} ms)`,
      `${r.loss_pct}% nft`,
    ]);
  }
  return rows;
}

// Standalone: npx tsx scripts/bench/loss.ts [--quick] [--window S] [--percent N] [--no-janus] [--out FILE]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      window: { type: 'string' },
      percent: { type: 'string' },
      'no-janus': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const started = Date.now();
  lossSection({
    quick: values.quick,
    janus: !values['no-janus'],
    percent: values.percent ? Number(values.percent) : undefined,
    windowS: values.window ? Number(values.window) : undefined,
    log: (l) => console.log(`[${Math.round((Date.now() - started) / 1000)}s] ${l}`),
  }).then(
    (r) => {
      const git = (() => {
        try {
          return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
        } catch {
          return null;
        }
      })();
      const out = { command: `npx tsx scripts/bench/loss.ts ${process.argv.slice(2).join(' ')}`.trim(), at: new Date().toISOString(), git, loss: r };
      console.log(JSON.stringify(out, null, 2));
      if (values.out) writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
