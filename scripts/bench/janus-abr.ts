/**
 * The ABR bench's anchor (issue 20): Janus's streaming plugin with simulcast, on the fixture of
 * the Canopy run (abr.ts), measured the same way (abr-window.ts).
 *
 *   npx tsx scripts/bench/janus-abr.ts [--phase S] [--no-pin-mid] [--out FILE]
 *   (and as `abr.janus` in `npm run bench -- --only abr`, after the Canopy run; --no-janus skips it)
 *
 * How Janus is fed and watched (janus-simulcast.ts has the wiring and why):
 *  - the same Chromium publisher page (fake camera 1280x720, sendEncodings q/h/f at 120k/400k/1.2M)
 *    publishes to a VideoRoom over Janus's HTTP API (`rid_order: "lmh"`), with transport-cc;
 *  - the room forwards each substream as plain RTP on 127.0.0.1 (`rtp_forward`, port/port_2/port_3,
 *    rtcp_port onto the mountpoint's videortcpport, so viewers' PLIs reach the publisher) to an
 *    RTP mountpoint with videosimulcast;
 *  - Chromium viewers watch the mountpoint (watch → Janus's offer → answer → start): clean on the
 *    host, capped (500 kbit/s) and varying (2 Mbit/s → 300 kbit/s → 2 Mbit/s) in namespaces behind
 *    the same nftables policers, matched on Janus's rtp_port_range (its PeerConnections' ports);
 *    and, unless --no-pin-mid, a second capped viewer in its own namespace that asks for substream
 *    1 in its watch, as a Janus user who knows the link would.
 * Janus picks a viewer's substream only on the viewer's request (no estimate on the viewer side,
 * Janus #1419): the others stay on its default, the top substream. The layer trace is the
 * substream Janus says it forwards to each viewer (its `result.substream` events).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, type StaticServer } from '../demo/static.js';
import { createLossNet, lossNetUnavailable, type LossNet } from '../../test/support/lossNet.js';
import { CHROMIUM_ARGS, poll, proxyThroughHost, recordFrames } from '../../test/support/pages.js';
import { ISSUE_LAYERS, publishedLayers, VIEWER_PAGE_SETUP, viewerStats } from '../../test/support/simulcastPage.js';
import { sleep } from '../../test/support/wait.js';
import { CAP_KBPS, closeWindow, compress, firstOn, kbytes, openWindow, round, settleOn, TracedViewer, VARY_KBPS, type Layer } from './abr-window.js';
import { JanusClient } from './janus-client.js';
import { freeUdpPort, JANUS_RTP_PORTS, JanusServer, janusVersion } from './janus.js';
import {
  ANCHOR_MOUNTPOINT,
  ANCHOR_ROOM,
  ANCHOR_VIDEO_PT,
  layerOfRid,
  layerOfSubstream,
  ridOrder,
  rtpForwardRequest,
  streamingConfig,
  videoroomConfig,
} from './janus-simulcast.js';

const PUBLIC_DIR = fileURLToPath(new URL('../demo/public/', import.meta.url));
/** Where the room forwards to and the mountpoint listens: the host's loopback, off every policed path. */
const FORWARD_HOST = '127.0.0.1';
/** The middle substream, for the pinned viewer. */
const MID_SUBSTREAM = 1;

export interface JanusAbrOptions {
  /** Seconds per phase of the varying viewer (the Canopy run's). */
  phaseS: number;
  /** A second capped viewer pinned to the middle substream (default true). */
  pinMid?: boolean;
  log: (line: string) => void;
}

/**
 * In the page: the publisher's offer with the issue's encodings, once ICE gathering is done (its
 * candidates in the SDP: the HTTP client sends no trickle), and the video transceiver's mid.
 */
async function publisherOffer(page: Page): Promise<{ sdp: string; mid: string }> {
  return page.evaluate(`(async () => {
    const s = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
    const pc = new RTCPeerConnection();
    window.__pub = pc;
    const t = pc.addTransceiver(s.getVideoTracks()[0], { direction: 'sendonly', sendEncodings: ${JSON.stringify(ISSUE_LAYERS)} });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 5000);
    });
    return { sdp: pc.localDescription.sdp, mid: t.mid };
  })()`) as Promise<{ sdp: string; mid: string }>;
}

/** In the page: a viewer (window.__view, as viewerStats reads it) answering Janus's offer; returns the answer with its candidates. */
async function viewerAnswer(page: Page, offer: string): Promise<string> {
  return page.evaluate(`(async () => {
    ${VIEWER_PAGE_SETUP}
    await pc.setRemoteDescription({ type: 'offer', sdp: ${JSON.stringify(offer)} });
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 5000);
    });
    return pc.localDescription.sdp;
  })()`) as Promise<string>;
}

/** The publisher's per-layer send rates (kbit/s) from its outbound-rtp, sampled every second; the average is over ~5 s as in abr.ts. */
class PublisherRates {
  readonly avg: Record<Layer, number> = { high: 0, mid: 0, low: 0 };
  readonly last: Record<Layer, number> = { high: 0, mid: 0, low: 0 };
  private prev = new Map<string, { bytes: number; at: number }>();
  private readonly layerOf = layerOfRid(ISSUE_LAYERS);
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly page: Page) {
    this.timer = setInterval(() => void this.sample().catch(() => undefined), 1000);
  }

  private async sample(): Promise<void> {
    const at = Date.now();
    for (const l of await publishedLayers(this.page)) {
      const q = this.layerOf[l.rid];
      const p = this.prev.get(l.rid);
      this.prev.set(l.rid, { bytes: l.bytesSent, at });
      if (!q || !p || at <= p.at) continue;
      const kbps = ((l.bytesSent - p.bytes) * 8) / (at - p.at);
      this.last[q] = kbps;
      this.avg[q] = this.avg[q] === 0 ? kbps : this.avg[q] * 0.8 + kbps * 0.2;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}

export async function janusAbrSection(o: JanusAbrOptions): Promise<Record<string, unknown>> {
  const version = janusVersion();
  if (!version) return { skipped: 'janus is not installed (apt-get install -y janus; scripts/bench/setup.sh)' };
  const why = lossNetUnavailable();
  if (why) return { skipped: `needs network namespaces with nftables: ${why}` };
  const pinMid = o.pinMid ?? true;
  const phaseS = o.phaseS;
  const load: number[] = [loadavg()[0]!];
  const loadTimer = setInterval(() => load.push(loadavg()[0]!), 5000);
  const tag = process.pid % 1000;
  const nets: LossNet[] = [];
  const net = (t: string, subnet: number): LossNet => {
    const n = createLossNet(`${t}${tag}`, subnet);
    nets.push(n);
    return n;
  };
  let pages: StaticServer | null = null;
  let janus: JanusServer | null = null;
  let client: JanusClient | null = null;
  let rates: PublisherRates | null = null;
  let sampler: NodeJS.Timeout | null = null;
  const browsers: Browser[] = [];
  const results: Record<string, unknown> = {
    janus_version: version,
    setup: `VideoRoom publisher (rid_order lmh) → rtp_forward per substream (port/port_2/port_3, rtcp_port) → streaming RTP mountpoint with videosimulcast → viewers; caps on Janus's rtp_port_range ${JANUS_RTP_PORTS.join('-')}; layer = the substream Janus reports forwarding to the viewer; layer rates from the publisher's outbound-rtp`,
    phase_s: phaseS,
  };
  try {
    const netCap = net('jc', 60 + (process.pid % 50));
    const netVary = net('jv', 60 + ((process.pid + 25) % 50));
    const netMid = pinMid ? net('jm', 60 + ((process.pid + 12) % 50)) : null;
    pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
    const ports: [number, number, number] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    const rtcpPort = await freeUdpPort();
    // ICE: CANOPY_JANUS_ICE=one gathers on the capped namespace's host address only, as the Canopy
    // relay does (--ice-address); by default on each namespace's host address (see the note in docs/abr.md).
    const iceIps = process.env.CANOPY_JANUS_ICE === 'one' ? [netCap.hostIp] : nets.map((n) => n.hostIp);
    results.ice_addresses = iceIps;
    janus = await JanusServer.start({
      iceIp: iceIps,
      streaming: streamingConfig({ id: ANCHOR_MOUNTPOINT, iface: FORWARD_HOST, ports, rtcpPort, pt: ANCHOR_VIDEO_PT }),
      videoroom: videoroomConfig(ANCHOR_ROOM),
    });
    const c = new JanusClient(janus.apiUrl, (m) => o.log(`abr.janus: ${m}`));
    client = c;
    const launch = async (exe: string): Promise<BrowserContext> => {
      const b = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
      browsers.push(b);
      const ctx = await b.newContext();
      if (exe !== '/usr/bin/chromium') await proxyThroughHost(ctx, [pages!.url]);
      return ctx;
    };
    const t0 = Date.now();
    const now = (): number => (Date.now() - t0) / 1000;

    o.log(`abr.janus: Janus ${version}: Chromium publisher into a VideoRoom, three layers forwarded to a simulcast mountpoint`);
    const hostCtx = await launch('/usr/bin/chromium');
    const pub = await hostCtx.newPage();
    await pub.goto(`${pages.url}/publish.html`);
    const pubHandle = await c.attach('janus.plugin.videoroom');
    const joined = await c.request(pubHandle, { request: 'join', ptype: 'publisher', room: ANCHOR_ROOM, display: 'chromium' });
    const publisherId = joined.plugindata?.data?.id as number | undefined;
    if (typeof publisherId !== 'number') throw new Error(`videoroom join: no publisher id in ${JSON.stringify(joined.plugindata?.data)}`);
    const offer = await publisherOffer(pub);
    const published = await c.request(pubHandle, { request: 'publish' }, { type: 'offer', sdp: offer.sdp, rid_order: ridOrder(ISSUE_LAYERS) });
    if (published.jsep?.type !== 'answer') throw new Error(`videoroom publish: no answer (${JSON.stringify(published.plugindata?.data)})`);
    await pub.evaluate(`window.__pub.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(published.jsep.sdp)} })`);
    const fwd = await c.request(
      pubHandle,
      rtpForwardRequest({ room: ANCHOR_ROOM, publisherId, mid: offer.mid, host: FORWARD_HOST, ports, rtcpPort, pt: ANCHOR_VIDEO_PT }),
    );
    results.forwarders = fwd.plugindata?.data?.forwarders ?? null;
    rates = new PublisherRates(pub);
    const r = rates;
    await poll('three layers from the publisher', 30_000, async () => (await publishedLayers(pub)).filter((l) => l.packetsSent > 50).length === 3);
    // As in the Canopy run: the viewers come once the top layer is near its 1.2 Mbit/s (or after 40 s).
    const rampFrom = Date.now();
    await poll('the top layer to ramp', 40_000, async () => r.last.high > 900).catch(() => o.log('abr.janus: the top layer stayed under 900 kbit/s for 40 s'));
    results.publisher_ramp_s = round((Date.now() - rampFrom) / 1000, 1);
    results.publisher = { at_join_kbps: { ...r.last }, chromium: await publishedLayers(pub) };

    for (const n of [netCap, netMid]) n?.setRateCap(kbytes(CAP_KBPS), JANUS_RTP_PORTS);
    netVary.setRateCap(kbytes(VARY_KBPS[0]!), JANUS_RTP_PORTS);
    const viewers: TracedViewer[] = [];
    /** Janus handle → the substream it last said it forwards there. */
    const substream = new Map<number, Layer | null>();
    const changes = new Map<number, Array<[number, Layer | null]>>();
    const handles = new Map<TracedViewer, number>();
    c.onPluginEvent = (ev) => {
      const result = ev.plugindata?.data?.result as { substream?: unknown } | undefined;
      if (ev.sender === undefined || !result || !('substream' in result)) return;
      const layer = layerOfSubstream(result.substream);
      substream.set(ev.sender, layer);
      // Every change as Janus reports it: a fallback shorter than the 500 ms sampling shows here only.
      const list = changes.get(ev.sender) ?? [];
      list.push([round(now(), 1), layer]);
      changes.set(ev.sender, list);
    };
    const join = async (name: string, ctx: BrowserContext, extra: Record<string, unknown> = {}): Promise<TracedViewer> => {
      const page = await ctx.newPage();
      await page.goto(`${pages!.url}/publish.html`);
      const h = await c.attach();
      const sdp = await c.watch(h, ANCHOR_MOUNTPOINT, extra);
      await c.start(h, await viewerAnswer(page, sdp));
      const v = new TracedViewer(name, page);
      v.joinedAt = now();
      handles.set(v, h);
      viewers.push(v);
      return v;
    };
    sampler = setInterval(() => {
      const t = now();
      for (const v of viewers) v.trace.push({ t, layer: substream.get(handles.get(v)!) ?? null, est: null });
    }, 500);
    o.log(
      `abr.janus: viewers join: clean (host), capped (${CAP_KBPS} kbit/s), varying (${VARY_KBPS.join(' → ')} kbit/s)${pinMid ? `, capped pinned to substream ${MID_SUBSTREAM}` : ''}`,
    );
    const clean = await join('clean', await hostCtx.browser()!.newContext());
    const capped = await join('capped', await launch(netCap.chromiumWrapper()));
    const vary = await join('varying', await launch(netVary.chromiumWrapper()));
    const mid = netMid ? await join('capped_mid', await launch(netMid.chromiumWrapper()), { substream: MID_SUBSTREAM }) : null;
    for (const v of viewers) {
      // A viewer that never plays (the capped one may not) is measured anyway: its figures say so.
      await poll(`${v.name} to play`, 45_000, async () => ((await viewerStats(v.page))?.framesDecoded ?? 0) > 10).catch(() =>
        o.log(`abr.janus: ${v.name} decoded ≤ 10 frames in 45 s`),
      );
      if (!(await viewerStats(v.page))) {
        const ice = await v.page.evaluate('window.__view.iceConnectionState + "/" + window.__view.connectionState');
        throw new Error(`${v.name}: no video received in 45 s (its ICE/connection state: ${String(ice)})`);
      }
      await recordFrames(v.page);
    }

    const joinedAt = Math.max(...viewers.map((v) => v.joinedAt));
    await sleep(Math.max(0, (joinedAt + 10 - now()) * 1000));
    const wClean = await openWindow(clean, now());
    const wCapped = await openWindow(capped, now());
    const wMid = mid ? await openWindow(mid, now()) : null;
    const varying: Record<string, unknown>[] = [];
    const phases: Record<string, unknown>[] = [];
    for (let i = 0; i < VARY_KBPS.length; i++) {
      const kbps = VARY_KBPS[i]!;
      const changedAt = i === 0 ? vary.joinedAt : now();
      if (i > 0) netVary.setRateCap(kbytes(kbps), JANUS_RTP_PORTS);
      o.log(`abr.janus: phase ${i + 1}: varying viewer at ${kbps} kbit/s for ${phaseS} s`);
      const start = now();
      const pc = await openWindow(clean, start);
      const pv = await openWindow(vary, start);
      await sleep(phaseS * 1000);
      const end = now();
      const cleanPhase = await closeWindow(clean, pc, end, null, start, r.avg);
      const v = await closeWindow(vary, pv, end, kbps, changedAt, r.avg);
      const lifted = i > 0 && kbps > VARY_KBPS[i - 1]!;
      varying.push({
        cap_kbps: kbps,
        ...v,
        fps_reference: cleanPhase.fps,
        fps_ratio: cleanPhase.fps > 0 ? round(v.fps / cleanPhase.fps, 3) : null,
        back_on_top_s: lifted ? firstOn(vary.between(changedAt, end), 'high', changedAt) : null,
        on_top_for_good_s: lifted ? settleOn(vary.between(changedAt, end), 'high', changedAt) : null,
      });
      phases.push({ phase: i + 1, cap_kbps: kbps, clean: cleanPhase });
      o.log(`  janus varying @${kbps}: ${JSON.stringify(varying[varying.length - 1])}`);
    }
    const end = now();
    const cleanAll = await closeWindow(clean, wClean, end, null, clean.joinedAt, r.avg);
    const withRef = async (v: TracedViewer, w: Awaited<ReturnType<typeof openWindow>>) => {
      const f = await closeWindow(v, w, end, CAP_KBPS, v.joinedAt, r.avg);
      return { cap_kbps: CAP_KBPS, ...f, fps_reference: cleanAll.fps, fps_ratio: cleanAll.fps > 0 ? round(f.fps / cleanAll.fps, 3) : null };
    };
    results.clean = cleanAll;
    results.capped = await withRef(capped, wCapped);
    if (mid && wMid) results.capped_mid = { substream: MID_SUBSTREAM, ...(await withRef(mid, wMid)) };
    results.varying = varying;
    results.clean_phases = phases;
    results.layer_kbps_at_publisher = Object.fromEntries(Object.entries(r.avg).map(([k, v]) => [k, Math.round(v)]));
    results.traces = Object.fromEntries(viewers.map((v) => [v.name, compress(v.trace)]));
    results.substream_events = Object.fromEntries(viewers.map((v) => [v.name, changes.get(handles.get(v)!) ?? []]));
    results.nft = { capped: netCap.counters(), varying_last_phase: netVary.counters(), ...(netMid ? { capped_mid: netMid.counters() } : {}) };
  } catch (err) {
    results.error = String((err as Error)?.message ?? err);
    if (janus) results.janus_log_tail = janus.lastLines();
    // What reached each namespace from Janus's ports (nft's count before the policer), to tell a
    // path that carries nothing from one whose packets are not answered.
    results.nft_at_error = Object.fromEntries(
      nets.map((n) => {
        try {
          return [n.ns, n.counters()];
        } catch (e) {
          return [n.ns, String((e as Error).message)];
        }
      }),
    );
  } finally {
    clearInterval(loadTimer);
    if (sampler) clearInterval(sampler);
    rates?.close();
    for (const b of browsers) await b.close().catch(() => undefined);
    await client?.destroy();
    await janus?.stop().catch(() => undefined);
    await pages?.close().catch(() => undefined);
    for (const n of nets) n.close();
  }
  load.push(loadavg()[0]!);
  results.load_1m = { min: round(Math.min(...load)), max: round(Math.max(...load)), samples: load.length };
  return results;
}

// Standalone: npx tsx scripts/bench/janus-abr.ts [--phase S] [--no-pin-mid] [--out FILE]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { phase: { type: 'string' }, 'no-pin-mid': { type: 'boolean', default: false }, out: { type: 'string' } } });
  const started = Date.now();
  janusAbrSection({
    phaseS: values.phase ? Number(values.phase) : 40,
    pinMid: !values['no-pin-mid'],
    log: (l) => console.log(`[${Math.round((Date.now() - started) / 1000)}s] ${l}`),
  }).then(
    (r) => {
      const out = { command: `npx tsx scripts/bench/janus-abr.ts ${process.argv.slice(2).join(' ')}`.trim(), at: new Date().toISOString(), janus: r };
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
